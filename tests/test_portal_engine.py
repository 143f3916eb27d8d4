"""The portal's search engine with a real OpenSearch (tests/opensearch.py): member sites built
from tests/fixtures/portal with `search_records: true`, indexed by `xxgk portal-index`. Phrase
counts against the members' own records, the incremental run, an update while readers search,
members that cannot be read or send bad records, a member portal, and three nodes of which one
is killed while indexing and searching."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from opensearchpy import OpenSearch

from conftest import FIXTURES, SiteDir
from test_portal import member_repo, portal_over
from xxgk.core.docno import HAN, normalise
from xxgk.output import descriptor
from xxgk.portal import engine, query
from xxgk.search import published
from xxgk.search.text import WORD, query_words, words
from xxgk_dev.opensearch import free_port

pytestmark = [pytest.mark.build, pytest.mark.engine]

PORTAL = FIXTURES / "portal"
WITH_RECORDS = ("czj", "jyj")


def build_member(root: Path, mid: str, records: bool = True) -> SiteDir:
    site = member_repo(root, mid)
    if records:  # jyj in two shards (2023: 2 items, 2024: 6), to see one skipped and one indexed
        shard = "      search_shard_items: 6\n" if mid == "jyj" else ""
        site.edit("mkdocs.yml", "  - xxgk:\n", f"  - xxgk:\n      search_records: true\n{shard}")
    result = site.build()
    assert result.code == 0, result.text
    return site


def make_portal(root: Path, alias: str, members: dict[str, str] | None = None) -> SiteDir:
    """The fixture portal over czj, jyj (records published) and wjw (no records), indexing into `alias`."""
    for mid in ("czj", "jyj", "wjw"):
        build_member(root, mid, records=mid in WITH_RECORDS)
    shutil.copytree(PORTAL / "portal", root / "portal")
    portal = SiteDir(root / "portal")
    portal.edit(
        "mkdocs.yml", "        members:\n", f"        engine: {{index: {alias}, replicas: '0-1'}}\n        members:\n"
    )
    return portal


def index(portal: SiteDir, hosts: list[str], *args: str):
    engines = [a for h in hosts for a in ("--engine", h)]
    return portal.command("portal-index", *engines, "--format", "json", *args)


def records(site_dir: Path) -> list[dict]:
    doc = json.loads((site_dir / descriptor.NAME).read_text(encoding="utf-8"))
    out = []
    for entry in doc["search"]["records"]["files"]:
        out += [json.loads(line) for line in gzip.open(site_dir / entry["path"], "rt", encoding="utf-8")]
    return out


def phrase_query(phrase: str, member: str | None = None) -> dict:
    text = {"bool": {"should": [{"match_phrase": {f: phrase}} for f in ("text", "more")], "minimum_should_match": 1}}
    return {"bool": {"filter": [text] + ([{"term": {"member": member}}] if member else [])}}


def count(client: OpenSearch, alias: str, query: dict) -> int:
    return client.count(index=alias, body={"query": query})["count"]


@pytest.fixture
def client(opensearch_node) -> OpenSearch:
    return OpenSearch(opensearch_node.hosts, timeout=30)


def test_a_phrase_finds_exactly_the_members_records_containing_it(tmp_path, opensearch_node, client):
    portal = make_portal(tmp_path, "phrase")
    result = index(portal, opensearch_node.hosts)
    assert result.code == 0, result.text
    report = json.loads(result.out)
    states = {m["member"]: m["state"] for m in report["members"]}
    assert states == {"czj": "indexed", "jyj": "indexed", "wjw": "kept"}
    assert "W700" in result.err and "search_records: true" in result.err  # wjw is named, with what to do
    mine = [r for mid in WITH_RECORDS for r in records(tmp_path / mid / "site")]
    assert count(client, "phrase", {"match_all": {}}) == len(mine) == 12
    # every Han run of every title, cut into its 2- to 4-character pieces: the static search's rule
    # is that an item is found exactly when its text contains the query
    phrases = sorted(
        {
            run[i : i + n]
            for r in mine
            for run in re.findall(f"[{HAN}]+", r["title"])
            for n in (2, 3, 4)
            for i in range(len(run) - n + 1)
        }
    )
    assert len(phrases) > 100
    for phrase in phrases:
        expected = sum(phrase in r["text"] or phrase in r["more"] for r in mine)
        assert count(client, "phrase", phrase_query(phrase)) == expected, phrase
    # the exact keys, normalised as the core does: a 文号 typed with other brackets finds its item
    own = next(r for r in mine if r["keys"]["own"])
    assert count(client, "phrase", {"term": {"key_own": own["keys"]["own"]}}) == 1
    assert count(client, "phrase", {"term": {"key_index": own["keys"]["index"]}}) == 1
    # facets are aggregations over the same documents
    aggs = client.search(index="phrase", body={"size": 0, "aggs": {"m": {"terms": {"field": "member", "size": 10}}}})
    assert {b["key"]: b["doc_count"] for b in aggs["aggregations"]["m"]["buckets"]} == {"czj": 4, "jyj": 8}


def _static_count(mine: list[dict], part: str) -> int:
    """The static search's count for a part (search/text.py, search.js): the phrase of its words,
    a last one-character Han run asked also as the start of a longer run (2024年 → 2024年度)."""
    asked = query_words(part)
    runs = WORD.findall(normalise(part))
    if len(runs) > 1 and len(runs[-1]) == 1 and re.fullmatch(f"[{HAN}]", runs[-1]):
        asked = asked[:-1]
    phrase = "\0" + "\0".join(asked) + "\0"
    return sum(
        any(phrase in "\0" + "\0".join(words(r[f], normalised=True)) + "\0" for f in ("text", "more")) for r in mine
    )


def test_a_one_character_run_beside_digits_is_found_where_the_static_search_finds_it(tmp_path, opensearch_node, client):
    """2024年 in 2024年度, 号10 in 文号10, 商 at the end of 营商: the bigram text cannot hold them
    (年度 is one token, 商 starts none), the `.chars` sub-fields can; the door's own request
    (portal/query.py) counts what the static search counts, and only that (a Han run never
    reaches across punctuation into the next)."""
    portal = make_portal(tmp_path, "chars")
    assert index(portal, opensearch_node.hosts).code == 0
    mine = [r for mid in WITH_RECORDS for r in records(tmp_path / mid / "site")]
    texts = " ".join(r["text"] + " " + r["more"] for r in mine)
    parts = set(re.findall(f"[0-9a-z]+[{HAN}]", texts)) | set(re.findall(f"[{HAN}][0-9a-z]+", texts))
    parts |= {p + "，" + q for p, q in re.findall(f"([{HAN}]{{2}})，([{HAN}]{{2}})", texts)}  # across punctuation
    parts |= set(re.findall(f"[{HAN}]", texts)[::7])  # one character: at a run's end too (营商's 商)
    assert len(parts) > 10
    longer = 0
    for part in sorted(parts):
        asked = query.body(query.ask({"query": part, "limit": 0}, query.Limits()))
        found = client.search(index="chars", body=asked)["hits"]["total"]["value"]
        assert found == _static_count(mine, part), part
        longer += found > sum(
            re.search(re.escape(part) + f"(?![{HAN}])", r["text"] + "\n" + r["more"]) is not None for r in mine
        )
    assert longer  # some are found only inside a longer run: what the bigrams missed


def test_the_next_run_skips_unchanged_shards_and_a_changed_one_replaces_its_items(tmp_path, opensearch_node, client):
    portal = make_portal(tmp_path, "incremental")
    assert index(portal, opensearch_node.hosts).code == 0
    again = json.loads(index(portal, opensearch_node.hosts).out)
    assert {m["member"]: (m["shards_indexed"], m["documents"]) for m in again["members"]} == {
        "czj": (0, 0),
        "jyj": (0, 0),
        "wjw": (0, 0),
    }
    assert not again["rebuilt"]
    jyj = SiteDir(tmp_path / "jyj")
    jyj.edit("content/items/2024/training.md", "\n---\n\n", "\n---\n\n本次培训新增数字素养课程。\n\n")
    (jyj.path / "content/items/2024/enrol.md").unlink()
    assert jyj.build().code == 0
    after = json.loads(index(portal, opensearch_node.hosts).out)
    by = {m["member"]: m for m in after["members"]}
    assert by["czj"]["shards_indexed"] == 0 and by["czj"]["shards_skipped"] == 1
    assert by["jyj"]["shards_indexed"] == 1 and by["jyj"]["shards_skipped"] == 1  # 2023 is unchanged
    assert count(client, "incremental", phrase_query("数字素养课程")) == 1
    assert count(client, "incremental", {"term": {"member": "jyj"}}) == 7  # the deleted item is gone
    # a run stopped half way (documents of a shard missing) is finished by the next
    hits = client.search(index="incremental", body={"query": {"term": {"member": "czj"}}, "size": 2})["hits"]["hits"]
    for hit in hits:
        client.delete(index=hit["_index"], id=hit["_id"], refresh=True)
    resumed = {m["member"]: m for m in json.loads(index(portal, opensearch_node.hosts).out)["members"]}
    assert resumed["czj"]["shards_indexed"] == 1 and resumed["jyj"]["shards_indexed"] == 0
    assert count(client, "incremental", {"term": {"member": "czj"}}) == 4


def test_a_member_update_never_leaves_its_items_missing_while_readers_search(tmp_path, opensearch_node, client):
    portal = make_portal(tmp_path, "swap")
    assert index(portal, opensearch_node.hosts).code == 0
    seen: list[int] = []
    failures: list[Exception] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.append(count(client, "swap", {"term": {"member": "jyj"}}))
            except Exception as exc:  # any failed search is a finding
                failures.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        jyj = SiteDir(tmp_path / "jyj")
        jyj.edit("content/items/2024/training.md", "\n---\n\n", "\n---\n\n培训新增人工智能通识。\n\n")
        assert jyj.build().code == 0
        assert index(portal, opensearch_node.hosts).code == 0  # in place: new documents, then stale ones go
        rebuilt = index(portal, opensearch_node.hosts, "--rebuild")  # a new index and an alias swap
        assert rebuilt.code == 0 and json.loads(rebuilt.out)["rebuilt"]
    finally:
        stop.set()
        thread.join()
    assert not failures
    assert len(seen) > 5 and min(seen) == max(seen) == 8
    assert count(client, "swap", phrase_query("人工智能通识")) == 1
    assert len(client.indices.get(index="swap-*")) == 1  # the old index is dropped after the swap


def test_a_member_that_cannot_be_read_or_sends_bad_records_keeps_its_documents(tmp_path, opensearch_node, client):
    portal = make_portal(tmp_path, "kept")
    assert index(portal, opensearch_node.hosts).code == 0
    site = tmp_path / "jyj" / "site"
    shutil.move(site, tmp_path / "jyj-away")
    result = index(portal, opensearch_node.hosts)
    assert result.code == 0  # a warning: the member is named, its documents stay
    assert re.search(r"\.\./jyj/site:1: W701 .*搜索引擎保留该成员上次索引的文档", result.err), result.err
    assert {m["member"]: m["state"] for m in json.loads(result.out)["members"]}["jyj"] == "kept"
    assert count(client, "kept", {"term": {"member": "jyj"}}) == 8
    rebuilt = index(portal, opensearch_node.hosts, "--rebuild")  # a rebuild carries them over
    assert rebuilt.code == 0 and count(client, "kept", {"term": {"member": "jyj"}}) == 8
    shutil.move(tmp_path / "jyj-away", site)
    # a records file that is not the one the descriptor lists
    entry = json.loads((site / descriptor.NAME).read_text(encoding="utf-8"))["search"]["records"]["files"][0]
    (site / entry["path"]).write_bytes(published.encode([{"index_no": "x"}]))
    result = index(portal, opensearch_node.hosts, "--rebuild")
    assert result.code == 1
    assert f"../jyj/site/{entry['path']}:1: E701 文件的 SHA-256 与 xxgk-site.json 所列不符" in result.err
    assert "Traceback" not in result.err
    assert count(client, "kept", {"term": {"member": "jyj"}}) == 8
    # the right hash over a bad record: named by its line
    doc = json.loads((site / descriptor.NAME).read_text(encoding="utf-8"))
    good = records(tmp_path / "czj" / "site")[0]
    data = published.encode([good, {**good, "text": 5}])
    (site / entry["path"]).write_bytes(data)
    doc["search"]["records"]["files"][0].update(sha256=hashlib.sha256(data).hexdigest(), count=2)
    (site / descriptor.NAME).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = index(portal, opensearch_node.hosts)
    assert result.code == 1 and f"{entry['path']}:2: E702 记录不符合 search-record.schema.json" in result.err
    assert count(client, "kept", {"term": {"member": "jyj"}}) == 8


def lists(portal_dir: Path, *members: dict) -> None:
    """A hand-written level: a portal folder whose xxgk-portal.json lists `members`."""
    portal_dir.mkdir(parents=True, exist_ok=True)
    doc = {"format": 2, "site_name": portal_dir.name, "members": list(members), "site_url": "", "sites": []}
    (portal_dir / "xxgk-portal.json").write_text(json.dumps(doc), encoding="utf-8")


def test_member_portals_are_followed_to_any_level_once_each_without_cycles(tmp_path, opensearch_node, client):
    """province → city → county → its three sites, all real builds, laid out as nginx serves them;
    the 财政局 listed by the province too (once, at the shortest path: by its address); a county
    that lists itself (W751) and a chain five levels deep (W750) are not followed."""
    county = make_portal(tmp_path / "county", "unused")
    assert county.build().code == 0  # writes xxgk-portal.json
    for mid in ("czj", "jyj", "wjw"):  # served under the county portal
        (county.path / "site" / mid).symlink_to(tmp_path / "county" / mid / "site")
    city = portal_over(
        tmp_path / "city", "        members:\n          - {id: county, source: ../county/portal/site, url: county/}\n"
    )
    assert city.build().code == 0, "a portal over a portal builds"
    (city.path / "site" / "county").symlink_to(county.path / "site")
    published = json.loads((city.path / "site" / "xxgk-portal.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in published["members"]] == ["county"]
    assert [s["path"] for s in published["sites"]] == [["county", "czj"], ["county", "jyj"], ["county", "wjw"]]
    pages = county.path / "site"
    (pages / "loop").symlink_to(pages)  # the county lists itself
    lists(pages / "deep", {"id": "d", "url": "d/"})  # city/county/deep/d/jyj: level 5
    lists(pages / "deep" / "d", {"id": "jyj", "url": "jyj/"})
    (pages / "deep" / "d" / "jyj").symlink_to(tmp_path / "county" / "jyj" / "site")
    doc = json.loads((pages / "xxgk-portal.json").read_text(encoding="utf-8"))
    doc["members"] += [{"id": "loop", "url": "loop/"}, {"id": "deep", "url": "deep/"}]
    (pages / "xxgk-portal.json").write_text(json.dumps(doc), encoding="utf-8")
    province = portal_over(
        tmp_path / "province",
        "        engine: {index: province}\n        members:\n"
        "          - {id: city, source: ../city/site, url: city/}\n"
        "          - {id: czj, source: ../county/czj/site, url: city/county/czj/}\n",
    )
    result = index(province, opensearch_node.hosts)
    assert result.code == 0, result.text
    states = {m["member"]: m["state"] for m in json.loads(result.out)["members"]}
    assert states == {
        "czj": "indexed",
        "city/county/czj": "twice",
        "city/county/jyj": "indexed",
        "city/county/wjw": "kept",
    }
    assert "W752 与 czj 是同一站点（city/county/czj/）" in result.err
    assert re.search(r"county/portal/site:1: W751 门户 city/county/loop 经由下级门户又列入了自己", result.err), (
        result.err
    )
    assert "W750 city/county/deep/d/jyj 在第 5 级，超过 4 级" in result.err
    assert count(client, "province", {"term": {"member": "city"}}) == 8  # jyj's only: czj is indexed as czj
    assert count(client, "province", {"term": {"member_path": "city/county/jyj"}}) == 8
    assert count(client, "province", {"term": {"member_path": "czj"}}) == 4
    assert count(client, "province", {"term": {"member_path": "city/county/czj"}}) == 0
    hit = client.search(index="province", body={"query": {"term": {"member_path": "city/county/jyj"}}, "size": 1})
    source = hit["hits"]["hits"][0]["_source"]
    assert source["url"].startswith("city/county/jyj/items/")
    assert source["member_path"] == ["city", "city/county", "city/county/jyj"]


@pytest.mark.cli
def test_an_engine_that_does_not_answer_is_named_with_what_to_do(tmp_path):
    shutil.copytree(PORTAL / "portal", tmp_path / "portal")
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = SiteDir(tmp_path / "portal").xxgk("portal-index", "--engine", nowhere, "--index", "nowhere")
    assert result.code == 1
    assert re.search(f"mkdocs.yml:1: E700 无法连接搜索引擎 {nowhere}.*scripts/opensearch start", result.err)
    assert "Traceback" not in result.err


# ---------------------------------------------------------------- three nodes, one killed


def big_member(root: Path, copies: int) -> None:
    """jyj's built site with `copies` times its records, each under its own 索引号: enough
    documents for the indexing to be under way when a node is killed."""
    site = root / "jyj" / "site"
    doc = json.loads((site / descriptor.NAME).read_text(encoding="utf-8"))
    mine = records(site)
    entries = []
    for n, entry in enumerate(doc["search"]["records"]["files"]):
        many = [{**r, "index_no": f"{r['index_no']}-{k}"} for k in range(copies) for r in mine[n::2]]
        data = published.encode(many)
        (site / entry["path"]).write_bytes(data)
        entries.append({**entry, "sha256": hashlib.sha256(data).hexdigest(), "count": len(many)})
    doc["search"]["records"]["files"] = entries
    (site / descriptor.NAME).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def filling(client: OpenSearch, alias: str) -> bool:
    """A rebuild's new index (not the alias's) holds some documents. Asked of the index's stats,
    not by a search: a search of an index whose shards are still being allocated fails (503)."""
    new = set(client.indices.get(index=f"{alias}-*")) - {engine.current_index(client, alias)}
    if not new:
        return False
    stats = client.indices.stats(index=next(iter(new)), metric="docs")
    return stats["_all"]["primaries"].get("docs", {}).get("count", 0) > 0


def test_killing_one_node_of_three_loses_no_query_and_no_document(tmp_path, opensearch_cluster):
    from xxgk.portal.indexer import Indexer

    portal = make_portal(tmp_path, "faults")
    portal.edit("mkdocs.yml", "replicas: '0-1'", "replicas: 1")
    big_member(tmp_path, 1500)
    expected = 4 + sum(
        e["count"]
        for e in json.loads((tmp_path / "jyj/site" / descriptor.NAME).read_text())["search"]["records"]["files"]
    )
    hosts = opensearch_cluster.hosts
    assert index(portal, hosts).code == 0
    client = OpenSearch(hosts, timeout=30, max_retries=5, retry_on_timeout=True)
    assert count(client, "faults", {"match_all": {}}) == expected
    answered: list[int] = []
    failures: list[Exception] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                answered.append(count(client, "faults", phrase_query("学籍管理")))
            except Exception as exc:
                failures.append(exc)

    from xxgk.core.options import read_mkdocs_yml
    from xxgk.portal import config

    opts = read_mkdocs_yml(portal.path)
    portal_config = config.parse(opts)
    assert portal_config is not None and portal_config.engine is not None
    settings = portal_config.engine
    settings.hosts = tuple(hosts)
    thread = threading.Thread(target=reader)
    thread.start()
    outcome: list = []

    def rebuild():
        try:
            outcome.append(Indexer(opts, portal_config, settings, engine.connect(settings)).run(rebuild=True))
        except Exception as exc:  # the run may give up on a lost node: the next run resumes
            outcome.append(exc)

    indexing = threading.Thread(target=rebuild)
    indexing.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not filling(client, "faults"):
            time.sleep(0.1)  # until the rebuild's new index is being filled
        assert indexing.is_alive()  # killed while the rebuild writes and the reader searches
        opensearch_cluster.kill(opensearch_cluster.nodes[1])
        indexing.join(timeout=600)
        assert not indexing.is_alive()
        resumed = index(portal, hosts)  # finishes what a run that gave up left, skips the rest
        assert resumed.code == 0, resumed.text
        print("the rebuild during the kill:", outcome[0], "the next run:", resumed.out)
        time.sleep(2)
    finally:
        stop.set()
        thread.join()
    assert not failures, failures[:3]
    assert answered and min(answered) == max(answered)  # every query answered, with every item
    assert count(client, "faults", {"match_all": {}}) == expected
