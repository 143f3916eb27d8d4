"""output/pages: which pages the site has and what each lists, as data (no rendering), on the
mini fixture analysed in-process."""

from __future__ import annotations

import datetime as dt

from xxgk.core.model import Consultation, Item
from xxgk.core.options import read_mkdocs_yml
from xxgk.output.pagedata import ItemData, NodeData, PoliciesData
from xxgk.output.pages import PageSpec, build_pages, consultation_state, human_size, pager, paginate, wrap_tables
from xxgk.rules import analyse

POLICY = "11990100MB0000001T/2024-00001"


def specs(site) -> dict[str, PageSpec]:
    built = analyse(read_mkdocs_yml(site.path))
    assert not built.errors, built.errors
    return {s.url: s for s in build_pages(built)}


def test_every_kind_of_page_once_per_thing(mini):
    pages = specs(mini)
    kinds: dict[str, int] = {}
    for spec in pages.values():
        kinds[spec.kind] = kinds.get(spec.kind, 0) + 1
    assert kinds["home"] == kinds["catalog"] == kinds["search"] == kinds["stats"] == kinds["topics"] == 1
    assert kinds["item"] == 5 and pages[f"items/{POLICY}/"].title == "测试市行政规范性文件管理办法"
    assert {s.src_uri for s in pages.values() if s.kind != "item"} == {
        f"{u}index.md" for u, s in pages.items() if s.kind != "item"
    }


def test_lists_are_paginated_by_page_size_with_a_pager(mini):
    for n in (7, 8):
        mini.item(
            f"2024/bgs/notice{n}.md",
            f"title: 通知{n}\nindex_no: 11990100MB0000001T/2024-0000{n}\npublisher: bgs\npublished: 2024-06-0{n}\ncategory: tzgg",
        )
    pages = specs(mini)  # mini's page_size is 2: three notices make two pages
    first, second = pages["catalog/tzgg/"], pages["catalog/tzgg/page/2/"]
    assert isinstance(first.data, NodeData) and isinstance(second.data, NodeData)
    assert [i.title for i in first.data.rows] == ["通知8", "通知7"] and len(second.data.rows) == 1
    assert first.data.pager.next == "catalog/tzgg/page/2/" and first.data.pager.prev is None
    assert second.data.pager.prev == "catalog/tzgg/" and second.data.pager.next is None
    assert [c.title for c in first.crumbs][:2] == ["首页", "法定主动公开内容"] and first.crumbs[-1].url is None


def test_policy_lists_split_by_status(mini):
    mini.edit(
        "content/items/2024/bgs/policy.md",
        "doc_no: 测政规〔2024〕1号",
        "doc_no: 测政规〔2024〕1号\nexpires: 2024-10-01",
    )
    pages = specs(mini)
    current, repealed = pages["policies/current/gfxwj/"], pages["policies/repealed/gfxwj/"]
    assert isinstance(current.data, PoliciesData) and isinstance(repealed.data, PoliciesData)
    assert POLICY not in [i.index_no for i in current.data.rows]
    assert [i.index_no for i in repealed.data.rows] == [POLICY] and repealed.title == "已废止、失效行政规范性文件"


def test_item_page_data(mini):
    data = specs(mini)[f"items/{POLICY}/"].data
    assert isinstance(data, ItemData)
    assert data.status.label == "有效" and data.publisher is not None and data.publisher.id == "bgs"
    assert [j.index_no for j in data.interpretations] and data.node is not None and data.node.id == "gfxwj"
    assert data.topics[0][0] == "综合政务" and data.topics[0][1].startswith("topics/")


def test_helpers():
    assert paginate([], 20) == [[]] and paginate([1, 2, 3], 2) == [[1, 2], [3]]
    p = pager(lambda n: f"p{n}/", 3, 9)
    assert (p.prev, p.next, [n for n, _ in p.pages]) == ("p2/", "p4/", [1, 2, 3, 4, 5])
    assert [human_size(n) for n in (512, 2048, 5 * 1024 * 1024)] == ["512 B", "2.0 KB", "5.0 MB"]


def test_every_page_kind_has_its_own_typed_data(mini):
    kinds: dict[str, set[str]] = {}
    for spec in specs(mini).values():
        kinds.setdefault(spec.kind, set()).add(type(spec.data).__name__)
    assert all(len(names) == 1 for names in kinds.values()), kinds
    assert len({n for names in kinds.values() for n in names}) == len(kinds)  # no two kinds share one
    assert not any(isinstance(spec.data, dict) for spec in specs(mini).values())


def test_tables_are_wrapped_whatever_their_attributes():
    html = '<p>x</p><table>\n<tr><td>1</td></tr></table><table class="wide"><tr><td>2</td></tr></table><tbody>'
    out = wrap_tables(html)
    assert out.count('<div class="xx-tablewrap" tabindex="0" role="region"') == 2 and out.count("</table></div>") == 2
    assert out.startswith("<p>x</p><div") and out.endswith("<tbody>")


def test_consultation_state_on_the_day():
    item = Item(path="", src_uri="", body="", body_line=1, meta={}, lines={})
    assert consultation_state(item, dt.date(2026, 1, 1)) == ""
    item.consultation = Consultation(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "")
    days = ["2025-12-31", "2026-01-01", "2026-01-31", "2026-02-01"]
    assert [consultation_state(item, dt.date.fromisoformat(d)) for d in days] == ["", "进行中", "进行中", "已结束"]
