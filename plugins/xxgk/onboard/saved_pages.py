"""A saved detail page of the old site → its metadata, title, body without the page chrome, files.

Metadata comes from the page's labels (page_labels.py: every layout real templates use). The body
is where the page's CMS family keeps it (FAMILIES, recognised by their marks: gkmlpt, UCAP and
the 政策文件库, TRS/WCM, 大汉 JCMS, gi_news), else where other sites usually do, else the block
holding the most paragraph text (trafilatura and readability-lxml did no better on the real
pages: docs/benchmarks.md); a body that still looks like navigation or a footer is reported.
Chrome (当前位置, 分享到, 打印本页, 关闭窗口, 字号 大 中 小, related links, metadata left in the
text) is removed from it by its words, its class names and its labels. A table cell holding the
body becomes a block, so its paragraphs and tables stay paragraphs and tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from xxgk.onboard import html_body as H
from xxgk.onboard.headers import label_key
from xxgk.onboard.inside import inside
from xxgk.onboard.links import page_address
from xxgk.onboard.page_labels import WEAK, labels_in, read_labels, runs

# The CMS families agencies' sites are built on, told apart by what their pages carry, and where
# each keeps the text (#id, .class or a tag name, most specific first).
FAMILIES = (
    ("广东政府信息公开平台（gkmlpt）", re.compile(r"/gkmlpt/"), (".article-content",)),
    (
        "开普云 UCAP（含国务院政策文件库）",
        re.compile(r"UCAP-CONTENT|<ucapcontent", re.I),
        ("#UCAP-CONTENT", "ucapcontent"),
    ),
    (
        "拓尔思 TRS/WCM",
        re.compile(r"TRS_Editor|TRS_UEDITOR|trs_paper", re.I),
        (".TRS_Editor", ".TRS_UEDITOR", "#mainText"),
    ),
    ("大汉 JCMS", re.compile(r"jcms", re.I), (".main-txt", "#zoom", ".article")),
    ("gi_news 政府信息公开", re.compile(r"govinfo_title|GovInfoContent"), (".GovInfoContent", ".gzk-content")),
)
GENERIC = "通用规则"
# where other sites put the text, tried after the family's own places (a site may use a family's
# editor without its other marks)
BODY_SELECTORS = (
    *(place for _, _, places in FAMILIES for place in places),
    "#zoom",
    ".article-content",
    ".article_con",
    ".xxgk_content_content",
    ".xxgk_content",
    ".pages_content",
    ".zwnr",
    ".zw",
    "#content",
    ".content",
    "article",
    "main",
)


def family(text: str) -> tuple[str, tuple[str, ...]]:
    """The page's CMS family and where that family keeps the text; (通用规则, ()) for others."""
    for name, mark, places in FAMILIES:
        if mark.search(text):
            return name, places
    return GENERIC, ()


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
TOOLS = re.compile(r"[【\[]?(?:打印|关闭|收藏|返回|分享|打印本页|关闭窗口|加入收藏|返回顶部|保存)[】\]]?")
CHROME_CLASS = re.compile(
    r"share|print|close|related|relevant|crumb|position|location|font-?size|zihao|toolbar|"
    r"bdshare|xglj|xgxx|pagenav|prev|next",
    re.IGNORECASE,
)
CHROME_MAX = 80  # a block longer than this is text, even if it mentions 分享到
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
_LABEL_START = re.compile(r"^\S{2,8}[:：]")  # `索引号：` in an <h1> (慈溪) is a label, not a title
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


@dataclass
class Page:
    values: dict[str, str]  # field → text
    body: Any  # the body element (lxml), chrome removed
    files: list[tuple[Any, Path]] = field(default_factory=list)  # (link or image element, local file)
    hidden: list[str] = field(default_factory=list)
    url: str = ""  # the address the page was saved from, when it says
    suspect: str = ""  # why the body chosen looks like navigation or a footer
    template: str = GENERIC  # the CMS family recognised


def decode(raw: bytes) -> str:
    declared = _CHARSET.search(raw[:4096])
    names = [declared.group(1).decode("ascii", "replace").lower()] if declared else []
    for name in [*names, "utf-8", "gb18030"]:
        try:
            return raw.decode("gb18030" if name in ("gbk", "gb2312", "gb18030") else name)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", "replace")


def read_page(path: Path, columns: dict[str, str] | None = None, source: Path | None = None) -> Page:
    """The page's labels (`columns`: the mapping's own label → field), title, body and local files."""
    text = decode(path.read_bytes())
    root = H.parse_html(text)
    url = page_address(text, root)
    hidden = H.drop_injected(root)
    values = read_labels(runs(root), columns or {})
    values["title"] = values.get("title") or _title(root)
    template, places = family(text)
    body = _body(root, places)
    _strip_chrome(body, values.get("title", ""))
    if body.tag in ("td", "th", "tr", "tbody", "table"):  # a body cell holds paragraphs and tables, not a row
        body.tag = "div"
    return Page(
        values, body, _local_files(body, path.parent, source or path.parent), hidden, url, _suspect(body), template
    )


