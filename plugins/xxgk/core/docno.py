"""文号: how a 发文字号 (津政办函〔2018〕10号) or a 令号 (云溪市人民政府令第10号) is recognised
however it is typed, and the one key it normalises to. Search keys documents by it and
relate resolves a relation written as a 文号 with it; the browser gets the same patterns and
tables from assets/xxgk/rules.js (search/browser.py), so the page never carries a copy.

The patterns use only syntax that Python's re and JavaScript's RegExp (flag u) read alike:
literal characters in classes, [0-9] rather than \\d, \\s after NFKC normalisation.
"""

from __future__ import annotations

import re
import unicodedata

# Han characters: CJK unified ideographs, extension A, compatibility ideographs, extensions B–H
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)

OPEN = "[(（〔【［"
CLOSE = "])）〕】］"
# 津政办函〔2018〕10号, also typed with [] () （） or without 号, 第 or leading zeros; group 1 is the issuer code
DOC_NO_PATTERN = (
    f"([{HAN}]+)\\s*[{re.escape(OPEN)}]\\s*([0-9]{{4}})\\s*[{re.escape(CLOSE)}]\\s*第?\\s*0*([0-9]+)\\s*号?"
)
# A 规章's 令号 (云溪市人民政府令第10号), also typed without 第 or 号, or with Chinese numerals
NUMERALS = "零〇一二两三四五六七八九十百千"
ORDER_NO_PATTERN = f"([{HAN}]+)令\\s*第?\\s*([0-9]+|[{NUMERALS}]+)\\s*号?"
DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
UNITS = {"十": 10, "百": 100, "千": 1000}

DOC_NO = re.compile(DOC_NO_PATTERN)
ORDER_NO = re.compile(ORDER_NO_PATTERN)


# The full-width punctuation of Chinese prose, each with what NFKC makes of it: its
# compatibility decomposition, one ASCII character (tests/test_docno.py checks the table).
# NFKC is NFC of NFKD, and NFKD decomposes every character fully before it reorders the
# combining marks, so a text with such a character replaced by its decomposition normalises
# to the same text. Replaced first (str.replace, in C), they leave most bodies with nothing
# to change, which unicodedata.normalize sees in one quick check; otherwise every `，`
# sent the whole text through decomposition and composition: 0.9 s of CPU per 2,000
# realistic items before, 0.1 s now (issue 35).
WIDE_PUNCTUATION = (
    ("，", ","),
    ("（", "("),
    ("）", ")"),
    ("：", ":"),
    ("；", ";"),
    ("？", "?"),
    ("！", "!"),
    ("％", "%"),
    ("\u3000", " "),
)


def normalise(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case: the same in the page (search.js)."""
    for wide, narrow in WIDE_PUNCTUATION:
        text = text.replace(wide, narrow)
    return unicodedata.normalize("NFKC", text).lower()


def number(written: str) -> int:
    """10, 010, 十, 一百零八, 七〇八 → the number (digits NFKC-normalised already)."""
    if written.isdigit():
        return int(written)
    if not any(c in UNITS for c in written):  # 七〇八: digit by digit
        return int("".join(str(DIGITS[c]) for c in written))
    total = digit = 0
    for c in written:
        if c in UNITS:
            total += (digit or 1) * UNITS[c]
            digit = 0
        else:
            digit = DIGITS[c]
    return total + digit


def doc_no_key(doc_no: str) -> str:
    """津政办函（2018）10号 → 津政办函〔2018〕10, 云溪市人民政府令第十号 → 云溪市人民政府令10;
    '' when it is shaped like neither a 发文字号 nor a 令号."""
    text = normalise(doc_no).strip()
    if match := DOC_NO.fullmatch(text):
        return f"{match[1]}〔{match[2]}〕{match[3]}"
    if match := ORDER_NO.fullmatch(text):
        return f"{match[1]}令{number(match[2])}"
    return ""
