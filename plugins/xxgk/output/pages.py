"""Which pages the site has, where they live and what each lists. Pure data, no rendering.

Generated pages (home, catalog tree, one paginated list per catalog node and
topic, 现行有效 lists) and item pages are all described here; the MkDocs
adapter turns each PageSpec into a file and hands `data` to a template.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from dataclasses import dataclass, field

from xxgk.core import lifecycle, stats
from xxgk.core.fields import POLICY_TYPES
from xxgk.core.model import Attachment, CatalogNode, Item
from xxgk.core.site import Site
from xxgk.core.status import LABELS
from xxgk.core.urls import ROUTES, item_url, node_url, policy_list_url, src_of, topic_url
from xxgk.output import apply_form, ondate, statistics
from xxgk.output.pagedata import (
    AccessibilityData,
    Ahead,
    AttachmentLink,
    CatalogData,
    Facet,
    HomeData,
    ItemData,
    NodeData,
    Pager,
    PoliciesData,
    SearchData,
    TopicData,
    TopicsData,
)

HOME, CATALOG, TOPICS, SEARCH = ROUTES["home"], ROUTES["catalog"], ROUTES["topics"], ROUTES["search"]
STATS, ACCESSIBILITY = ROUTES["stats"], ROUTES["accessibility"]

# 现行有效 and 已废止/失效 lists: (url slug, doc_type)
POLICY_LISTS = (("gz", "规章"), ("gfxwj", "行政规范性文件"))
assert tuple(t for _, t in POLICY_LISTS) == POLICY_TYPES
_SLUG = {t: s for s, t in POLICY_LISTS}


@dataclass
class Crumb:
    title: str
    url: str | None = None  # site-relative; None for the current page


@dataclass
class PageSpec:
    src_uri: str  # where MkDocs believes the page's source is
    url: str  # site-relative directory URL, "" for home
    kind: str  # home | catalog | node | topics | topic | policies | search | item …: its template
    title: str
    crumbs: list[Crumb]
    data: object = field(default_factory=AccessibilityData)  # the kind's dataclass (output/pagedata.py)


def paginate(rows: list, size: int) -> list[list]:
    """Fixed-size pages; an empty list still has one (empty) page so no column vanishes."""
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]


def pager(url_of, number: int, total: int) -> Pager:
    return Pager(
        number,
        total,
        url_of(number - 1) if number > 1 else None,
        url_of(number + 1) if number < total else None,
        url_of(1),
        url_of(total),
        [(n, url_of(n)) for n in _window(number, total)],
    )


def _window(number: int, total: int, span: int = 2) -> list[int]:
    return list(range(max(1, number - span), min(total, number + span) + 1))


def _crumbs_for_node(node: CatalogNode, current: bool) -> list[Crumb]:
    chain = [Crumb("首页", HOME), Crumb("法定主动公开内容", CATALOG)]
    chain += [Crumb(n.name, node_url(n.id)) for n in node.ancestors]
    chain.append(Crumb(node.name, None if current else node_url(node.id)))
    return chain


def tree(site: Site) -> list[dict]:
    """The catalog tree with item counts per node (subtree totals)."""
    counts = {k: len(v) for k, v in site.rel.by_category.items()}

    def entry(node: CatalogNode) -> dict:
        return {
            "id": node.id,
            "name": node.name,
            "url": node_url(node.id),
            "count": counts.get(node.id, 0),
            "description": node.description,
            "deadline": node.deadline,
            "department": site.content.departments.get(node.department or ""),
            "children": [entry(c) for c in node.children],
        }

    return [entry(r) for r in site.content.catalog.roots]


# ---------------------------------------------------------------- pages


def build_pages(site: Site) -> list[PageSpec]:
    catalog_tree = tree(site)
    specs = [_home(site, catalog_tree), _catalog(catalog_tree)]
    for node in site.content.catalog.walk():
        specs.extend(_node_pages(site, node, catalog_tree))
    specs.extend(_topic_pages(site))
    specs.extend(_policy_pages(site))
    specs.append(
        PageSpec(
            src_of(SEARCH),
            SEARCH,
            "search",
            "站内搜索",
            [Crumb("首页", HOME), Crumb("站内搜索")],
            SearchData(labelled(facets(site)), catalog_tree, ondate.DATA, bool(site.rel.items)),
        )
    )
    nodes = {n.id: n for n in site.content.catalog.walk()}
    years = site.years
    specs.append(
        PageSpec(
            src_of(STATS),
            STATS,
            "stats",
            "信息公开统计",
            [Crumb("首页", HOME), Crumb("信息公开统计")],
            statistics.page_data(years, statistics.report_tables(site)),
        )
    )
    specs.append(
        PageSpec(
            src_of(apply_form.PAGE),
            apply_form.PAGE,
            "apply",
            "依申请公开",
            [Crumb("首页", HOME), Crumb("依申请公开")],
            apply_form.page_data(site.opts),
        )
    )
    specs.append(accessibility_page())
    title = "在某日有效的规章和规范性文件"
    specs.append(
        PageSpec(
            src_of(ondate.PAGE),
            ondate.PAGE,
            "ondate",
            title,
            [Crumb("首页", HOME), Crumb(title)],
            ondate.page_data(site, policy_list_url("current", _SLUG["行政规范性文件"])),
        )
    )
    trails: dict[str, list[Crumb]] = {}  # by category: every item of a node has its crumbs
    specs.extend(item_page(site, item, nodes, years, trails) for item in site.rel.items)
    return specs


def accessibility_page() -> PageSpec:
    """Every site has it, a portal too (the footer links it)."""
    return PageSpec(
        src_of(ACCESSIBILITY), ACCESSIBILITY, "accessibility", "无障碍声明", [Crumb("首页", HOME), Crumb("无障碍声明")]
    )


def _home(site: Site, catalog_tree: list[dict]) -> PageSpec:
    return PageSpec(
        src_of(HOME),
        HOME,
        "home",
        "首页",
        [Crumb("首页")],
        HomeData(
            catalog_tree,
            site.rel.items[: site.opts.latest_count],
            [(t, policy_list_url("current", s)) for s, t in POLICY_LISTS],
            len(site.rel.items),
        ),
    )


def _catalog(catalog_tree: list[dict]) -> PageSpec:
    return PageSpec(
        src_of(CATALOG),
        CATALOG,
        "catalog",
        "法定主动公开内容",
        [Crumb("首页", HOME), Crumb("法定主动公开内容")],
        CatalogData(catalog_tree),
    )


def _node_pages(site: Site, node: CatalogNode, catalog_tree: list[dict]) -> list[PageSpec]:
    chunks = paginate(site.rel.by_category.get(node.id, []), site.opts.page_size)
    root = node.root.id
    specs = []
    for number, rows in enumerate(chunks, 1):
        url = node_url(node.id, number)
        specs.append(
            PageSpec(
                src_of(url),
                url,
                "node",
                node.name,
                _crumbs_for_node(node, True),
                NodeData(
                    node,
                    rows,
                    catalog_tree,
                    root,
                    site.content.departments.get(node.department or ""),
                    pager(lambda n: node_url(node.id, n), number, len(chunks)),
                ),
            )
        )
    return specs


def _topic_pages(site: Site) -> list[PageSpec]:
    topics = [(name, len(site.rel.by_topic.get(name, [])), topic_url(name)) for name in site.content.topics]
    specs = [
        PageSpec(
            src_of(TOPICS), TOPICS, "topics", "主题分类", [Crumb("首页", HOME), Crumb("主题分类")], TopicsData(topics)
        )
    ]
    for name in site.content.topics:
        chunks = paginate(site.rel.by_topic.get(name, []), site.opts.page_size)
        for number, rows in enumerate(chunks, 1):
            url = topic_url(name, number)
            specs.append(
                PageSpec(
                    src_of(url),
                    url,
                    "topic",
                    name,
                    [Crumb("首页", HOME), Crumb("主题分类", TOPICS), Crumb(name)],
                    TopicData(rows, topics, pager(lambda n, name=name: topic_url(name, n), number, len(chunks))),
                )
            )
    return specs


POLICY_STATES = {  # (list title, which statuses it lists): both from core/status.py
    "current": ("现行有效", lambda kind: kind.in_force),
    "repealed": ("已废止、失效", lambda kind: kind.repealed),
}


def _policy_pages(site: Site) -> list[PageSpec]:
    specs = []
    lists = [(state, slug, doc_type) for state in POLICY_STATES for slug, doc_type in POLICY_LISTS]
    links = [(f"{POLICY_STATES[s][0]}{t}", policy_list_url(s, slug)) for s, slug, t in lists]
    links.append(("在某日有效", ondate.PAGE))
    for state, slug, doc_type in lists:
        label, wanted = POLICY_STATES[state]
        rows = [i for i in site.rel.items if i.doc_type == doc_type and wanted(site.rel.status_of(i).kind)]
        chunks = paginate(rows, site.opts.page_size)
        title = f"{label}{doc_type}"
        for number, chunk in enumerate(chunks, 1):
            url = policy_list_url(state, slug, number)
            specs.append(
                PageSpec(
                    src_of(url),
                    url,
                    "policies",
                    title,
                    [Crumb("首页", HOME), Crumb(title)],
                    PoliciesData(
                        chunk,
                        len(rows),
                        links,
                        state,
                        pager(lambda n, s=state, g=slug: policy_list_url(s, g, n), number, len(chunks)),
                    ),
                )
            )
    return specs


def item_page(site: Site, item: Item, nodes: dict[str, CatalogNode], years: dict, trails: dict) -> PageSpec:
    """`trails`: the crumbs by category, filled as items need them."""
    rel = site.rel
    node = nodes.get(item.category)
    if item.category not in trails:
        trails[item.category] = (_crumbs_for_node(node, False) if node else [Crumb("首页", HOME)]) + [Crumb("正文")]
    crumbs = trails[item.category]
    status = rel.status_of(item)
    return PageSpec(
        item.src_uri,
        item_url(item.index_no),
        "item",
        item.title,
        crumbs,
        ItemData(
            item,
            status,
            rel.by_index_no.get(status.by_index_no),
            [
                Ahead(s.start, s.status, rel.by_index_no.get(s.status.by_index_no))
                for s in lifecycle.ahead(rel, item)
                if s.start
            ],
            lifecycle.timeline(item, rel.steps_of(item), rel.by_index_no) if item.doc_type in POLICY_TYPES else [],
            site.content.departments.get(item.publisher),
            node,
            [(t, topic_url(t)) for t in item.topics],
            rel.interpretations.get(item.index_no, []),
            [rel.by_index_no[n] for n in item.interprets if n in rel.by_index_no],
            rel.versions.get(item.index_no, []),
            rel.by_index_no.get(item.consultation.feedback) if item.consultation else None,
            consultation_state(item, rel.as_of),
            [attachment(site, item, a) for a in item.attachments],
            stats.report_stats(item, years or {}),
        ),
    )


def consultation_state(item: Item, day) -> str:
    """征求意见 on the as-of day: 已结束, 进行中, or "" (not begun, or its dates not written)."""
    c = item.consultation
    if c is None:
        return ""
    if c.end and c.end < day:
        return "已结束"
    return "进行中" if c.start and c.start <= day else ""


# A wide table scrolls inside its own box (reachable by keyboard), never the whole page.
_TABLE = re.compile(r"(<table[\s>].*?</table>)", re.S)
_WRAP = '<div class="xx-tablewrap" tabindex="0" role="region" aria-label="表格（可左右滚动）">{}</div>'


def wrap_tables(html: str) -> str:
    """Every table of a body in its scrolling box, whatever its attributes."""
    return _TABLE.sub(lambda m: _WRAP.format(m.group(1)), html)


def attachment(site: Site, item: Item, a: Attachment) -> AttachmentLink:
    """Where an attachment is served (it is copied beside the item's source) and what it is."""
    url = posixpath.normpath(posixpath.join(posixpath.dirname(item.src_uri), a.file))
    try:  # one system call per attachment: a site has tens of thousands
        found = os.stat(site.opts.docs_path / url)
        size = found.st_size if stat.S_ISREG(found.st_mode) else None
    except OSError:
        size = None
    return AttachmentLink(
        url, a.title, posixpath.splitext(a.file)[1].lstrip(".") or "文件", human_size(size) if size is not None else ""
    )


def human_size(size: float) -> str:
    for unit in ("B", "KB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"


FACET_LABELS = {
    "member": "成员单位",  # a portal's
    "category": "目录分类",
    "topic": "主题分类",
    "publisher": "发布机构",
    "year": "发布年份",
    "status": "有效性",
    "doc_type": "文件类型",
}


def labelled(values: dict[str, list[str]]) -> list[Facet]:
    return [Facet(key, FACET_LABELS[key], v) for key, v in values.items()]


def facets(site: Site) -> dict[str, list[str]]:
    """The values each filter can take, for the search page's drop-downs."""
    years = sorted({i.published.year for i in site.rel.items if i.published}, reverse=True)
    used_publishers = {i.publisher for i in site.rel.items}
    return {
        "category": [r.name for r in site.content.catalog.roots],
        "topic": list(site.content.topics),
        "publisher": [d.name for d in site.content.departments.values() if d.id in used_publishers],
        "year": [str(y) for y in years],
        "status": list(LABELS),
        "doc_type": sorted({i.doc_type for i in site.rel.items}),
    }
