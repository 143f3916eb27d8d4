"""load → relate → check, in one call shared by the plugin, the CLI and the tests."""
from __future__ import annotations

from dataclasses import dataclass

from .load import Content, load_content
from .model import Problem
from .options import Options
from .relate import Relations, relate
from .rules import check


@dataclass
class Site:
    opts: Options
    content: Content
    rel: Relations
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def analyse(opts: Options) -> Site:
    content = load_content(opts)
    rel = relate(content, opts.as_of_date())
    return Site(opts, content, rel, check(content, rel, opts))
