"""Bad front matter and catalog files get messages staff can act on (issue 14, rows 1 and 12):
the right line, Chinese, what to do; anchors and aliases are refused before they expand."""

import time

import pytest

NOTICE = "content/items/2024/bgs/notice.md"
HEAD = """title: 关于做好年度信息公开工作的通知
index_no: 11990100MB0000001T/2024-00003
publisher: bgs
published: 2024-04-01
category: tzgg"""


def _only(result, prefix):
    lines = [line for line in result.out.splitlines() if line.startswith(prefix)]
    assert lines, result.text
    return lines


@pytest.mark.build
def test_nested_aliases_are_refused_before_they_expand(mini):
    """Nine levels of nine aliases each: a billion values if constructed."""
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    mini.write(NOTICE, "---\n" + HEAD + "\n" + "\n".join(bomb) + "\n---\n\n正文。\n")
    started = time.monotonic()
    result = mini.check()
    assert result.code == 1
    assert _only(result, f"{NOTICE}:7: E101")[0].count("锚点或别名") == 1
    built = mini.build()
    assert built.code == 1 and f"{NOTICE}:7: E101" in built.text and not (mini.path / "site").exists()
    assert time.monotonic() - started < 120  # a hang, not a benchmark


def test_a_single_alias_is_refused_too(mini):
    mini.write(NOTICE, "---\n" + HEAD + "\nkeywords: &k [公开]\nsummary: *k\n---\n\n正文。\n")
    result = mini.check()
    assert result.code == 1 and f"{NOTICE}:7: E101" in result.out and "锚点或别名" in result.out


def test_missing_closing_dashes_is_named_as_such(mini):
    mini.write(NOTICE, "---\n" + HEAD + "\n\n正文。\n")
    result = mini.check()
    line = _only(result, f"{NOTICE}:1: E101")[0]
    assert "没有结束" in line and "第一行应为" not in line


def test_tab_indentation_points_at_the_tab_in_chinese(mini):
    mini.write(NOTICE, "---\n" + HEAD + "\nabolished:\n\tdate: 2024-05-01\n---\n\n正文。\n")
    result = mini.check()
    line = _only(result, f"{NOTICE}:8: E101")[0]
    assert "Tab" in line and "空格" in line and "found" not in line


def test_empty_title_points_at_the_title_line(mini):
    mini.write(
        NOTICE, "---\n" + HEAD.replace("title: 关于做好年度信息公开工作的通知", 'title: ""') + "\n---\n\n正文。\n"
    )
    result = mini.check()
    assert "为空" in _only(result, f"{NOTICE}:2: E102")[0]
    assert f"{NOTICE}:1: E102" not in result.out


def test_empty_catalog_files_are_named_once_before_what_follows(mini):
    for name, code in (("topics.yml", "E134"), ("catalog.yml", "E131"), ("departments.yml", "E133")):
        original = mini.read(f"catalog/{name}")
        mini.write(f"catalog/{name}", "# 暂无\n")
        result = mini.check()
        assert result.code == 1
        first = result.out.splitlines()[0]
        assert first.startswith(f"catalog/{name}:1: {code}") and "是空的" in first, result.out
        assert sum(f"catalog/{name}:" in line for line in result.out.splitlines()) == 1
        mini.write(f"catalog/{name}", original)


def test_broken_catalog_yaml_names_its_line(mini):
    mini.write("catalog/topics.yml", "- 综合政务\n- [财政\n")
    result = mini.check()
    assert "catalog/topics.yml:2: E101" in result.out and "方括号" in result.out


def test_a_bad_option_is_reported_at_its_line_in_mkdocs_yml(mini):
    mini.edit("mkdocs.yml", "      page_size: 2", "      page_size: 多少")
    assert "mkdocs.yml:9: E001" in mini.check().text
    mini.edit("mkdocs.yml", "      page_size: 多少", "      page_size: 2\n      page_sise: 3")
    assert "mkdocs.yml:10: E001" in mini.check().text


@pytest.mark.parametrize(
    ("rel", "code"),
    [("catalog/holidays.yml", "E101"), ("catalog/wording.yml", "E101"), ("applications/2025-001.yml", "E400")],
)
def test_the_sites_other_yaml_files_name_what_cannot_be_read(mini, rel, code):
    """Every YAML file xxgk reads goes through one reader (core/yamlio.read_yaml_file): a
    malformed line is named with its own code for that kind of file, and so is a GBK file."""
    mini.write(rel, "# 说明\nfirst: [一, 二\n")
    result = mini.check()
    assert result.code == 1 and "Traceback" not in result.text
    assert f"{rel}:2: {code}" in result.out and "方括号" in result.out, result.out
    (mini.path / rel).write_bytes("# 说明\nfirst: 一\n".encode("gbk"))
    result = mini.check()
    assert result.code == 1 and f"{rel}:1: {code}" in result.out and "UTF-8" in result.out, result.out
