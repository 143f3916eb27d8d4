"""Relations that order documents in time cannot loop: revised_by, replaces, interprets and
abolished.by each say that one document came after another (the newer replaces, interprets
or abolishes the older; the older was revised into the newer). A loop through any mix of
them, or a document naming itself, cannot be true, and pages would follow it forever."""

from __future__ import annotations

from collections import defaultdict

from xxgk.core.model import Item
from xxgk.rules.base import Context, problem_at

# field -> True when the item writing it is the newer of the two
FIELDS = (("replaces", True), ("interprets", True), ("revised_by", False), ("abolished.by", False))


def _targets(item: Item, field: str) -> list[str]:
    if field == "interprets":
        return list(item.interprets)
    if field == "abolished.by":
        return [item.abolished.by] if item.abolished and item.abolished.by else []
    value = getattr(item, field)
    return [value] if value else []


def relation_cycles(ctx: Context):
    by_no = ctx.rel.by_index_no
    later: dict[str, list[str]] = defaultdict(list)  # newer -> older
    written: list[tuple[str, str, Item, str]] = []  # (newer, older, writer, field)
    for item in ctx.content.items:
        if not item.index_no:
            continue
        for field, writer_is_newer in FIELDS:
            for target in _targets(item, field):
                if target == item.index_no:
                    yield problem_at(
                        item,
                        field.split(".")[0],
                        "E124",
                        f"{field} 指向本条目自己（{target}）；应填写另一份文件的索引号",
                    )
                elif target in by_no:
                    target = by_no[target].index_no  # written as a 索引号 or a 文号
                    newer, older = (item.index_no, target) if writer_is_newer else (target, item.index_no)
                    later[newer].append(older)
                    written.append((newer, older, item, field))
    component = strongly_connected(later)
    members: dict[int, list[str]] = defaultdict(list)
    for index_no, number in component.items():
        members[number].append(index_no)
    for newer, older, item, field in written:
        if component[newer] == component[older]:
            loop = "、".join(sorted(members[component[newer]]))
            yield problem_at(
                item,
                field.split(".")[0],
                "E124",
                f"{field} 与其他条目的修订、解读或废止关系形成循环（涉及 {loop}）；"
                "replaces、interprets、abolished.by 应指向更早的文件，revised_by 应指向更新的文件",
            )


def strongly_connected(graph: dict[str, list[str]]) -> dict[str, int]:
    """Tarjan's components, without recursion (revision chains can be long): node -> number."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in list(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return component


RULES = (relation_cycles,)
