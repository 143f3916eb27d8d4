"""The build's Engine (build/steps.py) for MkDocs, in the manner of Material's managers:
the build's pages as MkDocs files, their sources and the page cache's salt."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from xxgk.adapter import cache
from xxgk.adapter.page import Converter, SharedPage
from xxgk.core.model import Item
from xxgk.core.urls import item_url
from xxgk.output.pages import PageSpec
from xxgk.search import browser

# What the page cache's salt takes from mkdocs.yml besides its text (adapter/cache.py).
SALTED = (
    "site_url",
    "use_directory_urls",
    "nav",
    "extra",
    "markdown_extensions",
    "mdx_configs",
    "extra_css",
    "extra_javascript",
    "repo_url",
    "edit_uri",
    "copyright",
    "site_description",
    "site_author",
)


class MkDocsPages:
    """The build's Engine (build/steps.py) over MkDocs' Files: its pages as generated files."""

    def __init__(self, files: Files, config: MkDocsConfig, options: dict):
        self.files, self.config, self.options = files, config, options
        # MkDocs' own index of its files (live as files are added and removed), asked directly:
        # get_file_from_path normalises every path it is given, four times a page here
        self.by_uri = files.src_uris
        self.in_nav = cache.nav_paths(config.nav)  # never from the cache: MkDocs titles nav entries from the page

    def add(self, pages: Iterable[PageSpec], items: Iterable[Item], assets: dict[str, str]) -> None:
        for spec in pages:
            if spec.kind != "item" and self.by_uri.get(spec.src_uri) is None:
                self.files.append(self._generated(spec.src_uri, ""))
        for item in items:  # the body (front matter already parsed) at its index_no URL
            original = self.by_uri.get(item.src_uri)
            if original is not None:
                self.files.remove(original)
            file = self._generated(item.src_uri, item.body)
            file.dest_uri = item_url(item.index_no) + "index.html"
            self.files.append(file)
        for path, text in assets.items():
            self.files.append(File.generated(self.config, path, content=text))
        for path in browser.site_files():  # plugins/xxgk/browser/assets/, as served
            self.files.append(File(path, str(browser.HOME), self.config.site_dir, self.config.use_directory_urls))

    def _generated(self, src_uri: str, content: str) -> File:
        return File.generated(self.config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)

    def file(self, spec: PageSpec) -> File:
        file = self.by_uri.get(spec.src_uri)
        assert file is not None, spec.src_uri  # add() made sure of it
        return file

    def source(self, page: PageSpec) -> tuple[str, dict[str, str | None]] | None:
        if page.src_uri in self.in_nav:
            return None
        markdown = self.file(page).content_string
        links = cache.md_links(markdown, page.src_uri)
        return markdown, {t: getattr(self.by_uri.get(t), "url", None) for t in links}

    def skip(self, page: PageSpec) -> str:
        file = self.file(page)
        file.inclusion = InclusionLevel.EXCLUDED
        return file.dest_uri

    def salt(self) -> str:
        settings = {k: self.config[k] for k in SALTED}
        settings.update(theme=dict(self.config.theme.items()), plugin=self.options)
        path = self.config.config_file_path
        text = Path(path).read_text(encoding="utf-8") if path else ""
        return cache.salt(text, settings, list(self.config.theme.dirs))

    def share(self, pages: Iterable[PageSpec]) -> int:
        """Generated pages outside the nav render with one converter (adapter/page.py); the
        number of pages MkDocs converts and renders."""
        converter = Converter(self.config)
        for spec in pages:
            file = self.file(spec)
            if spec.src_uri not in self.in_nav and file.page is None and not file.inclusion.is_excluded():
                SharedPage(file, self.config, converter)
        return sum(1 for f in self.files.documentation_pages() if not f.inclusion.is_excluded())
