"""The rebuild caches outside the page cache: per-item search records and per-page
link-check parses. A warm-cache rebuild must find the same problems and write the same
bytes as a build from empty caches."""

import dataclasses
import pickle
import re
import shutil
from pathlib import Path

import pytest

from conftest import found
from test_linkcheck import PAGE, _item_with_body

SEARCH_CACHE = Path(".cache/xxgk/search")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.build
def test_a_link_from_an_unchanged_page_to_a_removed_file_is_still_caught(mini):
    mini.write("content/files/guide.png", "办事指南\n")  # an image: a kind content/ may hold
    _item_with_body(mini, '<a href="../../../files/guide.png">办事指南</a>')
    first = mini.build()
    assert first.code == 0, first.text
    assert any((mini.path / ".cache/xxgk/linkcheck").glob("*/*.pickle"))
    page = (mini.path / PAGE).read_bytes()

    (mini.path / "content/files/guide.png").unlink()  # the page's bytes stay the same: its parse is reused
    result = mini.build()
    assert result.code != 0
    assert re.search(rf"{re.escape(PAGE)}:\d+: E301 链接目标不存在：\.\./\.\./\.\./files/guide\.png", result.text), (
        result.text
    )
    assert "Traceback" not in result.text
    assert (mini.path / PAGE).read_bytes() == page  # the last good site stays


@pytest.mark.build
def test_a_shard_rebuilt_from_cached_records_equals_one_built_from_scratch(mini):
    mini.edit("mkdocs.yml", "      search: false\n", "      search_shard_items: 5\n")  # a shard per year (2024 has 5)
    assert mini.build().code == 0
    items = sorted((mini.path / "content/items/2024").rglob("*.md"))
    assert len(items) > 1  # the other items' records come from the cache
    text = items[0].read_text(encoding="utf-8")
    body_word = found(r"\n---\n+(\S{2})", text).group(1)
    items[0].write_text(text.replace(f"\n---\n\n{body_word}", f"\n---\n\n新增检索词{body_word}", 1), encoding="utf-8")
    assert "新增检索词" in items[0].read_text(encoding="utf-8")

    warm = mini.build()
    assert warm.code == 0 and "重建 2024）" in warm.text, warm.text
    from_cache = _tree(mini.path / "site/pagefind")
    shutil.rmtree(mini.path / SEARCH_CACHE)
    assert mini.build().code == 0
    assert _tree(mini.path / "site/pagefind") == from_cache


@pytest.mark.cli
@pytest.mark.build
def test_a_shard_file_edited_in_site_is_indexed_again_and_the_manifest_names_the_bytes_served(mini):
    """Shard files are hard links into the search cache, and the manifest takes their SHA-256
    from it: an edit in site/ (which edits the cache too) must not be served or vouched for."""
    mini.edit("mkdocs.yml", "      search: false\n", "      search_shard_items: 5\n")
    assert mini.build().code == 0
    clean = _tree(mini.path / "site/pagefind")
    fragment = next((mini.path / "site/pagefind").glob("*/fragment/*"))
    assert fragment.stat().st_nlink > 1  # shares its file with the cache
    fragment.write_bytes(b"tampered")

    again = mini.build()
    assert again.code == 0 and "（重建 无）" not in again.text, again.text
    assert _tree(mini.path / "site/pagefind") == clean
    verified = mini.xxgk("verify", "site")
    assert verified.code == 0, verified.text


@pytest.mark.build
def test_a_rebuild_rewrites_only_the_link_cache_buckets_of_the_pages_that_changed(mini):
    assert mini.build().code == 0
    buckets = mini.path / ".cache/xxgk/linkcheck"
    before = {p.relative_to(buckets): p.stat().st_mtime_ns for p in buckets.glob("*/*.pickle")}
    assert len(before) > 16  # the site's pages are spread over the buckets of both memos
    item = sorted((mini.path / "content/items").rglob("*.md"))[0]
    item.write_text(item.read_text(encoding="utf-8") + "\n补充说明一段。\n", encoding="utf-8")

    assert mini.build().code == 0
    after = {p.relative_to(buckets): p.stat().st_mtime_ns for p in buckets.glob("*/*.pickle")}
    rewritten = [path for path in after if after[path] != before.get(path)]
    # the item's page (its bytes changed) in each memo, nothing else
    assert 1 <= len(rewritten) <= 4 and len({p.parent for p in rewritten}) == 2, rewritten


