"""Tables 二, 三 and 四 of the 2021 annual-report format: `xxgk stats` computes them from the
items, catalog/annual_figures.yml and the case ledger; `xxgk check` compares a report's tables
cell by cell (W233) and checks its own sums even without a ledger (W442)."""

import json

import pytest
from openpyxl import load_workbook

from conftest import BIN, SiteDir, copy_demo, run

# The demo ledger (applications/) counted by hand for 2025, case by case:
# received in 2025: 001 002 004 006 008 009 011 (自然人), 005 (科研机构), 007 (社会公益组织),
# 003 (法律服务机构), 010 (其他) = 11; carried from 2024: 2024-002 (商业企业), 2024-003 (自然人);
# answered in 2025: 予以公开 001 002 (自然人) 007 (公益); 部分公开 2024-002 (商业) 005 (科研);
# 不予公开 4 003, 5 008; 无法提供 1 2024-003, 2 006; 不予处理 2 004; 其他处理 1 009;
# still open on 31 December: 010 (其他), 011 (自然人).
HAND_2025 = {
    "一、本年新收政府信息公开申请数量": [7, 0, 1, 1, 1, 1, 11],
    "二、上年结转政府信息公开申请数量": [1, 1, 0, 0, 0, 0, 2],
    "三、本年度办理结果（一）予以公开": [2, 0, 0, 1, 0, 0, 3],
    "（二）部分公开": [0, 1, 1, 0, 0, 0, 2],
    "4.保护第三方合法权益": [0, 0, 0, 0, 1, 0, 1],
    "5.属于三类内部事务信息": [1, 0, 0, 0, 0, 0, 1],
    "（四）无法提供 1.本机关不掌握相关政府信息": [1, 0, 0, 0, 0, 0, 1],
    "2.没有现成信息需要另行制作": [1, 0, 0, 0, 0, 0, 1],
    "2.重复申请": [1, 0, 0, 0, 0, 0, 1],
    "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": [1, 0, 0, 0, 0, 0, 1],
    "三、本年度办理结果（七）总计": [7, 1, 1, 1, 1, 0, 11],
    "四、结转下年度继续办理": [1, 0, 0, 0, 0, 1, 2],
}
# 007: 复议 维持 in November; 007 复议后起诉 and 008 直接起诉 (decided in 2026) still open; 010's
# 复议 was filed in 2026 and is not counted.
HAND_2025_APPEALS = {
    "行政复议": [1, 0, 0, 0, 1],
    "行政诉讼（未经复议直接起诉）": [0, 0, 0, 1, 1],
    "行政诉讼（复议后起诉）": [0, 0, 0, 1, 1],
}
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _demo(tmp_path) -> SiteDir:
    return copy_demo(tmp_path / "demo")


@pytest.mark.cli
def test_the_demo_ledger_gives_the_hand_count(tmp_path):
    site = _demo(tmp_path)
    result = site.xxgk("stats", ".", "--year", "2025", "--format", "json")
    assert result.code == 0, result.text
    doc = json.loads(result.out)["年报表格"]
    table = doc["依申请公开"]
    for row, numbers in HAND_2025.items():
        assert [table[row][c] for c in COLUMNS] == numbers, row
    counted = {r for r, cells in table.items() if cells["总计"]}
    assert counted == set(HAND_2025)  # every other row is 0
    for col in COLUMNS:  # 一 + 二 = 三（七）+ 四
        assert (
            table["一、本年新收政府信息公开申请数量"][col] + table["二、上年结转政府信息公开申请数量"][col]
            == table["三、本年度办理结果（七）总计"][col] + table["四、结转下年度继续办理"][col]
        )
    appeals = doc["复议诉讼"]
    assert {k: list(v.values()) for k, v in appeals.items()} == HAND_2025_APPEALS
    assert doc["主动公开"]["行政许可"] == 4619 and doc["主动公开"]["行政事业性收费"] == 1203.7


def test_the_demo_reports_agree_with_the_ledger(tmp_path):
    result = _demo(tmp_path).check()
    assert result.code == 0, result.text
    assert not any(code in result.out for code in ("W233", "W442", "W443"))


def test_markdown_pasted_into_a_report_is_read_back_and_a_wrong_cell_is_named(tmp_path):
    site = _demo(tmp_path)
    report = "content/items/2026/szfbgt/2025-zhengfu-xinxi-gongkai-niandu-baogao.md"
    site.edit(report, "| 2.重复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |", "| 2.重复申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |")
    line = site.read(report).splitlines().index("| 2.重复申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |") + 1
    result = site.check()
    assert f"{report}:{line}: W233 2025年度报告中表三“2.重复申请”行“自然人”列写的是 2，按依申请公开台账" in result.out
    # the report's own sums no longer hold either: （七）总计 and 一 + 二 = 三（七）+ 四
    assert "W442" in result.out


