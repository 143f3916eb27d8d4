"""One Markdown converter for every generated page (MkDocs adapter).

MkDocs 1.6 builds a new `markdown.Markdown` — every extension, every processor —
for each page it renders: half a millisecond per page, a minute at 100,000 items.
Python-Markdown supports reusing one instance through `reset()`, so generated
pages render with a shared converter; MkDocs' own per-page processors (anchors,
relative links, title) are registered again for each page under their names,
which replaces the previous page's. The HTML is the same as MkDocs' own render
(tests/test_mkdocs_page.py compares them)."""

from __future__ import annotations

import logging

import markdown
from mkdocs.structure import pages as mp
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.structure.pages")


class Converter:
    """The build's one `markdown.Markdown`, made on first use with the site's extensions."""

    def __init__(self, config):
        self.config = config
        self.md: markdown.Markdown | None = None

    def fresh(self) -> markdown.Markdown:
        if self.md is None:
            self.md = markdown.Markdown(
                extensions=self.config["markdown_extensions"], extension_configs=self.config["mdx_configs"] or {}
            )
        return self.md.reset()


class SharedPage(mp.Page):
    """A page not named in the nav, rendered with the build's shared converter.

    MkDocs converts every page's Markdown before it renders any template, so a build held
    the HTML of every page at once (the largest part of its memory at 100,000 items). This
    page is converted just before its template (convert(), from the plugin's
    on_page_context, with every plugin's on_page_content then) and its HTML is dropped once
    the page is written (forget(), from on_post_page)."""

    def __init__(self, file, config, converter: Converter):
        super().__init__(None, file, config)
        self.converter = converter
        self.files = None

    def render(self, config, files) -> None:
        self.files = files
        self.content = ""  # MkDocs checks that render() set it; convert() fills it

    def convert(self, config) -> None:
        self._convert(config, self.files)
        self.content = config.plugins.on_page_content(self.content, page=self, config=config, files=self.files)

    def forget(self) -> None:
        self.content = self.markdown = None
        self.toc = get_toc([])

    def _convert(self, config, files) -> None:  # mkdocs.structure.pages.Page.render, one converter
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.converter.fresh()
        raw_html_ext = mp._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mp._ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mp._RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mp._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        self.content = md.convert(self.markdown)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors
