"""Policy lifecycle: banners, two-way links, revision history, 现行有效 lists, lifecycle checks."""

import datetime as dt
import re
from urllib.parse import urljoin

import frontmatter
import pytest

from conftest import DEMO_AS_OF, ROOT, found

A = "11990100MB0000001T"


def _posts():
    return {p["index_no"]: p for p in (frontmatter.load(f) for f in (ROOT / "content/items").rglob("*.md"))}


def _by_title_text(html):
    return html_lib_unescape(re.sub(r"<[^>]+>", "", html))


def html_lib_unescape(text):
    import html

    return re.sub(r"\s+", "", html.unescape(text))


def _banner(html):
    """The banner the build shows (changes after the build wait in <template>s, test_status_now)."""
    html = re.sub(r"<template\b.*?</template>", "", html, flags=re.S)
    m = re.search(r'<div class="xx-banner[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return _by_title_text(m.group(1)) if m else None


def _box(html, heading):
    m = re.search(r'<h2 id="[^"]+">%s</h2>(.*?)</aside>' % heading, html, re.S)
    return m.group(1) if m else ""


def _links(fragment, page):
    """index_no of every item linked from `fragment` of the page at site-relative URL `page`."""
    found = []
    for href in re.findall(r'href="([^"]+)"', fragment):
        path = urljoin(f"http://site/{page}", href)[len("http://site/") :]
        if path.startswith("items/"):
            found.append(path[len("items/") :].rstrip("/"))
    return found


# ---------------------------------------------------------------- the demo's states


def _find(pred):
    return next(no for no, p in _posts().items() if pred(p))


def test_abolished_by_an_item_links_to_it(demo_build):
    no = _find(lambda p: p.get("status") == "废止" and p.get("abolished", {}).get("by", "") in _posts())
    post = _posts()[no]
    html = demo_build.html(f"items/{no}/")
    banner = _banner(html)
    d = post["abolished"]["date"]
    assert banner.startswith("✕本文件已废止") and f"已于{d.year}年{d.month}月{d.day}日废止，废止依据：" in banner
    assert _links(found(r'<div class="xx-banner.*?</div>', html, re.S).group(0), f"items/{no}/") == [
        post["abolished"]["by"]
    ]


def test_abolished_by_a_named_document(demo_build):
    no = _find(lambda p: p.get("status") == "废止" and p["abolished"]["by"] not in _posts())
    banner = _banner(demo_build.html(f"items/{no}/"))
    assert "废止依据：" + _posts()[no]["abolished"]["by"] in banner


def test_expired_by_date_without_anyone_editing_it(demo_build):
    no = _find(
        lambda p: (
            p.get("expires") and p["expires"] < dt.date.fromisoformat(DEMO_AS_OF) and p.get("status", "有效") == "有效"
        )
    )
    e = _posts()[no]["expires"]
    assert f"本文件有效期至{e.year}年{e.month}月{e.day}日" in _banner(demo_build.html(f"items/{no}/"))


def test_not_yet_in_force(demo_build):
    no = _find(lambda p: p.get("effective") and p["effective"] > dt.date.fromisoformat(DEMO_AS_OF))
    eff = _posts()[no]["effective"]
    assert f"本文件自{eff.year}年{eff.month}月{eff.day}日起施行" in _banner(demo_build.html(f"items/{no}/"))


def test_three_version_chain_is_shown_on_every_version(demo_build):
    posts = _posts()
    first = _find(lambda p: p.get("revised_by") and not p.get("replaces"))
    chain = [first]
    while posts[chain[-1]].get("revised_by"):
        chain.append(posts[chain[-1]]["revised_by"])
    assert len(chain) == 3
    for no in chain:
        html = demo_build.html(f"items/{no}/")
        history = html[html.index('<h2 id="xx-bb">版本历史</h2>') :]
        history = history[: history.index("</ol>")]
        own = history.index("（本页）")
        linked = _links(history, f"items/{no}/")
        assert linked == [c for c in chain if c != no]
        assert chain.index(no) == len(_links(history[:own], f"items/{no}/"))
    assert "本文件已于" in _banner(demo_build.html(f"items/{chain[0]}/")) and "被修订" in _banner(
        demo_build.html(f"items/{chain[0]}/")
    )
    assert _banner(demo_build.html(f"items/{chain[-1]}/")) is None


def test_interpretations_are_linked_both_ways(demo_build):
    posts = _posts()
    interps = {no: p for no, p in posts.items() if p.get("doc_type") == "政策解读"}
    two_policies = [no for no, p in interps.items() if len(p["interprets"]) == 2]
    assert two_policies
    for jd in interps:
        back = _links(_box(demo_build.html(f"items/{jd}/"), "所解读文件"), f"items/{jd}/")
        assert back == posts[jd]["interprets"]
        for policy in posts[jd]["interprets"]:
            assert jd in _links(_box(demo_build.html(f"items/{policy}/"), "相关解读"), f"items/{policy}/")
    counts: dict[str, int] = {}
    for p in interps.values():
        for target in p["interprets"]:
            counts[target] = counts.get(target, 0) + 1
    two = [no for no, c in counts.items() if c >= 2]
    assert two, "the demo needs a policy with two interpretations"
    box = _box(demo_build.html(f"items/{two[0]}/"), "相关解读")
    assert len(_links(box, f"items/{two[0]}/")) == counts[two[0]] and "文字解读" in box and "图文解读" in box


def _independent_status(p, posts, day):
    """Derived status straight from docs/format.md, written separately from relate.py."""
    ab = p.get("abolished") or {}
    if p.get("status") == "废止" and (not ab.get("date") or ab["date"] <= day):
        return "废止"
    new = posts.get(p.get("revised_by"))
    if new and (new.get("effective") or new["published"]) <= day:
        return "已修订"
    if p.get("expires") and p["expires"] < day:
        return "失效"
    if p.get("effective") and p["effective"] > day:
        return "尚未施行"
    return "有效"


def _list_rows(site, url):
    rows: list = []
    page = 1
    while True:
        path = url if page == 1 else f"{url}page/{page}/"
        if not (site.path / "site" / path / "index.html").exists():
            return rows
        rows += re.findall(r'<span class="xx-list__title"><a href="[./]*items/([^"]+)/">', site.html(path))
        page += 1


@pytest.mark.parametrize("slug,doc_type", [("gz", "规章"), ("gfxwj", "行政规范性文件")])
def test_current_lists_match_an_independent_count(demo_build, slug, doc_type):
    posts = _posts()
    day = dt.date.fromisoformat(DEMO_AS_OF)
    mine = {no for no, p in posts.items() if p.get("doc_type") == doc_type}
    current = {no for no in mine if _independent_status(posts[no], posts, day) == "有效"}
    repealed = {no for no in mine if _independent_status(posts[no], posts, day) in ("废止", "失效", "已修订")}
    assert set(_list_rows(demo_build, f"policies/current/{slug}/")) == current
    assert set(_list_rows(demo_build, f"policies/repealed/{slug}/")) == repealed
    assert current and (doc_type == "规章" or repealed)


def test_listings_show_status_in_words(demo_build):
    html = demo_build.html("policies/repealed/gfxwj/")
    for label in ("废止", "已修订", "失效"):
        assert re.search(
            r'<span class="xx-status xx-status--\w+"><span aria-hidden="true">.</span>%s</span>' % label, html
        )


# ---------------------------------------------------------------- the as-of date


EXPIRING = f"""
title: 测试市临时补贴办法
index_no: {A}/2024-00010
publisher: bgs
published: 2024-01-10
category: gfxwj
doc_type: 行政规范性文件
expires: 2025-06-30
"""


@pytest.mark.build
def test_moving_the_as_of_date_past_expires_changes_banner_and_lists(mini):
    mini.item("2024/bgs/temp.md", EXPIRING)
    url = f"items/{A}/2024-00010/"
    assert mini.build(env={"XXGK_AS_OF": "2025-06-30"}).code == 0
    assert _banner(mini.html(url)) is None
    assert f"{A}/2024-00010" in _list_rows(mini, "policies/current/gfxwj/")
    assert mini.build(env={"XXGK_AS_OF": "2025-07-01"}).code == 0
    assert "本文件有效期至2025年6月30日，已于2025年7月1日失效" in _banner(mini.html(url))
    assert f"{A}/2024-00010" not in _list_rows(mini, "policies/current/gfxwj/")
    assert f"{A}/2024-00010" in _list_rows(mini, "policies/repealed/gfxwj/")


@pytest.mark.build
def test_as_of_can_be_fixed_in_mkdocs_yml(mini):
    mini.item("2024/bgs/temp.md", EXPIRING)
    mini.edit("mkdocs.yml", "      search: false", "      search: false\n      as_of: 2025-07-01")
    assert mini.build(env={"XXGK_AS_OF": ""}).code == 0
    assert "失效" in _banner(mini.html(f"items/{A}/2024-00010/"))


# ---------------------------------------------------------------- lifecycle checks

POLICY = "content/items/2024/bgs/policy.md"
JD = "content/items/2024/bgs/policy-jd.md"
NOTICE = "content/items/2024/bgs/notice.md"


def _line(site, rel, needle):
    return next(n for n, line in enumerate(site.read(rel).splitlines(), 1) if needle in line)


CASES = [
    # code, file, (old, new), the line reported
    ("E120", JD, (f"interprets: [{A}/2024-00001]", f"interprets: [{A}/2024-09999]"), "interprets:"),
    ("E128", JD, (f"interprets: [{A}/2024-00001]\n", ""), "doc_type:"),
    ("W203", JD, ("doc_type: 政策解读", "doc_type: 一般信息"), None),
    ("E121", POLICY, ("topics: [综合政务]", "topics: [综合政务]\nstatus: 废止"), "status:"),
    ("E122", POLICY, ("topics: [综合政务]", "topics: [综合政务]\nstatus: 已修订"), "status:"),
    ("E127", POLICY, ("topics: [综合政务]", f"topics: [综合政务]\nreplaces: {A}/2023-00001"), "replaces:"),
    (
        "E125",
        POLICY,
        ("topics: [综合政务]", "topics: [综合政务]\neffective: 2024-04-01\nexpires: 2024-03-31"),
        "expires:",
    ),
    ("E126", POLICY, ("written: 2024-03-01", "written: 2024-03-06"), "published:"),
    ("E137", NOTICE, ("category: tzgg", "category: tzgg\ndoc_type: 征求意见"), "doc_type:"),
    (
        "E138",
        NOTICE,
        ("category: tzgg", "category: tzgg\ndoc_type: 征求意见\nconsultation: {start: 2024-04-01, end: 2024-03-01}"),
        "consultation:",
    ),
    (
        "E127",
        NOTICE,
        (
            "category: tzgg",
            f"category: tzgg\ndoc_type: 征求意见\nconsultation: {{start: 2024-04-01, end: 2024-05-01, feedback: {A}/2024-09999}}",
        ),
        "consultation:",
    ),
    (
        "W204",
        POLICY,
        ("topics: [综合政务]", "topics: [综合政务]\nstatus: 废止\nabolished: {date: 2030-01-01, by: 某清理决定}"),
        "abolished:",
    ),
]


@pytest.mark.parametrize("code,rel,edit,where", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_lifecycle_checks(mini, code, rel, edit, where):
    mini.edit(rel, *edit)
    result = mini.check()
    if where is None:  # W203 lands on the policy left without its interpretation
        assert f"{POLICY}:{_line(mini, POLICY, 'doc_type:')}: W203 " in result.out, result.text
    else:
        assert f"{rel}:{_line(mini, rel, where)}: {code} " in result.out, result.text
    assert result.code == (0 if code.startswith("W") else 1)


def test_uninterpreted_policy_can_be_made_an_error(mini):
    mini.edit(JD, "doc_type: 政策解读", "doc_type: 一般信息")
    mini.edit("mkdocs.yml", "      search: false", "      search: false\n      uninterpreted_policy: error")
    result = mini.check()
    assert " E129 " in result.out and result.code == 1


def _add_revision(mini, old_extra, new_extra):
    mini.edit(POLICY, "topics: [综合政务]", "topics: [综合政务]\n" + old_extra)
    mini.item(
        "2024/bgs/policy-v2.md",
        f"""
title: 测试市行政规范性文件管理办法（2024年修订）
index_no: {A}/2024-00006
publisher: bgs
published: 2024-09-01
category: gfxwj
doc_type: 行政规范性文件
{new_extra}
""",
    )
    mini.item(
        "2024/bgs/policy-v2-jd.md",
        f"""
title: 修订版解读
index_no: {A}/2024-00007
publisher: bgs
published: 2024-09-01
category: zcjd
doc_type: 政策解读
interprets: [{A}/2024-00006]
""",
    )


@pytest.mark.build
def test_consistent_revision_passes_and_shows_both_ways(mini):
    _add_revision(mini, f"status: 已修订\nrevised_by: {A}/2024-00006", f"replaces: {A}/2024-00001")
    assert mini.check().code == 0
    assert mini.build().code == 0
    old_url, new_url = f"items/{A}/2024-00001/", f"items/{A}/2024-00006/"
    old, new = mini.html(old_url), mini.html(new_url)
    assert _links(found(r'<div class="xx-banner.*?</div>', old, re.S).group(0), old_url) == [f"{A}/2024-00006"]
    assert _links(_box(new, "版本历史"), new_url) == [f"{A}/2024-00001"]
    assert _banner(new) is None


def test_revision_sides_that_disagree(mini):
    _add_revision(mini, f"status: 已修订\nrevised_by: {A}/2024-00006", f"replaces: {A}/2024-00003")
    out = mini.check().out
    assert f"{POLICY}:{_line(mini, POLICY, 'revised_by:')}: E123 " in out


def test_revision_sides_that_disagree_seen_from_the_new_version(mini):
    _add_revision(mini, f"status: 已修订\nrevised_by: {A}/2024-00003", f"replaces: {A}/2024-00001")
    new = "content/items/2024/bgs/policy-v2.md"
    out = mini.check().out
    assert f"{new}:{_line(mini, new, 'replaces:')}: E123 replaces 指向 {A}/2024-00001" in out, out


def test_revision_cycle(mini):
    _add_revision(mini, f"replaces: {A}/2024-00006", f"replaces: {A}/2024-00001")
    out = mini.check().out
    assert f"{POLICY}:{_line(mini, POLICY, 'replaces:')}: E124 " in out
