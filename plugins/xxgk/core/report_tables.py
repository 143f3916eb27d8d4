"""Tables 二, 三 and 四 of the annual report (国办公开办函〔2021〕30号), computed and read back.

- 二: 第二十条第（一）项 (规章, 行政规范性文件: core/stats.py counts them from the items), and
  第（五）（六）（八）项 from the yearly figures file catalog/annual_figures.yml (许可, 处罚, 强制
  decisions; 行政事业性收费 in 万元), which no item holds.
- 三: from the case ledger. 本年新收: received in the year; 上年结转: received before it and not
  answered before 1 January; results: answered in the year, by `result`; 结转下年度: received by
  31 December and not answered by then. So 一 + 二 = 三（七）+ 四 holds by construction.
- 四: from the ledger's appeals filed in the year; one decided by 31 December counts under its
  outcome, any other as 尚未审结.
`written_tables` reads the same tables back from a report's Markdown, row by row, so the rule
can compare them cell by cell, and `arithmetic` checks a report's own sums with no ledger at all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.core import stats
from xxgk.core.ledger import APPEAL_KINDS, APPLICANTS, OUTCOMES, RESULT_GROUPS, RESULTS, Ledger
from xxgk.core.model import Item, Problem
from xxgk.core.options import Options
from xxgk.core.relate import Relations
from xxgk.core.yamlio import LineDict, read_yaml_file

FIGURES_FILE = "annual_figures.yml"  # in the catalog directory
FIGURES = ("行政许可", "行政处罚", "行政强制", "行政事业性收费")
FIGURE_UNITS = {"行政许可": "本年处理决定数量", "行政处罚": "本年处理决定数量", "行政强制": "本年处理决定数量"}
FEES = "行政事业性收费"  # 本年收费金额（单位：万元）

DEFINITIONS = (
    "表二 行政许可、行政处罚、行政强制、行政事业性收费：取自 catalog/annual_figures.yml 中该年的数字（目录条目不含这些数字）。",
    "表三 本年新收：收到日期在本年内的申请；上年结转：本年之前收到、1月1日尚未答复的申请；"
    "办理结果：答复日期在本年内的申请，按答复结果计；结转下年度：12月31日前收到、当日尚未答复的申请。"
    "因此“一 + 二 = 三（七）+ 四”逐列成立。",
    "表四：申请复议或起诉日期在本年内的案件；12月31日前审结的按结果计入，其余计入“尚未审结”。",
)

TOTAL = "总计"
COLUMNS = (*APPLICANTS, TOTAL)  # table 三
NEW, CARRIED, DONE, NEXT = "本年新收", "上年结转", "办理结果总计", "结转下年度"
ROWS = (NEW, CARRIED, *RESULTS, DONE, NEXT)  # table 三's 25 rows
NUMERALS = "一二三四五六七八九"
TITLES_SHORT = {"三": "收到和处理政府信息公开申请情况", "四": "政府信息公开行政复议、行政诉讼情况"}
OUTCOME_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", TOTAL)  # table 四, per kind


def row_label(row: str) -> str:
    """Table 三's row as the template words it (numbered, so a reader finds it)."""
    if row == NEW:
        return "一、本年新收政府信息公开申请数量"
    if row == CARRIED:
        return "二、上年结转政府信息公开申请数量"
    if row == DONE:
        return "三、本年度办理结果（七）总计"
    if row == NEXT:
        return "四、结转下年度继续办理"
    group, _, reason = row.partition("/")
    g = next(n for n, (name, _r) in enumerate(RESULT_GROUPS) if name == group)
    head = f"三、本年度办理结果（{NUMERALS[g]}）{group}" if g == 0 else f"（{NUMERALS[g]}）{group}"
    if not reason:
        return head
    n = RESULT_GROUPS[g][1].index(reason)
    return f"{head} {n + 1}.{reason}" if n == 0 else f"{n + 1}.{reason}"


@dataclass
class Tables:
    year: int
    policies: dict[str, dict[str, int]]  # doc_type -> column -> count (table 二, first part)
    figures: dict[str, float | int | None]  # FIGURES -> value (None: the figures file has no number)
    applications: dict[str, dict[str, int]] | None = None  # row -> column -> count; None without a ledger
    appeals: dict[str, dict[str, int]] | None = None  # kind -> OUTCOME_COLUMNS -> count
    counted: dict[str, list[str]] = field(default_factory=dict)  # "row/column" -> case numbers (--explain)


def empty_applications() -> dict[str, dict[str, int]]:
    return {r: dict.fromkeys(COLUMNS, 0) for r in ROWS}


