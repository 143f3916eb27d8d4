"""Status over time, read from the steps status.status_steps derives with the one status
rule: the lookup, the changes still ahead of a build, the steps as the browser reads them
(assets/xxgk/lifecycle.js only looks a day up in them, never re-deriving a status), and a
policy's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xxgk.core.model import Item
from xxgk.core.relate import Relations
from xxgk.core.status import KINDS, Status, Step, cn_date, revision_date


def status_at(steps: tuple[Step, ...], day: dt.date) -> Status:
    """The lookup the browser makes (lifecycle.js statusAt), in Python for the parity test."""
    found = steps[0].status
    for step in steps[1:]:
        if step.start is not None and step.start > day:
            break
        found = step.status
    return found


def after(steps: tuple[Step, ...], day: dt.date) -> list[Step]:
    """The changes still ahead on `day`: what a page built that day must carry."""
    return [s for s in steps[1:] if s.start is not None and s.start > day]


def ahead(rel: Relations, item: Item) -> list[Step]:
    """The item's changes after the build's as-of date."""
    return after(rel.steps_of(item), rel.as_of) if item.index_no in rel.changing else []


def encode(steps: list[Step] | tuple[Step, ...], with_first: bool = True) -> list[str]:
    """Steps as the browser reads them: [label, start, label, start, label …], ISO dates,
    the first label holding from the beginning (left out for the changes ahead only)."""
    out = [steps[0].status.label] if with_first and steps else []
    for s in steps[1 if with_first else 0 :]:
        out += [s.start.isoformat() if s.start else "", s.status.label]
    return out


@dataclass(frozen=True)
class Event:
    """One line of a policy's timeline."""

    kind: str  # 成文 | 发布 | 施行 | 修订 | 被修订 | 失效 | 废止
    day: dt.date | None  # None: the date is not written
    by: Item | None = None  # the document that caused it, where it is an item of the site
    by_text: str = ""  # or as written (a 文号, a title)
    reason: str = ""

    @property
    def css(self) -> str:
        """The line's class, xx-timeline__<css>."""
        return _CSS[self.kind]

    def note(self, expires: dt.date | None) -> tuple[str, str]:
        """What the line says after its kind, around the document that caused it (the page
        links it, or writes by_text): before it and after it."""
        named = bool(self.by or self.by_text)
        if self.kind == "修订":
            return "：修订", "，本文件为新版本"
        if self.kind == "被修订":
            return ("，现行版本：" if named else ""), ""
        if self.kind == "失效":
            return (f"（有效期至{cn_date(expires)}）" if expires else ""), ""
        if self.kind == "废止":
            return ("，依据：" if named else ""), (f"；原因：{self.reason}" if self.reason else "")
        return "", ""


_ORDER = ("成文", "发布", "施行", "修订", "被修订", "失效", "废止")
_CHANGE = {"失效": "失效", "废止": "废止", "已修订": "被修订"}  # status -> the event of a change to it
# a change's line takes its status's class (core/status.py)
_CSS = {"成文": "written", "发布": "published", "施行": "effective", "修订": "revises"}
_CSS |= {event: KINDS[label].css for label, event in _CHANGE.items()}


def timeline(item: Item, steps: tuple[Step, ...], by_index_no: dict[str, Item]) -> list[Event]:
    """成文, 发布, 施行, the version it replaced, and every change of status the rule gives,
    with the documents that caused them, in date order (undated last)."""
    events = [Event("成文", item.written), Event("发布", item.published)]
    if item.effective:
        events.append(Event("施行", item.effective))
    old = by_index_no.get(item.replaces)
    if old is not None:
        events.append(Event("修订", revision_date(item), old))
    for step in steps:
        kind, st = _CHANGE.get(step.status.label), step.status
        if kind is not None:  # a first step's status (written, not derived) has no date
            events.append(Event(kind, step.start, by_index_no.get(st.by_index_no), st.by_text, st.reason))
    return sorted(
        (e for e in events if e.day is not None or e.kind not in ("成文", "发布")),
        key=lambda e: (e.day is None, e.day or dt.date.min, _ORDER.index(e.kind)),
    )
