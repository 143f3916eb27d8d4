"""relate(): indexes and relations, on the mini fixture loaded in-process (no build), and a
relation written as a 文号 linking like one written as a 索引号."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from xxgk.core.load import load_content
from xxgk.core.options import read_mkdocs_yml
from xxgk.core.relate import relate

POLICY = "11990100MB0000001T/2024-00001"  # 测政规〔2024〕1号
RULE = "11990100MB0000001T/2024-00004"  # 测试市人民政府令第1号
DAY = dt.date(2025, 1, 1)


def related(site, day=DAY):
    content = load_content(read_mkdocs_yml(site.path))
    assert not [p for p in content.problems if p.is_error], content.problems
    return relate(content, day)


def new_item(site, name, front, doc_type="行政规范性文件"):
    site.item(
        f"2024/bgs/{name}.md", f"publisher: bgs\ncategory: gfxwj\ndoc_type: {doc_type}\nwritten: 2024-06-01\n{front}"
    )


NEW = "title: 新办法\nindex_no: 11990100MB0000001T/2024-00009\npublished: 2024-07-01\ndoc_no: 测政规〔2024〕9号"


def abolish(site, by):
    site.edit(
        "content/items/2024/bgs/policy.md",
        "doc_no: 测政规〔2024〕1号",
        f"doc_no: 测政规〔2024〕1号\nstatus: 废止\nabolished: {{date: 2024-08-01, by: '{by}'}}",
    )


def test_indexes_are_newest_first_and_cover_each_node_subtree(mini):
    rel = related(mini)
    dates = [i.published for i in rel.items]
    assert dates == sorted(dates, reverse=True)
    assert rel.by_index_no[POLICY].doc_no == "测政规〔2024〕1号"
    assert [i.index_no for i in rel.by_category["gfxwj"]] == [i.index_no for i in rel.items if i.category == "gfxwj"]
    nos = lambda node: {i.index_no for i in rel.by_category[node]}
    assert nos("zcwj") >= nos("gfxwj") | nos("gz")  # a node lists its children's items
    assert rel.interpretations[POLICY] and all(POLICY in j.interprets for j in rel.interpretations[POLICY])


@pytest.mark.parametrize("by", ["测政规〔2024〕9号", "测政规[2024]9号", "测政规（2024）第09号", " 测政规(２０２４) 9 "])
def test_abolished_by_a_doc_no_links_however_it_is_typed(mini, by):
    new_item(mini, "new", NEW)
    abolish(mini, by)
    status = related(mini).status[POLICY]
    assert (status.label, status.by_index_no, status.by_text) == ("废止", "11990100MB0000001T/2024-00009", "")


def test_abolished_by_a_name_stays_text(mini):
    abolish(mini, "《清理结果的通知》")
    status = related(mini).status[POLICY]
    assert (status.by_index_no, status.by_text) == ("", "《清理结果的通知》")


def test_revision_and_interpretation_by_doc_no(mini):
    new_item(
        mini,
        "v2",
        "title: 办法（修订）\nindex_no: 11990100MB0000001T/2024-00009\npublished: 2024-07-01\nreplaces: 测政规（2024）1号",
    )
    new_item(
        mini,
        "jd",
        "title: 解读\nindex_no: 11990100MB0000001T/2024-00010\npublished: 2024-07-02\ninterprets: [测试市人民政府令1号]",
        doc_type="政策解读",
    )
    rel = related(mini)
    assert [v.index_no for v in rel.versions[POLICY]] == [POLICY, "11990100MB0000001T/2024-00009"]
    assert rel.status[POLICY].label == "已修订" and rel.status[POLICY].by_index_no.endswith("2024-00009")
    assert "11990100MB0000001T/2024-00010" in [j.index_no for j in rel.interpretations[RULE]]


def test_a_doc_no_two_items_share_names_neither(mini):
    new_item(
        mini,
        "twin",
        "title: 同号文件\nindex_no: 11990100MB0000001T/2024-00009\npublished: 2024-07-01\ndoc_no: 测政规〔2024〕1号",
    )
    rel = related(mini)
    assert "测政规〔2024〕1号" not in rel.by_index_no and rel.by_index_no.get("测政规〔2024〕1号") is None
    assert POLICY in rel.by_index_no


def test_status_follows_the_day(mini):
    mini.edit(
        "content/items/2024/bgs/policy.md",
        "published: 2024-03-05",
        "published: 2024-03-05\neffective: 2024-04-01\nexpires: 2024-12-31",
    )
    assert related(mini, dt.date(2024, 3, 20)).status[POLICY].label == "尚未施行"
    assert related(mini, dt.date(2024, 6, 1)).status[POLICY].label == "有效"
    gone = related(mini, dt.date(2025, 1, 1)).status[POLICY]
    assert (gone.label, gone.since) == ("失效", dt.date(2025, 1, 1))


@pytest.mark.build
def test_the_item_page_links_the_document_that_abolished_it(mini):
    new_item(mini, "new", NEW)
    abolish(mini, "测政规[2024]第9号")
    built = mini.build()
    assert built.code == 0, built.text
    html = mini.html(f"items/{POLICY}/")
    assert re.search(r'废止依据：<a href="[./]*2024-00009/">新办法</a>（测政规〔2024〕9号）', html)
