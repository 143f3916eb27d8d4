"""xxgk linkcheck: broken internal links, anchors and attachments in a built site, by page."""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from xxgk.core.urls import ROUTES
from xxgk.publish.finish import scan


def register(sub) -> None:
    p = sub.add_parser("linkcheck", help="检查构建好的站点中的断链、锚点、附件和站外资源")
    p.add_argument("dir", nargs="?", default="site", help="构建输出目录，默认 site")
    p.add_argument("--base-path", default="/", help="站点部署的路径（404 页面的链接从这里写起），例如 /xxgk/；默认 /")
    p.set_defaults(func=run)


def run(args) -> int:
    site_dir = Path(args.dir)
    if not site_dir.is_dir():
        print(
            f"xxgk: 找不到目录 {args.dir}；请先构建站点（scripts/build 或 mkdocs build），再给出输出目录",
            file=sys.stderr,
        )
        return EXIT_USAGE
    skip: tuple[str, ...] = ()
    if not (site_dir / "pagefind").is_dir():  # built with search: false
        skip = (ROUTES["pagefind"],)
        print("xxgk: 提示：站点没有搜索索引（pagefind/），未检查指向它的链接", file=sys.stderr)
    problems, _, checker = scan(site_dir, args.dir.rstrip("/"), skip, args.base_path, hashes=False)
    for page, group in groupby(problems, key=lambda p: p.path):
        found = list(group)
        print(f"{page}（{len(found)} 个问题）")
        for problem in found:
            print(f"  {problem}")
    pages = len({p.path for p in problems})
    if problems:
        print(f"检查了 {checker.pages} 个页面：{pages} 个页面共有 {len(problems)} 个问题", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"检查了 {checker.pages} 个页面：没有断链（空栏目由 xxgk check 的 W202 报告）", file=sys.stderr)
    return EXIT_OK
