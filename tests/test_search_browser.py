"""Search in real headless Chromium over the built demo site: window.xxgk.search against
independent counts over the source files, exact 发文字号/索引号 look-ups, filters, sort,
the search page itself, and the site served from a sub-path. `browser` is the session's
Chromium (conftest)."""

from __future__ import annotations

import json
import random
import re
import shutil

import frontmatter
import pytest

from conftest import found
from xxgk.core.docno import doc_no_key, normalise
from xxgk.core.options import read_mkdocs_yml
from xxgk.core.status import KINDS
from xxgk.rules import analyse
from xxgk.search.records import searchable_text
from xxgk.search.text import RUN_END, WORD, query_words, words
from xxgk_dev.devshots import serve

HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
ALL = 100000  # limit that returns every result


@pytest.fixture(scope="module")
def sources(demo_build) -> dict[str, dict]:
    """index_no -> {text: the whole source file, meta, body}: what an independent count reads."""
    out = {}
    for path in sorted((demo_build.path / "content/items").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        post = frontmatter.loads(text)
        out[str(post["index_no"])] = {"text": text, "meta": post.metadata, "body": post.content}
    return out


@pytest.fixture(scope="module")
def portal(demo_build, tmp_path_factory):
    """The built site served twice: at / and under the sub-path /xxgk/."""
    root = tmp_path_factory.mktemp("portal")
    shutil.copytree(demo_build.path / "site", root / "xxgk")
    at_root, at_sub = serve(demo_build.path / "site"), serve(root)
    yield {
        "/": f"http://127.0.0.1:{at_root.server_address[1]}/",
        "/xxgk/": f"http://127.0.0.1:{at_sub.server_address[1]}/xxgk/",
    }
    at_root.shutdown()
    at_sub.shutdown()


@pytest.fixture(scope="module")
def api(browser, portal):
    """One search page at / whose window.xxgk.search the tests call."""
    page = browser.new_page()
    page.goto(portal["/"] + "search/")
    page.wait_for_function("typeof window.xxgk?.search === 'function'")
    yield page
    page.close()


def search(page, query, **options) -> dict:
    return page.evaluate("([q, o]) => window.xxgk.search(q, o)", [query, options])


def index_nos(result) -> list[str]:
    found = [re.search(r"items/(.+)/$", r["url"]) for r in result["results"]]
    assert all(found), result
    return [m.group(1) for m in found if m]


def containing(sources, phrase) -> set[str]:
    return {no for no, s in sources.items() if phrase in s["text"]}


def test_a_word_finds_exactly_the_items_containing_it(api, sources):
    expected = containing(sources, "自行车")
    assert len(expected) >= 3
    result = search(api, "自行车", limit=ALL)
    assert result["count"] == len(expected)
    assert set(index_nos(result)) == expected
    first = result["results"][0]
    assert first["title"] and first["publisher"] and re.fullmatch(r"\d{4}-\d\d-\d\d", first["date"])
    assert any(p["hit"] and p["text"] == "自行车" for p in first["excerpt"])


def test_recall_over_random_phrases_is_complete(api, sources):
    """60 random 2-6 character substrings of item text: every item whose source contains the
    phrase is found, whatever Intl.Segmenter would have made of it."""
    rng = random.Random(20261124)
    keys = sorted(sources)
    phrases: set[str] = set()
    while len(phrases) < 60:
        s = sources[rng.choice(keys)]
        runs = HAN_RUN.findall(rng.choice([s["body"], str(s["meta"]["title"])]))
        if runs:
            run = rng.choice(runs)
            n = rng.randint(2, min(6, len(run)))
            start = rng.randint(0, len(run) - n)
            phrases.add(run[start : start + n])
    expected_total = found_total = 0
    for phrase in sorted(phrases):
        expected = containing(sources, phrase)
        result = search(api, phrase, limit=ALL)
        found = set(index_nos(result))
        expected_total += len(expected)
        found_total += len(expected & found)
        assert result["count"] >= len(expected), phrase
    assert found_total / expected_total >= 0.99, (found_total, expected_total)


def test_exact_phrase_ranks_above_scattered_characters(api, sources):
    result = search(api, "营商环境", limit=ALL)
    texts = {no: s["text"] for no, s in sources.items()}
    assert result["count"] >= 1
    assert all("营商环境" in texts[no] for no in index_nos(result)[: result["count"]] if no in texts)


def test_words_typed_apart_must_all_occur(api, sources):
    both = containing(sources, "自行车") & containing(sources, "管理")
    found = set(index_nos(search(api, "自行车  管理", limit=ALL)))
    # 管理 may also come from a publisher's name, which the index has and the file does not
    assert both <= found <= containing(sources, "自行车")
    assert found != containing(sources, "自行车") or both == found


@pytest.mark.parametrize(
    "typed",
    [
        "云建规〔2019〕2号",
        "云建规[2019]2号",
        "云建规(2019)2号",
        "云建规（2019）2号",
        "云建规〔2019〕2",
        "云建规 [2019] 2 号",
    ],
)
def test_document_number_look_up_puts_that_document_first(api, sources, typed):
    own = [no for no, s in sources.items() if s["meta"].get("doc_no") == "云建规〔2019〕2号"]
    assert len(own) == 1
    citing = containing(sources, "云建规〔2019〕2号")
    result = search(api, typed, limit=ALL)
    got = index_nos(result)
    assert got[0] == own[0]
    # documents containing the number itself come before any that merely share digits
    assert set(got[: len(citing)]) == citing


@pytest.mark.parametrize("doc_no", ["云市监规〔2023〕1号", "云财规〔2021〕2号", "云政发〔2023〕12号"])
def test_numbers_that_share_digits_never_outrank_the_number(api, sources, doc_no):
    own = [no for no, s in sources.items() if s["meta"].get("doc_no") == doc_no]
    result = search(api, doc_no, limit=ALL)
    got = index_nos(result)
    assert got[0] == own[0]
    holders = containing(sources, doc_no)
    assert set(got[: len(holders)]) == holders


@pytest.mark.parametrize(
    "typed", ["云溪市人民政府令第1号", "云溪市人民政府令1号", "云溪市人民政府令第一号", "云溪市人民政府令 第 01 号"]
)
def test_order_number_look_up_puts_that_document_first(api, sources, typed):
    """A 规章's 令号 is an exact key like a 发文字号: the 规章 first, then the documents citing
    it, and 令第10号 (which shares the digit) only after them."""
    own = [no for no, s in sources.items() if s["meta"].get("doc_no") == "云溪市人民政府令第1号"]
    citing = containing(sources, "云溪市人民政府令第1号") - set(own)
    assert len(own) == 1 and citing
    got = index_nos(search(api, typed, limit=ALL))
    assert got[0] == own[0]
    assert set(got[1 : 1 + len(citing)]) == citing
    tenth = [no for no, s in sources.items() if s["meta"].get("doc_no") == "云溪市人民政府令第10号"]
    assert tenth[0] not in got[: 1 + len(citing)]


def test_index_number_look_up(api, sources):
    no = sorted(sources)[len(sources) // 2]
    for typed in (no, no.lower(), f" {no} "):
        assert index_nos(search(api, typed))[0] == no


def test_filters_narrow_to_exactly_the_matching_items(api, sources):
    word = "管理"
    everything = containing(sources, word)
    year = "2024"
    in_year = {no for no in everything if str(sources[no]["meta"]["published"]).startswith(year)}
    assert 0 < len(in_year) < len(everything)
    result = search(api, word, filters={"year": year}, limit=ALL)
    assert set(index_nos(result)) >= in_year
    assert all(r["date"].startswith(year) for r in result["results"])
    abolished = search(api, "", filters={"status": "废止"}, limit=ALL)
    assert abolished["count"] >= 1 and {r["status"] for r in abolished["results"]} == {"废止"}
    kept = search(api, "", filters={"status": ["有效", "尚未施行", "已修订"]}, limit=ALL)
    assert not set(index_nos(kept)) & set(index_nos(abolished))


def test_abolished_documents_stay_findable_and_marked(api, sources):
    no = next(no for no, s in sources.items() if s["meta"].get("status") == "废止")
    title = str(sources[no]["meta"]["title"])
    result = search(api, HAN_RUN.findall(title)[0], limit=ALL)
    row = next(r for r in result["results"] if r["url"].endswith(f"items/{no}/"))
    assert row["status"] == "废止"


def test_sort_by_date_is_newest_first_across_shards(api):
    result = search(api, "", sort="date", limit=ALL)
    dates = [r["date"] for r in result["results"]]
    assert len({d[:4] for d in dates}) > 2
    assert dates == sorted(dates, reverse=True)


def test_every_item_containing_a_query_is_found_and_only_those(api, demo_build):
    """Queries cut from the demo's own text at random, across punctuation, digits and Latin
    letters too: the browser finds exactly the items whose words hold the query's phrase (the
    rule, search/text.py), or where the phrase ends in a one-character run (2018年), the phrase
    without its run-end word (search.js's looser tier: 年 starts a run, 2018年度 included)."""
    site = analyse(read_mkdocs_yml(demo_build.path))
    docs = {}
    for item in site.rel.items:
        text, more = (normalise(t) for t in searchable_text(site, item))
        docs[item.index_no] = f"\0{chr(0).join(words(text, True))}\0\1\0{chr(0).join(words(more, True))}\0"

    def holds(doc: str, part: str) -> bool:
        asked = query_words(part)
        if asked[-1].endswith(RUN_END) and len(asked[-1]) == 1 + len(RUN_END):
            asked = asked[:-1]
        return f"\0{chr(0).join(asked)}\0" in doc

    rng = random.Random(35)
    items = site.rel.items
    queries: set[str] = set()
    while len(queries) < 80:
        text = searchable_text(site, rng.choice(items))[0]
        start = rng.randrange(max(1, len(text) - 8))
        query = text[start : start + rng.randint(2, 7)].strip()
        typed = normalise(query)
        if len("".join(WORD.findall(typed))) < 2 or doc_no_key(query) or re.search(r"\d{4,}-", typed):
            continue  # one character, or a number the key look-up answers too (its own test)
        queries.add(query)
    for query in sorted(queries):
        parts = normalise(query).split()
        expected = {no for no, doc in docs.items() if all(holds(doc, p) for p in parts if WORD.search(p))}
        result = search(api, query, limit=ALL)
        assert set(index_nos(result)) == expected and result["count"] == len(expected), query


def test_query_words_match_the_indexer(api):
    """search.js cuts queries exactly as searchtext.py does."""
    samples = [
        "营商环境",
        "2018年度工作",
        "第3条",
        "营商，环境",
        "2018年",
        "年，2018",
        "ＡＢＣ１２３营商",
        "津政办函〔2018〕10号",
        "楼",
        "a-b c",
    ]
    samples += ["云溪市人民政府令第十号", "国务院令第七〇八号", "主席令第三十一号", "市政府令 第 ０１０ 号", "命令"]
    for s in samples:
        assert api.evaluate("s => window.xxgk.queryWords(s)", s) == query_words(s), s
        assert api.evaluate("s => window.xxgk.docNoKey(s)", s) == doc_no_key(s), s


@pytest.mark.parametrize("where", ["/", "/xxgk/"])
def test_search_page_from_the_header_box_with_a_filter(browser, portal, sources, where):
    base = portal[where]
    page = browser.new_page()
    failures = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(base)
        page.fill("#xx-q", "自行车")
        page.press("#xx-q", "Enter")
        page.wait_for_url(re.compile(r"search/\?q="))
        links = page.locator("#xx-sresults a")
        links.first.wait_for()
        page.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('共找到')")
        expected = containing(sources, "自行车")
        assert page.locator("#xx-sstatus").inner_text() == f"“自行车”共找到 {len(expected)} 条结果"
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        # typing in the page's own box, then a filter: the URL keeps the search
        page.fill("#xx-sq", "管理")
        page.press("#xx-sq", "Enter")
        page.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('“管理”共找到')")
        before = int(found(r"(\d+) 条", page.locator("#xx-sstatus").inner_text()).group(1))
        page.select_option("#xx-f-year", "2024")
        page.wait_for_url(re.compile(r"year=2024"))
        page.wait_for_function(
            "([b]) => { const t = document.querySelector('#xx-sstatus').textContent;"
            " return t.includes('共找到') && !t.includes(` ${b} 条`); }",
            arg=[before],
        )
        after = int(found(r"(\d+) 条", page.locator("#xx-sstatus").inner_text()).group(1))
        assert 0 < after < before
        dates = page.locator("#xx-sresults time").all_inner_texts()
        assert dates and all(d.startswith("2024") for d in dates)
        href = links.first.get_attribute("href")
        assert href.startswith(where + "items/")
        links.first.click()
        page.wait_for_load_state()
        assert page.url.startswith(base + "items/")
        # a bookmarked search opens with the same query and filter
        page.goto(base + "search/?q=管理&year=2024")
        page.wait_for_function("document.querySelectorAll('#xx-sresults li').length > 0")
        assert page.locator("#xx-sq").input_value() == "管理"
        assert page.locator("#xx-f-year").input_value() == "2024"
    finally:
        page.close()
    assert failures == []


def test_excerpts_show_the_text_as_written_with_the_match_marked(api):
    """From the item's text, not the indexed words: punctuation, digits and Latin letters
    as the source has them; the query's words marked even across a full stop."""
    first = search(api, "细颗粒物")["results"][0]
    shown = "".join(p["text"] for p in first["excerpt"])
    assert "细颗粒物（PM2.5）年均浓度为42微克/立方米，下降8.7%；" in shown
    assert [p["text"] for p in first["excerpt"] if p["hit"]] == ["细颗粒物"]
    latin = search(api, "pm2.5")["results"][0]
    assert [p["text"] for p in latin["excerpt"] if p["hit"]] == ["PM2.5"]


def doc_no_spellings(n: int = 400, seed: int = 13) -> list[tuple[str, str]]:
    """(a 文号 as someone might type it, its key written out by hand): brackets, 第, leading
    zeros, full-width digits, spaces and 号 each varied; 令号 with Chinese numerals."""
    rng = random.Random(seed)
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    spaces = ["", "", " ", "\u3000", "\t"]
    numerals = {1: "一", 2: "二", 10: "十", 12: "十二", 20: "二十", 108: "一百零八", 305: "三百零五"}
    out = []
    for _ in range(n):
        s = lambda: rng.choice(spaces)
        if rng.random() < 0.75:
            issuer = rng.choice(["津政办函", "云政办规", "国办发", "云财规", "𠀋政发"])
            year, number = rng.randint(1990, 2030), rng.randint(1, 999)
            opening, closing = rng.choice([tuple(pair) for pair in ("〔〕", "[]", "()", "（）", "【】", "［］")])
            digits = f"{'0' * rng.randint(0, 2)}{number}"
            text = f"{issuer}{s()}{opening}{s()}{year}{s()}{closing}{s()}{rng.choice(['', '第'])}{s()}{digits}{s()}{rng.choice(['号', ''])}"
            key = f"{issuer}〔{year}〕{number}"
        else:
            issuer, number = rng.choice(["云溪市人民政府", "测试市人民政府"]), rng.choice(list(numerals))
            written = numerals[number] if rng.random() < 0.5 else f"{'0' * rng.randint(0, 1)}{number}"
            text = f"{issuer}令{s()}{rng.choice(['', '第'])}{s()}{written}{s()}{rng.choice(['号', ''])}"
            key = f"{issuer}令{number}"
        out.append((text.translate(wide) if rng.random() < 0.3 else text, key))
    return out


NOT_DOC_NOS = [
    "",
    "关于印发通知",
    "津政办函2018年10号",
    "〔2018〕10号",
    "津政办函〔18〕10号",
    "命令",
    "11990100MB0000001T/2024-00001",
]


def test_doc_no_keys_agree_between_python_and_the_browser_over_generated_spellings(api):
    samples = doc_no_spellings()
    for text, key in samples:
        assert doc_no_key(text) == key, text
    typed = [t for t, _ in samples] + NOT_DOC_NOS
    assert api.evaluate("list => list.map((s) => window.xxgk.docNoKey(s))", typed) == [doc_no_key(t) for t in typed]
    assert [doc_no_key(t) for t in NOT_DOC_NOS] == [""] * len(NOT_DOC_NOS)


def test_an_index_number_puts_its_item_before_every_document_citing_it(api, sources):
    """The exact key (xxgki), not the text: the documents naming a 索引号 in their front matter
    (interprets, replaces, revised_by …) hold the same words, and shorter ones outrank it."""
    cited = {
        str(v)
        for s in sources.values()
        for k in ("interprets", "replaces", "revised_by")
        for v in (s["meta"].get(k) if isinstance(s["meta"].get(k), list) else [s["meta"].get(k)])
        if v and str(v) in sources
    }
    assert len(cited) >= 5
    for no in sorted(cited):
        assert index_nos(search(api, no, limit=3))[0] == no, no


def test_not_showing_repealed_documents_hides_exactly_the_repealed_statuses(browser, portal, demo_build):
    rows = json.loads((demo_build.path / "site/catalog.json").read_text(encoding="utf-8"))["items"]
    kept = [r for r in rows if not KINDS[r["effective_status"]].repealed]
    assert 0 < len(kept) < len(rows)
    page = browser.new_page()
    try:
        page.goto(portal["/"] + "search/?current=1&sort=date")
        page.wait_for_function("document.getElementById('xx-sstatus').textContent.includes('共找到')")
        assert page.locator("#xx-sstatus").inner_text() == f"所选条件共找到 {len(kept)} 条结果"
        for badge in page.locator("#xx-sresults .xx-status").all():
            mark, label = badge.text_content()[0], badge.text_content()[1:]
            kind = KINDS[label]
            assert not kind.repealed and badge.get_attribute("class") == f"xx-status xx-status--{kind.css}"
            assert mark == kind.mark
    finally:
        page.close()
