"""xxgk codeowners: write CODEOWNERS from catalog/departments.yml — each department's item
folders (content/items/*/<id>/) are owned by its `reviewers`, so the forge asks them to review."""

from __future__ import annotations

import sys
from pathlib import Path

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, add_site_dir, load_options
from xxgk.core.load import load_departments

TARGET = ".github/CODEOWNERS"
PLACES = (TARGET, ".gitlab/CODEOWNERS", ".gitea/CODEOWNERS")  # where GitHub, GitLab and Gitea read it
HEADER = (
    "# 由 xxgk codeowners 根据 catalog/departments.yml 生成，请勿手工修改；\n"
    "# 调整审核人请改 departments.yml 的 reviewers，再运行 xxgk codeowners。\n"
)


def register(sub) -> None:
    p = sub.add_parser("codeowners", help=f"根据 departments.yml 的 reviewers 生成 {TARGET}")
    add_site_dir(p)
    p.add_argument("--check", action="store_true", help="只检查是否需要重新生成（CI 用），不写文件")
    p.set_defaults(func=run)


def codeowners(opts, departments) -> str:
    base = f"/{opts.items_folder}"
    lines = [f"{base}/*/{d.id}/ {' '.join(d.reviewers)}" for d in departments.values() if d.reviewers]
    return HEADER + "\n".join(lines) + "\n"


def target_of(root: Path) -> str:
    """The CODEOWNERS this repository has, else the one its forge's folder calls for."""
    for place in PLACES:
        if (root / place).is_file():
            return place
    return next((p for p in PLACES if (root / p).parent.is_dir()), TARGET)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    problems: list = []
    shown = f"{opts.catalog_dir}/departments.yml"
    departments = load_departments(opts.catalog_path / "departments.yml", shown, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_PROBLEMS
    for d in departments.values():
        if not d.reviewers:
            print(
                f"{shown}:{d.line}: 发布机构 {d.id} 没有 reviewers，其条目无指定审核人；"
                '请补上代码托管平台的账号或团队，如 ["@org/team"]',
                file=sys.stderr,
            )
    text = codeowners(opts, departments)
    shown_target = target_of(opts.root)
    target = opts.root / shown_target
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if args.check:
        if current != text:
            print(f"{shown_target} 与 departments.yml 不一致；请运行 xxgk codeowners 后提交", file=sys.stderr)
            return EXIT_PROBLEMS
        return EXIT_OK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(shown_target)
    return EXIT_OK
