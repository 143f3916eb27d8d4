"""What the statistics page shows: the year figures of core/stats.py, with their charts."""

from __future__ import annotations

from xxgk.core.stats import DEFINITIONS, YearStats
from xxgk.output.charts import bar_chart
from xxgk.output.pagedata import StatsData, StatsYear


def page_data(years: dict[int, YearStats]) -> StatsData:
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
            )
        )
    return StatsData(shown, DEFINITIONS)
