"""The MkDocs plugin: glue between MkDocs' events and the build (build/steps.py), which
owns the order of the work and its state. Each event calls the build; beside it, the
options as MkDocs' schema (config.py), the build's pages as MkDocs files (engine.py),
our templates on the theme's path, each page's template, and the progress log. Moving to
another engine means rewriting this folder; the build stays."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from xxgk.adapter import bytecode, escape, mdlinear, preview
from xxgk.adapter.config import XxgkConfig
from xxgk.adapter.engine import MkDocsPages
from xxgk.adapter.page import SharedPage
from xxgk.build.steps import Build, BuildError, Target, start
from xxgk.core import options as O
from xxgk.core.status import KINDS, cn_date, iso_day
from xxgk.core.urls import ROUTES, feed_url, item_url, src_of
from xxgk.infra import heap, progress
from xxgk.output.meta import Head
from xxgk.output.pages import wrap_tables
from xxgk.publish import oserrors
from xxgk.rules import markup

log = logging.getLogger("mkdocs.plugins.xxgk")
TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_NAV = [
    {"首页": src_of(ROUTES["home"])},
    {"法定主动公开内容": src_of(ROUTES["catalog"])},
    {"主题分类": src_of(ROUTES["topics"])},
]


def theme_stylesheet(theme_dirs: list[str]) -> str:
    """The theme's stylesheet as its base.html links it (main.html, which replaces base.html,
    links it too): Material names it by a hash of its content, new with each version."""
    for folder in theme_dirs:
        found = sorted(Path(folder).glob("assets/stylesheets/main.*.min.css"))
        if found:
            return found[0].relative_to(folder).as_posix()
    raise PluginError(
        "找不到 Material 主题的样式表 assets/stylesheets/main.*.min.css；请运行 scripts/setup 重新安装锁定版本的 mkdocs-material"
    )


class XxgkPlugin(BasePlugin):
    config_class = XxgkConfig

    def __init__(self) -> None:
        super().__init__()
        self.command = ""  # mkdocs build, gh-deploy or serve
        self.build: Build | None = None  # from on_config to the end of the build
        self.steps: Iterator[None] = iter(())  # build.run(), paused while MkDocs renders
        self.converting = self.rendering = progress.phase("")  # MkDocs converts every page, then renders
        self.unlisten: Callable[[], None] = lambda: None  # stops the build log hearing progress
        self.last_error = ""  # why the last build failed, for the preview's error page (adapter/preview.py)

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
        self.build = None  # this build's, once made
        try:
            self.opts = O.from_mapping(
                dict(self.config), str(root / "mkdocs.yml"), root=root, docs_dir=docs_dir,
                site_name=config.site_name, site_url=config.site_url or "", extra=dict(config.extra or {}),
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
        dirs[at:at] = [str(TEMPLATES)]
        if not config.nav:
            config.nav = DEFAULT_NAV
        if mdlinear.NAME not in config.markdown_extensions:  # issue 30: `[` bodies in linear time
            config.markdown_extensions.append(mdlinear.NAME)
        oserrors.install()  # issue 30: an OSError MkDocs does not catch ends in Chinese, not a traceback
        return config

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
        server.watch(str(self.opts.catalog_path))  # catalog/*.yml is outside docs_dir
        server.builder = preview.showing_errors(server.builder, Path(server.root), lambda: self.last_error)
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.build is not None  # on_config made it
        engine = MkDocsPages(files, config, dict(self.config))
        self.steps = self.build.run(engine)
        self._step()  # up to the rendering
        pages = engine.share(self.build.pages.values())
        self.converting, self.rendering = progress.phase("转换正文", pages), progress.phase("生成页面", pages)
        return files

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["xx_kinds"] = KINDS  # a global: the portal's macros import ours without context
        # macros.html's cn_date and iso: called for every page and list row, a Python call
        # costs a tenth of a Jinja macro's (issue 35)
        env.globals |= {"xx_cn_date": cn_date, "xx_iso_day": iso_day}
        bytecode.compiled_once(env, self.opts.root)  # issue 35: not compiled again on every build
        origins = self.build.member_origins() if self.build is not None else []
        escape.install(env, csp=self.command != "serve", origins=origins)  # issue 30: escaped urls, CSP <meta>
        env.globals |= {"xx_urls": ROUTES, "xx_item_url": item_url, "xx_feed_url": feed_url}  # core/urls.py
        env.filters["xx_wrap_tables"] = wrap_tables
        env.globals["xx_head"] = Head(self.opts)  # meta tags and footer identity (output/meta.py)
        env.globals["xx_theme_css"] = theme_stylesheet(config.theme.dirs)  # main.html links it
        if self.build is not None:  # the 404 page too, which has no page context
            env.globals["xx_as_of"] = self.build.site.rel.as_of
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

    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if isinstance(page, SharedPage):
            page.convert(config)
        if self.build is not None:
            # our keys beside MkDocs' own (its TemplateContext type lists only those)
            cast(dict, context).update(self.build.context(page.file.src_uri))
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
        self.last_error = str(error)
        self.unlisten()
        if self.build is not None:
            self.build.abort()

    def on_shutdown(self) -> None:
        """The process ends next: the interpreter's last collection would free every object of
        the build one by one (1.4 s of a 12 s one-item rebuild at 20,000 items). Frozen, they
        are left for the system to reclaim; atexit handlers and the standard streams' flush
        still run, and every file of ours is closed by now."""
        heap.leave_to_exit()
