"""Search over shards cut inside years (runs of whole months), in headless Chromium: the
date sort stays newest first across them, the newest shard answers first (onUpdate) and the
full count follows, a year filter never opens another year's shard, and what the first
answer needs is asked for at once rather than one file after another."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import frontmatter
import pytest

from conftest import DEMO_AS_OF, copy_demo
from xxgk_dev.devshots import QuietHandler, serve

pytestmark = pytest.mark.build

ALL = 100000


def _built(tmp_path_factory, name: str, shard_line: str):
    """The demo built with `shard_line` in place of its search_shard_items line."""
    site = copy_demo(tmp_path_factory.mktemp(name) / "repo")
    site.edit("mkdocs.yml", "      search_shard_items: 30\n", shard_line)
    result = site.build(env={"XXGK_AS_OF": DEMO_AS_OF})
    assert result.code == 0, result.text
    return site


@pytest.fixture(scope="module")
def months(tmp_path_factory):
    """The demo with at most 4 items a shard: every year is cut into runs of months."""
    site = _built(tmp_path_factory, "months", "      search_shard_items: 4\n")
    server = serve(site.path / "site")
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _dates(site) -> list[str]:
    return sorted(
        (str(frontmatter.load(p)["published"])[:10] for p in (site.path / "content/items").rglob("*.md")), reverse=True
    )


def search(page, query, **options):
    return page.evaluate("([q, o]) => window.xxgk.search(q, o)", [query, options])


def test_years_are_cut_into_months_and_the_date_sort_holds_across_them(browser, months):
    site, base = months
    manifest = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))
    ids = [s["id"] for s in manifest["shards"]]
    assert any("~" in i or re.fullmatch(r"\d{4}-\d\d", i) for i in ids), ids
    assert all(s["count"] <= 4 or s["first"] == s["last"] for s in manifest["shards"])
    page = browser.new_page()
    try:
        page.goto(base + "search/")
        page.wait_for_function("typeof window.xxgk?.search === 'function'")
        everything = search(page, "", sort="date", limit=ALL)
        assert [r["date"] for r in everything["results"]] == _dates(site)
        year = search(page, "", sort="date", filters={"year": "2024"}, limit=ALL)
        assert [r["date"] for r in year["results"]] == [d for d in _dates(site) if d.startswith("2024")]
        phrase = search(page, "管理", sort="date", limit=ALL)
        dates = [r["date"] for r in phrase["results"]]
        assert len(dates) > 4 and dates == sorted(dates, reverse=True)
    finally:
        page.close()


def test_the_newest_shard_answers_first_and_the_count_follows(browser, months):
    site, base = months
    newest = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))["shards"][0]
    page = browser.new_page()
    try:
        page.goto(base + "search/")
        page.wait_for_function("typeof window.xxgk?.search === 'function'")
        updates, final = page.evaluate(
            """async () => { const seen = [];
               const final = await window.xxgk.search("", { sort: "date", limit: 10, onUpdate: (u) => seen.push(u) });
               return [seen, final]; }"""
        )
        # the newest shard's page, drawn as its leading rows come, then the whole answer
        assert updates and all(u["done"] is False and u["count"] == newest["count"] for u in updates)
        assert [len(u["results"]) for u in updates] == sorted({len(u["results"]) for u in updates})
        assert len(updates[-1]["results"]) == min(10, newest["count"])
        assert all(newest["first"] <= r["date"] <= newest["last"] for u in updates for r in u["results"])
        assert final["done"] is True and final["count"] == len(_dates(site))
        assert [r["date"] for r in final["results"]] == _dates(site)[:10]
    finally:
        page.close()


def _phrase_only_in(texts: list[str], others: list[str]) -> str:
    """Three Han characters from `texts` that none of `others` contains."""
    return next(
        run[n : n + 3]
        for text in texts
        for run in re.findall(r"[\u4e00-\u9fff]{3,}", text)
        for n in range(len(run) - 2)
        if not any(run[n : n + 3] in other for other in others)
    )


class _OldestLate(QuietHandler):
    """The oldest shard's files come late (`oldest`: its folder), so the answers ahead of it show."""

    oldest = ""

    def do_GET(self):
        if f"/pagefind/{self.oldest}/" in self.path:
            time.sleep(1.5)
        super().do_GET()


