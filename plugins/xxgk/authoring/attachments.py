"""The names uploaded attachments get: the clerk's own name, Chinese kept, made safe and unique.

Chinese is kept rather than transliterated: the name is what a reader downloads and what
the format's own examples use (files/工作要点.pdf); pinyin loses the meaning (homophones, no
tones) and a translit library would be one more dependency for a worse name. Only what a file
name or a URL cannot carry is replaced. Two uploads of one name into one folder (one publisher,
one year) with different content become 名称.pdf and 名称-2.pdf, across the published branch
and every open draft, so no draft's attachment overwrites another's.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable

UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#%&{}$!`\'@+=\[\]^~;,\s]+')
FALLBACK = "附件"


def safe_name(name: str) -> str:
    """`name` with what a file name or URL cannot carry replaced by `-`; the extension lower-cased."""
    name = unicodedata.normalize("NFC", name).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot or not ext or "/" in ext:
        stem, ext = name, ""
    stem = UNSAFE.sub("-", stem).strip("-.") or FALLBACK
    ext = UNSAFE.sub("", ext).lower()
    return f"{stem}.{ext}" if ext else stem


def unique_path(path: str, content: bytes, stored: Callable[[str], bytes | None]) -> str:
    """`path` (folder/safe name), or folder/名称-2.ext … when another file with other bytes holds it.
    `stored(path)` is the file's bytes wherever it is already kept (published or a draft), or None."""
    folder, name = posixpath.split(path)
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    n = 1
    while True:
        candidate = posixpath.join(folder, name if n == 1 else f"{stem}-{n}{dot}{ext}")
        held = stored(candidate)
        if held is None or held == content:
            return candidate
        n += 1


def title_of(file: str) -> str:
    """An attachment's default title: its file name without the extension (the clerk's words)."""
    name = posixpath.basename(file)
    return name.rpartition(".")[0] or name
