"""The portal's pages: home, merged catalog, members and one page per member, merged annual
figures, search over every member's shards, and the watch. No item page is copied: every
item links to the member's own page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xxgk.core.status import LABELS
from xxgk.core.urls import ROUTES, src_of
from xxgk.output.pagedata import SearchData
from xxgk.output.pages import HOME, SEARCH, STATS, Crumb, PageSpec, accessibility_page, labelled
from xxgk.portal import merge, watch
from xxgk.portal.config import Portal
from xxgk.portal.gather import Gathered
from xxgk.portal.levels import Level
from xxgk.portal.read import Read, unmergeable

CATALOG, MEMBERS, WATCH = ROUTES["catalog"], ROUTES["members"], ROUTES["watch"]
MEMBER_LATEST = 10


# What each portal page kind hands its template (xxgk/portal/<kind>.html); the search page's
# is the site's SearchData, with the facets only.
@dataclass
class MemberSummary:
    read: Read
    url: str
    count: int
    newest: str
    flagged: bool  # the watch has a finding for it


@dataclass
class PortalHomeData:
    latest: list[merge.Entry]
    members: list[MemberSummary]
    tree: list[merge.Node]
    total: int
    findings: int  # how many the watch found
    left_out: list[Read]


@dataclass
class PortalCatalogData:
    tree: list[merge.Node]
    members: list[Read]
    total: int


@dataclass
class MembersData:
    members: list[MemberSummary]
    left_out: list[Read]


@dataclass
class PortalStatsData:
    years: list[merge.Year]
    members: list[Read]


@dataclass
class WatchData:
    findings: list[watch.Finding]
    reads: list[Read]
    portal: Portal
    as_of: dt.date
    now: dt.datetime
    levels: list[Level] = field(default_factory=list)  # member portals: their sites' findings under them


@dataclass
class MemberData:
    read: Read
    latest: list[merge.Entry]
    tree: list[merge.Node]
    findings: list[watch.Finding]


def member_url(read: Read) -> str:
    return f"{MEMBERS}{read.member.id}/"


def _page(url: str, kind: str, title: str, data: object, parent: Crumb | None = None) -> PageSpec:
    crumbs = [Crumb("首页")] if url == HOME else [Crumb("首页", HOME), *([parent] if parent else []), Crumb(title)]
    return PageSpec(src_of(url), url, f"portal/{kind}", title, crumbs, data)


def _summary(g: Gathered) -> list[MemberSummary]:
    flagged = {f.member for f in g.findings}
    return [
        MemberSummary(r, member_url(r), r.site["items"], r.site["newest"], r.member.id in flagged) for r in g.members
    ]


def searched(g: Gathered) -> list[Read]:
    """The members whose shards the portal's search merges (portal/read.py unmergeable)."""
    return [r for r in g.members if r.site["search"] and not unmergeable(r)]


def facets(g: Gathered) -> dict[str, list[str]]:
    """The values of each search filter over every member (member: the mergeFilter of its shards)."""
    return {
        "member": [r.name for r in searched(g)],
        "category": list(dict.fromkeys(n.name for n in merge.tree(g.members))),
        "year": sorted({y for r in g.members for y in r.site["years"]}, reverse=True),
        "status": list(LABELS),
        "doc_type": sorted({t for r in g.members for t in r.site["doc_types"]}),
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
            PortalHomeData(merge.latest(g.members, latest_count), members, tree, total, len(g.findings), g.left_out),
        ),
        _page(CATALOG, "catalog", "主动公开目录", PortalCatalogData(tree, g.members, total)),
        _page(MEMBERS, "members", "成员单位", MembersData(members, g.left_out)),
        _page(STATS, "stats", "信息公开统计", PortalStatsData(merge.annual(g.counted), g.counted)),
        PageSpec(
            src_of(SEARCH),
            SEARCH,
            "search",
            "全站搜索",
            [Crumb("首页", HOME), Crumb("全站搜索")],
            # the portal's own runtime is preloaded only without a door: with one, it is fetched
            # only when the page falls back to the static search
            SearchData(labelled(facets(g)), indexed=bool(searched(g)) and not g.portal.door, door=g.portal.door),
        ),
        _page(
            WATCH,
            "watch",
            "更新监测",
            WatchData(g.findings, g.reads, g.portal, g.as_of, g.now, g.levels),
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
                MemberData(r, merge.entries(r, r.site["latest"][:MEMBER_LATEST]), merge.tree([r]), mine[r.member.id]),
                Crumb("成员单位", MEMBERS),
            )
        )
    return specs
