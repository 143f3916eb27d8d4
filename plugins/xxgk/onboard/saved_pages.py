"""A saved detail page of the old site → its metadata, its body without the page chrome, its files.

Layouts differ by site, so nothing depends on one: metadata is read from label/value table
cells, from `dl`, and from `标签：值` runs (labels spaced out as `索 引 号`, full-width colons);
the body is the element a site's editor is known to use (#zoom, .TRS_Editor …) or else the one
holding the most paragraph text; chrome (当前位置, 分享到, 打印本页, 关闭窗口, 字号 大 中 小,
related links) is removed from it by its words and its class names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from xxgk.onboard import html_body as H
from xxgk.onboard.headers import field_of, label_key, labels_pattern
from xxgk.onboard.inside import inside

# where the usual CMSs put the text: #id, .class or a tag name
BODY_SELECTORS = (
    "#zoom",
    ".TRS_Editor",
    "#UCAP-CONTENT",
    ".article-content",
    ".article_con",
    ".xxgk_content",
    ".pages_content",
    ".zwnr",
    ".zw",
    "#content",
    ".content",
    "article",
    "main",
)


def _xpath(selector: str) -> str:
    if selector[0] == "#":
        return f"//*[@id='{selector[1:]}']"
    if selector[0] == ".":
        return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {selector[1:]} ')]"
    return f"//{selector}"


CHROME_WORDS = re.compile(
    r"当前位置|您的位置|现在的位置|分享到|打印本页|【打印】|打印此页|关闭窗口|【关闭】|字号[:：]?\s*[【\[]?\s*大\s*中\s*小|"
    r"相关链接|相关文章|相关阅读|相关信息|上一篇|下一篇|返回顶部|扫一扫|收藏本页"
)
CHROME_CLASS = re.compile(
    r"share|print|close|related|relevant|crumb|position|location|font-?size|zihao|toolbar|"
    r"bdshare|xglj|xgxx|pagenav|prev|next",
    re.IGNORECASE,
)
WEAK_LABELS = {"名称", "日期", "主题", "类别", "栏目", "简介", "概述", "摘要", "效力", "题名", "作者", "编辑"}
CHROME_MAX = 80  # a block longer than this is text, even if it mentions 分享到
BLOCKS = (
    "p",
    "div",
    "li",
    "tr",
    "td",
    "dd",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "table",
    "ul",
    "ol",
    "header",
    "footer",
    "center",
    "blockquote",
    "br",
)
ATTACHMENT_EXT = {
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ofd",
    "wps",
    "zip",
    "rar",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "txt",
    "et",
    "dps",
    "ppt",
    "pptx",
}
_LABELS = labels_pattern()
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


@dataclass
class Page:
    values: dict[str, str]  # field → text
    body: Any  # the body element (lxml), chrome removed
    files: list[tuple[Any, Path]] = field(default_factory=list)  # (link or image element, local file)
    hidden: list[str] = field(default_factory=list)


def decode(raw: bytes) -> str:
    declared = _CHARSET.search(raw[:4096])
    names = [declared.group(1).decode("ascii", "replace").lower()] if declared else []
    for name in [*names, "utf-8", "gb18030"]:
        try:
            return raw.decode("gb18030" if name in ("gbk", "gb2312", "gb18030") else name)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", "replace")


def read_page(path: Path) -> Page:
    root = H.parse_html(decode(path.read_bytes()))
    hidden = H.drop_hidden(root)
    values: dict[str, str] = {}
    meta_blocks = _pairs(root, values)
    title_hint = _label_runs(root, values)
    values.setdefault("title", title_hint or _title(root))
    body = _body(root, meta_blocks)
    _strip_chrome(body, values.get("title", ""))
    return Page(values, body, _local_files(body, path.parent), hidden)


def _pairs(root, values: dict[str, str]) -> list:
    """Label/value cells (`tr`) and `dl` pairs; returns the tables and lists that held metadata."""
    used = []
    for container, rows in [(t, t.iter("tr")) for t in root.iter("table")] + [(d, [d]) for d in root.iter("dl")]:
        found = 0
        for row in rows:
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th", "dt", "dd")]
            for i in range(len(cells) - 1):
                name = field_of(H.plain_text(cells[i]))
                value = H.plain_text(cells[i + 1])
                if name and value and not field_of(value):
                    values.setdefault(name, value)
                    found += 1
        if found >= 2:
            used.append(container)
    return used


def block_lines(el) -> list[str]:
    """The element's text, one line per block (p, div, tr, br …), as a reader sees it."""
    parts: list[str] = []

    def walk(node):
        if not isinstance(node.tag, str):
            return
        block = node.tag in BLOCKS
        if block:
            parts.append("\n")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append("\n")

    walk(el)
    return [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parts).splitlines() if line.strip()]


