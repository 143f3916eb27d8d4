"""`xxgk portal-index`: keep the portal's OpenSearch index current from the search records its
members publish (search/published.py), in the document shape of portal/engine.py.

Incremental by shard: a member shard whose `shard_key` (its records file's SHA-256) is in the
index with all its documents is skipped; a changed one is indexed over its documents (same
ids), and only then are the member's documents of shards it no longer lists deleted, so a
reader searching meanwhile sees each item's old or new document, never neither. A member that
cannot be read, has published no records or whose records are bad keeps its last good
documents and is named in the report. A full rebuild (`--rebuild`, or an index of an older
mapping) fills a new index, copies the documents of members kept as they were, and moves the
alias to it in one request.

Portals of portals (docs/portal.md "Levels"): a member that is itself a portal (its build
publishes xxgk-portal.json, portal/opendata.py) contributes its own members, and a member of
those that is a portal its members, to MAX_LEVELS levels, each under `member_path`
[member, member/sub, member/sub/sub]. A portal met again on its own chain is not followed
(W751); a site listed at two paths (by its descriptor's site_url, else its address) is
indexed once, at the shortest (W752)."""

from __future__ import annotations

import hashlib
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xxgk.core import limits
from xxgk.core.model import Problem
from xxgk.core.options import Options
from xxgk.infra.caches import cache_dir
from xxgk.portal import engine
from xxgk.portal.config import MEMBER_ID, REMOTE, Member, Portal
from xxgk.portal.levels import MAX_LEVELS, PORTAL_NAME, address_ok
from xxgk.portal.read import FRESH, MemberError, fetch_file, read
from xxgk.search import published

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

CHUNK = 500  # documents per bulk request
RETRIES = 5  # a bulk item refused (a node lost, a shard moving) is sent again this often
MAX_RECORDS_BYTES = 512 * 1024 * 1024  # a shard's records unpacked: far above 10,000 items
INDEXED, UNCHANGED, KEPT, TWICE = "indexed", "unchanged", "kept", "twice"  # TWICE: indexed at another path


@dataclass
class Source:
    """One site whose records reach the index: a member, or a member of a member portal."""

    member: Member  # how the files are read (its source) and named (its id)
    path: list[str]  # member_path: the levels, outermost first
    name: str  # member_name: the top-level member's name
    base_url: str  # where readers reach the site, relative to the portal's root or absolute

    @property
    def leaf(self) -> str:
        return self.path[-1]


@dataclass
class Outcome:
    path: str  # the source's leaf path (sz, or sz/fgw)
    name: str
    state: str = INDEXED  # INDEXED | UNCHANGED | KEPT | TWICE
    indexed: int = 0  # shards indexed now
    skipped: int = 0  # shards unchanged
    documents: int = 0  # documents written now
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "member": self.path,
            "name": self.name,
            "state": self.state,
            "shards_indexed": self.indexed,
            "shards_skipped": self.skipped,
            "documents": self.documents,
            "problems": [str(p) for p in self.problems],
        }


@dataclass
class Report:
    index: str  # the concrete index the alias points to now
    rebuilt: bool
    outcomes: list[Outcome]
    problems: list[Problem] = field(default_factory=list)  # not tied to one member

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [p for o in self.outcomes for p in o.problems]


class RecordsError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _unpack(data: bytes, where: str) -> bytes:
    """gunzip, bounded: a small file must not unpack into gigabytes."""
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(data, MAX_RECORDS_BYTES)
        if inflater.unconsumed_tail:
            raise RecordsError(
                Problem(where, 1, "E702", f"解压后超过 {MAX_RECORDS_BYTES >> 20} MB：请检查该成员的构建")
            )
        return out
    except zlib.error as exc:
        raise RecordsError(Problem(where, 1, "E702", f"不是 gzip 文件（{exc}）：请该成员重新构建")) from None


