"""Search text: how indexed text and queries are cut into Pagefind words.

Pagefind gets pre-cut words in language `und`, so neither its indexer nor the
browser segments Chinese. Every Han character is a word of its own, and each run
of Han characters is followed by a run-end word, its last character marked with
RUN_END (营商环境 → 营 商 环 境 境z); letters and digits stay whole words. A query
of n ≥ 2 Han characters is then the phrase of its n characters, which occurs
exactly where the text contains the query: a run-end word stands between two runs,
so no phrase crosses from one run into the next — recall depends on no dictionary.
A query of several runs (营商，环境; 2018年) asks the run-end words where its own
runs end before another, so a run ends there in the text too. search.js mirrors
`query_words`.

The same rule as the overlapping bigrams before (营商 商环 环境 境), with a tenth more
positions but a third of the distinct words per page: Pagefind's work grows with the
(word, page) pairs it indexes (docs/benchmarks.md, runs U). And a last run of one
character (2018年) can be asked as the start of a run (2018年度), which bigrams
could not (no prefix inside a Pagefind phrase). A query downloads a chunk per
character instead of per bigram: about 30 % more bytes for a whole count.

发文字号 and 索引号 are also stored as one opaque key word each (FNV-1a 64 of
the normalised number), so an exact look-up matches whole numbers only.
"""

from __future__ import annotations

import re

from xxgk.core.docno import DOC_NO_PATTERN, HAN, NUMERALS, normalise, number

LATIN_WORD = "[0-9a-z]+"  # a word of letters and digits (also the portal engine's, portal/engine.py)
WORD = re.compile(f"[{HAN}]+|{LATIN_WORD}")
_HAN_RUN = re.compile(f"[{HAN}]+")
# In running text both 第 and 号 of a 令号 must be written (命令 is common prose).
_ORDER_TAIL = re.compile(f"令\\s*第\\s*([0-9]+|[{NUMERALS}]+)\\s*号")
ISSUER_MAX = 10  # longest issuer code a citation in running text is assumed to have
# DOC_NO from its bracket on: the space before it is left to the issuer's rstrip, so the
# engine can skip to a bracket instead of trying \s* at every character (issue 35)
_DOC_NO_TAIL = re.compile(DOC_NO_PATTERN[DOC_NO_PATTERN.index("\\s*") + 3 :])
_ISSUER_END = re.compile(f"[{HAN}]+$")

OWN_DOC_NO = "xxgkd"  # this item's own 发文字号
CITED_DOC_NO = "xxgkc"  # a 发文字号 the text mentions
INDEX_NO = "xxgki"  # this item's 索引号


def words(text: str, normalised: bool = False) -> list[str]:
    """The words Pagefind indexes for `text`, in order (`normalised`: normalise() was applied)."""
    return indexed(text, normalised).split()


# The word scheme, in pagefind/manifest.json: a portal merges only shards cut as its own search.js
# cuts queries (portal/read.py). None (no "words"): overlapping bigrams, before issue 35.
WORDS = 2
RUN_END = "z"  # marks a run's last character (境z): no text makes a Han character followed by a letter one word
_RUN = re.compile(f"([{HAN}]+)|({LATIN_WORD})")  # WORD, the kind of run told by its group


def indexed(text: str, normalised: bool = False) -> str:
    """words(text) joined by spaces (what a record's content holds). One step per run, each
    char of a Han run added by list.extend in C: as fast as the array-sliced bigrams were."""
    out: list[str] = []
    for han, latin in _RUN.findall(text if normalised else normalise(text)):
        if han:
            out += han
            out.append(han[-1] + RUN_END)
        else:
            out.append(latin)
    return " ".join(out)


def query_words(query: str) -> list[str]:
    """The phrase to look for. A Han run that another run follows ends there in the text too
    (its run-end word); a last run of one character is asked whole (2018年: 年 is a run), as
    the bigrams asked it, and search.js then also asks it without the run-end word (2018年度)."""
    runs = [m.group() for m in WORD.finditer(normalise(query))]
    out: list[str] = []
    for n, run in enumerate(runs):
        if _HAN_RUN.fullmatch(run):
            out += run
            if n < len(runs) - 1 or (len(run) == 1 and len(runs) > 1):
                out.append(run[-1] + RUN_END)
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
