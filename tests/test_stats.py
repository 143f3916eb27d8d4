"""xxgk stats, the 信息公开统计 page and the annual-report table check, on a fixture whose
figures are known by construction (abolished in a later year, expiring mid-year, revised,
not yet in force on 31 December)."""

import csv
import io
import json
import re

import pytest

from conftest import DEMO_AS_OF, ROOT, SiteDir, found
from xxgk.output.charts import bar_chart

A = "11990100MB0000001T"
GZ, GF = "规章", "行政规范性文件"


def _policy(no, doc_type, published, extra=""):
    category = "gz" if doc_type == GZ else "gfxwj"
    return (
        f"title: 测试文件{no}\nindex_no: {A}/{no}\npublisher: bgs\npublished: {published}\n"
        f"category: {category}\ndoc_type: {doc_type}\n{extra}"
    )


KNOWN = {  # index_no tail -> (doc_type, published, extra front matter)
    "2022-00001": (GZ, "2022-02-10", ""),
    "2022-00002": (
        GZ,
        "2022-06-01",
        "status: 废止\nabolished: {date: 2024-07-01, by: 测试市人民政府关于废止部分规章的决定}",
    ),
    "2022-00003": (GF, "2022-03-01", "expires: 2023-06-30"),
    "2022-00004": (GF, "2022-09-01", "status: 废止\nabolished: {date: 2022-12-31, by: 测政规〔2022〕9号}"),
    "2023-00001": (GF, "2023-04-01", f"status: 已修订\nrevised_by: {A}/2024-00006"),
    "2023-00002": (GF, "2023-11-01", "effective: 2024-01-01"),
    "2024-00006": (GF, "2024-08-01", f"effective: 2024-09-01\nreplaces: {A}/2023-00001"),
}
# With the fixture's own 2024 规章 (2024-00004) and 行政规范性文件 (2024-00001):
EXPECTED = {
    2022: {GZ: (2, 0, 2), GF: (2, 1, 1)},  # 2022-00004 abolished on 31 December counts in 2022
    2023: {GZ: (0, 0, 2), GF: (2, 0, 1)},  # 2022-00003 lapsed (not 废止); 2023-00002 not yet in force
    2024: {GZ: (1, 1, 2), GF: (2, 0, 3)},  # 2022-00002 abolished two years after publication; 2023-00001 revised
}
COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")


def add_known(site: SiteDir) -> None:
    for no, (doc_type, published, extra) in KNOWN.items():
        site.item(f"{no[:4]}/bgs/{no}.md", _policy(no, doc_type, published, extra))


@pytest.fixture
def known(mini):
    add_known(mini)
    return mini


def _report(site, year, rows):
    table = "\n".join(rows)
    site.item(
        f"{year + 1}/bgs/ndbg.md",
        f"title: 测试市{year}年政府信息公开工作年度报告\nindex_no: {A}/{year + 1}-00001\npublisher: bgs\n"
        f"published: {year + 1}-01-20\ncategory: tzgg\ndoc_type: 年度报告",
        f"## 一、总体情况\n\n正文。\n\n## 二、主动公开政府信息情况\n\n{table}\n\n"
        "## 三、其他\n\n| 项目 | 数量 |\n|---|---|\n| 规章 | 99 |\n",
    )  # a later table is not read
    return f"content/items/{year + 1}/bgs/ndbg.md"


def _row(label, figures):
    return f"| {label} | " + " | ".join(str(n) for n in figures) + " |"


def _table(year):
    e = EXPECTED[year]
    return [
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "|---|---|---|---|",
        _row(GZ, e[GZ]),
        _row(GF, e[GF]),
    ]


def _line_of(site, rel, text):
    return next(n for n, line in enumerate(site.read(rel).splitlines(), 1) if text in line)


# ---------------------------------------------------------------- xxgk stats


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_stats_json_matches_counts_known_by_construction(known, year):
    result = known.command("stats", ".", "--year", str(year), "--format", "json")
    assert result.code == 0, result.text
    doc = json.loads(result.out)
    assert doc["year"] == year
    for doc_type, figures in EXPECTED[year].items():
        assert doc[doc_type] == dict(zip(COLUMNS, figures)), doc_type


def test_explain_lists_the_items_behind_each_figure(known):
    result = known.command("stats", ".", "--year", "2024", "--explain")
    assert result.code == 0, result.text
    blocks = dict(re.findall(r"^  (\S+?)：\S+\n((?:      .*\n)*)", result.out, re.M))
    abolished = found(r"^规章\n(?:.*\n)*?  本年废止件数：1\n((?:      .*\n)*)", result.out, re.M).group(1)
    assert f"{A}/2022-00002" in abolished and abolished.count("\n") == 1
    assert f"{A}/2023-00001" in blocks["行政规范性文件本年被修订件数"]
    assert "按国办公开办函〔2021〕30号模板只计“废止”" in result.out


def test_lapsed_and_revised_documents_are_listed_apart_not_as_abolished(known):
    doc = json.loads(known.command("stats", ".", "--year", "2023", "--format", "json", "--explain").out)
    assert doc["未计入本年废止件数"]["行政规范性文件本年失效件数"] == 1
    assert doc["明细"]["未计入本年废止件数"]["行政规范性文件本年失效件数"] == [f"{A}/2022-00003"]
    assert doc["明细"][GF]["本年废止件数"] == []


def test_publication_counts_per_node_publisher_and_month(known):
    doc = json.loads(known.command("stats", ".", "--year", "2024", "--format", "json").out)
    # 2024: the fixture's five items plus 2024-00006
    assert doc["主动公开"]["本年发布信息条数"] == 6
    assert doc["按目录分类"] == {"政策文件": 3, "政策解读": 2, "通知公告": 1}
    assert doc["按发布机构"] == {"测试市人民政府办公室": 6}
    assert doc["按月份"]["3月"] == 2 and doc["按月份"]["8月"] == 1 and sum(doc["按月份"].values()) == 6


