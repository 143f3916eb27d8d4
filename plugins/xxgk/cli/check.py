"""xxgk check: every content rule, printed as `path:line: CODE 说明`; with --base, the review summary."""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, date_arg, load_options, revision_arg
from xxgk.cli.report import FORMATS, RENDER
from xxgk.cli.review import GitError, base_site, changed_open_cases, compare
from xxgk.rules import analyse


def register(sub) -> None:
    p = sub.add_parser("check", help="检查内容（元数据、目录、索引号、政策解读、有效性、隐私、附件）")
    add_site_dir(p)
    p.add_argument("--as-of", type=date_arg, help="按该日期判断有效性（默认今天，或环境变量 XXGK_AS_OF）")
    p.add_argument("--errors-only", action="store_true", help="只显示错误，不显示警告")
    p.add_argument(
        "--base",
        metavar="REV",
        type=revision_arg,
        help="与该 Git 版本比较（如 origin/main）：拒绝删除条目、修改索引号、撤下页面，并输出审核摘要",
    )
    p.add_argument(
        "--format", choices=FORMATS, default="text", help="输出格式：text（默认）、markdown（用于拉取请求评论）、json"
    )
    p.add_argument(
        "--files", nargs="+", metavar="FILE", help="只报告这些文件的问题（供 pre-commit 使用；仍会检查全站的相互关系）"
    )
    p.add_argument(
        "--cache",
        action="store_true",
        help="把解析结果保存到 .cache/xxgk/，下次检查更快（默认只读取、不写入站点目录）",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    opts.keep_caches = args.cache  # a check leaves the checkout as it was unless asked
    site = analyse(opts)
    problems, review = site.problems, None
    if args.base:
        try:
            review = compare(site, base_site(opts, args.base), args.base)
            review.cases = changed_open_cases(site, args.base)
        except GitError as exc:
            print(f"xxgk: {exc}", file=sys.stderr)
            return EXIT_USAGE
        problems = sorted(set(problems) | set(review.problems))
    if args.files:
        wanted = {PurePosixPath(f).as_posix() for f in args.files}
        problems = [p for p in problems if p.path in wanted]
    errors = [p for p in problems if p.is_error]
    output = RENDER[args.format](errors if args.errors_only else problems, review)
    if output:
        print(output)
    warnings = len(problems) - len(errors)
    count = f"检查了 {len(site.content.items)} 个条目："
    print(count + (f"{len(errors)} 个错误，{warnings} 个警告" if problems else "没有发现问题"), file=sys.stderr)
    return EXIT_PROBLEMS if errors else EXIT_OK
