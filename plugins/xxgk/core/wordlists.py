"""The word lists the wording check reads: what ships with xxgk (`wording_data/`: retired and
renamed national bodies, fixed formulations, common 错别字, each entry with its source) and what
the agency writes in `catalog/wording.yml` (its leaders and their titles over time, its own
renamed bodies, terms it forbids, formulations of its own). Data, not code: a reform or an
appointment is a line in a file, with the date it holds from.

    leaders:                     # 本机关领导：姓名及各时期职务（from/until 可省）
      - name: 王某某
        titles:
          - {title: 区长, from: 2024-01-12}
          - {title: 副区长, from: 2021-06-01, until: 2024-01-11}
    renamed:                     # 本地更名或撤销的机构
      - {name: 河西区环境保护局, successor: 云溪市生态环境局河西分局, date: 2019-03-01, source: 河西区机构改革方案}
    forbidden:                   # 禁用语
      - {term: 某某用语, instead: 规范用语, reason: 理由}
    formulations:                # 本地固定提法
      - {text: 某某提法, source: 出处}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from xxgk.core.model import Problem
from xxgk.core.yamlio import LineDict, load_yaml, read_yaml_file

WORDING_FILE = "wording.yml"
DATA = Path(__file__).parent / "wording_data"
HOWTO = "见 docs/format.md“用语检查”：leaders、renamed、forbidden、formulations 四个列表"


@dataclass(frozen=True)
class Retired:
    """A body that no longer exists under this name from `date` on (the successor's 挂牌 day)."""

    name: str
    successor: str
    date: dt.date
    source: str


@dataclass(frozen=True)
class Formulation:
    text: str
    source: str


@dataclass(frozen=True)
class Typo:
    wrong: str
    right: str


@dataclass(frozen=True)
class Forbidden:
    term: str
    instead: str
    reason: str


@dataclass(frozen=True)
class Title:
    title: str
    start: dt.date | None
    end: dt.date | None

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Leader:
    name: str
    titles: tuple[Title, ...]


@dataclass
class Wordlists:
    retired: list[Retired] = field(default_factory=list)
    formulations: list[Formulation] = field(default_factory=list)
    typos: list[Typo] = field(default_factory=list)
    forbidden: list[Forbidden] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)

    def final_successor(self, name: str, day: dt.date) -> str:
        """The body's name on `day`, following renames (银监会 → 银保监会 → 金融监管总局)."""
        seen = {name}
        while True:
            entry = next((e for e in self.retired if e.name == name and e.date <= day), None)
            if entry is None or entry.successor in seen:
                return name
            name = entry.successor
            seen.add(name)


def load_wordlists(path: Path, shown: str, problems: list[Problem]) -> Wordlists:
    """The shipped lists with the site's own added (an absent site file adds nothing)."""
    lists = _shipped()
    own = Wordlists(list(lists.retired), list(lists.formulations), list(lists.typos))
    if not path.exists():
        return own
    readable, data = read_yaml_file(path, shown, problems)
    if not readable or data is None:
        return own
    if not isinstance(data, LineDict):
        problems.append(Problem(shown, 1, "E510", f"{shown} 应为映射；{HOWTO}"))
        return own
    for key in data:
        if key not in _SECTIONS:
            problems.append(Problem(shown, data.line_of(key), "E510", f"未知的键 {key}；{HOWTO}"))
    for key, (attr, read) in _SECTIONS.items():
        entries = data.get(key) or []
        if not isinstance(entries, list):
            problems.append(Problem(shown, data.line_of(key), "E510", f"{key} 应为列表；{HOWTO}"))
            continue
        for raw in entries:
            found = read(raw, shown, problems)
            if found is not None:
                getattr(own, attr).append(found)
    return own


@cache
def _shipped() -> Wordlists:
    """xxgk's own lists; a mistake in them is a bug of ours, so it raises."""

    def rows(name: str) -> list[dict]:
        return load_yaml((DATA / name).read_text(encoding="utf-8"))

    retired = [
        Retired(alias, r["successor"], r["date"], r["source"])
        for r in rows("retired.yml")
        for alias in [r["name"], *r.get("also", [])]
    ]
    return Wordlists(
        retired=retired,
        formulations=[Formulation(r["text"], r["source"]) for r in rows("formulations.yml")],
        typos=[Typo(r["wrong"], r["right"]) for r in rows("typos.yml")],
    )


