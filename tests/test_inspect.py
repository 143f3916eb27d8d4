"""What the State Council's website inspection looks for (issue 29): the 网页设计规范's meta tags
on every page, the footer identity, no placeholder published, `xxgk inspect` against the 19号
checklist, catalogs after 条例第二十条, organisation codes by check character, 有效性 where it
means something, publication times and local video/audio."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import BIN, DEMO_AS_OF, copy_demo, run
from xxgk.core import orgcode
from xxgk.output import inspection
from xxgk.rules import markup

META = re.compile(r'<meta name="([A-Z][A-Za-z]+)" content="([^"]*)">')
DEMO_ITEM = "items/11990100MB00000031/2018-00001/"  # a 行政规范性文件, abolished in 2024
DEMO_JD = "items/11990100MB00000031/2018-00002/"  # its 解读
TIMED = "items/11990100MB0000002X/2026-00001/"  # published 2026-02-10 09:30
NOTICE = "items/11990100MB0000006A/2019-00001/"  # a 公报: 一般信息, no validity stated


def meta(page: str) -> dict[str, str]:
    return {name: html.unescape(content) for name, content in META.findall(page)}


def test_every_demo_page_has_the_site_and_column_tags(demo_build):
    pages = sorted((demo_build.path / "site").rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        if path.parts[-2:] == ("admin", "index.html"):
            continue
        tags = meta(path.read_text(encoding="utf-8"))
        rel = path.relative_to(demo_build.path / "site")
        assert tags["SiteName"] == "云溪市人民政府信息公开", rel
        assert tags["SiteDomain"] == "xxgk.yunxi.example" and tags["SiteIDCode"] == "DEMO000000", rel
        assert tags["ColumnName"] and tags["ColumnDescription"] and tags["ColumnKeywords"], rel
        assert (
            tags["ColumnType"]
            in (
                "首页 概况信息 机构职能 负责人信息 工作动态 政策文件 政策解读 回应关切 信息公开指南 信息公开制度 "
                "信息公开目录 法定主动公开内容 信息公开年报 依法申请公开 办事服务 互动交流 数据发布 专题专栏 其他"
            ).split()
        ), rel


def test_item_pages_carry_their_article_tags(demo_build):
    tags = meta(demo_build.html(DEMO_ITEM))
    assert tags["ArticleTitle"] == "云溪市财政局关于印发云溪市市级财政性资金竞争性分配管理办法的通知"
    assert tags["PubDate"] == "2018-09-11"  # no time given: the day only
    assert tags["ContentSource"] == "云溪市财政局"
    assert tags["ColumnType"] == "政策文件" and tags["ColumnName"] == "行政规范性文件"
    assert tags["Url"] == f"https://xxgk.yunxi.example/{DEMO_ITEM}"
    timed = demo_build.html(TIMED)
    assert meta(timed)["PubDate"] == "2026-02-10 09:30"
    assert "<td>2026-02-10 09:30</td>" in timed
    home = meta(demo_build.html(""))
    assert home["ColumnType"] == "首页" and "ArticleTitle" not in home
    assert meta(demo_build.html("zhinan/"))["ColumnType"] == "信息公开指南"
    assert meta(demo_build.html("catalog/ndbg/"))["ColumnType"] == "信息公开年报"


@pytest.mark.build
def test_meta_values_are_escaped(mini):
    mini.edit("content/items/2024/bgs/notice.md", "title: 关于", 'title: 关于引号"<b>与尖括号</b>')
    mini.edit("content/items/2024/bgs/notice.md", "请做好", "![示意图](../../../assets/gov-badge.png)请做好")
    mini.edit("mkdocs.yml", "docs_dir: content", "site_url: https://xxgk.test.example/sub/\ndocs_dir: content")
    assert mini.build().code == 0
    page = mini.html("items/11990100MB0000001T/2024-00003/")
    assert '<meta name="ArticleTitle" content="关于引号&#34;&lt;b&gt;与尖括号&lt;/b&gt;做好' in page
    assert "<b>与尖括号</b>" not in page
    tags = meta(page)
    assert tags["Image"] == "https://xxgk.test.example/sub/assets/gov-badge.png"
    assert tags["Url"] == "https://xxgk.test.example/sub/items/11990100MB0000001T/2024-00003/"
    assert tags["SiteDomain"] == "xxgk.test.example"


def test_the_footer_carries_the_sites_identity(demo_build):
    home = demo_build.html("")
    assert '<a href="https://beian.miit.gov.cn/">云ICP备00000000号-1</a>' in home
    police = re.search(r'<a class="xx-identity__police" href="([^"]+)"><img src="([^"]+)"', home)
    assert police and police.group(1) == "https://beian.mps.gov.cn/#/query/webSearch?code=99010002000001"
    assert police.group(2) == "assets/xxgk/police-record.svg"
    assert (demo_build.path / "site" / "assets/xxgk/police-record.svg").is_file()
    badge = re.search(r'<a class="xx-identity__badge" href="([^"]+)"><img src="([^"]+)" alt="党政机关网站标识"', home)
    assert badge and html.unescape(badge.group(1)).startswith("https://bszs.conac.cn/")
    assert (demo_build.path / "site" / badge.group(2)).is_file()  # the agency's own copy, never the host's script
    assert "本站支持IPv6" in home
    item = demo_build.html(DEMO_ITEM)
    jiucuo = re.search(
        r'<a href="(https://zfwzgl\.www\.gov\.cn/exposure/jiucuo\.html\?[^"]+)">我为政府网站找错</a>', item
    )
    assert jiucuo is not None
    query = parse_qs(urlsplit(html.unescape(jiucuo.group(1))).query)
    assert query == {"site_code": ["DEMO000000"], "url": [f"https://xxgk.yunxi.example/{DEMO_ITEM}"]}


def test_the_404_page_says_its_date_and_has_the_tags(demo_build):
    page = (demo_build.path / "site" / "404.html").read_text(encoding="utf-8")
    assert "信息状态以 2026年11月24日 为准" in page
    assert meta(page)["SiteIDCode"] == "DEMO000000"


def test_check_names_the_missing_footer_identity(mini):
    mini.edit("mkdocs.yml", "  icp: 测ICP备00000001号\n", "")
    mini.edit("mkdocs.yml", "  site_code: TEST000001\n", "")
    result = mini.check()
    assert result.code == 0  # a warning: the site still builds
    w240 = [line for line in result.out.splitlines() if " W240 " in line]
    assert len(w240) == 2 and all(line.startswith("mkdocs.yml:") for line in w240), result.out
    assert any("ICP备案号" in line for line in w240) and any("网站标识码" in line for line in w240)


@pytest.mark.parametrize(
    "rel,old,new",
    [
        ("content/about.md", "\n", "\n\n联系电话：【待填写：咨询电话】\n"),
        ("content/items/2024/bgs/notice.md", "category: tzgg\n", "category: tzgg\nsummary: 【待填写】\n"),
        ("catalog/catalog.yml", "  name: 通知公告", "  name: 【待填写】"),
        ("mkdocs.yml", "site_name: 测试市人民政府信息公开", "site_name: 【待填写：网站名称】"),
    ],
)
@pytest.mark.build
def test_a_placeholder_stops_the_build_at_its_line(mini, rel, old, new):
    text = mini.read(rel)
    at = text.index(old)
    mini.write(rel, text[:at] + new + text[at + len(old) :])
    line = next(n for n, t in enumerate(mini.read(rel).splitlines(), 1) if "【待填写" in t)
    check = mini.check()
    assert check.code == 1 and f"{rel}:{line}: E180" in check.out, check.text
    built = mini.build()
    assert built.code != 0 and f"{rel}:{line}: E180" in built.text
    assert "Traceback" not in built.text


def test_a_placeholder_in_a_yaml_comment_is_not_published(mini):
    mini.edit("mkdocs.yml", "site_name: 测试市人民政府信息公开", "site_name: 测试市人民政府信息公开  # 【待填写】以外")
    assert mini.check().code == 0


# ---------------------------------------------------------------- xxgk inspect


@pytest.mark.cli
def test_inspect_long_after_the_newest_item_is_a_single_veto(tmp_path):
    site = copy_demo(tmp_path / "demo")
    fresh = site.xxgk("inspect", ".", "--as-of", DEMO_AS_OF)
    assert fresh.code == 0, fresh.text
    late = site.xxgk("inspect", ".", "--as-of", "2027-06-01")
    assert late.code == 1, late.text
    assert "[单项否决风险] 首页更新" in late.out and "2026-11-10" in late.out
    assert "政策文件（最近更新 2026-11-10" in late.out  # the first-level column, its last update
    assert "2026年政府信息公开工作年度报告未在 2027-03-31 前发布" in late.out  # a 本级政府: 条例第四十九条
    doc = json.loads(site.xxgk("inspect", ".", "--as-of", "2027-06-01", "--format", "json").out)
    assert doc["veto"] is True and doc["findings"][0]["check"] == "首页更新"
    assert (
        "| 单项否决风险 | 首页更新 |" in site.xxgk("inspect", ".", "--as-of", "2027-06-01", "--format", "markdown").out
    )


@pytest.mark.cli
def test_inspect_counts_empty_and_stale_news_columns(mini):
    catalog = yaml.safe_load(mini.read("catalog/catalog.yml"))
    catalog += [{"id": f"k{n}", "name": f"空栏目{n}"} for n in range(4)]
    catalog.append({"id": "gzdt", "name": "工作动态"})
    mini.write("catalog/catalog.yml", yaml.safe_dump(catalog, allow_unicode=True))
    result = mini.xxgk("inspect", ".", "--as-of", "2024-03-10")
    assert result.code == 1, result.text
    assert "[单项否决风险] 动态、要闻类栏目更新：工作动态（无信息）" in result.out
    assert "[单项否决风险] 空白栏目" in result.out and "现 5 个" in result.out
    catalog.pop()
    mini.write("catalog/catalog.yml", yaml.safe_dump(catalog, allow_unicode=True))
    result = mini.xxgk("inspect", ".", "--as-of", "2024-03-10")
    assert "[扣分项] 空白栏目" in result.out and "现 4 个" in result.out


# ---------------------------------------------------------------- catalogs, org codes


def _init(tmp_path, kind: str, org: str = "11990102MB0000001P"):
    target = tmp_path / kind
    args = ["init", str(target), "--agency", "云溪市河西区人民政府", "--org-code", org, "--kind", kind]
    return target, run([str(BIN / "xxgk"), *args], tmp_path)


def _ids(target) -> set[str]:
    def walk(nodes):
        for n in nodes:
            yield n["id"]
            yield from walk(n.get("children") or [])

    return set(walk(yaml.safe_load((target / "catalog" / "catalog.yml").read_text(encoding="utf-8"))))


@pytest.mark.cli
@pytest.mark.parametrize("kind", ["county", "township", "city"])
def test_catalogs_follow_article_twenty(tmp_path, kind):
    target, result = _init(tmp_path, kind)
    assert result.code == 0, result.text
    ids = _ids(target)
    assert ("gz" in ids) == (kind == "city")  # only 设区的市 and above make 规章
    assert {"tjxx", "xzqz", "yjya", "yjxx"} <= ids  # 统计信息, 行政强制, 应急预案, 预警信息


def test_standard_catalog_fields_show_on_the_node_page(demo_build):
    page = demo_build.html("catalog/xzcf/")
    assert '<th scope="row">公开依据</th><td>《中华人民共和国政府信息公开条例》第二十条第（六）项' in page
    assert '<th scope="row">公开层级</th><td>市级</td>' in page


@pytest.mark.build
def test_column_type_can_be_set_and_is_checked(mini):
    mini.edit("catalog/catalog.yml", "  name: 通知公告", "  name: 通知公告\n  column_type: 工作动态")
    assert mini.build().code == 0
    assert meta(mini.html("catalog/tzgg/"))["ColumnType"] == "工作动态"
    mini.edit("catalog/catalog.yml", "column_type: 工作动态", "column_type: 新闻")
    result = mini.check()
    assert result.code == 1 and "catalog/catalog.yml:" in result.out and " E181 " in result.out


@pytest.mark.parametrize(
    "code,expected",
    [
        ("91350100M000100Y43", None),  # the standard's worked example
        ("11990102MB0000001P", None),
        ("D2143569-X", None),  # GB 11714's worked example
        ("D2143569X", None),
        ("11990102MB0000001X", "校验码应为 P"),
        ("91350100M000100Y4I", "不用的字母 I"),
        ("D2143569-1", "校验码应为 X"),
    ],
)
def test_org_codes_by_check_character(code, expected):
    found = orgcode.problem(code)
    assert (found is None) if expected is None else (found is not None and expected in found)


@pytest.mark.cli
def test_a_wrong_check_character_is_refused_by_init_and_warned_in_departments(tmp_path, mini):
    target, result = _init(tmp_path, "county", "11990102MB0000001X")
    assert result.code == 2 and "校验码应为 P" in result.err and not target.exists()
    code = yaml.safe_load(mini.read("catalog/departments.yml"))[0]["org_code"]
    assert orgcode.problem(code) is None
    mini.edit("catalog/departments.yml", code, code[:-1] + ("0" if code[-1] != "0" else "1"))
    check = mini.check()
    assert "catalog/departments.yml:" in check.out and " W241 " in check.out and "校验码应为 " + code[-1] in check.out


# ---------------------------------------------------------------- 有效性, media


def test_validity_only_where_it_means_something(demo_build):
    notice = demo_build.html(NOTICE)
    assert '<th scope="row">有效性</th>' not in notice and "xx-status--" not in notice.split("<footer")[0]
    assert '<th scope="row">有效性</th>' in demo_build.html(DEMO_ITEM)
    jd = demo_build.html(DEMO_JD)
    assert '<th scope="row">有效性</th>' not in jd
    assert re.search(
        r"本解读所解读的<a [^>]+>云溪市财政局关于印发云溪市市级财政性资金竞争性分配管理办法的通知</a>.*已于2024年11月29日废止",
        jd,
    )


def test_local_video_and_audio_pass_and_outside_ones_do_not():
    local = '<video controls src="files/jd.mp4"><track kind="captions" src="files/jd.vtt" srclang="zh" label="中文"></video>'
    assert markup.findings(local) == []
    assert 'src="files/jd.mp4"' in markup.clean(local) and "<track" in markup.clean(local)
    outside = '<video controls src="https://cdn.example/jd.mp4"></video>\n<audio src="../x.mp3"></audio>'
    found = [what for _, what in markup.findings(outside)]
    assert any("站外或目录外地址 https://cdn.example/jd.mp4" in w for w in found)
    assert any("<audio> 缺少 controls" in w for w in found) and any("../x.mp3" in w for w in found)
    assert "cdn.example" not in markup.clean(outside) and "../x.mp3" not in markup.clean(outside)


def _node(name: str, newest: str | None = None, deadline: str = "", children: tuple = ()) -> dict:
    """A catalog node as a member's descriptor gives it (output/descriptor.catalog)."""
    return {
        "name": name,
        "count": 3 if newest else 0,
        "newest": newest,
        "deadline": deadline,
        "children": list(children),
    }


