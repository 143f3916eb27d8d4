"""Progress of long steps: each phase with its count and elapsed time, told to whoever listens.

The code doing a long step names it (`with phase("生成页面", total) as p: ... p.step()`);
the MkDocs adapter listens with the build log, `xxgk` commands with a bar on a terminal,
and with nobody listening (tests, the library) nothing is said. Between a phase's start
and its end line, at most one line every XXGK_PROGRESS_SECONDS (default 3) seconds.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Listener = Callable[["Phase", bool], None]  # (phase, finished)
_listeners: dict[Listener, float] = {}  # listener -> seconds between its lines
_lock = threading.Lock()  # the search index reports from its own thread


def every() -> float:
    """Seconds between two lines of a phase in a log (XXGK_PROGRESS_SECONDS, default 3)."""
    try:
        return max(0.0, float(os.environ.get("XXGK_PROGRESS_SECONDS", "3")))
    except ValueError:
        return 3.0


@dataclass
class Phase:
    name: str
    total: int | None = None
    done: int = 0
    note: str = ""
    started: float = field(default_factory=time.monotonic)
    _shown: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def step(self, n: int = 1) -> None:
        self.done += n
        if _listeners and self.done != self.total and time.monotonic() - self._shown >= min(_listeners.values()):
            self._shown = time.monotonic()
            _tell(self, False)

    def finish(self, note: str = "") -> None:
        self.note = note
        _tell(self, True)

    def __enter__(self) -> Phase:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.finish(self.note)

    def line(self, finished: bool) -> str:
        count = f"{self.done:,}" + (f"/{self.total:,}" if self.total is not None else "")
        if self.total is None and not self.done:
            count = ""
        share = f"（{100 * self.done // self.total}%）" if self.total and not finished else ""
        state = ("完成 " if count else "完成") if finished else ""
        note = f"；{self.note}" if self.note else ""
        return f"{self.name}：{state}{count}{share}，{self.seconds:.1f} 秒{note}"


def phase(name: str, total: int | None = None) -> Phase:
    return Phase(name, total)


def _tell(ph: Phase, finished: bool) -> None:
    with _lock:
        for listener in list(_listeners):
            listener(ph, finished)


def listen(listener: Listener, seconds: float | None = None) -> Callable[[], None]:
    """Start telling `listener`, at most every `seconds` (every()) within a phase; the
    returned function stops it."""
    _listeners[listener] = every() if seconds is None else seconds

    def stop() -> None:
        _listeners.pop(listener, None)

    return stop
