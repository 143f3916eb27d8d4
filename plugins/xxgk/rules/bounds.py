"""Bodies a renderer can finish: Python-Markdown nests by recursion and re-walks each level,
so a list or quotation nested hundreds deep costs minutes and gigabytes, then a
RecursionError. A body is limited in size and in nesting (indentation and `>` markers), and
each excess is E173 at its line, before the build renders anything. (The other quadratic
path, a run of unmatched `[`, is removed where it is: adapter/mdlinear.py.)
"""

from __future__ import annotations

import re

from xxgk.core.model import Item, Page, Problem
from xxgk.rules.base import Context

MAX_BODY_CHARS = 2_000_000  # about 1,000 printed pages; a longer text goes in an attachment
MAX_INDENT = 64  # columns of leading white space: 16 list levels at Python-Markdown's 4 spaces
MAX_QUOTES = 16  # `>` markers opening one line

_LEAD_RUN = min(MAX_INDENT, MAX_QUOTES)  # the shortest lead that can exceed either limit
_LEAD = re.compile(r"^[ \t>]{%d,}" % _LEAD_RUN, re.MULTILINE)


def _depths(lead: str) -> tuple[int, int]:
    """(indentation columns, quotation markers) of a line's leading white space and `>`s."""
    return len(lead.replace(">", "").expandtabs(4)), lead.count(">")


def body_problems(doc: Item | Page) -> list[Problem]:
    if len(doc.body) > MAX_BODY_CHARS:
        return [
            Problem(
                doc.path,
                doc.body_line,
                "E173",
                f"正文有 {len(doc.body):,} 个字符，超过上限 {MAX_BODY_CHARS:,}；请把全文作为附件（如 PDF）发布，正文写摘要",
            )
        ]
    if ">" not in doc.body and "\t" not in doc.body and " " * _LEAD_RUN not in doc.body:
        # no lead that long can be there: most bodies, told by three scans in C where the
        # regex over every body took 0.13 s at 20,000 items (issue 35)
        return []
    for m in _LEAD.finditer(doc.body):
        indent, quotes = _depths(m.group())
        if indent > MAX_INDENT or quotes > MAX_QUOTES:
            line = doc.body_line + doc.body.count("\n", 0, m.start())
            return [
                Problem(
                    doc.path,
                    line,
                    "E173",
                    f"正文在此处的列表或引用嵌套过深（缩进 {indent} 格、引用 {quotes} 层，上限 {MAX_INDENT} 格、"
                    f"{MAX_QUOTES} 层）；请减少层级，或把内容改为表格",
                )
            ]
    return []


def bounds(ctx: Context):
    docs: list[Item | Page] = [*ctx.content.items, *ctx.content.page_files]
    for doc in docs:
        yield from body_problems(doc)


RULES = (bounds,)
