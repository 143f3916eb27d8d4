"""xxgk portal-serve: the portal's search door (portal/door.py), a read-only service between
readers and OpenSearch, behind nginx (docs/portal.md). It asks the engine of the portal's
mkdocs.yml (`portal.engine`: its nodes and the alias `xxgk portal-index` keeps)."""

from __future__ import annotations

import sys

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, load_options
from xxgk.core.options import OptionsError
from xxgk.portal import config


def register(sub) -> None:
    p = sub.add_parser("portal-serve", help="门户全站检索服务：读者经它检索 OpenSearch（只读，仅 /search）")
    add_site_dir(p)
    p.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1（由 nginx 转发）")
    p.add_argument("--port", type=int, default=8790, help="监听端口，默认 8790")
    p.add_argument("--rate", type=float, default=5, help="每个读者每秒平均检索次数上限，默认 5")
    p.add_argument("--burst", type=int, default=20, help="每个读者可连续检索的次数，默认 20")
    p.add_argument("--max-query", type=int, default=100, help="检索词最多字数，默认 100")
    p.add_argument("--page-size", type=int, default=50, help="每页最多条数，默认 50")
    p.add_argument(
        "--trusted-proxy",
        default="127.0.0.1",
        help="信任其 X-Forwarded-For 的代理地址（nginx），逗号分隔，默认 127.0.0.1；按读者地址限速依赖它",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    if not (0 < args.port < 65536) or args.rate <= 0 or args.burst < 1 or args.max_query < 1 or args.page_size < 1:
        print("xxgk: --port 应为 1–65535，--rate、--burst、--max-query、--page-size 应为正数", file=sys.stderr)
        return EXIT_USAGE
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    yml = opts.root / "mkdocs.yml"
    try:
        portal = config.parse(opts, str(yml))
    except OptionsError as exc:
        print(exc.problem, file=sys.stderr)
        return EXIT_PROBLEMS
    if portal is None or portal.engine is None:
        print(f"xxgk: {yml} 没有 portal.engine 设置：写明 OpenSearch 节点（见 docs/portal.md）", file=sys.stderr)
        return EXIT_USAGE
    import uvicorn  # the web stack only when the door runs (cli/__init__.py)

    from xxgk.portal import door, query

    app = door.app(
        door.opensearch(portal.engine),
        query.Limits(query_chars=args.max_query, page_size=args.page_size),
        door.Rate(args.rate, args.burst),
    )
    where = f"{'、'.join(portal.engine.hosts)} 别名 {portal.engine.alias}"
    print(f"xxgk: 全站检索服务 http://{args.host}:{args.port}/search → {where}", file=sys.stderr)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        proxy_headers=True,
        forwarded_allow_ips=args.trusted_proxy,
        server_header=False,
        log_level="warning",
    )
    return EXIT_OK
