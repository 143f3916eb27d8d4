"""Options are declared once (core/options.py): the MkDocs plugin's schema and the CLI read the
same declaration, accept the same keys and say the same thing about a bad value."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import ROOT
from xxgk.adapter.plugin import XxgkPlugin
from xxgk.core import options as O


def test_the_plugin_schema_is_the_declaration():
    schema = dict(XxgkPlugin.config_class._schema)
    assert list(schema) == list(O.OPTIONS)
    for key, option in schema.items():
        assert option.default == O.default(key), key
        assert O.spec(key).help and O.spec(key).shape, key


def test_every_option_is_in_the_readme_example():
    block = re.search(r"## Options \(`mkdocs.yml`\)\n\n```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README has no options example"
    written = set(re.findall(r"^      (\w+):", block.group(1), re.M))
    assert written == set(O.OPTIONS)


@pytest.mark.build
def test_unknown_option_stops_check_and_build_listing_the_valid_ones(mini):
    mini.edit("mkdocs.yml", "page_size: 2", "page_size: 2\n      page_sise: 3")
    valid = "可用的设置项：" + "、".join(O.OPTIONS)
    check = mini.check()
    assert check.code == 1 and "E001 xxgk 下没有设置项 page_sise" in check.err and valid in check.err
    build = mini.build()
    assert build.code != 0 and "E001 xxgk 下没有设置项 page_sise" in build.text and valid in build.text
    assert "Traceback" not in check.text + build.text


@pytest.mark.parametrize(
    "written, message",
    [
        ("page_size: 0", "page_size 应为正整数"),
        ("latest_count: 很多", "latest_count 应为正整数"),
        ("cache: 否", "cache 只能是 true 或 false"),
        ("as_of: '2025-13-01'", "as_of“2025-13-01”不是日期"),
        ("uninterpreted_policy: strict", "uninterpreted_policy 只能是 warning 或 error"),
        ("index_no_pattern: '(['", "index_no_pattern 不是有效的正则表达式"),
    ],
)
@pytest.mark.build
def test_a_bad_value_gets_the_same_message_from_check_and_build(mini, written, message):
    mini.edit("mkdocs.yml", "page_size: 2", written)
    lines = (mini.path / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines, 1) if line.strip() == written)
    check, build = mini.check(), mini.build()
    assert check.code == 1 and f"mkdocs.yml:{at}: E001 {message}" in check.err
    assert build.code != 0 and f"mkdocs.yml:{at}: E001 {message}" in build.text
    assert "Traceback" not in check.text + build.text


def test_a_date_that_does_not_exist_is_a_message_not_a_traceback(mini):
    """Unquoted, YAML reads it as a timestamp; MkDocs' own loader fails on it before any plugin
    runs, but `xxgk check` answers."""
    mini.edit("mkdocs.yml", "page_size: 2", "as_of: 2025-13-01")
    check = mini.check()
    assert check.code == 1 and "E001 as_of“2025-13-01”不是日期" in check.err and "Traceback" not in check.err


def test_values_are_read_as_the_build_uses_them(mini):
    mini.edit("mkdocs.yml", "page_size: 2", "page_size: 7\n      as_of: 2024-05-06\n      cache: false")
    opts = O.read_mkdocs_yml(mini.path)
    assert (opts.page_size, opts.as_of, opts.cache, opts.search) == (7, dt.date(2024, 5, 6), False, False)
