"""条例 Art. 26: proactively disclosed information is published within 20 working days
of being made (`written`). Working days come from the `chinesecalendar` package, which
follows the State Council's holiday notices (调休 included) for the years it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import accumulate

import chinese_calendar

from xxgk.core.model import Item

LIMIT = 20  # working days
# Bounds that need no calendar: 20 calendar days hold at most 20 working days, and every
# 39-day stretch of 2004–2026 holds at least 21; 60 leaves room for any future holiday plan.
SURELY_ON_TIME, SURELY_LATE = LIMIT, 60


@dataclass(frozen=True)
class Verdict:
    on_time: bool | None  # None: cannot be judged (no `written`, or outside the calendar)
    working_days: int | None  # working days after `written` up to and including `published`
    outside_calendar: bool = False


class WorkdayCalendar:
    """Cumulative working-day counts over the library's whole range, built once, so each
    item costs two lookups instead of a walk over its days."""

    def __init__(self):
        days = sorted(chinese_calendar.constants.holidays) + sorted(chinese_calendar.constants.workdays)
        self.first = dt.date(min(days).year, 1, 1)
        self.last = dt.date(max(days).year, 12, 31)
        span = (self.last - self.first).days + 1
        flags = (chinese_calendar.is_workday(self.first + dt.timedelta(n)) for n in range(span))
        self._upto = [0, *accumulate(int(f) for f in flags)]  # _upto[n]: working days before day n

    @property
    def years(self) -> str:
        return f"{self.first.year}–{self.last.year}"

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: the day the information is made is not counted."""
        return self._upto[(end - self.first).days + 1] - self._upto[(start - self.first).days + 1]


_calendar: WorkdayCalendar | None = None


def calendar() -> WorkdayCalendar:
    global _calendar
    if _calendar is None:
        _calendar = WorkdayCalendar()
    return _calendar


def judge(item: Item) -> Verdict:
    if not (item.written and item.published) or item.published < item.written:
        return Verdict(None, None)
    cal, span = calendar(), (item.published - item.written).days
    if cal.covers(item.written) and cal.covers(item.published):
        days = cal.working_days_after(item.written, item.published)
        return Verdict(days <= LIMIT, days)
    if span <= SURELY_ON_TIME:
        return Verdict(True, None)
    if span > SURELY_LATE:
        return Verdict(False, None)
    return Verdict(None, None, outside_calendar=True)