def _record_ok(r) -> bool:
    """The shape search-record.schema.json describes, checked by hand: jsonschema takes longer
    than the indexing itself on a member of thousands of items."""
    strings = ("index_no", "url", "title", "publisher", "date", "doc_no", "status", "ahead", "text", "more", "excerpt")
    if not isinstance(r, dict) or not all(isinstance(r.get(k), str) for k in strings) or not r["index_no"]:
        return False
    keys, filters = r.get("keys"), r.get("filters")
    return (
        isinstance(r.get("validity"), bool)
        and isinstance(keys, dict)
        and isinstance(keys.get("index"), str)
        and (keys.get("own") is None or isinstance(keys["own"], str))
        and isinstance(keys.get("cited"), list)
        and all(isinstance(k, str) for k in keys["cited"])
        and isinstance(filters, dict)
        and all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in filters.values())
        and (not r["date"] or (len(r["date"]) == 10 and r["date"][4] == "-"))
    )


def parse_records(data: bytes, entry: dict, where: str) -> list[dict]:
    """A records file's records, checked against the descriptor's entry (SHA-256, count) and
    the record shape; RecordsError names the file and line."""
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise RecordsError(
            Problem(
                where,
                1,
                "E701",
                "文件的 SHA-256 与 xxgk-site.json 所列不符：文件不是同一次构建写的或已损坏，请该成员重新构建",
            )
        )
    out = []
    for n, line in enumerate(_unpack(data, where).decode("utf-8", "replace").splitlines(), 1):
        try:
            record = limits.loads_json(line.encode("utf-8"))
        except limits.LimitError as exc:
            raise RecordsError(Problem(where, n, "E702", f"不是一条 JSON 记录（{exc}）：请该成员重新构建")) from None
        if not _record_ok(record):
            raise RecordsError(
                Problem(where, n, "E702", f"记录不符合 {published.SCHEMA_NAME}：请该成员升级 xxgk 后重新构建")
            )
        out.append(record)
    if len(out) != entry["count"]:
        raise RecordsError(
            Problem(
                where, 1, "E701", f"有 {len(out)} 条记录，xxgk-site.json 写有 {entry['count']} 条：请该成员重新构建"
            )
        )
    return out


def _sub_portal(member: Member, root: Path, timeout: float) -> dict | None:
    """A member portal's xxgk-portal.json (portal/opendata.py), None when the member is a site."""
    try:
        doc = limits.loads_json(fetch_file(member, root, PORTAL_NAME, timeout))
    except (MemberError, limits.LimitError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("members"), list) else None


def _where(member: Member, root: Path) -> str:
    """Where a member is read from, one spelling per place: a cycle shows as a place seen again."""
    return member.source.rstrip("/") + "/" if member.remote else str(member.folder(root))


def sources(portal: Portal, root: Path, problems: list[Problem] | None = None) -> Iterator[Source]:
    """Every site whose records the index takes: each member, or a member portal's members, to
    any depth (each level's xxgk-portal.json lists its direct members). A portal met again on
    its own chain (W751) and a level deeper than MAX_LEVELS (W750) are named in `problems`
    and not followed."""
    problems = [] if problems is None else problems

    def walk(member: Member, path: list[str], name: str, chain: tuple[str, ...]) -> Iterator[Source]:
        doc = _sub_portal(member, root, portal.timeout)
        if doc is None:
            yield Source(member, path, name, member.url)
            return
        name = name or str(doc.get("site_name") or member.id)  # member_name: the top level's
        where = _where(member, root)
        if where in chain:
            problems.append(
                Problem(
                    where, 1, "W751", f"门户 {path[-1]} 经由下级门户又列入了自己：未再索引；请删除其中一方的成员设置"
                )
            )
            return
        for sub in doc["members"]:
            sid, url = (str(sub.get(k, "")) if isinstance(sub, dict) else "" for k in ("id", "url"))
            if not MEMBER_ID.fullmatch(sid) or not address_ok(url):
                continue
            if len(path) >= MAX_LEVELS:
                problems.append(
                    Problem(
                        where,
                        1,
                        "W750",
                        f"{path[-1]}/{sid} 在第 {len(path) + 1} 级，超过 {MAX_LEVELS} 级：未索引；"
                        "请检查各级门户的成员设置",
                    )
                )
                continue
            absolute = url if REMOTE.match(url) else member.url + url  # same origin: under the member portal
            source = url if REMOTE.match(url) else (member.source.rstrip("/") + "/" + url)
            inner = Member(f"{member.id}-{sid}", source, absolute, str(sub.get("name") or "") or None)
            yield from walk(inner, [*path, f"{path[-1]}/{sid}"], name, (*chain, where))

    for member in portal.members:
        yield from walk(member, [member.id], member.name or "", ())


