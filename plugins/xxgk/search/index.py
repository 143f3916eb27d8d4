"""The search index: one Pagefind index per shard (a run of publication years), built from
the core's records (searchdoc) and merged in the browser by search.js.

Each shard is its own Pagefind run. MkDocs renders the pages on one core all the while,
so the job has the other cores (SPARE): as many shards run at a time, and each Pagefind
has as many threads. More would only take turns on those cores, and every turn costs CPU
(issue 35: at 5,000 items on two cores with the other one busy, two shards at a time and
Pagefind's two threads took a tenth more CPU than one of each, and no less wall time;
on a quiet machine the two came out even).
Only one shard at a time writes its files, which takes most of Pagefind's time and four
times the memory it has once the records are in: so peak memory is at most that of one
shard being written and one being read in. A shard whose records did not change is copied
from the cache (.cache/xxgk/search/) instead of being indexed again.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import os
import pickle
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from importlib.metadata import version
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from xxgk.core.site import Site
from xxgk.core.urls import ROUTES
from xxgk.infra import caches, progress
from xxgk.infra.background import Background
from xxgk.infra.place import digest, place, signature
from xxgk.search.records import TEXT, item_keys, records, shards, year_of
from xxgk.search.stable import ENTRY, chunks, normalise
from xxgk.search.text import WORDS

log = logging.getLogger("mkdocs.plugins.xxgk")
OUTPUT = ROUTES["pagefind"].rstrip("/")
MANIFEST = ROUTES["search_manifest"].removeprefix(ROUTES["pagefind"])  # the shards for search.js
# Bump when the record format or the word cutting changes, so cached shards are rebuilt.
FORMAT = 5  # 2: shards stored normalised by stable.py; 3: fragments hold the item's text; 4: .files; 5: characters, not bigrams
# The browser runtime: kept with every cached shard, written once to pagefind/; Pagefind's UI is not used.
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")
INDEX_PARTS = ("pagefind-entry.json", "index/", "fragment/", "filter/")
BATCH = 500  # records in flight at once on the service pipe


def _cores() -> int:
    """The cores this process may run on: a container's or `taskset`'s limit, not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


SPARE = max(1, _cores() - 1)  # the cores beside MkDocs' rendering (see the module doc)
# Pagefind's thread pools (tokio's and rayon's) take one thread per core unless told
PAGEFIND_THREADS = ("TOKIO_WORKER_THREADS", "RAYON_NUM_THREADS")


def _widen(stream) -> None:
    """A 1 MiB pipe instead of 64 KiB: requests and replies (the index files: megabytes)
    pass in fewer writes, each of which needs this thread to hold the GIL that MkDocs'
    rendering also wants. asyncio's reader keeps its transport private, hence getattr."""
    try:
        import fcntl  # Unix only

        transport = getattr(stream, "transport", None) or stream._transport
        fcntl.fcntl(transport.get_extra_info("pipe").fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):  # not Linux, another asyncio, or above pipe-max-size
        pass


