"""Effective status: the five labels an item can show, what each means on the site, and the
status of one item on a date. The one place for it: rules, pages and statistics ask a Kind,
the templates read `xx_kinds` (a Jinja global), and the browser reads the same table from
assets/xxgk/rules.js, which the build writes (search/browser.py). relate.status_on decides
which label an item has on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    label: str
    css: str  # the badge's class xx-status--<css>, the notice's xx-banner--<css>
    mark: str  # the badge's symbol (hidden from screen readers: the label says it)
    in_force: bool  # 现行有效: its lists, and the annual report's 现行有效 column
    repealed: bool  # 已废止、失效: its lists; what the search page's “不显示已废止、失效” hides
    meaning: str  # for staff (docs/format.md)


KINDS: dict[str, Kind] = {
    k.label: k
    for k in (
        Kind("有效", "ok", "✓", True, False, "现行有效"),
        Kind("尚未施行", "pending", "◷", False, False, "已公布，施行日期未到"),
        Kind("失效", "expired", "✕", False, True, "有效期已过，或标注为失效"),
        Kind("废止", "abolished", "✕", False, True, "已被废止"),
        Kind("已修订", "revised", "↻", False, True, "已被新版本修订，现行的是新版本"),
    )
}
LABELS = tuple(KINDS)  # in the order filters and tables list them


@dataclass
class Status:
    """An item's effective status on a date, with what caused it."""

    label: str  # one of LABELS
    since: dt.date | None = None  # the day the status began, where known
    by_index_no: str = ""  # abolishing or revising item, where it is one
    by_text: str = ""  # abolishing document named in text
    reason: str = ""

    @property
    def kind(self) -> Kind:
        return KINDS[self.label]

    @property
    def in_force(self) -> bool:
        return self.kind.in_force


def browser_table() -> list[dict]:
    """The statuses as assets/xxgk/rules.js carries them (DEVELOPING.md, browser rule data)."""
    return [
        {"label": k.label, "css": k.css, "mark": k.mark, "in_force": k.in_force, "repealed": k.repealed}
        for k in KINDS.values()
    ]
