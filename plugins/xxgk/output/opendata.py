"""Open catalog data: catalog.json, catalog.csv (UTF-8 with BOM, for spreadsheet software)
and the JSON Schema that documents them, written once per build into the site root.

Field names are the docs/format.md keys; `effective_status`, `effective_status_since` and `url`
are derived (status on the as-of date; page URL relative to the site root)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from xxgk.core import safetext
from xxgk.core.model import Item
from xxgk.core.site import Site
from xxgk.core.urls import item_url
from xxgk.output.pages import attachment

SCHEMA = Path(__file__).with_name("catalog.schema.json")
JSON_NAME, CSV_NAME, SCHEMA_NAME = "catalog.json", "catalog.csv", "catalog.schema.json"
LIST_SEP = ";"  # inside one CSV cell; no topic, keyword or index_no contains it

CSV_COLUMNS = (
    "index_no",
    "title",
    "publisher",
    "publisher_name",
    "published",
    "category",
    "category_name",
    "summary",
    "doc_type",
    "doc_no",
    "written",
    "topics",
    "keywords",
    "status",
    "effective",
    "expires",
    "abolished_date",
    "abolished_by",
    "abolished_reason",
    "revised_by",
    "replaces",
    "interprets",
    "interpretation_form",
    "consultation_start",
    "consultation_end",
    "consultation_feedback",
    "attachments",
    "effective_status",
    "effective_status_since",
    "url",
)


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def record(site: Site, item: Item, names: dict[str, str]) -> dict:
    """One item as catalog.json holds it (see catalog.schema.json)."""
    status = site.rel.status_of(item)
    dep = site.content.departments.get(item.publisher)
    ab, co = item.abolished, item.consultation
    return {
        "index_no": item.index_no,
        "title": item.title,
        "publisher": item.publisher,
        "publisher_name": dep.name if dep else None,
        "published": _iso(item.published),
        "category": item.category,
        "category_name": names.get(item.category),
        "summary": item.summary or None,
        "doc_type": item.doc_type,
        "doc_no": item.doc_no or None,
        "written": _iso(item.written),
        "topics": item.topics,
        "keywords": item.keywords,
        "status": item.status,
        "effective": _iso(item.effective),
        "expires": _iso(item.expires),
        "abolished": {"date": _iso(ab.date), "by": ab.by or None, "reason": ab.reason or None} if ab else None,
        "revised_by": item.revised_by or None,
        "replaces": item.replaces or None,
        "interprets": item.interprets,
        "interpretation_form": item.interpretation_form or None,
        "consultation": {"start": _iso(co.start), "end": _iso(co.end), "feedback": co.feedback or None} if co else None,
        "attachments": [
            {"url": a["url"], "title": a["title"]} for a in (attachment(site, item, x) for x in item.attachments)
        ],
        "effective_status": status.label,
        "effective_status_since": _iso(status.since),
        "url": item_url(item.index_no),
    }


def csv_row(rec: dict) -> list[str]:
    """The flat CSV shape of a record: nested objects become prefixed columns, lists join with `;`."""
    flat = dict(rec)
    for key, parts in (("abolished", ("date", "by", "reason")), ("consultation", ("start", "end", "feedback"))):
        nested = flat.pop(key) or {}
        flat.update({f"{key}_{p}": nested.get(p) for p in parts})
    flat["attachments"] = [a["url"] for a in rec["attachments"]]
    return [
        LIST_SEP.join(v) if isinstance(v, list) else ("" if v is None else str(v))
        for v in (flat[c] for c in CSV_COLUMNS)
    ]


def write(site_dir: Path, site: Site) -> None:
    names = {n.id: n.name for n in site.content.catalog.walk()}
    records = [record(site, item, names) for item in site.rel.items]
    doc = {
        "$schema": SCHEMA_NAME,
        "site_name": site.opts.site_name,
        "as_of": site.rel.as_of.isoformat(),
        "count": len(records),
        "items": records,
    }
    # dumps, not dump: only dumps uses the C encoder (dump writes piece by piece in Python)
    (site_dir / JSON_NAME).write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    with open(site_dir / CSV_NAME, "w", encoding="utf-8-sig", newline="") as f:
        out = safetext.SafeCsv(f)  # issue 30: formula-safe cells
        out.writerow(CSV_COLUMNS)
        out.writerows(csv_row(r) for r in records)
    shutil.copyfile(SCHEMA, site_dir / SCHEMA_NAME)