def _texts(raw, shown: str, problems: list[Problem], need: tuple[str, ...], example: str) -> dict | None:
    """The entry's required texts, or None after reporting what is missing."""
    if not isinstance(raw, LineDict):
        problems.append(Problem(shown, getattr(raw, "line", 1), "E510", f"每项应为映射，例如 {example}"))
        return None
    values = {k: raw.get(k) for k in need}
    missing = [k for k, v in values.items() if not isinstance(v, str) or not v.strip()]
    if missing:
        problems.append(Problem(shown, raw.line, "E510", f"缺少 {'、'.join(missing)}（应为文字），例如 {example}"))
        return None
    return {k: str(v).strip() for k, v in values.items()}


def _date(raw: LineDict, key: str, shown: str, problems: list[Problem]) -> tuple[bool, dt.date | None]:
    """(whether the value is usable, the date under `key` or None when absent); a value that is
    not a date is reported."""
    value = raw.get(key)
    if value is None or isinstance(value, dt.date):
        return True, value
    problems.append(Problem(shown, raw.line_of(key), "E510", f"{key} 应为日期 YYYY-MM-DD，写的是“{value}”"))
    return False, None


def _renamed(raw, shown: str, problems: list[Problem]) -> Retired | None:
    example = "{name: 旧称, successor: 现名, date: 2019-03-01, source: 依据}"
    texts = _texts(raw, shown, problems, ("name", "successor", "source"), example)
    if texts is None:
        return None
    ok, day = _date(raw, "date", shown, problems)
    if day is None:
        if ok:
            problems.append(Problem(shown, raw.line, "E510", f"缺少 date（新名称启用之日），例如 {example}"))
        return None
    return Retired(texts["name"], texts["successor"], day, texts["source"])


def _forbidden(raw, shown: str, problems: list[Problem]) -> Forbidden | None:
    texts = _texts(raw, shown, problems, ("term", "reason"), "{term: 禁用语, instead: 规范用语, reason: 理由}")
    if texts is None:
        return None
    return Forbidden(texts["term"], str(raw.get("instead") or "").strip(), texts["reason"])


def _formulation(raw, shown: str, problems: list[Problem]) -> Formulation | None:
    texts = _texts(raw, shown, problems, ("text", "source"), "{text: 提法, source: 出处}")
    return Formulation(texts["text"], texts["source"]) if texts else None


def _leader(raw, shown: str, problems: list[Problem]) -> Leader | None:
    example = "{name: 王某某, titles: [{title: 区长, from: 2024-01-12}]}"
    texts = _texts(raw, shown, problems, ("name",), example)
    if texts is None:
        return None
    periods = raw.get("titles")
    if not isinstance(periods, list) or not periods:
        problems.append(Problem(shown, raw.line_of("titles"), "E510", f"titles 应为职务列表，例如 {example}"))
        return None
    titles = []
    for period in periods:
        got = _texts(period, shown, problems, ("title",), "{title: 区长, from: 2024-01-12, until: 2026-01-11}")
        if got is None:
            continue
        (start_ok, start), (end_ok, end) = (
            _date(period, "from", shown, problems),
            _date(period, "until", shown, problems),
        )
        if not (start_ok and end_ok):
            continue
        if start and end and end < start:
            problems.append(Problem(shown, period.line, "E510", f"{got['title']} 的 until 早于 from，请核对任职日期"))
            continue
        titles.append(Title(got["title"], start, end))
    return Leader(texts["name"], tuple(titles)) if titles else None


_SECTIONS = {  # key in wording.yml → (list it joins, reader)
    "leaders": ("leaders", _leader),
    "renamed": ("retired", _renamed),  # the site's own renamed bodies join the national list
    "forbidden": ("forbidden", _forbidden),
    "formulations": ("formulations", _formulation),
}
