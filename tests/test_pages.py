"""output/pages: which pages the site has and what each lists, as data (no rendering), on the
mini fixture analysed in-process."""

from __future__ import annotations

from xxgk.core.options import read_mkdocs_yml
from xxgk.output.pages import PageSpec, build_pages, human_size, pager, paginate
from xxgk.rules import analyse

POLICY = "11990100MB0000001A/2024-00001"


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
            f"title: 通知{n}\nindex_no: 11990100MB0000001A/2024-0000{n}\npublisher: bgs\npublished: 2024-06-0{n}\ncategory: tzgg",
        )
    pages = specs(mini)  # mini's page_size is 2: three notices make two pages
    first, second = pages["catalog/tzgg/"], pages["catalog/tzgg/page/2/"]
    assert [i.title for i in first.data["rows"]] == ["通知8", "通知7"] and len(second.data["rows"]) == 1
    assert first.data["pager"]["next"] == "catalog/tzgg/page/2/" and first.data["pager"]["prev"] is None
    assert second.data["pager"]["prev"] == "catalog/tzgg/" and second.data["pager"]["next"] is None
    assert [c.title for c in first.crumbs][:2] == ["首页", "法定主动公开内容"] and first.crumbs[-1].url is None


def test_policy_lists_split_by_status(mini):
    mini.edit(
        "content/items/2024/bgs/policy.md",
        "doc_no: 测政规〔2024〕1号",
        "doc_no: 测政规〔2024〕1号\nexpires: 2024-10-01",
    )
    pages = specs(mini)
    current, repealed = pages["policies/current/gfxwj/"], pages["policies/repealed/gfxwj/"]
    assert POLICY not in [i.index_no for i in current.data["rows"]]
    assert [i.index_no for i in repealed.data["rows"]] == [POLICY] and repealed.title == "已废止、失效行政规范性文件"


def test_item_page_data(mini):
    data = specs(mini)[f"items/{POLICY}/"].data
    assert data["status"].label == "有效" and data["publisher"].id == "bgs"
    assert [j.index_no for j in data["interpretations"]] and data["node"].id == "gfxwj"
    assert data["topics"][0][0] == "综合政务" and data["topics"][0][1].startswith("topics/")


def test_helpers():
    assert paginate([], 20) == [[]] and paginate([1, 2, 3], 2) == [[1, 2], [3]]
    p = pager(lambda n: f"p{n}/", 3, 9)
    assert (p["prev"], p["next"], [n for n, _ in p["pages"]]) == ("p2/", "p4/", [1, 2, 3, 4, 5])
    assert [human_size(n) for n in (512, 2048, 5 * 1024 * 1024)] == ["512 B", "2.0 KB", "5.0 MB"]
