"""xxgk stats: the annual-report figures and publication statistics of one year."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, date_arg, load_options
from xxgk.core import report_tables, safetext, stats
from xxgk.core.ledger import read_ledger
from xxgk.core.model import Item
from xxgk.core.report_tables import DEFINITIONS as TABLE_DEFINITIONS
from xxgk.core.report_tables import Tables, figures_path, read_figures
from xxgk.output import annual_tables
from xxgk.rules import analyse


def register(sub) -> None:
    p = sub.add_parser("stats", help="年度统计：年报表二、三、四（2021年格式）、各类发布条数、按时公开率")
    add_site_dir(p)
    p.add_argument("--year", type=int, help="统计年度，例如 2024（默认：基准日期的上一年）")
    p.add_argument(
        "--format",
        choices=("table", "json", "csv", "markdown", "xlsx"),
        default="table",
        help="输出格式，默认 table；markdown 为可粘贴进年度报告的表二、三、四，xlsx 为报送用表格（须写 --output）",
    )
    p.add_argument("--output", metavar="FILE", help="--format xlsx 时写入的文件，例如 2025年报表格.xlsx")
    p.add_argument("--explain", action="store_true", help="列出每个数字计入的条目，并说明统计口径")
    p.add_argument("--as-of", type=date_arg, help="基准日期（默认今天，或环境变量 XXGK_AS_OF）")
    p.set_defaults(func=run)


@dataclass
class Figure:
    group: str
    label: str
    value: int | float | str | None
    items: list[Item] = field(default_factory=list)


def figures(ys: stats.YearStats) -> list[Figure]:
    """Every number of the year, each with the items behind it (for --explain)."""
    out = [Figure(t, c, len(ys.table[t][c]), ys.table[t][c]) for t in stats.TABLE_TYPES for c in stats.COLUMNS]
    out += [
        Figure("未计入本年废止件数", f"{t}{c}", len(ys.table[t][c]), ys.table[t][c])
        for t in stats.TABLE_TYPES
        for c in (stats.LAPSED, stats.REVISED)
    ]
    out.append(Figure("主动公开", "本年发布信息条数", len(ys.published), ys.published))
    out += [Figure("按目录分类", name, len(items), items) for name, items in ys.by_node]
    out += [Figure("按发布机构", name, len(items), items) for name, items in ys.by_publisher]
    out += [Figure("按月份", f"{m}月", len(items), items) for m, items in enumerate(ys.by_month, 1)]
    out += [
        Figure("按时公开", "按时公开条数", len(ys.on_time), ys.on_time),
        Figure("按时公开", "超时公开条数", len(ys.late), ys.late),
        Figure("按时公开", "无法判断条数", len(ys.unjudged), ys.unjudged),
        Figure("按时公开", "按时公开率（%）", ys.on_time_rate, ys.late),
        Figure("按时公开", "工作日日历", ys.calendar),
    ]
    out += [
        Figure("按时公开率（%，按发布机构）", name, stats.rate(on, late), late)
        for name, on, late in ys.timeliness_by_publisher
    ]
    return out


def _shown(value) -> str:
    return "—" if value is None else str(value)


def _line(item: Item) -> str:
    return f"{item.index_no}  {item.published.isoformat() if item.published else ''}  {item.title}  ({item.path})"


def as_table(year: int, figs: list[Figure], explain: bool, tables: Tables) -> str:
    lines = [f"{year}年 政府信息公开统计（据本站目录计算）"]
    group = None
    for f in figs:
        if f.group != group:
            group = f.group
            lines.append(f"\n{group}")
        lines.append(f"  {f.label}：{_shown(f.value)}")
        if explain:
            lines.extend(f"      {_line(i)}" for i in f.items)
    for title, rows in annual_tables.grid(tables):
        lines.append(f"\n{title}")
        lines += ["  " + "  ".join(r) for r in rows]
        if explain and rows[0][0] == "项目":  # table 三: which cases each row counts
            lines += [
                f"      {key}：{'、'.join(numbers)}" for key, numbers in tables.counted.items() if key.endswith("/总计")
            ]
    if tables.applications is None:
        lines.append(f"\n{annual_tables.NO_LEDGER}")
    if explain:
        lines += ["", "统计口径（“按时公开率”下列出的是超时条目）："] + [f"  - {d}" for d in stats.DEFINITIONS]
        lines += [f"  - {d}" for d in TABLE_DEFINITIONS]
    return "\n".join(lines) + "\n"


def as_json(year: int, figs: list[Figure], explain: bool, tables: Tables) -> str:
    doc: dict = {"year": year, "年报表格": annual_tables.as_dict(tables)}
    for f in figs:
        doc.setdefault(f.group, {})[f.label] = f.value
    if explain:
        doc["明细"] = {}
        for f in figs:
            doc["明细"].setdefault(f.group, {})[f.label] = [i.index_no for i in f.items]
        doc["统计口径"] = list(stats.DEFINITIONS)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def as_csv(year: int, figs: list[Figure], explain: bool, tables: Tables) -> str:
    out = io.StringIO()
    w = safetext.SafeCsv(out)  # issue 30: formula-safe cells
    w.writerow(["年度", "分组", "项目", "数值", *(["条目索引号"] if explain else [])])
    for f in figs:
        w.writerow(
            [
                year,
                f.group,
                f.label,
                _shown(f.value).replace("—", ""),
                *([";".join(i.index_no for i in f.items)] if explain else []),
            ]
        )
    return out.getvalue()


def as_markdown(year: int, figs: list[Figure], explain: bool, tables: Tables) -> str:
    return annual_tables.markdown(tables)


FORMATS = {"table": as_table, "json": as_json, "csv": as_csv, "markdown": as_markdown}


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    year = args.year if args.year is not None else opts.as_of_date().year - 1
    if not 1900 <= year <= 9999:
        print(f"xxgk: 用法错误：--year {year} 不是有效的年份，请写四位年份，例如 --year 2024", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "xlsx" and not args.output:
        print("xxgk: 用法错误：--format xlsx 须用 --output 指定文件，例如 --output 年报表格.xlsx", file=sys.stderr)
        return EXIT_USAGE
    site = analyse(opts)
    if site.errors:
        for problem in site.errors:
            print(problem, file=sys.stderr)
        print(
            f"内容有 {len(site.errors)} 个错误，统计数字会不准确；请先按提示修正（xxgk check 可查看全部问题）",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    ys = stats.compute(site.content, site.rel, [year])[year]
    ledger = read_ledger(opts)
    tables = report_tables.compute(year, site.rel, read_figures(*figures_path(opts), []), ledger)
    if args.format == "xlsx":
        annual_tables.xlsx(tables, Path(args.output))
        print(args.output)
    else:
        sys.stdout.write(FORMATS[args.format](year, figures(ys), args.explain, tables))
    if year >= site.rel.as_of.year:
        print(
            f"注意：{year}年尚未结束（基准日期 {site.rel.as_of.isoformat()}），数字只反映目前已公开的条目",
            file=sys.stderr,
        )
    return EXIT_OK