def test_the_column_checks_read_a_descriptor_as_the_portal_has_it():
    as_of = dt.date(2026, 7, 1)
    catalog = [_node(f"通知公告{n}", "2025-12-01") for n in range(4)]
    catalog.append(_node("政府信息公开年度报告", "2025-03-20", "每年3月31日前（本级政府）"))
    found = {f.check: f for f in inspection.columns(catalog, "2026-06-30", as_of)}
    assert found["通知公告、政策文件类一级栏目更新"].level == inspection.SCORE  # 4 of them: a deduction
    assert [c["name"] for c in found["应更新未更新栏目"].columns] == ["政府信息公开年度报告"]
    assert "首页更新" not in found
    catalog.append(_node("政策文件", children=(_node("规章", "2025-11-30"),)))
    found = {f.check: f for f in inspection.columns(catalog, "2026-06-30", as_of)}
    assert found["通知公告、政策文件类一级栏目更新"].level == inspection.VETO  # the fifth
    assert inspection.annual_due(catalog, 2025) == dt.date(2026, 3, 31)
    assert inspection.annual_due([_node("年报")], 2025) == dt.date(2026, 1, 31)  # a department's
    annual = [{"year": 2025, "report": {"published": "2026-02-20"}}]
    assert inspection.annual_report(catalog, annual, as_of) == []  # on time for a 本级政府
    late = inspection.annual_report([_node("年报", deadline="每年1月31日前")], annual, as_of)
    assert late[0].check == inspection.ANNUAL_LATE and "晚于 2026-01-31" in late[0].message


def test_search_results_show_validity_only_where_it_means_something(browser, demo_served):
    _, url = demo_served
    page = browser.new_page()
    badges = {}
    for q in ("生态环境状况公报", "竞争性分配管理办法"):
        page.goto(f"{url}search/?q={q}")
        # the whole answer, not the newest shards' rows drawn ahead of it (search.js onUpdate)
        page.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('共找到')")
        for li in page.locator(".xx-sresult").all():
            badges[li.locator("h2").inner_text()] = li.locator(".xx-status").all_inner_texts()
    page.close()
    assert badges["2018年云溪市生态环境状况公报"] == []  # a 公报 is neither in force nor not
    assert badges["《云溪市市级财政性资金竞争性分配管理办法》解读"] == []
    assert ["".join(b.split()) for b in badges["云溪市财政局关于印发云溪市市级财政性资金竞争性分配管理办法的通知"]] == [
        "✕废止"
    ]
