"""Portals of portals: a member that is itself a portal (a city under a province, a county
under a city). The watch and the merged annual tables follow the levels from what each
portal publishes; the search index follows them itself (portal/indexer.py `sources`).

Each portal build publishes in xxgk-portal.json (portal/opendata.py), besides its direct
`members`, every site it counts at every level (`sites`): the path of member ids, the name,
the address relative to that portal, the site's own `site_url`, its annual entries (the
descriptor's shape) and the watch's findings on it. An upper portal reads that one file per
member portal, never the descriptors below it: a province of 20 cities over 900 sites reads
20 files per build, each level does the work on its own members once, and a county that
cannot be read is its city's to keep (the last good copy) and to name.

A site is the same site when it declares the same `site_url` in its descriptor (its public
address, however a portal reaches it), else when it is reached at the same address. A site
reached twice (a direct member that is also in a member portal, or in two) is counted once,
at its shortest path; W752 names the others. A path longer than MAX_LEVELS is cut (W750),
and a site that came through this very portal (a cycle: a member portal lists this one) is
dropped (W751)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema

from xxgk.core import limits
from xxgk.output import descriptor
from xxgk.portal.config import REMOTE, Member
from xxgk.portal.read import CACHED, FRESH, MISSING, MemberError, Read, fetch_file, keep, kept_copy
from xxgk.portal.watch import Finding

PORTAL_NAME = "xxgk-portal.json"  # what a portal over portals reads of this one
MAX_LEVELS = 4  # province → city → county → township; deeper is a misconfiguration (W750)
SEP = " › "  # between the levels of a site's name


@dataclass
class Counted:
    """One site a portal counts, at any level below it."""

    path: list[str]  # member ids, outermost first
    name: str  # the names along the path, joined by SEP
    url: str  # where readers reach it: relative to this portal's root, or absolute
    site_url: str  # its own site_url ("" when it declares none)
    state: str  # read.FRESH | CACHED | MISSING, as the level that reads it says
    annual: list[dict]  # its descriptor's `annual`
    findings: list[dict]  # {"code", "message"}: the watch of the level that reads it
    via: list[str]  # the site_url of every portal it came through, innermost first

    @property
    def key(self) -> str:
        return self.site_url or self.url

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Level:
    """A member that is a portal, with what its xxgk-portal.json says of its sites."""

    member: Member
    name: str
    sites: list[Counted] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # W750, W751 on its sites


@cache
def _year_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(descriptor.SCHEMAS[descriptor.FORMAT].read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        {"$defs": schema["$defs"], "type": "array", "items": schema["$defs"]["year"]}
    )


def address_ok(url: str) -> bool:
    """A lower portal's address of a site: http(s), or a path under it (no scheme such as
    javascript: in a link, no way up)."""
    return bool(url) and (bool(REMOTE.match(url)) or (":" not in url and ".." not in url.split("/")))


def _site_ok(s) -> bool:
    strings = ("name", "url", "site_url", "state")
    return (
        isinstance(s, dict)
        and all(isinstance(s.get(k), str) for k in strings)
        and all(isinstance(s.get(k), list) and all(isinstance(p, str) for p in s[k]) for k in ("path", "via"))
        and bool(s["path"])
        and address_ok(s["url"])
        and isinstance(s.get("findings"), list)
        and all(
            isinstance(f, dict) and isinstance(f.get("code"), str) and isinstance(f.get("message"), str)
            for f in s["findings"]
        )
        and _year_validator().is_valid(s.get("annual"))
    )


def _is_portal(doc) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("sites"), list)


def read_level(member: Member, root: Path, timeout: float, own_url: str, kept: Path, now: dt.datetime) -> Level | None:
    """The member as a portal (its xxgk-portal.json), None when it is not one. `own_url`: this
    portal's site_url, to find the sites that came back through it. A member portal that cannot
    be read now is taken from its last good copy (under `kept`, as a site's descriptor is), its
    sites marked as read from the copy, and named (W601): a city's counties do not drop out of a
    province's tables because the city's server was down during one build."""
    state, stale = FRESH, ""
    try:
        data = fetch_file(member, root, PORTAL_NAME, timeout)
        doc = limits.loads_json(data)
    except (MemberError, limits.LimitError) as exc:
        copy = kept_copy(kept, PORTAL_NAME)
        if copy is None or not _is_portal(copy[0]):
            return None
        (doc, read_at), state = copy, CACHED
        stale = (
            f"无法读取 {PORTAL_NAME}（{exc}），门户使用 {read_at:%Y-%m-%d %H:%M} 保存的副本；请检查该门户的构建和发布"
        )
    if not _is_portal(doc):
        return None
    if state == FRESH:
        keep(kept, PORTAL_NAME, data, now)
    name = member.name or str(doc.get("site_name") or member.id)
    level = Level(member, name)
    portal_url = str(doc.get("site_url") or "")

    def problem(code: str, message: str) -> None:
        level.problems.append(Finding(member.id, name, code, message))

    if stale:
        problem("W601", stale)

    if own_url and portal_url == own_url:
        problem("W751", f"该成员就是本门户（site_url {own_url}）：请从 portal.members 中删除")
        return level
    bad = 0
    for raw in doc["sites"]:
        if not _site_ok(raw):
            bad += 1
            continue
        via = [portal_url, *raw["via"]] if portal_url else list(raw["via"])
        shown = SEP.join([name, raw["name"]])
        path = [member.id, *raw["path"]]
        if own_url and own_url in via:
            problem("W751", f"{shown} 经由本门户又回到本门户（成员门户互相列入）：未计入；请删除其中一方的成员设置")
        elif len(path) > MAX_LEVELS:
            problem("W750", f"{shown} 在第 {len(path)} 级，超过 {MAX_LEVELS} 级：未计入；请检查各级门户的成员设置")
        else:
            url = raw["url"] if REMOTE.match(raw["url"]) else member.url + raw["url"]
            # from the copy, every site is as old as the copy, whatever its level said then
            site_state = raw["state"] if state == FRESH or raw["state"] == MISSING else CACHED
            level.sites.append(
                Counted(path, shown, url, raw["site_url"], site_state, raw["annual"], raw["findings"], via)
            )
    if bad:
        problem("W753", f"{PORTAL_NAME} 中有 {bad} 个站点不符合格式，未计入：请该门户升级 xxgk 后重新构建")
    return level


def of_read(r: Read, findings: list[Finding]) -> Counted:
    """A direct member as a site of this portal."""
    mine = [{"code": f.code, "message": f.message} for f in findings if f.member == r.member.id]
    annual = r.site.get("annual", []) if r.usable else []
    return Counted([r.member.id], r.name, r.member.url, r.site.get("site_url") or "", r.state, annual, mine, [])


def unique(sites: list[Counted]) -> tuple[list[Counted], list[Finding]]:
    """Each site once, at its shortest path (the first of equals); W752 for the others."""
    kept: dict[str, Counted] = {}
    dropped = []
    for s in sorted(sites, key=lambda s: len(s.path)):  # stable: direct members first, in order
        first = kept.setdefault(s.key, s)
        if first is not s:
            how = f"site_url {s.site_url}" if s.site_url else f"地址 {s.url}"
            dropped.append(
                Finding(
                    s.path[0],
                    s.name,
                    "W752",
                    f"与 {first.name}（{'/'.join(first.path)}）是同一站点（{how}），统计只计一次；"
                    "如非有意，请从其中一处的成员设置中删除",
                )
            )
    order = {id(s): n for n, s in enumerate(sites)}
    return sorted(kept.values(), key=lambda s: order[id(s)]), dropped


def as_read(s: Counted, now: dt.datetime) -> Read:
    """A site below a member portal, in the shape the merged annual tables take."""
    member = Member("/".join(s.path), s.url, s.url, s.name)
    return Read(member, s.state, now, site={"annual": s.annual})


def findings_below(level: Level) -> list[Finding]:
    """The findings on a member portal's sites, under it, the level shown in the name."""
    out = [
        Finding(level.member.id, s.name, f["code"], f"（第 {len(s.path)} 级 {'/'.join(s.path)}）{f['message']}")
        for s in level.sites
        for f in s.findings
    ]
    return out + level.problems