class _PromptService(PagefindService):
    """Three changes to PagefindService. It runs with SPARE threads. Its reader sleeps 0.1 s
    before each reply (0.1 s per record); this one waits on the pipe itself. And its 2 MiB
    line limit is too small for GetFiles, which we use instead of WriteFiles because the
    service is terminated as soon as WriteFiles answers, which can leave the last file short."""

    async def launch(self) -> _PromptService:
        self._backend = await asyncio.create_subprocess_exec(
            self._bin,
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            limit=2**31,
            env={name: str(SPARE) for name in PAGEFIND_THREADS} | dict(os.environ),  # the user's setting wins
        )
        for stream in (self._backend.stdin, self._backend.stdout):
            _widen(stream)
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def send(self, payload):
        """PagefindService.send without its two costs per record: the request's JSON is UTF-8,
        not `\\uXXXX` for every Han character (six bytes each, then base64: twice the bytes
        for Pagefind to decode), and no debug line is formatted from the whole request."""
        self._message_id += 1
        future = self._loop.create_future()
        self._responses[self._message_id] = future
        assert self._backend.stdin is not None
        request = json.dumps({"message_id": self._message_id, "payload": payload}, ensure_ascii=False)
        self._backend.stdin.write(base64.b64encode(request.encode("utf-8")) + b",")
        await self._backend.stdin.drain()
        return await future

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        while True:
            output = await self._backend.stdout.readuntil(b",")
            resp = json.loads(base64.b64decode(output[:-1]))
            if resp is None:
                continue
            payload = resp["payload"]
            message_id = resp.get("message_id")
            if message_id is None and payload.get("original_message"):
                message_id = json.loads(payload["original_message"]).get("message_id")
            future = self._responses.pop(message_id, None)
            if future is None or future.done():
                continue
            if payload["type"] == "Error":
                future.set_exception(RuntimeError(payload.get("message", "Pagefind error")))
            else:
                future.set_result(payload)


async def _index_shard(
    batches: Iterator[list[dict]], keep, writing: threading.Lock | None = None
) -> tuple[dict[str, bytes], list[dict]]:
    """Index one shard in its own Pagefind process: the files `keep` accepts, by path, and
    the records. A worker thread makes the next batch of records (cutting words is pure
    Python) while Pagefind indexes the current one, so neither waits for the other.
    `writing` is held from asking for the files until the process has ended."""
    loop = asyncio.get_running_loop()
    made: list[dict] = []
    with contextlib.ExitStack() as after_exit:
        async with _PromptService() as service:
            index: PagefindIndex = await service.create_index(IndexConfig())
            coming = loop.run_in_executor(None, next, batches, None)
            while (batch := await coming) is not None:
                coming = loop.run_in_executor(None, next, batches, None)
                await asyncio.gather(
                    *(index.add_custom_record(**{k: v for k, v in r.items() if k != TEXT}) for r in batch)
                )
                made += batch
            if writing is not None:
                after_exit.enter_context(writing)
            files = await index.get_files()
    return {f["path"]: f["content"] for f in files if keep(f["path"])}, made


def _wanted(path: str) -> bool:
    """Index files, and the browser runtime (kept in every shard; the page loads it from one)."""
    return path.startswith(INDEX_PARTS) or path.endswith(".pf_meta") or path in RUNTIME


RECORDS = ".records"  # beside the cached shard: its records by item key (pickle)
FILES = ".files"  # beside the cached shard: each file's (size, mtime_ns, SHA-256), by path (pickle)


def _digest(keys: list[str]) -> str:
    """The shard's cache key, from its items' record keys: an unchanged shard costs no records."""
    return hashlib.sha256(f"{FORMAT} {version('pagefind')} {' '.join(keys)}".encode()).hexdigest()


def _known_records(cached: Path) -> dict[str, dict]:
    try:
        return pickle.loads((cached / RECORDS).read_bytes())
    except Exception:  # missing, or unreadable in any of pickle's ways: make every record
        return {}


def _cached_files(cached: Path) -> dict[str, tuple] | None:
    """The cached shard's files as written, or None if any was changed since (the files are
    hard-linked into site/: one edited there is edited here too, and is indexed again)."""
    try:
        files = pickle.loads((cached / FILES).read_bytes())
        if all(signature(cached / path) == entry[:2] for path, entry in files.items()):
            return files
    except Exception:  # missing, unreadable in any of pickle's ways, or a file gone
        pass
    return None


def _place_shard(cached: Path, out: Path, files: dict[str, tuple], link: bool, runtime: dict) -> dict[str, str]:
    """One cached shard into the site, but for the runtime (gathered in `runtime`, see _listed):
    the SHA-256 of its files by site path."""
    digests: dict[str, str] = {}
    made: set[Path] = set()
    for path, (_, _, sha) in files.items():
        if path in RUNTIME:
            runtime.setdefault(path, (cached / path, sha))
            continue
        dest = out / path
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        place(cached / path, dest, link)
        digests[f"{OUTPUT}/{out.name}/{path}"] = sha
    return digests


