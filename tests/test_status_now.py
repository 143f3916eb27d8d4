"""Status over time in real Chromium over the demo built on DEMO_AS_OF (2026-11-24):
pages read after a change of status show the status that now holds (clock set with
playwright's page.clock); without JavaScript they say which day their status holds for;
the 在某日有效 page and the search page's 在某日有效 filter against statuses computed here
from the source files; and the browser's step lookup against the core's rule."""

from __future__ import annotations

import datetime as dt
import re

import frontmatter
import pytest

from conftest import DEMO_AS_OF, ROOT, found
from test_status_over_time import cases
from xxgk.core.lifecycle import encode
from xxgk.core.relate import status_on, status_steps
from xxgk_dev.devshots import serve

EXPIRING = "11990100MB0000009J/2025-00002"  # 云人社规〔2025〕2号: in force 2026-01-01 … 2027-12-31
LAPSED = "本页生成于2026年11月24日；按有效期，本文件已于2028年1月1日失效。"


@pytest.fixture(scope="module")
def url(demo_build):
    server = serve(demo_build.path / "site")
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _page(browser, day: str | None, js: bool = True):
    context = browser.new_context(java_script_enabled=js)
    page = context.new_page()
    if day:
        page.clock.set_fixed_time(dt.datetime.fromisoformat(f"{day}T09:00:00+08:00"))
    return context, page


def _badge(locator) -> str:
    return re.sub(r"[^\u4e00-\u9fff]", "", locator.locator(".xx-status").first.inner_text())


def test_an_item_read_after_its_expiry_says_it_has_lapsed(browser, url):
    context, page = _page(browser, "2028-03-01")
    page.goto(f"{url}items/{EXPIRING}/")
    page.wait_for_selector(".xx-banner--expired")
    assert LAPSED in page.locator(".xx-banner").inner_text()
    row = page.locator("tr", has=page.locator("th", has_text="有效性"))
    assert _badge(row) == "失效" and "2028年1月1日起；本页生成于2026年11月24日" in row.inner_text()
    context.close()


