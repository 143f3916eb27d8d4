"""The build object (build/steps.py) needs no MkDocs: driven by a plain engine that writes
each page itself, it analyses, plans, reuses cached pages, checks links, writes the
manifest and swaps the site in whole; aborted, it leaves the published site as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.build.steps import Build, BuildError, Target, start
from xxgk.core.options import read_mkdocs_yml
from xxgk.output.pages import PageSpec
from xxgk.publish import manifest


class Plain:
    """An engine in a dozen lines: a page is its title in an <h1>."""

    def __init__(self) -> None:
        self.pages: list[PageSpec] = []
        self.assets: dict[str, str] = {}
        self.skipped: set[str] = set()

    def add(self, pages, items, assets) -> None:
        self.pages, self.assets = list(pages), assets

    def source(self, page: PageSpec):
        return page.title, {}

    def skip(self, page: PageSpec) -> str:
        self.skipped.add(page.src_uri)
        return page.url + "index.html"

    def salt(self) -> str:
        return "plain"

    def render(self, build: Build) -> None:
        for path, text in self.assets.items():
            (build.out / path).parent.mkdir(parents=True, exist_ok=True)
            (build.out / path).write_text(text, encoding="utf-8")
        for page in self.pages:
            if page.src_uri not in self.skipped:
                dest = page.url + "index.html"
                (build.out / dest).parent.mkdir(parents=True, exist_ok=True)
                (build.out / dest).write_text(f"<html><body><h1>{page.title}</h1></body></html>", encoding="utf-8")
                build.rendered(page.src_uri, dest)


def _build(root: Path) -> tuple[Build, Plain]:
    build = start(read_mkdocs_yml(root), Target(root / "site", None, "测试", atomic=True), str(root / "mkdocs.yml"))
    engine = Plain()
    steps = build.run(engine)
    next(steps)  # up to the rendering
    engine.render(build)
    next(steps, None)  # the rest
    return build, engine


def test_a_build_without_mkdocs_publishes_a_whole_checked_site(mini):
    first, engine = _build(mini.path)
    site = mini.path / "site"
    assert not engine.skipped and first.cache is not None
    assert "<h1>" in (site / "index.html").read_text(encoding="utf-8")
    files = manifest.list_files(site)
    listed = manifest.loads((site / manifest.MANIFEST).read_bytes(), manifest.MANIFEST)
    assert "assets/xxgk/rules.js" in files and "robots.txt" in files and sorted(listed) == files
    _, engine = _build(mini.path)  # every page from the page cache, none rendered
    assert engine.skipped == {p.src_uri for p in engine.pages}
    assert manifest.list_files(site) == files
    assert not (mini.path / ".site.building").exists()


def test_an_aborted_build_leaves_the_published_site(mini):
    _build(mini.path)
    before = {f: (mini.path / "site" / f).read_bytes() for f in manifest.list_files(mini.path / "site")}
    build = start(read_mkdocs_yml(mini.path), Target(mini.path / "site", None, "测试", True), "mkdocs.yml")
    steps = build.run(Plain())
    next(steps)
    (build.out / "half.html").write_text("<p>", encoding="utf-8")
    build.abort()
    assert not build.out.exists()
    assert {f: (mini.path / "site" / f).read_bytes() for f in manifest.list_files(mini.path / "site")} == before


def test_content_errors_stop_the_build_and_leave_no_staging_folder(mini):
    mini.edit("content/items/2024/bgs/notice.md", "category: tzgg", "category: no-such-node")
    with pytest.raises(BuildError, match="E108"):
        start(read_mkdocs_yml(mini.path), Target(mini.path / "site", None, "测试", True), "mkdocs.yml")
    assert not (mini.path / ".site.building").exists() and not (mini.path / "site").exists()
