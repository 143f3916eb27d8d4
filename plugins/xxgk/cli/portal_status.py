"""xxgk portal-status: the watch on every member of a portal, as text or JSON; exit 1 when
something needs action (the same findings as the portal's 更新监测 page)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, date_arg, load_options
from xxgk.core.options import OptionsError
from xxgk.portal import config

if TYPE_CHECKING:  # gather reads members with jsonschema: imported when the command runs (cli/__init__.py)
    from xxgk.portal.gather import Gathered


def register(sub) -> None:
    p = sub.add_parser("portal-status", help="门户监测：各成员单位是否更新、构建、年报发布、数据能否读取")
    add_site_dir(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式，默认 text")
    p.add_argument("--as-of", type=date_arg, help="监测日期（默认今天，或环境变量 XXGK_AS_OF）")
    p.set_defaults(func=run)


def as_json(g: Gathered) -> str:
    members = []
    for r in g.reads:
        s = r.site
        members.append(
            {
                "id": r.member.id,
                "name": r.name,
                "state": r.state,
                "read_at": r.read_at.isoformat(timespec="seconds"),
                "format": r.format or None,
                "items": s.get("items"),
                "newest": s.get("newest"),
                "built_at": s.get("built_at"),
                "findings": [f.as_dict() for f in g.findings if f.member == r.member.id],
            }
        )
    doc = {
        "as_of": g.as_of.isoformat(),
        "action_needed": bool(g.findings),
        "members": members,
        "portals": [  # members that are portals: their sites at every level (portal/levels.py)
            {
                "id": level.member.id,
                "name": level.name,
                "sites": [{"path": "/".join(s.path), "name": s.name, "state": s.state} for s in level.sites],
                "findings": [f.as_dict() for f in g.findings if f.member == level.member.id],
            }
            for level in g.levels
        ],
        "findings": [f.as_dict() for f in g.findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def as_text(g: Gathered) -> str:
    from xxgk.portal.read import CACHED, FRESH

    states = {FRESH: "本次读取", CACHED: "读取失败，使用保存的副本"}
    flagged = {f.member for f in g.findings}
    lines = [f"门户监测（{g.as_of.isoformat()}）：{len(g.reads)} 个成员单位，{len(flagged)} 个需处理"]
    for r in g.reads:
        mine = [f for f in g.findings if f.member == r.member.id]
        if r.usable:
            state = f"{states[r.state]}，{r.site['items']} 条，最新 {r.site['newest'] or '无'}"
        else:
            state = "未能读取"
        lines.append(f"  {r.member.id}  {r.name}：{'需处理' if mine else '正常'}（{state}）")
        lines += [f"      {f.code} {f.message}" for f in mine]
    for level in g.levels:  # a member portal: the findings on its sites, each with its level
        mine = [f for f in g.findings if f.member == level.member.id]
        lines.append(
            f"  {level.member.id}  {level.name}（下级门户，{len(level.sites)} 个站点）：{'需处理' if mine else '正常'}"
        )
        lines += [f"      {f.code} {f.name}：{f.message}" for f in mine]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    try:
        portal = config.parse(opts, str(opts.root / "mkdocs.yml"))
    except OptionsError as exc:
        print(exc.problem, file=sys.stderr)
        return EXIT_PROBLEMS
    if portal is None:
        print(
            f"xxgk: {opts.root / 'mkdocs.yml'} 没有 portal 设置：这不是门户站点（见 docs/portal.md）", file=sys.stderr
        )
        return EXIT_USAGE
    from xxgk.portal.gather import gather

    g = gather(opts, portal)
    sys.stdout.write(as_json(g) if args.format == "json" else as_text(g))
    return EXIT_PROBLEMS if g.findings else EXIT_OK
