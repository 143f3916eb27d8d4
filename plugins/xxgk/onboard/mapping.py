"""The mapping file (`--mapping FILE`, YAML): how an old catalog's columns and names fit this site.

```yaml
columns: {文件名称: title, 发文单位: publisher}   # rename: source header → field
combine: {summary: [摘要, 备注]}                 # one field from several columns, joined by ；
fix: {status: {现行有效: 有效}}                   # replace whole values of a field before reading them
defaults: {category: qtwj}                        # a field every row lacks
aliases:                                          # old names → this site's names or ids
  publisher: {区府办: bgs}
  category: {通知公告: qtwj}
  topic: {城建: 城乡建设、环境保护}
allowed_hosts: [www.example.gov.cn]               # outside links in bodies that are not reported
old_site: https://www.example.gov.cn/             # the old site, for `/…` links on pages that do not say their address
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from xxgk.core.model import Problem
from xxgk.core.yamlio import LineDict, YamlError, load_yaml
from xxgk.onboard.headers import HEADERS

SECTIONS = ("columns", "combine", "fix", "defaults", "aliases", "allowed_hosts", "old_site")
ALIAS_KINDS = ("publisher", "category", "topic")


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    combine: dict[str, list[str]] = field(default_factory=dict)
    fix: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    allowed_hosts: tuple[str, ...] = ()
    old_site: str = ""


def apply(mapping: Mapping, values: dict[str, str]) -> dict[str, str]:
    """A record's values after the mapping's defaults and fixes (spreadsheet rows and pages alike)."""
    out = {**mapping.defaults, **values}
    for name, table in mapping.fix.items():
        if out.get(name) in table:
            out[name] = table[out[name]]
    return out


def read_mapping(path: Path | None) -> tuple[Mapping, list[Problem]]:
    if path is None:
        return Mapping(), []
    shown = path.as_posix()
    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return Mapping(), [Problem(shown, 1, "I318", "映射文件无法读取：请确认文件存在且为 UTF-8 编码")]
    except YamlError as exc:
        return Mapping(), [Problem(shown, exc.line, "I318", f"映射文件{exc.message}；请检查缩进、冒号和引号")]
    if data is None:
        return Mapping(), []
    if not isinstance(data, LineDict):
        return Mapping(), [Problem(shown, 1, "I318", "映射文件应为映射，顶层键：" + "、".join(SECTIONS))]
    problems: list[Problem] = []

    def bad(key, message):
        problems.append(Problem(shown, data.line_of(key), "I318", message))

    def table(key) -> dict:
        value = data.get(key) or {}
        if not isinstance(value, dict):
            bad(key, f"{key} 应为“名称: 值”的映射")
            return {}
        return {str(k): v for k, v in value.items()}

    def known(key, name) -> bool:
        if name in HEADERS:
            return True
        bad(key, f"{key} 中的“{name}”不是可导入的项；可用：{'、'.join(HEADERS)}")
        return False

    for key in data:
        if key not in SECTIONS:
            bad(key, f"未知的键 {key}；可用：{'、'.join(SECTIONS)}")
    mapping = Mapping()
    mapping.columns = {h: str(f) for h, f in table("columns").items() if known("columns", str(f))}
    for name, cols in table("combine").items():
        if known("combine", name):
            mapping.combine[name] = [str(c) for c in cols] if isinstance(cols, list) else [str(cols)]
    for name, pairs in table("fix").items():
        if known("fix", name):
            if isinstance(pairs, dict):
                mapping.fix[name] = {str(k): str(v) for k, v in pairs.items()}
            else:
                bad("fix", f"fix.{name} 应为“原值: 新值”的映射")
    mapping.defaults = {k: str(v) for k, v in table("defaults").items() if known("defaults", k)}
    for kind, pairs in table("aliases").items():
        if kind not in ALIAS_KINDS:
            bad("aliases", f"aliases 下的“{kind}”无效；可用：{'、'.join(ALIAS_KINDS)}")
        elif not isinstance(pairs, dict):
            bad("aliases", f"aliases.{kind} 应为“旧名称: 本站名称或 id”的映射")
        else:
            mapping.aliases[kind] = {str(k): str(v) for k, v in pairs.items()}
    hosts = data.get("allowed_hosts") or []
    mapping.allowed_hosts = tuple(str(h).lower() for h in (hosts if isinstance(hosts, list) else [hosts]))
    old_site = str(data.get("old_site") or "").strip()
    if old_site and urlsplit(old_site).scheme not in ("http", "https"):
        bad("old_site", f"old_site 应为旧网站的完整地址，例如 https://www.example.gov.cn/，而不是“{old_site}”")
    else:
        mapping.old_site = old_site
    return mapping, problems
