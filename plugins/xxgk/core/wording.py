"""Finding the 严重表述错误 an inspection fails a site for, in one text as of one day: a retired
body's name, a fixed formulation one character off, a leader with a title not held on that day,
a forbidden term, and (a warning) a common 错别字. The lists are data (core/wordlists.py); this
module only matches, so `xxgk check`, the import report and `xxgk inspect` judge alike.

Precision comes first, since a check that cries wolf is switched off: a document is judged by
its own date (a 2016 notice rightly names 国家工商行政管理总局); a name inside 《》, after 原, as
a 令 citation, beside an older 文号 or beside its successor (the reform itself) is a quotation;
short formulations are flagged only for a homophone or two swapped characters (四个自然村 is
no 四个自信), and edits are never at a formulation's ends, where a near miss is just a prefix.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xxgk.core.wordlists import Forbidden, Formulation, Leader, Retired, Typo, Wordlists

SHORT = 6  # formulations this long or shorter: homophones and swaps only
# A numeral for a numeral is another session or count (二十届四中全会), not a misspelling of 三中全会.
NUMERALS = frozenset("〇零一二两三四五六七八九十百千")
# Marks people put inside a formulation (“五位一体”总体布局) are no extra character.
MARKS = frozenset("“”‘’「」『』\"' 、·")
# A retired name ending in 部 followed by one of these is another word (农业部门, 环保部署, 文化部分).
_WORD_AFTER_BU = frozenset("门署分位件队落类属")
_SENTENCE_END = re.compile(r"[。；！？\n]")
_YEAR_IN_DOC_NO = re.compile(r"[〔\[（(［【]\s*((?:19|20)\d\d)\s*[〕\]）)］】]")
# Staff accept a finding in the file where the text is right: <!-- 用语放行：原文｜理由：… -->
ACCEPT = re.compile(r"<!--\s*用语放行\s*[:：](?P<body>.*?)-->", re.S)
_ACCEPT_PARTS = re.compile(r"\s*(?P<text>[^|｜]+?)\s*[|｜]\s*理由\s*[:：]\s*(?P<reason>.*?)\s*$", re.S)


@dataclass(frozen=True)
class Finding:
    code: str  # E500 retired body, E501 formulation, E502 leader's title, E503 forbidden, W520 错别字
    start: int  # offset in the text
    found: str  # as written
    message: str  # what is wrong and what to write, in Chinese


@dataclass(frozen=True)
class Acceptance:
    text: str
    reason: str
    start: int


def acceptances(text: str) -> tuple[list[Acceptance], list[int]]:
    """The 用语放行 comments in a text, and the offsets of malformed ones (no reason)."""
    good, bad = [], []
    for m in ACCEPT.finditer(text):
        parts = _ACCEPT_PARTS.match(m.group("body"))
        if parts and parts.group("reason"):
            good.append(Acceptance(parts.group("text"), parts.group("reason"), m.start()))
        else:
            bad.append(m.start())
    return good, bad


def without_acceptances(text: str) -> str:
    """The text with its 用语放行 comments blanked (lines kept): a comment names the text it lets
    through, and must not count as a use of it."""
    return ACCEPT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


class Scanner:
    """All the lists as one regular expression, so a text is read once however long the lists
    grow: the literal names and terms, and every one-edit variant of each fixed formulation that
    `_one_edit` accepts (a trie of them, so each place in the text costs one step)."""

    def __init__(self, lists: Wordlists):
        self.lists = lists
        self.literals: dict[str, list[Retired | Typo | Forbidden | Leader]] = {}
        entries: list[Retired | Typo | Forbidden | Leader] = [*lists.retired, *lists.typos, *lists.forbidden]
        for entry in [*entries, *lists.leaders]:
            self.literals.setdefault(_literal_text(entry), []).append(entry)
        # Every variant starts with a literal character, so the engine skips the places no list
        # can start at; a first character replaced is found by the rest of the formulation.
        self.rests = {f.text[1:]: f for f in lists.formulations}
        variants = [tokens for f in lists.formulations for tokens in _variants(f.text)]
        self.regex = re.compile(_alternation([[re.escape(c) for c in lit] for lit in self.literals] + variants))
        self.vocabulary = sorted({t.title for leader in lists.leaders for t in leader.titles}, key=len, reverse=True)

    def find(self, text: str, day: dt.date) -> list[Finding]:
        """Every wording finding in `text` of a document dated `day`, in text order."""
        found: list[Finding] = []
        for m in self.regex.finditer(text):
            at, seen = m.start(), m.group()
            entries = self.literals.get(seen)
            rest = self.rests.get(seen)
            if rest is not None:
                seen, at = text[at - 1 : at] + seen, at - 1
                if not homophones(seen[0], rest.text[0]):
                    continue
            if entries is None:
                found.extend(_formulation(text, at, seen, self.lists.formulations))
            for entry in entries or ():
                finding = self._literal(entry, text, at, day)
                if finding:
                    found.append(finding)
        return found

    def _literal(self, entry, text: str, at: int, day: dt.date) -> Finding | None:
        if isinstance(entry, Retired):
            return _retired(entry, text, at, day, self.lists)
        if isinstance(entry, Leader):
            return _leader(entry, text, at, day, self.vocabulary)
        if isinstance(entry, Forbidden):
            return Finding(
                "E503", at, entry.term, f"“{entry.term}”是本机关禁用的用语（{entry.reason}）" + _instead(entry.instead)
            )
        return Finding("W520", at, entry.wrong, f"“{entry.wrong}”疑为错别字，规范写法为“{entry.right}”")


def _literal_text(entry: Retired | Typo | Forbidden | Leader) -> str:
    if isinstance(entry, Retired | Leader):
        return entry.name
    return entry.term if isinstance(entry, Forbidden) else entry.wrong


def _alternation(sequences: list[list[str]]) -> str:
    """One pattern matching any of the token sequences, written as a trie (shared prefixes once)."""
    trie: dict = {}
    for tokens in sequences:
        node = trie
        for token in tokens:
            node = node.setdefault(token, {})
        node[None] = {}

    def emit(node: dict) -> str:
        branches = [token + emit(sub) for token, sub in node.items() if token is not None]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if None in node else body

    return emit(trie)


def _instead(word: str) -> str:
    return f"，请改为“{word}”" if word else "，请删除或改写"


# --- retired and renamed bodies ---------------------------------------------------------------


def _retired(entry: Retired, text: str, at: int, day: dt.date, lists: Wordlists) -> Finding | None:
    if day <= entry.date or _quoted(text, at, entry, lists):  # on the document's day the old name was the name
        return None
    now = lists.final_successor(entry.name, day)
    return Finding(
        "E500",
        at,
        entry.name,
        f"“{entry.name}”自 {entry.date.isoformat()} 起已由“{entry.successor}”取代（{entry.source}），"
        f"本文件日期为 {day.isoformat()}：请改为“{now}”；引用旧文件时加书名号或写作“原{entry.name}”",
    )


def _quoted(text: str, at: int, entry: Retired, lists: Wordlists) -> bool:
    """Whether this mention of a retired body is a quotation or history, not a current name."""
    end = at + len(entry.name)
    after = text[end : end + 1]
    if entry.name.endswith("部") and after and after in _WORD_AFTER_BU:
        return True
    if text[at - 1 : at] in ("原", "前") or after == "令":
        return True
    if _inside_title(text, at):
        return True
    sentence = _sentence(text, at)
    if any(int(y) < entry.date.year for y in _YEAR_IN_DOC_NO.findall(sentence)):
        return True  # the sentence cites an older document by its 文号
    return entry.successor in sentence or lists.final_successor(entry.name, dt.date.max) in sentence


def _inside_title(text: str, at: int) -> bool:
    """Inside 《…》 on the same line."""
    opened = text.rfind("《", 0, at)
    return opened != -1 and text.rfind("》", 0, at) < opened and "\n" not in text[opened:at]


def _sentence(text: str, at: int) -> str:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, max(0, at - 300), at)]
    start = starts[-1] if starts else max(0, at - 300)
    stop = _SENTENCE_END.search(text, at)
    return text[start : stop.start() if stop else min(len(text), at + 300)]


# --- fixed formulations -----------------------------------------------------------------------


@cache
def _readings() -> dict[str, frozenset[str]]:
    """Each common Han character's readings without tones (ü kept apart from u)."""
    table = {}
    for code, readings in _pinyin_dict().items():
        if 0x4E00 <= code <= 0x9FFF:
            toneless = {
                "".join(c for c in unicodedata.normalize("NFD", r.replace("ü", "v")) if not unicodedata.combining(c))
                for r in readings.split(",")
            }
            table[chr(code)] = frozenset(toneless)
    return table


