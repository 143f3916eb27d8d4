"""The HTML a body may carry, as one allow-list used twice: `findings()` names at
path:line whatever the list refuses (before the build), and `clean()` (nh3, the Rust
ammonia sanitiser) applies the same list to what the renderer writes, so nothing
outside it reaches a page either way.

Disclosure documents need tables with merged cells, sub/superscripts, line breaks,
underlines and alignment; nothing in a body may run or load (scripts, frames, objects,
forms, event handlers, javascript:/vbscript:/data: addresses, styles beyond alignment).
A 视频解读 or 音频 plays in the page: <video>/<audio> with controls (and <source>, <track>
captions), whose files are the item's own — a relative address inside its folder, nothing
from outside.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

from xxgk.core.model import Item, Page, Problem
from xxgk.rules.base import Context

TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small span strong sub sup table "
    "tbody td tfoot th thead tr u ul".split()
) | {"video", "audio", "source", "track"}
MEDIA = frozenset({"video", "audio", "source", "track"})  # their files: the item's own (local())
MEDIA_URLS = frozenset({"src", "poster"})
_CELL = {"colspan", "rowspan", "headers", "valign", "width"}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "align", "style"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": _CELL,
    "th": _CELL | {"scope"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "table": {"width", "border", "cellpadding", "cellspacing"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "video": {"src", "controls", "poster", "width", "height", "preload"},
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
STYLE_PROPERTIES = frozenset({"text-align", "vertical-align"})  # alignment is all a body may style
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src"})


def local(url: str) -> bool:
    """An address inside the item's folder: relative, no scheme, never upwards."""
    plain = _CONTROL.sub("", html.unescape(url)).replace("\\", "/")
    return not (_SCHEME.match(plain) or plain.startswith("/") or ".." in plain.split("/"))


def _media_only_local(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: a media file from anywhere but the item's folder is dropped."""
    if tag in MEDIA and name in MEDIA_URLS and not local(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes={k: set(v) for k, v in ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,  # a body's links need no rel; the page keeps the bytes Markdown wrote
    attribute_filter=_media_only_local,
)


def may_carry_markup(markdown: str) -> bool:
    """Without any of these a Markdown body cannot produce a tag, attribute or address of its
    own: HTML, an attribute list, a link. Substring scans, a quarter of a regex's time over
    every body of a build (issue 35)."""
    return "<" in markdown or "{" in markdown or "](" in markdown or "]:" in markdown


def clean(page_html: str) -> str:
    """The page body with only what the allow-list permits."""
    return _CLEANER.clean(page_html)


# ---------------------------------------------------------------- findings

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_MD_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")
_MD_REF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*=[^{}\n]*)\}")
_ATTR_PAIR = re.compile(r"([^\s=#.{}'\"]+)=(\"[^\"]*\"|'[^']*'|[^\s}]*)")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def bad_url(url: str) -> str | None:
    """The scheme of an address a body may not use (javascript:, data: …), else None.
    Browsers drop blanks and control characters inside a scheme, and decode entities first."""
    plain = _CONTROL.sub("", html.unescape(url))
    m = _SCHEME.match(plain)
    if m and m.group(1).lower() not in URL_SCHEMES:
        return m.group(1).lower() + ":"
    return None


def _without_code(markdown: str) -> str:
    """The body with fenced code blocks and code spans blanked (they are shown, not parsed),
    line breaks kept so that lines still count."""
    out, fence = [], None
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * 3
            out.append("")
        elif fence is not None:
            out.append("")
            if line.strip().startswith(fence):
                fence = None
        else:
            out.append(line)
    text = "\n".join(out)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _attribute_problem(tag: str | None, name: str, value: str | None) -> str | None:
    name = name.lower()
    if name.startswith("on"):
        return f"事件属性 {name}（会执行脚本）"
    allowed = ATTRIBUTES["*"] | (ATTRIBUTES.get(tag, set()) if tag else set().union(*ATTRIBUTES.values()))
    if name not in allowed:
        return f"属性 {name}"
    if name in URL_ATTRIBUTES and value is not None:
        scheme = bad_url(value)
        if scheme:
            return f"{scheme} 地址（{name}）"
    if name == "style" and value:
        props = {p.split(":", 1)[0].strip().lower() for p in value.split(";") if p.strip()}
        extra = sorted(props - STYLE_PROPERTIES)
        if extra:
            return f"样式 {'、'.join(extra)}（正文只允许对齐方式 text-align、vertical-align）"
    return None


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if ":" in tag or "@" in tag:  # <https://…> and <name@example.cn> are Markdown autolinks
            return
        if tag not in TAGS:
            self.found.append((line, f"<{tag}>"))
            return
        for name, value in attrs:
            problem = _attribute_problem(tag, name, value)
            if problem:
                self.found.append((line, f"<{tag}> 的{problem}"))
            elif tag in MEDIA and name in MEDIA_URLS and value is not None and not local(value):
                self.found.append(
                    (line, f"<{tag}> 的站外或目录外地址 {value}（音视频文件放在条目旁，如 files/解读.mp4）")
                )
        if tag in ("video", "audio") and "controls" not in dict(attrs):
            self.found.append((line, f"<{tag}> 缺少 controls（读者须能自己播放、暂停）"))

    handle_startendtag = handle_starttag


def findings(markdown: str) -> list[tuple[int, str]]:
    """(line within `markdown`, what) for each piece of markup the allow-list refuses."""
    if not may_carry_markup(markdown):
        return []
    text = _without_code(markdown)
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    found = scanner.found

    def line_at(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    for regex, what in ((_MD_LINK, "链接"), (_MD_REF, "链接")):
        for m in regex.finditer(text):
            scheme = bad_url(m.group(1))
            if scheme:
                found.append((line_at(m.start(1)), f"{what}地址 {scheme}"))
    for m in _ATTR_LIST.finditer(text):
        for pair in _ATTR_PAIR.finditer(m.group(1)):
            problem = _attribute_problem(None, pair.group(1), pair.group(2).strip("\"'"))
            if problem:
                found.append((line_at(m.start()), f"属性列表 {{: …}} 中的{problem}"))
    return sorted(set(found))


def markup(ctx: Context):
    docs: list[Item | Page] = [*ctx.content.items, *ctx.content.page_files]
    for doc in docs:
        for line, what in findings(doc.body):
            yield Problem(
                doc.path,
                doc.body_line + line - 1,
                "E145",
                f"正文含不允许的 HTML：{what}。正文不能含会执行或加载的内容（脚本、框架、表单、事件属性、"
                "javascript:/data: 地址、样式）；可用的有表格（含 colspan、rowspan 合并单元格）、"
                "<sup>、<sub>、<br>、<u>、align 对齐，以及播放条目旁音视频文件的 <video controls>、<audio controls>"
                "（字幕用 <track>）。请删除或改写该处",
            )


RULES = (markup,)
