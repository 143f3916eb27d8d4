"""One build at a time per site repository. Two `mkdocs build` in one folder share the
staging folder, the page cache and .site.old: the second would delete the first's staging
folder under it (tracebacks, an empty or incomplete site/ with exit 0). The lock is an
flock on .cache/xxgk/build.lock, held until the process ends (the system releases it even
when a build is killed); a second build waits up to WAIT seconds and then stops with E310.
`mkdocs serve` rebuilds in one process: the lock it holds is held once.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from xxgk.core.model import Problem

WAIT = 30.0  # seconds: a rebuild a moment after another (a commit hook and a clerk) goes through
_held: dict[Path, int] = {}  # lock file → the open descriptor that holds it


class Busy(Exception):
    """Another build holds the lock; the message says so in Chinese."""


def acquire(root: Path, wait: float = WAIT) -> None:
    path = (root / ".cache" / "xxgk" / "build.lock").resolve()
    if path in _held:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                message = (
                    f"另一个构建正在使用该站点文件夹（已等待 {wait:.0f} 秒）；请等它结束后再构建。"
                    "上一次成功构建的站点保持不变"
                )
                raise Busy(str(Problem(str(path), 1, "E310", message))) from None
            time.sleep(0.2)
    _held[path] = fd
