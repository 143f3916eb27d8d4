"""Reading one member: its descriptor (xxgk-site.json), from a folder or an address, checked
against its JSON Schema. The member's catalog.json is not read (issue 34: it grows with the
items, the descriptor does not): its newest items, years and document types come with the
descriptor, and the portal's open data links to the member's own.

A member that cannot be read (folder missing, timeout, bad JSON, a file failing its schema)
never fails the portal: the last good copy kept under .cache/xxgk/portal/<id>/ is used with a
note saying since when, or, without one, the member is left out with the reason."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import urllib.error
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jsonschema

from xxgk.core import limits, report_tables, safetext
from xxgk.core.urls import ROUTES
from xxgk.output import descriptor
from xxgk.portal.config import Member
from xxgk.search.records import UNDATED
from xxgk.search.text import WORDS

FRESH, CACHED, MISSING = "fresh", "cached", "missing"
READ_AT = "read.json"  # beside the kept copy: when it was read
SEARCH_MANIFEST = ROUTES["search_manifest"]
DEADLINE_FACTOR = 6  # a member file must arrive within six timeouts in all (issue 30: trickling members)


@dataclass
class Read:
    member: Member
    state: str  # FRESH | CACHED | MISSING
    read_at: dt.datetime  # when these files were read (now, or when the copy was kept)
    site: dict = field(default_factory=dict)  # the descriptor, upgraded to the current format ({}: missing)
    format: int = 0  # the descriptor's format as the member wrote it (0: missing)
    problems: list[str] = field(default_factory=list)  # why the fresh read failed
    search: dict = field(default_factory=dict)  # its pagefind/manifest.json, when it could be read
    cleaned: list[str] = field(default_factory=list)  # where forbidden characters were removed (W611)

    @property
    def name(self) -> str:
        return self.member.name or self.site.get("agency") or self.member.id

    @property
    def usable(self) -> bool:
        return self.state != MISSING


class MemberError(Exception):
    """The member's files could not be read or do not fit their schema; the message says which."""


