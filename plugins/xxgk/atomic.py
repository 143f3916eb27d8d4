"""Atomic builds: MkDocs writes into a staging folder beside site_dir, and only a
build that got through every check replaces site_dir. A failed build leaves the
last good site/ in place, whatever step failed."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    """Beside site_dir, so the final rename stays on one file system."""
    return site_dir.with_name(f".{site_dir.name}.building")


def prepare(site_dir: Path) -> Path:
    staging = staging_dir(site_dir)
    discard(staging)        # left over from a build that was killed
    staging.mkdir(parents=True)
    return staging


def swap(staging: Path, site_dir: Path) -> None:
    """Put the finished build in place of site_dir; the old tree goes only after that."""
    old = site_dir.with_name(f".{site_dir.name}.old")
    discard(old)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    discard(old)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
