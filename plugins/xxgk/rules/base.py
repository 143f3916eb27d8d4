"""What every rule family shares: the context a rule reads and the way it names a problem."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from xxgk.core.ledger import Ledger, read_ledger
from xxgk.core.load import Content
from xxgk.core.model import Item, Page, Problem
from xxgk.core.options import Options
from xxgk.core.relate import Relations
from xxgk.core.report_tables import figures_path, read_figures
from xxgk.infra.memo import Memo


@dataclass
class Context:
    content: Content
    rel: Relations
    opts: Options
    findings: Memo | None = None  # what checks of one item found, kept between runs (of_item)
    # Each attachment's file as rules/attachments.resolve found it, by (item path, entry): three
    # rules ask, and each answer stats every folder of the path.
    attachments: dict[tuple[str, str], tuple[Path | None, str]] = field(default_factory=dict)

    def of_item(
        self, rule: str, item: Item | Page, make: Callable[[], list[Problem]], *inputs: Hashable
    ) -> list[Problem]:
        """What `rule` finds in `item` (or an ordinary page), made by make(): kept between runs by
        its path and text (Item.digest) and `inputs`, whatever else the finding reads (a day, a word list's
        digest). A rebuild after one item changed so checks that item's text alone, where
        scanning all of them was most of checking 20,000 items (issue 35). The memo starts
        afresh whenever xxgk's code changes (check() keys it by the whole package)."""
        if self.findings is None or not item.digest:
            return make()
        return self.findings.get((rule, item.path, item.digest, *inputs), make)

    @cached_property
    def docs_root(self) -> Path:
        """The content folder with its links resolved, which attachments must stay inside."""
        return self.opts.docs_path.resolve()

    @cached_property
    def ledger(self) -> Ledger:
        """The 依申请公开 case ledger, read once for the rules that need it."""
        return read_ledger(self.opts)

    @cached_property
    def figures(self) -> tuple[dict[int, dict[str, float | int]], list[Problem]]:
        """catalog/annual_figures.yml (表二 许可、处罚、强制、收费), with what is wrong in it."""
        problems: list[Problem] = []
        return read_figures(*figures_path(self.opts), problems), problems


Rule = Callable[[Context], Iterable[Problem]]


def problem_at(item: Item, key: str, code: str, message: str) -> Problem:
    """A problem on the line of `key` in the item's front matter."""
    return Problem(item.path, item.line_of(key), code, message)
