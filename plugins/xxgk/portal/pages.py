"""The portal's pages: home, merged catalog, members and one page per member, merged annual
figures, search over every member's shards, and the watch. No item page is copied: every
item links to the member's own page."""

from __future__ import annotations

from xxgk.core.status import LABELS
from xxgk.core.urls import ROUTES, src_of
from xxgk.output.pages import HOME, SEARCH, STATS, Crumb, PageSpec, accessibility_page, labelled
from xxgk.portal import merge
from xxgk.portal.gather import Gathered
from xxgk.portal.read import Read

CATALOG, MEMBERS, WATCH = ROUTES["catalog"], ROUTES["members"], ROUTES["watch"]
MEMBER_LATEST = 10


def member_url(read: Read) -> str:
    return f"{MEMBERS}{read.member.id}/"


def _page(url: str, kind: str, title: str, data: dict, parent: Crumb | None = None) -> PageSpec:
    crumbs = [Crumb("首页")] if url == HOME else [Crumb("首页", HOME), *([parent] if parent else []), Crumb(title)]
    return PageSpec(src_of(url), url, f"portal/{kind}", title, crumbs, data)


def _summary(g: Gathered) -> list[dict]:
    flagged = {f.member for f in g.findings}
    return [
        {
            "read": r,
            "url": member_url(r),
            "count": r.site["items"],
            "newest": r.site["newest"],
            "flagged": r.member.id in flagged,
        }
        for r in g.members
    ]


def facets(g: Gathered) -> dict[str, list[str]]:
    """The values of each search filter over every member (member: the mergeFilter of its shards)."""
    records = [rec for r in g.members for rec in r.catalog["items"]]
    return {
        "member": [r.name for r in g.members if r.site["search"]],
        "category": list(dict.fromkeys(n.name for n in merge.tree(g.members))),
        "year": sorted({rec["published"][:4] for rec in records if rec["published"]}, reverse=True),
        "status": list(LABELS),
        "doc_type": sorted({rec["doc_type"] for rec in records}),
    }


def build_pages(g: Gathered, latest_count: int) -> list[PageSpec]:
    tree = merge.tree(g.members)
    members = _summary(g)
    total = sum(r.site["items"] for r in g.members)
    specs = [
        _page(
            HOME,
            "home",
            "首页",
            {
                "latest": merge.latest(g.members, latest_count),
                "members": members,
                "tree": tree,
                "total": total,
                "findings": len(g.findings),
                "left_out": g.left_out,
            },
        ),
        _page(CATALOG, "catalog", "主动公开目录", {"tree": tree, "members": g.members, "total": total}),
        _page(MEMBERS, "members", "成员单位", {"members": members, "left_out": g.left_out}),
        _page(STATS, "stats", "信息公开统计", {"years": merge.annual(g.members), "members": g.members}),
        PageSpec(
            src_of(SEARCH),
            SEARCH,
            "search",
            "全站搜索",
            [Crumb("首页", HOME), Crumb("全站搜索")],
            {"facets": labelled(facets(g))},
        ),
        _page(
            WATCH,
            "watch",
            "更新监测",
            {"findings": g.findings, "reads": g.reads, "portal": g.portal, "as_of": g.as_of, "now": g.now},
        ),
    ]
    specs.append(accessibility_page())
    mine = {r.member.id: [f for f in g.findings if f.member == r.member.id] for r in g.reads}
    for r in g.members:
        specs.append(
            _page(
                member_url(r),
                "member",
                r.name,
                {
                    "read": r,
                    "latest": merge.entries(r, r.catalog["items"][:MEMBER_LATEST]),
                    "tree": merge.tree([r]),
                    "findings": mine[r.member.id],
                },
                Crumb("成员单位", MEMBERS),
            )
        )
    return specs
