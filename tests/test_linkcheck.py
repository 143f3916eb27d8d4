"""Link gate: `xxgk linkcheck site/` as a user runs it, and the build that fails on broken internal links."""

import re

import pytest

ITEM = "11990100MB0000001T/2024-00009"
PAGE = f"site/items/{ITEM}/index.html"


def _item_with_body(mini, body: str, extra: str = ""):
    mini.item(
        "2024/bgs/links.md",
        f"""
title: 链接测试
index_no: {ITEM}
publisher: bgs
published: 2024-12-30
category: tzgg
{extra}
""",
        body,
    )


@pytest.mark.cli
@pytest.mark.build
def test_clean_site_passes(mini):
    _item_with_body(
        mini,
        '<a href="../../../catalog/#xx-main">锚点</a> <a href="https://www.gov.cn/">中国政府网</a>'
        ' <a href="mailto:a@b.cn">信箱</a>',
    )
    assert mini.build().code == 0
    result = mini.xxgk("linkcheck", "site")
    assert result.code == 0, result.text
    assert "没有断链" in result.err


@pytest.mark.build
def test_broken_link_fails_the_build_and_keeps_the_last_good_site(mini):
    assert mini.build().code == 0
    good = mini.html("")
    _item_with_body(mini, '<a href="../../../catalog/nope/">断链</a>')
    result = mini.build()
    assert result.code != 0
    assert re.search(rf"{re.escape(PAGE)}:\d+: E301 链接目标不存在：\.\./\.\./\.\./catalog/nope/", result.text), (
        result.text
    )
    assert "Traceback" not in result.text
    # the failed build left the previous site in place, and no staging folder behind
    assert mini.html("") == good
    assert not (mini.path / "site/items" / ITEM).exists()
    assert not (mini.path / ".site.building").exists()


@pytest.mark.cli
@pytest.mark.build
def test_each_kind_of_problem_is_reported_by_page(mini):
    assert mini.build().code == 0
    page = mini.path / PAGE.replace(ITEM, "11990100MB0000001T/2024-00003")  # the notice, built clean
    html = page.read_text(encoding="utf-8")
    html = html.replace(
        "</article>",
        '<a href="../../../catalog/#no-such-anchor">a</a>'
        '<img src="https://cdn.example.com/x.png" alt="">'
        '<a href="/catalog/">b</a>'
        '<a href="files/gone.pdf">附件</a></article>',
        1,
    )
    page.write_text(html, encoding="utf-8")
    result = mini.xxgk("linkcheck", "site")
    assert result.code == 1
    out = result.out
    assert out.startswith("site/items/11990100MB0000001T/2024-00003/index.html（4 个问题）")
    for code, text in (
        ("E302", "#no-such-anchor"),
        ("E303", "https://cdn.example.com/x.png"),
        ("E304", "/catalog/"),
        ("E301", "files/gone.pdf"),
    ):
        assert re.search(rf"index\.html:\d+: {code} .*{re.escape(text)}", out), (code, out)
    assert "1 个页面共有 4 个问题" in result.err


@pytest.mark.cli
@pytest.mark.build
def test_attachment_removed_after_build_is_reported(mini):
    mini.write("content/items/2024/bgs/files/plan.png", "\x89PNG fake")
    _item_with_body(mini, "正文。", "attachments:\n  - {file: files/plan.png, title: 方案}")
    assert mini.build().code == 0
    assert mini.xxgk("linkcheck", "site").code == 0
    (mini.path / "site/items/2024/bgs/files/plan.png").unlink()
    result = mini.xxgk("linkcheck", "site")
    assert result.code == 1
    assert f"{PAGE}:" in result.out and "E301 链接目标不存在：../../2024/bgs/files/plan.png" in result.out


@pytest.mark.cli
def test_usage_errors(mini):
    result = mini.xxgk("linkcheck", "no-such-dir")
    assert result.code == 2 and "找不到目录 no-such-dir" in result.err and "Traceback" not in result.text


def test_links_into_a_folder_written_later_wait_for_it():
    """The build checks pages while the search index is still being finished (publish.scan's
    `later`): links into pagefind/ are judged once its files are there."""
    from xxgk.publish.linkcheck import LinkChecker

    checker = LinkChecker(["search/index.html"], later=("pagefind/",))
    checker.add_page(
        "search/index.html",
        b'<html><body><script src="../pagefind/pagefind.js"></script>'
        b'<a href="../pagefind/gone.json">x</a><a href="../nope/">y</a></body></html>',
    )
    checker.add_files(["pagefind/pagefind.js"])
    problems = [(p.code, p.message.split("：")[1].split("；")[0]) for p in checker.finish()]
    assert problems == [("E301", "../nope/"), ("E301", "../pagefind/gone.json")]


