"""Atomic builds: MkDocs writes into a staging folder beside site_dir, and only a
build that got through every check takes the place of site_dir. site_dir is a
complete site at every instant, wherever a build fails or is killed:

- On Linux the two folders trade places in one system call (renameat2 with
  RENAME_EXCHANGE); the staging name then holds the replaced site, which moves on
  to .site.old. There is no moment without site_dir.
- Where that call is missing (another kernel or file system), site_dir is renamed to
  .site.old and the staging folder into its place: a moment without site_dir. A
  build killed there leaves a complete .site.old, which the next build puts back
  (recover) before it does anything else.

The site a build replaces waits in .site.old until the next build renames it away
(.site.removing-<time>) and removes it in a process of its own, which nothing waits
for: removing tens of thousands of files is seconds (on a disk mounted with discard,
a minute for 20,000 items) that a build should not end with, and in a thread it would
hold the GIL the build needs. So a .site.old is always whole, and a removal that was
killed is finished by the next one. Most of those files are hard links to .cache/
(place.py), so keeping them until then costs little disk."""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# Removes every .site.removing-*: this build's, and any that a killed removal left. At the
# lowest priority: it runs beside the build, and a removal is CPU time in the kernel (4 s
# at 5,000 items) that would otherwise be taken from a rebuild on a 2-core machine.
_SWEEP = (
    "import glob, os, shutil, sys\nos.nice(19)\n"
    "for gone in glob.glob(glob.escape(sys.argv[1]) + '-*'):\n    shutil.rmtree(gone, True)\n"
)


def staging_dir(site_dir: Path) -> Path:
    """Beside site_dir, so the final rename stays on one file system."""
    return site_dir.with_name(f".{site_dir.name}.building")


def old_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.old")


def _gone_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.removing")


def recover(site_dir: Path) -> None:
    """Put the last good site back if a build was killed between the two renames."""
    old = old_dir(site_dir)
    if not site_dir.exists() and old.is_dir():
        rename(old, site_dir)


def prepare(site_dir: Path) -> Path:
    recover(site_dir)
    staging = staging_dir(site_dir)
    discard(staging)  # left over from a build that failed or was killed
    staging.mkdir(parents=True)
    return staging


def sweep(site_dir: Path) -> None:
    """Move the site the previous build replaced out of the way and start removing it.
    Only after prepare(): before recover() .site.old may be the one good site."""
    gone = _gone_dir(site_dir)
    try:
        os.rename(old_dir(site_dir), f"{gone}-{time.time_ns()}")
    except OSError:  # none to move (a first build), or it stays for swap() to discard
        pass
    if any(site_dir.parent.glob(glob.escape(gone.name) + "-*")):
        subprocess.Popen([sys.executable, "-c", _SWEEP, str(gone)], start_new_session=True)


def swap(staging: Path, site_dir: Path) -> None:
    """Put the finished build in place of site_dir; the replaced tree is kept at .site.old."""
    old = old_dir(site_dir)
    discard(old)
    if site_dir.exists():
        if exchange(staging, site_dir):
            rename(staging, old)
            return
        rename(site_dir, old)
    rename(staging, site_dir)


# The file-system steps of a swap, one function each (tests stop a build at every one).


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # this kernel or file system cannot
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def rename(a: Path, b: Path) -> None:
    os.rename(a, b)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
