"""A Markdown extension (`xxgk.adapter.mdlinear`, added to every build by the plugin) that
takes work out of Python-Markdown's inline parsing and leaves its HTML as it was.

- Links and images in linear time. The link processors find the `]` closing a `[` by
  scanning forward (`LinkInlineProcessor.getText`), to the end of the text when there is
  none: a body of 20,000 `[` cost 20,000 scans of up to 20,000 characters (52 s; issue 30).
  Here the closing bracket of every `[` in a text is found in one pass and remembered for
  that text, so each lookup is a dictionary read. The result is the one getText gives.
- Inline patterns tried only where they can match (issue 35). For every text of a page the
  inline step tries each of its fifteen patterns in turn, a Python call each that sets up a
  `finditer`; a paragraph of Chinese prose matches none of them, and those calls were the
  largest single part of rendering (a fifth of Markdown's time at 2,000 realistic items).
  QuickInline first asks the pattern's own regular expression, in C, whether it finds
  anything from where the step would look, and moves on when it does not: what the step
  itself does when `finditer` finds nothing. Patterns that choose their expression at run
  time (an overridden getCompiledRegExp) and old-style patterns are tried as before.
"""

from __future__ import annotations

import types

from markdown import Extension, util
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import InlineProcessor

NAME = "xxgk.adapter.mdlinear"
INLINE_PRIORITY = 20  # the inline step's, as Markdown registers it (treeprocessors.build_treeprocessors)


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


def _search(pattern):
    """The pattern's `search`, when the inline step matches with that expression alone."""
    fixed = isinstance(pattern, InlinePattern) and type(pattern).getCompiledRegExp is InlinePattern.getCompiledRegExp
    return pattern.compiled_re.search if fixed else None


class QuickInline(InlineProcessor):
    """Python-Markdown's inline step (treeprocessors.InlineProcessor, Markdown 3.x), whose
    loop over the patterns skips one whose expression finds nothing in the text."""

    def run(self, tree, ancestors=None):
        self._xx_patterns = [(p, _search(p)) for p in self.inlinePatterns]  # the step's order
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # InlineProcessor.__handleInline (a name-mangled method), with the skip
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern
        patterns = self._xx_patterns
        start = 0
        while patternIndex < len(patterns):
            pattern, search = patterns[patternIndex]
            if search is not None and search(data, start) is None:
                # __applyPattern would return (data, False, 0): nothing matched
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class LinearLinks(Extension):
    def extendMarkdown(self, md) -> None:
        for processor in md.inlinePatterns:
            if isinstance(processor, LinkInlineProcessor):
                processor.getText = types.MethodType(_get_text, processor)
        if type(md.treeprocessors["inline"]) is InlineProcessor:  # not when another extension replaced it
            md.treeprocessors.register(QuickInline(md), "inline", INLINE_PRIORITY)


def makeExtension(**kwargs) -> LinearLinks:
    return LinearLinks(**kwargs)
