"""The built site, looked at as HTML: catalog tree, lists, pagination, item pages, escaping."""

import html as html_lib
import re
from collections import Counter

import frontmatter
import pytest
import yaml

from conftest import ROOT


def _demo_items():
    return [frontmatter.load(p) for p in sorted((ROOT / "content/items").rglob("*.md"))]


def _catalog():
    return yaml.safe_load((ROOT / "catalog/catalog.yml").read_text(encoding="utf-8"))


def test_site_has_every_kind_of_page(demo_build):
    site = demo_build.path / "site"
    for url in ("", "catalog/", "catalog/gfxwj/", "topics/", "search/", "policies/current/gz/"):
        assert (site / url / "index.html").is_file(), url
    assert any((site / "pagefind").iterdir())
    assert (site / "404.html").is_file()


def test_tree_counts_match_an_independent_count(demo_build):
    direct = Counter(post["category"] for post in _demo_items())
    home = demo_build.html("")
    for root in _catalog():
        children = root.get("children") or []
        total = direct[root["id"]] + sum(direct[c["id"]] for c in children)
        for node, count in [(root, total)] + [(c, direct[c["id"]]) for c in children]:
            link = re.search(
                r'<a href="catalog/%s/"[^>]*>\s*<span class="xx-tree__name">([^<]+)</span>\s*'
                r'<span class="xx-tree__count[^"]*">([^<]+)</span>' % node["id"],
                home,
            )
            assert link, node["id"]
            assert link.group(1) == node["name"]
            assert link.group(2) == (str(count) if count else "暂无信息"), node["id"]


def test_category_page_lists_its_subtree_newest_first(demo_build):
    html = demo_build.html("catalog/gfxwj/")
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    expected = sorted((str(p["published"]) for p in _demo_items() if p["category"] == "gfxwj"), reverse=True)
    assert dates == expected[:20]
    assert "当前位置" in html and '<a href="../">法定主动公开内容</a>' in html


def test_item_page_has_metadata_table_and_is_not_in_nav(demo_build):
    post = next(p for p in _demo_items() if p.get("doc_no") and p["category"] == "gfxwj")
    html = demo_build.html(f"items/{post['index_no']}/")
    table = html[html.index('<table class="xx-meta">') : html.index("</table>")]
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "标题", "发文字号", "发布日期", "有效性"):
        assert f'<th scope="row">{label}</th>' in table
    assert post["index_no"] in table and post["doc_no"] in table and str(post["published"]) in table
    # The column bar holds the configured nav only: never the items.
    home = demo_build.html("")
    nav = home[home.index('<nav class="xx-columns"') :]
    nav = nav[: nav.index("</nav>")]
    configured = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert nav.count("<li>") == len(configured)
    assert post["title"] not in nav and "md-nav__link" not in home


@pytest.mark.build
def test_item_urls_derive_from_index_no_not_file_path(mini):
    mini.build()
    before = mini.html("items/11990100MB0000001T/2024-00003/")
    moved = mini.path / "content/items/elsewhere/notice.md"
    moved.parent.mkdir(parents=True)
    (mini.path / "content/items/2024/bgs/notice.md").rename(moved)
    assert mini.build().code == 0
    assert mini.html("items/11990100MB0000001T/2024-00003/") == before


@pytest.mark.build
def test_long_lists_are_paginated(mini):
    for n in range(6, 11):  # five more notices: tzgg then has 6 items, page_size is 2
        mini.item(
            f"2024/bgs/n{n}.md",
            f"""
title: 第{n}号通知
index_no: 11990100MB0000001T/2024-{n:05d}
publisher: bgs
published: 2024-06-{n:02d}
category: tzgg
""",
        )
    assert mini.build().code == 0
    pages = [mini.html("catalog/tzgg/"), mini.html("catalog/tzgg/page/2/"), mini.html("catalog/tzgg/page/3/")]
    titles = [re.findall(r'<span class="xx-list__title"><a [^>]+>([^<]+)</a>', p) for p in pages]
    assert titles == [
        ["第10号通知", "第9号通知"],
        ["第8号通知", "第7号通知"],
        ["第6号通知", "关于做好年度信息公开工作的通知"],
    ]
    assert not (mini.path / "site/catalog/tzgg/page/4").exists()
    assert '<a href="page/2/" rel="next">下一页</a>' in pages[0]
    assert "第 2 / 3 页" in pages[1]


@pytest.mark.build
def test_empty_node_says_so(mini):
    mini.write("catalog/catalog.yml", mini.read("catalog/catalog.yml") + "- id: kong\n  name: 空栏目\n")
    result = mini.build()
    assert result.code == 0 and "W202" in result.err
    assert '<p class="xx-empty">暂无信息</p>' in mini.html("catalog/kong/")


@pytest.mark.build
def test_markup_in_titles_is_shown_as_text_everywhere(mini):
    mini.edit(
        "content/items/2024/bgs/notice.md",
        "title: 关于做好年度信息公开工作的通知",
        'title: "<script>alert(1)</script>关于<b>通知</b>"',
    )
    mini.edit("content/items/2024/bgs/notice.md", "category: tzgg", "category: tzgg\ntopics: [综合政务]")
    assert mini.build().code == 0
    pages = {
        url: mini.html(url)
        for url in ("", "catalog/tzgg/", "items/11990100MB0000001T/2024-00003/", _topic_slug("综合政务"))
    }
    for url, html in pages.items():
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "<script>alert(1)" not in html and "<b>通知</b>" not in html, url


def _topic_slug(name):
    from xxgk.core.urls import topic_url

    return topic_url(name)


@pytest.mark.build
def test_build_fails_with_the_check_messages(mini):
    mini.edit("content/items/2024/bgs/notice.md", "2024-00003", "2024-00001")
    check = mini.check()
    build = mini.build()
    assert build.code == 1 and check.code == 1
    e104 = [line for line in check.out.splitlines() if " E104 " in line]
    assert len(e104) == 2
    for line in e104:
        assert line in build.err
    assert "Traceback" not in build.err


def test_breadcrumbs_and_language(demo_build):
    html = demo_build.html("catalog/gz/")
    assert '<html lang="zh-CN"' in html
    crumbs = html_lib.unescape(re.sub(r"<[^>]+>", "", html[html.index('<nav class="xx-crumbs"') :].split("</nav>")[0]))
    assert re.sub(r"\s+", "", crumbs) == "当前位置：首页>法定主动公开内容>政策文件>规章"
