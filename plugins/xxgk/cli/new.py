"""xxgk new: create a correctly filled item file from a few answers (flags, or prompts in a terminal)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, date_arg, load_options
from xxgk.core.fields import DOC_TYPES, INTERPRETATION_FORMS
from xxgk.core.load import load_content
from xxgk.core.scaffold import ScaffoldError, consultation_default, default_slug, item_path, item_text, next_index_no

SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
REQUIRED = (
    ("publisher", "--publisher", "发布机构"),
    ("category", "--category", "目录分类"),
    ("doc_type", "--doc-type", "文件类型"),
    ("title", "--title", "标题"),
)


class Usage(Exception):
    """A wrong or missing answer; exit 2 with the message."""


def register(sub) -> None:
    p = sub.add_parser("new", help="新建信息条目：自动分配索引号、放到正确的文件夹")
    add_site_dir(p)
    p.add_argument("--publisher", help="发布机构 id（catalog/departments.yml）")
    p.add_argument("--category", help="目录分类 id（catalog/catalog.yml）")
    p.add_argument("--doc-type", help="文件类型：" + "、".join(DOC_TYPES))
    p.add_argument("--title", help="标题")
    p.add_argument("--published", type=date_arg, help="发布日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--written", type=date_arg, help="成文日期 YYYY-MM-DD")
    p.add_argument("--doc-no", help="发文字号，如 云政规〔2026〕1号")
    p.add_argument("--summary", help="内容概述")
    p.add_argument("--topic", action="append", default=[], help="主题分类（可重复）")
    p.add_argument(
        "--interprets", action="append", default=[], help="政策解读所解读文件：索引号或条目文件路径（可重复）"
    )
    p.add_argument("--form", choices=INTERPRETATION_FORMS, help="解读形式（政策解读）")
    p.add_argument("--index-no", help="直接指定索引号（仅当无法自动推算时使用）")
    p.add_argument("--slug", help="文件名（不含 .md，英文字母、数字、-），默认取索引号的序号部分")
    p.set_defaults(func=run)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    content = load_content(opts)
    try:
        if sys.stdin.isatty():
            _ask(args, content)
        path, meta = _plan(args, opts, content)
    except Usage as exc:
        print(f"xxgk new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": never overwrite an existing file
            out.write(item_text(meta))
    except FileExistsError:
        print(f"xxgk new: 文件 {_shown(path, opts)} 已存在，不会覆盖；请用 --slug 另取文件名", file=sys.stderr)
        return EXIT_USAGE
    print(_shown(path, opts))
    print(f"已创建条目，索引号 {meta['index_no']}；请填写正文后运行 xxgk check", file=sys.stderr)
    return EXIT_OK


def _shown(path: Path, opts) -> str:
    return path.relative_to(opts.root).as_posix()


def _ask(args, content) -> None:
    """Prompt for what the flags left out (only in a terminal)."""
    choices = {
        "publisher": "、".join(f"{d.id}（{d.name}）" for d in content.departments.values()),
        "category": "、".join(f"{n.id}（{n.name}）" for n in content.catalog.walk() if not n.children),
        "doc_type": "、".join(DOC_TYPES),
    }
    for key, _flag, label in REQUIRED:
        while not getattr(args, key):
            hint = f"\n可选：{choices[key]}\n" if key in choices else ""
            setattr(args, key, input(f"{hint}{label}：").strip())
    while args.published is None:
        answer = input(f"发布日期 YYYY-MM-DD（回车为今天 {dt.date.today().isoformat()}）：").strip()
        try:
            args.published = date_arg(answer) if answer else dt.date.today()
        except argparse.ArgumentTypeError as exc:
            print(exc, file=sys.stderr)
    while args.doc_type == "政策解读" and not args.interprets:
        answer = input("所解读文件的索引号或文件路径：").strip()
        args.interprets = [answer] if answer else []


def _plan(args, opts, content) -> tuple[Path, dict]:
    missing = [flag for key, flag, _ in REQUIRED if not getattr(args, key)]
    if args.doc_type == "政策解读" and not args.interprets:
        missing.append("--interprets")
    if missing:
        raise Usage(f"缺少 {' '.join(missing)}（不在终端中运行时须用参数给出）；运行 xxgk new --help 查看说明")
    dep = content.departments.get(args.publisher)
    if dep is None:
        raise Usage(f"发布机构 {args.publisher} 不在 departments.yml 中；可用：{'、'.join(content.departments)}")
    nodes = {n.id for n in content.catalog.walk()}
    if args.category not in nodes:
        raise Usage(f"目录分类 {args.category} 不在 catalog.yml 中；请用目录节点的 id")
    if args.doc_type not in DOC_TYPES:
        raise Usage(f"文件类型“{args.doc_type}”不可用；可用：{'、'.join(DOC_TYPES)}")
    published = args.published or dt.date.today()
    existing = [i.index_no for i in content.items if i.index_no]
    if args.index_no:
        if args.index_no in existing:
            raise Usage(f"索引号 {args.index_no} 已被使用；索引号全站唯一")
        index_no = args.index_no
    else:
        try:
            index_no = next_index_no(opts.index_no_re, dep.org_code, published.year, existing)
        except ScaffoldError as exc:
            raise Usage(str(exc)) from None
    slug = args.slug or default_slug(index_no)
    if not SLUG.fullmatch(slug):
        raise Usage(f"文件名“{slug}”只能用英文字母、数字、-、_；请用 --slug 指定")
    meta = {
        "title": args.title,
        "index_no": index_no,
        "publisher": dep.id,
        "published": published,
        "written": args.written,
        "category": args.category,
        "doc_type": args.doc_type,
        "doc_no": args.doc_no,
        "summary": args.summary,
        "topics": args.topic,
        "interprets": [_target(t, opts, content) for t in args.interprets],
        "interpretation_form": args.form,
    }
    if args.doc_type == "征求意见":
        meta["consultation"] = consultation_default(published)
    try:
        path = item_path(opts, published, dep.id, index_no, slug)
    except ScaffoldError as exc:  # issue 30: an id or slug that is not one safe path segment
        raise Usage(str(exc)) from None
    return path, meta


def _target(value: str, opts, content) -> str:
    """An interpreted document named by index_no, or by the path of its file."""
    by_path = {i.path: i.index_no for i in content.items}
    if value in {i.index_no for i in content.items}:
        return value
    for candidate in (Path(value), opts.root / value):
        try:
            found = by_path.get(candidate.resolve().relative_to(opts.root.resolve()).as_posix())
        except ValueError:  # a path outside the site
            continue
        if found:
            return found
    raise Usage(f"找不到所解读文件“{value}”：请给出本站已有条目的索引号或文件路径")
