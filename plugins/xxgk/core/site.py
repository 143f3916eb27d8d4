"""A site after load → relate → check (rules.analyse makes it): what every later layer reads."""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.core.load import Content
from xxgk.core.model import Problem
from xxgk.core.options import Options
from xxgk.core.relate import Relations


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
