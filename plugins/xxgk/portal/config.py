"""The `portal` option of mkdocs.yml: which members a portal reads and how it watches them.

plugins:
  - xxgk:
      portal:
        stale_days: 30        # a member whose newest item is older is named by the watch
        build_days: 7         # and one whose last build is older
        timeout: 10           # seconds to wait for a member read over HTTP
        door: search-api/search   # the search door (xxgk portal-serve) the search page asks first
        members:
          - {id: fgw, source: ../fgw/site, url: fgw/}       # a built site/ folder, served at fgw/
          - {id: jyj, source: https://jyj.example.gov.cn/}  # an address (read and linked there)
        engine:               # optional: `xxgk portal-index` keeps an OpenSearch index (portal/engine.py)
          hosts: [http://127.0.0.1:9200]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.core.model import Problem
from xxgk.core.options import Options, OptionsError
from xxgk.portal.engine import Settings, parse_settings

MEMBER_ID = re.compile(r"[a-z][a-z0-9_-]*")
REMOTE = re.compile(r"https?://", re.I)


@dataclass
class Member:
    id: str
    source: str  # where the build reads it: a folder (relative to the portal repository) or an address
    url: str  # where readers reach it: relative to the portal's root (same origin) or absolute; ends in /
    name: str | None = None  # shown instead of the member's own agency name

    @property
    def remote(self) -> bool:
        return bool(REMOTE.match(self.source))

    @property
    def same_origin(self) -> bool:
        return not REMOTE.match(self.url)

    def folder(self, root: Path) -> Path:
        return (root / self.source).resolve()


@dataclass
class Portal:
    members: list[Member] = field(default_factory=list)
    stale_days: int = 30
    build_days: int = 7
    timeout: float = 10
    door: str = ""  # the search door's address, relative to the portal root or absolute; "" static search only
    engine: Settings | None = None  # `engine:` given: the portal's search engine (xxgk portal-index)


def _positive(raw: dict, key: str, default, fail) -> int | float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        fail(f"portal.{key} 应为正数（收到“{value}”）")
    return value


def parse(opts: Options, path: str = "mkdocs.yml") -> Portal | None:
    """The portal of this site, or None when mkdocs.yml has no `portal` option."""
    raw = opts.portal
    if raw is None:
        return None

    def fail(message: str):
        raise OptionsError(Problem(path, 1, "E001", message))

    if not isinstance(raw, dict) or not isinstance(raw.get("members"), list) or not raw["members"]:
        fail("portal 应含 members 列表，每个成员写 id 和 source（已构建站点的 site/ 文件夹或网址）")
    unknown = sorted(set(raw) - {"members", "stale_days", "build_days", "timeout", "door", "engine"})
    if unknown:
        fail(f"portal 不认识的设置：{'、'.join(unknown)}；可用 members、stale_days、build_days、timeout、door、engine")
    door = raw.get("door") or ""
    if not isinstance(door, str) or door.startswith("/") or ".." in door.split("/"):
        fail(
            f"portal.door“{door}”应为检索服务（xxgk portal-serve）的地址：相对门户根目录的子路径"
            "（如 search-api/search，由 nginx 转发，见 docs/portal.md）或完整网址"
        )
    portal = Portal(
        stale_days=int(_positive(raw, "stale_days", 30, fail)),
        build_days=int(_positive(raw, "build_days", 7, fail)),
        timeout=_positive(raw, "timeout", 10, fail),
        door=door,
        engine=parse_settings(raw["engine"], fail) if "engine" in raw else None,
    )
    seen: set[str] = set()
    for n, entry in enumerate(raw["members"], 1):
        if not isinstance(entry, dict):
            fail(f"portal.members 第 {n} 项应为 {{id: …, source: …}}")
        mid, source, url = (str(entry.get(k) or "") for k in ("id", "source", "url"))
        if not MEMBER_ID.fullmatch(mid):
            fail(f"portal.members 第 {n} 项的 id“{mid}”应为小写英文字母开头的字母、数字、-、_（用于网址）")
        if mid in seen:
            fail(f"portal.members 的 id“{mid}”重复")
        seen.add(mid)
        if not source:
            fail(f"portal 成员 {mid} 缺少 source：写已构建站点的 site/ 文件夹（相对门户仓库）或站点网址")
        if not url and not REMOTE.match(source):
            fail(
                f"portal 成员 {mid} 的 source 是文件夹，还须写 url：读者访问它的地址，"
                f"同一域名下写子路径（如 {mid}/），其他域名写完整网址"
            )
        url = url or source
        if url.startswith("/") or ".." in url.split("/"):
            fail(f"portal 成员 {mid} 的 url“{url}”应为相对门户根目录的子路径（如 {mid}/）或完整网址")
        portal.members.append(
            Member(mid, source, url.rstrip("/") + "/", str(entry["name"]) if entry.get("name") else None)
        )
    return portal
