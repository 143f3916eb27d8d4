"""The MkDocs adapter: glue between MkDocs' events and the build (build/steps.py), which
owns the order of the work and its state. Here: the options as MkDocs' schema, our
templates on the theme's path, PageSpecs as MkDocs files (MkDocsPages, the build's
Engine), and each page's template and data. Moving to another engine means rewriting
this module, adapter/page.py, adapter/cache.py and the templates; the build stays."""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from xxgk.adapter import cache
from xxgk.adapter.page import Converter, SharedPage
from xxgk.build.steps import Build, BuildError, Target, start
from xxgk.core import options as O
from xxgk.core.model import Item
from xxgk.core.status import KINDS
from xxgk.core.urls import item_url
from xxgk.infra import progress
from xxgk.output.pages import PageSpec
from xxgk.rules import markup

log = logging.getLogger("mkdocs.plugins.xxgk")
TEMPLATES = Path(__file__).parent / "templates"
SEARCH_ASSETS = Path(__file__).parents[1] / "search" / "theme"  # the search module's browser files


class _Checked(c.BaseConfigOption):
    """One option of core/options.py: its default, and its parse as MkDocs' validation."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key
        self.default = O.default(key)

    def run_validation(self, value):
        try:
            return O.spec(self.key).parse(value)
        except O.BadOption as exc:
            raise ValidationError(str(exc)) from None


# The plugin's schema is the options' declaration; on_config also refuses unknown keys.
XxgkConfig: type[base.Config] = type("XxgkConfig", (base.Config,), {key: _Checked(key) for key in O.OPTIONS})


DEFAULT_NAV = [
    {"首页": "index.md"},
    {"法定主动公开内容": "catalog/index.md"},
    {"主题分类": "topics/index.md"},
]
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
        self.in_nav = cache.nav_paths(config.nav)  # never from the cache: MkDocs titles nav entries from the page

    def add(self, pages: Iterable[PageSpec], items: Iterable[Item], assets: dict[str, str]) -> None:
        for spec in pages:
            if spec.kind != "item" and self.files.get_file_from_path(spec.src_uri) is None:
                self.files.append(self._generated(spec.src_uri, ""))
        for item in items:  # the body (front matter already parsed) at its index_no URL
            original = self.files.get_file_from_path(item.src_uri)
            if original is not None:
                self.files.remove(original)
            file = self._generated(item.src_uri, item.body)
            file.dest_uri = item_url(item.index_no) + "index.html"
            self.files.append(file)
        for path, text in assets.items():
            self.files.append(File.generated(self.config, path, content=text))

    def _generated(self, src_uri: str, content: str) -> File:
        return File.generated(self.config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)

    def file(self, spec: PageSpec) -> File:
        file = self.files.get_file_from_path(spec.src_uri)
        assert file is not None, spec.src_uri  # add() made sure of it
        return file

    def source(self, page: PageSpec) -> tuple[str, dict[str, str | None]] | None:
        if page.src_uri in self.in_nav:
            return None
        markdown = self.file(page).content_string
        links = cache.md_links(markdown, page.src_uri)
        return markdown, {t: getattr(self.files.get_file_from_path(t), "url", None) for t in links}

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


class XxgkPlugin(BasePlugin):
    config_class = XxgkConfig

    def __init__(self) -> None:
        super().__init__()
        self.command = ""  # mkdocs build, gh-deploy or serve
        self.build: Build | None = None  # from on_config to the end of the build
        self.steps: Iterator[None] = iter(())  # build.run(), paused while MkDocs renders
        self.converting = self.rendering = progress.phase("")  # MkDocs converts every page, then renders
        self.unlisten: Callable[[], None] = lambda: None  # stops the build log hearing progress

    def load_config(self, options, config_file_path=None):
        """MkDocs' check of the options, each error at its line of mkdocs.yml."""
        errors, warnings = super().load_config(options, config_file_path)
        path = os.path.relpath(config_file_path) if config_file_path else "mkdocs.yml"
        return [(key, str(O.problem(path, key, str(message)))) for key, message in errors], warnings

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.unlisten()
        self.unlisten = progress.listen(lambda phase, finished: log.info(phase.line(finished)))
        root = Path(config.config_file_path or ".").resolve().parent
        docs = Path(config.docs_dir).resolve()
        docs_dir = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else str(docs)
        target = Target(
            Path(config.site_dir), config.site_url, config.site_name, self.command in ("build", "gh-deploy")
        )
        try:
            self.opts = O.from_mapping(
                dict(self.config), str(root / "mkdocs.yml"), root=root, docs_dir=docs_dir,
                site_name=config.site_name, extra=dict(config.extra or {}),
            )  # fmt: skip
            self.build = start(self.opts, target, str(root / "mkdocs.yml"))
        except O.OptionsError as exc:
            raise PluginError(str(exc.problem)) from None
        except BuildError as exc:
            raise PluginError(str(exc)) from None
        config.site_dir = str(self.build.out)
        # Our templates sit between the site's overrides/ and Material itself.
        dirs = config.theme.dirs
        at = 1 if config.theme.custom_dir else 0
        dirs[at:at] = [str(TEMPLATES), str(SEARCH_ASSETS)]
        if not config.nav:
            config.nav = DEFAULT_NAV
        return config

    def on_serve(self, server, config, builder):
        server.watch(str(self.opts.catalog_path))  # catalog/*.yml is outside docs_dir
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.build is not None  # on_config made it
        engine = MkDocsPages(files, config, dict(self.config))
        self.steps = self.build.run(engine)
        self._step()  # up to the rendering
        pages = engine.share(self.build.pages.values())
        self.converting, self.rendering = progress.phase("转换正文", pages), progress.phase("生成页面", pages)
        return files

    def on_env(self, env, config, files):
        env.globals["xx_kinds"] = KINDS  # a global: the portal's macros import ours without context
        self.converting.finish()
        self.rendering.started = time.monotonic()
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.converting.step()
        spec = self.build.pages.get(page.file.src_uri) if self.build else None
        if spec is not None:
            page.meta["template"] = f"xxgk/{spec.kind}.html"
            page.meta["title"] = spec.title
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Every body through the allow-list the check applies (rules/markup.py), so that
        nothing it refuses reaches a page even if the check was skipped."""
        return markup.clean(html) if markup.may_carry_markup(page.markdown or "") else html

    def on_page_context(self, context, page, config, nav):
        if isinstance(page, SharedPage):
            page.convert(config)
        if self.build is not None:
            context.update(self.build.context(page.file.src_uri))
        return context

    @event_priority(-100)  # last: the page cache keeps exactly the file MkDocs writes
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        self.rendering.step()
        if isinstance(page, SharedPage):
            page.forget()  # MkDocs writes `output`; the page's own HTML is not needed again
        if self.build is not None and output.strip():
            self.build.rendered(page.file.src_uri, page.file.dest_uri)
        return output

    @event_priority(-100)  # last, so the link check and manifest see every other plugin's output
    def on_post_build(self, config: MkDocsConfig) -> None:
        self.rendering.finish()
        self._step()  # to the end of the build
        if self.build is not None:
            config.site_dir = str(self.build.target.site_dir)
        self.unlisten()

    def _step(self) -> None:
        try:
            next(self.steps, None)
        except BuildError as exc:
            raise PluginError(str(exc)) from None

    def on_build_error(self, *, error: Exception) -> None:
        self.unlisten()
        if self.build is not None:
            self.build.abort()

    def on_shutdown(self) -> None:
        """The process ends next: the interpreter's last collection would free every object of
        the build one by one (1.4 s of a 12 s one-item rebuild at 20,000 items). Frozen, they
        are left for the system to reclaim; atexit handlers and the standard streams' flush
        still run, and every file of ours is closed by now."""
        gc.freeze()
