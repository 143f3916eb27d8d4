"""A Markdown extension (`xxgk.adapter.mdlinear`, added to every build by the plugin) that
makes link and image parsing linear in the body's length.

Python-Markdown's link processors find the `]` closing a `[` by scanning forward
(`LinkInlineProcessor.getText`), to the end of the text when there is none: a body of
20,000 `[` cost 20,000 scans of up to 20,000 characters (52 s; issue 30). Here the closing
bracket of every `[` in a text is found in one pass and remembered for that text, so each
lookup is a dictionary read. The result is the one getText gives (same text, same index).
"""

from __future__ import annotations

import types

from markdown import Extension
from markdown.inlinepatterns import LinkInlineProcessor

NAME = "xxgk.adapter.mdlinear"


def _closers(data: str) -> dict[int, int]:
    """Position of each `[` → position of the `]` that brings its count back to zero."""
    found: dict[int, int] = {}
    open_at: list[int] = []
    for pos, char in enumerate(data):
        if char == "[":
            open_at.append(pos)
        elif char == "]" and open_at:
            found[open_at.pop()] = pos
    return found


def _get_text(self, data: str, index: int) -> tuple[str, int, bool]:
    """getText(data, index) with `index` just after a `[` (as every caller passes it)."""
    memo = getattr(self, "_xx_memo", None)
    if memo is None or memo[0] is not data:
        memo = (data, _closers(data) if "]" in data else {})
        self._xx_memo = memo
    close = memo[1].get(index - 1) if index > 0 and data[index - 1] == "[" else None
    if close is None:
        if index > 0 and data[index - 1] == "[":
            return "", len(data), False  # no closing bracket: callers drop the text
        return LinkInlineProcessor.getText(self, data, index)
    return data[index:close], close + 1, True


class LinearLinks(Extension):
    def extendMarkdown(self, md) -> None:
        for processor in md.inlinePatterns:
            if isinstance(processor, LinkInlineProcessor):
                processor.getText = types.MethodType(_get_text, processor)


def makeExtension(**kwargs) -> LinearLinks:
    return LinearLinks(**kwargs)
