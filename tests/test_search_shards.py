"""Search over shards cut inside years (runs of whole months), in headless Chromium: the
date sort stays newest first across them, the newest shard answers first (onUpdate) and the
full count follows, a year filter never opens another year's shard, and what the first
answer needs is asked for at once rather than one file after another."""

from __future__ import annotations

import json
import re
import time

import frontmatter
import pytest

from conftest import DEMO_AS_OF, copy_demo
from xxgk_dev.devshots import QuietHandler, serve

pytestmark = pytest.mark.build

ALL = 100000


@pytest.fixture(scope="module")
def months(tmp_path_factory):
    """The demo with at most 4 items a shard: every year is cut into runs of months."""
    site = copy_demo(tmp_path_factory.mktemp("months") / "repo")
    site.edit("mkdocs.yml", "      search_shard_items: 30", "      search_shard_items: 4")
    result = site.build(env={"XXGK_AS_OF": DEMO_AS_OF})
    assert result.code == 0, result.text
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
        if self.path.startswith("/assets/xxgk/search-page.js") or "/pagefind-entry.json" in self.path:
            time.sleep(0.8)
        super().do_GET()


def test_what_the_first_answer_needs_is_asked_for_at_once(browser, months):
    site, _ = months
    newest = json.loads((site.path / "site/pagefind/manifest.json").read_text(encoding="utf-8"))["shards"][0]
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
        # the modules search-page.js imports come with the page, not after it
        for module in ("search.js", "rules.js", "lifecycle.js"):
            assert when[base + "assets/xxgk/" + module] < answered[base + "assets/xxgk/search-page.js"], module
        assert page_script < answered[base + "assets/xxgk/search-page.js"]
        # the meta file is asked for beside the entry file that names it, and fetched once
        assert when[meta] < answered[entry]
        assert [url for _, url in asked].count(meta) == 1
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
