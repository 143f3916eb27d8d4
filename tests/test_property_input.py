"""Bounded parsing, by property (issue 14, item 4): random and mutated front matter and bodies
thrown at the loader and every check never raise, every rejected file gets a
`path:line: CODE 说明` on one of its lines, and each file is done within a deadline.
Seeded (derandomize) and bounded in examples, so scripts/test stays within CI time."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from xxgk.core.options import read_mkdocs_yml
from xxgk.rules import analyse

ITEM = "content/items/2024/bgs/probe.md"
PAGE = "content/probe-page.md"
MESSAGE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<code>[EW]\d{3}) \S")
PROPERTY = settings(
    max_examples=60,
    derandomize=True,  # the same examples on every run and machine
    database=None,
    deadline=5000,  # ms per example: a hang or a blow-up fails, ordinary slowness does not
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VALID = {
    "title": "关于做好年度信息公开工作的通知",
    "index_no": "11990100MB0000001T/2024-00009",
    "publisher": "bgs",
    "published": "2024-04-01",
    "category": "tzgg",
    "topics": "[综合政务]",
    "abolished": "{date: 2024-05-01, by: 11990100MB0000001T/2024-00001}",
    "attachments": "[{file: files/a.pdf, title: 附件}]",
    "privacy_ok": "[{value: '13912345678', reason: 公开}]",
    "interprets": "[11990100MB0000001T/2024-00009]",
    "revised_by": "11990100MB0000001T/2024-00009",
}
YAML_BITS = st.sampled_from(
    list(":-[]{}&*!|>'\"#%@`,?\t\n ") + ["---", "&a ", "*a", "!!python/object:os.system", "<<: *a", "\\u0000", "\ufeff"]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
HTML_BITS = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=a()>",
        '<a href="javascript:a()">x</a>',
        "<table><tr><td colspan=2>x</td></tr></table>",
        "[x](javascript:a())",
        "{: onclick=a() }",
        "```\n<script>\n```",
        "`<b>`",
        "<!--",
        "<",
        "&#x6a;",
        "110101 19900307 1233",
        "+8613912345678",
        "\n",
        "---\n",
    ]
)


@st.composite
def front_matter(draw) -> str:
    keys = draw(st.lists(st.sampled_from(sorted(VALID)), unique=True, max_size=len(VALID)))
    lines = [f"{k}: {VALID[k]}" for k in keys]
    lines += draw(st.lists(st.builds(lambda k, v: f"{k}: {v}", TEXT, TEXT), max_size=3))
    text = "\n".join(lines)
    for _ in range(draw(st.integers(0, 6))):  # mutations: insert, delete or replace a stretch
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 5))
        text = text[:at] + draw(st.one_of(YAML_BITS, TEXT)) + text[at + cut :]
    return text


@st.composite
def body(draw) -> str:
    return "".join(draw(st.lists(st.one_of(TEXT, HTML_BITS), max_size=12)))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("property") / "site"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def _assert_reported(root: Path, rel: str, text: str) -> None:
    (root / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
    site = analyse(read_mkdocs_yml(root))  # must not raise
    lines = max(1, text.count("\n") + 1)
    mine = []
    for problem in site.problems:
        m = MESSAGE.match(str(problem))
        assert m, str(problem)
        if m["path"] == rel:
            assert 1 <= int(m["line"]) <= lines + 1, (str(problem), text)
            mine.append(problem)
    loaded = [i for i in site.content.items if i.path == rel] + [p for p in site.content.page_files if p.path == rel]
    assert loaded or any(p.is_error for p in mine), text  # a file that was not read says why


@PROPERTY
@given(front=front_matter(), text=body())
def test_random_item_files_never_crash_and_every_rejection_is_named(site, front, text):
    _assert_reported(site, ITEM, f"---\n{front}\n---\n\n{text}\n")


@PROPERTY
@given(front=front_matter(), text=body(), with_header=st.booleans())
def test_random_ordinary_pages_never_crash(site, front, text, with_header):
    _assert_reported(site, PAGE, (f"---\n{front}\n---\n\n" if with_header else "") + text)


@PROPERTY
@given(raw=st.binary(max_size=300))
def test_any_bytes_as_an_item_never_crash(site, raw):
    (site / ITEM).write_bytes(raw)
    result = analyse(read_mkdocs_yml(site))
    for problem in result.problems:
        assert MESSAGE.match(str(problem)), str(problem)
