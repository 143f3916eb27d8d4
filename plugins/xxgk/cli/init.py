"""xxgk init: a new site repository for one agency, ready to build and check."""

from __future__ import annotations

import sys
from pathlib import Path

from xxgk.cli.codeowners import codeowners, target_of
from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from xxgk.core.load import load_departments
from xxgk.core.options import OptionsError, read_mkdocs_yml
from xxgk.onboard.new_site import FORGES, KINDS, Answers, InitError, occupied, plan, write


def register(sub) -> None:
    p = sub.add_parser("init", help="新建站点仓库：主动公开基本目录、发布机构、指南和制度草稿、CI 配置")
    p.add_argument("dir", metavar="DIR", help="新站点的文件夹（不存在或为空）")
    p.add_argument("--agency", required=True, help="机关名称，如 云溪市河西区人民政府")
    p.add_argument("--org-code", required=True, help="统一社会信用代码（18位）或组织机构代码（9位），索引号以它开头")
    p.add_argument(
        "--kind",
        required=True,
        choices=tuple(KINDS),
        help="机关类型：city 设区的市政府（有规章栏目）、county 县（区）政府、department 政府部门、township 乡镇（街道）",
    )
    p.add_argument("--forge", choices=FORGES, default="github", help="代码托管平台（决定 CI 配置），默认 github")
    p.add_argument("--id", dest="publisher_id", default="", help="本机关的发布机构 id（小写英文），默认按机关类型")
    p.add_argument("--force", action="store_true", help="文件夹不为空时仍然写入（同名文件会被覆盖，其他文件不动）")
    p.set_defaults(func=run)


def run(args) -> int:
    target = Path(args.dir)
    try:
        answers = Answers(args.agency, args.org_code, args.kind, args.forge, args.publisher_id).check()
        files = plan(answers)
    except InitError as exc:
        print(f"xxgk init: {exc}", file=sys.stderr)
        return EXIT_USAGE
    present = occupied(target)
    if present and not args.force:
        shown = "、".join(present[:5]) + ("等" if len(present) > 5 else "")
        print(
            f"xxgk init: 文件夹 {target} 不为空（{shown}），未写入任何文件；请换一个新文件夹，"
            "或确认要写入时加 --force（同名文件会被覆盖）",
            file=sys.stderr,
        )
        return EXIT_USAGE
    write(target, files)
    if _write_codeowners(target) != EXIT_OK:
        return EXIT_PROBLEMS
    print(f"已在 {target} 生成站点（{len(files) + 1} 个文件）。下一步：", file=sys.stderr)
    print("  grep -rn 待填写 .   # 列出须按本机关实际填写的地方：填写之前构建会停止（E180）", file=sys.stderr)
    print(f"  cd {target} && git init && scripts/build", file=sys.stderr)
    return EXIT_OK


def _write_codeowners(target: Path) -> int:
    """The same text `xxgk codeowners` writes, so `xxgk codeowners --check` passes in CI at once."""
    try:
        opts = read_mkdocs_yml(target)
    except OptionsError as exc:
        print(exc.problem, file=sys.stderr)
        return EXIT_PROBLEMS
    problems: list = []
    departments = load_departments(opts.catalog_path / "departments.yml", "catalog/departments.yml", problems)
    path = target / target_of(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(codeowners(opts, departments), encoding="utf-8")
    return EXIT_OK
