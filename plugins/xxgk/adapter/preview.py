"""The preview server (`mkdocs serve`) after a failed rebuild: a page saying why, not a hang.

MkDocs holds every request of its live-reload server until a rebuild succeeds ("the server will
appear stuck"), so one bad file froze the preview and the form beside it. Here a failed rebuild
counts as done: the pages of the last good build are removed (admin/ and the CSS stay, so the
form still opens to fix the file), every address answers with the problems in Chinese, and
the next good rebuild brings the site back, the open pages reloading by themselves.

MkDocs empties the site folder at the start of every rebuild, so a build that fails after
that (a file gone while it was read: the form's local server switching branches) finds no
admin/ there; a copy of the last good build's is kept outside the site folder and put back.
"""

from __future__ import annotations

import html
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.xxgk")
KEEP = ("admin", "assets")  # the form, and the site's CSS the form's preview uses

PAGE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>网站暂时无法生成</title>
<style>body{{font:16px/1.6 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
pre{{white-space:pre-wrap;background:#fff4f4;border-left:4px solid #b00;padding:1rem}}</style></head>
<body>
<h1>网站暂时无法生成</h1>
<p>内容检查发现问题，预览停在这里。按下面的说明改正文件（或在<a href="/admin/">编辑表单</a>中改正）后，
本页会自动刷新为网站。</p>
<pre>{problems}</pre>
</body>
</html>
"""


def showing_errors(builder: Callable[[], None], root: Path, last_error: Callable[[], str]) -> Callable[[], None]:
    """`builder` that, when it fails, writes the error page into `root` instead of failing."""
    # removed with the server's process (the object lives as long as the closure)
    kept = tempfile.TemporaryDirectory(prefix="xxgk-preview-")

    def build() -> None:
        try:
            builder()
        except Exception:  # MkDocs raises Abort without the detail; the plugin kept it (last_error)
            log.error("预览：构建失败，网站各页面显示问题说明，改正后自动恢复")
            write_error_page(root, last_error() or "构建失败（见终端输出）", Path(kept.name))
        else:
            keep(root, Path(kept.name))

    return build


def keep(root: Path, store: Path) -> None:
    """A copy of KEEP from a good build in `store`, in place of the one before."""
    for name in KEEP:
        shutil.rmtree(store / name, ignore_errors=True)
        if (root / name).is_dir():
            shutil.copytree(root / name, store / name)


def write_error_page(root: Path, problems: str, store: Path) -> None:
    """The error page at every address of `root`; KEEP as the failed build left it, or as the
    last good build had it (`store`)."""
    for entry in root.iterdir():
        if entry.name in KEEP:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    for name in KEEP:
        if not (root / name).exists() and (store / name).is_dir():
            shutil.copytree(store / name, root / name)
    page = PAGE.format(problems=html.escape(problems)).encode("utf-8")
    for name in ("index.html", "404.html"):  # 404.html: MkDocs' server answers every missing page with it
        (root / name).write_bytes(page)
