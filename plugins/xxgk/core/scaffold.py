"""What `xxgk new` writes: the next free index_no for a publisher and year, and the item file text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from xxgk.core import safetext
from xxgk.core.fields import FIELDS

LAST_DIGITS = re.compile(r"[0-9]+(?=[^0-9]*$)")


class ScaffoldError(Exception):
    """The answers cannot make an item; the message says what to give instead."""


def next_index_no(pattern: re.Pattern, org: str, year: int, existing: list[str]) -> str:
    """One more than the highest serial this publisher used in `year`, in the site's index_no shape.

    The shape is copied from an existing index_no that fits `pattern` (this publisher and
    year first, then this publisher, then anyone); the serial is its last run of digits.
    """
    matches = [m for m in map(pattern.fullmatch, existing) if m]
    mine = [m for m in matches if m.groupdict().get("org", org) == org]
    this_year = [m for m in mine if m.groupdict().get("year") == str(year)]
    template: re.Match[str] | None
    if this_year:
        template = max(this_year, key=lambda m: int(_serial(m.group()).group()))
        serial = int(_serial(template.group()).group()) + 1
    elif mine or matches:
        template, serial = (mine or matches)[0], 1
    else:
        template, serial = pattern.fullmatch(f"{org}/{year}-00001"), 1
    candidate = _fill(template, org, year, serial) if template else None
    check = pattern.fullmatch(candidate) if candidate else None
    if (
        candidate is None
        or check is None
        or check.groupdict().get("org", org) != org
        or check.groupdict().get("year", str(year)) != str(year)
        or candidate in existing
    ):
        raise ScaffoldError(
            "无法按 mkdocs.yml 中的 index_no_pattern 推算下一个索引号；"
            "请用 --index-no 写明索引号（全站唯一，发布后不能更改）"
        )
    return candidate


def _serial(index_no: str) -> re.Match[str]:
    """The last run of digits: an index number that fits the pattern has one."""
    found = LAST_DIGITS.search(index_no)
    assert found is not None, index_no
    return found


def _fill(m: re.Match, org: str, year: int, serial: int) -> str:
    text = m.group()
    digits = _serial(text)
    spans = [(digits.start(), digits.end(), str(serial).zfill(len(digits.group())))]
    for name, value in (("org", org), ("year", str(year))):
        if name in m.groupdict() and m.start(name) >= 0:
            spans.append((m.start(name), m.end(name), value))
    if len({s for s, _, _ in spans}) < len(spans) or any(
        a[0] < b[1] and b[0] < a[1] for i, a in enumerate(spans) for b in spans[i + 1 :]
    ):
        return ""  # the serial is inside the org or year: the shape has no serial of its own
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return text


PLACEHOLDER = "<!-- 在下方填写正文；附件放在同一文件夹的 files/ 中，并在 attachments 中列出 -->\n"


def item_text(meta: dict, body: str | None = None) -> str:
    """Front matter in docs/format.md order, YAML-quoted where needed, a blank line, then the body
    (without one, a comment saying where the body goes)."""
    return front_matter(meta) + "\n" + (PLACEHOLDER if body is None else body.lstrip("\n"))


def front_matter(meta: dict) -> str:
    """`---` … `---`: docs/format.md's keys in its order, then any others (kept, e.g. by `xxgk import --update`)."""
    keys = [k for k in FIELDS if k in meta] + [k for k in meta if k not in FIELDS]
    ordered = {k: meta[k] for k in keys if meta.get(k) not in (None, "", [])}
    return "---\n" + "\n".join(key_lines(ordered)) + "\n---\n"


def key_lines(meta: dict) -> list[str]:
    """One line per key, as `xxgk new` writes it; lists and mappings inline."""
    return [f"{k}: {_dump(v, True)}" if isinstance(v, (list, dict)) else _dump({k: v}, False) for k, v in meta.items()]


def item_path(opts, published: dt.date, publisher: str, index_no: str, slug: str | None = None) -> Path:
    """Where `xxgk new` puts an item: items/<year>/<publisher>/<serial of the index_no>.md.
    Each part is one safe path segment (safetext), so no answer writes outside items_dir."""
    name = slug or default_slug(index_no)
    for value, what in ((publisher, "发布机构 id"), (name, "文件名")):
        problem = safetext.identity_problem(value, what) or ("/" in value and f"{what}“{value}”不能含 /") or None
        if problem:
            raise ScaffoldError(problem)
    return opts.docs_path / opts.items_dir / str(published.year) / publisher / f"{name}.md"


def default_slug(index_no: str) -> str:
    """The file name `xxgk new` gives an item: the serial part of its index_no."""
    return index_no.rsplit("/", 1)[-1]


def _dump(value, inline: bool) -> str:
    """One line of YAML, quoted where needed; lists and mappings inline, e.g. topics: [综合政务]."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=inline, sort_keys=False, width=10_000).strip()


def consultation_default(start: dt.date) -> dict:
    """征求意见 is open for 30 days unless staff say otherwise."""
    return {"start": start, "end": start + dt.timedelta(days=30)}
