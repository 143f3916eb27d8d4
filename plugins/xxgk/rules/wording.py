"""Wording (严重表述错误, a single veto at inspection): retired bodies' names, fixed formulations,
leaders' titles, forbidden terms and common 错别字 in what the public reads — an item's title,
summary and body, judged by the item's own 发布日期, and ordinary pages as of the build's day.
The matching is core/wording.py; this family turns its findings into problems at their lines
and honours the 用语放行 comments staff write where a text is right (a quotation)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from functools import cache, partial

from xxgk.core import wording
from xxgk.core.model import Problem
from xxgk.rules.base import Context

ITEM_TEXTS = ("title", "summary")  # front-matter values the public reads as text, besides the body


def _lazily(ctx: Context) -> tuple[Callable[[], wording.Scanner], str]:
    """The lists' scanner, made when a file is first scanned, and the lists' digest (a kept
    finding's input): a rebuild that keeps every file's findings scans nothing, and making the
    scanner (the pinyin table, the expression) is 0.15 s at 20,000 items."""
    lists = hashlib.sha256(repr(ctx.content.wording).encode("utf-8")).hexdigest()
    return cache(partial(wording.Scanner, ctx.content.wording)), lists


def wording_of_items(ctx: Context) -> Iterator[Problem]:
    scanner, lists = _lazily(ctx)
    for item in ctx.content.items:
        day = item.published or ctx.opts.as_of_date()
        texts = [(getattr(item, key) or "", item.line_of(key)) for key in ITEM_TEXTS]
        found: partial[list[Problem]] = partial(
            list, _file(item.path, day, texts, item.body, item.body_line, scanner)
        )  # run if not kept
        yield from ctx.of_item("wording", item, found, day, lists)


def wording_of_pages(ctx: Context) -> Iterator[Problem]:
    day = ctx.opts.as_of_date()  # an ordinary page says how things are now
    scanner, lists = _lazily(ctx)
    for page in ctx.content.page_files:
        title = page.meta.get("title")
        texts = [(title, page.line_of("title"))] if isinstance(title, str) else []
        found: partial[list[Problem]] = partial(list, _file(page.path, day, texts, page.body, page.body_line, scanner))
        yield from ctx.of_item("wording", page, found, day, lists)


def _file(
    path: str,
    day: dt.date,
    texts: list[tuple[str, int]],
    body: str,
    body_line: int,
    scanner: Callable[[], wording.Scanner],
) -> Iterator[Problem]:
    """The findings of one file: its front-matter texts and its body (comments blanked)."""
    accepted, malformed = wording.acceptances(body)
    for at in malformed:
        yield Problem(
            path,
            body_line + body.count("\n", 0, at),
            "E511",
            "用语放行标记应写成 <!-- 用语放行：原文｜理由：为何此处原文无误 -->，理由必填",
        )
    used: set[str] = set()
    for text, first_line in [*texts, (wording.without_acceptances(body), body_line)]:
        for f in scanner().find(text, day):
            if any(a.text == f.found for a in accepted):
                used.add(f.found)
                continue
            yield Problem(
                path,
                first_line + text.count("\n", 0, f.start),
                f.code,
                f"{f.message}；若此处原文无误，在正文中写 <!-- 用语放行：{f.found}｜理由：… -->",
            )
    for a in accepted:
        if a.text not in used:
            yield Problem(
                path,
                body_line + body.count("\n", 0, a.start),
                "W521",
                f"用语放行“{a.text}”没有对应的用语问题：原文已改过，请删除这条放行标记",
            )


RULES = (wording_of_items, wording_of_pages)
