"""One Status type (core/status.py) for Python, the templates and the browser: which statuses
count as in force and as repealed, their badge classes and marks, and the built pages and
the browser data agreeing with it."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import ROOT
from xxgk.core.fields import POLICY_TYPES
from xxgk.core.model import VALIDITY_KEYS
from xxgk.core.status import KINDS, LABELS, Status

CSS = ROOT / "plugins/xxgk/adapter/templates/assets/xxgk/xxgk.css"
# The public face of the table: sites style these classes in their own overrides/.
PUBLISHED = {
    "有效": ("ok", "✓"),
    "尚未施行": ("pending", "◷"),
    "失效": ("expired", "✕"),
    "废止": ("abolished", "✕"),
    "已修订": ("revised", "↻"),
}


def test_the_sets():
    assert [k for k in LABELS if KINDS[k].in_force] == ["有效"]
    # 现行有效 lists the in-force; 已废止、失效 and the search page's checkbox take the rest but 尚未施行
    assert [k for k in LABELS if KINDS[k].repealed] == ["失效", "废止", "已修订"]
    assert Status("有效").in_force and not Status("尚未施行").in_force


def test_badge_classes_and_marks_are_the_published_ones():
    assert {k.label: (k.css, k.mark) for k in KINDS.values()} == PUBLISHED


def test_the_stylesheet_styles_every_badge_and_notice():
    css = CSS.read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f".xx-status--{kind.css}" in css, kind.label
        if not kind.in_force:
            assert f".xx-banner--{kind.css}" in css, kind.label


@pytest.fixture(scope="module")
def statuses(demo_build) -> dict[str, str]:
    """index_no -> effective status, from the site's open data (catalog.json)."""
    rows = json.loads((demo_build.path / "site/catalog.json").read_text(encoding="utf-8"))
    rows = rows["items"] if isinstance(rows, dict) else rows
    return {r["index_no"]: r["effective_status"] for r in rows}


def _states_validity(demo_build) -> dict[str, bool]:
    """index_no -> whether the item is a 规章/行政规范性文件 or writes its own validity (its source)."""
    out = {}
    for path in (demo_build.path / "content/items").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))
        out[meta["index_no"]] = meta.get("doc_type") in POLICY_TYPES or any(k in meta for k in VALIDITY_KEYS)
    return out


def test_every_page_shows_the_badge_of_its_status(demo_build, statuses):
    assert set(statuses.values()) == set(LABELS)  # the demo shows every status
    stated = _states_validity(demo_build)
    assert 0 < sum(stated.values()) < len(stated)  # both kinds are in the demo
    for index_no, label in statuses.items():
        html = demo_build.html(f"items/{index_no}/")
        kind = KINDS[label]
        badge = (
            f'<span class="xx-status xx-status--{kind.css}"><span aria-hidden="true">{kind.mark}</span>{label}</span>'
        )
        if not stated[index_no]:  # a 通知 or 公示 is neither in force nor not: no 有效性 at all
            assert '<th scope="row">有效性</th>' not in html, index_no
            continue
        assert badge in html, index_no
        now = re.sub(r"<template.*?</template>", "", html, flags=re.S)  # changes still ahead are shown later
        banner = re.search(r'class="xx-banner xx-banner--(\w+)"', now)
        assert (banner and banner[1]) == (None if kind.in_force else kind.css), index_no


def _listed(demo_build, url: str) -> set[str]:
    """The items a paginated list links to (policies/<state>/<slug>/page/<n>/)."""
    found, n, page = set(), 1, url
    while (demo_build.path / "site" / page / "index.html").exists():
        listing = demo_build.html(page).split('class="xx-list"', 1)[-1].split("</ul>", 1)[0]
        found |= set(re.findall(r'href="[./]*items/([^"]+)/"', listing))
        n += 1
        page = f"{url}page/{n}/"
    return found


@pytest.mark.parametrize("state, wanted", [("current", "in_force"), ("repealed", "repealed")])
def test_policy_lists_hold_exactly_their_statuses(demo_build, statuses, state, wanted):
    rows = json.loads((demo_build.path / "site/catalog.json").read_text(encoding="utf-8"))
    rows = rows["items"] if isinstance(rows, dict) else rows
    for slug, doc_type in (("gz", "规章"), ("gfxwj", "行政规范性文件")):
        expected = {
            r["index_no"] for r in rows if r["doc_type"] == doc_type and getattr(KINDS[r["effective_status"]], wanted)
        }
        assert _listed(demo_build, f"policies/{state}/{slug}/") == expected, (state, slug)


def test_the_browser_gets_the_same_table(demo_build):
    text = (demo_build.path / "site/assets/xxgk/rules.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert [(s["label"], s["css"], s["mark"], s["in_force"], s["repealed"]) for s in data["statuses"]] == [
        (k.label, k.css, k.mark, k.in_force, k.repealed) for k in KINDS.values()
    ]


def _quoted_labels(text: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"""(["'])([^"'\n]*)\1""", text) if m.group(2) in KINDS]


def test_no_template_or_browser_file_branches_on_a_status_label():
    """Every word shown for a status comes from core/status.py (Kind, Status.note) and the
    rule from statusOn; a template or script comparing a label would say it a second time.
    lifecycle.js holds the port of the rule itself (checked in test_status_now.py)."""
    browser = ROOT / "plugins/xxgk/browser"
    files = [*(ROOT / "plugins/xxgk/adapter/templates").rglob("*.html"), *browser.rglob("*.js")]
    found = {
        str(f.relative_to(ROOT)): labels
        for f in files
        if f.name != "lifecycle.js" and (labels := _quoted_labels(f.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert _quoted_labels("""{% if st.label == "尚未施行" %}""") == ["尚未施行"]
