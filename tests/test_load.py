"""core/load: files to records, in-process on the mini fixture: typed fields, and every misfit a
Problem at its file and line with the code the registry knows."""

from __future__ import annotations

import datetime as dt

from xxgk.core.gate import list_docs
from xxgk.core.load import load_content
from xxgk.core.options import read_mkdocs_yml

NOTICE = "content/items/2024/bgs/notice.md"


def load(site):
    return load_content(read_mkdocs_yml(site.path))


def found(content, code):
    return [(p.path, p.line, p.message) for p in content.problems if p.code == code]


def test_fields_are_typed(mini):
    content = load(mini)
    assert not content.problems
    policy = next(i for i in content.items if i.index_no.endswith("2024-00001"))
    assert policy.published == dt.date(2024, 3, 5) and policy.written == dt.date(2024, 3, 1)
    assert (policy.doc_type, policy.topics, policy.status) == ("行政规范性文件", ["综合政务"], "有效")
    assert policy.line_of("doc_no") == 9 and policy.body_line == 13
    notice = next(i for i in content.items if i.path == NOTICE)
    assert notice.doc_type == "一般信息"  # the default


def test_catalog_departments_and_topics(mini):
    content = load(mini)
    gz = next(n for n in content.catalog.walk() if n.id == "gz")
    assert [n.id for n in gz.ancestors] == ["zcwj"] and gz.root.id == "zcwj"
    assert content.departments["bgs"].org_code == "11990100MB0000001T"
    assert "综合政务" in content.topics
    assert "about.md" in content.pages


def test_each_misfit_is_a_problem_at_its_line(mini):
    mini.edit(NOTICE, "published: 2024-04-01", "published: 2024-02-30\ntitel: 错字\ndoc_type: 通知")
    mini.edit(NOTICE, "category: tzgg", "category: tzgg\ncategory: gz")
    content = load(mini)
    assert found(content, "E103") == [
        (NOTICE, 5, "发布日期（published）日期“2024-02-30”无效，请写成 YYYY-MM-DD，例如 2024-03-05，并确认该日期存在")
    ]
    assert found(content, "W201") == [(NOTICE, 6, "未知的键 titel，是否应为 title？")]
    assert found(content, "E110")[0][:2] == (NOTICE, 7) and "可用的值：规章" in found(content, "E110")[0][2]
    assert found(content, "E112") == [(NOTICE, 9, "键 category 重复出现，请只保留一个")]
    assert {p.code: p.is_error for p in content.problems} == {"E103": True, "W201": False, "E110": True, "E112": True}


def test_missing_required_keys_and_broken_files(mini):
    mini.edit(NOTICE, "publisher: bgs\n", "")
    mini.write("content/items/2024/bgs/bare.md", "没有元数据头。\n")
    (mini.path / "content/items/2024/bgs/gbk.md").write_bytes("---\ntitle: 标题\n---\n".encode("gbk"))
    content = load(mini)
    assert found(content, "E102") == [(NOTICE, 1, "缺少必填项 publisher（发布机构），请在元数据头中补上")]
    broken = {p[0].rsplit("/", 1)[1]: p[2] for p in found(content, "E101")}
    assert broken["bare.md"].startswith("缺少元数据头") and broken["gbk.md"].startswith("文件不是 UTF-8 编码")
    assert len(content.items) == 5  # the two unreadable files are not items


def test_a_file_saved_with_bom_and_crlf_reads_as_the_same_item(mini):
    # Notepad on Windows saves UTF-8 with a BOM and CRLF line ends; old Mac editors a lone CR
    before = next(i for i in load(mini).items if i.path == NOTICE)
    text = (mini.path / NOTICE).read_text(encoding="utf-8")
    for saved in ("\ufeff" + text.replace("\n", "\r\n"), text.replace("\n", "\r")):
        (mini.path / NOTICE).write_bytes(saved.encode("utf-8"))
        content = load(mini)
        assert not content.problems
        after = next(i for i in content.items if i.path == NOTICE)
        assert (after.meta, after.lines, after.body, after.body_line) == (
            before.meta,
            before.lines,
            before.body,
            before.body_line,
        )
        assert after.digest == before.digest and "\r" not in after.body


def test_a_file_that_cannot_be_read_is_a_problem_not_a_traceback(mini):
    # a file listed and then gone (removed or renamed while the build reads the folder), as an
    # unreadable one: the build names it and goes on reading the others
    opts = read_mkdocs_yml(mini.path)
    listing = list_docs(opts)
    listing.items.append("items/2024/bgs/gone.md")
    content = load_content(opts, listing)
    assert [(p, line) for p, line, _ in found(content, "E101")] == [("content/items/2024/bgs/gone.md", 1)]
    assert "文件无法读取" in found(content, "E101")[0][2] and len(content.items) == 5