def test_a_report_whose_totals_do_not_add_up_is_flagged_without_a_ledger(mini):
    mini.item(
        "2025/bgs/report.md",
        "title: 测试2024年政府信息公开工作年度报告\nindex_no: 11990100MB0000001T/2025-00099\npublisher: bgs\n"
        "published: 2025-01-20\ncategory: tzgg\ndoc_type: 年度报告",
        body="""## 三、收到和处理政府信息公开申请情况

| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
|---|---|---|---|---|---|---|---|
| 一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 7 |
| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 三、本年度办理结果（一）予以公开 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |
| （七）总计 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |
| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |

## 四、政府信息公开行政复议、行政诉讼情况

| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|---|---|---|---|---|---|
| 行政复议 | 1 | 1 | 0 | 0 | 3 |
""",
    )
    result = mini.check()
    out = result.out
    assert result.code == 0, result.text
    assert "W442" in out
    assert "“一、本年新收政府信息公开申请数量”行“总计”列写的是 7，但各类申请人之和为 6" in out
    assert "“行政复议”行“总计”列写的是 3，但结果维持、结果纠正、其他结果、尚未审结之和为 2" in out
    assert "W443" not in out and "W233" not in out  # no ledger: nothing to compare with


def test_the_figures_file_is_checked_and_compared(tmp_path):
    site = _demo(tmp_path)
    site.edit("catalog/annual_figures.yml", "行政处罚: 764", "行政处罚: 765")
    assert "行政处罚写的是 764，按catalog/annual_figures.yml计算为 765" in site.check().out
    site.edit("catalog/annual_figures.yml", "行政处罚: 765", "行政处罚: 七百")
    result = site.check()
    assert result.code == 1 and "catalog/annual_figures.yml:4: E407" in result.out


@pytest.mark.cli
def test_xlsx_for_submission(tmp_path):
    site = _demo(tmp_path)
    assert site.xxgk("stats", ".", "--year", "2025", "--format", "xlsx").code == 2  # needs --output
    result = site.xxgk("stats", ".", "--year", "2025", "--format", "xlsx", "--output", "t.xlsx")
    assert result.code == 0, result.text
    book = load_workbook(site.path / "t.xlsx")
    sheet = book[book.sheetnames[3]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert rows[0] == ["项目", *COLUMNS]
    assert rows[1] == ["一、本年新收政府信息公开申请数量", *HAND_2025["一、本年新收政府信息公开申请数量"]]
    assert len(rows) == 26  # the header and the template's 25 rows


@pytest.mark.cli
def test_without_a_ledger_stats_says_so(mini):
    result = run([str(BIN / "xxgk"), "stats", ".", "--year", "2024", "--format", "markdown"], mini.path)
    assert result.code == 0, result.text
    assert "本站没有依申请公开案件台账" in result.out and "行政规范性文件" in result.out


def test_the_report_is_due_by_31_january_or_31_march(tmp_path):
    site = _demo(tmp_path)
    assert "W444" not in site.check("--as-of", "2027-01-31").out
    late = site.check("--as-of", "2027-02-01").out
    assert "W444 还没有2026年度报告：部门的年度报告应在次年1月31日前公布" in late
    site.edit("mkdocs.yml", "  - xxgk:", "  - xxgk:\n      report_level: 本级政府")
    assert "W444" not in site.check("--as-of", "2027-03-31").out
    assert "W444" in site.check("--as-of", "2027-04-01").out
    report = "content/items/2026/szfbgt/2025-zhengfu-xinxi-gongkai-niandu-baogao.md"
    site.edit(report, "published: 2026-01-20", "published: 2026-04-02")
    line = site.read(report).splitlines().index("published: 2026-04-02") + 1
    assert (
        f"{report}:{line}: W444 2025年度报告发布于 2026-04-02，晚于 2026-03-31"
        in site.check("--as-of", "2026-05-01").out
    )


def test_a_row_the_template_has_not_is_named_not_skipped(tmp_path):
    site = _demo(tmp_path)
    report = "content/items/2026/szfbgt/2025-zhengfu-xinxi-gongkai-niandu-baogao.md"
    site.edit(report, "| 行政诉讼（复议后起诉） |", "| 行政诉讼 |")  # the demo's old, ambiguous row
    line = next(n for n, l in enumerate(site.read(report).splitlines(), 1) if l.startswith("| 行政诉讼 |"))
    assert f"{report}:{line}: W443 2025年度报告表四中“行政诉讼”这一行无法对应到模板的行" in site.check().out
