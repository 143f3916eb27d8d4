"""One build of a site, whatever engine renders its pages: the order of the work, and all
that a build holds while it runs. adapter/plugin.py is the glue between it and MkDocs.

`Build.run()` is the whole build, top to bottom. It pauses once, at its `yield`, while the
engine renders the pages it was given: the engine resumes it (next()) once they are
written, telling rendered() of each on the way. An error anywhere, or abort(), ends the
build without touching the published site: the background jobs are waited for and the
staging folder goes. SiteBuild builds a site of items; PortalBuild a portal over member
sites (docs/portal.md): the same steps, with the portal's own pages and data, and no search
index or page cache of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from xxgk.authoring import local as authoring_local
from xxgk.authoring.page import AuthoringError, write_admin
from xxgk.build import pagecache
from xxgk.build.pagecache import PageCache, PlacingError, placing
from xxgk.core import folders, gate, lifecycle
from xxgk.core.model import Item
from xxgk.core.options import Options
from xxgk.core.site import Site
from xxgk.core.urls import ROUTES
from xxgk.infra import heap, progress
from xxgk.infra.background import Background
from xxgk.infra.caches import cache_dir
from xxgk.infra.place import place
from xxgk.output import apply_form, descriptor, ondate, opendata
from xxgk.output.pages import PageSpec, build_pages
from xxgk.portal import config as portal_config
from xxgk.portal.config import Portal
from xxgk.publish import atomic, buildlock, oserrors
from xxgk.publish import finish as publish
from xxgk.rules import analyse
from xxgk.search import browser, published
from xxgk.search.index import IndexJob, RuntimeJob, SearchIndexError

# The engine's log: MkDocs shows this logger's lines and counts its warnings for --strict.
log = logging.getLogger("mkdocs.plugins.xxgk")


class BuildError(Exception):
    """The build stops; the message says why and what to do (the engine shows it)."""


@dataclass(frozen=True)
class Target:
    """Where a build writes, and the site it writes."""

    site_dir: Path  # the published site
    url: str | None  # site_url: full addresses (sitemap, feeds, descriptor); None when not set
    name: str  # site_name
    atomic: bool  # written into a staging folder swapped in whole (build), or in place (serve)


class Engine(Protocol):
    """What a build asks of the engine that renders its pages (adapter/plugin.py: MkDocs)."""

    def add(self, pages: Iterable[PageSpec], items: Iterable[Item], assets: dict[str, str]) -> None:
        """A page for each spec, each item's body at its index_no URL, and the generated assets
        (site path → text)."""

    def source(self, page: PageSpec) -> tuple[str, dict[str, str | None]] | None:
        """The page's Markdown and the URL each `.md` link in it leads to (the page cache's key);
        None for a page that is never served from the cache."""

    def skip(self, page: PageSpec) -> str:
        """Leave the page out of rendering (the page cache has it); its site-relative path."""

    def salt(self) -> str:
        """What every page depends on besides itself: code, templates, versions, configuration."""


def build_time() -> dt.datetime:
    """When this build happened, for the site descriptor: SOURCE_DATE_EPOCH where the build
    environment sets it (reproducible builds: two builds of one commit are identical), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).astimezone()
    return dt.datetime.now().astimezone()


def start(opts: Options, target: Target, config_path: str) -> Build:
    """The build of the site whose options are `opts`: a portal's when mkdocs.yml says so.
    OptionsError for a wrong portal: setting, BuildError for content that stops the build."""
    portal = portal_config.parse(opts, config_path)
    return PortalBuild(opts, target, portal) if portal else SiteBuild(opts, target)


