"""The publish gate (issue 14, rows 2, 3, 6, 10): every file under the content folder is an item,
an ordinary page or a file of an allowed kind, each checked; links and unknown kinds are
errors, and nothing is published or changed."""

import hashlib
import os
from pathlib import Path

import pytest

from samples import id_number

pytestmark = pytest.mark.build

NOTICE = "content/items/2024/bgs/notice.md"
ITEM = """---
title: 另存为 .markdown 的条目
index_no: 11990100MB0000001T/2024-00009
publisher: bgs
published: 2024-04-02
category: tzgg
---

联系人身份证号 {id}。
"""


def _fingerprint(root: Path) -> dict[str, str]:
    """Every file under content/ and catalog/ with its SHA-256 (links by their target text)."""
    out = {}
    for top in ("content", "catalog"):
        for dirpath, dirnames, filenames in os.walk(root / top):
            for name in dirnames + filenames:
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    out[rel] = "-> " + os.readlink(path)
                elif path.is_file():
                    out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _refused(site, *expected: str) -> str:
    """Check and build both exit 1 naming every expected `path:line: CODE`; no site, content unchanged."""
    before = _fingerprint(site.path)
    result = site.check()
    assert result.code == 1, result.text
    for text in expected:
        assert text in result.out, result.text
    built = site.build()
    assert built.code == 1, built.text
    assert "Traceback" not in built.text + result.text
    for text in expected:
        assert text in built.text, built.text
    assert not (site.path / "site").exists()
    assert _fingerprint(site.path) == before
    return result.out


def test_markdown_under_another_extension_is_an_error(mini):
    mini.write("content/items/2024/bgs/probe.markdown", ITEM.format(id=id_number()))
    mini.write("content/items/2024/bgs/upper.MD", ITEM.format(id=id_number()))
    _refused(mini, "content/items/2024/bgs/probe.markdown:1: E156", "content/items/2024/bgs/upper.MD:1: E156")


def test_file_kinds_the_site_does_not_serve_are_errors(mini):
    mini.write("content/evil.html", "<script>alert(1)</script>")
    mini.write("content/items/2024/bgs/files/note.txt", "备忘")
    mini.write("content/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    _refused(
        mini, "content/evil.html:1: E157", "content/items/2024/bgs/files/note.txt:1: E157", "content/logo.svg:1: E157"
    )


def test_a_linked_folder_under_items_is_refused_not_skipped(mini, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text(ITEM.format(id=id_number()), encoding="utf-8")
    os.symlink(elsewhere, mini.path / "content/items/linked")
    out = _refused(mini, "content/items/linked:1: E155")
    assert "仓库之外" in out


def test_links_to_files_outside_the_repository_are_refused(mini, tmp_path):
    outside = tmp_path / "hostname"
    outside.write_text("secret-host\n", encoding="utf-8")
    os.symlink(outside, mini.path / "content/leak.txt")
    item = tmp_path / "item.md"
    item.write_text(ITEM.format(id="无"), encoding="utf-8")
    os.symlink(item, mini.path / "content/items/2024/bgs/linked.md")
    os.symlink(outside, mini.path / "catalog/extra.yml")
    out = _refused(
        mini,
        "content/leak.txt:1: E155",
        "content/items/2024/bgs/linked.md:1: E155",
        "catalog/extra.yml:1: E155",
    )
    assert str(outside) in out


def test_links_inside_the_repository_are_refused_too(mini):
    os.symlink("../catalog", mini.path / "content/cat")
    os.symlink("notice.md", mini.path / "content/items/2024/bgs/copy.md")
    out = _refused(mini, "content/cat:1: E155", "content/items/2024/bgs/copy.md:1: E155")
    assert "指向 notice.md" in out


def test_ordinary_page_is_scanned_for_personal_numbers(mini):
    person = id_number()
    mini.edit("content/about.md", "测试站点。", f"测试站点。\n\n联系人 {person}，手机 +86 139 1234 5678。")
    out = _refused(mini, "content/about.md:5: E140", "content/about.md:5: E141")
    assert person not in out


def test_ordinary_page_in_gbk_is_a_message_not_a_traceback(mini):
    (mini.path / "content/about.md").write_bytes("# 关于本站\n\n测试站点。\n".encode("gbk"))
    out = _refused(mini, "content/about.md:1: E101")
    assert "UTF-8" in out


def test_broken_front_matter_in_an_ordinary_page_is_reported_at_its_line(mini):
    mini.write("content/about.md", "---\ntitle: [关于本站\n---\n\n测试站点。\n")
    out = _refused(mini, "content/about.md:2: E101")
    assert "方括号" in out


def test_attachment_no_item_lists_is_scanned_too(mini):
    from samples import write_docx

    write_docx(mini.path / "content/files/guide.docx", [f"联系人身份证号 {id_number()}"])
    _refused(mini, "content/files/guide.docx:1: E140")
