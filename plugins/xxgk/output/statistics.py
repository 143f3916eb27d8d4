"""What the statistics page shows: the year figures of core/stats.py, with their charts."""

from __future__ import annotations

from xxgk.core.stats import DEFINITIONS, YearStats
from xxgk.output.charts import bar_chart


def page_data(years: dict[int, YearStats]) -> dict:
    """What the statistics page shows, per year, with charts drawn here once per build."""
    shown = []
    for ys in years.values():
        months = [(f"{m}月", len(items)) for m, items in enumerate(ys.by_month, 1)]
        nodes = [(name, len(items)) for name, items in ys.by_node]
        shown.append(
            {
                "stats": ys,
                "months": months,
                "nodes": nodes,
                "month_chart": bar_chart(f"{ys.year}年各月发布信息条数", months),
                "node_chart": bar_chart(f"{ys.year}年各目录分类发布信息条数", nodes),
            }
        )
    return {"years": shown, "definitions": DEFINITIONS}
