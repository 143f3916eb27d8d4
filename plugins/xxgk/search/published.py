"""The search records a member publishes for a portal's search engine (`search_records: true`):
search-records/<shard>.jsonl.gz beside xxgk-site.json, one file per search shard, each line
one item's record in the shape of search-record.schema.json, listed in the descriptor with its
SHA-256 and count (output/descriptor.py). Any indexer can read them; xxgk's is
`xxgk portal-index` (portal/indexer.py).

A record holds what the static search indexes, before it is cut into Pagefind's words: the
text as indexed (core/docno.normalise applied), the filters, the exact keys as the core
normalises them and the excerpt's source. The files are gzip with no name and no time in
their header, so a shard whose items did not change has the same bytes and the same hash in
the next build: an indexer skips it. Change the shape only together with a new FORMAT."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

from xxgk.core.docno import doc_no_key, normalise
from xxgk.core.model import Item
from xxgk.core.site import Site
from xxgk.search import records
from xxgk.search.text import cited_doc_nos, index_no_key

FORMAT = 1
FOLDER = "search-records"
SCHEMA_NAME = "search-record.schema.json"
SCHEMA = Path(__file__).parent / SCHEMA_NAME


def record(site: Site, item: Item, nodes: dict) -> dict:
    """One item's published record: the static search's record (search/records.py) for the
    shown fields and filters, and its texts before they are cut into words."""
    made = records.record(site, item, nodes)
    meta = made["meta"]
    text, more = (normalise(t) for t in records.searchable_text(site, item))
    return {
        "index_no": item.index_no,
        "url": made["url"],
        "title": item.title,
        "publisher": meta["publisher"],
        "date": meta["date"],
        "doc_no": item.doc_no,
        "status": meta["status"],
        "validity": "no_validity" not in meta,
        "ahead": meta.get("ahead", ""),
        "filters": made["filters"],
        "text": text,
        "more": more,
        "keys": {
            "own": doc_no_key(item.doc_no) or None,
            "cited": sorted(cited_doc_nos(f"{text}\n{more}", normalised=True)),
            "index": index_no_key(item.index_no),
        },
        "excerpt": made[records.TEXT],
    }


def encode(lines: list[dict]) -> bytes:
    """JSON Lines, gzip with a fixed header (no file name, time 0): the same records, the same bytes."""
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in lines).encode("utf-8")
    return gzip.compress(body, compresslevel=6, mtime=0)


def write(site_dir: Path, site: Site, shards: dict[str, list[Item]]) -> dict:
    """Every shard's records file and the schema; returns the descriptor's `search.records`."""
    folder = site_dir / FOLDER
    folder.mkdir(exist_ok=True)
    nodes = {n.id: n for n in site.content.catalog.walk()}
    files = []
    for shard, items in shards.items():
        data = encode([record(site, item, nodes) for item in items])
        path = f"{FOLDER}/{shard}.jsonl.gz"
        (site_dir / path).write_bytes(data)
        files.append({"shard": shard, "path": path, "sha256": hashlib.sha256(data).hexdigest(), "count": len(items)})
    shutil.copyfile(SCHEMA, folder / SCHEMA_NAME)
    return {"format": FORMAT, "schema": f"{FOLDER}/{SCHEMA_NAME}", "files": files}
