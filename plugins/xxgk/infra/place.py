"""Putting reused files into the site being built: pages from the page cache and search
shards from .cache/xxgk/search/.

Into a fresh staging folder (`mkdocs build`) a file is hard-linked: no bytes copied, one
directory entry, where copying thousands of files costs seconds while Pagefind keeps the
disk busy. The cached file and the one in site/ are then the same file on disk, which is
safe because every build writes into a new folder and nothing of ours edits a written
file. `mkdocs serve` rewrites files in place, so there it copies. Either way the file
appears whole (a link at once, a copy written beside it and renamed), and a file system
without hard links gets a copy."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path


def place(src: Path, dest: Path, link: bool) -> None:
    if link:
        try:
            os.link(src, dest)  # appears whole: no need to write beside it first
            return
        except FileExistsError:
            pass  # replaced below, in one rename
        except OSError:  # another device, or no hard links here
            link = False
    tmp = dest.with_name(dest.name + ".placing")
    tmp.unlink(missing_ok=True)
    if link:
        os.link(src, tmp)
    else:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


def signature(path: Path) -> tuple[int, int]:
    """(size, mtime_ns): what a cached file is trusted by, since the file in site/ that shares
    it is the same file, and an edit there would change it here."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def digest(data: bytes) -> str:
    """The SHA-256 a file is known by: in the manifest, and for files placed from a cache."""
    return hashlib.sha256(data).hexdigest()


def read_file(path: str) -> bytes:
    """A file's bytes: half the CPU of Path.read_bytes or hashlib.file_digest (no Path, no
    buffered file object), which counts when every page of a site is read: by the link check
    and the manifest after a full build, and by the page cache before every build."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        while len(data) > size:  # grew since fstat: read on to the end
            more = os.read(fd, 1 << 20)
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)
