"""What every rule family shares: the context a rule reads and the way it names a problem."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from xxgk.core.load import Content
from xxgk.core.model import Item, Problem
from xxgk.core.options import Options
from xxgk.core.relate import Relations


@dataclass
class Context:
    content: Content
    rel: Relations
    opts: Options


Rule = Callable[[Context], Iterable[Problem]]


def problem_at(item: Item, key: str, code: str, message: str) -> Problem:
    """A problem on the line of `key` in the item's front matter."""
    return Problem(item.path, item.line_of(key), code, message)
