"""xxgk inspect: the site against the 19号 checklist (output/inspection.py), for a scheduled CI
job that warns the office before an inspector does. Exit 1 on any single-veto risk."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, add_site_dir, date_arg, load_options
from xxgk.output.inspection import VETO, Finding, inspect
from xxgk.publish.finish import scan
from xxgk.rules import analyse

FORMATS = ("text", "json", "markdown")
LEVELS = {VETO: "单项否决风险", "score": "扣分项"}


def register(sub) -> None:
    p = sub.add_parser(
        "inspect",
        help="按《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）自查：单项否决风险和扣分项；有单项否决风险时退出码为 1",
    )
    add_site_dir(p)
    p.add_argument(
        "--as-of", type=date_arg, help="按该日期检查（默认今天，或环境变量 XXGK_AS_OF、mkdocs.yml 的 as_of）"
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="输出格式：text（默认）、json、markdown")
    p.add_argument(
        "--site-dir", default=None, help="构建好的站点目录，用于检查断链（默认 DIR/site，不存在时不检查链接）"
    )
    p.set_defaults(func=run)


def _links(site_dir: Path):
    """The link check of the built site, or None when there is none."""
    if not (site_dir / "index.html").is_file():
        return None
    skip = () if (site_dir / "pagefind").is_dir() else ("pagefind/",)
    problems, _, _ = scan(site_dir, site_dir.name, skip, hashes=False)
    return problems


def run(args) -> int:
    opts = load_options(args)  # --as-of, when given, is the as-of date of the whole analysis
    if opts is None:
        return EXIT_PROBLEMS
    as_of = opts.as_of_date()  # --as-of, else XXGK_AS_OF, mkdocs.yml's as_of, today
    site = analyse(opts)
    built = Path(args.site_dir) if args.site_dir else opts.root / "site"
    links = _links(built)
    found = inspect(site, as_of, links)
    print(RENDER[args.format](found, as_of, links is not None))
    vetoes = sum(1 for f in found if f.level == VETO)
    print(
        f"自查日期 {as_of.isoformat()}：{vetoes} 项单项否决风险，{len(found) - vetoes} 项扣分项"
        + ("" if links is not None else f"；未找到构建好的站点 {built}，未检查断链"),
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if vetoes else EXIT_OK


def as_text(found: list[Finding], as_of: dt.date, linked: bool) -> str:
    if not found:
        return "没有发现单项否决风险或扣分项。"
    return "\n".join(f"[{LEVELS[f.level]}] {f.check}：{f.message}" for f in found)


def as_markdown(found: list[Finding], as_of: dt.date, linked: bool) -> str:
    lines = [f"## 网站自查（{as_of.isoformat()}，国办秘函〔2019〕19号）", ""]
    if not found:
        return "\n".join([*lines, "没有发现单项否决风险或扣分项。"])
    lines += ["| 类别 | 检查项 | 发现 |", "|---|---|---|"]
    lines += [f"| {LEVELS[f.level]} | {f.check} | {f.message.replace('|', '｜')} |" for f in found]
    return "\n".join(lines)


def as_json(found: list[Finding], as_of: dt.date, linked: bool) -> str:
    doc = {
        "as_of": as_of.isoformat(),
        "links_checked": linked,
        "veto": any(f.level == VETO for f in found),
        "findings": [f.as_dict() for f in found],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


RENDER = {"text": as_text, "json": as_json, "markdown": as_markdown}
