"""xxgk new: a correctly filled item for every doc_type, the next free index_no, never overwriting."""

import os
import subprocess

import pytest

from conftest import AS_OF, BIN
from xxgk.core.fields import DOC_TYPES

BASE = ["--publisher", "bgs", "--category", "tzgg", "--published", "2024-07-01"]


def new(site, *args):
    """`xxgk new` in process; test_never_overwrites and test_prompts_in_a_terminal run the real command."""
    return site.command("new", *args)


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_new_then_check_passes_for_every_doc_type(mini, doc_type):
    extra = ["--interprets", "content/items/2024/bgs/policy.md"] if doc_type == "政策解读" else []
    result = new(mini, *BASE, "--doc-type", doc_type, "--title", f"测试：{doc_type} #1", "--topic", "综合政务", *extra)
    assert result.code == 0, result.text
    assert result.out.strip() == "content/items/2024/bgs/2024-00006.md"
    text = mini.read("content/items/2024/bgs/2024-00006.md")
    assert "index_no: 11990100MB0000001T/2024-00006\n" in text and f"doc_type: {doc_type}\n" in text
    checked = mini.check()
    assert checked.code == 0, checked.text
    assert "2024-00006.md" not in "".join(l for l in checked.out.splitlines() if ": E" in l)


def test_interpretation_names_its_policy_and_consultation_gets_dates(mini):
    assert (
        new(
            mini, *BASE, "--doc-type", "政策解读", "--title", "解读", "--interprets", "11990100MB0000001T/2024-00004"
        ).code
        == 0
    )
    assert "interprets: [11990100MB0000001T/2024-00004]" in mini.read("content/items/2024/bgs/2024-00006.md")
    assert new(mini, *BASE, "--doc-type", "征求意见", "--title", "征求意见稿").code == 0
    assert "consultation: {start: 2024-07-01, end: 2024-07-31}" in mini.read("content/items/2024/bgs/2024-00007.md")


def test_serials_follow_the_publisher_and_year(mini):
    assert new(mini, *BASE, "--doc-type", "一般信息", "--title", "甲").out.strip().endswith("2024-00006.md")
    assert new(mini, *BASE, "--doc-type", "一般信息", "--title", "乙").out.strip().endswith("2024-00007.md")
    result = new(
        mini,
        "--publisher",
        "czj",
        "--category",
        "tzgg",
        "--doc-type",
        "一般信息",
        "--title",
        "丙",
        "--published",
        "2025-01-02",
        "--slug",
        "bing",
    )
    assert result.out.strip() == "content/items/2025/czj/bing.md"
    assert "index_no: 11990100MB00000031/2025-00001" in mini.read("content/items/2025/czj/bing.md")


@pytest.mark.cli
def test_never_overwrites(mini):
    mini.write("content/items/2024/bgs/taken.md", "原有内容\n")
    result = mini.xxgk("new", *BASE, "--doc-type", "一般信息", "--title", "甲", "--slug", "taken")
    assert result.code == 2 and "已存在，不会覆盖" in result.err
    assert mini.read("content/items/2024/bgs/taken.md") == "原有内容\n"


def test_missing_answers_without_a_terminal_name_the_flags(mini):
    result = new(mini, "--publisher", "bgs")
    assert result.code == 2
    assert "缺少 --category --doc-type --title" in result.err and "Traceback" not in result.text
    result = new(mini, *BASE, "--doc-type", "政策解读", "--title", "解读")
    assert result.code == 2 and "缺少 --interprets" in result.err


@pytest.mark.parametrize(
    "flags,message",
    [
        (["--publisher", "nobody"], "发布机构 nobody 不在 departments.yml 中"),
        (["--category", "nowhere"], "目录分类 nowhere 不在 catalog.yml 中"),
        (["--doc-type", "红头文件"], "文件类型“红头文件”不可用"),
        (["--interprets", "no/such"], "找不到所解读文件“no/such”"),
        (["--slug", "../x"], "只能用英文字母"),
    ],
)
def test_wrong_answers_are_usage_errors(mini, flags, message):
    args = {
        "--publisher": "bgs",
        "--category": "tzgg",
        "--doc-type": "政策解读",
        "--title": "题",
        "--interprets": "11990100MB0000001T/2024-00001",
    }
    args.update(dict(zip(flags[::2], flags[1::2])))
    result = new(mini, *[x for kv in args.items() for x in kv])
    assert result.code == 2 and message in result.err, result.text


def test_configured_pattern_is_followed_or_refused_clearly(mini):
    mini.edit(
        "mkdocs.yml",
        "page_size: 2",
        "page_size: 2\n      index_no_pattern: '(?P<org>[0-9A-Z]{18})/(?P<year>\\d{4})-\\d{5}'",
    )
    assert new(mini, *BASE, "--doc-type", "一般信息", "--title", "甲").out.strip().endswith("2024-00006.md")
    mini.edit("mkdocs.yml", "-\\d{5}'", "-\\d{5}-ZF'")
    result = new(mini, *BASE, "--doc-type", "一般信息", "--title", "乙")
    assert result.code == 2 and "index_no_pattern" in result.err and "--index-no" in result.err
    result = new(
        mini, *BASE, "--doc-type", "一般信息", "--title", "乙", "--index-no", "11990100MB0000001T/2024-00100-ZF"
    )
    assert result.code == 0 and result.out.strip().endswith("2024-00100-ZF.md")


@pytest.mark.cli
def test_prompts_in_a_terminal(mini):
    main, secondary = os.openpty()
    proc = subprocess.Popen(
        [str(BIN / "xxgk"), "new"],
        cwd=mini.path,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "XXGK_AS_OF": AS_OF},
    )
    os.close(secondary)
    os.write(main, "bgs\nzcjd\n政策解读\n终端里新建的解读\n2024-08-01\ncontent/items/2024/bgs/rule.md\n".encode())
    out, err = proc.communicate(timeout=60)
    os.close(main)
    assert proc.returncode == 0, out + err
    assert "可选：bgs（测试市人民政府办公室）" in out and "所解读文件" in out
    text = mini.read("content/items/2024/bgs/2024-00006.md")
    assert "title: 终端里新建的解读" in text and "interprets: [11990100MB0000001T/2024-00004]" in text
    assert mini.check().code == 0
