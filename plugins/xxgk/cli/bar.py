"""A progress bar on the terminal for long `xxgk` commands (infra/progress.py tells it)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable

from xxgk.infra import progress

WIDTH = 24


def draw(phase: progress.Phase, finished: bool) -> None:
    if finished:
        line = phase.line(True)
    else:
        done = min(1.0, phase.done / phase.total) if phase.total else 0.0
        bar = "█" * round(done * WIDTH) + "░" * (WIDTH - round(done * WIDTH))
        line = f"{phase.name} {bar} {phase.line(False).split('：', 1)[1]}"
    columns = shutil.get_terminal_size((80, 20)).columns
    sys.stderr.write("\r" + line[: columns - 1].ljust(columns - 1) + ("\n" if finished else ""))
    sys.stderr.flush()


def on_terminal() -> Callable[[], None]:
    """Draw phases on stderr when it is a terminal (not in a pipe, a log or CI); stops with the result."""
    if not sys.stderr.isatty():
        return lambda: None
    return progress.listen(draw, seconds=0.2)