def _pinyin_dict() -> dict[int, str]:
    """pypinyin's readings by code point, its module pinyin_dict read on its own: importing the
    package runs its __init__, which loads the phrase dictionaries too, 0.5 s of every build
    that checks a changed item, for tables this module never reads (0.03 s alone)."""
    package = importlib.util.find_spec("pypinyin")  # found, not run
    path = Path(package.origin).with_name("pinyin_dict.py") if package and package.origin else None
    spec = importlib.util.spec_from_file_location("pypinyin.pinyin_dict", path) if path and path.is_file() else None
    if spec is None or spec.loader is None:  # laid out otherwise: through the package after all
        from pypinyin import pinyin_dict

        return pinyin_dict.pinyin_dict
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pinyin_dict


@cache
def _homophones_of(ch: str) -> frozenset[str]:
    sounds = _readings().get(ch, frozenset())
    return frozenset(c for c, r in _readings().items() if r & sounds and c != ch)


def homophones(a: str, b: str) -> bool:
    return a != b and bool(_readings().get(a, frozenset()) & _readings().get(b, frozenset()))


def _variants(right: str) -> Iterator[list[str]]:
    """Token sequences (regular-expression pieces) of every window `_one_edit` accepts for `right`."""
    n, short = len(right), len(right) <= SHORT
    lit = [re.escape(c) for c in right]
    for i in range(n - 1):  # two neighbours swapped
        if right[i] != right[i + 1]:
            yield [*lit[:i], lit[i + 1], lit[i], *lit[i + 2 :]]
    yield lit[1:]  # the first character replaced: found by the rest, judged in `_formulation`
    for i in range(1, n):  # one character replaced: by a homophone, or inside a long one by any
        others = NUMERALS if right[i] in NUMERALS else frozenset()
        if short or i == n - 1:
            chars = sorted(_homophones_of(right[i]) - others)
            cls = "[" + "".join(re.escape(c) for c in chars) + "]" if chars else ""
        else:
            cls = "[^" + "".join(re.escape(c) for c in sorted({right[i], "\n", *others})) + "]"
        if cls:
            yield [*lit[:i], cls, *lit[i + 1 :]]
    if short:
        return
    for i in range(1, n - 1):  # one dropped inside
        yield lit[:i] + lit[i + 1 :]
    marks = "[^" + "".join(re.escape(c) for c in sorted({"\n", *MARKS})) + "]"
    for i in range(1, n):  # one added inside
        yield [*lit[:i], marks, *lit[i:]]