@pytest.mark.cli
@pytest.mark.build
def test_pages_read_on_two_cores_are_all_checked_and_hashed(mini):
    """A site of more than SPLIT_AT files is read, hashed and parsed half in a background
    process (publish/finish.py): a broken link on either half is reported, at its line,
    and the manifest names every file's bytes."""
    from xxgk.infra.place import digest
    from xxgk.publish import finish, manifest

    assert mini.build().code == 0
    site = mini.path / "site"
    item = site / PAGE.removeprefix("site/").replace(ITEM, "11990100MB0000001T/2024-00003")
    for n in range(finish.SPLIT_AT):  # copies at the item's depth: their links resolve as its do
        (item.parent.parent / f"copy-{n:03d}").mkdir()
        (item.parent.parent / f"copy-{n:03d}/index.html").write_bytes(item.read_bytes())
    files = manifest.list_files(site)
    pages = [f for f in files if f.endswith(".html") and "/copy-" in f]
    for page in pages[:2]:  # neighbours: one in each half
        path = site / page
        path.write_text(path.read_text(encoding="utf-8").replace("</body>", '\n<a href="gone/">x</a></body>'))
    result = mini.xxgk("linkcheck", "site")
    assert result.code == 1, result.text
    for page in pages[:2]:
        line = (site / page).read_text(encoding="utf-8").split("\n").index('<a href="gone/">x</a></body>') + 1
        assert f"site/{page}:{line}: E301 链接目标不存在：gone/" in result.out, result.out
    problems, digests, _ = finish.scan(site)
    assert [p.path for p in problems if "gone/" in p.message] == [f"site/{page}" for page in pages[:2]]
    assert digests == {f: digest((site / f).read_bytes()) for f in files}


def _every_element(data: bytes):
    """The link check's reading of a page by the plain definition, the way it was written before
    issue 35: every element of every part between </html>s, each of its attributes looked at."""
    from lxml import etree

    from xxgk.publish.linkcheck import ASSET_ATTRS, ASSET_RELS, HTML_END, LINK_ATTRS

    ids: set[str] = set()
    refs: list[tuple[int, str, bool]] = []
    offset = 0
    for part in HTML_END.split(data):
        root = etree.fromstring(part, etree.HTMLParser(encoding="utf-8")) if part.strip() else None
        for el in root.iter(etree.Element) if root is not None else ():
            a, line = el.attrib, offset + (el.sourceline or 1)
            ids.update(a[k] for k in (("id", "name") if el.tag == "a" else ("id",)) if a.get(k))
            if el.tag == "link":
                if a.get("href"):
                    refs.append((line, a["href"], bool(set(a.get("rel", "").lower().split()) & ASSET_RELS)))
                continue
            for attr in ("href", "src", "action", "poster", "data"):
                if attr in a and (el.tag, attr) in ASSET_ATTRS | LINK_ATTRS:
                    refs.append((line, a[attr], (el.tag, attr) in ASSET_ATTRS))
            if a.get("srcset") and el.tag in ("img", "source"):
                refs += [(line, c.split()[0], True) for c in a["srcset"].split(",") if c.strip()]
        offset += part.count(b"\n")
    return ids, refs


# One of every kind of reference and id the link check reads, some tags written over lines.
EVERY_KIND = b"""<!doctype html><html><head>
<link rel="stylesheet" href="a.css"><link rel="canonical" href="https://x.example/"><link rel="next">
<link rel="Icon" href="i.png"><script src="s.js"></script></head><body id="top">
<a href="p/" id="a1" name="n1">x</a><a name="">e</a><p id="">e</p><p name="not-an-id">n</p><span id="s1">s</span>
<img
  src="m.png"
  srcset="m2.png 2x, m3.png 3x" alt="">
<picture><source srcset="w.webp"><source src="v.mp4"></picture><iframe src="f.html"></iframe>
<embed src="e.swf"><video src="v.webm" poster="p.jpg"><track src="t.vtt"></video><audio src="a.ogg"></audio>
<object data="o.pdf"></object><map><area href="r/"></map><form action="q/"><input type="image" src="b.png"></form>
<input src="not-an-image.png"><div href="not-a-link" src="no" data="no">d</div>
</body></HTML >
<a href="after-the-end.html" id="late">spam</a></html>

</html>
<a href="later-still.html">
"""


def test_every_kind_of_reference_and_id_is_read_with_its_line():
    """publish/linkcheck.py reads ids by XPath and references from the elements that can carry
    them (in C, not a walk over every element): what it finds, and the line it names, is the
    plain walk's, kind by kind."""
    from xxgk.publish.linkcheck import parsed

    ids, refs = parsed(EVERY_KIND)
    assert ids == {"top", "a1", "n1", "s1", "late"}
    assert refs == [
        (2, "a.css", True),
        (2, "https://x.example/", False),
        (3, "i.png", True),
        (3, "s.js", True),
        (4, "p/", False),
        (7, "m.png", True),
        (7, "m2.png", True),
        (7, "m3.png", True),
        (8, "w.webp", True),
        (8, "v.mp4", True),
        (8, "f.html", True),
        (9, "e.swf", True),
        (9, "v.webm", True),
        (9, "p.jpg", True),
        (9, "t.vtt", True),
        (9, "a.ogg", True),
        (10, "o.pdf", True),
        (10, "r/", False),
        (10, "q/", False),
        (10, "b.png", True),
        (11, "not-an-image.png", True),
        (13, "after-the-end.html", False),
        (16, "later-still.html", False),
    ]
    assert (set(ids), refs) == _every_element(EVERY_KIND)


@pytest.mark.build
def test_pages_of_a_built_site_are_read_as_the_plain_walk_reads_them(demo_build):
    """Every page the demo site builds: the same ids, and the same references in the same
    order at the same lines, as the plain walk over every element."""
    from xxgk.publish import manifest
    from xxgk.publish.linkcheck import _parse

    site = demo_build.path / "site"
    pages = [f for f in manifest.list_files(site) if f.endswith(".html")]
    assert len(pages) > 50
    for page in pages:
        data = (site / page).read_bytes()
        assert _parse(data) == _every_element(data), page
