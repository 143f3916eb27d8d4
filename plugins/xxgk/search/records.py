"""What search knows about an item: its Pagefind record (words, meta, filters, sort)
and which shard it lives in. Pure data from the core; no Pagefind, no MkDocs."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from xxgk.core import lifecycle
from xxgk.core.docno import doc_no_key, normalise
from xxgk.core.fields import POLICY_TYPES
from xxgk.core.lifecycle import encode
from xxgk.core.model import Item
from xxgk.core.site import Site
from xxgk.core.urls import item_url
from xxgk.infra.memo import package_digest
from xxgk.search.text import (
    CITED_DOC_NO,
    INDEX_NO,
    META_MARK,
    OWN_DOC_NO,
    cited_doc_nos,
    index_no_key,
    indexed,
    key_word,
)

UNDATED = "undated"
TEXT = "text"  # not given to Pagefind: stable.normalise puts it in the fragment for excerpts
_LINK_TARGET = re.compile(r"\]\([^)]*\)")  # [text](url): the URL is not text
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # [text](url) and ![alt](src): the text
# Markdown syntax that is not text: heading and quote marks, table rules and pipes (a space),
# emphasis and code ticks (nothing). What is left reads as the page does, punctuation and all.
_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)|^\s*\|?(?:\s*:?-{3,}:?\s*\|?)+\s*$|\|", re.M)
_MARKS = re.compile(r"(?=[*_`])(?:\*\*|__|`+)")  # the lookahead lets the engine skip to a candidate: 4× faster
NOT_TEXT = ("title", "summary", "category", "publisher")  # shown first, or ids rather than text


def year_of(item: Item) -> str:
    return str(item.published.year) if item.published else UNDATED


def strings(value) -> list[str]:
    """Every string inside a front-matter value (lists and mappings included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return []


def searchable_text(site: Site, item: Item) -> tuple[str, str]:
    """(title, summary and body as plain text; the other front-matter texts and the
    publisher's name). Excerpts are cut from the first part only."""
    publisher = site.content.departments.get(item.publisher)
    body = _TAG.sub(" ", _LINK_TARGET.sub("]", item.body))
    rest = strings({k: v for k, v in item.meta.items() if k not in NOT_TEXT})
    return "\n".join([item.title, item.summary, body]), "\n".join(rest + ([publisher.name] if publisher else []))


def excerpt_text(item: Item) -> str:
    """The summary and body as the public reads them (Markdown marks and link targets out,
    punctuation, digits and Latin letters as written): search.js cuts the excerpt from it."""
    # a body without `](`, or without any of * _ `, has nothing for _LINK or _MARKS: asked
    # in C, that costs a hundredth of the expression's scan (issue 35); split() and join
    # make each run of whitespace (str.isspace, as re's \s) one space, none at the ends
    body = item.body
    if "](" in body:
        body = _LINK.sub(r"\1", body)
    body = _MARKUP.sub(" ", _TAG.sub(" ", body))
    if "*" in body or "_" in body or "`" in body:
        body = _MARKS.sub("", body)
    return " ".join(f"{item.summary} {body}".split())


def key_words(item: Item, text: str) -> list[str]:
    """`text` normalised (searchtext.normalise)."""
    keys = [key_word(INDEX_NO, index_no_key(item.index_no))]
    own = doc_no_key(item.doc_no)
    if own:
        keys.append(key_word(OWN_DOC_NO, own))
    keys += sorted(key_word(CITED_DOC_NO, k) for k in cited_doc_nos(text, normalised=True))
    return keys


def ahead_of(site: Site, item: Item) -> list[str]:
    """The status changes after the build, as lifecycle.js reads them (search-page.js shows the one due)."""
    return encode(lifecycle.ahead(site.rel, item), with_first=False)


def record(site: Site, item: Item, nodes: dict) -> dict:
    text, more = (normalise(t) for t in searchable_text(site, item))  # once: the costly part of cutting
    publisher = site.content.departments.get(item.publisher)
    node = nodes.get(item.category)
    status = site.rel.status_of(item).label
    published = item.published.isoformat() if item.published else ""
    return {
        "url": item_url(item.index_no),
        "content": " ".join(
            filter(None, (indexed(text, True), META_MARK, indexed(more, True), *key_words(item, f"{text}\n{more}")))
        ),
        "language": "und",
        "meta": {
            "title": item.title,
            "publisher": publisher.name if publisher else item.publisher,
            "date": published,
            "doc_no": item.doc_no,
            "status": status,
            **({} if item.states_validity else {"no_validity": "1"}),  # a 通知 shows no 有效性 badge
            "index_no": item.index_no,
            **({"ahead": " ".join(changes)} if (changes := ahead_of(site, item)) else {}),
        },
        "filters": {
            k: v
            for k, v in {
                "category": [node.root.name] if node else [],
                "topic": list(item.topics),
                "publisher": [publisher.name] if publisher else [],
                "year": [published[:4]] if published else [],
                "status": [status],
                "doc_type": [item.doc_type],
                "policy": [item.index_no] if item.doc_type in POLICY_TYPES else [],  # 在某日有效 (search-page.js)
            }.items()
            if v
        },
        "sort": {"date": published or "0000-00-00"},
        TEXT: excerpt_text(item),
    }


def _unit(item: Item, width: int) -> str:
    """The item's year (width 4), month (7) or day (10) of publication."""
    return item.published.isoformat()[:width] if item.published else UNDATED


def _runs(items: list[Item], limit: int, width: int = 4) -> list[tuple[list[str], list[Item]]]:
    """Runs of whole units (years, or months of a year too large, or days of such a month),
    oldest first, each of at most `limit` items (a day is never split); items newest first."""
    units: dict[str, list[Item]] = {}
    for item in items:
        units.setdefault(_unit(item, width), []).append(item)
    runs: list[tuple[list[str], list[Item]]] = []
    for unit in sorted(units):
        group = units[unit]
        if len(group) > limit and width < 10 and unit != UNDATED:
            runs += _runs(group, limit, width + 3)
        elif runs and len(runs[-1][0][-1]) == len(unit) and len(runs[-1][1]) + len(group) <= limit:
            runs[-1][0].append(unit)
            runs[-1][1][:0] = group  # newest first
        else:
            runs.append(([unit], list(group)))
    return runs


def shards(site: Site) -> dict[str, list[Item]]:
    """Items by shard, newest first. A shard is a run of whole publication years holding at
    most `search_shard_items` items; a larger year is cut into runs of whole months (a
    month still too large, into days): each shard is indexed in its own Pagefind process,
    so this bounds build memory, and search.js asks the newest shards first, while a full
    count reads part of every shard. Runs are cut from the oldest, so old shards keep their
    items as new ones are published and stay cached. Ids: 2024, 2021-2023, 2025-01~2025-04."""
    out = {}
    for units, items in reversed(_runs(site.rel.items, site.opts.search_shard_items)):
        joiner = "-" if len(units[0]) == 4 else "~"
        out[units[0] if len(units) == 1 else f"{units[0]}{joiner}{units[-1]}"] = items
    return out


def item_keys(site: Site, items: list[Item]) -> list[str]:
    """Per item, a hash of everything its record is made from, computed without making it
    (cutting the words is the costly part): xxgk's code (which reads the item's fields from its
    file and makes the record), the item's file (Item.digest), its publisher's name, category
    root and effective status, and its status changes ahead. By the file's digest, not its
    fields as JSON: encoding 20,000 items' front matter and bodies was 0.7 s of every rebuild."""
    nodes = {n.id: n for n in site.content.catalog.walk()}
    code = package_digest(Path(__file__).parents[1])  # the analysis has read it: not read again
    keys = []
    for item in items:
        publisher = site.content.departments.get(item.publisher)
        node = nodes.get(item.category)
        made_from = item.digest or json.dumps(  # an item read from no file (none in a build) by its fields
            [item.meta, item.body], ensure_ascii=False, sort_keys=True, default=str
        )
        blob = "\0".join(
            [
                code,
                item.src_uri,
                made_from,
                publisher.name if publisher else "",
                node.root.name if node else "",
                site.rel.status_of(item).label,
                " ".join(ahead_of(site, item)),
            ]
        )
        keys.append(hashlib.sha256(blob.encode("utf-8")).hexdigest())
    return keys


def records(
    site: Site, items: list[Item], keys: list[str] | None = None, known: dict[str, dict] | None = None
) -> list[dict]:
    """One shard's records: made shard by shard, so a build holds one shard's words at a time.
    `known` maps item_keys to records made before: a rebuild cuts only the changed items."""
    nodes = {n.id: n for n in site.content.catalog.walk()}
    known = known or {}
    return [
        (key and known.get(key)) or record(site, item, nodes) for key, item in zip(keys or [""] * len(items), items)
    ]