def _formulation(text: str, at: int, seen: str, formulations: list[Formulation]) -> Iterator[Finding]:
    for f in formulations:
        what = _one_edit(seen, f.text) if abs(len(seen) - len(f.text)) <= 1 else ""
        # a window overlapping the right form itself is that form plus a neighbour (…思想的), not an edit
        around = text.find(f.text, max(0, at - len(f.text) + 1), at + len(seen) + len(f.text) - 1)
        if what and around == -1:
            yield Finding(
                "E501",
                at,
                seen,
                f"“{seen}”疑为固定提法“{f.text}”的误写（{what}）：请改为“{f.text}”（出处：{f.source}）",
            )
            return


def _one_edit(window: str, right: str) -> str:
    """How `window` is one allowed edit away from `right` ('' when it is not)."""
    n, short = len(right), len(right) <= SHORT
    if len(window) == n:
        diff = [i for i in range(n) if window[i] != right[i]]
        if len(diff) == 1:
            i = diff[0]
            if window[i] in NUMERALS and right[i] in NUMERALS:
                return ""
            if homophones(window[i], right[i]):
                return f"“{right[i]}”误作同音的“{window[i]}”"
            inner = 0 < i < n - 1
            return "" if short or not inner or "\n" in window else f"“{right[i]}”误作“{window[i]}”"
        i = diff[0] if len(diff) == 2 and diff[1] == diff[0] + 1 else -1
        if i >= 0 and window[i] == right[i + 1] and window[i + 1] == right[i]:
            return f"“{right[i]}{right[i + 1]}”两字颠倒"
        return ""
    if short or "\n" in window:
        return ""
    if len(window) == n - 1:  # a character dropped, never the first or last
        for i in range(1, n - 1):
            if right[:i] + right[i + 1 :] == window:
                return f"脱“{right[i]}”字"
    if len(window) == n + 1:  # a character added inside
        for i in range(1, n):
            if window[:i] + window[i + 1 :] == right:
                return "" if window[i] in MARKS else f"多“{window[i]}”字"
    return ""


# --- leaders' titles --------------------------------------------------------------------------


def _leader(leader: Leader, text: str, at: int, day: dt.date, vocabulary: list[str]) -> Finding | None:
    """A leader named next to a title (副区长王某某, 王某某区长, 王某某同志区长) they did not hold that day."""
    end = at + len(leader.name)
    after = text[end : end + 12]
    after = after[2:] if after.startswith("同志") else after
    before = text[max(0, at - 12) : at]
    title = next((t for t in vocabulary if after.startswith(t) or before.endswith(t)), None)
    held = [t.title for t in leader.titles if t.held_on(day)]
    if title is None or title in held:
        return None
    ever = title in {t.title for t in leader.titles}
    now = "、".join(held) or "（catalog/wording.yml 未写此日的职务）"
    why = f"该职务不在 {day.isoformat()} 的任期内" if ever else "其从未任此职务"
    return Finding(
        "E502",
        at,
        leader.name,
        f"{leader.name}的职务写作“{title}”，{why}，{day.isoformat()} 时其职务为 {now}：请核对（依据 catalog/wording.yml）",
    )
