"""xxgk normalise --base REV: item files saved by the browser form, written the way `xxgk new` writes
them; in an edited file only the edited keys change. The PR check runs it (forge mode: the form
commits straight to the forge); local mode does the same before each commit (authoring/local.py)."""

from __future__ import annotations

import sys

from xxgk.authoring.normalise import NotAnItem, normalise
from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, load_options, revision_arg
from xxgk.cli.review import GitError, git


def register(sub) -> None:
    p = sub.add_parser("normalise", help="把网页表单保存的条目改写为 xxgk new 的格式（只改动过的条目、只改动过的项）")
    add_site_dir(p)
    p.add_argument("--base", required=True, type=revision_arg, help="与哪个版本比较，如 main 或 origin/main")
    p.add_argument("--check", action="store_true", help="只列出需要改写的文件，不改写（有则退出码 1）")
    p.set_defaults(func=run)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    items = f"{opts.items_folder}/"
    try:
        names = (
            git(opts.root, "diff", "--name-only", "--diff-filter=AM", "--end-of-options", args.base, "--", items)
            .decode()
            .split()
        )
    except GitError as exc:
        print(f"xxgk normalise: 无法与 {args.base} 比较：{exc}", file=sys.stderr)
        return EXIT_USAGE
    changed = []
    for name in (n for n in names if n.endswith(".md")):
        path = opts.root / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            before = git(opts.root, "show", "--end-of-options", f"{args.base}:{name}").decode("utf-8")
        except (GitError, UnicodeDecodeError):
            before = None  # a new item
        try:
            tidy = normalise(text, before)
        except NotAnItem:
            continue  # xxgk check reports it
        if tidy != text:
            changed.append(name)
            if not args.check:
                path.write_text(tidy, encoding="utf-8")
    for name in changed:
        print(name)
    if changed and args.check:
        print(f"以上文件的格式与 xxgk new 不同；运行 xxgk normalise --base {args.base} 改写后提交", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
