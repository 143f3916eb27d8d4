"""W233/W234: an annual report's tables agree with what the site computes — table 二 with the
catalog and catalog/annual_figures.yml, tables 三 and 四 with the case ledger — cell by cell;
W442: the report's own sums hold (row totals, （七）总计, 一 + 二 = 三（七）+ 四), ledger or not;
W443: a site with a ledger whose report has no table 三 or 四; W444: a report published after its
deadline, or last year's missing once the deadline has passed."""

from __future__ import annotations

import datetime as dt

from xxgk.core import report_tables as rt
from xxgk.core.model import Item, Problem
from xxgk.core.options import REPORT_DUE
from xxgk.core.stats import (
    ABOLISHED,
    CURRENT,
    MADE,
    REPORT_TYPE,
    WrittenFigure,
    policy_table,
    report_year,
    written_figures,
)
from xxgk.rules.base import Context, problem_at


def annual_report_figures(ctx: Context):
    reports = [i for i in ctx.content.items if i.doc_type == REPORT_TYPE and report_year(i)]
    if not reports:
        return
    for item in reports:
        year = report_year(item)
        assert year is not None  # reports are those with a year
        table = policy_table(ctx.rel, year)
        written = written_figures(item)
        if not written:
            yield problem_at(
                item,
                "doc_type",
                "W234",
                f"年度报告正文中没有找到“主动公开政府信息情况”表格（含{MADE}、{ABOLISHED}、{CURRENT}三列，"
                f"规章、行政规范性文件两行）；可运行 xxgk stats --year {year} 取得本站计算的数字",
            )
        for w in written:
            computed = len(table[w.doc_type][w.column])
            if w.value != computed:
                yield _differs(item, year, f"“{w.doc_type} {w.column}”", w, computed, "本站目录", _EXPLAIN)


def _cell_name(cell: rt.Cell) -> str:
    if cell.table == "二":
        return cell.row
    label = rt.row_label(cell.row) if cell.table == "三" else cell.row
    return f"表{cell.table}“{label}”行“{cell.column}”列"


_EXPLAIN = "--explain 查看计入的文件"
_TABLES = "--format markdown 取得计算的表格"


def _differs(
    item: Item, year: int, name: str, cell: rt.Cell | WrittenFigure, computed, source: str, see: str
) -> Problem:
    """W233, for every table: the report's cell `name` differs from what `source` gives."""
    shown = f"写的是“{cell.text}”" if cell.value is None else f"写的是 {rt.number_text(cell.value)}"
    return Problem(
        item.path,
        cell.line,
        "W233",
        f"{year}年度报告中{name}{shown}，按{source}计算为 {rt.number_text(computed)}；"
        f"请核对正文表格（运行 xxgk stats --year {year} {see}）",
    )


def annual_report_tables(ctx: Context):
    """Tables 二（五）（六）（八）, 三 and 四 of every annual report, cell by cell and by their sums."""
    reports = [i for i in ctx.content.items if i.doc_type == REPORT_TYPE and report_year(i)]
    figures, figure_problems = ctx.figures
    yield from figure_problems
    if not reports:
        return
    ledger = ctx.ledger if ctx.ledger.cases else None
    for item in reports:
        year = report_year(item)
        assert year is not None
        tables = rt.compute(year, ctx.rel, figures, ledger)
        written = rt.written_tables(item)
        for cell in written.figures:
            value = tables.figures.get(cell.row)
            if value is not None and cell.value != value:
                yield _differs(
                    item, year, _cell_name(cell), cell, value, f"{ctx.opts.catalog_dir}/{rt.FIGURES_FILE}", _TABLES
                )
        for table, label, line in written.unknown:
            yield Problem(
                item.path,
                line,
                "W443",
                f"{year}年度报告表{table}中“{label}”这一行无法对应到模板的行，未核对；"
                + (
                    "表四请分三行写：行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）"
                    if table == "四"
                    else "请按模板的行名书写"
                )
                + f"（xxgk stats --year {year} --format markdown 给出模板表格）",
            )
        for cell, should in rt.arithmetic(written):
            yield Problem(
                item.path,
                cell.line,
                "W442",
                f"{year}年度报告中{_cell_name(cell)}写的是 {cell.text}，但{should}；请逐格核对表格",
            )
        if tables.applications is None or tables.appeals is None:
            continue
        source = f"依申请公开台账 {ctx.ledger.folder}/"
        for table, cells, computed in (
            ("三", written.applications, tables.applications),
            ("四", written.appeals, tables.appeals),
        ):
            if not cells:
                yield problem_at(
                    item,
                    "doc_type",
                    "W443",
                    f"{year}年度报告正文中没有找到表{table}（{rt.TITLES_SHORT[table]}）；"
                    f"运行 xxgk stats --year {year} --format markdown 取得按台账计算的表格，粘贴到报告中",
                )
            for cell in cells:
                value = computed[cell.row][cell.column]
                if cell.value != value:
                    yield _differs(item, year, _cell_name(cell), cell, value, source, _TABLES)


def report_deadline(ctx: Context):
    """条例第四十九条: a department publishes the year's report by 31 January, the 本级政府's
    summary by 31 March (option report_level). A site that publishes reports is also told when
    last year's is due and missing."""
    reports = [i for i in ctx.content.items if i.doc_type == REPORT_TYPE and report_year(i)]
    if not reports:
        return
    month, day = REPORT_DUE[ctx.opts.report_level]
    who = f"{ctx.opts.report_level}的年度报告应在次年{month}月{day}日前公布（条例第四十九条）"
    for item in reports:
        year = report_year(item)
        assert year is not None
        due = dt.date(year + 1, month, day)
        if item.published and item.published > due:
            yield problem_at(
                item,
                "published",
                "W444",
                f"{year}年度报告发布于 {item.published.isoformat()}，晚于 {due.isoformat()}：{who}；"
                "确属补发的，请在报告中说明原因",
            )
    last = ctx.rel.as_of.year - 1
    due = dt.date(last + 1, month, day)
    if ctx.rel.as_of > due and all(report_year(i) != last for i in reports):
        newest = max(reports, key=lambda i: (report_year(i) or 0, i.path))
        yield problem_at(
            newest,
            "doc_type",
            "W444",
            f"还没有{last}年度报告：{who}，期限 {due.isoformat()} 已过；请尽快发布（本条目是最近一份，{report_year(newest)}年度）",
        )


RULES = (annual_report_figures, annual_report_tables, report_deadline)
