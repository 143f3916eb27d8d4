"""Indexes and relations, computed once per build: by index_no, category, topic;
interpretation pairs; revision chains; every item's status on the as-of date and over time
(by the one rule in core/status.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from xxgk.core.docno import doc_no_key
from xxgk.core.load import Content
from xxgk.core.model import Item
from xxgk.core.status import Status, Step, status_on, status_steps


@dataclass
class Relations:
    as_of: dt.date
    by_index_no: dict[str, Item]
    by_category: dict[str, list[Item]]  # node id -> items in its subtree, newest first
    by_topic: dict[str, list[Item]]  # newest first
    interpretations: dict[str, list[Item]]  # policy index_no -> interpretations, oldest first
    versions: dict[str, list[Item]]  # index_no -> whole revision chain, oldest first
    status: dict[str, Status]  # index_no -> status on as_of
    items: list[Item] = field(default_factory=list)  # all, newest first
    replaced_by: dict[str, Item] = field(default_factory=dict)  # old index_no -> version naming it in `replaces`
    changing: dict[str, tuple[Step, ...]] = field(default_factory=dict)  # index_no -> steps, if it has more than one
    # What other core modules work out from the relations alone, kept as long as they are
    # (stats.policy_table: asked by two checks and the statistics, once per year each)
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def steps_of(self, item: Item) -> tuple[Step, ...]:
        """The item's status over time (status_steps); one step for most items."""
        return self.changing.get(item.index_no) or (Step(None, self.status[item.index_no]),)

    def status_of(self, item: Item) -> Status:
        return self.status[item.index_no]


class ByReference(dict[str, Item]):
    """Items by 索引号. A relation (abolished.by, revised_by, replaces, interprets,
    consultation.feedback) may name an item by its 文号 instead, however typed: `in`, get and []
    resolve that too, through the one normaliser (core/docno.py). A 文号 two items share
    names neither of them."""

    def __init__(self, items: list[Item]):
        super().__init__()
        for item in items:
            self.setdefault(item.index_no, item)  # duplicates are reported by rules
        self.by_doc_no: dict[str, Item | None] = {}
        for item in self.values():
            if key := doc_no_key(item.doc_no):
                self.by_doc_no[key] = None if key in self.by_doc_no else item
        # What each reference that is no 索引号 names: asked again and again (every item's empty
        # revised_by, for its status and each check of it), normalised once each (issue 35)
        self.named: dict[str, Item | None] = {}

    def _named(self, ref: object) -> Item | None:
        if not isinstance(ref, str) or not ref:
            return None
        if ref not in self.named:
            key = doc_no_key(ref)
            self.named[ref] = self.by_doc_no.get(key) if key else None
        return self.named[ref]

    def __missing__(self, ref: str) -> Item:
        if (item := self._named(ref)) is None:
            raise KeyError(ref)
        return item

    def __contains__(self, ref: object) -> bool:
        return dict.__contains__(self, ref) or self._named(ref) is not None

    def get(self, ref: str, default: Item | None = None) -> Item | None:  # type: ignore[override]
        return dict.get(self, ref) or self._named(ref) or default


def newest_first(items) -> list[Item]:
    return sorted(items, key=lambda i: i.sort_key, reverse=True)


def relate(content: Content, as_of: dt.date) -> Relations:
    items = newest_first(i for i in content.items if i.index_no)
    by_index_no = ByReference(items)

    by_category: dict[str, list[Item]] = defaultdict(list)
    nodes = {n.id: n for n in content.catalog.walk()}
    for item in items:  # already newest first, so each list stays sorted
        node = nodes.get(item.category)
        for owner in [*node.ancestors, node] if node else []:
            by_category[owner.id].append(item)

    by_topic: dict[str, list[Item]] = defaultdict(list)
    interpretations: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for topic in item.topics:
            by_topic[topic].append(item)
        if item.doc_type == "政策解读":
            for target in item.interprets:
                if target in by_index_no:
                    interpretations[by_index_no[target].index_no].append(item)
    for group in interpretations.values():
        group.reverse()

    versions = revision_chains(by_index_no)
    replaced_by = {by_index_no[i.replaces].index_no: i for i in items if i.replaces in by_index_no}
    status = {i.index_no: status_on(i, as_of, by_index_no, replaced_by) for i in items}
    changing = {i.index_no: s for i in items if len(s := status_steps(i, by_index_no, replaced_by)) > 1}
    return Relations(
        as_of,
        by_index_no,
        dict(by_category),
        dict(by_topic),
        dict(interpretations),
        versions,
        status,
        items,
        replaced_by,
        changing,
    )


def revision_chains(by_index_no: dict[str, Item]) -> dict[str, list[Item]]:
    """Each version's whole chain, oldest first; a link is `replaces` or `revised_by` on either side.
    Cycles and contradictions are reported by rules; here they just stop the walk."""
    older: dict[str, str] = {}
    for item in by_index_no.values():
        if item.replaces in by_index_no:
            older.setdefault(item.index_no, by_index_no[item.replaces].index_no)
        if item.revised_by in by_index_no:
            older.setdefault(by_index_no[item.revised_by].index_no, item.index_no)
    newer = {old: new for new, old in older.items()}
    chains: dict[str, list[Item]] = {}
    for index_no in by_index_no:
        if index_no in chains or (index_no not in older and index_no not in newer):
            continue
        first, seen = index_no, {index_no}
        while first in older and older[first] not in seen:
            first = older[first]
            seen.add(first)
        chain, cur, seen = [first], first, {first}
        while cur in newer and newer[cur] not in seen:
            cur = newer[cur]
            seen.add(cur)
            chain.append(cur)
        versions = [by_index_no[i] for i in chain]
        for i in chain:
            chains[i] = versions
    return chains
