"""The portal's open data: catalog.json and catalog.csv list the members and link to each one's
own open data (its count, newest date and build time beside) rather than copying every item
(issue 34: a merged file grows with the items of every member); and the search manifest that
lets search.js merge every member's shards."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from xxgk.core import safetext
from xxgk.core.urls import ROUTES
from xxgk.output import opendata
from xxgk.portal import pages
from xxgk.portal.gather import Gathered
from xxgk.portal.levels import PORTAL_NAME
from xxgk.portal.read import Read, unmergeable

SCHEMA = Path(__file__).with_name("portal-catalog.schema.json")
FORMAT = 2  # 1: every member's items copied in; 2: links to each member's own open data
SEARCH_MANIFEST = ROUTES["search_manifest"]
PORTAL_FORMAT = 2  # 2: `site_url` and `sites`, every site at every level (portal/levels.py)
CSV_COLUMNS = ("member", "member_name", "count", "newest", "built_at", "state", "catalog_json", "catalog_csv")


def _member(r: Read) -> dict:
    own = r.site["open_data"]
    return {
        "id": r.member.id,
        "name": r.name,
        "url": r.member.url,
        "as_of": r.site["as_of"],
        "built_at": r.site["built_at"],
        "read_at": r.read_at.isoformat(timespec="seconds"),
        "state": r.state,
        "count": r.site["items"],
        "newest": r.site["newest"],
        "catalog": r.member.url + own["catalog"],
        "csv": r.member.url + own["csv"],
        "schema": r.member.url + own["schema"],
    }


def write(site_dir: Path, g: Gathered, site_name: str, base: dict | None = None) -> None:
    members = [_member(r) for r in g.members]
    doc = {
        "$schema": SCHEMA.name,
        "format": FORMAT,
        "site_name": site_name,
        "as_of": g.as_of.isoformat(),
        "count": sum(m["count"] for m in members),
        "members": members,
    }
    (site_dir / opendata.JSON_NAME).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    with open(site_dir / opendata.CSV_NAME, "w", encoding="utf-8-sig", newline="") as f:
        out = safetext.SafeCsv(f)  # issue 30: formula-safe cells
        out.writerow(CSV_COLUMNS)
        for m in members:
            out.writerow(
                [m["id"], m["name"], m["count"], m["newest"] or "", m["built_at"], m["state"], m["catalog"], m["csv"]]
            )
    shutil.copyfile(SCHEMA, site_dir / SCHEMA.name)
    shutil.copyfile(opendata.SCHEMA, site_dir / opendata.SCHEMA_NAME)  # the members' items: the footer's 字段说明
    write_search(site_dir, g, base)
    portal = {
        "format": PORTAL_FORMAT,
        "site_name": site_name,
        "members": [{"id": r.member.id, "name": r.name, "url": r.member.url} for r in g.reads]
        + [{"id": lv.member.id, "name": lv.name, "url": lv.member.url} for lv in g.levels],
        "site_url": g.site_url,
        "sites": [s.as_dict() for s in g.sites],
    }
    (site_dir / PORTAL_NAME).write_text(json.dumps(portal, ensure_ascii=False, indent=1), encoding="utf-8")


def write_search(site_dir: Path, g: Gathered, base: dict | None) -> None:
    """pagefind/manifest.json in the shape search.js reads, each shard naming its member's site
    (relative to the portal's root, or absolute), the member filter it is merged with, and what
    the member's own manifest says of it (years, newest date, cache tag, meta file); and the
    members whose shards cannot be merged (`left_out`, with why), which the search page names;
    `base`: the cache tag and meta file of the portal's base index (search/index.py RuntimeJob)."""
    searched = pages.searched(g)
    left_out = [{"member": r.name, "why": why} for r in g.members if (why := unmergeable(r))]
    shards = []
    for r in searched:
        own = {s.get("id"): s for s in r.search.get("shards", []) if isinstance(s, dict)}
        for s in r.site["search"]["shards"]:
            listed = {k: v for k, v in own.get(s["id"], {}).items() if k in ("years", "last", "tag", "meta")}
            shards.append(
                {
                    "id": s["id"],
                    "count": s["count"],
                    **listed,
                    "site": r.member.url,
                    "filter": {"member": r.name},
                }
            )
    years = {y for r in searched for y in r.site["years"]}
    target = site_dir / SEARCH_MANIFEST
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(
            {"shards": shards, "years": sorted(years, reverse=True), "left_out": left_out, "base": base or {}},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
