"""HTML bodies (saved pages, .html files, .docx through mammoth) → clean Markdown, and what looks injected.

Injected text is what tampered government pages carry (seed 001's “欧博abg”): gambling and casino
terms, text hidden from readers but not from search engines, links to outside hosts. It is
reported, never silently kept: spam hidden from readers is dropped (and named in the report), terms and
links in sight stay for staff to judge. Hidden without spam is a template's own (shown by a script) and kept.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from markdownify import markdownify

# Terms seen in gambling spam on tampered sites; none occurs in ordinary disclosure text.
SPAM_TERMS = (
    "欧博",
    "百家乐",
    "博彩",
    "赌场",
    "娱乐城",
    "真人视讯",
    "老虎机",
    "六合彩",
    "时时彩",
    "太阳城",
    "威尼斯人",
    "葡京",
    "网赌",
    "彩金",
    "注册送",
    "棋牌游戏",
    "线上娱乐",
    "bet365",
    "亚博体育",
    "开元棋牌",
)
_SPAM = re.compile("|".join(map(re.escape, SPAM_TERMS)), re.IGNORECASE)
# A style that keeps text from readers. `(?<![-\w])` so that `-webkit-text-stroke-width: 0px`, on
# ordinary visible spans of the 政策文件库, is not `width: 0`.
_HIDDEN_STYLE = re.compile(
    r"(?<![-\w])(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|"
    r"(?:left|top|text-indent)\s*:\s*-\d{3,}px|(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$))",
    re.IGNORECASE,
)
_DROP = ("script", "style", "noscript", "iframe", "form", "input", "button", "select", "textarea", "object", "embed")


def parse_html(text: str):
    """A document (or fragment) root with scripts, forms and comments removed."""
    try:
        root = lxml.html.document_fromstring(text or "<p></p>")
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<p></p>")
    for el in root.xpath("//comment() | //processing-instruction()"):
        _remove(el)
    for el in root.iter(*_DROP):
        el.drop_tree() if el.getparent() is not None else None
    return root


def _remove(el) -> None:
    """Drop an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def drop_injected(root) -> list[str]:
    """Remove text hidden the way SEO spam is hidden; return it, so the report can name it.

    Templates hide real content too and show it by script (广东's `<body style="visibility:hidden">`,
    杭州's metadata table, 福建's 有效性): hidden alone is not injected. Hidden *and* carrying gambling
    terms or links to hosts outside government is what tampered pages hold; only that is removed."""
    found = []
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        style = el.get("style") or ""
        if el.get("hidden") is None and not _HIDDEN_STYLE.search(style):
            continue
        text = _squash(el.text_content())
        if text and (spam_terms(text) or outside_hosts(el, ())):
            found.append(text)
            _remove(el)
    return found


def outside_hosts(root, allowed: tuple[str, ...]) -> list[str]:
    """Hosts of absolute links in the body, except government hosts and the mapping's allowed ones."""
    hosts = []
    for el in root.iter("a"):
        href = (el.get("href") or "").strip()
        parts = urlsplit(href)
        host = (parts.hostname or "").lower()
        if parts.scheme in ("http", "https") and host and not _allowed(host, allowed) and host not in hosts:
            hosts.append(host)
    return hosts


def _allowed(host: str, allowed: tuple[str, ...]) -> bool:
    return host.endswith(".gov.cn") or any(host == a or host.endswith("." + a) for a in allowed)


def spam_terms(text: str) -> list[str]:
    return sorted({m.group().lower() for m in _SPAM.finditer(text)})


def to_markdown(el) -> str:
    """The element's content as Markdown: ATX headings, tables kept, empty paragraphs dropped."""
    html = etree.tostring(el, encoding="unicode", method="html")
    text = markdownify(html, heading_style="ATX", bullets="-", strip=["span", "font"], escape_underscores=False)
    lines = []
    for line in text.replace("\xa0", " ").splitlines():
        line = line.rstrip()
        # four leading spaces would make a code block; Chinese paragraphs indent with 　　, kept
        if not re.match(r"\s*(?:[-*+]|\d+\.)\s", line):
            line = line.lstrip(" \t")
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def plain_text(el) -> str:
    return _squash(el.text_content())


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
