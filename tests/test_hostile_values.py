"""Issue 30, typed YAML and odd values, and files in their place: every misfit is a Problem at
its file and line with its code, never a coerced value and never a traceback. In-process on
the mini fixture (core/yamlio, core/load, core/safetext, core/folders, core/placement)."""

from __future__ import annotations

import os
import random
import re

import pytest

from xxgk.core.load import load_content
from xxgk.core.options import OptionsError, read_mkdocs_yml
from xxgk.core.yamlio import YamlError, load_yaml
from xxgk.rules import analyse

NOTICE = "content/items/2024/bgs/notice.md"


def problems(site, code):
    content = load_content(read_mkdocs_yml(site.path))
    return [(p.path, p.line, p.message) for p in content.problems if p.code == code]


def checked(site, code):
    result = analyse(read_mkdocs_yml(site.path))
    return [(p.path, p.line, p.message) for p in result.problems if p.code == code]


@pytest.mark.parametrize(
    "written, kept",
    [("0x10", "0x10"), ("12:30", "12:30"), (".nan", ".nan"), ("-.inf", "-.inf"), ("012", "012"), ("1_000", "1_000")]
    + [("1.50", "1.50"), ("1e3", "1e3"), ("yes", "yes"), ("off", "off"), ("!!float 2.0", "2.0")],
)
def test_plain_scalars_keep_the_text_written(written, kept):
    assert load_yaml(f"title: {written}") == {"title": kept}


def test_numbers_booleans_and_dates_still_read():
    assert load_yaml("a: 12\nb: -3\nc: true\nd: 2024-02-01\ne: ~") == {
        "a": 12,
        "b": -3,
        "c": True,
        "d": __import__("datetime").date(2024, 2, 1),
        "e": None,
    }


@pytest.mark.parametrize("text", ["2024-02-30: x", "- 2024-02-30\n- 2024-02-31: y", "a:\n  2024-02-01: b"])
def test_date_like_keys_and_entries_are_problems_not_tracebacks(text):
    try:
        load_yaml(text)
    except YamlError as exc:
        assert exc.code == "E101" and "引号" in exc.message
    else:
        assert text.startswith("- ")  # a list entry stays a BadScalar for the field's own message


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\x01", "\x7f", "\ufffe", "\ufeff", "\U000e0041"])
def test_control_and_bidi_characters_are_e113_at_their_line(mini, char):
    escaped = char.encode("unicode_escape").decode("ascii")
    mini.edit(NOTICE, "category: tzgg", f'category: tzgg\nsummary: "概述{escaped}"')
    assert problems(mini, "E113") == [(NOTICE, 7, problems(mini, "E113")[0][2])]
    assert f"U+{ord(char):04X}" in problems(mini, "E113")[0][2]


def test_control_characters_in_catalog_files(mini):
    mini.write("catalog/topics.yml", '- 综合政务\n- "财政\\u202e金融"\n')
    assert [p[:2] for p in problems(mini, "E113")] == [("catalog/topics.yml", 2)]


def test_date_keys_in_front_matter_and_topics(mini):
    mini.edit(NOTICE, "category: tzgg", "category: tzgg\n2024-02-30: x")
    mini.write("catalog/topics.yml", "- 综合政务\n- 2024-02-30\n- 2024-01-01\n")
    assert [p[:2] for p in problems(mini, "E101")] == [(NOTICE, 7)]
    assert [p[:2] for p in problems(mini, "E134")] == [("catalog/topics.yml", 1), ("catalog/topics.yml", 1)]


@pytest.mark.parametrize("day", ["9999-12-31", "1000-01-01", "1899-12-31"])
def test_implausible_dates_are_e103(mini, day):
    mini.edit(NOTICE, "published: 2024-04-01", f"published: {day}")
    (found,) = problems(mini, "E103")
    assert found[:2] == (NOTICE, 5) and "合理范围" in found[2]


@pytest.mark.parametrize(
    "index_no",
    ["11990100MB0000001T/２０２４-00003", "11990100MB0000001T/٢٠٢٤-00003", 'X"onmouseover=alert(1)', "../../../tmp/x"]
    + ["a/../b", "/abs/2024-1", "a b", "a%2e%2e", "a?b#c"],
)
def test_index_no_that_cannot_be_a_path_is_e115_whatever_the_pattern(mini, index_no):
    mini.edit("mkdocs.yml", "      search: false", "      search: false\n      index_no_pattern: '.*'")
    mini.edit(NOTICE, "index_no: 11990100MB0000001T/2024-00003", f"index_no: '{index_no}'")
    assert [p[:2] for p in checked(mini, "E115")] == [(NOTICE, 3)]


def test_wrong_typed_catalog_and_department_fields(mini):
    mini.edit(
        "catalog/catalog.yml", "- id: tzgg\n  name: 通知公告", "- id: tzgg\n  name: 通知公告\n  department: [bgs]"
    )
    text = mini.read("catalog/departments.yml")
    mini.write("catalog/departments.yml", text + '- id: "../../evil"\n  name: 坏\n  org_code: 11990100MB0000009X\n')
    assert [p[2] for p in problems(mini, "E131")] == ["目录节点的 department 应为一段文字，不是列表或映射"]
    assert [p[0] for p in problems(mini, "E115")] == ["catalog/departments.yml"]