FOOTER_WORDS = re.compile(r"ICP备|网站标识码|版权所有|公网安备|主办单位[:：]|承办单位[:：]|友情链接|在线咨询|智能问答")


def _suspect(body) -> str:
    """Why the block chosen as the body looks like navigation or a footer, or ""."""
    text = H.plain_text(body)
    if len(text) < 20:
        return "几乎没有文字"
    linked = sum(len(H.plain_text(a)) for a in body.iter("a"))
    if linked > 0.5 * len(text):
        return "大部分文字是链接（像导航或友情链接）"
    words = sorted({m.group() for m in FOOTER_WORDS.finditer(text)})
    if len(words) >= 2 or (words and len(text) < 300):
        return f"含页脚或页面部件的文字（{'、'.join(words)}）"
    return ""


_TITLE_SPLIT = re.compile(r"\s*[_|｜－—]\s*|\s+-\s+")


def _title(root) -> str:
    """The heading the page's `<title>` begins with (the part before `_栏目_网站名`), or that part;
    when that part is short (a `<title>` holding only the site's name, 云溪市人民政府), the longest
    heading that is not a label."""
    heads = root.xpath("//title")
    head = _TITLE_SPLIT.split(H.plain_text(heads[0]))[0] if heads else ""
    candidates = [
        H.plain_text(el)
        for el in root.xpath("//h1 | //h2 | //h3 | //*[contains(@class, 'title')] | //*[contains(@id, 'title')]")
    ]
    candidates = [c for c in candidates if 4 < len(c) <= 300 and not _LABEL_START.match(c)]
    if len(head) >= 10 or not candidates:  # shorter is as likely the site's name as a title
        for text in candidates:
            if label_key(text).startswith(label_key(head)) or label_key(head).startswith(label_key(text)):
                return text if len(text) >= len(head) else head
        return head
    return max(candidates, key=len)


def _body(root, places: tuple[str, ...]):
    for selector in (*places, *BODY_SELECTORS):
        for el in root.xpath(_xpath(selector)):
            if len(H.plain_text(el)) >= 20:
                return el
    best, best_score = root.find("body") if root.find("body") is not None else root, 0
    for el in root.iter("div", "td", "section", "article"):
        score = sum(len(H.plain_text(p)) for p in el if isinstance(p.tag, str) and p.tag in ("p", "br", "div"))
        score += len((el.text or "").strip())
        if score > best_score:
            best, best_score = el, score
    return best


def _strip_chrome(body, title: str) -> None:
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el is body or el.getparent() is None:
            continue
        if not _inside(el, body):  # an ancestor was removed already
            continue
        text = H.plain_text(el)
        marker = " ".join((el.get("class") or "", el.get("id") or ""))
        chrome = (
            (CHROME_CLASS.search(marker) and len(text) <= CHROME_MAX * 4)
            or (len(text) <= CHROME_MAX and CHROME_WORDS.search(text))
            or _metadata(el, text)
        )
        if chrome or (title and label_key(text) == label_key(title)):  # the title repeated above the text
            H._remove(el)
        elif el.tag == "a" and TOOLS.fullmatch(text) and "javascript:" in (el.get("href") or "").lower():
            H._remove(el)  # the page's toolbar; other script links lose the link, not the text (links.py)


def _metadata(el, text: str) -> bool:
    """A block of metadata left in the text: labels with short values (a table or list of them,
    or one line of two), or one label that only metadata uses (not 日期：) on a short line."""
    found = labels_in(runs(el))
    if len(found) >= 2:
        return len(text) <= 50 * len(found) + 40
    return len(found) == 1 and found[0] not in WEAK and len(text) <= CHROME_MAX


def _inside(el, body) -> bool:
    return any(a is body for a in el.iterancestors())


def _local_files(body, folder: Path, source: Path) -> list[tuple[Any, Path]]:
    """Links and images in the body that point to files saved with the page: relative to its
    `folder`, and never outside `source`, the folder the import was given (issue 30)."""
    found = []
    for el in body.iter("a", "img"):
        ref = (el.get("href") if el.tag == "a" else el.get("src")) or ""
        parts = urlsplit(ref.strip())
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = inside(folder, unquote(parts.path), source)
        if target is not None and target.suffix.lower().lstrip(".") in ATTACHMENT_EXT and target.is_file():
            found.append((el, target))
    return found
