"""W231/W232: 条例 Art. 26, published within 20 working days of `written` (core/workdays.py counts them)."""

from __future__ import annotations

from xxgk.core.workdays import LIMIT, WorkdayCalendar, judge, year_runs
from xxgk.rules.base import Context, problem_at


def published_on_time(ctx: Context):
    cal = ctx.content.calendar
    for item in ctx.content.items:
        written, published = item.written, item.published
        if written is None or published is None:  # nothing to judge (judge says so too)
            continue
        verdict = judge(item, cal)
        if item.published is None or item.written is None:  # judge had nothing to judge
            continue
        if verdict.on_time is False:
            counted = (
                f"{verdict.working_days} 个工作日"
                if verdict.working_days is not None
                else f"{(published - written).days} 天"
            )
            yield problem_at(
                item,
                "published",
                "W231",
                f"发布日期 {published.isoformat()} 距成文日期 {written.isoformat()} 已过 {counted}，"
                f"超过条例第二十六条规定的{LIMIT}个工作日；请核对日期，今后应在成文后{LIMIT}个工作日内公开",
            )
        elif verdict.outside_calendar:
            yield problem_at(
                item,
                "published",
                "W232",
                f"无法判断是否在{LIMIT}个工作日内公开：成文日期 {written.isoformat()} 至发布日期 "
                f"{published.isoformat()} 跨越的年份没有节假日安排（现有：{cal.describe()}）；"
                f"请在 {cal.source} 中按国务院办公厅当年的节假日安排通知补上"
                f"{year_runs(missing_years(cal, written.year, published.year))} 年（写法见该文件开头的说明），或人工核对",
            )


def missing_years(cal: WorkdayCalendar, first: int, last: int) -> list[int]:
    return [y for y in range(first, last + 1) if y not in cal.years]


RULES = (published_on_time,)