def _listed(shard_dir: Path, shard: str, items: list, newest: bool = False) -> tuple[dict, bytes]:
    """The shard's line in pagefind/manifest.json (its format: README, Search). Its entry file
    is rewritten to take the WebAssembly from the one runtime in pagefind/ (Pagefind asks
    `<shard>/wasm.<name>.pagefind`; the name climbs out of the shard), so every shard the
    browser opens shares one download; `tag` changes with the entry, so the browser may
    cache the entry file (Pagefind's metaCacheTag) instead of fetching it on every visit;
    `meta` names the index's meta file, which the browser then fetches beside the entry file
    instead of after it (the records are language "und", so there is one). The `newest`
    shard, the one a search draws first, also lists its word index `chunks` (stable.chunks):
    the browser fetches those a query needs beside the meta file too, where Pagefind would
    ask for them only once the meta file and the WebAssembly have come. Returns the line and
    the new entry file."""
    entry_path = shard_dir / ENTRY
    entry = json.loads(entry_path.read_bytes())
    meta = ""
    for language in entry["languages"].values():
        language["wasm"] = f"{language['wasm'] or 'unknown'}/../../wasm.{language['wasm'] or 'unknown'}"
        meta = f"pagefind.{language['hash']}.pf_meta"
    entry_path.unlink()  # a hard link into the cache: write a file of its own
    body = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    entry_path.write_bytes(body)
    dates = [i.published.isoformat() for i in items if i.published]
    line = {
        "id": shard,
        "count": len(items),
        "first": min(dates, default=""),
        "last": max(dates, default=""),
        "years": sorted({year_of(i) for i in items}, reverse=True),
        "tag": hashlib.sha256(body).hexdigest()[:16],
        "meta": meta,
    }
    if newest and meta:
        line["chunks"] = chunks((shard_dir / meta).read_bytes(), f"{shard}/{meta}")
    return line, body


class SearchIndexError(Exception):
    """Pagefind could not index a shard; the message says which and what to do."""


def _lost(code: int | None) -> SearchIndexError:
    return SearchIndexError(
        f"搜索索引进程意外退出（退出码 {code}）；请检查内存是否不足后重新构建，"
        "或在 mkdocs.yml 中设 search: false 暂不生成搜索"
    )


