"""xxgk import: saved pages in four layouts and spreadsheets (xlsx, GBK CSV) become items whose
metadata equals the source and whose bodies keep the text without the chrome; they pass
`xxgk check`; a second run writes nothing; spam is reported; bad rows get `source:row: CODE`."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
import yaml

from conftest import SiteDir, new_site
from import_sources import CHROME, CSV_HEADER, DOCS, MAPPING, PAGES, write_gbk_csv, write_pages, write_xlsx

pytestmark = pytest.mark.cli

ORG = "11990102MB0000001P"


@pytest.fixture
def site(tmp_path) -> SiteDir:
    target = tmp_path / "site"
    site = new_site(target, ORG)
    site.write("mapping.yml", MAPPING)
    return site


def imp(site: SiteDir, *args: str):
    return site.xxgk("import", *args, "--mapping", "mapping.yml")


def item(site: SiteDir, index_no: str) -> tuple[dict, str]:
    for path in (site.path / "content" / "items").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        if meta["index_no"] == index_no:
            return meta, body
    raise AssertionError(f"no item {index_no}")


def squash(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def snapshot(site: SiteDir) -> dict[str, bytes]:
    return {
        p.relative_to(site.path).as_posix(): p.read_bytes()
        for folder in ("content", "catalog", ".xxgk")
        for p in (site.path / folder).rglob("*")
        if p.is_file()
    }


def test_saved_pages_in_four_layouts(site):
    write_pages(site.path / "old")
    result = imp(site, "old")
    assert result.code == 0, result.text
    assert "已导入 4 条" in result.err
    for name, (_layout, seed, index_no) in PAGES.items():
        meta, body = item(site, index_no)
        doc = DOCS[seed]
        assert meta["title"] == doc["title"], name
        assert meta["publisher"] == "zf" and str(meta["published"]) == doc["published"], name
        for paragraph in doc["paragraphs"]:  # the source text, every paragraph, in the body
            assert squash(paragraph) in squash(body), (name, paragraph)
        for word in CHROME:
            assert word not in body, (name, word)
        assert "索引号" not in body and "发布机构" not in body and doc["title"] not in body, name
    table, _ = item(site, "11990102MB0000001P/2018-00101")
    assert table["doc_no"] == "河政办〔2018〕10号" and str(table["written"]) == "2018-08-13"
    assert table["topics"] == ["综合政务"] and table["category"] == "qtwj"
    assert table["attachments"] == [{"file": "files/2018-00101/anpai.pdf", "title": "2018年政务公开重点工作安排"}]
    report, _ = item(site, "11990102MB0000001P/2019-00007")
    assert report["category"] == "ndbg" and report["doc_type"] == "年度报告" and "status" not in report
    runs, _ = item(site, "11990102MB0000001P/2017-00003")
    assert runs["doc_no"] == "河政发〔2017〕3号"
    spans, spans_body = item(site, "11990102MB0000001P/2019-00015")
    assert "files/2019-00015/tu.png" in spans_body
    assert (site.path / "content/items/2018/zf/files/2018-00101/anpai.pdf").is_file()
    check = site.check()
    assert check.code == 0, check.text


def test_injected_text_is_reported(site):
    write_pages(site.path / "old")
    result = imp(site, "old")
    lines = result.out.splitlines()
    spam = [l for l in lines if " I310 " in l]
    assert spam == [l for l in spam if l.startswith("old/p-dl.html:1: I310 ")] and spam
    assert "天津市2018年政府信息公开年度报告" in spam[0] and "欧博" in spam[0]
    hidden = [l for l in lines if " I311 " in l]
    assert len(hidden) == 1 and hidden[0].startswith("old/p-dl.html:1:") and "娱乐城" in hidden[0]
    _, body = item(site, "11990102MB0000001P/2019-00007")
    assert "娱乐城" not in body and "casino" not in body  # hidden text is dropped …
    assert "欧博abg" in body  # … visible text stays for staff to judge
    outside = [l for l in lines if " I312 " in l]
    assert len(outside) == 1 and outside[0].startswith("old/p-runs.html:1:") and "www.example-casino.com" in outside[0]


def test_spreadsheets_xlsx_and_gbk_csv(site):
    xlsx = write_xlsx(site.path / "export")
    csv_path = write_gbk_csv(site.path / "export")
    result = imp(site, "export/catalog.xlsx", "export/old.csv")
    assert result.code == 1, result.text  # three rows cannot come over
    lines = result.out.splitlines()
    assert "export/catalog.xlsx:2: I301 未识别的列：备注" in result.out
    assert any(l.startswith("export/catalog.xlsx:5: I308 ") and "缺.docx" in l for l in lines), result.out
    assert any(l.startswith("export/catalog.xlsx:6: I304 ") and "河西区老干部局" in l for l in lines)
    assert any(l.startswith("export/catalog.xlsx:6: I303 ") for l in lines)
    assert any(l.startswith("export/old.csv:3: I302 ") and "发布日期" in l for l in lines), result.out
    assert any(l.startswith("export/catalog.xlsx:4: I321 ") and f"{ORG}/2019-00001" in l for l in lines)
    assert "已导入 4 条" in result.err and "待处理 3 条" in result.err
    consult, body = item(site, f"{ORG}/2021-00012")
    assert consult["title"] == DOCS["004"]["title"] and consult["doc_no"] == "河政办函〔2021〕5号"
    assert str(consult["written"]) == "2021-03-10" and str(consult["published"]) == "2021-03-15"
    assert consult["category"] == "zqyj" and consult["topics"] == ["综合政务"]
    for paragraph in DOCS["004"]["paragraphs"]:  # the .docx body, through mammoth
        assert squash(paragraph) in squash(body)
    assigned, _ = item(site, f"{ORG}/2019-00001")
    assert assigned["title"] == DOCS["003"]["title"] and assigned["topics"] == ["市场监管、安全生产监管"]
    scanned, _ = item(site, f"{ORG}/2018-00020")
    assert scanned["status"] == "失效" and scanned["doc_no"] == "〔2018〕1号" and scanned["category"] == "qtwj"
    assert scanned["attachments"] == [{"file": "files/2018-00020/000.pdf", "title": "000"}]
    from_csv, csv_body = item(site, f"{ORG}/2017-00021")
    assert from_csv["summary"] == "部署全年政务公开工作。" and str(from_csv["published"]) == "2017-07-03"
    for paragraph in DOCS["002"]["paragraphs"]:
        assert squash(paragraph) in squash(csv_body)
    assert xlsx.is_file() and csv_path.read_bytes().decode("gbk")
    check = site.check()
    assert check.code == 0, check.text


def test_second_run_writes_nothing(site):
    write_pages(site.path / "old")
    write_xlsx(site.path / "export")
    first = imp(site, "old", "export/catalog.xlsx")
    before = snapshot(site)
    again = imp(site, "old", "export/catalog.xlsx")
    assert snapshot(site) == before
    assert "已导入 0 条，已更新 0 条" in again.err and "跳过 7 条" in again.err, again.err
    assert " I321 " not in again.out and " I313 " not in again.out  # nothing changed, nothing assigned anew
    assert first.code == again.code == 1
    updating = imp(site, "old", "export/catalog.xlsx", "--update")  # nothing changed: --update changes nothing
    assert snapshot(site) == before and "已导入 0 条，已更新 0 条" in updating.err


def test_update_keeps_what_staff_edited(site):
    csv_path = write_gbk_csv(site.path / "export")
    imp(site, "export/old.csv")
    meta, _ = item(site, f"{ORG}/2017-00021")
    path = next((site.path / "content/items/2017/zf").glob("*.md"))
    path.write_text(path.read_text("utf-8").replace(meta["title"], "工作人员改过的标题"), encoding="utf-8")
    text = csv_path.read_bytes().decode("gbk").replace("部署全年政务公开工作。", "部署2017年政务公开工作。")
    text = text.replace("（转载）", "（来源更正）")  # the source changes the title staff edited, too
    csv_path.write_bytes(text.encode("gbk"))
    plain = imp(site, "export/old.csv")
    assert " I313 " in plain.out and "已更新 0 条" in plain.err
    assert item(site, f"{ORG}/2017-00021")[0]["summary"] == "部署全年政务公开工作。"
    updated = imp(site, "export/old.csv", "--update")
    assert "已更新 1 条" in updated.err, updated.text
    meta, _ = item(site, f"{ORG}/2017-00021")
    assert meta["summary"] == "部署2017年政务公开工作。" and meta["title"] == "工作人员改过的标题"
    assert any(" I314 " in l and "title" in l for l in updated.out.splitlines())


def test_dry_run_writes_nothing(site):
    write_pages(site.path / "old")
    before = snapshot(site)
    result = imp(site, "old", "--dry-run")
    assert result.code == 0 and "将导入 4 条" in result.err and "未写入任何文件" in result.err
    assert snapshot(site) == before


def test_dry_run_reports_what_the_check_would_say_of_the_written_files(site):
    rows = [
        CSV_HEADER,
        [
            f"{ORG}/2019-00031",
            "关于联系人调整的通知",
            "云溪市河西区人民政府",
            "",
            "2019-03-04",
            "",
            "请联系王经理，手机 13800138000。",
            "正文",
        ],
    ]
    (site.path / "export").mkdir()
    with (site.path / "export/phone.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    before = snapshot(site)
    trial = imp(site, "export/phone.csv", "--dry-run")
    assert snapshot(site) == before and "未写入任何文件" in trial.err
    flagged = [line for line in trial.out.splitlines() if " E142 " in line or " E141 " in line]
    assert flagged and flagged[0].startswith("content/items/2019/"), trial.text
    real = imp(site, "export/phone.csv")
    assert [line for line in real.out.splitlines() if " E142 " in line or " E141 " in line] == flagged
    assert trial.code == real.code


def test_dry_run_refuses_a_content_folder_outside_the_repository(site, tmp_path):
    """The copy would still point at the real folder, and the trial would write into it."""
    shutil.move(site.path / "content", tmp_path / "elsewhere")
    site.edit("mkdocs.yml", "docs_dir: content", f"docs_dir: {tmp_path / 'elsewhere'}")
    write_pages(site.path / "old")
    before = sorted(p.name for p in (tmp_path / "elsewhere").rglob("*"))
    trial = imp(site, "old", "--dry-run")
    # refused when the options are read (issue 30: docs_dir must be inside the repository)
    assert trial.code == 1 and "E118 docs_dir 应为仓库内的一个子目录" in trial.err, trial.text
    assert "Traceback" not in trial.text
    assert sorted(p.name for p in (tmp_path / "elsewhere").rglob("*")) == before


def test_existing_items_are_never_overwritten(site):
    write_pages(site.path / "old")
    site.item(
        "2018/zf/mine.md",
        f"title: 本站已有\nindex_no: {ORG}/2018-00101\npublisher: zf\npublished: 2018-08-14\ncategory: qtwj",
    )
    result = imp(site, "old/p-table.html")
    assert "old/p-table.html:1: I315 " in result.out and "content/items/2018/zf/mine.md" in result.out
    assert "本站已有" in site.read("content/items/2018/zf/mine.md")


def test_bad_mapping_and_sources_are_reported_not_raised(site):
    site.write("mapping.yml", "columns: {标题: 题目}\nunknown: 1\n")
    bad = imp(site, "nothing.xlsx")
    assert bad.code == 2 and "mapping.yml:1: I318 " in bad.err and "mapping.yml:2: I318 " in bad.err
    site.write("mapping.yml", MAPPING)
    site.write("broken.xlsx", "not a workbook")
    result = imp(site, "broken.xlsx", "missing.csv")
    assert result.code == 1 and "Traceback" not in result.text
    assert "broken.xlsx:1: I317 " in result.out and "missing.csv:1: I317 " in result.out


def test_a_number_a_later_row_uses_is_not_handed_out(site):
    """Rows without 索引号 are numbered after every source is read: row 2 cannot take row 3's number."""
    site.write(
        "later.csv",
        f"标题,发布机构,发布日期,索引号\n先写的条目,云溪市河西区人民政府,2019-01-02,\n"
        f"后写的条目,云溪市河西区人民政府,2019-01-03,{ORG}/2019-00001\n",
    )
    result = imp(site, "later.csv")
    assert f"later.csv:2: I321 来源中没有索引号，已分配 {ORG}/2019-00002" in result.out, result.text
    assert item(site, f"{ORG}/2019-00001")[0]["title"] == "后写的条目"
    assert item(site, f"{ORG}/2019-00002")[0]["title"] == "先写的条目"
    again = imp(site, "later.csv")
    assert "已导入 0 条，已更新 0 条，跳过 2 条，待处理 0 条" in again.err and " I31" not in again.out


def test_mapping_renames_combines_and_fixes_columns(site):
    site.write(
        "m2.yml",
        "columns: {题目: title, 单位: publisher}\ncombine: {summary: [摘要, 备注]}\n"
        "fix: {status: {部分失效: 失效}}\ndefaults: {category: qtwj}\naliases:\n  publisher: {区府: zf}\n",
    )
    site.write("old.csv", "题目,单位,日期,摘要,备注,时效\n一条信息,区府,2020年5月6日,第一句。,第二句。,部分失效\n")
    result = site.xxgk("import", "old.csv", "--mapping", "m2.yml")
    assert result.code == 0, result.text
    meta, _ = item(site, f"{ORG}/2020-00001")
    assert meta["title"] == "一条信息" and meta["publisher"] == "zf" and str(meta["published"]) == "2020-05-06"
    assert meta["summary"] == "第一句。；第二句。" and meta["status"] == "失效"
