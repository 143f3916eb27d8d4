"""The publish gate: every file under docs_dir that MkDocs would publish is named here as
an item, an ordinary page or a file of an allowed kind (attachments, images). Anything
else is a problem, never a silent copy: another Markdown extension (.markdown …), a kind
the site does not serve (.html, .js, .svg, .txt …), and any symbolic link.

Symbolic links are refused under docs_dir and catalog_dir, whether they lead outside the
repository or not: what was reviewed in content/ is then exactly what is published, a
link's target can change without a change under content/, and Git on Windows checks
links out as small text files. Hidden files and the top-level templates/ folder are
skipped, as MkDocs skips them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.core import placement
from xxgk.core.model import Problem
from xxgk.core.options import Options

# What MkDocs reads as Markdown (mkdocs.utils.markdown_extensions): only .md is ours.
MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
IMAGES = frozenset({"png", "jpg", "jpeg", "gif", "webp"})  # raster only: an SVG can carry script
MEDIA = frozenset({"mp4", "webm", "mp3", "m4a", "vtt"})  # 视频、音频解读 and their WebVTT captions


@dataclass
class Listing:
    items: list[str] = field(default_factory=list)  # item files, relative to docs_dir
    pages: list[str] = field(default_factory=list)  # ordinary pages
    files: list[str] = field(default_factory=list)  # attachments and images
    problems: list[Problem] = field(default_factory=list)


def allowed_kinds(opts: Options) -> frozenset[str]:
    return IMAGES | MEDIA | {t.lower().lstrip(".") for t in opts.attachment_types}


def _shown(opts: Options, path: Path) -> str:
    """As staff see it: relative to the repository (the link itself, not where it leads)."""
    return Path(os.path.relpath(path, opts.root)).as_posix()


def _link_problem(opts: Options, path: Path) -> Problem:
    shown = _shown(opts, path)
    target = os.readlink(path)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        resolved = None
    if resolved is None:
        where = f"指向 {target}，链接形成循环"
    else:
        try:
            resolved.relative_to(opts.root.resolve())
            where = f"指向 {target}"
        except ValueError:
            where = f"指向仓库之外的 {resolved}"
    return Problem(
        shown,
        1,
        "E155",
        f"{shown} 是符号链接（{where}）；内容和目录文件夹中不接受链接，请删除该链接，把文件本身放在这里并提交",
    )


def walk(top: Path):
    """(relative folder, file names, symlinks) under `top` in sorted order, without following
    links and without the entries MkDocs skips."""
    stack = [Path()]
    while stack:
        rel = stack.pop()
        files, links, folders = [], [], []
        try:
            entries = sorted(os.scandir(top / rel), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or (not rel.parts and entry.name == "templates" and entry.is_dir()):
                continue
            if entry.is_symlink():
                links.append(entry.name)
            elif entry.is_dir():
                folders.append(rel / entry.name)
            else:
                files.append(entry.name)
        yield rel, files, links
        stack.extend(reversed(folders))


def list_docs(opts: Options) -> Listing:
    listing = Listing()
    docs = opts.docs_path
    kinds = allowed_kinds(opts)
    items_prefix = opts.items_dir.strip("/") + "/"
    for rel, files, links in walk(docs):
        folder = rel.as_posix()
        listing.problems += [_link_problem(opts, docs / rel / name) for name in links]
        for name in files:
            src_uri = f"{folder}/{name}" if folder != "." else name
            ext = os.path.splitext(name)[1].lower()
            if name.endswith(".md"):  # as MkDocs tells Markdown: .MD would be copied as it is
                (listing.items if src_uri.startswith(items_prefix) else listing.pages).append(src_uri)
            elif ext in MARKDOWN:
                listing.problems.append(
                    Problem(
                        _shown(opts, docs / src_uri),
                        1,
                        "E156",
                        f"Markdown 文件须以 .md 结尾，{ext} 不会被检查；请把文件改名为 {Path(name).stem}.md",
                    )
                )
            elif ext.lstrip(".") in kinds:
                listing.files.append(src_uri)
            else:
                listing.problems.append(
                    Problem(
                        _shown(opts, docs / src_uri),
                        1,
                        "E157",
                        f"不发布类型为“{ext.lstrip('.') or '无扩展名'}”的文件；内容文件夹中只能放 .md 页面、"
                        f"附件（{'、'.join(sorted(kinds - IMAGES))}）和图片（{'、'.join(sorted(IMAGES))}）。"
                        "请删除该文件，或转换为允许的格式",
                    )
                )
    listing.problems += placement.check(lambda src_uri: _shown(opts, docs / src_uri), listing.pages, listing.files)
    for rel, _, links in walk(opts.catalog_path):
        listing.problems += [_link_problem(opts, opts.catalog_path / rel / name) for name in links]
    return listing