def application_table(ledger: Ledger, year: int, counted: dict[str, list[str]] | None = None):
    """Table 三 and 四 of `year` from the ledger."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = empty_applications()
    appeals = {k: dict.fromkeys(OUTCOME_COLUMNS, 0) for k in APPEAL_KINDS}

    def add(row: str, col: str, number: str) -> None:
        for c in (col, TOTAL):
            table[row][c] += 1
            if counted is not None:
                counted.setdefault(f"{row}/{c}", []).append(number)

    for case in ledger.cases:
        if case.received > end:
            continue
        answer = case.answer
        if case.received >= start:
            add(NEW, case.applicant, case.number)
        elif answer is None or answer.date >= start:
            add(CARRIED, case.applicant, case.number)
        else:
            continue  # finished before the year
        if answer is not None and answer.date <= end:
            add(answer.result, case.applicant, case.number)
            add(DONE, case.applicant, case.number)
        else:
            add(NEXT, case.applicant, case.number)
        for a in case.appeals:
            if start <= a.filed <= end:
                decided = a.decided is not None and a.decided <= end
                column = OUTCOME_COLUMNS[OUTCOMES.index(a.outcome)] if decided else "尚未审结"
                appeals[a.kind][column] += 1
                appeals[a.kind][TOTAL] += 1
    return table, appeals


# ------------------------------------------------------------------- the yearly figures file


def read_figures(path: Path, shown: str, problems: list[Problem]) -> dict[int, dict[str, float | int]]:
    """catalog/annual_figures.yml: `2025: {行政许可: 4619, 行政处罚: 764, 行政强制: 29, 行政事业性收费: 1203.7}`."""
    if not path.exists():
        return {}
    readable, data = read_yaml_file(path, shown, problems, "E407")
    if not readable or data is None:
        return {}
    if not isinstance(data, LineDict):
        problems.append(Problem(shown, 1, "E407", "应为“年份: {行政许可: 数量, …}”的映射"))
        return {}
    out: dict[int, dict[str, float | int]] = {}
    for year, values in data.items():
        line = data.line_of(year)
        if not isinstance(year, int) or not isinstance(values, LineDict):
            problems.append(Problem(shown, line, "E407", f"“{year}”应为四位年份，其下写 {'、'.join(FIGURES)} 的数字"))
            continue
        row: dict[str, float | int] = {}
        for key, value in values.items():
            kline = values.line_of(key)
            if isinstance(value, str) and _AMOUNT.fullmatch(value):  # yamlio keeps a decimal as written
                value = float(value)
            if key not in FIGURES:
                problems.append(Problem(shown, kline, "E407", f"没有“{key}”这一项；可写：{'、'.join(FIGURES)}"))
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                unit = "万元，可有小数" if key == FEES else "件数，整数"
                problems.append(Problem(shown, kline, "E407", f"{key} 应为非负数字（{unit}）"))
            elif key != FEES and not isinstance(value, int):
                problems.append(Problem(shown, kline, "E407", f"{key} 是处理决定的件数，应为整数"))
            else:
                row[key] = value
        out[year] = row
    return out


_AMOUNT = re.compile(r"\d+\.\d+")  # 1286.4 (万元): core/yamlio reads every non-integer number as its text


# ------------------------------------------------------------------- reading a report's tables


@dataclass
class Cell:
    table: str  # 二, 三 or 四
    row: str  # a row key: a doc type or FIGURES label (二), ROWS (三), APPEAL_KINDS (四)
    column: str
    text: str
    value: float | None
    line: int


@dataclass
class Written:
    figures: list[Cell] = field(default_factory=list)  # table 二's 第（五）（六）（八）项
    applications: list[Cell] = field(default_factory=list)
    appeals: list[Cell] = field(default_factory=list)
    unknown: list[tuple[str, str, int]] = field(default_factory=list)  # (table, label, line) of rows not read


def _value(text: str) -> float | None:
    digits = text.replace(",", "").removesuffix("件").removesuffix("万元")
    try:
        return float(digits) if digits else None
    except ValueError:
        return None


_GROUP = re.compile(r"\((" + "|".join(NUMERALS) + r")\)(" + "|".join(g for g, _ in RESULT_GROUPS) + "|总计)")
_REASON = re.compile(r"(?:^|[^0-9])([1-9])[.、．]")


def _row_of(label: str, group: str) -> tuple[str | None, str]:
    """Table 三's row key for a label, and the result group in force after it."""
    if "本年新收" in label:
        return NEW, group
    if "上年结转" in label:
        return CARRIED, group
    if "结转下年" in label:
        return NEXT, group
    m = _GROUP.search(label)
    if m:
        group = m.group(2)
    reason = _REASON.search(label[m.end() :] if m else label)
    if group == TOTAL:
        return DONE, group
    reasons = dict(RESULT_GROUPS).get(group, ())
    if reason and reasons and int(reason.group(1)) <= len(reasons):
        return f"{group}/{reasons[int(reason.group(1)) - 1]}", group
    if m and not reasons:
        return group, group
    return None, group


def _appeal_kind(label: str) -> str | None:
    if "复议后" in label:
        return APPEAL_KINDS[2]
    if "未经复议" in label or "直接起诉" in label:
        return APPEAL_KINDS[1]
    if "复议" in label and "诉讼" not in label:
        return APPEAL_KINDS[0]
    return None


