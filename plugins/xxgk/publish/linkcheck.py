"""Broken links in a built site: internal links, anchors and attachments, and outside assets.

Every HTML page is parsed once. Link targets are checked against the list of
output files as they are met; links with an #anchor wait until every page's
ids are known. Memory and time grow linearly with the number of pages.

Codes: E301 链接目标不存在, E302 锚点不存在, E303 页面加载站外资源
(no request may leave the site at run time), E304 链接超出站点根目录.

Error pages (404.html) are the one exception to relative links: the server
shows them at any depth, so MkDocs writes their links from the path of
site_url ("/" when unset); root_path is that path.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from xxgk.core.model import Problem
from xxgk.infra.memo import Memo

# Attributes that the browser fetches by itself when the page loads (assets),
# and those that the reader follows (links). Both must resolve inside the site.
ASSET_ATTRS = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("object", "data"),
    ("input", "src"),
}
ASSET_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "mask-icon",
}
LINK_ATTRS = {("a", "href"), ("area", "href"), ("form", "action")}
HTML_END = re.compile(rb"</[hH][tT][mM][lL]\s*>")  # re.I, but without it the search is a third faster
ERROR_PAGE = re.compile(r"^[45]\d\d\.html$")
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:", "sms:")


def _missing(url: str) -> str:
    return f"链接目标不存在：{url}；请修正链接或补上该文件"


def _split(url: str) -> tuple[str, str, str]:
    """(scheme-or-host marker, path, fragment); marker is non-empty for outside URLs."""
    parts = urlsplit(url.strip())
    outside = parts.scheme or parts.netloc
    return outside, unquote(parts.path), unquote(parts.fragment)


def _join(folder: str, path: str) -> str | None:
    """posixpath.normpath(posixpath.join(folder, path)) for a relative path, "" for the site
    root, None above it; without posixpath's generality, as it runs for every link of every page."""
    parts = folder.split("/") if folder else []
    for segment in path.split("/"):
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        elif segment and segment != ".":
            parts.append(segment)
    return "/".join(parts)


Parsed = tuple[frozenset, list[tuple[int, str, bool]]]  # a page's ids, and its references


def parsed(data: bytes) -> Parsed:
    """What the link check needs of one page's bytes (LinkChecker.add_cached)."""
    ids, refs = _parse(data)
    return frozenset(ids), refs


def _parse(data: bytes) -> tuple[set[str], list[tuple[int, str, bool]]]:
    """ids of one page, and its references as (line, url, is_asset). libxml2 parses in C:
    about 0.2 ms a page, against 1.2 ms for html.parser. It stops at </html>, where a
    browser reads on (and where injected spam likes to sit), so each part is parsed."""
    ids: set[str] = set()
    refs: list[tuple[int, str, bool]] = []
    parts = HTML_END.split(data)
    offset, counted = 0, 0  # lines of parts[:counted]: counted only when a later part has more than blanks
    for n, part in enumerate(parts):
        if part.strip():
            offset += sum(p.count(b"\n") for p in parts[counted:n])
            counted = n
            _parse_part(part, offset, ids, refs)
    return ids, refs


# What each element that can refer to something reads, in the order it reads them: (attribute,
# loaded by the browser). Ids are read of every element, but by XPath, in C: walking every
# element in Python and reading its attributes was most of the link check's time.
_REFS = {
    tag: tuple(
        (attr, (tag, attr) in ASSET_ATTRS)
        for attr in ("href", "src", "action", "poster", "data")
        if (tag, attr) in ASSET_ATTRS | LINK_ATTRS
    )
    for tag, _ in ASSET_ATTRS | LINK_ATTRS
}
_IDS = etree.XPath("//@id | //a/@name", smart_strings=False)
_PARSERS = threading.local()  # one libxml2 parser a thread (a parser is not shared between threads)


def _parse_part(data: bytes, offset: int, ids: set[str], refs: list[tuple[int, str, bool]]) -> None:
    # Ids and addresses interned: pages share most of them (the menus), and the link cache
    # holds every page's, and a background process hands half of them over (finish.py).
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(encoding="utf-8")
    root = etree.fromstring(data, parser)
    if root is None:
        return
    ids.update(sys.intern(i) for i in _IDS(root) if i)
    for el in root.iter(*_REFS, "link"):
        tag, get = el.tag, el.get
        line = offset + (el.sourceline or 1)
        if tag == "link":
            href = get("href")
            if href:
                # canonical, alternate, next/prev are addresses, not fetched by the browser
                rels = set((get("rel") or "").lower().split())
                refs.append((line, sys.intern(href), bool(rels & ASSET_RELS)))
            continue
        for attr, asset in _REFS[tag]:
            value = get(attr)
            if value is not None:
                refs.append((line, sys.intern(value), asset))
        if tag in ("img", "source"):
            srcset = get("srcset")
            if srcset:
                refs += [(line, c.split()[0], True) for c in srcset.split(",") if c.strip()]


