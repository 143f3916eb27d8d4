"""Privacy scan: 居民身份证号, mobile numbers and bank card numbers in what the public reads.

Everything published is scanned: every value in an item's front matter, bodies, ordinary
pages (front matter included) and every readable attachment under the content folder,
whether an item lists it or not. People type numbers with spaces or hyphens between the
groups (110101 19900307 1233, 139-1234-5678) and mobiles with +86 or 0086 before them. Numbers are
validated (GB 11643 check digit and birth date, Luhn) so that ordinary long
numbers do not trigger. Bodies are scanned as read (rules/seen.py: tags, character
references and invisible characters do not split a number). Messages show only a masked
value, never the number.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import partial

from xxgk.core.fields import FIELDS
from xxgk.core.idnumber import id_number_ok  # GB 11643, shared with the form (rules.js)
from xxgk.core.model import Item, Page, Problem
from xxgk.infra import caches
from xxgk.rules.attachment_text import Unreadable, extract
from xxgk.rules.attachments import resolve as resolve_attachment
from xxgk.rules.base import Context
from xxgk.rules.seen import reader_text

_EDGE_L, _EDGE_R = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
# Group n is the number itself (a mobile's +86 / 0086 is not part of it).
ID_RE = re.compile(_EDGE_L + r"(?P<n>[1-9][0-9]{5}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx])" + _EDGE_R)
BANK_RE = re.compile(_EDGE_L + r"(?P<n>[3-6][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)" + _EDGE_R)
MOBILE_RE = re.compile(
    r"(?:(?<![0-9A-Za-z+])(?:\+|00)86[ -]?|" + _EDGE_L + r")(?P<n>1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})" + _EDGE_R
)

# Before NFKC: a run of eleven or more decimal digits (any script: \d is ASCII, full-width …) and
# separators, starting with a digit, which every number above needs once normalised. Looser than
# the numbers themselves, so that it stays one quick pass: most texts hold no such run.
CANDIDATE_RE = re.compile(r"\d[\d\s\-\uff0d\ufe63]{10,}")


@dataclass(frozen=True)
class Hit:
    kind: str  # code of the finding
    label: str  # 居民身份证号 / 手机号码 / 银行卡号
    digits: str  # the number without separators (never printed)
    start: int  # offset in the scanned text

    @property
    def masked(self) -> str:
        keep = 3 if self.kind == "E141" else 4
        return self.digits[:keep] + "*" * (len(self.digits) - keep - 4) + self.digits[-4:]


def normal(value: str) -> str:
    """The form numbers are compared in: half-width, no separators, upper-case X."""
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value)).upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def scan(text: str) -> list[Hit]:
    """Every personal number in `text`, each span reported once (身份证号 before 银行卡号 before 手机号码)."""
    if not CANDIDATE_RE.search(text):  # most texts: NFKC of every body was most of a build's checking
        return []
    text = unicodedata.normalize("NFKC", text)  # full-width digits count too; offsets stay per character
    hits: list[Hit] = []
    taken: list[range] = []

    def free(m) -> bool:
        return not any(m.start() < r.stop and r.start < m.end() for r in taken)

    for regex, code, label, valid in (
        (ID_RE, "E140", "居民身份证号", id_number_ok),
        (BANK_RE, "E142", "银行卡号", luhn_ok),
        (MOBILE_RE, "E141", "手机号码", lambda d: True),
    ):
        for m in regex.finditer(text):
            digits = normal(m.group("n"))
            if free(m) and valid(digits):
                hits.append(Hit(code, label, digits, m.start()))
                taken.append(range(m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _problem(path: str, line: int, hit: Hit, where: str, owner: str | None) -> Problem:
    allow = (
        f"若确属依法应当公开的信息，请在 {owner} 的 privacy_ok 中写明 {{value: 该号码原文, reason: 公开理由}}"
        if owner
        else "该文件不属于任何条目，无法放行；请删除号码，或把它作为某条目的附件并在该条目的 privacy_ok 中写明理由"
    )
    return Problem(
        path,
        line,
        hit.kind,
        f"{where}含疑似{hit.label} {hit.masked}：公开前请删除或打码（例如写成 {hit.masked}）；{allow}",
    )


def yaml_texts(value, line: int):
    """(line, text) of every text inside a YAML value (front matter, a case file), nested
    mappings knowing their lines: keys too (a key can carry a name), and numbers, as an
    unquoted phone number is an int to YAML and is published as written."""
    if isinstance(value, str):
        yield line, value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield line, str(value)
    elif isinstance(value, dict):
        lines = getattr(value, "key_lines", {})
        for key, child in value.items():
            yield lines.get(key, line), str(key)
            yield from yaml_texts(child, lines.get(key, line))
    elif isinstance(value, list):
        for child in value:
            yield from yaml_texts(child, getattr(child, "line", line))


def front_matter_problems(doc: Item | Page, allowed: set[str], owner: str | None) -> list[Problem]:
    texts = [
        (key, line, text)
        for key, value in doc.meta.items()
        if key != "privacy_ok"
        for line, text in yaml_texts(value, doc.line_of(key))
    ]
    if not CANDIDATE_RE.search("\n".join(text for _, _, text in texts)):  # one search for most items
        return []
    found = []
    for key, line, text in texts:
        spec = FIELDS.get(key)
        where = spec.label if spec else f"元数据 {key}"
        found += [_problem(doc.path, line, hit, where, owner) for hit in scan(text) if hit.digits not in allowed]
    return found


def body_problems(doc: Item | Page, allowed: set[str], owner: str | None) -> list[Problem]:
    """A body is scanned as its reader sees it (rules/seen.py): a number split by a tag, a
    character reference or a zero-width space is still one number on the page."""
    text, offsets = reader_text(doc.body)
    return [
        _problem(
            doc.path, doc.body_line + _line(doc.body, offsets[hit.start] if offsets else hit.start), hit, "正文", owner
        )
        for hit in scan(text)
        if hit.digits not in allowed
    ]


def item_problems(item: Item) -> list[Problem]:
    allowed = {normal(v) for v in item.privacy_ok}
    return front_matter_problems(item, allowed, item.path) + body_problems(item, allowed, item.path)


def attachment_problems(
    path, shown: str, cache_dir, allowed: set[str], owner: str | None, write: bool = True
) -> list[Problem]:
    try:
        extracted = extract(path, cache_dir, write)
    except Unreadable as exc:
        return [
            Problem(
                shown,
                1,
                "W210",
                f"附件文字无法读取（{exc}），隐私检查未覆盖该附件；请人工核对其中有无身份证号、手机号码、银行卡号",
            )
        ]
    if extracted is None:
        return []
    found = []
    for hit in scan(extracted.text):
        if hit.digits not in allowed:
            number, where = extracted.locate(hit.start)
            found.append(_problem(shown, number, hit, f"附件（{where}）", owner))
    return found


def privacy(ctx: Context):
    texts, write = caches.cache_dir(ctx.opts.root, "attachment-text"), ctx.opts.keep_caches
    listed = set()  # as written paths (normpath), not resolved: resolving stats every folder
    for item in ctx.content.items:
        yield from ctx.of_item("privacy", item, partial(item_problems, item))
        allowed = {normal(v) for v in item.privacy_ok}
        for att in item.attachments:
            path, shown = resolve_attachment(ctx, item, att)
            if path is not None and path.is_file():  # attachment_files reports the rest
                listed.add(os.path.normpath(path))
                yield from attachment_problems(path, shown, texts, allowed, item.path, write)
    for page in ctx.content.page_files:
        yield from front_matter_problems(page, set(), None)
        yield from body_problems(page, set(), None)
    docs = ctx.opts.docs_path
    for src_uri in ctx.content.files:  # attachments no item lists are published too
        path = docs / src_uri
        if os.path.normpath(path) not in listed:
            yield from attachment_problems(path, f"{ctx.opts.docs_dir}/{src_uri}", texts, set(), None, write)


RULES = (privacy,)
