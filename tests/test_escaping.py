"""Issue 30, escaping outside bodies: front matter the theme writes into <meta>, every `| url`
in an attribute, RSS descriptions, and the Content-Security-Policy <meta> on every page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from jinja2 import Environment, pass_context

from xxgk.adapter import escape

HOSTILE = '"><script>alert(1)</script><x a="'


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_url_filter_escapes_for_attributes():
    env = Environment()

    @pass_context
    def plain(context, value):
        return "../" + value

    env.filters["url"] = plain
    escape.install(env)
    escape.install(env)  # on_env runs per build: wrapping twice would escape twice
    out = env.from_string('<a href="{{ name | url }}">{{ name | url | e }}</a>').render(name='a"b<c>&.pdf')
    assert out == '<a href="../a&#34;b&lt;c&gt;&amp;.pdf">../a&#34;b&lt;c&gt;&amp;.pdf</a>'


@pytest.mark.build
def test_front_matter_meta_escaped_and_csp_on_every_page(mini):
    mini.write("content/about.md", f"---\ndescription: '{HOSTILE}'\nauthor: '{HOSTILE}'\n---\n# 关于\n")
    result = mini.build()
    assert result.code == 0, result.text
    about = mini.html("about/")
    assert "<script>alert" not in about
    metas = {a.get("name"): a.get("content") for t, a in tags(about) if t == "meta" and a.get("name")}
    assert metas["description"] == HOSTILE and metas["author"] == HOSTILE
    pages = list((mini.path / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        csp = [a for t, a in tags(page.read_text(encoding="utf-8")) if t == "meta" and a.get("http-equiv")]
        assert [a["http-equiv"] for a in csp] == ["Content-Security-Policy"], page
        policy = csp[0]["content"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "'unsafe-inline'" not in policy
        assert not re.search(r"<script>(?!</script>)", page.read_text(encoding="utf-8")), page  # no inline script


@pytest.mark.build
def test_rss_description_is_text_to_a_reader(mini):
    mini.edit(
        "content/items/2024/bgs/notice.md",
        "category: tzgg",
        "category: tzgg\nsummary: '<img src=x onerror=alert(1)>'",
    )
    assert mini.build().code == 0
    rss = (mini.path / "site/feeds/rss.xml").read_text(encoding="utf-8")
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in rss and "&lt;img" not in rss


@pytest.mark.build
def test_csv_cells_never_start_a_formula(mini):
    mini.edit(
        "content/items/2024/bgs/notice.md",
        "title: 关于做好年度信息公开工作的通知",
        "title: '=HYPERLINK(\"http://evil.example\",\"点我\")'\nsummary: '@SUM(1+1)'\nkeywords: ['+1', '-2']",
    )
    assert mini.build().code == 0
    import csv

    rows = list(csv.reader((mini.path / "site/catalog.csv").read_text(encoding="utf-8-sig").splitlines()))
    cells = [cell for row in rows for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    result = mini.xxgk("stats", ".", "--year", "2024", "--format", "csv", "--explain")
    assert result.code == 0 and not [
        c for r in csv.reader(result.out.splitlines()) for c in r if c[:1] in ("=", "+", "-", "@")
    ]


def test_the_csp_meta_stops_inline_script_on_a_host_without_headers(mini, browser):
    """Markup that slipped into a page (here written into the built file) does not run when
    the host sends no policy: the page's own <meta> refuses it."""
    from xxgk_dev.devshots import serve

    assert mini.build().code == 0
    page = mini.path / "site/about/index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</h1>", "</h1><script>window.xxPwned = 1</script>", 1), encoding="utf-8")
    server = serve(mini.path / "site")
    try:
        tab = browser.new_page(bypass_csp=False)
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/about/")
        assert tab.evaluate("() => window.xxPwned") is None
        assert tab.evaluate("() => document.querySelector('h1') !== null")
        tab.close()
    finally:
        server.shutdown()


def test_url_filter_memo_gives_mkdocs_own_url_for_every_page_and_value():
    """adapter/escape.py works each url out once per kind of folder: whatever the order of
    pages and values, each answer is MkDocs' own for that page (fails with a key by the
    folder's depth alone: items/ seen from items/a/ is not items/ seen from catalog/a/)."""
    import random
    from typing import Any, cast

    from markupsafe import escape as html_escape
    from mkdocs.utils.templates import url_filter

    class Page:
        def __init__(self, url):
            self.url = url

    pages = ["", "404.html", "items/", "items/a/", "items/b/", "items/a/x.html", "catalog/a/", "a/b/c/", "a.b/c/"]
    values = ["", ".", "./", "items/", "items/a/", "items/b/x.pdf", "catalog/", "assets/xxgk/a.css", "../up/"]
    values += ["/abs/", "https://example.org/x", "#top", "a/b/", "a/b/d/", "a.b/", "search/?q=1"]
    env = Environment()
    env.filters["url"] = url_filter
    escape.install(env)
    template = env.from_string("{{ v | url }}")
    pairs = [(p, v) for p in pages for v in values] * 2
    random.Random(35).shuffle(pairs)
    for page, value in pairs:
        want = str(html_escape(url_filter(cast(Any, {"page": Page(page), "base_url": "."}), value)))
        assert template.render(page=Page(page), base_url=".", v=value) == want, (page, value)
