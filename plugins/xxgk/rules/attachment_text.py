"""The text of an attachment, for the privacy scan: plain text files, Word (.docx) and PDF.

Word and PDF text is slow to extract, so it is cached under .cache/ keyed by a
hash of the file's bytes and the extractor version: a changed file is a new key,
so the cache never needs invalidating and can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from xxgk.core import ziplimits

EXTRACTOR_VERSION = "1"
TEXT_TYPES = {"txt", "csv", "md", "htm", "html", "xml", "json"}
OFFICE_TYPES = {"docx": "段", "pdf": "页"}  # unit each extracted text line or page stands for


class Unreadable(Exception):
    """The attachment's text could not be read (damaged, encrypted …)."""


@dataclass
class Extracted:
    text: str
    unit: str  # 行 for text files (real line numbers), 段 / 页 for Word / PDF

    def locate(self, offset: int) -> tuple[int, str]:
        """(line to report, where to look in words) for an offset in the text."""
        if self.unit == "页":
            page = self.text.count("\f", 0, offset) + 1
            return 1, f"第 {page} 页"
        number = self.text.count("\n", 0, offset) + 1
        return (number, f"第 {number} 行") if self.unit == "行" else (1, f"第 {number} 段")


def extract(path: Path, cache_dir: Path, write: bool = True) -> Extracted | None:
    """None for types whose text cannot be read (images, archives, .doc, .xls …). The text of
    Word and PDF files is looked up in cache_dir, and kept there with `write`."""
    ext = path.suffix.lower().lstrip(".")
    if ext in TEXT_TYPES:
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return Extracted(data.decode(encoding), "行")
            except UnicodeDecodeError:
                continue
        raise Unreadable("文字编码无法识别")
    if ext not in OFFICE_TYPES:
        return None
    data = path.read_bytes()
    key = hashlib.sha256(data + EXTRACTOR_VERSION.encode()).hexdigest()
    cached = cache_dir / f"{key}.txt"
    if cached.is_file():
        return Extracted(cached.read_text(encoding="utf-8"), OFFICE_TYPES[ext])
    try:
        if ext == "docx":
            ziplimits.check(path)  # issue 30: a 183 KB bomb cost 38 s and 1.1 GB
        text = _docx_text(path) if ext == "docx" else _pdf_text(path)
    except ziplimits.TooLarge as exc:
        raise Unreadable(str(exc)) from None
    except Exception as exc:  # the libraries raise many kinds for damaged files
        raise Unreadable(type(exc).__name__) from None
    if not write:
        return Extracted(text, OFFICE_TYPES[ext])
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(cached)
    except OSError:
        pass  # a read-only checkout still gets checked, just not cached
    return Extracted(text, OFFICE_TYPES[ext])


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(line.replace("\n", " ") for line in lines)


def _pdf_text(path: Path) -> str:
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported by us, once
    reader = pypdf.PdfReader(str(path))
    return "\f".join((page.extract_text() or "").replace("\f", " ") for page in reader.pages)
