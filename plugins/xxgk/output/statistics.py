"""What the statistics page shows: the year figures of core/stats.py, with their charts, and the
annual report's tables 二, 三 and 四 (core/report_tables.py; 三 and 四 where the site keeps a ledger)."""

from __future__ import annotations

from xxgk.core import report_tables as rt
from xxgk.core.site import Site
from xxgk.core.stats import DEFINITIONS, YearStats
from xxgk.output.annual_tables import grid
from xxgk.output.charts import bar_chart
from xxgk.output.pagedata import StatsData, StatsYear


def report_tables(site: Site) -> dict[int, list]:
    """Every year's tables as rows of text (plain values, for the page cache)."""
    return {y: grid(tables)[1:] for y, tables in site.tables.items()}


def page_data(years: dict[int, YearStats], tables: dict[int, list] | None = None) -> StatsData:
    """What the statistics page shows, per year, with charts drawn here once per build."""
    shown = []
    for ys in years.values():
        months = [(f"{m}月", len(items)) for m, items in enumerate(ys.by_month, 1)]
        nodes = [(name, len(items)) for name, items in ys.by_node]
        shown.append(
            StatsYear(
                ys,
                months,
                nodes,
                bar_chart(f"{ys.year}年各月发布信息条数", months),
                bar_chart(f"{ys.year}年各目录分类发布信息条数", nodes),
                (tables or {}).get(ys.year, []),
            )
        )
    return StatsData(shown, DEFINITIONS + rt.DEFINITIONS)
