"""Privacy scan: 居民身份证号, mobile numbers and bank card numbers in what the public reads.

Titles, summaries, bodies and readable attachments are scanned. Numbers are
validated (GB 11643 check digit and birth date, Luhn) so that ordinary long
numbers do not trigger. Messages show only a masked value, never the number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from xxgk.core.model import WARNING, Item, Problem
from xxgk.rules.attachment_text import Unreadable, extract
from xxgk.rules.attachments import resolve as resolve_attachment
from xxgk.rules.base import Context

_EDGE_L, _EDGE_R = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
ID_RE = re.compile(_EDGE_L + r"[1-9][0-9]{16}[0-9Xx]" + _EDGE_R)
BANK_RE = re.compile(_EDGE_L + r"[3-6][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?" + _EDGE_R)
MOBILE_RE = re.compile(_EDGE_L + r"1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}" + _EDGE_R)

# Before NFKC: eleven decimal digits of any script (\d: ASCII, full-width …) with at most one
# space or hyphen between two, which every number above needs once normalised.
CANDIDATE_RE = re.compile(r"\d(?:[\s\-\uff0d\ufe63]?\d){10}")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


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


def id_number_ok(digits: str) -> bool:
    """GB 11643: a real birth date and the check digit over the first 17 digits."""
    try:
        born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == digits[17]


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
            digits = normal(m.group())
            if free(m) and valid(digits):
                hits.append(Hit(code, label, digits, m.start()))
                taken.append(range(m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _problem(path: str, line: int, hit: Hit, where: str, item: Item) -> Problem:
    return Problem(
        path,
        line,
        hit.kind,
        f"{where}含疑似{hit.label} {hit.masked}：公开前请删除或打码（例如写成 {hit.masked}）；"
        f"若确属依法应当公开的信息，请在 {item.path} 的 privacy_ok 中写明 "
        "{value: 该号码原文, reason: 公开理由}",
    )


def item_problems(item: Item) -> list[Problem]:
    allowed = {normal(v) for v in item.privacy_ok}
    found = []
    for key, where in (("title", "标题"), ("summary", "内容概述")):
        for hit in scan(getattr(item, key)):
            if hit.digits not in allowed:
                found.append(_problem(item.path, item.line_of(key), hit, where, item))
    for hit in scan(item.body):
        if hit.digits not in allowed:
            found.append(_problem(item.path, item.body_line + _line(item.body, hit.start), hit, "正文", item))
    return found


def attachment_problems(item: Item, path, shown: str, cache_dir) -> list[Problem]:
    try:
        extracted = extract(path, cache_dir)
    except Unreadable as exc:
        return [
            Problem(
                shown,
                1,
                "W210",
                f"附件文字无法读取（{exc}），隐私检查未覆盖该附件；请人工核对其中有无身份证号、手机号码、银行卡号",
                WARNING,
            )
        ]
    if extracted is None:
        return []
    allowed = {normal(v) for v in item.privacy_ok}
    found = []
    for hit in scan(extracted.text):
        if hit.digits not in allowed:
            number, where = extracted.locate(hit.start)
            found.append(_problem(shown, number, hit, f"附件（{where}）", item))
    return found


def privacy(ctx: Context):
    cache_dir = ctx.opts.root / ".cache" / "xxgk" / "attachment-text"
    for item in ctx.content.items:
        yield from item_problems(item)
        for att in item.attachments:
            path, shown = resolve_attachment(ctx.opts, item, att)
            if path is not None and path.is_file():  # attachment_files reports the rest
                yield from attachment_problems(item, path, shown, cache_dir)


RULES = (privacy,)
