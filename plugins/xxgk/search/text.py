"""Search text: how indexed text and queries are cut into Pagefind words.

Pagefind gets pre-cut words in language `und`, so neither its indexer nor the
browser segments Chinese. Every run of Han characters becomes overlapping
bigrams plus the run's last character (营商环境 → 营商 商环 环境 境); letters and
digits stay whole words. A query of n ≥ 2 Han characters is then the phrase of
its n-1 bigrams, which occurs exactly where the text contains the query — so
recall no longer depends on any dictionary. search.js mirrors `query_words`.

发文字号 and 索引号 are also stored as one opaque key word each (FNV-1a 64 of
the normalised number), so an exact look-up matches whole numbers only.
"""

from __future__ import annotations

import re
from array import array

from xxgk.core.docno import DOC_NO_PATTERN, HAN, NUMERALS, normalise, number

WORD = re.compile(f"[{HAN}]+|[0-9a-z]+")
_HAN_RUN = re.compile(f"[{HAN}]+")
# In running text both 第 and 号 of a 令号 must be written (命令 is common prose).
_ORDER_TAIL = re.compile(f"令\\s*第\\s*([0-9]+|[{NUMERALS}]+)\\s*号")
ISSUER_MAX = 10  # longest issuer code a citation in running text is assumed to have
_DOC_NO_TAIL = re.compile(DOC_NO_PATTERN[DOC_NO_PATTERN.index("\\s*") :])  # DOC_NO from after the issuer
_ISSUER_END = re.compile(f"[{HAN}]+$")

OWN_DOC_NO = "xxgkd"  # this item's own 发文字号
CITED_DOC_NO = "xxgkc"  # a 发文字号 the text mentions
INDEX_NO = "xxgki"  # this item's 索引号


def words(text: str, normalised: bool = False) -> list[str]:
    """The words Pagefind indexes for `text`, in order (`normalised`: normalise() was applied)."""
    return indexed(text, normalised).split()


_LATIN = re.compile("[0-9a-z]+")
_PLACE = "\ue000"  # a private-use character: one Latin or digit word while the bigrams are cut
_CUT = "\x00"  # between words
_NOT_WORD = re.compile(f"[^{HAN}{_PLACE}]+")
_FROM_CUT = re.compile(f" {_CUT}[^ ]")  # a pair starting at a cut (with the space before it): no word
_SPACE = array("I", [ord(" ")])


def _pairs(text: str) -> str:
    """Every two neighbouring characters of `text`, each followed by a space (abc → "ab bc "), made with
    array slices: a string object per pair (map(str.__add__)) cost more than all the rest."""
    chars = array("I")
    chars.frombytes(text.encode("utf-32-le"))
    out = _SPACE * (3 * max(0, len(chars) - 1))
    out[0::3], out[1::3] = chars[:-1], chars[1:]
    return out.tobytes().decode("utf-32-le")


def indexed(text: str, normalised: bool = False) -> str:
    """words(text) joined by spaces (what a record's content holds), cut with no Python step
    per word: a Han run abc gives the pairs ab, bc and c⟨cut⟩ (its last character), so each
    word is a pair of the whole text that does not start at a cut. Latin and digit runs are
    one placeholder character each while pairing, put back after. Cutting run by run in a
    Python loop took twice as long (docs/benchmarks.md, issue 35)."""
    text = (text if normalised else normalise(text)).replace(_PLACE, " ")
    latin = _LATIN.findall(text)
    marked = _NOT_WORD.sub(_CUT, _LATIN.sub(f"{_CUT}{_PLACE}{_CUT}", text)) + _CUT
    out = _FROM_CUT.sub("", " " + _pairs(marked)).replace(_CUT, "").strip(" ")
    if latin:
        put_back = iter(latin)
        out = re.sub(_PLACE, lambda _: next(put_back), out)
    return out


def query_words(query: str) -> list[str]:
    """The phrase to look for: a Han run keeps its closing single character only when
    more words follow, because in the text it is followed by the next run."""
    runs = [m.group() for m in WORD.finditer(normalise(query))]
    out: list[str] = []
    for n, run in enumerate(runs):
        if _HAN_RUN.fullmatch(run) and len(run) > 1:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            if n < len(runs) - 1:
                out.append(run[-1])
        else:
            out.append(run)
    return out


def fnv64(text: str) -> str:
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return format(h, "016x")


def index_no_key(index_no: str) -> str:
    return re.sub(r"\s+", "", normalise(index_no))


def key_word(kind: str, key: str) -> str:
    return kind + fnv64(key)


META_MARK = key_word("xxgkm", "")  # ends the text excerpts are cut from


def cited_doc_nos(text: str, normalised: bool = False) -> set[str]:
    """Keys of the 发文字号 and 令号 mentioned in running text. The issuer code is not delimited
    there (根据津政办函〔2018〕10号), so every tail of 2..ISSUER_MAX characters counts.
    Found from the bracketed year backwards: DOC_NO.finditer over long Han runs backtracks
    through each run at every position, which made this the costliest step of a record.
    The issuer is the Han run just before the bracket, not reaching into the previous match."""
    if not normalised:
        text = normalise(text)
    keys = set()
    previous_end = 0
    for match in _DOC_NO_TAIL.finditer(text):
        before = text[previous_end : match.start()].rstrip()
        issuer = _ISSUER_END.search(before[-ISSUER_MAX:])
        if issuer:
            tail = f"〔{match[1]}〕{match[2]}"
            for n in range(2, len(issuer[0]) + 1):
                keys.add(issuer[0][-n:] + tail)
            previous_end = match.end()
    previous_end = 0
    for match in _ORDER_TAIL.finditer(text):  # 令第N号: the issuer runs up to 令
        issuer = _ISSUER_END.search(text[previous_end : match.start()][-ISSUER_MAX:])
        if issuer:
            tail = f"令{number(match[1])}"
            for n in range(2, len(issuer[0]) + 1):
                keys.add(issuer[0][-n:] + tail)
            previous_end = match.end()
    return keys
