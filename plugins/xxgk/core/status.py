"""Effective status, the one place for it: the five labels an item can show and every word
shown for each (badge, banner title, the sentence for a change that came after the build,
the banner's note), and the rule that decides an item's status on a day (status_on) and
over time (status_steps). Rules, pages and statistics ask a Kind or a Status; templates read
their fields and `xx_kinds` (a Jinja global), never comparing labels; the browser reads the
same table from assets/xxgk/rules.js, which the build writes (search/browser.py), and the
authoring form's preview uses the port of status_on in assets/xxgk/lifecycle.js, checked
against this one on generated cases (tests/test_status_now.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xxgk.core.model import Item


def cn_date(day: dt.date | None) -> str:
    """2026年1月1日, as every status sentence writes a date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def iso_day(day: dt.date | None) -> str:
    """2026-01-01, as a page's <time> and its 成文日期 and 发布日期 write a date."""
    return day.isoformat() if day else ""


@dataclass(frozen=True)
class Kind:
    label: str
    css: str  # the badge's class xx-status--<css>, the notice's xx-banner--<css>
    mark: str  # the badge's symbol (hidden from screen readers: the label says it)
    in_force: bool  # 现行有效: its lists, and the annual report's 现行有效 column
    repealed: bool  # 已废止、失效: its lists; what the search page's “不显示已废止、失效” hides
    meaning: str  # for staff (docs/format.md)
    title: str  # the banner's title: 本文件<title>
    came: str  # the banner's sentence when the status came after the build, {day} the day it came
    verb: str  # what happened to the document: 已于{day}<verb> (a 解读's note on its document)

    def came_on(self, day: dt.date) -> str:
        return self.came.format(day=cn_date(day))


KINDS: dict[str, Kind] = {
    k.label: k
    for k in (
        Kind("有效", "ok", "✓", True, False, "现行有效", "已施行", "本文件已于{day}起施行", "施行"),
        Kind(
            "尚未施行",
            "pending",
            "◷",
            False,
            False,
            "已公布，施行日期未到",
            "尚未施行",
            "本文件自{day}起尚未施行",
            "公布",
        ),
        Kind(
            "失效",
            "expired",
            "✕",
            False,
            True,
            "有效期已过，或标注为失效",
            "已失效",
            "按有效期，本文件已于{day}失效",
            "失效",
        ),
        Kind("废止", "abolished", "✕", False, True, "已被废止", "已废止", "按废止决定，本文件已于{day}废止", "废止"),
        Kind(
            "已修订",
            "revised",
            "↻",
            False,
            True,
            "已被新版本修订，现行的是新版本",
            "已修订",
            "按新版本的施行日期，本文件已于{day}被修订",
            "被修订",
        ),
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

    def note(self, expires: dt.date | None) -> tuple[str, str]:
        """The banner's note around the document that caused the status (the page links it,
        or writes by_text): what comes before it and after it."""
        since = f"已于{cn_date(self.since)}" if self.since else ""
        if self.label == "废止":
            named = "，废止依据：" if self.by_index_no or self.by_text else ""
            return f"本文件{since}废止{named}", (f"。废止原因：{self.reason}" if self.reason else "") + "。"
        if self.label == "已修订":
            return f"本文件{since}被修订，现行版本：", "。"
        if self.label == "失效" and expires:
            return f"本文件有效期至{cn_date(expires)}，已于{cn_date(self.since)}失效。", ""
        if self.label == "失效":
            return "本文件已失效。", ""
        if self.label == "尚未施行":
            return f"本文件自{cn_date(self.since)}起施行，在此之前尚未施行。", ""
        return "", ""


def browser_table() -> list[dict]:
    """The statuses as assets/xxgk/rules.js carries them (DEVELOPING.md, browser rule data)."""
    return [
        {
            "label": k.label,
            "css": k.css,
            "mark": k.mark,
            "in_force": k.in_force,
            "repealed": k.repealed,
            "title": k.title,
        }
        for k in KINDS.values()
    ]


def revision_date(new: Item) -> dt.date | None:
    return new.effective or new.published


def newer_version(item: Item, by_index_no: dict[str, Item], replaced_by: dict[str, Item]) -> Item | None:
    """The version that revises `item`: named in its `revised_by`, or naming it in its `replaces`."""
    return by_index_no.get(item.revised_by) or replaced_by.get(item.index_no)


def status_on(
    item: Item, day: dt.date, by_index_no: dict[str, Item], replaced_by: dict[str, Item] | None = None
) -> Status:
    """The effective status of `item` on `day` (docs/format.md, 有效性).

    Abolition, revision by a newer version and expiry take effect on their dates,
    so the same item reads 有效 on an earlier day and 废止 on a later one. A revision
    may be written on the new version only (`replaces`); `replaced_by` finds it.
    """
    if item.status == "废止" and item.abolished:
        ab = item.abolished
        if ab.date is None or ab.date <= day:
            by_item = by_index_no[ab.by].index_no if ab.by in by_index_no else ""
            return Status("废止", ab.date, by_index_no=by_item, by_text="" if by_item else ab.by, reason=ab.reason)
    elif item.status == "废止":
        return Status("废止")
    new = newer_version(item, by_index_no, replaced_by or {})
    if item.status == "已修订" and new is None:
        return Status("已修订", by_text=item.revised_by)
    if new is not None:
        since = revision_date(new)
        if since is None or since <= day:
            return Status("已修订", since, by_index_no=new.index_no)
    if item.status == "失效" and not item.expires:
        return Status("失效")
    if item.expires and item.expires < day:
        return Status("失效", item.expires + dt.timedelta(days=1))
    if item.effective and item.effective > day:
        return Status("尚未施行", item.effective)
    return Status("有效", item.effective)


@dataclass(frozen=True)
class Step:
    start: dt.date | None  # the status holds from this day on; None: from the beginning
    status: Status


def status_steps(item: Item, by_index_no: dict[str, Item], replaced_by: dict[str, Item]) -> tuple[Step, ...]:
    """Every status `item` ever has, by the rule above. status_on compares the day with a
    few fixed dates only (施行, expiry + 1, abolition, a revision's date), so between them
    it cannot change: once before them all and once on each is the whole story."""
    new = newer_version(item, by_index_no, replaced_by)
    turns = {
        item.effective,
        item.expires + dt.timedelta(days=1) if item.expires and item.expires < dt.date.max else None,
        item.abolished.date if item.abolished else None,
        revision_date(new) if new is not None else None,
    }
    steps = [Step(None, status_on(item, dt.date.min, by_index_no, replaced_by))]
    for day in sorted(d for d in turns if d is not None):
        status = status_on(item, day, by_index_no, replaced_by)
        if status != steps[-1].status:
            steps.append(Step(day, status))
    return tuple(steps)
