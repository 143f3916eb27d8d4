"""catalog/holidays.yml → HolidayYear per year, checked: each year names its notice, every
date lies inside its year, and no day is both a holiday and a working day.

    - year: 2027
      notice: 国务院办公厅关于2027年部分节假日安排的通知
      holidays:                     # 放假调休的日子：节日名: 日期，或 [首日, 末日]
        元旦: 2027-01-01
        春节: [2027-02-05, 2027-02-12]
      workdays: [2027-02-20]        # 调休上班的周六、周日
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xxgk.core.model import Problem
from xxgk.core.workdays import HolidayYear
from xxgk.core.yamlio import LineDict, read_yaml_file

HOWTO = "每年一项：year、notice（通知标题）、holidays（节日名: 日期或 [首日, 末日]）、workdays（调休上班日列表）"


def load_holidays(path: Path, shown: str, problems: list[Problem]) -> dict[int, HolidayYear]:
    """The years the site's file lists; an absent file lists none (chinesecalendar alone counts)."""
    if not path.exists():
        return {}
    readable, data = read_yaml_file(path, shown, problems)
    if not readable or data is None:
        return {}
    if not isinstance(data, list):
        problems.append(Problem(shown, 1, "E170", f"{shown} 应为年份列表（每项以 - year: 开头）；{HOWTO}"))
        return {}
    years: dict[int, HolidayYear] = {}
    for raw in data:
        year = _year(raw, shown, problems)
        if year is None:
            continue
        if year.year in years:
            problems.append(Problem(shown, raw.line, "E170", f"{year.year} 年重复出现，每年只写一项"))
            continue
        years[year.year] = year
    return years


def _year(raw, shown: str, problems: list[Problem]) -> HolidayYear | None:
    def report(key: str, code: str, message: str) -> None:
        problems.append(Problem(shown, raw.line_of(key), code, message))

    if not isinstance(raw, LineDict):
        problems.append(Problem(shown, 1, "E170", f"每年应为一个映射；{HOWTO}"))
        return None
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 9999:
        report("year", "E170", f"year 应为四位年份，例如 year: 2027；{HOWTO}")
        return None
    notice = str(raw.get("notice") or "").strip()
    if not notice:
        report("notice", "E170", f"{year} 年缺少 notice：请写明所依据的国务院办公厅节假日安排通知的标题")
    days: dict[str, set[dt.date]] = {"holidays": set(), "workdays": set()}
    spans = raw.get("holidays") or {}
    if not isinstance(spans, dict):
        report("holidays", "E170", "holidays 应为“节日名: 日期”或“节日名: [首日, 末日]”的映射")
        spans = {}
    for name, value in spans.items():
        first, last = (value + [None])[:2] if isinstance(value, list) and len(value) in (1, 2) else (value, value)
        last = last or first
        if not (isinstance(first, dt.date) and isinstance(last, dt.date)) or last < first:
            line = spans.line_of(name) if isinstance(spans, LineDict) else raw.line
            problems.append(
                Problem(
                    shown,
                    line,
                    "E171",
                    f"{year} 年 {name} 的日期“{value}”无效：写一个日期（2027-01-01）或首末两日 "
                    "[2027-02-05, 2027-02-12]，末日不早于首日",
                )
            )
            continue
        days["holidays"].update(first + dt.timedelta(n) for n in range((last - first).days + 1))
    workdays = raw.get("workdays") or []
    if not isinstance(workdays, list) or not all(isinstance(d, dt.date) for d in workdays):
        report("workdays", "E171", f"{year} 年的 workdays 应为日期列表，例如 [2027-02-20]")
        workdays = []
    days["workdays"].update(workdays)
    for key, found in days.items():
        outside = sorted(d for d in found if d.year != year)
        if outside:
            report(
                key,
                "E171",
                f"{', '.join(d.isoformat() for d in outside)} 不在 {year} 年内：每项只写本年的日期"
                "（跨年的假期，上一年的日子若是周末可不写）",
            )
    both = sorted(days["holidays"] & days["workdays"])
    if both:
        report("workdays", "E172", f"{', '.join(d.isoformat() for d in both)} 既写为放假又写为上班，请按通知核对")
    return HolidayYear(year, notice, frozenset(days["holidays"]), frozenset(days["workdays"]))