def test_template_in_a_page_is_e114(mini):
    mini.write("content/about.md", "---\ntemplate: ../../etc/passwd\n---\n# 关于\n")
    assert problems(mini, "E114") == [("content/about.md", 2, problems(mini, "E114")[0][2])]


@pytest.mark.parametrize("value", [".nan", ".inf", "-1", "'10'"])
def test_attachment_max_mb_must_be_a_finite_positive_number(mini, value):
    mini.edit("mkdocs.yml", "      search: false", f"      search: false\n      attachment_max_mb: {value}")
    with pytest.raises(OptionsError) as caught:
        read_mkdocs_yml(mini.path)
    assert caught.value.problem.code == "E001"


# ---------------------------------------------------------------- files in their place


@pytest.mark.parametrize(
    "key, value",
    [("site_dir", "catalog"), ("site_dir", "content"), ("site_dir", "."), ("site_dir", ".."), ("docs_dir", "/")]
    + [("site_dir", "content/x"), ("docs_dir", "catalog"), ("docs_dir", ".."), ("site_dir", ".git/site")],
)
def test_folders_that_overlap_are_e118(mini, key, value):
    written = f"{key}: '{value}'\n" if key == "docs_dir" else f"docs_dir: content\n{key}: '{value}'\n"
    mini.edit("mkdocs.yml", "docs_dir: content\n", written)
    with pytest.raises(OptionsError) as caught:
        read_mkdocs_yml(mini.path)
    assert caught.value.problem.code == "E118"


def test_items_dir_typo_is_named_at_the_stray_item(mini):
    mini.edit("mkdocs.yml", "      search: false", "      search: false\n      items_dir: itemz")
    found = problems(mini, "E118")
    assert found and found[0][0].startswith("content/items/") and "items_dir" in found[0][2]


def test_file_names_case_clashes_and_generated_addresses(mini):
    folder = mini.path / "content/items/2024/bgs/files"
    folder.mkdir(parents=True)
    for name in ('a"onclick=x.pdf', "b#c.pdf", "d?e.pdf", "Case.pdf", "case.pdf"):
        (folder / name).write_bytes(b"%PDF-1.4\n")
    mini.write("content/catalog/index.md", "# 我的目录\n")
    mini.write("content/search.md", "# 搜索\n")
    unsafe = sorted(p[0].rsplit("/", 1)[1] for p in problems(mini, "E115"))
    assert unsafe == ['a"onclick=x.pdf', "b#c.pdf", "d?e.pdf"]
    assert [p[0] for p in problems(mini, "E116")] == ["content/items/2024/bgs/files/case.pdf"]
    assert sorted(p[0] for p in problems(mini, "E117")) == ["content/catalog/index.md", "content/search.md"]


def test_every_published_file_keeps_the_size_limit(mini):
    mini.edit("mkdocs.yml", "      search: false", "      search: false\n      attachment_max_mb: 0.001")
    mini.path.joinpath("content/big.pdf").write_bytes(b"%PDF" + b"0" * 4096)
    small = {
        p.relative_to(mini.path).as_posix() for p in (mini.path / "content").rglob("*.png") if p.stat().st_size <= 1048
    }
    found = [p[:2] for p in checked(mini, "E153")]
    assert ("content/big.pdf", 1) in found and not any(path in small for path, _ in found)


def test_a_loop_of_links_is_e155_not_a_traceback(mini):
    os.symlink("loop-b", mini.path / "content/loop-a")
    os.symlink("loop-a", mini.path / "content/loop-b")
    assert len(problems(mini, "E155")) == 2 and "循环" in problems(mini, "E155")[0][2]


# ---------------------------------------------------------------- privacy as read


@pytest.mark.parametrize(
    "body, code",
    [
        ("电话 139<b>1234</b>5678。", "E141"),
        ("电话 139&#49;2345678 。", "E141"),
        ("电话 139&#x31;234&nbsp;5678 。", "E141"),
        ("电话 1391\u200b2345678。", "E141"),
        ("电话 139**1234**5678。", "E141"),
        ("身份证 110101<span>19900307</span>1233。", "E140"),
    ],
)
def test_privacy_scan_sees_numbers_split_for_the_eye(mini, body, code):
    mini.write(
        NOTICE,
        mini.read(NOTICE).replace("各有关单位：请做好信息公开工作。", f"第一行。\n\n{body}"),
    )
    (found,) = checked(mini, code)
    assert found[:2] == (NOTICE, 11)
    assert ("139****5678" if code == "E141" else "1101**********1233") in found[2]  # masked
    assert "12345678" not in found[2] and "19900307" not in found[2]


def test_the_quick_checks_before_the_reader_s_text_miss_nothing():
    """Issue 35: a body is searched for the marks only when it holds eleven digits and one of
    the characters a mark starts with; neither check may pass over a text that has them."""
    from xxgk.rules import seen

    alphabet = list("<>/&#;*_`~\\ab1２3正文\n") + ["\u00ad", "\u200b", "\u2061", "\ufeff", "&#49;", "<b>", "&amp;"]
    rng = random.Random(35)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert bool(seen._ENOUGH_DIGITS.search(text)) == (len(re.findall(r"\d", text)) >= seen.SHORTEST), text
        assert seen._MAY_HIDE.search(text) or not seen._HIDDEN.search(text), text


def test_numbers_in_separate_cells_stay_apart(mini):
    mini.write(NOTICE, mini.read(NOTICE) + "\n<table><tr><td>1391234567</td><td>8</td></tr></table>\n")
    assert checked(mini, "E141") == []
