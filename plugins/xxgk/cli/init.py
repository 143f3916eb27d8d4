"""xxgk init: a new site repository for one agency, ready to build and check."""

from __future__ import annotations

import difflib
import sys
from dataclasses import replace
from pathlib import Path

from xxgk.cli.codeowners import codeowners, target_of
from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from xxgk.core.load import load_departments
from xxgk.core.options import OptionsError, read_mkdocs_yml
from xxgk.onboard.new_site import FORGES, KINDS, Answers, InitError, occupied, plan, recorded, updates, write


def register(sub) -> None:
    p = sub.add_parser("init", help="新建站点仓库：主动公开基本目录、发布机构、指南和制度草稿、CI 配置")
    p.add_argument("dir", metavar="DIR", help="新站点的文件夹（不存在或为空）")
    p.add_argument("--agency", help="机关名称，如 云溪市河西区人民政府（新建时必填）")
    p.add_argument("--org-code", help="统一社会信用代码（18位）或组织机构代码（9位），索引号以它开头（新建时必填）")
    p.add_argument(
        "--kind",
        choices=tuple(KINDS),
        help="机关类型：city 设区的市政府（有规章栏目）、county 县（区）政府、department 政府部门、township 乡镇（街道）（新建时必填）",
    )
    p.add_argument("--forge", choices=FORGES, default="github", help="代码托管平台（决定 CI 配置），默认 github")
    p.add_argument("--id", dest="publisher_id", default="", help="本机关的发布机构 id（小写英文），默认按机关类型")
    p.add_argument("--force", action="store_true", help="文件夹不为空时仍然写入（同名文件会被覆盖，其他文件不动）")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--xxgk-wheel", metavar="WHL", help="xxgk 的安装包（.whl）：复制到站点的 vendor/，按校验和安装")
    src.add_argument(
        "--xxgk-git", metavar="URL", help="xxgk 的 Git 地址，固定到提交：git+https://…/xxgk.git@40位提交号"
    )
    src.add_argument(
        "--xxgk-index",
        metavar="URL",
        help="本机关的软件包源（只用它，不再问 PyPI），如 https://pypi.example.gov.cn/simple/",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="已有站点：按 xxgk-init.yml 用本版本的模板重新生成，显示差异（内容、目录、mkdocs.yml 不动）；加 --apply 写入",
    )
    p.add_argument("--apply", action="store_true", help="与 --update 同用：写入显示的差异")
    p.set_defaults(func=run)


def run(args) -> int:
    target = Path(args.dir)
    if args.update:
        return _update(target, args)
    missing = [
        flag
        for flag, value in (("--agency", args.agency), ("--org-code", args.org_code), ("--kind", args.kind))
        if not value
    ]
    if missing:
        print(f"xxgk init: 新建站点须给出 {'、'.join(missing)}（已有站点升级模板用 --update）", file=sys.stderr)
        return EXIT_USAGE
    try:
        wheel = Path(args.xxgk_wheel) if args.xxgk_wheel else None
        if wheel is not None and not (wheel.is_file() and wheel.suffix == ".whl"):
            raise InitError(
                f"找不到 xxgk 安装包 {wheel}（应为 .whl 文件，在 xxgk 仓库中用 pip wheel --no-deps . 生成）"
            )
        source = args.xxgk_git or args.xxgk_index or ""
        answers = Answers(args.agency, args.org_code, args.kind, args.forge, args.publisher_id, source).check()
        files = plan(answers, wheel)
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
    print(f"  cd {target} && git init -b main && scripts/build", file=sys.stderr)
    if not (args.xxgk_wheel or args.xxgk_git or args.xxgk_index):
        print("  注意：未指定从哪里安装 xxgk（--xxgk-wheel、--xxgk-git 或 --xxgk-index），见 xxgk.txt", file=sys.stderr)
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


def _update(target: Path, args) -> int:
    """The template files this xxgk would write for the recorded answers, as a diff to review;
    written with --apply. The agency's own files (content, catalog, mkdocs.yml) are not touched."""
    try:
        answers = recorded(target)
        if args.xxgk_git or args.xxgk_index:
            answers = replace(answers, xxgk=args.xxgk_git or args.xxgk_index)
        wheel = Path(args.xxgk_wheel) if args.xxgk_wheel else None
        if wheel is None and answers.xxgk.startswith("vendor/") and not (args.xxgk_git or args.xxgk_index):
            wheel = target / answers.xxgk  # the wheel the site carries, unless a new one is given
        changes = updates(target, plan(answers, wheel))
    except InitError as exc:
        print(f"xxgk init --update: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for rel, old, new in changes:
        if rel.endswith(".whl") or b"\0" in new:
            print(f"二进制文件 {rel}：{'新增' if old is None else '更新'}")
            continue
        before = (old or b"").decode("utf-8", "replace").splitlines(keepends=True)
        after = new.decode("utf-8").splitlines(keepends=True)
        sys.stdout.writelines(difflib.unified_diff(before, after, f"a/{rel}", f"b/{rel}"))
    if not changes:
        print("模板文件已是本版本的，无需更新", file=sys.stderr)
    elif args.apply:
        write(target, {rel: new for rel, _, new in changes})
        print(f"已写入 {len(changes)} 个文件；用 git diff 审阅后提交", file=sys.stderr)
    else:
        print(f"以上 {len(changes)} 个文件与本版本的模板不同；确认后加 --apply 写入", file=sys.stderr)
    return EXIT_OK
