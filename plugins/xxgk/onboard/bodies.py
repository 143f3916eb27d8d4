"""The body a spreadsheet row names: a column of text or HTML, or a file beside the sheet
(`.docx` through mammoth, `.html` through the saved-page reader, `.txt`/`.md` as they are;
`.pdf` and other documents are kept as attachments)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.onboard import html_body as H
from xxgk.onboard.inside import inside
from xxgk.onboard.saved_pages import ATTACHMENT_EXT, read_page

_LOOKS_HTML = re.compile(r"<(p|div|br|table|span|a|h[1-6]|ul|ol|strong|b)\b", re.IGNORECASE)


class BodyError(Exception):
    """The named body file cannot be read; the message says why."""


@dataclass
class Body:
    root: Any = None  # an HTML element to convert, or
    markdown: str = ""  # text ready as Markdown
    links: list[tuple[Any, Path]] = field(default_factory=list)  # elements pointing to local files
    images: list[tuple[str, str, bytes]] = field(default_factory=list)  # (placeholder src, extension, bytes)
    attachments: list[Path] = field(default_factory=list)  # files kept as they are (PDF …)
    hidden: list[str] = field(default_factory=list)
    url: str = ""  # a saved page's own address: where its relative links lead
    suspect: str = ""  # why the body chosen from a saved page may be its navigation or footer


def from_text(text: str) -> Body:
    """A body column: HTML if it looks like HTML, else paragraphs of plain text."""
    if _LOOKS_HTML.search(text):
        root = H.parse_html(text)
        return Body(root=root.find("body") if root.find("body") is not None else root, hidden=H.drop_injected(root))
    paragraphs = [p.strip() for p in re.split(r"\r?\n", text) if p.strip()]
    return Body(markdown="\n\n".join(paragraphs) + "\n" if paragraphs else "")


def from_files(names: list[str], folder: Path) -> Body:
    body = Body()
    for name in names:
        path = inside(folder, name.strip())
        if path is None:
            raise BodyError(f"正文文件 {name} 不在表格所在文件夹内；只能导入表格旁边（或其子文件夹中）的文件")
        if not path.is_file():
            raise BodyError(f"找不到正文文件 {name}（相对于表格所在文件夹）；请核对文件名，或把文件放到表格旁边")
        ext = path.suffix.lower().lstrip(".")
        if ext == "docx" and body.root is None and not body.markdown:
            body.root, body.images = _docx(path)
        elif ext in ("html", "htm") and body.root is None and not body.markdown:
            page = read_page(path)
            body.root, body.links, body.hidden = page.body, page.files, page.hidden
            body.url, body.suspect = page.url, page.suspect
        elif ext in ("txt", "md") and body.root is None and not body.markdown:
            body.markdown = from_text(path.read_text(encoding="utf-8-sig", errors="replace")).markdown
        elif ext in ATTACHMENT_EXT:
            body.attachments.append(path)
        else:
            raise BodyError(f"正文文件 {name} 的类型“{ext}”无法导入；请另存为 .docx、.html 或 PDF")
    return body


def _docx(path: Path):
    import mammoth  # here: only imports with Word bodies pay for it

    images: list[tuple[str, str, bytes]] = []

    def keep(image):
        with image.open() as stream:
            data = stream.read()
        src = f"xxgk-image-{len(images) + 1}"
        images.append((src, (image.content_type or "image/png").rsplit("/", 1)[-1].replace("jpeg", "jpg"), data))
        return {"src": src}

    try:
        with path.open("rb") as stream:
            result = mammoth.convert_to_html(stream, convert_image=mammoth.images.img_element(keep))
    except Exception as exc:  # a damaged or mislabelled file: mammoth raises zip and XML errors
        raise BodyError(
            f"正文文件 {path.name} 不是有效的 Word 文档（{type(exc).__name__}）；请用 Word 另存为 .docx"
        ) from None
    root = H.parse_html(result.value)
    return root.find("body") if root.find("body") is not None else root, images
