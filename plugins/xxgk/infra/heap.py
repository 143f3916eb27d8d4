"""The cyclic collector and the build's long-lived objects: every gc.freeze of the package.

A build holds the analysed site (items, relations, pages planned) from its analysis to its
end, about 900,000 objects at 20,000 items. Each full collection walked them all again:
2.1 s in 10 full collections of a one-item rebuild at 20,000 items, to free none of them.
Held (frozen) after the analysis, they are left out of every later collection; what the
build makes after that, the pages it renders, is collected as before. Objects are still
freed by their reference counts while frozen; only cycles among them wait for release().

While it builds, the collector also looks at young objects less often (YOUNG): a build
makes millions of objects that live for the whole build or die by their reference counts,
and a young collection every 700 allocations (Python's default) walked each of them
again. In a one-item rebuild at 20,000 items that took the collector's time in the main
process from about 1.8 s to 0.5 s.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_held = False  # a build's objects are frozen until its release()
YOUNG = 50_000  # allocations between young collections while a build runs (Python's default: 700)
_thresholds: tuple[int, ...] | None = None  # the collector's thresholds before begin()


def begin() -> None:
    """A build starts reading the content: young objects are collected less often until release()."""
    global _thresholds
    if _thresholds is None:
        _thresholds = gc.get_threshold()
        gc.set_threshold(YOUNG, *_thresholds[1:])


def hold() -> None:
    """Leave every object alive now out of later collections, until release()."""
    global _held
    gc.freeze()
    _held = True


def release() -> None:
    """The build is over: its objects are collected again, young ones as often as before (mkdocs serve builds again in
    the same process, and the last build's cycles must go)."""
    global _held, _thresholds
    if _held:
        gc.unfreeze()
        _held = False
    if _thresholds is not None:
        gc.set_threshold(*_thresholds)
        _thresholds = None


@contextmanager
def for_fork() -> Iterator[None]:
    """Around a fork: the child's collector leaves what it inherits alone, so its pages stay
    shared with the parent's (fewer copied pages). Afterwards the parent's objects are
    collected again, unless a build holds them (then what the fork froze stays held too:
    it was alive beside the held site and goes with it at release())."""
    gc.freeze()
    try:
        yield
    finally:
        if not _held:
            gc.unfreeze()


def leave_to_exit() -> None:
    """The process ends next: its objects are left for the system to reclaim, not freed one
    by one by the interpreter's last collection."""
    gc.freeze()