def test_when_the_newest_shard_has_no_match_the_next_ones_are_drawn_first(browser, months):
    site, _ = months
    shards = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))["shards"]
    texts = {p: p.read_text(encoding="utf-8") for p in (site.path / "content/items").rglob("*.md")}
    newest = [t for t in texts.values() if shards[0]["first"] <= str(frontmatter.loads(t)["published"])[:10]]
    second = [
        t
        for t in texts.values()
        if shards[1]["first"] <= str(frontmatter.loads(t)["published"])[:10] <= shards[1]["last"]
    ]
    phrase = _phrase_only_in([frontmatter.loads(t).content for t in second], newest)
    _OldestLate.oldest = shards[-1]["id"]
    server = serve(site.path / "site", _OldestLate)
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
        page.wait_for_function("typeof window.xxgk?.search === 'function'")
        updates, final = page.evaluate(
            """async (q) => { const seen = [];
               const final = await window.xxgk.search(q, { onUpdate: (u) => seen.push(u) });
               return [seen, final]; }""",
            phrase,
        )
        # drawn before the oldest shard has answered: rows of the shards after the newest
        assert updates and all(u["done"] is False for u in updates), (phrase, updates)
        assert all(shards[-1]["last"] < r["date"] <= shards[1]["last"] for u in updates for r in u["results"])
        assert final["done"] is True and final["count"] >= updates[-1]["count"] > 0
    finally:
        page.close()
        server.shutdown()


def test_a_phrase_only_the_oldest_shard_holds_says_after_which_day_everything_has_been_read(browser, months):
    """Nothing to draw until the oldest shard answers (it comes late): the status line says
    after which day every document has been read (the last day of the shard still out), then
    gives the count."""
    site, _ = months
    shards = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))["shards"]
    texts = [frontmatter.loads(p.read_text(encoding="utf-8")) for p in (site.path / "content/items").rglob("*.md")]
    oldest = [t for t in texts if str(t["published"])[:10] <= shards[-1]["last"]]
    newer = [f"{t.content}{t.get('title', '')}" for t in texts if str(t["published"])[:10] > shards[-1]["last"]]
    phrase = _phrase_only_in([t.content for t in oldest], newer)
    _OldestLate.oldest = shards[-1]["id"]
    server = serve(site.path / "site", _OldestLate)
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={phrase}")
        status = "document.querySelector('#xx-sstatus').textContent"
        y, m, d = (int(part) for part in shards[-1]["last"].split("-"))
        reached = f"正在检索……{y}年{m}月{d}日以后发布的文件已查完，正在查更早的文件。"
        page.wait_for_function(f"{status} === {json.dumps(reached, ensure_ascii=False)}")
        assert page.locator("#xx-sresults li").count() == 0
        page.wait_for_function(f"{status}.includes('共找到')")
        assert page.locator("#xx-sresults li").count() > 0
    finally:
        page.close()
        server.shutdown()


def test_a_year_filter_opens_only_that_years_shards(browser, months):
    site, base = months
    shards = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))["shards"]
    page = browser.new_page()
    opened: set[str] = set()
    page.on("request", lambda r: opened.update(re.findall(r"/pagefind/([^/]+)/", r.url)))
    try:
        page.goto(base + "search/?q=管理&year=2021")
        page.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('共找到')")
        assert opened == {s["id"] for s in shards if "2021" in s["years"]}
        assert page.locator("#xx-sresults li").count() > 0
    finally:
        page.close()


class _SlowStart(QuietHandler):
    """The files that lead to others answer late: what waits on them shows."""

    def do_GET(self):
        if (
            self.path.startswith(("/assets/xxgk/search-page.js", "/assets/stylesheets/"))
            or "/pagefind-entry.json" in self.path
        ):
            time.sleep(0.8)
        super().do_GET()


def test_what_the_first_answer_needs_is_asked_for_at_once(browser, months):
    site, _ = months
    newest, *older = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))["shards"]
    assert newest["chunks"] and not any("chunks" in shard for shard in older)  # the manifest stays small
    server = serve(site.path / "site", _SlowStart)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    asked: list[tuple[float, str]] = []
    answered: dict[str, float] = {}
    page = browser.new_page()
    page.on("request", lambda r: asked.append((time.monotonic(), r.url)))
    page.on("response", lambda r: answered.setdefault(r.url, time.monotonic()))
    try:
        page.goto(base + "search/?q=管理")
        page.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('共找到')")
        when = {url: t for t, url in reversed(asked)}  # the first request of each
        page_script = when[base + "assets/xxgk/search-page.js"]
        entry = next(u for u in answered if f"/pagefind/{newest['id']}/pagefind-entry.json" in u)
        meta = base + f"pagefind/{newest['id']}/{newest['meta']}"
        # every module search-page.js imports, however deep, comes with the page, not after
        # it, and the search's files do not wait for the stylesheets
        stylesheet = next(url for url in answered if "/assets/stylesheets/" in url)
        for module in _imports(site.path / "site/assets/xxgk", "search-page.js") | {"search-page.js"}:
            assert when[base + "assets/xxgk/" + module] < answered[base + "assets/xxgk/search-page.js"], module
            assert when[base + "assets/xxgk/" + module] < answered[stylesheet], module
        for file in ("pagefind/manifest.json", "pagefind/wasm.unknown.pagefind", "pagefind/pagefind.js"):
            assert when[base + file] < answered[stylesheet], file
        assert page_script < answered[base + "assets/xxgk/search-page.js"]
        # the meta file is asked for beside the entry file that names it, and fetched once;
        # so are the newest shard's index chunks the query needs, which the meta file names too
        assert when[meta] < answered[entry]
        assert [url for _, url in asked].count(meta) == 1
        chunks = [url for _, url in asked if f"/pagefind/{newest['id']}/index/" in url]
        assert chunks and len(set(chunks)) == len(chunks), chunks
        assert all(when[url] < answered[entry] for url in chunks), chunks
        # the entry file is asked for ahead too, as Pagefind asks for it (once), before the chunks
        assert [url for _, url in asked].count(entry) == 1
        assert max(when[entry], when[meta]) <= min(when[url] for url in chunks)
    finally:
        page.close()
        server.shutdown()


