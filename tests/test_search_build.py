"""The search index as a build writes it: word cutting, records from the core, one shard
per publication year, shards reused when their items did not change."""

from __future__ import annotations

import json
import random
import re
import sys

import pytest

from conftest import DEMO_AS_OF, copy_demo
from xxgk.core.docno import HAN, doc_no_key, normalise
from xxgk.core.model import Item
from xxgk.core.options import read_mkdocs_yml
from xxgk.rules import analyse
from xxgk.search.records import excerpt_text, records, shards
from xxgk.search.text import CITED_DOC_NO, OWN_DOC_NO, WORD, cited_doc_nos, key_word, query_words, words

HAN_CHAR = re.compile(f"[{HAN}]")


def test_han_characters_are_words_and_each_run_ends_in_a_marked_word():
    assert words("营商环境，优化2018年度ＡＢ") == [
        "营",
        "商",
        "环",
        "境",
        "境z",
        "优",
        "化",
        "化z",
        "2018",
        "年",
        "度",
        "度z",
        "ab",
    ]
    assert query_words("商环境") == ["商", "环", "境"]
    assert query_words("津政办函〔2018〕10号") == ["津", "政", "办", "函", "函z", "2018", "10", "号", "号z"]
    # the query's words occur consecutively in the text's words exactly where the text has it
    text, query = words("关于优化营商环境的通知"), query_words("营商环境")
    assert any(text[i : i + len(query)] == query for i in range(len(text)))
    assert not any(text[i : i + 2] == query_words("营环") for i in range(len(text)))


def _found(text: str, query: str) -> bool:
    """The search's rule, by phrase: query_words(query) consecutive in words(text)."""
    return f"\0{chr(0).join(query_words(query))}\0" in f"\0{chr(0).join(words(text))}\0"


def _contains(text: str, query: str) -> bool:
    """The rule said without words: text and query as runs of Han characters and of [0-9a-z]
    (anything else only parts runs). A query of one Han run occurs inside one run of the text;
    of several, they are consecutive runs of the text, the first a run's end (a Latin run: whole),
    the middle ones whole, the last a run's start (Latin, or one Han character: whole)."""
    runs, asked = WORD.findall(normalise(text)), WORD.findall(normalise(query))
    if len(asked) == 1:
        return any(asked[0] in r if HAN_CHAR.match(asked[0]) else asked[0] == r for r in runs)
    for j in range(len(runs) - len(asked) + 1):
        got = runs[j : j + len(asked)]
        first, *middle, last = asked
        if not (got[0].endswith(first) if HAN_CHAR.match(first) else got[0] == first):
            continue
        if middle != got[1:-1] or any(bool(HAN_CHAR.match(a)) != bool(HAN_CHAR.match(g)) for a, g in zip(asked, got)):
            continue
        if got[-1].startswith(last) if HAN_CHAR.match(last) and len(last) > 1 else got[-1] == last:
            return True
    return False


def test_every_text_containing_a_query_of_two_or_more_characters_is_found_and_only_those():
    """Random texts and queries over a few characters, so that runs meet, repeat and part
    in every way: the phrase rule and the rule said in runs agree on every pair."""
    rng = random.Random(35)
    alphabet = list("营商环境优") + ["ab", "1", "2"] + list("，。 《")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(400)]
    queries = {"".join(rng.choice(alphabet) for _ in range(rng.randint(2, 5))) for _ in range(600)}
    checked = 0
    for query in queries:
        if len(WORD.findall(normalise(query))) == 0 or len(normalise(query).replace(" ", "")) < 2:
            continue
        if " " in normalise(query).strip():  # parts typed apart are asked one by one (search.js)
            continue
        for text in texts:
            assert _found(text, query) == _contains(text, query), (text, query)
            checked += _contains(text, query)
    assert checked > 500  # the sample finds things, not only misses


@pytest.mark.parametrize(
    "typed",
    [
        "津政办函〔2018〕10号",
        "津政办函[2018]10号",
        "津政办函(2018)10号",
        "津政办函（2018）10号",
        "津政办函〔2018〕10",
        "津政办函 ［2018］ 第010号",
    ],
)
def test_document_number_spellings_share_one_key(typed):
    assert doc_no_key(typed) == "津政办函〔2018〕10"


def test_keys_do_not_confuse_numbers_that_share_digits():
    assert doc_no_key("津政办函〔2018〕1号") != doc_no_key("津政办函〔2018〕10号")
    assert doc_no_key("云溪市人民政府令第3号") != doc_no_key("云溪市人民政府令第30号")
    assert doc_no_key("2018年") == "" and doc_no_key("命令") == "" and doc_no_key("第十号") == ""


