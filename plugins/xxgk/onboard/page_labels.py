"""`标签：值` pairs on a saved page, in the shapes real templates use.

A page is read as a stream of text runs, each run remembering how many element boundaries
that are not inline (`td`, `li`, `div`, `p` …) stand between it and the run before. A label is
a known name (`headers.py`, plus the mapping's `columns`), its characters spaced by any Unicode
space (`索&ensp;引&ensp;号`, `时&nbsp;效&nbsp;性`), ending in a colon, in `】`/`]` (`[发文机构] 值`),
or standing alone in its element (`<dt>索引号</dt>`). Its value is what follows, up to the next
label or the end of the block the value started in; it may sit in the next element or the next
cell (`<li>索 引 号：</li><li>值</li>`, `<h1>索引号：</h1><p>值</p>`), but not further away than a
neighbouring cell, so an empty label does not take the title or the body as its value. A label
in the element after the value (`…14号</span><span><strong>发布日期：`) ends that value.

The first non-empty value of a field wins: metadata blocks come before the text on every template
seen, and a label the body happens to contain later does not overwrite them.
"""

from __future__ import annotations

import functools
import re

from xxgk.onboard.headers import FIELD_OF, OTHER_LABELS, label_key

# elements that do not break a line: their text runs on with the text around them
INLINE = frozenset(
    "a abbr b big cite code del em font i ins kbd label mark nobr q s small span strike strong sub sup tt u var".split()
)
SPACE = "[ \t\u00a0\u2000-\u200b\u3000\x1f]"  # the spaces labels are padded with, and the run boundary
NEAR = 3  # element boundaries a value may sit away from its label: </td><td>, </li><li>, </h1><p>
# fields whose label may stand alone, without colon or bracket: specific enough not to be a word in a sentence
LONGEST = {"title": 300, "summary": 3000, "keywords": 300}
WEAK = {
    "名称",
    "日期",
    "主题",
    "类别",
    "栏目",
    "简介",
    "概述",
    "摘要",
    "效力",
    "题名",
    "作者",
    "编辑",
    "内容",
    "时效",
    "文件",
}


def runs(root) -> str:
    """The page as one string: text runs joined by \\x1f (an inline boundary) or by one \\n per
    block boundary between them (two for `</td><td>`)."""
    parts: list[str] = []
    breaks = 0

    def emit(text: str | None) -> None:
        nonlocal breaks
        if text and text.strip():
            parts.append("\n" * min(breaks, 9) if breaks else "\x1f")
            parts.append(text.replace("\n", " ").replace("\r", " "))
            breaks = 0

    def walk(node) -> None:
        nonlocal breaks
        if not isinstance(node.tag, str):
            return
        block = node.tag not in INLINE
        breaks += block
        emit(node.text)
        for child in node:
            walk(child)
            emit(child.tail)
        breaks += block

    walk(root)
    return "".join(parts)


@functools.lru_cache(maxsize=16)
def pattern(extra: tuple[str, ...] = ()) -> re.Pattern:
    """Every label: the field names, the mapping's own labels (`extra`) and the labels that end
    a value without carrying a field (来源, 浏览次数 …)."""
    names = {*FIELD_OF, *OTHER_LABELS, *extra} - {"正文", "正文内容", "内容", "全文", "附件", "文件", "正文文件"}
    spaced = (f"{SPACE}*".join(map(re.escape, label_key(n))) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        r"(?:(?P<open>[【\[［])" + SPACE + r"*)?(?P<name>" + "|".join(spaced) + r")" + SPACE + r"*"
        r"(?(open)[】\]］]" + SPACE + r"*[:：]?|(?P<colon>[:：])?)"
    )


def read_labels(text: str, columns: dict[str, str]) -> dict[str, str]:
    """field → value, from the run string of `runs`. `columns` maps a page's own label to a field."""
    own = {label_key(k): v for k, v in columns.items()}
    found = [m for m in pattern(tuple(sorted(own))).finditer(text) if _is_label(text, m)]
    values: dict[str, str] = {}
    for m, nxt in zip(found, [*found[1:], None]):
        key = label_key(m.group("name"))
        name = own.get(key) or FIELD_OF.get(key)
        if not name or values.get(name):
            continue
        value = _value(text[m.end() : nxt.start() if nxt else len(text)])
        if value and len(value) <= LONGEST.get(name, 120):
            values[name] = value
    return values


def labels_in(text: str) -> list[str]:
    """The labels in a run string, as their keys (`索引号`)."""
    return [label_key(m.group("name")) for m in pattern().finditer(text) if _is_label(text, m)]


def _is_label(text: str, m: re.Match) -> bool:
    """A label starts a run or follows a space or punctuation (`文件编号` inside `规范性文件编号：` is
    not one). A label with neither colon nor bracket must fill its run and not be a common word."""
    before = text[m.start() - 1] if m.start() else "\n"
    starts_run = before in "\n\x1f" or not re.match(r"[\u4e00-\u9fffA-Za-z0-9]", before)
    key = label_key(m.group("name"))
    if m.group("open") or m.group("colon"):
        return starts_run
    after = text[m.end()] if m.end() < len(text) else "\n"
    return before in "\n\x1f" and after in "\n\x1f" and key not in WEAK


def _value(rest: str) -> str:
    """The value after a label: the next text at most NEAR boundaries away, to the end of its block."""
    lead = re.match(r"[\s\x1f]*", rest)
    gap = lead.group().count("\n") if lead else 0
    if gap > NEAR:
        return ""
    start = lead.end() if lead else 0
    end = rest.find("\n", start)
    value = rest[start : end if end >= 0 else len(rest)]
    return re.sub(r"\s+", " ", value.replace("\x1f", "")).strip(" \u3000\xa0")
