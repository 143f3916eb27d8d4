"""The search index: one Pagefind index per shard (a run of publication years), built from
the core's records (searchdoc) and merged in the browser by search.js.

Each shard is its own Pagefind run, one after the other, so peak memory is that
of the largest shard. A shard whose records did not change is copied from the
cache (.cache/xxgk/search/) instead of being indexed again.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import hashlib
import json
import logging
import multiprocessing
import pickle
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from xxgk.core import progress
from xxgk.core.site import Site
from xxgk.publish.place import place
from xxgk.search.records import TEXT, item_keys, records, shards, year_of
from xxgk.search.stable import ENTRY, normalise

log = logging.getLogger("mkdocs.plugins.xxgk")
OUTPUT = "pagefind"
MANIFEST = "manifest.json"
# Bump when the record format or the word cutting changes, so cached shards are rebuilt.
FORMAT = 3  # 2: shards stored normalised by pagefind_stable; 3: fragments hold the item's text
# The browser runtime: kept with every cached shard, written once to pagefind/; Pagefind's UI is not used.
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")
INDEX_PARTS = ("pagefind-entry.json", "index/", "fragment/", "filter/")
BATCH = 500  # records in flight at once on the service pipe


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
    """Two fixes to PagefindService. Its reader sleeps 0.1 s before each reply (0.1 s per
    record); this one waits on the pipe itself. And its 2 MiB line limit is too small for
    GetFiles, which we use instead of WriteFiles because the service is terminated as soon
    as WriteFiles answers, which can leave the last file short."""

    async def launch(self) -> _PromptService:
        self._backend = await asyncio.create_subprocess_exec(
            self._bin,
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            limit=2**31,
        )
        for stream in (self._backend.stdin, self._backend.stdout):
            _widen(stream)
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

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


async def _index_shard(batches: Iterator[list[dict]], keep) -> tuple[dict[str, bytes], list[dict]]:
    """Index one shard in its own Pagefind process: the files `keep` accepts, by path, and
    the records. A worker thread makes the next batch of records (cutting words is pure
    Python) while Pagefind indexes the current one, so neither waits for the other."""
    loop = asyncio.get_running_loop()
    made: list[dict] = []
    async with _PromptService() as service:
        index: PagefindIndex = await service.create_index(IndexConfig())
        coming = loop.run_in_executor(None, next, batches, None)
        while (batch := await coming) is not None:
            coming = loop.run_in_executor(None, next, batches, None)
            await asyncio.gather(*(index.add_custom_record(**{k: v for k, v in r.items() if k != TEXT}) for r in batch))
            made += batch
        files = await index.get_files()
    return {f["path"]: f["content"] for f in files if keep(f["path"])}, made


def _wanted(path: str) -> bool:
    """Index files, and the browser runtime (kept in every shard; the page loads it from one)."""
    return path.startswith(INDEX_PARTS) or path.endswith(".pf_meta") or path in RUNTIME


RECORDS = ".records"  # beside the cached shard: its records by item key (pickle)


def _digest(keys: list[str]) -> str:
    """The shard's cache key, from its items' record keys: an unchanged shard costs no records."""
    return hashlib.sha256(f"{FORMAT} {version('pagefind')} {' '.join(keys)}".encode()).hexdigest()


def _known_records(cached: Path) -> dict[str, dict]:
    try:
        return pickle.loads((cached / RECORDS).read_bytes())
    except Exception:  # missing, or unreadable in any of pickle's ways: make every record
        return {}


def _listed(shard_dir: Path, shard: str, items: list) -> dict:
    """The shard's line in pagefind/manifest.json (its format: README, Search). Its entry file
    is rewritten to take the WebAssembly from the one runtime in pagefind/ (Pagefind asks
    `<shard>/wasm.<name>.pagefind`; the name climbs out of the shard), so every shard the
    browser opens shares one download; `tag` changes with the entry, so the browser may
    cache the entry file (Pagefind's metaCacheTag) instead of fetching it on every visit;
    `meta` names the index's meta file, which the browser then fetches beside the entry file
    instead of after it (the records are language "und", so there is one)."""
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
    return {
        "id": shard,
        "count": len(items),
        "first": min(dates, default=""),
        "last": max(dates, default=""),
        "years": sorted({year_of(i) for i in items}, reverse=True),
        "tag": hashlib.sha256(body).hexdigest()[:16],
        "meta": meta,
    }


class SearchIndexError(Exception):
    """Pagefind could not index a shard; the message says which and what to do."""


@dataclass
class IndexReport:
    shards: dict[str, int] = field(default_factory=dict)  # shard -> items
    rebuilt: list[str] = field(default_factory=list)
    seconds: float = 0.0


class IndexJob:
    """Brings the cached shards up to date in the background, started as soon as the content
    is analysed, while MkDocs renders pages. On Linux the job is a forked process: cutting
    the records is pure Python, and in a thread it took the GIL from rendering for as long
    as Pagefind indexed (the two were the build's critical path, one after the other). The
    fork inherits the analysed site, so nothing is sent to it. Elsewhere it is a thread.
    The job writes only under the cache; finish() waits for it and puts the shards into
    the site."""

    def __init__(self, site: Site, cache_dir: Path | None = None):
        self.started = time.monotonic()
        self.site = site
        self.cache_dir = cache_dir or site.opts.root / ".cache" / "xxgk" / "search"
        self.shards = shards(site)
        self.rebuilt: list[str] = []
        self.error: Exception | None = None
        self._answer: Connection | None = None
        if sys.platform == "linux" and self.shards:
            context = multiprocessing.get_context("fork")
            self._answer, told = context.Pipe(duplex=False)
            self.worker: threading.Thread | BaseProcess = context.Process(
                target=self._in_process, args=(told,), name="xxgk-search-index", daemon=True
            )
            gc.freeze()  # the fork's collector leaves the inherited objects alone (fewer copied pages)
            self.worker.start()
            gc.unfreeze()
            told.close()
        else:
            self.worker = threading.Thread(target=self._run, name="xxgk-search-index")
            self.worker.start()

    def _run(self) -> None:
        try:
            self._update()
        except Exception as exc:  # re-raised in the building thread by finish()
            self.error = exc

    def _in_process(self, told: Connection) -> None:
        self._run()
        try:
            told.send((self.rebuilt, self.error))
        except Exception:  # an error pickle cannot carry: its message
            told.send((self.rebuilt, SearchIndexError(str(self.error))))

    def _collect(self) -> None:
        """The forked job's answer: the shards it rebuilt, or its error."""
        if self._answer is None:
            return
        try:
            self.rebuilt, self.error = self._answer.recv()
        except (EOFError, OSError):  # killed, or ended without answering
            self.worker.join()
            code = getattr(self.worker, "exitcode", None)
            self.error = SearchIndexError(
                f"搜索索引进程意外退出（退出码 {code}）；请检查内存是否不足后重新构建，"
                "或在 mkdocs.yml 中设 search: false 暂不生成搜索"
            )
        self._answer.close()
        self._answer = None

    def _update(self) -> None:
        with progress.phase("搜索索引分片", len(self.shards)) as indexing:
            for shard, items in self.shards.items():
                self._update_shard(shard, items)
                indexing.step()
            indexing.note = f"重建 {len(self.rebuilt)} 个"

    def _update_shard(self, shard: str, items: list) -> None:
        cached = self.cache_dir / shard
        keys = item_keys(self.site, items)
        digest = _digest(keys)
        stamp = cached / ".digest"
        if stamp.is_file() and stamp.read_text() == digest:
            return
        known = _known_records(cached)
        batches = (
            records(self.site, items[n : n + BATCH], keys[n : n + BATCH], known) for n in range(0, len(items), BATCH)
        )
        try:
            files, shard_records = asyncio.run(_index_shard(batches, _wanted))
            files = normalise(files, {r["url"]: r[TEXT] for r in shard_records})
        except Exception as exc:  # the binary missing, killed, or answering with an error
            raise SearchIndexError(
                f"搜索索引分片 {shard} 生成失败：{exc}；"
                "请运行 scripts/setup 重新安装 pagefind[extended]，"
                "或在 mkdocs.yml 中设 search: false 暂不生成搜索"
            ) from None
        shutil.rmtree(cached, ignore_errors=True)
        for path, content in files.items():
            (cached / path).parent.mkdir(parents=True, exist_ok=True)
            (cached / path).write_bytes(content)
        (cached / RECORDS).write_bytes(pickle.dumps(dict(zip(keys, shard_records)), protocol=pickle.HIGHEST_PROTOCOL))
        stamp.write_text(digest)
        self.rebuilt.append(shard)

    def wait(self) -> None:
        self._collect()
        self.worker.join()

    def finish(self, site_dir: Path, link: bool = False) -> IndexReport:
        """Write site_dir/pagefind/<shard>/ for every shard and pagefind/manifest.json
        (shard files hard-linked from the cache with `link`: see place.py)."""
        self.wait()
        if self.error is not None:
            raise self.error
        out_root = site_dir / OUTPUT
        shutil.rmtree(out_root, ignore_errors=True)
        report = IndexReport(rebuilt=self.rebuilt)
        listed: list[dict] = []
        years: set[str] = set()
        for shard, items in self.shards.items():
            shutil.copytree(
                self.cache_dir / shard,
                out_root / shard,
                ignore=lambda d, names: [n for n in names if n in (".digest", RECORDS, *RUNTIME)],
                copy_function=lambda src, dest: place(Path(src), Path(dest), link),
            )
            listed.append(_listed(out_root / shard, shard, items))
            report.shards[shard] = len(items)
            years.update(year_of(i) for i in items)
        for name in RUNTIME if self.shards else ():  # one runtime for every shard (see _listed)
            place(self.cache_dir / next(iter(self.shards)) / name, out_root / name, link)
        out_root.mkdir(parents=True, exist_ok=True)
        manifest = {"shards": listed, "years": sorted(years, reverse=True)}
        (out_root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        report.seconds = time.monotonic() - self.started
        log.info(
            "搜索索引：%d 个分片（重建 %s），%d 条，%.1f 秒（与页面生成同时进行）",
            len(report.shards),
            "、".join(report.rebuilt) or "无",
            sum(report.shards.values()),
            report.seconds,
        )
        return report


def build_index(site_dir: Path, site: Site, cache_dir: Path | None = None) -> IndexReport:
    """Index and write in one go (no pages to render meanwhile)."""
    return IndexJob(site, cache_dir).finish(site_dir)