@pytest.mark.parametrize(
    "typed",
    [
        "云溪市人民政府令第10号",
        "云溪市人民政府令10号",
        "云溪市人民政府令第10",
        "云溪市人民政府令第十号",
        "云溪市人民政府令 第 ０１０ 号",
    ],
)
def test_order_number_spellings_share_one_key(typed):
    assert doc_no_key(typed) == "云溪市人民政府令10"


def test_order_numbers_in_chinese_numerals_and_in_running_text():
    assert doc_no_key("国务院令第七〇八号") == doc_no_key("国务院令第708号") == "国务院令708"
    assert doc_no_key("中华人民共和国主席令第三十一号") == "中华人民共和国主席令31"
    keys = cited_doc_nos("（2018年6月12日云溪市人民政府令第1号公布）。不得违反命令第三条")
    assert {"云溪市人民政府令1", "人民政府令1", "政府令1"} <= keys
    assert not any("3" in k for k in keys)  # 命令第三条 is prose, not a 令号


def test_cited_numbers_are_found_in_running_text():
    keys = cited_doc_nos("根据《办法》（津政办函〔2018〕10号）和国发[2019]3号的规定")
    assert {"津政办函〔2018〕10", "国发〔2019〕3"} <= keys
    # space between the issuer and the bracket, twice in a row: the issuer is still found
    # (text.py leaves the space to the issuer's rstrip) and stops at the previous number
    keys = cited_doc_nos("津政办函 〔2018〕10号　国发\t[2019]3号")
    assert {"津政办函〔2018〕10", "国发〔2019〕3"} <= keys and not any("号国发" in k for k in keys)


def test_excerpt_text_is_the_body_read_as_text_with_each_whitespace_run_one_space():
    body = "# 标题\n\n**加粗**、`代码`和[链接](a/b.md)：\u3000甲\xa0乙\t\x1c丙  \n| 表 | 格 |\n|---|---|\n![图](x.png)"
    item = Item("content/items/a.md", "items/a.md", body, 1, {}, {}, title="题", summary="\u3000概述 ")
    assert excerpt_text(item) == "概述 标题 加粗、代码和链接： 甲 乙 丙 表 格 图"
    for only in ("`代码`", "__代码__", "**代码**"):  # each mark alone is still taken out
        assert excerpt_text(Item("content/items/a.md", "items/a.md", only, 1, {}, {})) == "代码"


@pytest.fixture
def searchable(mini):
    mini.edit("mkdocs.yml", "      search: false\n", "      search_shard_items: 5\n")  # a shard per year (2024 has 5)
    mini.item(
        "2023/bgs/old.md",
        """
title: 测试市2023年营商环境工作要点
index_no: 11990100MB0000001T/2023-00001
publisher: bgs
published: 2023-02-01
category: tzgg
""",
        "依据测政规〔2024〕1号开展工作。",
    )
    return mini


def test_years_are_grouped_into_shards_up_to_the_size_limit(searchable):
    opts = read_mkdocs_yml(searchable.path)
    for year in (2019, 2020, 2021):
        searchable.item(
            f"{year}/bgs/a.md",
            f"""
title: 测试市{year}年工作要点
index_no: 11990100MB0000001T/{year}-00001
publisher: bgs
published: {year}-02-01
category: tzgg
""",
        )
    in_2024 = len(list((searchable.path / "content/items/2024").rglob("*.md")))
    assert in_2024 == 5  # 2024-03-05 twice, 2024-04-01, 2024-05-10 twice
    sizes = lambda limit: [(k, len(v)) for k, v in shards(analyse(_with(opts, limit))).items()]
    assert sizes(5) == [("2024", 5), ("2019-2023", 4)]  # cut from the oldest
    assert sizes(3) == [("2024-05", 2), ("2024-03~2024-04", 3), ("2023", 1), ("2019-2021", 3)]
    assert sizes(2) == [("2024-05", 2), ("2024-04", 1), ("2024-03", 2), ("2021-2023", 2), ("2019-2020", 2)]
    # a month too large is cut into days; a day is never split
    assert sizes(1) == [("2024-05-10", 2), ("2024-04", 1), ("2024-03-05", 2)] + [
        (y, 1) for y in ("2023", "2021", "2020", "2019")
    ]
    assert sizes(10000) == [("2019-2024", in_2024 + 4)]
    site = analyse(_with(opts, 2))
    dates = [[i.published for i in items if i.published] for items in shards(site).values()]
    assert sum(map(len, dates)) == len(site.rel.items)  # every item has its date
    assert all(d == sorted(d, reverse=True) for d in dates)  # newest first in each shard
    assert all(a[-1] > b[0] for a, b in zip(dates, dates[1:]))  # and the shards in date order, disjoint


