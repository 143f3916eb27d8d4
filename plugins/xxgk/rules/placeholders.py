"""E180: nothing `xxgk init` left for staff to fill in is ever published. The marker 【待填写 (as
in 【待填写】 and 【待填写：咨询电话】) in an item, an ordinary page, a catalog file or mkdocs.yml
stops the build at its line. YAML comments are not published, so a marker there is left alone
(init's mkdocs.yml explains the optional keys in comments that carry it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from xxgk.core.model import Item, Page, Problem
from xxgk.rules.base import Context

MARKER = "【待填写"  # what every placeholder of onboard/templates/ begins with
_COMMENT = re.compile(r"(?:^|\s)#")

HOW = "请按本机关实际填写后删除该标记（grep -rn 待填写 . 列出全部）；占位符不得发布"


def _has_marker(value: object) -> bool:
    """Text, or a list or mapping holding text; dates and numbers cannot hold it (and are many)."""
    if isinstance(value, str):
        return MARKER in value
    return isinstance(value, (list, dict)) and MARKER in str(value)


def _in_source(doc: Item | Page) -> Iterator[Problem]:
    for key, value in doc.meta.items():
        if _has_marker(value):
            yield Problem(doc.path, doc.line_of(key), "E180", f"{key} 仍是占位符“{_around(str(value))}”；{HOW}")
    if MARKER in doc.body:
        for number, line in enumerate(doc.body.splitlines()):
            if MARKER in line:
                yield Problem(doc.path, doc.body_line + number, "E180", f"正文仍有占位符“{_around(line)}”；{HOW}")


def _in_yaml(path: Path, shown: str) -> Iterator[Problem]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # the loader names an unreadable file
    if MARKER not in text:
        return
    for number, line in enumerate(text.splitlines(), 1):
        written = _COMMENT.split(line, maxsplit=1)[0]
        if MARKER in written:
            yield Problem(shown, number, "E180", f"仍有占位符“{_around(written)}”；{HOW}")


def _around(text: str) -> str:
    """The placeholder and a few characters either side, for the message."""
    at = text.index(MARKER)
    end = text.find("】", at)
    end = len(text) if end < 0 else end + 1
    return text[max(0, at - 8) : min(len(text), end + 8)].strip()


def placeholders(ctx: Context) -> Iterator[Problem]:
    docs: list[Item | Page] = [*ctx.content.items, *ctx.content.page_files]
    for doc in docs:
        yield from _in_source(doc)
    catalog = ctx.opts.catalog_path
    for path in sorted(catalog.glob("*.yml")) if catalog.is_dir() else []:
        yield from _in_yaml(path, Path(ctx.opts.catalog_dir, path.name).as_posix())
    yield from _in_yaml(ctx.opts.root / "mkdocs.yml", "mkdocs.yml")


RULES = (placeholders,)
