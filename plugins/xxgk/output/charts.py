"""Horizontal bar charts as inline SVG, drawn once at build time (no charting script).

Every bar carries its label and its number as text, so the chart reads without colour;
the page shows the same numbers in a table for screen readers and copying.
"""

from __future__ import annotations

from html import escape

FONT = 14  # px; CJK glyphs are about one em wide
ROW, BAR, GAP = 26, 16, 8
WIDTH = 360  # small, so the text stays legible when a phone scales the chart down
VALUE_ROOM = 4 * FONT  # right of the longest bar, for its number
LABEL_CHARS = 11  # longer labels are shortened here; the table beside the chart has them whole


def bar_chart(caption: str, rows: list[tuple[str, int]], unit: str = "条") -> str:
    """An SVG string: one bar per (label, value), labels left, values at the bar ends."""
    rows = [(label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…", v) for label, v in rows]
    label_w = max((len(label) for label, _ in rows), default=1) * FONT + GAP
    scale_w = WIDTH - label_w - VALUE_ROOM
    top = max((v for _, v in rows), default=0) or 1
    height = ROW * len(rows) + GAP
    total = sum(v for _, v in rows)
    parts = [
        f'<svg class="xx-chart" role="img" aria-label="{escape(caption)}，共{total}{unit}，数据见下表" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for n, (label, value) in enumerate(rows):
        y = GAP // 2 + n * ROW
        mid = y + ROW // 2
        w = round(scale_w * value / top)
        parts.append(
            f'<text class="xx-chart__label" x="{label_w - GAP}" y="{mid}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
        if w:
            parts.append(
                f'<rect class="xx-chart__bar" x="{label_w}" y="{mid - BAR // 2}" width="{w}" '
                f'height="{BAR}" fill="#0b4a8b"/>'
            )
        parts.append(
            f'<text class="xx-chart__value" x="{label_w + w + GAP // 2}" y="{mid}" '
            f'dominant-baseline="middle">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
