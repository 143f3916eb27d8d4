"""The member descriptor: what a site publishes for portals (xxgk-site.json), beside catalog.json.

A portal reads it to list the member, merge its catalog counts and annual figures and load its
search shards, without reading any page. descriptor.schema.json describes the current format;
older formats keep their schema file (descriptor-<n>.schema.json) so portals can still read
members that have not upgraded. Change the shape only together with a new FORMAT."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from xxgk import __version__
from xxgk.core import stats
from xxgk.core.model import CatalogNode, Item
from xxgk.core.site import Site
from xxgk.core.urls import ROUTES, item_url

FORMAT = 3  # 2: catalog nodes carry `newest`, years carry their annual `report`; 3: tables 二–四 of
# the 年报 and, when the site publishes them, its search `records`; later in format 3, optional: the
# `latest` items, the `years` and `doc_types` present (a portal's pages without its catalog.json)
LATEST = 20  # the newest items a descriptor carries: exact on a portal home of latest_count up to this
CONTENT_FORMAT = 1  # docs/format.md, v1
NAME, SCHEMA_NAME = "xxgk-site.json", "xxgk-site.schema.json"
HERE = Path(__file__).parent
SCHEMAS = {
    3: HERE / "descriptor.schema.json",
    2: HERE / "descriptor-2.schema.json",
    1: HERE / "descriptor-1.schema.json",
}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def org_code(site: Site) -> str | None:
    """The agency's code: extra.org_code, else the first publisher's in departments.yml."""
    code = site.opts.extra.get("org_code")
    if code:
        return str(code)
    first = next(iter(site.content.departments.values()), None)
    return first.org_code if first else None


def catalog(site: Site) -> list[dict]:
    by_category = site.rel.by_category  # subtree lists, newest first

    def entry(node: CatalogNode) -> dict:
        items = by_category.get(node.id, [])
        return {
            "id": node.id,
            "name": node.name,
            "count": len(items),
            "newest": _iso(items[0].published) if items else None,
            "deadline": node.deadline,
            "children": [entry(c) for c in node.children],
        }

    return [entry(r) for r in site.content.catalog.roots]


def latest(site: Site) -> list[dict]:
    """The newest LATEST items with what a portal's lists show of them, so that a portal needs
    no member's catalog.json (issue 34: it grows with the items; this does not)."""
    names = {n.id: n.name for n in site.content.catalog.walk()}
    return [
        {
            "index_no": item.index_no,
            "title": item.title,
            "published": _iso(item.published),
            "doc_no": item.doc_no or None,
            "doc_type": item.doc_type,
            "category": item.category,
            "category_name": names.get(item.category),
            "effective_status": site.rel.status_of(item).label,
            "url": item_url(item.index_no),
        }
        for item in site.rel.items[:LATEST]
    ]


def _report(item: Item | None) -> dict | None:
    if item is None:
        return None
    return {
        "index_no": item.index_no,
        "title": item.title,
        "published": _iso(item.published),
        "url": item_url(item.index_no),
    }


def annual(site: Site) -> list[dict]:
    """Each year's figures: table 二's first part (`table`, from the items), its 第（五）（六）（八）项
    (`figures`, from catalog/annual_figures.yml), tables 三 and 四 (`applications`, `appeals`:
    counts from the case ledger, None without one; never a case), and the year's annual report
    item (the earliest, if several). The same tables as `xxgk stats --year` and 信息公开统计."""
    reports: dict[int, Item] = {}
    for item in reversed(site.rel.items):  # oldest first: the first report of a year is kept
        year = stats.report_year(item) if item.doc_type == stats.REPORT_TYPE else None
        if year is not None:
            reports.setdefault(year, item)
    out = []
    for y, ys in site.years.items():
        tables = site.tables[y]
        out.append(
            {
                "year": y,
                "published": len(ys.published),
                "table": {t: {c: ys.count(t, c) for c in stats.COLUMNS} for t in stats.TABLE_TYPES},
                "figures": tables.figures,
                "applications": tables.applications,
                "appeals": tables.appeals,
                "report": _report(reports.get(y)),
            }
        )
    return out


def describe(
    site: Site,
    built_at: dt.datetime,
    site_url: str | None,
    shards: dict[str, int] | None,
    pagefind_version: str | None,
    records: dict | None = None,
) -> dict:
    """The descriptor of this build; `shards` None when the site has no search; `records` the
    published search records (search/published.py), None when not published."""
    items = site.rel.items
    return {
        "$schema": SCHEMA_NAME,
        "format": FORMAT,
        "xxgk_version": __version__,
        "content_format": CONTENT_FORMAT,
        "site_name": site.opts.site_name,
        "agency": str(site.opts.extra.get("agency") or site.opts.site_name),
        "org_code": org_code(site),
        "site_url": site_url or None,
        "built_at": built_at.isoformat(timespec="seconds"),
        "as_of": site.rel.as_of.isoformat(),
        "items": len(items),
        "newest": _iso(items[0].published) if items else None,
        "latest": latest(site),
        "years": sorted({str(i.published.year) for i in items if i.published}, reverse=True),
        "doc_types": sorted({i.doc_type for i in items}),
        "catalog": catalog(site),
        "search": {
            "bundle": ROUTES["pagefind"],
            "pagefind_version": pagefind_version or "",
            "shards": [{"id": s, "count": n} for s, n in shards.items()],
            **({"records": records} if records else {}),
        }
        if shards
        else None,
        "open_data": {"catalog": "catalog.json", "schema": "catalog.schema.json", "csv": "catalog.csv"},
        "annual": annual(site),
    }


def write(site_dir: Path, doc: dict) -> None:
    (site_dir / NAME).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.copyfile(SCHEMAS[FORMAT], site_dir / SCHEMA_NAME)