@pytest.mark.build
def test_a_rebuild_without_the_link_cache_reads_the_reused_pages_and_equals_the_last_build(mini):
    """Reused pages are taken by their SHA-256 while they are still being placed; a page the
    link cache has not seen is read, and so waits until it is in place."""
    assert mini.build().code == 0
    built = _tree(mini.path / "site")
    shutil.rmtree(mini.path / ".cache/xxgk/linkcheck")
    again = mini.build()
    assert again.code == 0 and "Traceback" not in again.text, again.text
    assert re.search(r"页面缓存：[1-9]\d* 页沿用缓存", again.text), again.text  # taken by their SHA-256
    assert _tree(mini.path / "site") == built


def test_a_finished_build_leaves_its_objects_to_the_system():
    """on_shutdown, the last event before MkDocs exits, freezes the collector, so the
    interpreter's last collection does not free the build's objects one by one."""
    import gc

    from xxgk.adapter.plugin import XxgkPlugin

    gc.unfreeze()
    try:
        XxgkPlugin().on_shutdown()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process goes on


def test_check_writes_nothing_into_the_site_unless_asked(mini):
    """`xxgk check` reads the caches a build keeps but writes none (a check of a checkout
    leaves it as it was); with --cache it keeps the parsed front matter (and attachment text)
    for the next check, as a build does."""
    assert not (mini.path / ".cache").exists()
    checked = mini.check()
    assert "Traceback" not in checked.text
    assert not (mini.path / ".cache").exists(), sorted((mini.path / ".cache").rglob("*"))
    cached = mini.check("--cache")
    assert cached.code == checked.code and cached.out == checked.out
    assert any((mini.path / ".cache/xxgk/front-matter").glob("*.pickle"))


def _mark_kept(site, rule: str, shown: str, message: str) -> int:
    """Rewrite what .cache/xxgk/findings/ keeps of `rule` in the file `shown`: a rebuild that
    reports `message` took the finding from the memo. How many entries were marked."""
    marked = 0
    for bucket in (site.path / ".cache/xxgk/findings").glob("*.pickle"):
        code, entries = pickle.loads(bucket.read_bytes())
        for key, kept_problems in entries.items():
            if key[:2] == (rule, shown):
                entries[key] = [dataclasses.replace(p, message=message) for p in kept_problems]
                marked += 1
        bucket.write_bytes(pickle.dumps((code, entries)))
    return marked


def test_an_unchanged_items_findings_are_kept_and_a_changed_item_or_word_list_is_checked_again(mini):
    """The per-item scans (privacy, wording) are kept by the item's text (rules/base.of_item):
    an unchanged item's findings come from .cache/xxgk/findings/, an edited item is scanned
    again, and so is every item when the site's word list changes."""
    shown = "content/items/2024/bgs/links.md"
    _item_with_body(mini, "咨询电话：13800138000。")
    first = mini.check("--cache")
    assert f"{shown}:9: E141 正文含疑似手机号码 138****8000" in first.out, first.text

    # What a rebuild reports of the unchanged item is what the memo holds: mark it
    assert _mark_kept(mini, "privacy", shown, "正文含疑似手机号码 记忆中的结果") == 1
    kept = mini.check("--cache")
    assert f"{shown}:9: E141 正文含疑似手机号码 记忆中的结果" in kept.out, kept.text

    _item_with_body(mini, "咨询电话请见办事指南。")  # the number taken out: scanned again
    fixed = mini.check("--cache")
    assert fixed.code == 0 and shown not in fixed.out, fixed.text

    # the item is unchanged now, the site's own list of forbidden terms is new
    mini.write(
        "catalog/wording.yml", "forbidden:\n  - {term: 办事指南, instead: 服务指南, reason: 本机关统一称服务指南}\n"
    )
    listed = mini.check("--cache")
    assert re.search(rf"{shown}:9: E503 .*办事指南", listed.out), listed.text


def test_an_ordinary_pages_wording_findings_are_kept_and_an_edited_page_is_checked_again(mini):
    """Ordinary pages are kept by their text too, so a rebuild that changes no file scans none
    and never makes the word lists' scanner (rules/wording._lazily)."""
    shown = "content/about.md"
    page = mini.path / shown
    text = page.read_text(encoding="utf-8")
    mini.write(
        "catalog/wording.yml", "forbidden:\n  - {term: 办事指南, instead: 服务指南, reason: 本机关统一称服务指南}\n"
    )
    page.write_text(text + "\n请见办事指南。\n", encoding="utf-8")
    first = mini.check("--cache")
    assert re.search(rf"{shown}:\d+: E503 .*办事指南", first.out), first.text

    assert _mark_kept(mini, "wording", shown, "记忆中的结果") == 1
    kept = mini.check("--cache")
    assert f"{shown}" in kept.out and "记忆中的结果" in kept.out, kept.text

    page.write_text(text + "\n请见服务指南。\n", encoding="utf-8")  # the term taken out: scanned again
    fixed = mini.check("--cache")
    assert fixed.code == 0 and shown not in fixed.out, fixed.text
