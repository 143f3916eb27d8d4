"""Open catalog data: catalog.json, catalog.csv (UTF-8 with BOM, for spreadsheet software)
and the JSON Schema that documents them, written once per build into the site root.

Field names are the docs/format.md keys (the public fields of core/fields.py, in its order);
`effective_status`, `effective_status_since` and `url` are derived (status on the as-of date;
page URL relative to the site root)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from xxgk.core import safetext
from xxgk.core.fields import FIELDS
from xxgk.core.model import Item
from xxgk.core.site import Site
from xxgk.core.urls import ROUTES, item_url
from xxgk.output.pages import attachment

SCHEMA = Path(__file__).with_name("catalog.schema.json")
JSON_NAME, CSV_NAME, SCHEMA_NAME = ROUTES["open_json"], ROUTES["open_csv"], ROUTES["open_schema"]
LIST_SEP = ";"  # inside one CSV cell; no topic, keyword or index_no contains it

# The catalog's key first, then every public field in the table's order (a mapping's parts
# each a column of their own in the CSV), a department's and a node's name after their id.
KEYS = ("index_no", *(k for k, f in FIELDS.items() if f.public and k != "index_no"))
NAMES = {"publisher": "publisher_name", "category": "category_name"}
DERIVED = ("effective_status", "effective_status_since", "url")


def _columns():
    for key in KEYS:
        yield from [f"{key}_{p}" for p in FIELDS[key].parts] or [key]
        if key in NAMES:
            yield NAMES[key]
    yield from DERIVED


CSV_COLUMNS = tuple(_columns())


def _plain(value):
    """A typed value as JSON holds it: dates in ISO form, empty text and no value as null."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return value
    return value or None


def record(site: Site, item: Item, names: dict[str, str]) -> dict:
    """One item as catalog.json holds it (see catalog.schema.json)."""
    status = site.rel.status_of(item)
    dep = site.content.departments.get(item.publisher)
    given = {"publisher_name": dep.name if dep else None, "category_name": names.get(item.category)}
    rec: dict = {}
    for key in KEYS:
        value, parts = getattr(item, key), FIELDS[key].parts
        if key == "attachments":
            rec[key] = [{"url": a.url, "title": a.title} for a in (attachment(site, item, x) for x in value)]
        elif parts:
            rec[key] = {p: _plain(getattr(value, p)) for p in parts} if value else None
        else:
            rec[key] = _plain(value)
        if key in NAMES:
            rec[NAMES[key]] = given[NAMES[key]]
    rec.update(effective_status=status.label, effective_status_since=_plain(status.since), url=item_url(item.index_no))
    return rec


def csv_row(rec: dict) -> list[str]:
    """The flat CSV shape of a record: nested objects become prefixed columns, lists join with `;`."""
    flat = dict(rec)
    for key in (k for k in KEYS if FIELDS[k].parts):
        nested = flat.pop(key) or {}
        flat.update({f"{key}_{p}": nested.get(p) for p in FIELDS[key].parts})
    flat["attachments"] = [a["url"] for a in rec["attachments"]]
    return [
        LIST_SEP.join(v) if isinstance(v, list) else ("" if v is None else str(v))
        for v in (flat[c] for c in CSV_COLUMNS)
    ]


FILES = (JSON_NAME, CSV_NAME)  # made from the items (the schema is copied as it is)


def made_from(site: Site) -> list:
    """Everything FILES are made from besides the site's configuration and as-of date (a page
    cache key's salt covers those and the code): each item as record() reads it, its
    publisher's and category's names. A change to this module's reading must change this."""
    names = {n.id: n.name for n in site.content.catalog.walk()}
    departments = site.content.departments
    return [
        (item, departments[item.publisher].name if item.publisher in departments else None, names.get(item.category))
        for item in site.rel.items
    ]


def write(site_dir: Path, site: Site) -> None:
    """FILES (write_schema writes the schema beside them)."""
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


def write_schema(site_dir: Path) -> None:
    shutil.copyfile(SCHEMA, site_dir / SCHEMA_NAME)