class Indexer:
    def __init__(self, opts: Options, portal: Portal, settings: engine.Settings, client: OpenSearch):
        self.opts, self.portal, self.settings, self.client = opts, portal, settings, client
        self.copies = cache_dir(opts.root, "portal")
        self.seen: dict[str, str] = {}  # a site's site_url (else its address) -> the leaf it is indexed at

    # ------------------------------------------------------------------ what the index holds

    def known(self, index: str) -> dict[str, int]:
        """shard_key → documents in the index (composite aggregation, page by page)."""
        out: dict[str, int] = {}
        after = None
        while True:
            composite: dict = {"size": 1000, "sources": [{"k": {"terms": {"field": "shard_key"}}}]}
            if after:
                composite["after"] = after
            body = {"size": 0, "aggs": {"keys": {"composite": composite}}}
            result = self.client.search(index=index, body=body)["aggregations"]["keys"]
            out.update({b["key"]["k"]: b["doc_count"] for b in result["buckets"]})
            after = result.get("after_key")
            if not result["buckets"] or not after:
                return out

    # ------------------------------------------------------------------ writing

    def bulk(self, index: str, actions: list[dict]) -> None:
        """Send the actions, again for those refused (a node lost mid-request), RETRIES times."""
        from opensearchpy import helpers

        pending = actions
        for attempt in range(RETRIES + 1):
            failed = []
            for ok, info in helpers.streaming_bulk(
                self.client,
                pending,
                index=index,
                chunk_size=CHUNK,
                raise_on_error=False,
                raise_on_exception=False,
                max_retries=3,
                request_timeout=self.settings.timeout * 4,
            ):
                if not ok:
                    failed.append(info)
            failed = [f for f in failed if not ("delete" in f and f["delete"].get("status") == 404)]  # gone already
            if not failed:
                return
            ids = {next(iter(f.values())).get("_id") for f in failed}
            pending = [a for a in pending if a["_id"] in ids]
            time.sleep(min(2**attempt, 10))
        first = next(iter(failed[0].values()))
        raise engine.EngineError(f"{len(failed)} 条文档写入失败（{str(first.get('error'))[:200]}）：修复集群后重新运行")

    def index_source(self, index: str, source: Source, known: dict[str, int]) -> Outcome:
        outcome = Outcome(source.leaf, source.member.name or source.name or source.member.id)
        r = read(source.member, self.opts.root, self.copies, self.portal.timeout, _now())
        outcome.name = source.member.name or r.name
        where = source.member.source
        if r.state != FRESH:
            outcome.state = KEPT
            outcome.problems.append(
                Problem(
                    where, 1, "W701", f"{r.problems[0]}；搜索引擎保留该成员上次索引的文档：请检查该站点的构建和发布"
                )
            )
            return outcome
        search = r.site.get("search") or {}
        files = (search.get("records") or {}).get("files")
        if not files or (search.get("records") or {}).get("format") != published.FORMAT:
            outcome.state = KEPT
            fmt = (search.get("records") or {}).get("format")
            why = (
                f"搜索记录为第 {fmt} 版，本门户的 xxgk 只认识第 {published.FORMAT} 版：请升级门户使用的 xxgk"
                if fmt
                else "未发布搜索记录：请该站在 mkdocs.yml 的 xxgk 设置中写 search_records: true 后重新构建"
            )
            outcome.problems.append(Problem(where, 1, "W700", why))
            return outcome
        same = r.site.get("site_url") or source.base_url  # one site, however many levels list it
        if same in self.seen:
            outcome.state = TWICE
            outcome.problems.append(
                Problem(
                    where,
                    1,
                    "W752",
                    f"与 {self.seen[same]} 是同一站点（{same}），只索引一次；如非有意，请从其中一处的成员设置中删除",
                )
            )
            return outcome
        self.seen[same] = source.leaf
        site_name = r.site.get("agency") or outcome.name
        wanted = {}
        for entry in files:
            key = engine.shard_key(source.leaf, entry["shard"], entry["sha256"])
            wanted[key] = entry
            if known.get(key) == entry["count"]:
                outcome.skipped += 1
                continue
            address = f"{where.rstrip('/')}/{entry['path']}"
            try:
                data = fetch_file(source.member, self.opts.root, entry["path"], self.portal.timeout)
                records = parse_records(data, entry, address)
            except MemberError as exc:
                records, problem = None, Problem(address, 1, "E702", f"{exc}：请检查该成员的发布")
            except RecordsError as exc:
                records, problem = None, exc.problem
            if records is None:
                outcome.state = KEPT
                outcome.problems.append(problem)
                return outcome  # its last good documents stay: nothing of it is deleted
            actions = [
                {
                    "_id": engine.doc_id(source.leaf, rec["index_no"]),
                    "_source": engine.document(
                        rec,
                        member=source.path[0],
                        path=source.path,
                        member_name=outcome.name if len(source.path) == 1 else source.name,
                        site_name=site_name,
                        base_url=source.base_url,
                        shard_key=key,
                    ),
                }
                for rec in records
            ]
            self.bulk(index, actions)
            outcome.indexed += 1
            outcome.documents += len(actions)
        self.client.indices.refresh(index=index)  # the new documents are seen before the old go
        stale = {
            "bool": {
                "filter": [{"term": {"member_path": source.leaf}}],
                "must_not": [{"terms": {"shard_key": list(wanted)}}],
            }
        }
        self.delete(index, stale)
        outcome.state = INDEXED if outcome.indexed else UNCHANGED
        return outcome

    def matching(self, index: str, query: dict, source: bool = False) -> Iterator[dict]:
        """Every document the query finds (scroll: the core API, where _delete_by_query and
        _reindex need the reindex module, which not every cluster has)."""
        from opensearchpy import helpers

        return helpers.scan(self.client, index=index, query={"query": query}, _source=source, size=CHUNK)

    def delete(self, index: str, query: dict) -> None:
        gone = [{"_op_type": "delete", "_id": hit["_id"]} for hit in self.matching(index, query)]
        if gone:
            self.bulk(index, gone)
            self.client.indices.refresh(index=index)

    def copy_kept(self, old: str, new: str, leaf: str) -> None:
        """A kept member's documents into the new index of a rebuild, as they were (and none of
        the shards it may have sent before the one that failed)."""
        self.delete(new, {"term": {"member_path": leaf}})
        hits = self.matching(old, {"term": {"member_path": leaf}}, source=True)
        self.bulk(new, [{"_id": hit["_id"], "_source": hit["_source"]} for hit in hits])

    def run(self, rebuild: bool = False) -> Report:
        alias = self.settings.alias
        current = engine.current_index(self.client, alias)
        if current and engine.index_format(self.client, current) != engine.FORMAT:
            rebuild = True  # a mapping of an older xxgk: a new index, whatever was asked
        if current is None or rebuild:
            self.drop_orphans(alias, current)
            target = engine.new_index_name(alias)
            engine.create_index(self.client, target, self.settings)
            known: dict[str, int] = {}
        else:
            target, known = current, self.known(current)
        report = Report(target, target != current, [])
        leaves = []
        # the shortest path first: a site listed directly and in a member portal counts as direct
        for source in sorted(sources(self.portal, self.opts.root, report.problems), key=lambda s: len(s.path)):
            outcome = self.index_source(target, source, known)
            if outcome.state == KEPT and target != current and current:
                self.copy_kept(current, target, source.leaf)
            report.outcomes.append(outcome)
            if outcome.state != TWICE:  # its documents at this path go
                leaves.append(source.leaf)
        if target == current:  # members taken out of the portal: their documents go
            gone = {"bool": {"must_not": [{"terms": {"member_path": leaves}}]}}
            self.delete(target, gone)
        else:
            self.client.indices.refresh(index=target)
            engine.swap_alias(self.client, alias, target, current)
        return report

    def drop_orphans(self, alias: str, current: str | None) -> None:
        """Indexes of a rebuild that never reached the alias (a run stopped half way)."""
        for name in self.client.indices.get(index=f"{alias}-*", expand_wildcards="open,closed"):
            if name != current:
                self.client.indices.delete(index=name)


def _now():
    import datetime as dt

    return dt.datetime.now().astimezone()
