"""xxgk portal-index: keep the portal's OpenSearch index current from its members' search
records (portal/indexer.py). Exit 1 when a member's records are bad or the engine fails
(each named as `path:line: CODE 说明`); a member kept at its last good documents is a warning."""

from __future__ import annotations

import json
import sys

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, load_options
from xxgk.core.model import Problem
from xxgk.core.options import OptionsError
from xxgk.portal import config, engine


def register(sub) -> None:
    p = sub.add_parser("portal-index", help="门户搜索引擎：把各成员单位发布的搜索记录写入 OpenSearch 索引（增量）")
    add_site_dir(p)
    p.add_argument(
        "--engine", action="append", metavar="URL", help="OpenSearch 节点地址（可写多次；默认 portal.engine.hosts）"
    )
    p.add_argument("--index", help="读者查询的索引别名（默认 portal.engine.index，即 xxgk-portal）")
    p.add_argument("--rebuild", action="store_true", help="全部重建到新索引，完成后一次切换别名")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式，默认 text")
    p.set_defaults(func=run)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    where = str(opts.root / "mkdocs.yml")
    try:
        portal = config.parse(opts, where)
    except OptionsError as exc:
        print(exc.problem, file=sys.stderr)
        return EXIT_PROBLEMS
    if portal is None:
        print(f"xxgk: {where} 没有 portal 设置：这不是门户站点（见 docs/portal.md）", file=sys.stderr)
        return EXIT_USAGE
    settings = portal.engine or engine.Settings()
    if args.engine:
        settings.hosts = tuple(args.engine)
    if args.index:
        settings.alias = args.index
    from opensearchpy.exceptions import OpenSearchException

    from xxgk.portal.indexer import Indexer

    try:
        client = engine.connect(settings)
        report = Indexer(opts, portal, settings, client).run(rebuild=args.rebuild)
    except (engine.EngineError, OpenSearchException) as exc:
        message = str(exc) if isinstance(exc, engine.EngineError) else f"搜索引擎拒绝请求：{str(exc)[:300]}"
        print(Problem(where, 1, "E700", f"{message}；已写入的文档保留，修复后重新运行即从中断处继续"), file=sys.stderr)
        return EXIT_PROBLEMS
    problems = report.all_problems
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.format == "json":
        doc = {
            "index": report.index,
            "alias": settings.alias,
            "rebuilt": report.rebuilt,
            "members": [o.as_dict() for o in report.outcomes],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        states = {"indexed": "已更新", "unchanged": "未变", "kept": "保留上次的文档", "twice": "已在另一处索引"}
        how = "全部重建" if report.rebuilt else "增量更新"
        lines = [f"门户搜索索引 {settings.alias} → {report.index}（{how}）：{len(report.outcomes)} 个成员单位"]
        for o in report.outcomes:
            lines.append(
                f"  {o.path}  {o.name}：{states[o.state]}（索引 {o.indexed} 个分片、{o.documents} 条，未变 {o.skipped} 个分片）"
            )
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_PROBLEMS if any(p.is_error for p in problems) else EXIT_OK
