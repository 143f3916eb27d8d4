"""pagefind_stable: a Pagefind index whose bytes depend only on its records.

A real Pagefind run gives the files; a second run in another process may list filters in
another order, which is imitated here by reversing every list Pagefind keeps in a HashMap
(so the tests do not hang on chance)."""

import asyncio
import concurrent.futures
import gzip
import hashlib
import json
from typing import Any

import cbor2
import pytest

from xxgk.search.index import _index_shard, _wanted
from xxgk.search.stable import FormatError, chunks, normalise

TOPICS = ["交通", "教育", "卫生", "环保", "财政", "住房", "农业", "文旅"]
RECORDS: list[dict[str, Any]] = [
    {
        "url": f"/items/{n}/",
        "content": f"第{n}号文件 关于{topic}的通知",
        "language": "und",
        "meta": {"title": f"关于{topic}的通知"},
        "filters": {
            "topic": [topic, TOPICS[(n + 3) % 8]],
            "year": [str(2020 + n % 3)],
            "publisher": ["市政府办公室" if n % 2 else "市交通运输局"],
        },
        "sort": {"date": f"2024-0{1 + n % 9}-01", "title": topic},
    }
    for n, topic in enumerate(TOPICS)
]


@pytest.fixture(scope="module")
def pagefind_files() -> dict[str, bytes]:
    # In a thread of its own: the session's Playwright browser keeps an event loop running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _index_shard(iter([RECORDS]), _wanted)).result()[0]


def _body(content: bytes):
    raw = gzip.decompress(content)
    assert raw.startswith(b"pagefind_dcd")
    return raw[12:]


def _name(body: bytes, meta=False) -> str:
    """Pagefind's name for a file: und_ + its SHA-1 as unpadded hex, 7 digits (11 for meta)."""
    full = "".join(format(b, "x") for b in hashlib.sha1(body).digest())
    return "und_" + full[: 11 if meta else 7]


def _write(files, value, meta=False) -> str:
    body = cbor2.dumps(value)
    name = _name(body, meta)
    files[(f"pagefind.{name}.pf_meta" if meta else f"filter/{name}.pf_filter")] = gzip.compress(b"pagefind_dcd" + body)
    return name


def _other_process_order(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same index as another Pagefind process might write it: HashMap lists reversed."""
    entry = json.loads(files["pagefind-entry.json"])
    meta_path = f"pagefind.{entry['languages']['und']['hash']}.pf_meta"
    meta = cbor2.loads(_body(files[meta_path]))
    out = {p: c for p, c in files.items() if not (p.startswith("filter/") or p.endswith(".pf_meta"))}
    filters = []
    for name, old in reversed(meta[3]):
        filter_name, values = cbor2.loads(_body(files[f"filter/{old}.pf_filter"]))
        filters.append([name, _write(out, [filter_name, values[::-1]])])
    meta[3], meta[4] = filters, meta[4][::-1]
    entry["languages"]["und"]["hash"] = _write(out, meta, meta=True)
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return out


def test_another_process_order_gives_the_same_bytes(pagefind_files):
    other = _other_process_order(pagefind_files)
    assert other != pagefind_files  # the order does show in Pagefind's own files
    assert normalise(other) == normalise(pagefind_files)


def test_files_are_named_as_pagefind_names_them_and_all_are_referenced(pagefind_files):
    files = normalise(pagefind_files)
    entry = json.loads(files["pagefind-entry.json"])
    meta_name = entry["languages"]["und"]["hash"]
    meta = cbor2.loads(_body(files[f"pagefind.{meta_name}.pf_meta"]))
    assert meta_name == _name(_body(files[f"pagefind.{meta_name}.pf_meta"]), meta=True)
    assert [f[0] for f in meta[3]] == ["publisher", "topic", "year"]
    assert [s[0] for s in meta[4]] == ["date", "title"]
    for name, short in meta[3]:
        body = _body(files[f"filter/{short}.pf_filter"])
        assert short == _name(body)
        filter_name, values = cbor2.loads(body)
        assert filter_name == name and [v[0] for v in values] == sorted(v[0] for v in values)
    assert sorted(p for p in files if p.startswith("filter/")) == sorted(f"filter/{s}.pf_filter" for _, s in meta[3])
    assert [p for p in files if p.endswith(".pf_meta")] == [f"pagefind.{meta_name}.pf_meta"]
    # what was already stable is kept byte for byte
    kept = [p for p in pagefind_files if p.startswith(("index/", "fragment/")) or p in ("pagefind.js",)]
    assert kept and all(files[p] == pagefind_files[p] for p in kept)


def test_an_index_in_an_unknown_format_is_refused_with_a_message(pagefind_files):
    entry = json.loads(pagefind_files["pagefind-entry.json"])
    meta_path = f"pagefind.{entry['languages']['und']['hash']}.pf_meta"
    broken = dict(pagefind_files, **{meta_path: gzip.compress(b"pagefind_dcd" + cbor2.dumps(["1.5.2"]))})
    with pytest.raises(FormatError, match=f"{meta_path} 结构与已知格式不符.*requirements.lock"):
        normalise(broken)
    with pytest.raises(FormatError, match=f"{meta_path} 结构与已知格式不符.*requirements.lock"):
        chunks(broken[meta_path], meta_path)  # the manifest's chunk list (search/index.py)
    # and a meta file of the known shape gives every chunk of the index, in order
    listed = chunks(pagefind_files[meta_path], meta_path)
    assert listed and sorted(f"index/{c[2]}.pf_index" for c in listed) == sorted(
        p for p in pagefind_files if p.startswith("index/")
    )


def test_fragments_carry_the_items_text_and_are_named_and_listed_by_it(pagefind_files):
    texts = {r["url"]: f"（{n}）关于{r['meta']['title']}，见附件ＡＢ。" for n, r in enumerate(RECORDS)}
    files = normalise(pagefind_files, texts)
    entry = json.loads(files["pagefind-entry.json"])
    meta = cbor2.loads(_body(files[f"pagefind.{entry['languages']['und']['hash']}.pf_meta"]))
    fragments = {p: json.loads(_body(c)) for p, c in files.items() if p.startswith("fragment/")}
    assert sorted(fragments) == sorted(f"fragment/{page}.pf_fragment" for page, _ in meta[1])
    assert sorted(f["content"] for f in fragments.values()) == sorted(texts.values())
    for path, fragment in fragments.items():
        assert fragment["content"] == texts[fragment["url"]]
        assert path == f"fragment/{_name(_body(files[path]))}.pf_fragment"
    # the words are indexed as before; without texts the fragments stay Pagefind's own
    assert all(files[p] == pagefind_files[p] for p in pagefind_files if p.startswith("index/"))
    assert {p for p in normalise(pagefind_files) if p.startswith("fragment/")} == {
        p for p in pagefind_files if p.startswith("fragment/")
    }
