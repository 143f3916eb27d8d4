"""Tables 二, 三 and 四 of the annual report (core/report_tables.py) as staff paste them into the
report item (Markdown), as tools read them (a plain dict for JSON) and as a sheet for 报送 (.xlsx).
The Markdown is also the layout `written_tables` reads back, so pasting it makes W233 quiet."""

from __future__ import annotations

from pathlib import Path

from xxgk.core.ledger import APPEAL_KINDS
from xxgk.core.report_tables import (
    COLUMNS,
    FEES,
    FIGURES,
    OUTCOME_COLUMNS,
    ROWS,
    Tables,
    row_label,
)
from xxgk.core.stats import COLUMNS as POLICY_COLUMNS

TITLES = {
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
}
NO_LEDGER = "（本站没有依申请公开案件台账，表格三、四无法计算）"


def _shown(value) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else str(value)


def grid(tables: Tables) -> list[tuple[str, list[list[str]]]]:
    """Every table as (title, rows of cells), header first: the one layout all formats share."""
    out: list[tuple[str, list[list[str]]]] = []
    policy = [["信息内容", *POLICY_COLUMNS]] + [
        [t, *(_shown(c) for c in row.values())] for t, row in tables.policies.items()
    ]
    decisions = [["信息内容", "本年处理决定数量"]] + [[f, _shown(tables.figures[f])] for f in FIGURES if f != FEES]
    fees = [["信息内容", "本年收费金额（单位：万元）"], [FEES, _shown(tables.figures[FEES])]]
    out += [
        (TITLES["二"] + "（第二十条第（一）项）", policy),
        ("第二十条第（五）（六）项", decisions),
        ("第二十条第（八）项", fees),
    ]
    if tables.applications is not None and tables.appeals is not None:
        apps = [["项目", *COLUMNS]] + [
            [row_label(r), *(_shown(tables.applications[r][c]) for c in COLUMNS)] for r in ROWS
        ]
        appeals = [["类别", *OUTCOME_COLUMNS]] + [
            [k, *(_shown(tables.appeals[k][c]) for c in OUTCOME_COLUMNS)] for k in APPEAL_KINDS
        ]
        out += [(TITLES["三"], apps), (TITLES["四"], appeals)]
    return out


def markdown(tables: Tables) -> str:
    parts = [f"<!-- xxgk stats --year {tables.year} --format markdown：粘贴到年度报告相应位置 -->"]
    for title, rows in grid(tables):
        parts.append(f"\n**{title}**\n")
        parts.append("| " + " | ".join(rows[0]) + " |")
        parts.append("|" + "---|" * len(rows[0]))
        parts += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    if tables.applications is None:
        parts.append(f"\n{NO_LEDGER}")
    return "\n".join(parts) + "\n"


def as_dict(tables: Tables) -> dict:
    doc: dict = {
        "year": tables.year,
        "主动公开": {"规章和规范性文件": tables.policies, **{f: tables.figures[f] for f in FIGURES}},
    }
    if tables.applications is not None:
        doc["依申请公开"] = {row_label(r): tables.applications[r] for r in ROWS}
        doc["复议诉讼"] = tables.appeals
    return doc


def xlsx(tables: Tables, path: Path) -> None:
    """One sheet per table, numbers as numbers, for the 报送 system."""
    from openpyxl import Workbook  # only this format needs it
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for n, (title, rows) in enumerate(grid(tables), 1):
        sheet = book.create_sheet(f"表{n}")
        sheet.append([f"{tables.year}年 {title}"])
        sheet["A1"].font = Font(bold=True)
        for row in rows:
            sheet.append([_number(c) for c in row])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
        sheet.column_dimensions["A"].width = 48
    book.save(path)


def _number(text: str):
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value
