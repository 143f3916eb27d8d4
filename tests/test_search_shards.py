"""Search over shards cut inside years (runs of whole months), in headless Chromium: the
date sort stays newest first across them, the newest shard answers first (onUpdate) and the
full count follows, and a year filter never opens another year's shard."""

from __future__ import annotations

import json
import re

import frontmatter
import pytest

from conftest import DEMO_AS_OF, copy_demo
from xxgk_dev.devshots import serve

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
        (str(frontmatter.load(p)["published"]) for p in (site.path / "content/items").rglob("*.md")), reverse=True
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
        assert len(updates) == 1 and updates[0]["done"] is False
        assert updates[0]["count"] == newest["count"]
        assert all(newest["first"] <= r["date"] <= newest["last"] for r in updates[0]["results"])
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
