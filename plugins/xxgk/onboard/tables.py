"""Spreadsheets → rows: `.xlsx` (openpyxl) and `.csv` in UTF-8 or GBK, as office software exports them.

The header row is the first of the top ten rows in which two or more cells are known names
(a title row above it is common); row numbers are the sheet's own, as staff see them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xxgk.core import ziplimits
from xxgk.onboard.headers import pick_columns
from xxgk.onboard.mapping import Mapping
from xxgk.onboard.values import cell_text

HEADER_SEARCH_ROWS = 10


class SourceError(Exception):
    """The source cannot be read at all; the message says why and what to do."""


@dataclass
class Row:
    number: int  # the row number in the sheet (1-based)
    values: dict[str, str]  # field → text as written in the source


def read_table(path: Path, mapping: Mapping) -> tuple[Iterator[Row], list[str], int]:
    """(rows, unrecognised headers, header row number)."""
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    head: list[tuple[int, list]] = []
    for number, cells in rows:
        head.append((number, cells))
        texts = [cell_text(c) for c in cells]
        columns, unknown = pick_columns(texts, mapping.columns)
        combined = {c for cols in mapping.combine.values() for c in cols if c in texts}
        if len(columns) + len(combined) >= 2:
            return _rows(rows, texts, columns, mapping), unknown, number
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    raise SourceError(
        "前 10 行中找不到表头（至少两列应为 索引号、标题、发布机构、发布日期 等）；"
        "请确认表头，或在映射文件 columns 中写明各列对应的项"
    )


def _rows(rows, headers: list[str], columns: dict[str, int], mapping: Mapping) -> Iterator[Row]:
    combine = {f: [headers.index(c) for c in cols if c in headers] for f, cols in mapping.combine.items()}
    for number, cells in rows:
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        values = {f: texts[i] for f, i in columns.items() if i < len(texts) and texts[i]}
        for f, idx in combine.items():
            joined = "；".join(texts[i] for i in idx if i < len(texts) and texts[i])
            if joined:
                values[f] = joined
        yield Row(number, values)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook  # here: only spreadsheet imports pay for it

    try:
        ziplimits.check(path)  # issue 30: a 209 KB bomb took 1.5 GB
        book = load_workbook(path, read_only=True, data_only=True)
    except ziplimits.TooLarge as exc:
        raise SourceError(f"{exc}；请用办公软件另存为 Excel 工作簿（.xlsx），或拆分后再导入") from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SourceError(
            f"无法作为 .xlsx 打开（{type(exc).__name__}）；请用办公软件另存为 Excel 工作簿（.xlsx）"
        ) from None
    number = 0
    try:  # read-only sheets are parsed as they are read: a DTD or a broken row fails here
        sheet = book.worksheets[0]  # found by fuzzing: a workbook may list no sheet at all
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except Exception as exc:
        raise SourceError(
            f"第 {number + 1} 行无法读取（{type(exc).__name__}）；请用办公软件另存为 Excel 工作簿（.xlsx）"
        ) from None
    finally:
        book.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads GBK and GB2312 too
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SourceError("既不是 UTF-8 也不是 GBK 编码；请用办公软件另存为 CSV（UTF-8）")
    dialect: type[csv.Dialect] = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        pass
    # numbered as a spreadsheet shows them: a cell with line breaks is still one row
    number = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            yield number, cells
    except csv.Error as exc:  # a cell over csv.field_size_limit (128 KB), a stray NUL …
        raise SourceError(
            f"第 {number + 1} 行无法读取（{exc}）；单元格不能超过 128 KB，正文请放在“正文文件”列指向的文件中"
        ) from None
