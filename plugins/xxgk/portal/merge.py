"""What the portal's pages show, merged from the members' descriptors:
latest items, the catalog tree by node with each member's count, annual figures summed with
each member's share. Pure data; links point into the members' own sites."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from xxgk.core import report_tables, stats
from xxgk.core.ledger import APPEAL_KINDS
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
    """The newest `count` items over every member, from the newest items each descriptor carries
    (`latest`, newest first, at most descriptor.LATEST: a member's catalog.json is not read)."""
    heads = [entries(r, r.site["latest"][:count]) for r in reads]
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
    """One year of the annual report's tables over the members. What sums is summed: every
    figure is a count or an amount in 万元 of one member's own work, so the members' figures
    add up. What a member could not give (no figures file entry, no case ledger, a descriptor
    of an older format: None) is not counted as 0: the sum is over the members that gave it,
    and `missing` names the others, shown beside each table with every member's own figures."""

    year: int
    published: int
    rows: list[tuple[str, list[int]]]  # the template's rows summed: (doc_type, [count per column])
    shares: list[tuple[Read, dict | None]]  # each member's own figures for the year (None: none that year)
    figures: dict[str, float | int | None]  # table 二（五）（六）（八）: FIGURES -> sum (None: no member gave it)
    figures_missing: dict[str, list[Read]]  # FIGURES -> the members that did not give it
    applications: dict[str, dict[str, int]] | None  # table 三 summed over the members with a ledger
    appeals: dict[str, dict[str, int]] | None  # table 四 likewise
    without_ledger: list[Read]  # members whose tables 三 and 四 are not in the sums

    columns = stats.COLUMNS
    figure_names = report_tables.FIGURES
    rows3 = report_tables.ROWS
    columns3 = report_tables.COLUMNS
    kinds4 = APPEAL_KINDS
    columns4 = report_tables.OUTCOME_COLUMNS
    # table 三's rows each member's share shows: the identity 一 + 二 = 三（七）+ 四, 总计 column
    identity_rows = (report_tables.NEW, report_tables.CARRIED, report_tables.DONE, report_tables.NEXT)

    @staticmethod
    def label(row: str) -> str:
        return report_tables.row_label(row)

    @staticmethod
    def shown(value: float | int | None) -> str:
        return "—" if value is None else report_tables.number_text(value)


def _sum(values: list) -> float | int | None:
    """The sum of the numbers given (an amount in 万元 kept to the 0.01 it is written in)."""
    given = [v for v in values if v is not None]
    if not given:
        return None
    total = sum(given)
    return round(total, 4) if isinstance(total, float) else total


def _cells(tables: list[dict], rows, columns) -> dict[str, dict[str, int]] | None:
    if not tables:
        return None
    return {r: {c: sum(t[r][c] for t in tables) for c in columns} for r in rows}


def annual(reads: list[Read]) -> list[Year]:
    """Every year any member reports, newest first, every table summed over the members."""
    by_member = [(r, {y["year"]: y for y in r.site["annual"]}) for r in reads]
    years = sorted({y for _, ys in by_member for y in ys}, reverse=True)
    out = []
    for year in years:
        shares = [(r, ys.get(year)) for r, ys in by_member]
        given = [(r, y) for r, y in shares if y]
        rows = [(t, [sum(y["table"][t][c] for _, y in given) for c in stats.COLUMNS]) for t in stats.TABLE_TYPES]
        ledgers = [y for _, y in given if y["applications"] is not None]
        out.append(
            Year(
                year,
                sum(y["published"] for _, y in given),
                rows,
                shares,
                {f: _sum([y["figures"][f] for _, y in given]) for f in report_tables.FIGURES},
                {f: [r for r, y in shares if not y or y["figures"][f] is None] for f in report_tables.FIGURES},
                _cells([y["applications"] for y in ledgers], report_tables.ROWS, report_tables.COLUMNS),
                _cells([y["appeals"] for y in ledgers], APPEAL_KINDS, report_tables.OUTCOME_COLUMNS),
                [r for r, y in shares if not y or y["applications"] is None],
            )
        )
    return out