class IndexJob:
    """Brings the cached shards up to date and puts them into the site, in the background
    (infra/background.py), started as soon as the content is analysed, while MkDocs renders
    pages (MkDocs has emptied site_dir by then and writes nothing under pagefind/). Shard files
    are hard-linked from the cache with `link` (see place.py). finish() waits for it."""

    output = OUTPUT  # the folder of the site it writes

    def __init__(self, site: Site, site_dir: Path, link: bool = False, cache_dir: Path | None = None):
        self.started = time.monotonic()
        self.site = site
        self.cache_dir = cache_dir or caches.cache_dir(site.opts.root, "search")
        self.shards = shards(site)
        self.rebuilt: list[str] = []
        self.writing = threading.Lock()  # one Pagefind writing its files at a time (module doc)
        self.job = Background(partial(self._run, site_dir / OUTPUT, link), "xxgk-search-index", _lost)

    def _run(self, out_root: Path, link: bool) -> tuple[list[str], dict[str, str]]:
        """The shards it rebuilt (in a fork, self.rebuilt is the fork's own), and the SHA-256 of
        every file it wrote under pagefind/, so that the manifest need not read them again."""
        cached: dict[str, dict[str, tuple]] = {}
        with progress.phase("搜索索引分片", len(self.shards)) as indexing, ThreadPoolExecutor(SPARE) as pool:
            updating = {shard: pool.submit(self._update_shard, shard, items) for shard, items in self.shards.items()}
            for shard, done in updating.items():  # in shard order: a failure names the same shard each time
                cached[shard] = done.result()
                indexing.step()
            self.rebuilt = [shard for shard in self.shards if shard in self.rebuilt]  # in shard order
            indexing.note = f"重建 {len(self.rebuilt)} 个"
        return self.rebuilt, self._place(out_root, link, cached)

    def _update_shard(self, shard: str, items: list) -> dict[str, tuple]:
        """The shard's files in the cache (see FILES), indexed again unless they are up to date."""
        cached = self.cache_dir / shard
        keys = item_keys(self.site, items)
        shard_key = _digest(keys)
        stamp = cached / ".digest"
        if stamp.is_file() and stamp.read_text() == shard_key:
            kept = _cached_files(cached)
            if kept is not None:
                return kept
        known = _known_records(cached)
        batches = (
            records(self.site, items[n : n + BATCH], keys[n : n + BATCH], known) for n in range(0, len(items), BATCH)
        )
        try:
            files, shard_records = asyncio.run(_index_shard(batches, _wanted, self.writing))
            files = normalise(files, {r["url"]: r[TEXT] for r in shard_records})
        except Exception as exc:  # the binary missing, killed, or answering with an error
            raise SearchIndexError(
                f"搜索索引分片 {shard} 生成失败：{exc}；"
                "请运行 scripts/setup 重新安装 pagefind[extended]，"
                "或在 mkdocs.yml 中设 search: false 暂不生成搜索"
            ) from None
        shutil.rmtree(cached, ignore_errors=True)
        written = {}
        for path, content in files.items():
            (cached / path).parent.mkdir(parents=True, exist_ok=True)
            (cached / path).write_bytes(content)
            written[path] = (*signature(cached / path), digest(content))
        (cached / RECORDS).write_bytes(pickle.dumps(dict(zip(keys, shard_records)), protocol=pickle.HIGHEST_PROTOCOL))
        (cached / FILES).write_bytes(pickle.dumps(written, protocol=pickle.HIGHEST_PROTOCOL))
        stamp.write_text(shard_key)
        self.rebuilt.append(shard)
        return written

    def _place(self, out_root: Path, link: bool, cached: dict[str, dict[str, tuple]]) -> dict[str, str]:
        """site_dir/pagefind/: every shard, one runtime, manifest.json; their SHA-256 by site path."""
        shutil.rmtree(out_root, ignore_errors=True)
        out_root.mkdir(parents=True)  # a site without items has a manifest of no shards
        digests: dict[str, str] = {}
        listed: list[dict] = []
        runtime: dict[str, tuple] = {}
        with progress.phase("放置搜索分片", len(self.shards)) as placing:
            for n, (shard, items) in enumerate(self.shards.items()):
                digests.update(_place_shard(self.cache_dir / shard, out_root / shard, cached[shard], link, runtime))
                line, entry = _listed(out_root / shard, shard, items, newest=n == 0)
                digests[f"{OUTPUT}/{shard}/{ENTRY}"] = digest(entry)
                listed.append(line)
                placing.step()
        for name, (src, sha) in runtime.items():  # one runtime for every shard (see _listed)
            place(src, out_root / name, link)
            digests[f"{OUTPUT}/{name}"] = sha
        years = sorted({year_of(i) for items in self.shards.values() for i in items}, reverse=True)
        body = json.dumps({"shards": listed, "years": years, "words": WORDS}, ensure_ascii=False).encode("utf-8")
        (out_root / MANIFEST).write_bytes(body)
        digests[f"{OUTPUT}/{MANIFEST}"] = digest(body)
        return digests

    def wait(self) -> None:
        """Until the job has ended, well or not (mkdocs serve: before the next build's job)."""
        with contextlib.suppress(Exception):
            self.job.wait()

    def finish(self) -> dict[str, str]:
        """Waits for the job; the SHA-256 of the files it wrote, by site-relative path."""
        self.rebuilt, digests = self.job.wait()
        log.info(
            "搜索索引：%d 个分片（重建 %s），%d 条，%.1f 秒（与页面生成同时进行）",
            len(self.shards),
            "、".join(self.rebuilt) or "无",
            sum(len(items) for items in self.shards.values()),
            time.monotonic() - self.started,
        )
        return digests


