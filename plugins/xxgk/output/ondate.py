"""在某日有效: the 规章 and 行政规范性文件 of the site with every status each ever has, as
compact JSON the date page (assets/xxgk/ondate.js) and the search page's 在某日有效 filter
read. Statuses are the steps the core's one rule gives (core/lifecycle), with labels as
numbers into `labels`; names are numbers into their lists. Each document is a row of the
named `columns` (Row; the browser reads them by name, assets/xxgk/lifecycle.js). Titles and
文号, two thirds of the bytes, are a second file in the same order (rows of `text_columns`),
which the search filter never loads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from xxgk.core.fields import POLICY_TYPES
from xxgk.core.lifecycle import encode
from xxgk.core.site import Site
from xxgk.core.status import KINDS, LABELS
from xxgk.core.urls import ROUTES, item_url
from xxgk.output.pagedata import OndateData

PAGE, DATA, TEXTS = ROUTES["ondate"], ROUTES["ondate_data"], ROUTES["ondate_texts"]


class Row(NamedTuple):
    """One document of DATA (written as a list: the names are in `columns`)."""

    index_no: str
    published: str  # ISO date, "" if not written
    publisher: int  # into `publishers`
    doc_type: int  # into `doc_types`
    topics: list[int]  # into `topics`
    steps: list  # lifecycle.encode, labels as numbers into `labels`
    chain: int  # into `chains`, -1: a single version


class TextRow(NamedTuple):
    """One document of TEXTS, in DATA's order."""

    title: str
    doc_no: str


def policies(site: Site) -> list:
    return [i for i in site.rel.items if i.doc_type in POLICY_TYPES]


def facets(site: Site) -> dict[str, list[str]]:
    """The names the page's filters offer, in the order the data numbers them."""
    items = policies(site)
    used = {i.publisher for i in items}
    publishers = [d.id for d in site.content.departments.values() if d.id in used]
    publishers += sorted(used - set(publishers))
    used_topics = {t for i in items for t in i.topics}
    topics = [t for t in site.content.topics if t in used_topics] + sorted(used_topics - set(site.content.topics))
    return {
        "publisher": publishers,
        "publisher_name": [
            site.content.departments[p].name if p in site.content.departments else p for p in publishers
        ],
        "doc_type": list(POLICY_TYPES),
        "topic": topics,
    }


def data(site: Site) -> dict:
    items, f = policies(site), facets(site)
    pos = {i.index_no: n for n, i in enumerate(items)}
    chains: list[list[int]] = []
    chain_of: dict[str, int] = {}
    for item in items:
        versions = [pos[v.index_no] for v in site.rel.versions.get(item.index_no, []) if v.index_no in pos]
        if len(versions) > 1 and item.index_no not in chain_of:
            for v in versions:
                chain_of[items[v].index_no] = len(chains)
            chains.append(versions)
    publisher = {p: n for n, p in enumerate(f["publisher"])}
    topic = {t: n for n, t in enumerate(f["topic"])}
    label = {name: n for n, name in enumerate(LABELS)}
    docs = []
    for item in items:
        steps = encode(site.rel.steps_of(item))
        docs.append(
            Row(
                item.index_no,
                item.published.isoformat() if item.published else "",
                publisher[item.publisher],
                POLICY_TYPES.index(item.doc_type),
                [topic[t] for t in item.topics],
                [label[s] if n % 2 == 0 else s for n, s in enumerate(steps)],
                chain_of.get(item.index_no, -1),
            )
        )
    return {
        "as_of": site.rel.as_of.isoformat(),
        "item_url": item_url("{}"),
        "labels": list(LABELS),
        "publishers": f["publisher_name"],
        "doc_types": f["doc_type"],
        "topics": f["topic"],
        "columns": list(Row._fields),
        "text_columns": list(TextRow._fields),
        "docs": docs,
        "chains": chains,
    }


def texts(site: Site) -> list[TextRow]:
    return [TextRow(i.title, i.doc_no) for i in policies(site)]


def write(site_dir: Path, site: Site) -> dict[str, int]:
    """Write both files; their sizes in bytes."""
    (site_dir / PAGE).mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, doc in ((DATA, data(site)), (TEXTS, texts(site))):
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (site_dir / name).write_bytes(text)
        sizes[name] = len(text)
    return sizes


def page_data(site: Site, current: str) -> OndateData:
    """What the page's form offers; the documents come from DATA and TEXTS. `current`: the
    现行有效 list a reader without JavaScript is sent to."""
    f = facets(site)
    return OndateData(
        f["publisher_name"],
        f["doc_type"],
        f["topic"],
        list(LABELS),
        [k.label for k in KINDS.values() if not k.in_force],
        DATA,
        TEXTS,
        len(policies(site)),
        current,
    )
