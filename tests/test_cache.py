"""The persistent page cache: a build that reuses cached pages writes exactly the bytes
of a clean build, after each kind of change a page can depend on."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
from pathlib import Path

import frontmatter
import pytest

from conftest import BIN, SiteDir, run
from xxgk_dev.synthetic import generate

pytestmark = pytest.mark.build

PAGES = Path(".cache/xxgk/pages")
NAV_PAGES = 4  # generated pages named in the synthetic site's nav: rendered on every build


def tree(root: Path) -> dict[str, bytes]:
    """Every file's bytes, the site descriptor and the manifest included: the session's builds
    share one SOURCE_DATE_EPOCH (conftest), so even the descriptor's build time is the same."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def reused(result) -> tuple[int, int]:
    """(pages taken from the cache, pages rendered) as the build reports them."""
    m = re.search(r"页面缓存：(\d+) 页沿用缓存，(\d+) 页重新生成", result.text)
    assert m, result.text
    return int(m.group(1)), int(m.group(2))


@pytest.fixture
def synthetic(tmp_path) -> SiteDir:
    """60 synthetic items (interpretations, revisions, abolitions), search index off."""
    generate(60, tmp_path / "repo", seed=7)
    site = SiteDir(tmp_path / "repo")
    site.edit("mkdocs.yml", "      page_size: 20\n", "      page_size: 20\n      search: false\n")
    return site


