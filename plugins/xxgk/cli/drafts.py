"""xxgk drafts --base REV: the 索引号 this branch's new items take must not be held by another open
draft branch (the form's `cms/…` branches on the forge). Two drafts with one 索引号 become one
file when both are merged: the PR check stops the second before that (local mode never lets it
happen: authoring/local.py)."""

from __future__ import annotations

from xxgk.authoring import guard
from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, add_site_dir, load_options, revision_arg
from xxgk.core.model import Problem


def register(sub) -> None:
    p = sub.add_parser("drafts", help="检查本分支新增条目的索引号没有被其他未合并的草稿分支（cms/…）使用")
    add_site_dir(p)
    p.add_argument("--base", required=True, type=revision_arg, help="目标分支，如 origin/main")
    p.add_argument("--refs", default="refs/remotes/origin/cms/", help="草稿分支所在（默认 refs/remotes/origin/cms/）")
    p.set_defaults(func=run)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    repo = opts.root.resolve()
    items = f"{opts.items_folder}/"
    head = guard.rev(repo, "HEAD")
    own = [b for b in guard.draft_branches(repo, args.refs) if guard.rev(repo, b) == head]  # this PR's branch
    held = guard.drafts_index_nos(repo, args.base, items, but=own[0] if own else None, refs=args.refs)
    problems = []
    added = guard.git(repo, "diff", "--name-only", "--diff-filter=A", f"{args.base}...HEAD", "--", items)
    for path in added.stdout.decode().splitlines():
        if not path.endswith(".md"):
            continue
        text = (repo / path).read_text(encoding="utf-8")
        no = guard.index_no_of(text)
        branch = held.get(no or "")
        if branch:
            line = next((n for n, t in enumerate(text.splitlines(), 1) if t.startswith("index_no:")), 1)
            problems.append(
                Problem(path, line, "E010", f"索引号 {no} 也被未合并的草稿分支 {branch} 使用；请改用下一个未用的序号")
            )
    for p in problems:
        print(p)
    return EXIT_PROBLEMS if problems else EXIT_OK
