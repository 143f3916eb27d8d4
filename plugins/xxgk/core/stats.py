"""Annual statistics computed from the catalog itself: the one place that knows the
annual-report table (国办公开办函〔2021〕30号, section 二, 第二十条第（一）项), the
publication counts per catalog node, publisher and month, and timeliness shares.

Definitions (also printed by `xxgk stats --explain`):
- 本年制发件数: documents of the type published in the year.
- 本年废止件数: documents abolished (abolished.date) in the year. The template counts
  废止 only; documents that lapsed by expiry or were superseded by a revision that year
  are listed apart (本年失效 / 本年被修订) so every change of 现行有效件数 is traceable.
- 现行有效件数: published by 31 December and derived status 有效 on that day
  (status.status_on: abolition, revision and expiry take effect on their dates).
Scope: every item of the site, whatever its publisher.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from xxgk.core.fields import POLICY_TYPES
from xxgk.core.load import Content
from xxgk.core.model import Item
from xxgk.core.relate import Relations
from xxgk.core.status import status_on
from xxgk.core.workdays import judge

TABLE_TYPES = POLICY_TYPES
MADE, ABOLISHED, CURRENT = "本年制发件数", "本年废止件数", "现行有效件数"
COLUMNS = (MADE, ABOLISHED, CURRENT)
LAPSED, REVISED = "本年失效件数", "本年被修订件数"  # not template columns: the rest of the change
REPORT_TYPE = "年度报告"

DEFINITIONS = (
    f"{MADE}：发布日期在本年内的该类文件。",
    f"{ABOLISHED}：废止日期（abolished.date）在本年内的该类文件。按国办公开办函〔2021〕30号模板只计“废止”；"
    f"有效期届满失效、被新版本修订的不计入，另列为“{LAPSED}”“{REVISED}”。",
    f"{CURRENT}：12月31日前已发布、且当日有效性为“有效”的该类文件（废止、修订、失效均自其日期起生效；尚未施行的不计）。",
    "按时公开：发布日期不晚于成文日期后第20个工作日（条例第二十六条）；工作日按国务院节假日安排（含调休）计算："
    "catalog/holidays.yml 写了的年份按该文件，其余年份按 chinesecalendar；未写成文日期或超出日历数据范围的条目计为“无法判断”，不计入按时公开率。",
    "统计范围：本站全部条目（所有发布机构）。",
)


@dataclass
class YearStats:
    year: int
    table: dict[str, dict[str, list[Item]]]  # doc_type -> column (MADE/ABOLISHED/CURRENT/LAPSED/REVISED) -> items
    published: list[Item] = field(default_factory=list)
    by_node: list[tuple[str, list[Item]]] = field(default_factory=list)  # first-level catalog nodes
    by_publisher: list[tuple[str, list[Item]]] = field(default_factory=list)
    by_month: list[list[Item]] = field(default_factory=list)  # 12 lists
    on_time: list[Item] = field(default_factory=list)
    late: list[Item] = field(default_factory=list)
    unjudged: list[Item] = field(default_factory=list)
    # (publisher name, on time, late) for publishers with items that can be judged
    timeliness_by_publisher: list[tuple[str, list[Item], list[Item]]] = field(default_factory=list)
    calendar: str = ""  # the working-day calendar the shares were counted with (WorkdayCalendar.describe)

    columns = COLUMNS

    def count(self, doc_type: str, column: str) -> int:
        return len(self.table[doc_type][column])

    def report_rows(self) -> list[tuple[str, list[int]]]:
        """The template's rows: (doc_type, [count per column])."""
        return [(t, [self.count(t, c) for c in COLUMNS]) for t in TABLE_TYPES]

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.late)


def rate(on_time: list, late: list) -> float | None:
    """Per cent published on time among the items that can be judged."""
    judged = len(on_time) + len(late)
    return round(100 * len(on_time) / judged, 1) if judged else None


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def policy_table(rel: Relations, year: int) -> dict[str, dict[str, list[Item]]]:
    """The 规章 and 行政规范性文件 made, current, abolished … in `year`, each item in its cells. Worked
    out once per year a build (Relations.derived): the annual report's two checks and the
    statistics each ask for every year, 28 tables and 0.5 s at 20,000 items. Read only."""
    tables = rel.derived.setdefault("policy_table", {})
    if year not in tables:
        if "policies" not in rel.derived:
            rel.derived["policies"] = policies_of(rel)
        tables[year] = _policy_table(rel.derived["policies"], year, rel)
    return tables[year]


def _policy_table(policies: list[Item], year: int, rel: Relations) -> dict[str, dict[str, list[Item]]]:
    table: dict[str, dict[str, list[Item]]] = {t: {c: [] for c in (*COLUMNS, LAPSED, REVISED)} for t in TABLE_TYPES}
    end, by_index_no, replaced_by = year_end(year), rel.by_index_no, rel.replaced_by
    change = {"废止": ABOLISHED, "失效": LAPSED, "已修订": REVISED}
    for item in policies:
        if not item.published or item.published > end:
            continue
        row = table[item.doc_type]
        if item.published.year == year:
            row[MADE].append(item)
        status = status_on(item, end, by_index_no, replaced_by)
        if status.in_force:
            row[CURRENT].append(item)
        elif status.label in change and status.since and status.since.year == year:
            row[change[status.label]].append(item)
    return table


