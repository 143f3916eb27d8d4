"""W250: a setting that makes every build cost more than it needs to. A site copied from the
demo keeps the demo's `search_shard_items: 30` (small so that 88 items show several shards):
each shard is its own Pagefind run and a full count in the browser reads every shard, so at
4,000 items that setting made 180 shards and cost twice the default's build time (issue 35)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import fields

from xxgk.core.model import Problem
from xxgk.core.options import Options, line_of
from xxgk.rules.base import Context

DEFAULT: int = next(f.default for f in fields(Options) if f.name == "search_shard_items")  # type: ignore[assignment]
SHARD_FLOOR = DEFAULT // 5  # far below the default
SHARDS_NOTICED = 10  # a few small shards (the demo's) cost nothing worth a warning


def small_shards(ctx: Context) -> Iterator[Problem]:
    limit, items = ctx.opts.search_shard_items, len(ctx.rel.items)
    shards = math.ceil(items / limit)  # at least this many: shards are also cut at year boundaries
    if not ctx.opts.search or limit >= SHARD_FLOOR or shards < SHARDS_NOTICED:
        return
    yield Problem(
        "mkdocs.yml",
        line_of(str(ctx.opts.root / "mkdocs.yml"), "search_shard_items"),
        "W250",
        f"search_shard_items 为 {limit}，远小于默认值 {DEFAULT}：{items} 个条目至少分成 {shards} 个搜索分片。"
        f"每个分片单独运行一次 Pagefind，浏览器统计搜索结果总数时也要逐个读取；"
        f"分片越多构建越慢（4,000 个条目每片 30 条时约 180 个分片，构建耗时约为默认设置的 2 倍）",
    )


RULES = (small_shards,)
