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
