"""Operating-system errors of a build in Chinese: a full disk, a folder without write
permission, an immutable or read-only site/. The build writes into a staging folder, so
the site already published stays as it was; the message says so and what to do.

`describe` words one error; `install` makes the interpreter's last resort print that
instead of a traceback for an OSError no code of ours caught (MkDocs writing a page)."""

from __future__ import annotations

import errno
import sys

from xxgk.core.model import Problem

_WHAT = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "文件或文件夹不允许修改（可能设置了不可变属性 chattr +i）",
    errno.EROFS: "文件系统是只读的",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "磁盘读写出错",
}


def describe(exc: OSError) -> str:
    what = _WHAT.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    message = (
        f"构建无法写入文件（{what}）；上一次成功构建的站点保持不变。"
        "请检查磁盘空间、文件权限和 site_dir 的属性后重新构建"
    )
    return str(Problem(str(exc.filename or "site"), 1, "E311", message))


def install() -> None:
    if getattr(sys.excepthook, "xx_oserrors", False):
        return
    previous = sys.excepthook

    def hook(kind, value, tb):
        if isinstance(value, OSError) and not isinstance(value, (ConnectionError, TimeoutError)):
            print(describe(value), file=sys.stderr)
            return
        previous(kind, value, tb)

    hook.xx_oserrors = True  # type: ignore[attr-defined]
    sys.excepthook = hook