def _imports(folder: Path, module: str) -> set[str]:
    """The modules `module` in the built `folder` imports, directly or through another
    (static imports only; rules.js is written by the build)."""
    found: set[str] = set()
    todo = [module]
    while todo:
        text = (folder / todo.pop()).read_text(encoding="utf-8")
        for name in re.findall(r'^import [^;]*? from "\./([\w-]+\.js)";', text, re.M):
            if name not in found:
                found.add(name)
                todo.append(name)
    return found


@pytest.fixture(scope="module")
def one_shard(tmp_path_factory):
    """The demo in one shard (the default shard size): its index has several chunks."""
    return _built(tmp_path_factory, "one", "")


def test_search_js_picks_the_chunks_pagefind_reads(browser, one_shard):
    """search.js picks the newest shard's index chunks for a query from the manifest as
    Pagefind picks them from the meta file (request_indexes). Over queries that touch every
    chunk of the newest shard, the chunks asked for ahead are exactly those Pagefind reads,
    each fetched once (Pagefind's request takes the preloaded answer)."""
    site = one_shard.path / "site"
    newest = json.loads((site / "pagefind/manifest.json").read_text(encoding="utf-8"))["shards"][0]
    assert len(newest["chunks"]) >= 3, newest["chunks"]  # else the pick is not put to the test
    # a Han character from each chunk's first and last word, and phrases across chunks
    chars = [c for first, last, _ in newest["chunks"] for c in (first[:1], last[:1]) if re.match(r"[\u4e00-\u9fff]", c)]
    queries = [*dict.fromkeys(chars), *("".join(chars[n : n + 3]) for n in range(0, len(chars) - 2, 2))]
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    asked: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: asked.append(r.url) if f"/pagefind/{newest['id']}/index/" in r.url else None)
    try:
        page.goto(base + "search/")
        page.wait_for_function("typeof window.xxgk?.search === 'function'")
        for query in queries:
            page.evaluate("(q) => window.xxgk.search(q)", query)
        ahead = page.evaluate(
            "() => [...document.querySelectorAll('link[rel=preload]')].map((l) => l.href).filter((h) => h.includes('/index/'))"
        )
        assert {url.rsplit("/", 1)[1] for url in asked} == {f"{c[2]}.pf_index" for c in newest["chunks"]}, asked
        assert sorted(ahead) == sorted(set(asked)), (ahead, asked)
        assert len(asked) == len(set(asked)), asked
    finally:
        page.close()
        server.shutdown()


class _OneFastFragment(QuietHandler):
    """The top row's fragment (`fast`) comes at once, every other one late. It is named, not
    taken as the first to arrive: the browser asks for the rows in order, but over several
    connections, so on a busy machine the second row's request can reach the server first."""

    fast: str | None = None

    def do_GET(self):
        if "/fragment/" in self.path and self.path != self.fast:
            time.sleep(1.0)
        super().do_GET()


_SEARCH = """async () => { const seen = [];
   await window.xxgk.search("", { sort: "date", limit: 10, onUpdate: (u) => seen.push(u.results.length) });
   return seen; }"""


def test_the_first_rows_are_drawn_before_the_rest_of_the_page_has_come(browser, months):
    site, _ = months
    newest = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))["shards"][0]
    assert newest["count"] >= 2
    server = serve(site.path / "site", _OneFastFragment)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    asked: list[str] = []
    first = browser.new_context()  # learns which fragment is the top row's: the first asked for
    page = first.new_page()
    page.on("request", lambda r: asked.append(r.url) if "/fragment/" in r.url else None)
    second = browser.new_context()  # nothing cached from the first
    try:
        page.goto(f"{base}/search/")
        page.wait_for_function("typeof window.xxgk?.search === 'function'")
        page.evaluate(_SEARCH)
        _OneFastFragment.fast = asked[0].removeprefix(base)
        page = second.new_page()
        page.goto(f"{base}/search/")
        page.wait_for_function("typeof window.xxgk?.search === 'function'")
        updates = page.evaluate(_SEARCH)
        assert updates[0] == 1 and updates[-1] == min(10, newest["count"])
    finally:
        first.close()
        second.close()
        server.shutdown()
