"""A site after load → relate → check (rules.analyse makes it): what every later layer reads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from xxgk.core import report_tables, stats
from xxgk.core.ledger import read_ledger
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

    @cached_property
    def years(self) -> dict[int, stats.YearStats]:
        """Each year's figures (core/stats.py), worked out once a build: the statistics page
        and the site descriptor both show them."""
        return stats.compute(self.content, self.rel)

    @cached_property
    def tables(self) -> dict[int, report_tables.Tables]:
        """The annual report's tables 二–四 of each of those years, once a build; only counts
        leave the ledger, never a case (errors in the files are the check's to report)."""
        figures = report_tables.read_figures(*report_tables.figures_path(self.opts), [])
        ledger = read_ledger(self.opts)
        return {y: report_tables.compute(y, self.rel, figures, ledger) for y in self.years}
