"""Attachment checks: each `attachments` entry exists, stays in the item's folder,
has an allowed type and is under the size limit (options attachment_types, attachment_max_mb)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from xxgk.core.model import Attachment, Item, Problem
from xxgk.rules.base import Context


def resolve(ctx: Context, item: Item, att: Attachment) -> tuple[Path | None, str]:
    """(the file, its path as staff see it); the file is None when the entry points outside
    the content folder (absolute, `..`, or a symlink leading out) — attachment_files says so.
    Worked out once a check (Context.attachments)."""
    key = (item.path, att.file)
    if key not in ctx.attachments:
        ctx.attachments[key] = _resolve(ctx, item, att)
    return ctx.attachments[key]


def _resolve(ctx: Context, item: Item, att: Attachment) -> tuple[Path | None, str]:
    rel = PurePosixPath(att.file)
    folder = PurePosixPath(item.path).parent
    shown = (folder / rel).as_posix() if not rel.is_absolute() else att.file
    if rel.is_absolute() or ".." in rel.parts or "\\" in att.file or ":" in att.file:
        return None, shown
    path = ctx.opts.docs_path / PurePosixPath(item.src_uri).parent / rel
    try:
        path.resolve().relative_to(ctx.docs_root)
    except ValueError:
        return None, shown
    return path, shown


def attachment_files(ctx: Context):
    types = {t.lower().lstrip(".") for t in ctx.opts.attachment_types}
    limit = ctx.opts.attachment_max_mb * 1024 * 1024
    for item in ctx.content.items:
        for att in item.attachments:
            path, shown = resolve(ctx, item, att)
            line = att.line or item.line_of("attachments")
            if path is None:
                yield Problem(
                    item.path,
                    line,
                    "E150",
                    f"附件路径“{att.file}”指向条目文件夹之外（绝对路径、..、反斜杠或链接到外部）；"
                    "请把附件放在条目旁的 files/ 文件夹中，写成 files/文件名",
                )
                continue
            if not path.is_file():
                yield Problem(
                    item.path, line, "E151", f"附件 {shown} 不存在；请核对文件名（区分大小写），或把文件放到该位置"
                )
                continue
            # After the last dot, even for a name that is only an extension (".pdf"): Path.suffix
            # calls that a hidden file without one, and a real PDF was reported as 无扩展名.
            ext = path.name.rpartition(".")[2].lower() if "." in path.name else ""
            if ext not in types:
                yield Problem(
                    item.path,
                    line,
                    "E152",
                    f"附件 {shown} 的类型“{ext or '无扩展名'}”不在允许的类型中"
                    f"（{'、'.join(sorted(types))}）；请转换为允许的格式，如 PDF",
                )
            size = path.stat().st_size
            if size > limit:
                yield Problem(
                    item.path,
                    line,
                    "E153",
                    f"附件 {shown} 大小 {size / 1024 / 1024:.1f} MB，超过上限 "
                    f"{ctx.opts.attachment_max_mb} MB；请压缩或拆分后再上传",
                )


def unlisted_files(ctx: Context):
    """attachment_max_mb holds for every file the site publishes: one no item lists is
    published all the same (issue 30)."""
    attached = set()
    for item in ctx.content.items:
        for att in item.attachments:
            path, _ = resolve(ctx, item, att)
            if path is not None:
                attached.add(path.resolve())
    limit = ctx.opts.attachment_max_mb * 1024 * 1024
    for src_uri in ctx.content.files:
        path = ctx.opts.docs_path / src_uri
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if size > limit and path.resolve() not in attached:
            yield Problem(
                f"{ctx.opts.docs_dir}/{src_uri}",
                1,
                "E153",
                f"{ctx.opts.docs_dir}/{src_uri} 大小 {size / 1024 / 1024:.1f} MB，超过上限 "
                f"{ctx.opts.attachment_max_mb} MB；内容文件夹中的每个文件都会发布，请压缩或拆分",
            )


RULES = (attachment_files, unlisted_files)