def policies_of(rel: Relations) -> list[Item]:
    return [i for i in rel.items if i.doc_type in TABLE_TYPES]


def compute(content: Content, rel: Relations, years: list[int] | None = None) -> dict[int, YearStats]:
    """Statistics for `years` (default: every year with items or covered by an annual report),
    newest first, in one pass over the items per year."""
    by_year: dict[int, list[Item]] = defaultdict(list)
    reported: set[int] = set()
    for item in rel.items:  # newest first, so every list below is too
        if item.published:
            by_year[item.published.year].append(item)
        if item.doc_type == REPORT_TYPE and (year := report_year(item)):
            reported.add(year)
    wanted = sorted(set(years) if years is not None else set(by_year) | reported, reverse=True)
    nodes = {n.id: n for n in content.catalog.walk()}
    return {y: _year(y, by_year.get(y, []), rel, content, nodes) for y in wanted}


def _year(year, items, rel, content, nodes) -> YearStats:
    ys = YearStats(year, policy_table(rel, year), published=items, calendar=content.calendar.describe())
    roots: dict[str, list[Item]] = {r.name: [] for r in content.catalog.roots}
    publishers: dict[str, list[Item]] = defaultdict(list)
    ys.by_month = [[] for _ in range(12)]
    punctual: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for item in items:
        node = nodes.get(item.category)
        roots.setdefault(node.root.name if node else item.category, []).append(item)
        name = publisher_name(content, item)
        publishers[name].append(item)
        ys.by_month[item.published.month - 1].append(item)
        verdict = judge(item, content.calendar).on_time
        if verdict is None:
            ys.unjudged.append(item)
        else:
            (ys.on_time if verdict else ys.late).append(item)
            punctual[name][0 if verdict else 1].append(item)
    ys.by_node = list(roots.items())
    order = {d.name: n for n, d in enumerate(content.departments.values())}
    ys.by_publisher = sorted(publishers.items(), key=lambda kv: order.get(kv[0], len(order)))
    ys.timeliness_by_publisher = [(name, *punctual[name]) for name, _ in ys.by_publisher if name in punctual]
    return ys


def publisher_name(content: Content, item: Item) -> str:
    dep = content.departments.get(item.publisher)
    return dep.name if dep else item.publisher


def report_stats(item: Item, years: dict[int, YearStats]) -> YearStats | None:
    """The computed figures an annual report item shows beside its text."""
    year = report_year(item) if item.doc_type == REPORT_TYPE else None
    return years.get(year) if year is not None else None


# ---------------------------------------------------------------- annual report items


def report_year(item: Item) -> int | None:
    """The year an annual report covers: the year in its title, else the year before publication."""
    m = re.search(r"(\d{4})\s*年", unicodedata.normalize("NFKC", item.title))
    if m:
        return int(m.group(1))
    return item.published.year - 1 if item.published else None


@dataclass
class WrittenFigure:
    doc_type: str
    column: str
    text: str
    value: int | None  # None: not a number
    line: int  # in the file


_ALIASES = {"规章": ("规章",), "行政规范性文件": ("行政规范性文件", "规范性文件")}
_BLANK = re.compile(r"[\s*`_]+")


def table_cells(line: str) -> list[str] | None:
    """A Markdown table row's cells as the report wrote them, without spaces or emphasis
    (full-width characters folded), or None for a line that is no table row. The annual
    report's tables 二–四 are read with it too (core/report_tables)."""
    text = unicodedata.normalize("NFKC", line).strip()
    if not text.startswith("|") and text.count("|") < 2:
        return None
    return [_BLANK.sub("", c) for c in text.strip("|").split("|")]


def _number(text: str) -> int | None:
    digits = text.replace(",", "").removesuffix("件")
    return int(digits) if digits.isascii() and digits.isdigit() else None


def written_figures(item: Item) -> list[WrittenFigure]:
    """The 规章 / 行政规范性文件 rows of the first table in the body whose header names the
    template's columns, wherever the columns stand and whatever markup the cells carry."""
    found: list[WrittenFigure] = []
    columns: dict[int, str] = {}
    for n, line in enumerate(item.body.splitlines()):
        cells = table_cells(line)
        if cells is None:
            if found:
                break
            columns = {}
            continue
        header = {i: c for i, cell in enumerate(cells) for c in COLUMNS if c in cell}
        if header:
            columns = header
            continue
        for doc_type, names in _ALIASES.items():
            if columns and any(
                cell in names or cell.endswith(doc_type) for i, cell in enumerate(cells) if i not in columns
            ):
                found.extend(
                    WrittenFigure(doc_type, col, cells[i], _number(cells[i]), item.body_line + n)
                    for i, col in columns.items()
                    if i < len(cells)
                )
    return found
