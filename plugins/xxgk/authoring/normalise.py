"""The item file a careful person would write, from what the browser form saved.

Decap CMS serialises front matter its own way (block lists, its key order, empty values).
A new item becomes exactly what `xxgk new` writes for the same answers; an edited item keeps
every line of every key whose value did not change, so a reviewer sees only the edited lines.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from xxgk.authoring.attachments import title_of
from xxgk.core.fields import FIELDS
from xxgk.core.options import Options
from xxgk.core.scaffold import ScaffoldError, item_path, item_text, key_lines
from xxgk.core.yamlio import LineDict, YamlError, load_yaml

BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.M)  # the --- lines around the front matter


class NotAnItem(Exception):
    """The saved text has no front matter to normalise; it is left as it is."""


def normalise(saved: str, before: str | None) -> str:
    """`saved` as written by the form; `before` the file's text before the edit (None: new)."""
    meta, body = _parse(saved)
    meta = {k: _typed(k, v) for k, v in ((k, _clean(v)) for k, v in meta.items()) if not _empty(v)}
    if isinstance(meta.get("attachments"), list):
        meta["attachments"] = [_titled(a) for a in meta["attachments"]]
    old = _old(before)
    if old is None:
        return item_text(meta, body if body.strip() else None)
    old_meta, old_text, old_body = old
    blocks = _blocks(old_meta, old_text)
    out: list[str] = []
    for key in _order(list(old_meta), list(meta)):
        if key in old_meta and (
            key not in meta and key not in FIELDS or key in meta and _same(old_meta[key], meta[key])
        ):
            out.append(blocks[key])  # untouched, or a key the form does not know
        elif key in meta:
            out.extend(key_lines({key: meta[key]}))
    kept_body = old_body if body.strip() == old_body.strip() else body
    return "---\n" + "".join(line if line.endswith("\n") else line + "\n" for line in out) + "---\n" + kept_body


def _split(text: str) -> tuple[str, str] | None:
    """(front matter, everything after its closing line, verbatim), or None."""
    first = BOUNDARY.match(text)
    second = BOUNDARY.search(text, first.end()) if first else None
    if first is None or second is None:
        return None
    return text[first.end() + 1 : second.start()], text[second.end() + 1 :]


def _parse(text: str) -> tuple[dict, str]:
    parts = _split(text)
    if parts is None:
        raise NotAnItem("没有元数据头")
    fm, body = parts
    meta = yaml.safe_load(fm) or {}
    if not isinstance(meta, dict):
        raise NotAnItem("元数据头不是映射")
    return meta, body


def front_meta(text: str) -> dict:
    """The front matter as plain YAML values, or {} when the text has none readable."""
    try:
        return _parse(text)[0]
    except (NotAnItem, yaml.YAMLError):
        return {}


def _old(before: str | None):
    parts = _split(before) if before else None
    if parts is None:
        return None
    fm, body = parts
    try:
        meta = load_yaml(fm)
    except YamlError:
        return None  # a broken file is rewritten whole: nothing readable to keep
    return (meta, fm, body) if isinstance(meta, LineDict) else None


def _blocks(meta: LineDict, text: str) -> dict[str, str]:
    """Each top-level key's lines as written (comments and continuation lines included)."""
    lines = text.splitlines(keepends=True)
    starts = sorted((meta.line_of(k) - 1, k) for k in meta)
    ends = [s for s, _ in starts[1:]] + [len(lines)]
    return {k: "".join(lines[s:e]) for (s, k), e in zip(starts, ends)}


def _order(old: list[str], new: list[str]) -> list[str]:
    """The old file's order; a new key goes after the last key that precedes it in FORMAT order."""
    order = list(old)
    rank = {k: i for i, k in enumerate(FIELDS)}
    for key in new:
        if key in order:
            continue
        before = [k for k in order if k in rank and rank[k] < rank.get(key, len(rank))]
        order.insert(order.index(before[-1]) + 1 if before else 0, key)
    return order


def _clean(value):
    """Drop what the form writes for a field left empty (``""``, ``[]``, ``{a: ""}``)."""
    if isinstance(value, dict):
        return {k: v for k, v in ((k, _clean(v)) for k, v in value.items()) if not _empty(v)}
    if isinstance(value, list):
        return [v for v in (_clean(v) for v in value) if not _empty(v)]
    return value


DATE_PARTS = {"abolished": ("date",), "consultation": ("start", "end")}


def _typed(key, value):
    """Dates the form saved as quoted text become dates, so they are written unquoted."""
    if key in FIELDS and FIELDS[key].kind in ("date", "moment"):
        return _date(value)
    if isinstance(value, dict) and key in DATE_PARTS:
        return {k: _date(v) if k in DATE_PARTS[key] else v for k, v in value.items()}
    return value


def _date(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value  # xxgk check names the bad date


def _titled(attachment):
    """An attachment the clerk left untitled is called by its file name (the name uploaded)."""
    if isinstance(attachment, dict) and isinstance(attachment.get("file"), str) and not attachment.get("title"):
        return {"file": attachment["file"], "title": title_of(attachment["file"]), **attachment}
    return attachment


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _same(a, b) -> bool:
    return _plain(a) == _plain(b)


def _plain(value):
    """Values compared as the site reads them: a date and its YYYY-MM-DD text are one value."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not _empty(_clean(v))}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


def new_item_path(opts: Options, text: str) -> str | None:
    """Where `xxgk new` would put this new item (relative to the repository), if its answers say."""
    meta, _ = _parse(text)
    published, publisher, index_no = meta.get("published"), meta.get("publisher"), meta.get("index_no")
    if not (isinstance(published, dt.date) and isinstance(publisher, str) and isinstance(index_no, str)):
        return None
    try:
        return item_path(opts, published, publisher, index_no).relative_to(opts.root).as_posix()
    except ScaffoldError:  # an id that is not one safe path segment: never a path (issue 30)
        return None
