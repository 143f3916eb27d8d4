"""W233/W234: an annual report's 主动公开 table agrees with the figures the catalog gives."""

from __future__ import annotations

from xxgk.core.model import Problem
from xxgk.core.stats import (
    ABOLISHED,
    CURRENT,
    MADE,
    REPORT_TYPE,
    policies_of,
    policy_table,
    report_year,
    written_figures,
)
from xxgk.rules.base import Context, problem_at


def annual_report_figures(ctx: Context):
    reports = [i for i in ctx.content.items if i.doc_type == REPORT_TYPE and report_year(i)]
    if not reports:
        return
    policies = policies_of(ctx.rel)
    tables: dict[int, dict] = {}
    for item in reports:
        year = report_year(item)
        assert year is not None  # reports are those with a year
        if year not in tables:
            tables[year] = policy_table(policies, year, ctx.rel)
        table = tables[year]
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
            if w.value == computed:
                continue
            shown = f"写的是“{w.text}”" if w.value is None else f"写的是 {w.value}"
            yield Problem(
                item.path,
                w.line,
                "W233",
                f"{year}年度报告中“{w.doc_type} {w.column}”{shown}，按本站目录计算为 {computed}；"
                f"请核对正文表格（运行 xxgk stats --year {year} --explain 查看计入的文件）",
            )


RULES = (annual_report_figures,)
