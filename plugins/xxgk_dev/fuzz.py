"""Coverage-guided fuzzing (atheris, libFuzzer) of what parses untrusted input:

  frontmatter  an item file's text → front matter, YAML, typed fields (core/load, yamlio)
  body         a Markdown body → bounds, allow-list findings, rendering with our extensions, nh3, privacy
  page         a saved web page → the importer's page reader (onboard/saved_pages)
  table        a CSV or XLSX file → the importer's spreadsheet reader (onboard/tables)
  member       a member's JSON → limits, descriptor schema, search-manifest shape (portal/read)

Each input either passes or fails with the error the code documents for bad input (a
Problem, YamlError, SourceError, MemberError, LimitError …); anything else is a finding
and atheris stops with the input saved as crash-<hash>.

    PYTHONPATH=plugins .venv/bin/python -m xxgk_dev.fuzz body -runs=20000 -max_total_time=600

Seeds: the test fixtures, and ../shared/realpages/ when present (never copied here).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "realpages"

with atheris.instrument_imports(include=["xxgk"]):
    import markdown

    from xxgk.core import limits
    from xxgk.core.load import _fill_fields, split_front_matter
    from xxgk.core.model import Item
    from xxgk.core.yamlio import LineDict, YamlError, load_yaml
    from xxgk.onboard.mapping import read_mapping
    from xxgk.onboard.saved_pages import read_page
    from xxgk.onboard.tables import SourceError, read_table
    from xxgk.portal import read as member_read
    from xxgk.rules import bounds, markup, privacy
    from xxgk.rules.seen import reader_text

_TMP = Path(tempfile.mkdtemp(prefix="xxgk-fuzz-"))
_MD = markdown.Markdown(extensions=["tables", "attr_list", "toc", "xxgk.adapter.mdlinear"])
_MAPPING = read_mapping(None)[0]


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def frontmatter(data: bytes) -> None:
    parts = split_front_matter(_text(data))
    if parts is None:
        return
    fm, first, body, body_line = parts
    try:
        meta = load_yaml(fm, first)
    except YamlError:
        return
    if isinstance(meta, LineDict):
        item = Item(path="x.md", src_uri="x.md", body=body, body_line=body_line, meta=dict(meta), lines={})
        _fill_fields(item, meta, [])


def body(data: bytes) -> None:
    text = _text(data)
    item = Item(path="x.md", src_uri="x.md", body=text, body_line=1, meta={}, lines={})
    markup.findings(text)
    privacy.scan(reader_text(text)[0])
    if bounds.body_problems(item):
        return  # refused before rendering: the build never renders it
    _MD.reset()
    markup.clean(_MD.convert(text))


def page(data: bytes) -> None:
    path = _TMP / "page.html"
    path.write_bytes(data)
    try:
        read_page(path)
    except ValueError:  # the documented "not a page" (sources.py reports it)
        return


def _table(data: bytes, suffix: str) -> None:
    path = _TMP / f"table{suffix}"
    path.write_bytes(data)
    try:
        rows, _, _ = read_table(path, _MAPPING)
        for _ in rows:
            pass
    except SourceError:
        return


def table(data: bytes) -> None:
    _table(data[1:], ".xlsx" if data[:1] == b"x" else ".csv")


def member(data: bytes) -> None:
    try:
        doc = limits.loads_json(data)
        member_read.check_descriptor(doc)
    except (limits.LimitError, member_read.MemberError):
        pass
    try:
        doc = limits.loads_json(data)
    except limits.LimitError:
        return
    if isinstance(doc, dict) and isinstance(doc.get("shards"), list):
        [member_read._shard_ok(s) for s in doc["shards"]]


# Seeds written here, in our own words, for shapes no fixture file holds.
BUILT_IN = {
    "member": (
        b'{"format": 3, "agency": "\u6d4b\u8bd5", "items": 0, "catalog": [], "annual": [], "search": null}',
        b'{"shards": [{"id": "2024", "count": 3, "years": ["2024"], "first": "2024-01-02", "last": "2024-05-06",'
        b' "tag": "0a1b2c", "meta": "pagefind.zh_1a2b.pf_meta"}]}',
    ),
    "table": ('c索引号,标题,发布机构,发布日期\nX/2024-00001,"标题，含逗号",办公室,2024-01-02\n'.encode(),),
}

TARGETS = {"frontmatter": frontmatter, "body": body, "page": page, "table": table, "member": member}


def _workbook() -> bytes:
    """A small .xlsx in the shape of an old system's export, as a seed."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["索引号", "标题", "发布机构", "发布日期", "正文"])
    book.active.append(["X/2024-00001", "关于某事的通知", "办公室", "2024-01-02", "正文<b>一</b>"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seeds(target: str) -> list[Path]:
    """Seed files for a target: fixtures here, real pages beside the repository."""
    fixtures = ROOT / "tests" / "fixtures"
    found: list[Path] = []
    if target in ("frontmatter", "body"):
        found += sorted((fixtures / "mini" / "content").rglob("*.md")) + sorted((ROOT / "content").rglob("*.md"))[:40]
    elif target == "page":
        found += sorted((SHARED / "pages").rglob("*.html"))
    elif target == "table":
        found += sorted((SHARED / "csv").glob("*.csv"))
    elif target == "member":
        found += sorted((fixtures / "portal").rglob("*.json"))
    return [p for p in found if p.is_file() and p.stat().st_size < 1_000_000]


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: python -m xxgk_dev.fuzz {{{'|'.join(TARGETS)}}} [libFuzzer options] [corpus dir]")
    target = argv[1]
    corpus = _TMP / f"corpus-{target}"
    corpus.mkdir()
    for n, seed in enumerate(seeds(target)):
        data = seed.read_bytes()
        (corpus / f"seed-{n}").write_bytes((b"c" + data) if target == "table" else data)
    for n, data in enumerate(BUILT_IN.get(target, ())):
        (corpus / f"built-in-{n}").write_bytes(data)
    if target == "table":
        (corpus / "built-in-xlsx").write_bytes(b"x" + _workbook())
    extra = [a for a in argv[2:]]
    atheris.Setup([argv[0], *extra, str(corpus)], TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
