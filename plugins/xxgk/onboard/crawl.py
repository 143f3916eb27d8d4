"""`xxgk crawl`: the live old site → a folder of saved detail pages and their attachments, which
`xxgk import` then reads like pages a browser saved.

It starts from the 信息公开 list pages it is given, follows their links and pagination on the
hosts it is given (never further; list pages only under the start addresses' folders), and tells a detail page from a list page by its metadata
labels (two or more of 索引号, 发布机构, 发文字号, 发布日期 … as the importer reads them). A detail
page is saved at `<out>/<host>/<path>` with a `<!-- saved from url=… -->` line first (the browser's
convention: the importer takes the page's address from it, so links between pages become links
between items) and its attachments (PDF, Word, Excel, OFD, WPS, images; a download script's
file named by what the server says) beside it, fetched before the page is saved, the page's
links to them rewritten to the local copies. It honours robots.txt, waits `delay` seconds between
two requests to one host, runs at most `concurrency` requests at a time and names itself in its
User-Agent. `<out>/.crawl.json` records every address fetched or queued, so an interrupted crawl
resumes where it stopped and never fetches an address twice; what could not be fetched is
reported, one line per address.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import mimetypes
import os
import re
import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import httpx
import lxml.html

from xxgk import __version__
from xxgk.onboard.page_labels import labels_in, runs
from xxgk.onboard.saved_pages import decode

STATE = ".crawl.json"
FETCHING = "fetching"
FILE_KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "et", "ofd", "wps", "jpg", "jpeg", "png", "gif", "zip")
DETAIL_LABELS = {"索引号", "发布机构", "发文机关", "发文字号", "文号", "发布日期", "成文日期", "公开日期", "发文机构"}
USER_AGENT = f"xxgk-crawl/{__version__} (migrating a government information-disclosure site)"  # ASCII: an HTTP header
_UNSAFE = re.compile(r"[^A-Za-z0-9._\-\u4e00-\u9fff]+")


@dataclass
class Settings:
    hosts: tuple[str, ...]
    delay: float = 1.0
    concurrency: int = 2
    timeout: float = 30.0
    max_pages: int = 10_000  # requests in this run; the rest stays queued for the next
    user_agent: str = USER_AGENT


@dataclass
class State:
    """What the crawl knows, kept in `<out>/.crawl.json` after every request."""

    path: Path
    queue: list[str] = field(default_factory=list)  # addresses to fetch, in order
    done: dict[str, dict] = field(default_factory=dict)  # address → {kind, file | error}

    @classmethod
    def load(cls, out: Path) -> State:
        path = out / STATE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        done = dict(data.get("done", {}))
        stopped = [u for u, d in done.items() if d.get("kind") == FETCHING]  # interrupted mid-request
        for url in stopped:
            del done[url]
        return cls(path, [*stopped, *data.get("queue", [])], done)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        data = {"queue": self.queue, "done": self.done}
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

    def add(self, url: str) -> None:
        if url not in self.done and url not in self.queue:
            self.queue.append(url)

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [(u, d["error"]) for u, d in self.done.items() if "error" in d]


def normal(url: str) -> str:
    return urldefrag(url.strip())[0]


def kind_of(url: str) -> str:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _file_link(url: str, el) -> bool:
    """An attachment: by its extension, or a download script's link (`downxxgk.php?fid=…`,
    `下载本信息公开文件`)."""
    kind = kind_of(url)
    if kind in FILE_KINDS:
        return True
    if el.tag != "a" or kind in ("html", "htm", "shtml"):
        return False
    where = urlsplit(url).path.lower()
    return bool(re.search(r"down|attach|fujian|getfile", where)) or "下载" in (el.text_content() or "")


def local_path(out: Path, url: str, html: bool) -> Path:
    """`https://host/a/b.html?x=1` → out/host/a/b_<hash>.html: the old site's layout, so links
    between pages keep their shape; a query string makes its own file."""
    parts = urlsplit(url)
    segments = [_UNSAFE.sub("_", unquote(s)) for s in parts.path.split("/") if s and s not in (".", "..")]
    if not segments or parts.path.endswith("/"):
        segments.append("index.html")
    stem, dot, ext = segments[-1].rpartition(".")
    if not dot:
        stem, ext = segments[-1], ""
    if parts.query:
        stem += "_" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
    if html and ext.lower() not in ("html", "htm", "shtml"):
        ext = (ext + ".html") if ext else "html"
    segments[-1] = f"{stem}.{ext}" if ext else stem
    return out.joinpath(_UNSAFE.sub("_", parts.hostname or "host"), *segments)


class Crawler:
    def __init__(self, out: Path, settings: Settings, say=print):
        self.out, self.settings, self.say = out, settings, say
        self.state = State.load(out)
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.next_at: dict[str, float] = {}  # host → when its next request may start
        self.host_locks: dict[str, asyncio.Lock] = {}
        self.fetched = 0

    def allowed_host(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in self.settings.hosts

    def in_scope(self, url: str) -> bool:
        """Under the folder of a start address (`/xxgk/` for `/xxgk/index.html`): the lists walked."""
        return any(url.startswith(prefix) for prefix in self.scopes)

    async def run(self, starts: list[str]) -> State:
        self.scopes = [normal(u).rsplit("/", 1)[0] + "/" for u in starts]
        for url in starts:
            self.state.add(normal(url))
        limits = httpx.Limits(max_connections=self.settings.concurrency)
        headers = {"User-Agent": self.settings.user_agent}
        async with httpx.AsyncClient(
            headers=headers, timeout=self.settings.timeout, limits=limits, follow_redirects=True
        ) as client:
            self.client = client
            gate = asyncio.Semaphore(self.settings.concurrency)
            running: set[asyncio.Task] = set()
            while (self.state.queue or running) and self.fetched < self.settings.max_pages:
                while self.state.queue and len(running) < self.settings.concurrency:
                    if self.fetched + len(running) >= self.settings.max_pages:
                        break
                    url = self.state.queue.pop(0)
                    self.state.done[url] = {"kind": FETCHING}  # known, so no page queues it again
                    running.add(asyncio.create_task(self.one(url, gate)))
                if not running:
                    break
                finished, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    task.result()
                self.state.save()
            for task in running:  # max_pages reached: let what started finish, so nothing is half written
                await task
        self.state.save()
        return self.state

    async def one(self, url: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            if not await self.may_fetch(url):
                self.state.done[url] = {"kind": "robots", "error": "robots.txt 不允许抓取"}
                return
            try:
                response = await self.get(url)
            except httpx.HTTPError as exc:
                self.state.done[url] = {"kind": "?", "error": f"{type(exc).__name__}：{exc}"[:200]}
                return
            self.fetched += 1
        final = str(response.url)
        if response.status_code >= 400:
            self.state.done[url] = {"kind": "?", "error": f"HTTP {response.status_code}"}
            return
        if final != url and not self.allowed_host(final):
            self.state.done[url] = {"kind": "redirect", "error": f"重定向到其他网站 {final}"}
            return
        ctype = response.headers.get("content-type", "")
        if "html" not in ctype and kind_of(final) not in ("html", "htm", "shtml", ""):
            path = local_path(self.out, final, html=False)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(response.content)
            self.state.done[url] = {"kind": "file", "file": path.relative_to(self.out).as_posix()}
            return
        await self.page(url, final, response.content)

    async def page(self, url: str, final: str, raw: bytes) -> None:
        text = decode(raw)
        root = lxml.html.document_fromstring(text or "<p></p>")
        links = [(a, normal(urljoin(final, a))) for a in root.xpath("//a/@href | //img/@src") if a.strip()]
        links = [(a, u) for a, u in links if self.allowed_host(u)]
        detail = len(set(labels_in(runs(root))) & DETAIL_LABELS) >= 2
        if not detail:  # a list page: its detail pages, its pagination, its other lists
            if not self.in_scope(final):  # the site's other pages (news, the home page): not walked
                self.state.done[url] = {"kind": "other"}
                return
            for _, link in links:
                self.state.add(link)
            self.state.done[url] = {"kind": "list"}
            return
        path = local_path(self.out, final, html=True)
        for el in root.iter("a", "img"):
            attr = "href" if el.tag == "a" else "src"
            original = (el.get(attr) or "").strip()
            link = normal(urljoin(final, original)) if original else ""
            if not link or not self.allowed_host(link) or not _file_link(link, el):
                continue
            local = await self.file(link)
            if local is None:
                continue
            rel = os.path.relpath(local, path.parent).replace(os.sep, "/")
            for quote in ('"', "'"):
                text = text.replace(f"{attr}={quote}{original}{quote}", f'{attr}="{rel}"')
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = f"<!-- saved from url=({len(final):04d}){final} -->\n{text}"
        path.write_text(saved, encoding="utf-8")
        self.state.done[url] = {"kind": "detail", "file": path.relative_to(self.out).as_posix()}
        for _, link in links:  # a detail page's links to other detail pages (相关文件) are followed too
            if kind_of(link) in ("html", "htm", "shtml"):
                self.state.add(link)

    async def file(self, url: str) -> Path | None:
        """An attachment of a detail page, fetched now (the page is saved pointing at it): named by
        its address, or, for `downxxgk.php?fid=…`, by the name or type the server gives."""
        while self.state.done.get(url, {}).get("kind") == FETCHING:  # another page's, in flight
            await asyncio.sleep(0.05)
        known = self.state.done.get(url)
        if known is not None:
            return self.out / known["file"] if "file" in known else None
        if url in self.state.queue:  # queued from a list page: fetched here instead
            self.state.queue.remove(url)
        if not await self.may_fetch(url):
            self.state.done[url] = {"kind": "robots", "error": "robots.txt 不允许抓取"}
            return None
        self.state.done[url] = {"kind": FETCHING}
        try:
            response = await self.get(url)
        except httpx.HTTPError as exc:
            self.state.done[url] = {"kind": "?", "error": f"{type(exc).__name__}：{exc}"[:200]}
            return None
        self.fetched += 1
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.status_code >= 400 or "html" in ctype:
            error = f"HTTP {response.status_code}" if response.status_code >= 400 else "不是附件而是网页"
            self.state.done[url] = {"kind": "?", "error": error}
            return None
        path = local_path(self.out, url, html=False)
        if kind_of(url) not in FILE_KINDS:
            named = re.search(
                r"filename\*?=(?:UTF-8'')?[\"']?([^\"';]+)", response.headers.get("content-disposition", "")
            )
            ext = kind_of("/" + unquote(named.group(1))) if named else ""
            ext = ext if ext in FILE_KINDS else (mimetypes.guess_extension(ctype) or ".bin").lstrip(".")
            path = path.with_name(f"{path.name}.{ext}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(response.content)
        self.state.done[url] = {"kind": "file", "file": path.relative_to(self.out).as_posix()}
        return path

    async def get(self, url: str) -> httpx.Response:
        host = urlsplit(url).hostname or ""
        lock = self.host_locks.setdefault(host, asyncio.Lock())
        async with lock:  # one host: requests start at least `delay` apart
            wait = self.next_at.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_at[host] = time.monotonic() + self.settings.delay
        return await self.client.get(url)

    async def may_fetch(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            parser = urllib.robotparser.RobotFileParser()
            try:
                response = await self.get(origin + "/robots.txt")
                lines = response.text.splitlines() if response.status_code < 400 else []
            except httpx.HTTPError:
                lines = []
            parser.parse(lines)
            self.robots[origin] = parser
        return self.robots[origin].can_fetch(self.settings.user_agent, url)


def crawl(starts: list[str], out: Path, settings: Settings, say=print) -> State:
    return asyncio.run(Crawler(out, settings, say).run(starts))