def _runs(line: str) -> list[tuple[str, str | None, str]] | None:
    """`发布日期:2018-08-14 来源:泰达 分享到:` → [(发布日期, published, 2018-08-14), (来源, None, 泰达), …];
    None unless the line starts with a label or holds two of them (a sentence in the body does neither)."""
    matches = list(_LABELS.finditer(line))
    if not matches or (matches[0].start() > 0 and len(matches) < 2):
        return None
    runs = []
    for m, nxt in zip(matches, [*matches[1:], None]):
        value = line[m.end() : nxt.start() if nxt else len(line)].strip()
        runs.append((label_key(m.group(1)), field_of(m.group(1)), value))
    return runs


def _label_runs(root, values: dict[str, str]) -> str:
    """Fill values from `标签：值` lines; the text before the labels on a line, if any, may be the title."""
    title = ""
    for line in block_lines(root):
        runs = _runs(line)
        if runs is None:
            continue
        for _, name, value in runs:
            if name and value:
                values.setdefault(name, value)
        first = _LABELS.search(line)
        lead = line[: first.start()].strip() if first else ""
        if lead and not title and len(lead) > 4:
            title = lead
    return title


def _title(root) -> str:
    for tag in ("h1", "h2"):
        for el in root.iter(tag):
            text = H.plain_text(el)
            if len(text) > 4:
                return text
    heads = root.xpath("//title")
    text = H.plain_text(heads[0]) if heads else ""
    return re.split(r"\s*[_|－—]\s*|\s+-\s+", text)[0] if text else ""


def _body(root, meta_blocks: list):
    for selector in BODY_SELECTORS:
        for el in root.xpath(_xpath(selector)):
            if len(H.plain_text(el)) >= 20:
                return _without(el, meta_blocks)
    best, best_score = root.find("body") if root.find("body") is not None else root, 0
    for el in root.iter("div", "td", "section", "article"):
        score = sum(len(H.plain_text(p)) for p in el if isinstance(p.tag, str) and p.tag in ("p", "br", "div"))
        score += len((el.text or "").strip())
        if score > best_score:
            best, best_score = el, score
    return _without(best, meta_blocks)


def _without(body, blocks: list):
    """The body without the metadata tables and lists found inside it."""
    for block in blocks:
        if _inside(block, body):
            H._remove(block)
    return body


def _strip_chrome(body, title: str) -> None:
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el is body or el.getparent() is None:
            continue
        if not _inside(el, body):  # an ancestor was removed already
            continue
        text = H.plain_text(el)
        marker = " ".join((el.get("class") or "", el.get("id") or ""))
        chrome = (CHROME_CLASS.search(marker) and len(text) <= CHROME_MAX * 4) or (
            len(text) <= CHROME_MAX and (CHROME_WORDS.search(text) or _metadata_line(text))
        )
        if chrome or (title and label_key(text) == label_key(title)):  # the title repeated above the text
            H._remove(el)


def _metadata_line(text: str) -> bool:
    """A line of metadata left in the text: two labels, or one that only metadata uses (not 日期：)."""
    runs = _runs(text) or []
    return len(runs) >= 2 or (len(runs) == 1 and runs[0][0] not in WEAK_LABELS)


def _inside(el, body) -> bool:
    return any(a is body for a in el.iterancestors())


def _local_files(body, folder: Path) -> list[tuple[Any, Path]]:
    """Links and images in the body that point to files saved beside the page."""
    found = []
    for el in body.iter("a", "img"):
        ref = (el.get("href") if el.tag == "a" else el.get("src")) or ""
        parts = urlsplit(ref.strip())
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = inside(folder, unquote(parts.path))  # issue 30: never a file outside the page's folder
        if target is not None and target.suffix.lower().lstrip(".") in ATTACHMENT_EXT and target.is_file():
            found.append((el, target))
    return found