def _with(opts, limit):
    opts.search_shard_items = limit
    return opts


def test_records_come_from_the_core(searchable):
    site = analyse(read_mkdocs_yml(searchable.path))
    by_shard = shards(site)
    assert list(by_shard) == ["2024", "2023"]
    (old,) = records(site, by_shard["2023"])
    assert old["url"] == "items/11990100MB0000001T/2023-00001/"
    assert old["language"] == "und"
    assert old["filters"]["year"] == ["2023"] and old["filters"]["status"] == ["有效"]
    assert old["meta"]["publisher"] == "测试市人民政府办公室"
    content = old["content"].split()
    assert key_word(CITED_DOC_NO, "测政规〔2024〕1") in content
    policy = next(r for r in records(site, by_shard["2024"]) if r["meta"]["doc_no"] == "测政规〔2024〕1号")
    assert key_word(OWN_DOC_NO, "测政规〔2024〕1") in policy["content"].split()


def _log(result) -> str:
    return next(line for line in result.text.splitlines() if "搜索索引：" in line)


@pytest.mark.build
def test_one_shard_per_year_and_only_changed_shards_are_indexed_again(searchable):
    result = searchable.build()
    assert result.code == 0, result.text
    pagefind = searchable.path / "site/pagefind"
    manifest = json.loads((pagefind / "manifest.json").read_text(encoding="utf-8"))
    in_2024 = len(list((searchable.path / "content/items/2024").rglob("*.md")))
    assert [(s["id"], s["count"]) for s in manifest["shards"]] == [("2024", in_2024), ("2023", 1)]
    old = manifest["shards"][1]
    assert (old["first"], old["last"], old["years"]) == ("2023-02-01", "2023-02-01", ["2023"])
    assert manifest["shards"][0]["first"].startswith("2024") and len(old["tag"]) == 16
    assert "重建 2024、2023" in _log(result)
    # one runtime for every shard; each shard's entry takes the WebAssembly from it
    assert (pagefind / "pagefind.js").is_file() and (pagefind / "wasm.unknown.pagefind").is_file()
    assert not list(pagefind.glob("*/pagefind.js")) and not list(pagefind.glob("*/wasm.*"))
    assert not list(pagefind.rglob("pagefind-ui.js"))  # Pagefind's own UI is not shipped
    entry = json.loads((pagefind / "2023/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["und"] and entry["languages"]["und"]["page_count"] == 1
    assert entry["languages"]["und"]["wasm"] == "unknown/../../wasm.unknown"
    first = {p.relative_to(pagefind): p.read_bytes() for p in pagefind.rglob("*") if p.is_file()}

    again = searchable.build()  # --clean: the cache, not site/, carries the shards over
    assert "重建 无" in _log(again)
    assert {p.relative_to(pagefind): p.read_bytes() for p in pagefind.rglob("*") if p.is_file()} == first
    searchable.edit("content/items/2023/bgs/old.md", "开展工作", "开展全年工作")
    changed = searchable.build()
    assert "重建 2023）" in _log(changed)
    after = {p.relative_to(pagefind): p.read_bytes() for p in pagefind.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if k.parts[0] == "2024"} == {
        k: v for k, v in first.items() if k.parts[0] == "2024"
    }
    assert after != first


@pytest.mark.build
def test_a_broken_pagefind_stops_the_build_with_a_message(searchable, tmp_path):
    result = searchable.build(env={"PAGEFIND_BINARY_PATH": str(tmp_path / "no-pagefind")})
    assert result.code == 1
    assert "搜索索引分片 2024 生成失败" in result.text and "scripts/setup" in result.text
    assert "Traceback" not in result.text


@pytest.mark.build
@pytest.mark.skipif(sys.platform != "linux", reason="the index is a fork of the build on Linux only")
def test_a_search_job_that_dies_stops_the_build_with_a_message(searchable, tmp_path):
    """The index is made in a fork of the build (on Linux); this Pagefind kills that fork."""
    killer = tmp_path / "pagefind"
    killer.write_text("#!/bin/sh\nkill -9 $PPID\n", encoding="utf-8")
    killer.chmod(0o755)
    result = searchable.build(env={"PAGEFIND_BINARY_PATH": str(killer)})
    assert result.code == 1
    assert "搜索索引进程意外退出（退出码 -9）" in result.text and "search: false" in result.text
    assert "Traceback" not in result.text


@pytest.mark.parametrize("value", ["0", "many"])
def test_a_bad_shard_size_is_refused_with_a_message(mini, value):
    mini.edit("mkdocs.yml", "      search: false\n", f"      search_shard_items: {value}\n")
    result = mini.check()
    assert result.code != 0 and "Traceback" not in result.text
    assert "search_shard_items" in result.text, result.text


def test_a_shard_limit_far_below_the_default_warns_with_its_cost(tmp_path):
    """The demo's 30 items a shard make 4 shards: no warning. A copied site of many items, or a
    smaller limit, makes dozens: W250 at the setting's line, naming the shards and what they cost."""
    site = copy_demo(tmp_path / "repo")
    assert "W250" not in site.check("--as-of", DEMO_AS_OF).text
    site.edit("mkdocs.yml", "      search_shard_items: 30", "      search_shard_items: 4")
    result = site.check("--as-of", DEMO_AS_OF)
    line = next(n for n, text in enumerate(site.read("mkdocs.yml").splitlines(), 1) if "search_shard_items" in text)
    assert f"mkdocs.yml:{line}: W250 search_shard_items 为 4，远小于默认值 1000：" in result.text, result.text
    assert "至少分成 22 个搜索分片" in result.text and "Pagefind" in result.text


@pytest.mark.parametrize("spare", [1, 2])
def test_as_many_shards_run_at_once_as_there_are_spare_cores_and_one_writes_at_a_time(
    searchable, tmp_path, monkeypatch, spare
):
    """MkDocs renders on one core meanwhile: the shards share the others (index.SPARE, one on
    this two-core machine). Writing its files quadruples a Pagefind process's memory: a second
    shard may read its records in meanwhile, but not write. The real Pagefind, with its steps
    logged."""
    from pagefind.index import PagefindIndex

    from xxgk.search import index

    monkeypatch.setattr(index, "SPARE", spare)
    log = tmp_path / "steps"

    def note(step):
        with log.open("a") as f:  # the job is a fork of this process: a file hears both
            f.write(step + "\n")

    launch, close, get_files = index._PromptService.launch, index._PromptService.close, PagefindIndex.get_files

    async def launched(self):
        note("up")
        return await launch(self)

    async def closed(self):
        await close(self)
        note("down")

    async def getting(self):
        note("write")
        return await get_files(self)

    monkeypatch.setattr(index._PromptService, "launch", launched)
    monkeypatch.setattr(index._PromptService, "close", closed)
    monkeypatch.setattr(PagefindIndex, "get_files", getting)
    site = analyse(read_mkdocs_yml(searchable.path))
    job = index.IndexJob(site, tmp_path / "site", cache_dir=tmp_path / "cache")
    job.finish()
    steps = log.read_text().split()
    assert sorted(steps) == sorted(["up", "write", "down"] * 2)
    alive = writing = most_alive = 0
    for step in steps:
        alive += {"up": 1, "down": -1}.get(step, 0)
        most_alive = max(most_alive, alive)
        writing += {"write": 1, "down": -1}.get(step, 0)  # each process writes before it ends
        assert writing <= 1, steps
    assert most_alive == spare, steps


def test_pagefind_runs_with_a_thread_a_spare_core_unless_the_user_says_otherwise(monkeypatch):
    """Pagefind's thread pools take a thread per core unless told: beside MkDocs' rendering
    the threads past the spare cores only take turns (issue 35). The real service process."""
    import asyncio
    import os
    from concurrent.futures import ThreadPoolExecutor

    from pagefind.index import IndexConfig

    from xxgk.search import index

    async def started() -> tuple[dict[str, str], int]:
        async with index._PromptService() as service:
            pagefind = await service.create_index(IndexConfig())
            await pagefind.add_custom_record(url="/a/", content="政府信息公开", language="zh")
            pid = service._backend.pid
            with open(f"/proc/{pid}/environ", encoding="utf-8") as f:
                env = dict(line.split("=", 1) for line in f.read().split("\0") if "=" in line)
            return env, len(os.listdir(f"/proc/{pid}/task"))

    def run() -> tuple[dict[str, str], int]:
        # in a thread of its own: the session's Playwright keeps an event loop running in this one
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, started()).result()

    for name in index.PAGEFIND_THREADS:
        monkeypatch.delenv(name, raising=False)
    env, threads = run()
    assert [env.get(name) for name in index.PAGEFIND_THREADS] == [str(index.SPARE)] * 2
    monkeypatch.setenv("RAYON_NUM_THREADS", "3")
    monkeypatch.setenv("TOKIO_WORKER_THREADS", str(index.SPARE + 2))
    env, more = run()
    assert env["RAYON_NUM_THREADS"] == "3" and env["TOKIO_WORKER_THREADS"] == str(index.SPARE + 2)
    assert more > threads  # Pagefind heeds them: its tokio pool has that many workers
