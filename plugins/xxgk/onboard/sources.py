"""SOURCE arguments → incoming records: a spreadsheet gives one per row, a saved page one per file,
a folder one per saved page in it. Each record says where it came from (`source:row`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from xxgk.core import limits
from xxgk.onboard.bodies import Body, BodyError, from_files, from_text
from xxgk.onboard.inside import inside
from xxgk.onboard.mapping import Mapping
from xxgk.onboard.record import digest
from xxgk.onboard.saved_pages import read_page
from xxgk.onboard.tables import SourceError, read_table
from xxgk.onboard.values import split_cell

TABLES = (".xlsx", ".csv")
PAGES = (".html", ".htm")


@dataclass
class Incoming:
    shown: str  # the source as the report names it
    line: int  # row of a sheet, 1 for a page
    values: dict[str, str]
    source_hash: str
    body: Callable[[], Body]  # converted only when the item is written
    template: str = ""  # a saved page's CMS family (saved_pages.FAMILIES), for the run's report


@dataclass
class Unreadable:
    shown: str
    line: int
    message: str


def count(paths: list[Path]) -> int:
    """Records to expect, for the progress bar: pages, and rows (about: a sheet's last row)."""
    return sum(len(_pages_in(p)) if p.is_dir() else _rows_in(p) if p.suffix.lower() in TABLES else 1 for p in paths)


def _rows_in(path: Path) -> int:
    try:
        if path.suffix.lower() == ".csv":
            return path.read_bytes().count(b"\n")
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        rows = book.worksheets[0].max_row or 1
        book.close()
        return rows
    except Exception:  # unreadable: the import itself says why
        return 1


def incoming(paths: list[Path], mapping: Mapping) -> Iterator[Incoming | Unreadable | tuple[str, int, list[str]]]:
    """Records; `Unreadable` for what cannot be read; (source, header row, unknown headers) once per sheet."""
    for path in paths:
        shown = path.as_posix()
        if path.is_dir():
            for page in _pages_in(path):
                yield _page(page, mapping.columns, path)  # its files may be anywhere in the folder given
        elif not path.is_file():
            yield Unreadable(shown, 1, "找不到该文件或文件夹")
        elif path.suffix.lower() in TABLES:
            try:
                rows, unknown, header_row = read_table(path, mapping)
                yield shown, header_row, unknown
                for row in rows:
                    yield _row(path, shown, row.number, row.values)
            except SourceError as exc:
                yield Unreadable(shown, 1, str(exc))
        elif path.suffix.lower() in PAGES:
            yield _page(path, mapping.columns, path.parent)
        else:
            yield Unreadable(shown, 1, "只能导入 .xlsx、.csv、保存的网页（.html）或存放网页的文件夹")


def _pages_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGES and p.is_file())


def _row(path: Path, shown: str, number: int, values: dict[str, str]) -> Incoming:
    folder = path.parent
    names = split_cell(values.get("body_file", ""))
    files = b"".join(_bytes(inside(folder, n) or folder / "outside") for n in names)  # from_files refuses those

    def body() -> Body:
        if names:
            found = from_files(names, folder)
            if values.get("body") and found.root is None and not found.markdown:
                text_body = from_text(values["body"])
                text_body.attachments = found.attachments
                return text_body
            return found
        return from_text(values.get("body", ""))

    return Incoming(shown, number, values, digest(json.dumps(values, sort_keys=True, ensure_ascii=False), files), body)


def _bytes(path: Path) -> bytes:
    try:
        return limits.read_regular(path)  # never a FIFO that blocks, never gigabytes
    except limits.LimitError:
        return b"unreadable:" + path.as_posix().encode()


MAX_PAGE_BYTES = 20 * 1024 * 1024  # a saved page; a larger one is not a page of an old site


def _page(path: Path, columns: dict[str, str], source: Path) -> Incoming | Unreadable:
    """A saved page; the files it links are read only inside `source`, the folder given (or the
    page's own folder): a crawl saves pages and attachments in sibling folders (issue 30)."""
    shown = path.as_posix()
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:  # issue 30: bounded work for every parser
            return Unreadable(shown, 1, f"网页超过 {MAX_PAGE_BYTES // 1024 // 1024} MB，不像保存的网页；请检查该文件")
        raw = path.read_bytes()
        page = read_page(path, columns, source)
    except (OSError, ValueError) as exc:
        return Unreadable(shown, 1, f"网页无法读取（{type(exc).__name__}）")
    body = Body(root=page.body, links=page.files, hidden=page.hidden, url=page.url, suspect=page.suspect)
    return Incoming(shown, 1, page.values, digest(raw), lambda: body, page.template)


__all__ = ["BodyError", "Incoming", "Unreadable", "count", "incoming"]
