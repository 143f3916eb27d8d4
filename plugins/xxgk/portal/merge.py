"""What the portal's pages show, merged from the members' descriptors and catalog.json:
latest items, the catalog tree by node with each member's count, annual figures summed with
each member's share. Pure data; links point into the members' own sites."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from xxgk.core import stats
from xxgk.core.urls import node_url
from xxgk.portal.read import Read


def href(read: Read, path: str) -> str:
    """A member page's address: under the portal's root for same-origin members, else absolute."""
    return read.member.url + path


@dataclass
class Entry:
    """One member item as portal lists show it."""

    title: str
    href: str
    member: str
    published: str
    doc_no: str
    status: str
    category: str


def entries(read: Read, records: list[dict]) -> list[Entry]:
    return [
        Entry(
            str(r["title"]),
            href(read, r["url"]),
            read.name,
            r["published"] or "",
            r["doc_no"] or "",
            r["effective_status"],
            r["category_name"] or r["category"],
        )
        for r in records
    ]


def latest(reads: list[Read], count: int) -> list[Entry]:
    """The newest `count` items over every member (each catalog.json is newest first)."""
    heads = [entries(r, r.catalog["items"][:count]) for r in reads]
    return heapq.nlargest(count, (e for h in heads for e in h), key=lambda e: e.published)


@dataclass
class Node:
    id: str
    name: str
    count: int = 0
    shares: list[tuple[Read, int, str]] = field(default_factory=list)  # (member, count, its node page)
    children: list[Node] = field(default_factory=list)


def tree(reads: list[Read]) -> list[Node]:
    """The members' catalog trees merged by node id (the standard catalog they share): each node
    with the sum and each member's count. Nodes only some members have appear for those."""
    roots: list[Node] = []
    known: dict[str, Node] = {}

    def add(read: Read, raw: dict, siblings: list[Node]) -> None:
        node = known.get(raw["id"])
        if node is None:
            node = known[raw["id"]] = Node(raw["id"], str(raw["name"]))
            siblings.append(node)
        node.count += raw["count"]
        node.shares.append((read, raw["count"], href(read, node_url(raw["id"]))))
        for child in raw["children"]:
            add(read, child, node.children)

    for read in reads:
        for raw in read.site["catalog"]:
            add(read, raw, roots)
    return roots


@dataclass
class Year:
    year: int
    published: int
    rows: list[tuple[str, list[int]]]  # the template's rows summed: (doc_type, [count per column])
    shares: list[tuple[Read, dict | None]]  # each member's own figures for the year (None: none that year)

    columns = stats.COLUMNS


def annual(reads: list[Read]) -> list[Year]:
    """Every year any member reports, newest first, the table summed over the members."""
    by_member = [(r, {y["year"]: y for y in r.site["annual"]}) for r in reads]
    years = sorted({y for _, ys in by_member for y in ys}, reverse=True)
    out = []
    for year in years:
        shares = [(r, ys.get(year)) for r, ys in by_member]
        rows = [(t, [sum(y["table"][t][c] for _, y in shares if y) for c in stats.COLUMNS]) for t in stats.TABLE_TYPES]
        out.append(Year(year, sum(y["published"] for _, y in shares if y), rows, shares))
    return out
