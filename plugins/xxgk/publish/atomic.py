"""Atomic builds: MkDocs writes into a staging folder beside site_dir, and only a
build that got through every check replaces site_dir. A failed build leaves the
last good site/ in place, whatever step failed.

The site a build replaces is moved to .site.old and removed by the next build, in a
process of its own while that build works: removing tens of thousands of files is
seconds that nothing else would overlap with at the end of a build, and in a thread
it would hold the GIL the build needs. Most of those files are hard links to .cache/
(place.py), so keeping them until then costs little disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    """Beside site_dir, so the final rename stays on one file system."""
    return site_dir.with_name(f".{site_dir.name}.building")


def prepare(site_dir: Path) -> Path:
    staging = staging_dir(site_dir)
    discard(staging)  # left over from a build that was killed
    staging.mkdir(parents=True)
    return staging


def old_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.old")


def sweep(site_dir: Path) -> subprocess.Popen:
    """Start removing the site the previous build replaced; swap() waits for it."""
    return subprocess.Popen(
        [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(old_dir(site_dir))]
    )


def swap(staging: Path, site_dir: Path, sweeping: subprocess.Popen | None = None) -> None:
    """Put the finished build in place of site_dir; the old tree is kept at .site.old."""
    old = old_dir(site_dir)
    if sweeping is not None:
        sweeping.wait()
    discard(old)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
