"""RSS 2.0 and Atom feeds: valid XML, latest items first, titles as text, links absolute only with site_url."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.build

ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT_TITLE = "<script>alert(1)</script>关于测试的通知"


def _add_script_item(mini):
    mini.item(
        "2024/bgs/script.md",
        f"""
title: "{SCRIPT_TITLE}"
index_no: 11990100MB0000001T/2024-00009
publisher: bgs
published: 2024-12-30
category: tzgg
summary: 摘要 & <b>粗体</b>
""",
    )


def test_feeds_site_wide_and_per_first_level_node(mini):
    _add_script_item(mini)
    assert mini.build().code == 0
    feeds = mini.path / "site" / "feeds"
    for rel in ("rss.xml", "atom.xml", "zcwj/rss.xml", "zcwj/atom.xml", "zcjd/rss.xml", "tzgg/atom.xml"):
        ET.parse(feeds / rel)  # well-formed
    assert not (feeds / "gz").exists()  # second-level nodes have none

    rss = ET.parse(feeds / "rss.xml").getroot()
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    items = rss.findall("channel/item")
    assert len(items) == 6
    # newest first; the title is text, not markup
    assert items[0].findtext("title") == SCRIPT_TITLE
    # a reader renders an RSS description as HTML: the summary is escaped once more, so it shows as text
    assert items[0].findtext("description") == "摘要 &amp; &lt;b&gt;粗体&lt;/b&gt;"
    assert items[0].findtext("pubDate") == "Mon, 30 Dec 2024 00:00:00 +0800"
    raw = (feeds / "rss.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw

    atom = ET.parse(feeds / "zcwj/atom.xml").getroot()
    assert atom.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")]
    assert titles and SCRIPT_TITLE not in titles  # only the 政策文件 subtree
    assert all(e.findtext(f"{ATOM}id") and e.findtext(f"{ATOM}updated") for e in atom.findall(f"{ATOM}entry"))


def test_without_site_url_links_are_relative_to_the_feed(mini):
    assert mini.build().code == 0
    site = mini.path / "site"
    rss = ET.parse(site / "feeds/zcwj/rss.xml").getroot()
    link = rss.findtext("channel/item/link")
    assert link and not link.startswith(("http", "/"))
    assert (site / "feeds/zcwj" / link / "index.html").resolve().is_file()
    guid = rss.find("channel/item/guid")
    assert guid is not None and guid.get("isPermaLink") == "false"


def test_with_site_url_links_are_absolute(mini):
    mini.edit("mkdocs.yml", "site_name:", "site_url: https://xxgk.test.example/sub/\nsite_name:")
    assert mini.build().code == 0
    site = mini.path / "site"
    atom = ET.parse(site / "feeds/atom.xml").getroot()
    entry_link = atom.find(f"{ATOM}entry/{ATOM}link")
    href = entry_link.get("href", "") if entry_link is not None else ""
    assert href.startswith("https://xxgk.test.example/sub/items/")
    assert (site / href.removeprefix("https://xxgk.test.example/sub/") / "index.html").is_file()
    self_link = [l.get("href") for l in atom.findall(f"{ATOM}link") if l.get("rel") == "self"]
    assert self_link == ["https://xxgk.test.example/sub/feeds/atom.xml"]


def test_pages_announce_and_link_the_feeds(mini):
    assert mini.build().code == 0
    node = mini.html("catalog/zcwj/")
    assert 'rel="alternate" type="application/atom+xml"' in node
    assert 'href="../../feeds/zcwj/atom.xml"' in node
    home = mini.html("")
    assert '<a href="feeds/rss.xml">RSS</a>' in home