class Build:
    """What one build holds from its start (the content analysed, the staging folder made)
    to its end. Subclasses say what differs: check_cache, analyse, start_search, plan, reuse,
    write_data and skipped."""

    def __init__(self, opts: Options, target: Target):
        self.opts = opts
        self.target = target
        misplaced = folders.folder_problem(  # before site_dir is replaced or docs walked (issue 30)
            opts.root, opts.docs_dir, opts.catalog_dir, opts.items_dir, str(target.site_dir)
        )
        if misplaced is not None:
            raise BuildError(str(misplaced))
        if target.atomic:  # one build per repository at a time (issue 30)
            try:
                buildlock.acquire(opts.root)
            except buildlock.Busy as exc:
                raise BuildError(str(exc)) from None
            except OSError as exc:  # .cache/ cannot be made
                raise BuildError(oserrors.describe(exc)) from None
        # The files under docs_dir, walked before the engine walks them: MkDocs follows links
        # (one to / would walk the disk), so links stop the build here.
        listing = gate.list_docs(opts)
        links = [p for p in listing.problems if p.code == "E155"]
        if links:
            raise BuildError("内容检查发现 %d 个错误，构建已停止：\n%s" % (len(links), "\n".join(map(str, links))))
        # The folder written: a fresh staging folder beside site_dir (atomic.py; a site a killed
        # build left at .site.old is put back first), into which reused files are hard-linked
        # (infra/place.py); or site_dir itself (mkdocs serve).
        try:
            self.out = atomic.prepare(target.site_dir) if target.atomic else target.site_dir
            if target.atomic:
                atomic.sweep(target.site_dir)
        except OSError as exc:  # site_dir under a file, a read-only disk (issue 30): said in Chinese
            raise BuildError(oserrors.describe(exc)) from None
        self.link = target.atomic
        self.pages: dict[str, PageSpec] = {}  # by src_uri: every page of the site
        self.search: IndexJob | RuntimeJob | None = None  # the search index, written beside the rendering
        self.cache: PageCache | None = None  # the page cache, unless `cache: false`
        self.placing: Background[None] | None = None  # reused pages being put into the site
        self.keys: dict[str, str] = {}  # src_uri -> page cache key, for pages rendered here
        self.written: list[tuple[str, Path]] = []  # (key, page) rendered here, kept after the build
        self.placed: dict[str, str] = {}  # site-relative page -> key, for pages reused or stored
        self.ended = False
        self.stored = self.check_cache()  # the page cache's stored pages, read beside the analysis
        heap.begin()  # undone by release(), which abort() calls too
        try:  # load → relate → check; errors stop the build here
            self.site: Site = self.analyse(listing)
            for problem in self.site.warnings:
                log.warning(str(problem))
            if self.site.errors:
                errors = self.site.errors
                raise BuildError(
                    "内容检查发现 %d 个错误，构建已停止：\n%s" % (len(errors), "\n".join(map(str, errors)))
                )
        except BaseException:
            self.abort()
            raise
        heap.hold()  # the site lives as long as the build: later collections leave it alone
        self.ahead = partial(lifecycle.ahead, self.site.rel)  # an item's status changes after the build

    def run(self, engine: Engine) -> Iterator[None]:
        """The whole build from the analysed site to the swap (see the module doc: it pauses
        at `yield` while the engine renders)."""
        try:
            self.search = self.start_search()  # Pagefind indexes while the pages are rendered
            self.pages = {page.src_uri: page for page in self.plan()}
            heap.hold()  # the pages planned, too
            engine.add(self.pages.values(), self.site.rel.items, {browser.RULES_JS: browser.module(self.opts)})
            self.placing = self.reuse(engine)  # unchanged pages from the page cache, placed meanwhile
            yield  # the engine renders every other page
            self.write_data()  # open data and the like, beside the pages
            self.keep_rendered()  # into the page cache (with the data files made, not reused)
            published = self.finish()  # feeds, sitemap, link check, manifest
            self.keep_digests(published)  # the page cache drops what this build did not use
            self.wait_placing()
            self.swap()
            self.ended = True
        except BaseException:
            self.abort()
            raise
        finally:
            heap.release()

    def rendered(self, src_uri: str, dest: str) -> None:
        """The engine wrote the page of `src_uri` at the site-relative path `dest`."""
        key = self.keys.get(src_uri)
        if key is not None:
            self.written.append((key, self.out / dest))
            self.placed[dest] = key

    def context(self, src_uri: str) -> dict[str, object]:
        """What the templates get for a page besides the engine's own context."""
        return {
            "xx": self.pages.get(src_uri),
            "xx_status": self.site.rel.status,
            "xx_as_of": self.site.rel.as_of,
            "xx_ahead": self.ahead,
        }

    def reuse_or_make(self, names: tuple[str, ...], made_from: object, make) -> None:
        """Site files (`names`, site-relative) that make() writes from `made_from` alone: taken
        from the page cache when a build made them from the same, else made and kept there
        with the rendered pages. At 20,000 items writing catalog.json and .csv again was
        1.1 s of a rebuild after one body edit, which changes neither."""
        if self.cache is None:
            make()
            return
        blob = self.cache.fingerprint.dumps(made_from)
        keys = {name: self.cache.file_key(name, blob) for name in names}
        hits = [hit for key in keys.values() if (hit := self.cache.hit(key)) is not None]
        if len(hits) == len(keys):
            for name, hit in zip(keys, hits):
                place(hit, self.out / name, self.link)
            self.placed.update(keys)
            return
        make()
        for name, key in keys.items():
            self.written.append((key, self.out / name))
            self.placed[name] = key

    def keep_rendered(self) -> None:
        if self.cache is not None:
            for key, page in self.written:
                self.cache.store(key, page, self.link)

    def finish(self) -> publish.Published:
        """Feeds, sitemap, then the link check and the manifest over every file written."""
        known: dict[str, str] = {}
        if self.cache is not None:
            known = {rel: d for rel, key in self.placed.items() if (d := self.cache.digest(key))}
        rendered = {key for key, _ in self.written}
        if any(key not in rendered and rel not in known for rel, key in self.placed.items()):
            self.wait_placing()  # a reused page the link check must read: in place first
        # else the link check and the manifest take the reused pages by their SHA-256 while
        # they are still being placed, and the swap waits for them
        reused = publish.Reused(known, self.placing) if self.placing is not None else None
        try:
            done = publish.finish(
                self.out, self.site, self.target.url, self.target.site_dir.name, self.skipped(), self.search, reused
            )
        except (SearchIndexError, PlacingError) as exc:
            raise BuildError(str(exc)) from None
        if not done.sitemap:
            log.warning(
                "mkdocs.yml 未设置 site_url：sitemap.xml 需要完整网址，本次未生成；"
                "请在 mkdocs.yml 写 site_url: https://本站域名/"
            )
        if done.problems:
            raise BuildError(
                "构建后的链接检查发现 %d 个问题，构建已停止（上一次成功构建的站点保持不变）：\n%s"
                % (len(done.problems), "\n".join(str(p) for p in done.problems))
            )
        return done

    def keep_digests(self, published: publish.Published) -> None:
        """The SHA-256 of the pages reused or stored, so that the next build need not read
        them; entries this build did not use go."""
        if self.cache is not None:
            digests = published.digests
            self.cache.note_digests({key: digests[rel] for rel, key in self.placed.items() if rel in digests})
            self.cache.prune()

    def swap(self) -> None:
        """The staging folder takes the place of site_dir (atomic.py)."""
        if self.target.atomic:
            with progress.phase("替换站点"):
                try:
                    atomic.swap(self.out, self.target.site_dir)
                except OSError as exc:  # an immutable or read-only site/ (issue 30)
                    raise BuildError(oserrors.describe(exc)) from None

    def wait_placing(self) -> None:
        """The reused pages are in the site, or the build stops saying why."""
        if self.placing is not None:
            try:
                self.placing.wait()
            except PlacingError as exc:
                raise BuildError(str(exc)) from None

    def abort(self) -> None:
        """The build stops: nothing more is written into the staging folder, which goes. The
        search job ends first (mkdocs serve: the next build's job would write its cache)."""
        if self.ended:
            return
        self.ended = True
        heap.release()
        with contextlib.suppress(BuildError):
            self.wait_placing()
        if self.stored is not None:  # the fork's answer, whose file goes with it
            with contextlib.suppress(Exception):
                self.stored.wait()
        if self.search is not None:
            self.search.wait()
        if self.target.atomic:
            atomic.discard(atomic.staging_dir(self.target.site_dir))

    # What differs between a site and a portal

    def check_cache(self) -> Background[set[str]] | None:
        return None

    def analyse(self, listing: gate.Listing) -> Site:
        raise NotImplementedError

    def start_search(self) -> IndexJob | RuntimeJob | None:
        return None

    def plan(self) -> list[PageSpec]:
        raise NotImplementedError

    def reuse(self, engine: Engine) -> Background[None] | None:
        return None

    def write_data(self) -> None:
        raise NotImplementedError

    def member_origins(self) -> list[str]:
        """Other sites whose data the pages read (a portal's members' search index files),
        for the CSP <meta>'s connect-src."""
        return []

    def skipped(self) -> tuple[str, ...]:
        """Site paths the link check leaves alone."""
        return () if self.search else (ROUTES["pagefind"],)


