"""xxgk check: every content rule, printed as `path:line: CODE 说明`."""
from __future__ import annotations

import sys

from .cli import EXIT_OK, EXIT_PROBLEMS, date_arg, load_options
from .core import analyse


def register(sub) -> None:
    p = sub.add_parser("check", help="检查内容（元数据、目录、索引号、政策解读、有效性）")
    p.add_argument("dir", nargs="?", default=".", help="站点仓库目录（含 mkdocs.yml），默认当前目录")
    p.add_argument("--as-of", type=date_arg, help="按该日期判断有效性（默认今天，或环境变量 XXGK_AS_OF）")
    p.add_argument("--errors-only", action="store_true", help="只显示错误，不显示警告")
    p.set_defaults(func=run)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    site = analyse(opts)
    shown = site.problems if not args.errors_only else site.errors
    for problem in shown:
        print(problem)
    errors, warnings = len(site.errors), len(site.warnings)
    summary = f"检查了 {len(site.content.items)} 个条目：{errors} 个错误，{warnings} 个警告"
    print(summary if errors or warnings else f"检查了 {len(site.content.items)} 个条目：没有发现问题",
          file=sys.stderr)
    return EXIT_PROBLEMS if errors else EXIT_OK