BASE = ROUTES["search_base"].removeprefix(ROUTES["pagefind"]).rstrip("/")
# The base index's one page (Pagefind writes no index without one), which no query finds:
# its only word is "_", which search.js never asks (it asks Han characters, run-end words,
# [0-9a-z] runs and key words), and search.js asks every member shard with its member's name as a filter.
BASE_URL = "/"
BASE_RECORD = {"url": BASE_URL, "content": "_", "language": "und", "meta": {"title": "_"}, "filters": {"member": ["_"]}}


class RuntimeJob:
    """A portal's own Pagefind (issue 30: the portal runs only its own script): the runtime
    its search page loads, and `base/`, an index of one page no query finds. A Pagefind
    instance needs an index of its own, whose folder it also takes the WebAssembly from;
    search.js makes one on `base/` per member shard and adds the shard with mergeIndex, so a
    member's files are read as data and none of its code runs. Made once per Pagefind version
    and kept in the cache. The same interface as IndexJob for the build's finish."""

    output = OUTPUT

    def __init__(self, root: Path, site_dir: Path, link: bool = False):
        self.started = time.monotonic()
        made_of = hashlib.sha256(json.dumps(BASE_RECORD).encode()).hexdigest()[:8]
        self.cache_dir = caches.cache_dir(root, "search") / f"{BASE}-{version('pagefind')}-{made_of}"
        self.job = Background(partial(self._run, site_dir / OUTPUT, link), "xxgk-search-runtime", _lost)

    def _run(self, out_root: Path, link: bool) -> tuple[dict, dict[str, str]]:
        """base/'s cache tag and meta file (for the manifest), and the SHA-256 of the files."""
        files = _cached_files(self.cache_dir)
        if files is None:
            try:
                made, _ = asyncio.run(_index_shard(iter([[BASE_RECORD]]), _wanted))
                made = normalise(made, {BASE_URL: ""})
            except Exception as exc:  # the binary missing, killed, or answering with an error
                raise SearchIndexError(
                    f"门户搜索所需的 Pagefind 运行文件生成失败：{exc}；请运行 scripts/setup 重新安装 pagefind[extended]"
                ) from None
            shutil.rmtree(self.cache_dir, ignore_errors=True)
            files = {}
            for path, content in made.items():
                (self.cache_dir / path).parent.mkdir(parents=True, exist_ok=True)
                (self.cache_dir / path).write_bytes(content)
                files[path] = (*signature(self.cache_dir / path), digest(content))
            (self.cache_dir / FILES).write_bytes(pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))
        out_root.mkdir(parents=True, exist_ok=True)  # the portal writes its manifest.json here too
        runtime: dict[str, tuple] = {}
        digests = _place_shard(self.cache_dir, out_root / BASE, files, link, runtime)
        line, entry = _listed(out_root / BASE, BASE, [])
        digests[f"{OUTPUT}/{BASE}/{ENTRY}"] = digest(entry)
        for name, (src, sha) in runtime.items():
            place(src, out_root / name, link)
            digests[f"{OUTPUT}/{name}"] = sha
        return {"tag": line["tag"], "meta": line["meta"]}, digests

    def base(self) -> dict:
        """base/'s line for the portal's search manifest (waits for the job)."""
        return self.job.wait()[0]

    def wait(self) -> None:
        with contextlib.suppress(Exception):
            self.job.wait()

    def finish(self) -> dict[str, str]:
        _, digests = self.job.wait()
        log.info("门户搜索运行文件：Pagefind %s，%.1f 秒", version("pagefind"), time.monotonic() - self.started)
        return digests
