"""What text and identities may hold, wherever they come from (YAML, file names, members).

One rule each, so every reader applies the same: text free of control, bidi-override and
invisible characters (they make feeds invalid XML, reverse what a reader sees, or hide
words from the privacy scan); dates in a plausible range; identities that become paths
and URLs (索引号, department ids, file names) made of characters that stay what they look
like in a URL, an HTML attribute and a file system — ASCII digits only, so a full-width
２０２４ cannot pass for 2024 beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata

# C0/C1 controls (not tab, LF, CR), zero-width and bidi controls, the BOM, interlinear
# annotation, noncharacters, tag characters and lone surrogates.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\U000e0000-\U000e007f\ud800-\udfff]"
)
_NAMES = {
    "\u202e": "从右到左覆盖",
    "\u202d": "从左到右覆盖",
    "\u200b": "零宽空格",
    "\ufeff": "零宽不换行空格",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
}

EARLIEST = dt.date(1900, 1, 1)  # no 政府信息 item is older; year 1000 is a typo
LATEST_YEARS_AHEAD = 10  # a date more than this many years after today is a typo (9999-12-31)


def forbidden_char(text: str) -> str | None:
    """A description of the first forbidden character in `text`, or None."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    name = _NAMES.get(char) or (unicodedata.name(char, "") if not 0xD800 <= ord(char) <= 0xDFFF else "代理码位")
    return f"U+{ord(char):04X}" + (f"（{name}）" if name else "（控制字符）")


def text_problem(text: str) -> str | None:
    """The Chinese message for text that holds a forbidden character, or None."""
    char = forbidden_char(text)
    if char is None:
        return None
    return f"文字中含不可见的控制字符 {char}；它会颠倒或隐藏读者看到的文字、使订阅源失效，请删除该字符后重新输入"


def strip_forbidden(text: str) -> str:
    """Text with the forbidden characters removed (for output that must stay valid XML)."""
    return _FORBIDDEN.sub("", text)


def date_problem(day: dt.date, today: dt.date | None = None) -> str | None:
    """Why `day` cannot be a real 政府信息 date, or None."""
    latest = (today or dt.date.today()).year + LATEST_YEARS_AHEAD
    if day < EARLIEST or day.year > latest:
        return f"日期 {day.isoformat()} 不在合理范围（{EARLIEST.year} 年至 {latest} 年）内，请核对年份"
    return None


# What an identity that becomes a path or URL may hold: ASCII letters and digits, - _ . /
# and the brackets of a 文号 style, plus Han characters. No quote, <, >, &, %, #, ?, \,
# space or control; no non-ASCII digit.
_IDENTITY = re.compile(r"[0-9A-Za-z\-_./()（）〔〕\u3400-\u4dbf\u4e00-\u9fff]+")


def identity_problem(value: str, what: str) -> str | None:
    """Why `value` (a 索引号, an id) cannot become part of a path or URL, or None."""
    for char in value:
        if unicodedata.category(char) == "Nd" and not char.isascii():
            return f"{what}“{value}”含非半角数字“{char}”；请改用半角数字 0-9"
    if not _IDENTITY.fullmatch(value):
        bad = next((c for c in value if not _IDENTITY.fullmatch(c)), "")
        return f"{what}“{value}”含不能用于网页地址的字符“{bad}”；只能用字母、数字、汉字和 - _ . /"
    parts = value.split("/")
    if value.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return f"{what}“{value}”不能以 / 开头，也不能含空段、. 或 ..（它会成为网页地址的一部分）"
    return None


# File names that are published: no character that changes what a URL or an attribute
# means (" < > # ? % \ and controls), so the name in the link is the file on disk.
_UNSAFE_NAME = re.compile(r'["<>#?%\\`\']|' + _FORBIDDEN.pattern)


def file_name_problem(name: str) -> str | None:
    """Why a published file's name cannot appear in a link, or None."""
    found = _UNSAFE_NAME.search(name)
    if found is None:
        return None
    char = found.group()
    shown = char if char.isprintable() else f"U+{ord(char):04X}"
    return (
        f"文件名“{strip_forbidden(name)}”含不能用于网页地址的字符“{shown}”；请改名，只用文字、字母、数字、- _ . 和括号"
    )


def revision_problem(rev: str) -> str | None:
    """Why a user-given git revision (a branch, --base) cannot be passed to git, or None:
    one starting with - would be read as an option (--output=FILE writes a file)."""
    if not rev or rev.startswith("-") or _FORBIDDEN.search(rev) or any(c.isspace() for c in rev):
        return f"版本名“{strip_forbidden(rev)}”无效：不能为空、不能以 - 开头、不能含空白或控制字符"
    return None


CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell a spreadsheet shows as text: a text starting with = + - @ (a formula to
    Excel and WPS) gets a leading apostrophe, as OWASP recommends; numbers stay numbers."""
    return "'" + value if isinstance(value, str) and value.startswith(CSV_FORMULA) else value


class SafeCsv:
    """csv.writer whose every text cell goes through csv_cell: the one CSV writer for what we publish."""

    def __init__(self, f):
        self.out = csv.writer(f)

    def writerow(self, row) -> None:
        self.out.writerow([csv_cell(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)