def test_before_the_change_the_page_stays_as_built(browser, url):
    context, page = _page(browser, "2027-12-31")
    page.goto(f"{url}items/{EXPIRING}/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".xx-banner").count() == 0
    row = page.locator("tr", has=page.locator("th", has_text="有效性"))
    assert _badge(row) == "有效" and "（截至2026年11月24日）" in row.inner_text()
    context.close()


def test_without_javascript_the_page_says_the_day_its_status_holds_for(browser, url):
    context, page = _page(browser, None, js=False)
    page.goto(f"{url}items/{EXPIRING}/")
    row = page.locator("tr", has=page.locator("th", has_text="有效性"))
    assert _badge(row) == "有效" and "（截至2026年11月24日）" in row.inner_text()
    assert page.locator(".xx-banner").count() == 0  # the change ahead waits in a <template>
    page.goto(f"{url}catalog/gfxwj/")
    assert "有效性截至2026年11月24日。" in page.locator("main").inner_text()
    context.close()


def test_the_list_page_shows_the_lapsed_status(browser, url):
    context, page = _page(browser, "2028-03-01")
    page.goto(f"{url}catalog/gfxwj/")
    row = page.locator(".xx-list__row", has=page.locator(f'a[href$="{EXPIRING}/"]'))
    row.locator(".xx-now[data-xx-shown]").wait_for()
    assert _badge(row) == "失效"
    context.close()


def test_a_search_result_shows_the_lapsed_status(browser, url):
    context, page = _page(browser, "2028-03-01")
    page.goto(f"{url}search/?q=云人社规〔2025〕2号")
    result = page.locator(".xx-sresult").first
    result.wait_for()
    assert EXPIRING in result.locator("a").first.get_attribute("href")
    assert _badge(result) == "失效"
    context.close()
    context, page = _page(browser, "2026-12-01")  # after the build, before the expiry
    page.goto(f"{url}search/?q=云人社规〔2025〕2号")
    page.locator(".xx-sresult").first.wait_for()
    assert _badge(page.locator(".xx-sresult").first) == "有效"
    context.close()


def test_the_browser_lookup_equals_the_rule_on_generated_cases(browser, url):
    """lifecycle.js statusAt over the steps the build would write, against status_on."""
    rows, expected = [], []
    for item, by, replaced_by, days in cases(400, seed=7):
        found = status_steps(item, by, replaced_by)
        steps = encode(found)
        turns = [s.start for s in found[1:] if s.start]
        assert len(turns) == len(found) - 1  # every step after the first starts on a day
        for day in days + turns + [t - dt.timedelta(days=1) for t in turns]:
            rows.append([steps, day.isoformat()])
            expected.append(status_on(item, day, by, replaced_by).label)
    context, page = _page(browser, None)
    page.goto(url)
    got = page.evaluate(
        """async (rows) => { const m = await import("./assets/xxgk/lifecycle.js");
           return rows.map(([steps, day]) => m.statusAt(steps, day)); }""",
        rows,
    )
    context.close()
    assert got == expected and len(set(expected)) == 5


# ---------------------------------------------------------------- 在某日有效


def _sources() -> dict[str, dict]:
    posts = (frontmatter.load(p) for p in (ROOT / "content/items").rglob("*.md"))
    return {str(p["index_no"]): p.metadata for p in posts}


def expected_status(meta: dict, day: dt.date, posts: dict) -> str | None:
    """Computed here from the front matter, as FORMAT.md words it; None: not yet published."""
    if meta["published"] > day:
        return None
    ab = meta.get("abolished")
    if meta.get("status") == "废止" and (not ab or not ab.get("date") or ab["date"] <= day):
        return "废止"
    newer = [p for p in posts.values() if p.get("replaces") == meta["index_no"]]
    newer += [posts[meta["revised_by"]]] if meta.get("revised_by") in posts else []
    if any((n.get("effective") or n["published"]) <= day for n in newer):
        return "已修订"
    if meta.get("expires") and meta["expires"] < day:
        return "失效"
    if meta.get("effective") and meta["effective"] > day:
        return "尚未施行"
    return "有效"


CHECKS = [  # (document, day, what the case is)
    ("11990100MB0000001A/2026-00002", "2026-12-31", "before its 施行"),
    ("11990100MB0000001A/2026-00002", "2027-01-01", "on its 施行"),
    (EXPIRING, "2026-06-01", "during"),
    (EXPIRING, "2028-01-01", "after its expiry"),
    ("11990100MB0000008H/2019-00001", "2022-05-31", "before a revision"),
    ("11990100MB0000008H/2019-00001", "2022-06-01", "after a revision"),
    ("11990100MB0000001A/2018-00001", "2023-06-20", "after an abolition"),
    ("11990100MB0000001A/2018-00001", "2021-07-01", "before an abolition"),
]


def _listed(page) -> dict[str, str]:
    page.wait_for_function("document.getElementById('xx-dstatus').textContent.includes('件')")
    out = {}
    for li in page.locator(".xx-dresult").all():
        href = li.locator("h2 a").get_attribute("href")
        index_no = re.search(r"items/(.+)/$", href or "")
        assert index_no, href
        out[index_no.group(1)] = _badge(li.locator(".xx-sresult__meta"))
    return out


def test_the_date_page_gives_each_document_its_status_on_the_day(browser, url):
    posts = _sources()
    policies = {k: v for k, v in posts.items() if v["doc_type"] in ("规章", "行政规范性文件")}
    context, page = _page(browser, DEMO_AS_OF)
    seen = set()
    for doc, day, case in CHECKS:
        page.goto(f"{url}policies/date/?date={day}&status=all")
        listed = _listed(page)
        want = {k: expected_status(m, dt.date.fromisoformat(day), posts) for k, m in policies.items()}
        assert listed == {k: v for k, v in want.items() if v is not None}, case
        seen.add(listed[doc])
    assert seen == {"尚未施行", "有效", "失效", "已修订", "废止"}
    context.close()


def test_the_date_page_defaults_to_today_in_force_and_filters(browser, url):
    context, page = _page(browser, "2021-07-01")
    page.goto(f"{url}policies/date/")
    listed = _listed(page)
    assert page.locator("#xx-d-date").input_value() == "2021-07-01"
    assert set(listed.values()) == {"有效"} and "11990100MB0000008H/2019-00001" in listed
    page.goto(f"{url}policies/date/?date=2026-11-24&doc_type=规章&status=all")
    assert {k for k in _listed(page)} == {
        k for k, m in _sources().items() if m["doc_type"] == "规章" and m["published"] <= dt.date(2026, 11, 24)
    }
    # the revision chain as it stood on the day: 2019 version revised, 2022 current, 2025 not yet made
    page.goto(f"{url}policies/date/?date=2023-01-01&publisher=云溪市住房和城乡建设局&status=all")
    _listed(page)
    li = page.locator(".xx-dresult", has=page.locator('h2 a[href$="8H/2019-00001/"]'))
    versions = [re.sub(r"\s+", "", v) for v in li.locator(".xx-dversions li").all_inner_texts()]
    assert len(versions) == 2 and "已修订" in versions[0] and versions[1].endswith("有效（当日现行版本）")
    context.close()


def test_the_search_page_filters_by_in_force_on_a_day(browser, url):
    posts = _sources()
    context, page = _page(browser, DEMO_AS_OF)
    page.goto(f"{url}search/?on=2021-07-01")
    page.wait_for_function("document.getElementById('xx-sstatus').textContent.includes('结果')")
    found = {
        found(r"items/(.+)/$", a.get_attribute("href")).group(1) for a in page.locator(".xx-sresult__title a").all()
    }
    want = {
        k
        for k, m in posts.items()
        if m["doc_type"] in ("规章", "行政规范性文件") and expected_status(m, dt.date(2021, 7, 1), posts) == "有效"
    }
    assert found == want and len(want) > 3
    context.close()