class SiteBuild(Build):
    def check_cache(self) -> Background[set[str]] | None:
        """Which stored pages are still as they were stored (pagecache.sound), worked out in a
        fork while this process analyses the content."""
        return pagecache.checking(cache_dir(self.opts.root, "pages")) if self.opts.cache else None

    def analyse(self, listing: gate.Listing) -> Site:
        return analyse(self.opts, listing, loaded=heap.hold)  # the items live as long as the build

    def start_search(self) -> IndexJob | None:
        # Pagefind indexes while the engine renders the pages; into a fresh staging folder
        # the shards are hard-linked
        return IndexJob(self.site, self.out, self.link) if self.opts.search else None

    def plan(self) -> list[PageSpec]:
        return build_pages(self.site)

    def reuse(self, engine: Engine) -> Background[None] | None:
        """Pages whose key is in the page cache are not rendered: their stored files are put
        into the site beside the rendering (pagecache.placing)."""
        if not self.opts.cache:
            return None
        folder = cache_dir(self.opts.root, "pages")
        assert self.stored is not None  # check_cache() started it, as the cache is on
        self.cache = cache = PageCache(
            folder, f"{engine.salt()} {self.site.rel.as_of}", self.site.rel, pagecache.checked(self.stored, folder)
        )
        hits: list[tuple[Path, Path]] = []
        for page in self.pages.values():
            source = engine.source(page)
            if source is None:
                continue
            key = cache.key(page, *source)
            hit = cache.hit(key)
            if hit is None:
                self.keys[page.src_uri] = key
            else:
                dest = engine.skip(page)
                hits.append((hit, self.out / dest))
                self.placed[dest] = key
        log.info("页面缓存：%d 页沿用缓存，%d 页重新生成", len(hits), len(self.pages) - len(hits))
        return placing(hits, self.link)

    def write_data(self) -> None:
        """Open data, the 在某日有效 data, the site descriptor and the form (admin/)."""
        self.reuse_or_make(opendata.FILES, opendata.made_from(self.site), partial(opendata.write, self.out, self.site))
        opendata.write_schema(self.out)
        ondate.write(self.out, self.site)
        apply_form.write_docx(self.out, self.opts)  # the 依申请公开 page links it
        shards = (
            {s: len(items) for s, items in self.search.shards.items()} if isinstance(self.search, IndexJob) else None
        )
        # a portal's search engine indexes these (search/published.py); they follow the search's shards
        records = (
            published.write(self.out, self.site, self.search.shards)
            if isinstance(self.search, IndexJob) and self.opts.search_records
            else None
        )
        described = descriptor.describe(
            self.site, build_time(), self.target.url, shards, version("pagefind") if shards else None, records
        )
        descriptor.write(self.out, described)
        self.write_admin()

    def write_admin(self) -> None:
        """admin/ only where asked for: `admin: true`, or local mode (scripts/build --serve --admin)."""
        backend = authoring_local.backend_from_env() or (self.opts.admin_backend if self.opts.admin else None)
        if backend is None:
            return
        if not backend:
            raise BuildError("mkdocs.yml: E001 admin: true 时须写 admin_backend（表单连接哪个代码托管平台），见 README")
        try:
            write_admin(self.out, self.site, backend)
        except AuthoringError as exc:
            raise BuildError(str(exc)) from None