def written_tables(item: Item) -> Written:
    """Every table cell of 二（五）（六）（八）, 三 and 四 in the body, by the header each table carries:
    applicant columns for 三, outcome columns for 四, and a label cell naming 许可/处罚/强制/收费."""
    out = Written()
    header: dict[int, str] = {}
    kind = ""
    group = ""
    for n, line in enumerate(item.body.splitlines()):
        cells = stats.table_cells(line)
        line_no = item.body_line + n
        if cells is None:
            header, kind, group = {}, "", ""
            continue
        if all(set(c) <= set("-:") for c in cells):
            continue
        apps = {i: c for i, cell in enumerate(cells) for c in COLUMNS if cell == c or cell.startswith(c + "(")}
        outs = {i: c for i, cell in enumerate(cells) for c in OUTCOME_COLUMNS if cell == c}
        if len(apps) >= 3 and not header:
            header, kind = apps, "三"
            continue
        if len(outs) >= 3 and not header:
            header, kind = outs, "四"
            continue
        label = cells[0] if cells else ""
        if kind == "三":
            row, group = _row_of(label, group)
            if row:
                out.applications += [
                    Cell("三", row, col, cells[i], _value(cells[i]), line_no)
                    for i, col in header.items()
                    if i < len(cells)
                ]
            elif any(_value(cells[i]) is not None for i in header if i < len(cells)):
                out.unknown.append(("三", label, line_no))  # figures under a label the template has not
        elif kind == "四":
            k = _appeal_kind(label)
            if k:
                out.appeals += [
                    Cell("四", k, col, cells[i], _value(cells[i]), line_no)
                    for i, col in header.items()
                    if i < len(cells)
                ]
            else:
                out.unknown.append(("四", label, line_no))
        else:
            name = next((f for f in FIGURES if label.endswith(f) or label == f), None)
            if name and len(cells) >= 2:
                out.figures.append(Cell("二", name, "", cells[-1], _value(cells[-1]), line_no))
    return out


def arithmetic(written: Written) -> list[tuple[Cell, str]]:
    """A report's own sums that do not add up, each with the cell to point at and what it should be."""
    wrong: list[tuple[Cell, str]] = []
    grid: dict[tuple[str, str], Cell] = {(c.row, c.column): c for c in written.applications}

    def v(row: str, col: str) -> float | None:
        cell = grid.get((row, col))
        return cell.value if cell else None

    rows_seen = {c.row for c in written.applications}
    for row in ROWS:
        if row not in rows_seen:
            continue
        parts = [v(row, c) for c in APPLICANTS]
        total = v(row, TOTAL)
        if total is not None and None not in parts and sum(p or 0 for p in parts) != total:
            wrong.append((grid[(row, TOTAL)], f"各类申请人之和为 {number_text(sum(p or 0 for p in parts))}"))
    if set(RESULTS) <= rows_seen and DONE in rows_seen:
        for col in COLUMNS:
            parts = [v(r, col) for r in RESULTS]
            done = v(DONE, col)
            if done is not None and None not in parts and sum(p or 0 for p in parts) != done:
                wrong.append((grid[(DONE, col)], f"（一）至（六）各项之和为 {number_text(sum(p or 0 for p in parts))}"))
    if {NEW, CARRIED, DONE, NEXT} <= rows_seen:
        for col in COLUMNS:
            a, b, c, d = v(NEW, col), v(CARRIED, col), v(DONE, col), v(NEXT, col)
            if None not in (a, b, c, d) and (a or 0) + (b or 0) != (c or 0) + (d or 0):
                wrong.append(
                    (
                        grid[(NEXT, col)],
                        f"一 + 二 = {number_text((a or 0) + (b or 0))}，三（七）+ 四 = {number_text((c or 0) + (d or 0))}，两者应相等",
                    )
                )
    by_kind: dict[str, dict[str, Cell]] = {}
    for cell in written.appeals:
        by_kind.setdefault(cell.row, {})[cell.column] = cell
    for cells in by_kind.values():
        parts = [cells[c].value if c in cells else None for c in OUTCOME_COLUMNS[:4]]
        total_cell = cells.get(TOTAL)
        if (
            total_cell
            and total_cell.value is not None
            and None not in parts
            and sum(p or 0 for p in parts) != total_cell.value
        ):
            wrong.append(
                (total_cell, f"结果维持、结果纠正、其他结果、尚未审结之和为 {number_text(sum(p or 0 for p in parts))}")
            )
    return wrong


def number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def figures_path(opts: Options) -> tuple[Path, str]:
    return opts.catalog_path / FIGURES_FILE, f"{opts.catalog_dir}/{FIGURES_FILE}"


def compute(
    year: int,
    rel: Relations,
    figures: dict[int, dict[str, float | int]],
    ledger: Ledger | None,
) -> Tables:
    """The three tables of `year`; 三 and 四 only where the site keeps a ledger."""
    counted = stats.policy_table(rel, year)
    policies = {t: {c: len(counted[t][c]) for c in stats.COLUMNS} for t in stats.TABLE_TYPES}
    shown = figures.get(year, {})
    tables = Tables(year, policies, {f: shown.get(f) for f in FIGURES})
    if ledger is not None and ledger.cases:
        tables.applications, tables.appeals = application_table(ledger, year, tables.counted)
    return tables
