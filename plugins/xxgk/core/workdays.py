"""条例 Art. 26: proactively disclosed information is published within 20 working days
of being made (`written`). Working days follow the State Council's holiday notices
(调休 included), year by year: from the site's own catalog/holidays.yml where it lists a
year (core/holidays.py reads it), else from the `chinesecalendar` package. So a site can
use a notice the day it is published, or correct the library, without a package release."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass
from importlib.metadata import version
from itertools import accumulate

import chinese_calendar

from xxgk.core.model import Item

LIMIT = 20  # working days
# Bounds that need no calendar: 20 calendar days hold at most 20 working days, and every
# 39-day stretch of 2004–2026 holds at least 21; 60 leaves room for any future holiday plan.
SURELY_ON_TIME, SURELY_LATE = LIMIT, 60
HOLIDAYS_FILE = "holidays.yml"  # in the catalog directory


@dataclass(frozen=True)
class HolidayYear:
    """One year of a holiday notice: the days off (weekends inside a holiday included) and
    the weekend days that are working days (调休)."""

    year: int
    notice: str
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


class WorkdayCalendar:
    """Cumulative working-day counts over every covered year, built once per site, so each
    item costs two lookups instead of a walk over its days."""

    def __init__(self, site_years: dict[int, HolidayYear] | None = None, source: str = ""):
        self.site_years = dict(site_years or {})
        self.source = source  # the site's file as staff see it, e.g. catalog/holidays.yml
        off, on = chinese_calendar.constants.holidays, chinese_calendar.constants.workdays
        self.library_years = frozenset(d.year for d in off)
        self.years = self.library_years | set(self.site_years)
        self.first = dt.date(min(self.years), 1, 1)
        self.last = dt.date(max(self.years), 12, 31)

        def works(day: dt.date) -> bool:
            year = self.site_years.get(day.year)
            if year is not None:
                return day in year.workdays or (day.weekday() < 5 and day not in year.holidays)
            return day in on or (day.weekday() < 5 and day not in off)  # uncovered years are never asked

        span = (self.last - self.first).days + 1
        self._upto = [0, *accumulate(int(works(self.first + dt.timedelta(n))) for n in range(span))]

    def covers(self, start: dt.date, end: dt.date) -> bool:
        """Whether every year from start to end has a notice, from the site's file or the library."""
        return all(y in self.years for y in range(start.year, end.year + 1))

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: the day the information is made is not counted."""
        return self._upto[(end - self.first).days + 1] - self._upto[(start - self.first).days + 1]

    def count_after(self, start: dt.date, end: dt.date) -> tuple[int, bool]:
        """Working days in (start, end], and whether the calendar knew every year: a year
        without a notice counts Monday to Friday (the case clock must still give a date)."""
        if end <= start:
            return 0, True
        if self.covers(start, end):
            return self.working_days_after(start, end), True
        return sum((start + dt.timedelta(n)).weekday() < 5 for n in range(1, (end - start).days + 1)), False

    def add(self, start: dt.date, n: int) -> tuple[dt.date, bool]:
        """The n-th working day after `start` (start itself not counted: 条例 counts from the
        day after receipt), and whether the calendar knew every year on the way."""
        day, left, exact = start, n, True
        if self.first <= start <= self.last:
            target = self._upto[(start - self.first).days + 1] + n
            at = bisect_left(self._upto, target)
            if at < len(self._upto):
                return self.first + dt.timedelta(at - 1), True
            day, left = self.last, target - self._upto[-1]
        while left > 0:  # past the calendar's last notice: Monday to Friday
            day += dt.timedelta(1)
            left -= day.weekday() < 5
            exact = False
        return day, exact

    def describe(self) -> str:
        """Which calendar counted the days, for staff: the library's years and the site's notices."""
        library = sorted(self.library_years - set(self.site_years))
        parts = [f"chinesecalendar {version('chinesecalendar')}（{year_runs(library)} 年）"] if library else []
        if self.site_years:
            notices = "；".join(f"{y}年：{self.site_years[y].notice}" for y in sorted(self.site_years))
            parts.append(f"{self.source}（{notices}）")
        return " + ".join(parts)


def year_runs(years: list[int]) -> str:
    """[2004, …, 2026, 2028] → 2004–2026、2028"""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@dataclass(frozen=True)
class Verdict:
    on_time: bool | None  # None: cannot be judged (no `written`, or outside the calendar)
    working_days: int | None  # working days after `written` up to and including `published`
    outside_calendar: bool = False


def judge(item: Item, cal: WorkdayCalendar) -> Verdict:
    if not (item.written and item.published) or item.published < item.written:
        return Verdict(None, None)
    span = (item.published - item.written).days
    if cal.covers(item.written, item.published):
        days = cal.working_days_after(item.written, item.published)
        return Verdict(days <= LIMIT, days)
    if span <= SURELY_ON_TIME:
        return Verdict(True, None)
    if span > SURELY_LATE:
        return Verdict(False, None)
    return Verdict(None, None, outside_calendar=True)