def test_csv_output_reads_back_with_the_csv_module(known):
    result = known.command("stats", ".", "--year", "2022", "--format", "csv", "--explain")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    abolished = next(r for r in rows if r["分组"] == GF and r["项目"] == "本年废止件数")
    assert abolished["数值"] == "1" and abolished["条目索引号"] == f"{A}/2022-00004"


def test_stats_refuses_a_site_with_errors(known):
    known.edit("content/items/2022/bgs/2022-00001.md", "publisher: bgs", "publisher: nobody")
    result = known.command("stats", ".", "--year", "2022")
    assert result.code == 1 and "E107" in result.err and "统计数字会不准确" in result.err
    assert result.out == ""


@pytest.mark.cli
@pytest.mark.parametrize("args", [("--year", "二〇二四"), ("--year", "24"), ("--format", "xml")])
def test_stats_usage_errors(known, args):
    result = known.xxgk("stats", ".", *args)
    assert result.code == 2 and "用法错误" in result.err and "Traceback" not in result.text


# ---------------------------------------------------------------- annual report items


def test_report_with_the_computed_figures_passes(known):
    _report(known, 2024, _table(2024))
    result = known.check()
    assert "W233" not in result.text and "W234" not in result.text, result.text


def test_report_figure_that_differs_is_warned_at_its_row(known):
    rows = _table(2024)
    rows[3] = _row(GF, (2, 0, 4))
    rel = _report(known, 2024, rows)
    result = known.check()
    line = _line_of(known, rel, f"| {GF} |")
    assert f"{rel}:{line}: W233 2024年度报告中“{GF} 现行有效件数”写的是 4，按本站目录计算为 3" in result.out
    assert result.out.count("W233") == 1 and result.code == 0


def test_report_table_is_read_whatever_its_markup_and_column_order(known):
    rows = [
        "|信息内容|现行有效件数|本年废止件数|本年制发件数（件）|",
        "|:--|--:|--:|--:|",
        "| **规章** | ２ | 1 | 1 |",
        "|　规范性文件　| 3 | `0` | 2 |",
    ]
    _report(known, 2024, rows)
    assert "W233" not in known.check().text
    rows[2] = "| **规章** | ２ | 1 | — |"
    _report(known, 2024, rows)
    assert "“规章 本年制发件数”写的是“—”，按本站目录计算为 1" in known.check().out


def test_report_without_the_table_is_warned(known):
    rel = _report(known, 2024, ["（本年度无相关数据）"])
    assert f"{rel}:" in known.check().out and "W234" in known.check().out


def test_demo_reports_match_the_demo_catalog():
    result = SiteDir(ROOT).command("check", ".", env={"XXGK_AS_OF": DEMO_AS_OF})
    assert result.code == 0, result.text
    assert "W233" not in result.text and "W234" not in result.text


# ---------------------------------------------------------------- the site


@pytest.mark.build
def test_stats_page_and_report_page_show_the_computed_table(known):
    _report(known, 2024, _table(2024))
    assert known.build().code == 0
    html = known.html("stats/")
    for year, figures in EXPECTED.items():
        section = found(rf'<section[^>]*id="y{year}".*?</section>', html, re.S).group(0)
        cells = re.findall(
            r"<td>(\d+)</td>", found(r'<table class="xx-report-table">.*?</table>', section, re.S).group(0)
        )
        assert [int(c) for c in cells] == [*figures[GZ], *figures[GF]], year
        assert section.count('<svg class="xx-chart"') == 2
    months = found(r'id="y2024".*?<svg.*?</svg>', html, re.S).group(0)
    assert re.findall(r'class="xx-chart__label"[^>]*>(\d+月)<', months) == [f"{m}月" for m in range(1, 13)]
    report = known.html(f"items/{A}/2025-00001/")
    box = found(r'<aside class="xx-box xx-report".*?</aside>', report, re.S).group(0)
    assert [int(c) for c in re.findall(r"<td>(\d+)</td>", box)] == [*EXPECTED[2024][GZ], *EXPECTED[2024][GF]]
    assert 'href="../../../stats/#y2024"' in box
    assert "xx-report" not in known.html(f"items/{A}/2024-00001/")


def test_bar_chart_reads_without_colour_and_escapes_labels():
    svg = bar_chart("<b>图</b>", [("<script>", 3), ("乙", 0)])
    assert "<script>" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "&lt;script&gt;" in svg and 'aria-label="&lt;b&gt;图&lt;/b&gt;，共3条' in svg
    assert re.findall(r'class="xx-chart__value"[^>]*>(\d+)<', svg) == ["3", "0"]
    assert svg.count("<rect") == 1  # a zero draws no bar, only its number


def test_revision_written_only_on_the_new_version_ends_the_old_one(known):
    known.item("2024/bgs/2024-00007.md", _policy("2024-00007", GZ, "2024-10-01", f"replaces: {A}/2022-00001"))
    doc = json.loads(known.command("stats", ".", "--year", "2024", "--format", "json", "--explain").out)
    assert doc[GZ] == dict(zip(COLUMNS, (2, 1, 2)))
    assert doc["明细"]["未计入本年废止件数"]["规章本年被修订件数"] == [f"{A}/2022-00001"]
    assert json.loads(known.command("stats", ".", "--year", "2023", "--format", "json").out)[GZ] == dict(
        zip(COLUMNS, EXPECTED[2023][GZ])
    )