class PortalBuild(Build):
    """A portal's few pages change with every member: no page cache; it searches its
    members' shards with its own Pagefind runtime, so no index of its own."""

    def __init__(self, opts: Options, target: Target, portal: Portal):
        self.portal = portal
        super().__init__(opts, target)
        from xxgk.portal.gather import gather

        self.gathered = gather(opts, portal)  # the members as this build reads them

    def analyse(self, listing: gate.Listing) -> Site:
        # The portal's modules are imported by a portal's build only: reading members brings
        # jsonschema and the merging code, 0.17 s of CPU a site's every build paid (issue 35).
        from xxgk.portal.gather import analyse_portal

        return analyse_portal(self.opts)

    def start_search(self) -> RuntimeJob | None:
        return RuntimeJob(self.opts.root, self.out, self.link) if self.opts.search else None

    def plan(self) -> list[PageSpec]:
        from xxgk.portal import pages as portal_pages

        return portal_pages.build_pages(self.gathered, self.opts.latest_count)

    def write_data(self) -> None:
        try:
            base = self.search.base() if isinstance(self.search, RuntimeJob) else None
        except SearchIndexError as exc:
            raise BuildError(str(exc)) from None
        from xxgk.portal import opendata as portal_opendata

        portal_opendata.write(self.out, self.gathered, self.target.name, base)

    def skipped(self) -> tuple[str, ...]:
        """Same-origin members are served under the portal's root, not built into it."""
        return (ROUTES["pagefind"], *(m.url for m in self.portal.members if m.same_origin))

    def member_origins(self) -> list[str]:
        parts = [urlsplit(m.url) for m in self.portal.members if not m.same_origin]
        return [f"{p.scheme}://{p.netloc}" for p in parts if p.scheme in ("http", "https") and p.netloc]