class LinkChecker:
    """Feed it every page of a site (add_page), then ask for the problems (finish)."""

    def __init__(
        self,
        files: list[str],
        display_root: str = "site",
        skip: tuple[str, ...] = (),
        root_path: str = "/",
        later: tuple[str, ...] = (),
    ):
        self.files = set(files)
        self.later = later  # prefixes whose files are added (add_files) after the pages
        self.root_path = "/" + root_path.strip("/") + "/" if root_path.strip("/") else "/"
        self.root = display_root.rstrip("/")
        self.skip = skip  # site-relative prefixes not checked (e.g. pagefind/ with search off)
        self.ids: dict[str, frozenset] = {}
        self.pending: list[tuple[str, int, str, str]] = []  # (page, line, target, fragment)
        self.waiting: list[tuple[str, int, str, str]] = []  # (page, line, url, target) under `later`
        self.problems: list[Problem] = []
        self.pages = 0
        self.urls: dict[str, tuple] = {}  # url -> _split(url), or () when not followed
        self.context: str | None = None  # see _context()

    def _problem(self, page: str, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(f"{self.root}/{page}", line, code, message))

    def resolve(self, page: str, path: str) -> str | None:
        """Output file a site-relative link from `page` points at; None if above the site root."""
        if path.startswith("/"):
            if not (ERROR_PAGE.match(page) and path.startswith(self.root_path)):
                return None
            page, path = "index.html", path[len(self.root_path) :] or "."
        target = _join(page.rpartition("/")[0], path) if path else page
        if target is None:
            return None
        if target == "":
            return "index.html"
        if path.endswith("/") or target not in self.files and f"{target}/index.html" in self.files:
            return f"{target}/index.html"
        return target

    def add_page(self, page: str, data: bytes) -> None:
        self.add_parsed(page, *_parse(data))

    def add_parsed(self, page: str, ids: set[str], refs: list[tuple[int, str, bool]]) -> None:
        """A page by what _parse found in it (ids, references)."""
        self._add(page, frozenset(ids), self._outcome(page, refs))

    def add_cached(self, page: str, digest: str, parse: Callable[[], Parsed], cache: LinkCache) -> None:
        """A page by its SHA-256: what a build found in the same bytes at the same place is
        taken from `cache`, and so are its findings while the site has the same files; its
        references are read (from the cache, or from parse(): see parsed()) only when they are not."""
        context = self._context()

        def refs() -> Parsed:
            return cache.parses.get(digest, parse)

        def make():
            ids, found = refs()
            return context, ids, self._outcome(page, found)

        def update(entry):
            return entry if entry[0] == context else make()

        _, ids, outcome = cache.findings.get((page, digest), make, update)
        cache.parses.keep(digest)
        self._add(page, ids, outcome)

    def _context(self) -> str:
        """What a page's findings depend on besides its bytes: the files of the site, and what is
        not checked (so a cached finding stands only while none of these changed)."""
        if self.context is None:
            blob = "\n".join(sorted(self.files)) + f"\0{self.skip}\0{self.later}\0{self.root_path}"
            self.context = hashlib.sha256(blob.encode("utf-8")).hexdigest()
        return self.context

    def _add(self, page: str, ids: frozenset, outcome: tuple) -> None:
        problems, waiting, pending = outcome
        self.pages += 1
        self.ids[page] = ids
        for line, code, message in problems:
            self._problem(page, line, code, message)
        self.waiting += ((page, line, url, target) for line, url, target in waiting)
        self.pending += ((page, line, target, fragment) for line, target, fragment in pending)

    def _outcome(self, page: str, refs: list[tuple[int, str, bool]]) -> tuple[list, list, list]:
        """What one page's references come to against the site's files: problems as (line, code,
        message), links into `later` as (line, url, target), #anchors as (line, target, fragment)."""
        problems: list[tuple[int, str, str]] = []
        waiting: list[tuple[int, str, str]] = []
        pending: list[tuple[int, str, str]] = []
        for line, url, is_asset in refs:
            split = self.urls.get(url)
            if split is None:  # pages share most of their URLs: each is split once
                split = self.urls[url] = (
                    () if url.strip().lower().startswith(NOT_FETCHED) or not url.strip() else _split(url)
                )
            if not split:
                continue
            outside, path, fragment = split
            if outside:
                if is_asset:
                    problems.append(
                        (line, "E303", f"页面加载站外资源 {url}；请把该文件放进站点（例如附件目录）后用相对地址引用")
                    )
                continue
            target = self.resolve(page, path)
            if target is None:
                problems.append(
                    (
                        line,
                        "E304",
                        f"链接 {url} 指向站点根目录之外（或以 / 开头）；请改用相对地址，站点放在子路径下也能用",
                    )
                )
            elif target.startswith(self.skip):
                continue
            elif target not in self.files:
                if target.startswith(self.later):
                    waiting.append((line, url, target))
                else:
                    problems.append((line, "E301", _missing(url)))
            elif fragment and target.endswith(".html"):
                pending.append((line, target, fragment))
        return problems, waiting, pending

    def add_files(self, files: list[str]) -> None:
        """Files written after the pages were read (under `later`)."""
        self.files.update(files)
        self.context = None

    def finish(self) -> list[Problem]:
        for page, line, url, target in self.waiting:
            if target not in self.files:
                self._problem(page, line, "E301", _missing(url))
        self.waiting = []
        for page, line, target, fragment in self.pending:
            if fragment not in self.ids.get(target, ()):
                self._problem(page, line, "E302", f"锚点 #{fragment} 在 {target} 中不存在；请核对链接")
        self.pending = []
        return sorted(self.problems)


class LinkCache:
    """What each page holds (ids and references, by its SHA-256, which the manifest computes
    anyway) and what it was found to link to wrongly (by its path and SHA-256, with the
    site's files it was checked against), kept apart in two memos (memo.py): a rebuild reads
    and parses only pages whose bytes changed, while the site has the same files it checks
    again only those, and it reads the references only of pages it checks."""

    def __init__(self, folder: Path):
        self.parses = Memo(folder / "parses", Path(__file__))
        self.findings = Memo(folder / "findings", Path(__file__))

    def save(self) -> None:
        self.parses.save()
        self.findings.save()


def page_refs(data: bytes) -> list[str]:
    """Every address one page links to or loads (for following links), as written: relative,
    /rooted or full; mailto:, javascript: and the like are left out."""
    return [url for _, url, _ in _parse(data)[1] if url.strip() and not url.strip().lower().startswith(NOT_FETCHED)]