def build(site: SiteDir, env: dict | None = None):
    result = run([str(BIN / "mkdocs"), "build"], site.path, {"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    assert result.code == 0, result.text
    return result


def clean_build(site: SiteDir, env: dict | None = None) -> dict[str, bytes]:
    """The same content built with no cache at all."""
    shutil.rmtree(site.path / PAGES)
    result = build(site, env)
    assert reused(result)[0] == 0
    return tree(site.path / "site")


def interpreted_policy(site: SiteDir) -> Path:
    """An item whose title is shown on another item's page (its interpretation)."""
    for path in sorted((site.path / "content/items").rglob("*.md")):
        if "doc_type: 政策解读" in path.read_text(encoding="utf-8"):
            interprets = re.search(r"interprets: \[(.+?)\]", path.read_text(encoding="utf-8"))
            assert interprets, path
            target = interprets.group(1)
            return next(
                p
                for p in (site.path / "content/items").rglob("*.md")
                if f"index_no: {target}\n" in p.read_text(encoding="utf-8")
            )
    raise AssertionError("no interpretation generated")


def test_second_build_reuses_every_page_and_is_identical(synthetic):
    first = build(synthetic)
    assert reused(first)[0] == 0
    clean = tree(synthetic.path / "site")
    second = build(synthetic)
    hits, rendered = reused(second)
    assert rendered == NAV_PAGES and hits + NAV_PAGES == reused(first)[1] > 60
    assert tree(synthetic.path / "site") == clean


def change_body(site: SiteDir) -> dict:
    path = next((site.path / "content/items").rglob("*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("要围绕", "必须围绕", 1), encoding="utf-8")
    return {}


def change_related_title(site: SiteDir) -> dict:
    path = interpreted_policy(site)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: (.+)$", r"title: \1（修改）", text, count=1, flags=re.M), encoding="utf-8")
    return {}


def change_as_of(site: SiteDir) -> dict:
    return {"XXGK_AS_OF": "2016-06-01"}  # most documents not yet published or in force then


def change_status_elsewhere(site: SiteDir) -> dict:
    """A new version written on its own side only (replaces): the old item's file is untouched,
    yet its badge on every list showing it, e.g. its topic pages, turns 已修订."""
    for path in sorted((site.path / "content/items").rglob("*.md")):
        old = frontmatter.load(path)
        if (
            old.get("topics")
            and old.get("status", "有效") == "有效"
            and not (old.get("expires") or old.get("effective"))
        ):
            break
    else:
        raise AssertionError("no item in force with topics")
    org = str(old["index_no"]).split("/")[0]
    site.item(
        "2024/new/new-version.md",
        f"title: {old['title']}（修订）\nindex_no: {org}/2024-09999\npublisher: {old['publisher']}\n"
        f"published: 2024-06-01\ncategory: {old['category']}\ndoc_type: {old.get('doc_type', '一般信息')}\n"
        f"replaces: {old['index_no']}",
    )
    return {}


def change_a_reports_year(site: SiteDir) -> dict:
    """A new 行政规范性文件 in the year an annual report covers: the report's page, whose own
    file is untouched, shows that year's computed table (制发 one more)."""
    for path in sorted((site.path / "content/items").rglob("*.md")):
        report = frontmatter.load(path)
        if report.get("doc_type") == "年度报告":
            break
    else:
        raise AssertionError("no annual report generated")
    year = int(re.search(r"(\d{4})年", str(report["title"])).group(1))  # type: ignore[union-attr]
    org = str(report["index_no"]).split("/")[0]
    site.item(
        f"{year}/new/new-policy.md",
        f"title: 云溪市人民政府关于新增一项管理办法的通知\nindex_no: {org}/{year}-09999\npublisher: szfbgt\n"
        f"published: {year}-06-01\ncategory: gfxwj\ndoc_type: 行政规范性文件\ndoc_no: 云政规〔{year}〕99号\n"
        f"effective: {year}-06-15",
    )
    return {}


def change_config(site: SiteDir) -> dict:
    site.edit("mkdocs.yml", "  agency: 云溪市人民政府\n", "  agency: 云溪市人民政府（改）\n")
    return {}


@pytest.mark.parametrize(
    "change, rendered_at_most",
    [
        (change_body, 1 + NAV_PAGES),
        (change_related_title, None),
        (change_as_of, None),
        (change_status_elsewhere, None),
        (change_a_reports_year, None),
        (change_config, None),
    ],
)
def test_cached_build_after_a_change_equals_a_clean_build(synthetic, change, rendered_at_most):
    build(synthetic)
    env = change(synthetic)
    cached = build(synthetic, env)
    hits, rendered = reused(cached)
    assert rendered > NAV_PAGES
    if rendered_at_most is not None:  # one body: only its own page is rendered again
        assert rendered <= rendered_at_most and hits > 60
    if change is change_related_title:  # the policy, its interpretation, the lists showing it
        assert 2 < rendered < hits
    assert tree(synthetic.path / "site") == clean_build(synthetic, env)


def test_open_data_is_reused_after_a_body_edit_and_made_again_after_a_title_edit(synthetic):
    """Issue 35: catalog.json and .csv are made from the items' front matter and status, not
    their bodies: after a body edit they are the page cache's file (the same inode as the last
    build's), after a title edit they are written anew (the tree equals a clean build's above)."""
    files = ("catalog.json", "catalog.csv")

    def inodes() -> dict[str, int]:
        return {name: (synthetic.path / "site" / name).stat().st_ino for name in files}

    build(synthetic)
    made = inodes()
    change_body(synthetic)
    build(synthetic)
    assert inodes() == made
    change_related_title(synthetic)
    build(synthetic)
    assert all(inode != made[name] for name, inode in inodes().items())


def test_templates_are_compiled_once_and_again_when_their_text_changes(synthetic):
    """Issue 35: Jinja's compiled templates are kept between builds (.cache/xxgk/templates/),
    and a template whose text changed is compiled again, not taken from the cache."""
    synthetic.edit("mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    partial = synthetic.path / "overrides/xxgk/partials/meta.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<meta name="xx-probe" content="甲">\n', encoding="utf-8")
    build(synthetic)
    compiled = sorted((synthetic.path / ".cache/xxgk/templates").rglob("*.cache"))
    assert len(compiled) > 10  # main.html, ours, Material's partials
    assert 'content="甲"' in synthetic.html("")
    partial.write_text('<meta name="xx-probe" content="乙">\n', encoding="utf-8")
    build(synthetic)
    assert 'content="乙"' in synthetic.html("") and 'content="甲"' not in synthetic.html("")
    assert 'content="乙"' in (synthetic.path / "site/404.html").read_text(encoding="utf-8")


def test_templates_compiled_under_other_settings_are_kept_apart(tmp_path):
    from jinja2 import Environment

    from xxgk.adapter.bytecode import compiled_once

    folders = []
    for env in (Environment(), Environment(), Environment(trim_blocks=True), Environment(finalize=str)):
        compiled_once(env, tmp_path)
        folders.append(env.bytecode_cache.directory)  # type: ignore[union-attr]
    assert folders[0] == folders[1] and len(set(folders)) == 3


def test_cache_keeps_only_the_pages_of_the_last_build(synthetic):
    build(synthetic)
    count = sum(1 for _ in (synthetic.path / PAGES).rglob("*.html"))
    change_body(synthetic)
    build(synthetic)
    assert sum(1 for _ in (synthetic.path / PAGES).rglob("*.html")) == count


def test_cache_off_renders_everything_and_leaves_the_cache_alone(synthetic):
    build(synthetic)
    pages, stored = tree(synthetic.path / "site"), tree(synthetic.path / PAGES)
    synthetic.edit("mkdocs.yml", "      search: false\n", "      search: false\n      cache: false\n")
    result = build(synthetic)
    assert "页面缓存" not in result.text
    assert tree(synthetic.path / "site") == pages
    assert tree(synthetic.path / PAGES) == stored


def test_nav_entries_without_titles_keep_their_titles_on_cached_builds(synthetic):
    synthetic.edit("mkdocs.yml", "  - 法定主动公开内容: catalog/index.md\n", "  - catalog/index.md\n")
    build(synthetic)
    second = build(synthetic)
    assert reused(second)[1] == NAV_PAGES  # catalog/ is still named in the nav, now untitled
    assert tree(synthetic.path / "site") == clean_build(synthetic)


def test_cached_pages_share_their_file_with_the_site_and_a_page_edited_in_site_is_rendered_again(synthetic):
    first = build(synthetic)
    pages = tree(synthetic.path / "site")
    linked = [p for p in (synthetic.path / "site").rglob("*.html") if p.stat().st_nlink > 1]
    assert len(linked) == reused(first)[1] - NAV_PAGES  # hard links (place.py), not copies
    # a deploy script that edits a page of site/ in place also edits the cache entry it shares
    page = next(p for p in linked if "/items/" in p.as_posix())
    page.write_text(
        page.read_text(encoding="utf-8").replace("</body>", "<script>统计</script></body>"), encoding="utf-8"
    )
    assert reused(build(synthetic))[1] == NAV_PAGES + 1  # that page alone is rendered again
    assert tree(synthetic.path / "site") == pages


def test_a_cached_page_changed_with_its_size_and_mtime_kept_is_rendered_again(synthetic):
    """Issue 30: the cache trusts content, not times: the manifest takes reused pages by their
    SHA-256, so a page edited in place with the same size and mtime must not be reused."""
    build(synthetic)
    pages = tree(synthetic.path / "site")
    page = next(
        p for p in (synthetic.path / "site").rglob("*.html") if p.stat().st_nlink > 1 and "/items/" in p.as_posix()
    )
    info = page.stat()
    data = page.read_bytes()
    at = data.index(b"</body>")
    filler = b" " * 8 if data[at - 8 : at] != b" " * 8 else b"\n" * 8
    page.write_bytes(data[: at - 8] + filler + data[at:])  # same length, other bytes
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert page.stat().st_size == info.st_size and page.stat().st_mtime_ns == info.st_mtime_ns
    assert reused(build(synthetic))[1] == NAV_PAGES + 1  # that page alone is rendered again
    assert tree(synthetic.path / "site") == pages
    manifest = json.loads((synthetic.path / "site/xxgk-manifest.json").read_text(encoding="utf-8"))["files"]
    rel = page.relative_to(synthetic.path / "site").as_posix()
    assert manifest[rel] == hashlib.sha256(page.read_bytes()).hexdigest()


def test_the_stored_pages_are_checked_beside_the_build_and_by_the_build_when_that_fork_is_killed(synthetic):
    """Issue 35: the check of the stored pages' bytes runs in a fork during the analysis; a
    fork killed (out of memory, say) leaves the check to the build, which still finds the
    page altered with its size and mtime kept."""
    from xxgk.build import pagecache

    build(synthetic)
    folder = synthetic.path / PAGES
    stored = sorted(folder.rglob("*.html"))
    page = stored[len(stored) // 2]
    info = page.stat()
    data = page.read_bytes()
    page.write_bytes(data[:-1] + (b" " if data[-1:] != b" " else b"\n"))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    others = {p.stem for p in stored} - {page.stem}
    assert pagecache.checked(pagecache.checking(folder), folder) == others
    job = pagecache.checking(folder)
    (fork,) = [p for p in multiprocessing.active_children() if p.name == "xxgk-check-cache"]
    fork.kill()
    fork.join()
    assert fork.exitcode == -signal.SIGKILL
    assert pagecache.checked(job, folder) == others


def test_the_md_links_of_a_page_are_found_and_a_page_without_any_has_none():
    from xxgk.adapter.cache import md_links

    text = "见[甲](../a.md#二)与[乙][r]。\n\n[r]: <c/d.md>\n"
    assert md_links(text, "x/y.md") == ["a.md", "x/c/d.md"]
    assert md_links("[链接](https://example.org/a.html) 正文", "x/y.md") == []