@cache
def _validator(path: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _check(doc, schema: Path, name: str) -> None:
    validator = _validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "（顶层）"
        raise MemberError(f"{name} 不符合 {validator.schema['$id']}：{where}：{error.message}")


def _fetch(member: Member, root: Path, name: str, timeout: float) -> bytes:
    """A member file's bytes, bounded (core/limits): `timeout` seconds of silence, and
    DEADLINE_FACTOR × timeout for the whole file, however slowly the member sends it."""
    if member.remote:
        address = member.source.rstrip("/") + "/" + name
        try:
            return limits.read_url(address, timeout, timeout * DEADLINE_FACTOR)
        except urllib.error.HTTPError as exc:
            raise MemberError(f"读取 {address} 失败：服务器返回 {exc.code}") from None
        except limits.LimitError as exc:
            raise MemberError(f"读取 {address} 失败：{exc}") from None
    folder = member.folder(root)
    if not folder.is_dir():
        raise MemberError(f"找不到成员站点文件夹 {folder}（请先构建该站点，或检查 portal.members 的 source）")
    if not (folder / name).exists():
        raise MemberError(f"{folder} 中没有 {name}（该站点须用支持门户的 xxgk 构建）")
    try:
        return limits.read_regular(folder / name)
    except limits.LimitError as exc:
        raise MemberError(f"{folder / name} 无法读取：{exc}") from None


def fetch_file(member: Member, root: Path, name: str, timeout: float) -> bytes:
    """Any file of the member's site (its search records, a member portal's list), bounded as
    the descriptor is; MemberError says why not."""
    return _fetch(member, root, name, timeout)


def _json(data: bytes, name: str):
    try:
        return limits.loads_json(data)
    except limits.LimitError as exc:
        raise MemberError(f"{name} {exc}") from None


def check_descriptor(doc) -> int:
    """Validate a descriptor against the schema of its own format; returns that format."""
    fmt = doc.get("format") if isinstance(doc, dict) else None
    if isinstance(fmt, bool) or not isinstance(fmt, int):  # found by fuzzing: {"format": {…}} is unhashable
        fmt = None
    if fmt not in descriptor.SCHEMAS:
        if isinstance(fmt, int) and fmt > descriptor.FORMAT:
            raise MemberError(
                f"{descriptor.NAME} 是第 {fmt} 版，本门户的 xxgk 只认识到第 {descriptor.FORMAT} 版："
                "请升级门户使用的 xxgk"
            )
        raise MemberError(f"{descriptor.NAME} 没有可识别的 format（收到 {fmt!r}）")
    _check(doc, descriptor.SCHEMAS[fmt], descriptor.NAME)
    return fmt


def upgrade(doc: dict, fmt: int) -> dict:
    """An older descriptor in the current shape; what it could not say is None."""
    if fmt == 1:

        def node(n: dict) -> dict:
            return {**n, "newest": None, "children": [node(c) for c in n["children"]]}

        doc = {
            **doc,
            "format": 2,
            "catalog": [node(n) for n in doc["catalog"]],
            "annual": [{**y, "report": None} for y in doc["annual"]],
        }
        fmt = 2
    if fmt == 2:  # before tables 二–四: no 许可/处罚/强制/收费 figures, no ledger counts
        unknown = dict.fromkeys(report_tables.FIGURES)
        doc = {
            **doc,
            "format": 3,
            "annual": [{**y, "figures": unknown, "applications": None, "appeals": None} for y in doc["annual"]],
        }
    # optional in format 3: without them no newest items are listed, and the years are the annual ones
    return {"latest": [], "years": [str(y["year"]) for y in doc["annual"]], "doc_types": [], **doc}


def _read_fresh(member: Member, root: Path, timeout: float) -> tuple[bytes, dict, int]:
    site_bytes = _fetch(member, root, descriptor.NAME, timeout)
    site = _json(site_bytes, descriptor.NAME)
    fmt = check_descriptor(site)
    if "latest" in site and len(site["latest"]) != min(site["items"], descriptor.LATEST):  # cheap: no catalog.json
        raise MemberError(
            f"{descriptor.NAME} 写有 {site['items']} 条，最新条目（latest）却有 {len(site['latest'])} 条：请重新构建该站点"
        )
    return site_bytes, site, fmt


def read(member: Member, root: Path, cache_dir: Path, timeout: float, now: dt.datetime) -> Read:
    kept = cache_dir / member.id
    try:
        site_bytes, site, fmt = _read_fresh(member, root, timeout)
    except MemberError as exc:
        return _kept(member, kept, str(exc), now)
    keep(kept, descriptor.NAME, site_bytes, now)
    return _cleaned(member, FRESH, now, site, fmt, search=search_manifest(member, root, timeout))


def unmergeable(r: Read) -> str | None:
    """Why the member's search shards cannot join the portal's search, or None. The portal
    searches them with its own Pagefind runtime (search.js, mergeIndex), which reads only
    indexes its own version wrote: Pagefind's index format is not promised across versions
    and a mismatch loads into its WebAssembly as garbage; and only shards cut into the words
    its search.js asks (search/text.py WORDS, in the member's search manifest). Such a member
    is left out of the search, and the watch (W610) and the search page say so."""
    built = r.site["search"]["pagefind_version"] if r.site.get("search") else None
    if built is not None and built != version("pagefind"):
        return f"其搜索索引由 Pagefind {built} 生成，门户为 {version('pagefind')}，无法并入门户搜索"
    if r.search and r.search.get("words") != WORDS:  # its manifest read: cut into other words
        return "其搜索索引按旧版 xxgk 的分词方式生成，与门户的检索词对不上，无法并入门户搜索"
    return None


def search_manifest(member: Member, root: Path, timeout: float) -> dict:
    """The member's own search manifest (per-shard years, dates, cache tags and meta files);
    {} when it cannot be read, and the descriptor's shard list serves."""
    try:
        doc = _json(_fetch(member, root, SEARCH_MANIFEST, timeout), SEARCH_MANIFEST)
    except MemberError:
        return {}
    if not isinstance(doc, dict) or not isinstance(doc.get("shards"), list):
        return {}
    words = {"words": doc["words"]} if type(doc.get("words")) is int else {}  # search/text.py WORDS
    return {"shards": [s for s in doc["shards"] if _shard_ok(s)], **words}  # issue 30: data only, in its shape


_SHARD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TAG = re.compile(r"[0-9a-f]{1,64}")
_META = re.compile(r"pagefind\.[A-Za-z0-9_-]{1,80}\.pf_meta")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|")


def _shard_ok(shard) -> bool:
    """A member's shard line as its build writes it (search/index.py): an id that stays a
    folder name, years as four digits, dates, a hex cache tag and a meta file name. Anything
    else could make readers' browsers fetch another address or break year-filtered search."""
    if not isinstance(shard, dict) or not _SHARD_ID.fullmatch(str(shard.get("id", ""))):
        return False
    years = shard.get("years", [])
    return (
        isinstance(years, list)
        and all(isinstance(y, str) and (y == UNDATED or (len(y) == 4 and y.isascii() and y.isdigit())) for y in years)
        and all(isinstance(shard.get(k, ""), str) and _DAY.fullmatch(shard.get(k, "")) for k in ("first", "last"))
        and (shard.get("tag") is None or (isinstance(shard["tag"], str) and bool(_TAG.fullmatch(shard["tag"]))))
        and (shard.get("meta") is None or (isinstance(shard["meta"], str) and bool(_META.fullmatch(shard["meta"]))))
    )


def clean(doc, name: str, found: list[str], where: str = ""):
    """`doc` (parsed JSON) with every string freed of the characters the site's own text may
    not hold (core/safetext: controls, bidi overrides, U+FFFE …; E113 on a site), each place
    noted in `found` as `name:path: the character`. A member's text is cleaned, not refused:
    one stray character should not take its catalog off the portal; the watch names it (W611)."""
    if isinstance(doc, str):
        char = safetext.forbidden_char(doc)
        if char is None:
            return doc
        found.append(f"{name}:{where or '（顶层）'}：{char}")
        return safetext.strip_forbidden(doc)
    if isinstance(doc, list):
        return [clean(v, name, found, f"{where}/{n}") for n, v in enumerate(doc)]
    if isinstance(doc, dict):
        return {k: clean(v, name, found, f"{where}/{k}") for k, v in doc.items()}
    return doc


def _cleaned(member: Member, state: str, read_at: dt.datetime, site: dict, fmt: int, **more) -> Read:
    found: list[str] = []
    site = clean(site, descriptor.NAME, found)
    return Read(member, state, read_at, upgrade(site, fmt), fmt, cleaned=found, **more)


def keep(kept: Path, name: str, data: bytes, now: dt.datetime) -> None:
    """The last good copy of a member's file `name` (its descriptor, or a member portal's
    xxgk-portal.json), replaced whole: a build stopped half-way leaves the previous copy. A
    cache that cannot be written (a read-only checkout) costs the copy, never the build."""
    staging = kept.with_name(kept.name + ".new")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        (staging / name).write_bytes(data)
        read_at = {"read_at": now.isoformat(timespec="seconds")}
        (staging / READ_AT).write_text(json.dumps(read_at), encoding="utf-8")
        shutil.rmtree(kept, ignore_errors=True)
        staging.rename(kept)
    except OSError:
        pass


def kept_copy(kept: Path, name: str) -> tuple[Any, dt.datetime] | None:
    """The kept copy of `name` (parsed JSON) and when it was read; None without one, or with one
    that is itself damaged."""
    try:
        doc = json.loads((kept / name).read_text(encoding="utf-8"))
        return doc, dt.datetime.fromisoformat(json.loads((kept / READ_AT).read_text(encoding="utf-8"))["read_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _kept(member: Member, kept: Path, reason: str, now: dt.datetime) -> Read:
    copy = kept_copy(kept, descriptor.NAME)
    try:
        if copy is None:
            raise MemberError(reason)
        site, read_at = copy
        fmt = check_descriptor(site)
    except MemberError:  # no copy, or one that is itself damaged
        return Read(member, MISSING, now, problems=[reason])
    return _cleaned(member, CACHED, read_at, site, fmt, problems=[reason])
