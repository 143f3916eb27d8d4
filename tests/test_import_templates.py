"""xxgk import on pages in the structures real templates use (tests/import_templates.py): every
label pairing read, template-hidden blocks read and not reported as injected, bodies in table
cells kept as paragraphs and tables, chrome left out, every body link decided so that the build
passes when the check does; the run's report counts fields and lists what needs a person.
The real pages in ../shared/realpages/ are read too when they exist (skipped when not)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import SiteDir, new_site
from import_templates import AGENCY, TEMPLATES, TEXT, write_templates

ORG = "11990102MB0000001P"
PATTERN = r"(?P<org>[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9A-Z])/(?P<year>\d{4})-\d{5,10}"
MAPPING = (
    "defaults: {category: qtwj}\n"
    "old_site: https://www.hexi.example.gov.cn/\n"
    f"aliases:\n  publisher: {{{AGENCY}: zf}}\n"
)
REAL = Path(__file__).resolve().parents[2] / "shared" / "realpages"


@pytest.fixture
def site(tmp_path) -> SiteDir:
    target = tmp_path / "site"
    site = new_site(target, ORG)
    yml = target / "mkdocs.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("  - xxgk:\n", f"  - xxgk:\n      index_no_pattern: '{PATTERN}'\n", 1),
        encoding="utf-8",
    )
    deps = (target / "catalog" / "departments.yml").read_text(encoding="utf-8")
    (target / "catalog" / "departments.yml").write_text(
        deps + '- id: gwy\n  name: 国务院\n  org_code: "11100000000014349X"\n', encoding="utf-8"
    )
    site.write("mapping.yml", MAPPING + "  category: {}\n")
    return site


def items(site: SiteDir) -> dict[str, tuple[dict, str]]:
    """index_no → (front matter, body) of every item."""
    out = {}
    for path in (site.path / "content" / "items").rglob("*.md"):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        out[meta["index_no"]] = (meta, body)
    return out


@pytest.mark.build
@pytest.mark.cli
def test_template_structures(site):
    write_templates(site.path / "old")
    (site.path / "old" / "bd1.html").write_text(
        (site.path / "old" / "bd1.html").read_text(encoding="utf-8").replace(AGENCY, "国务院"), encoding="utf-8"
    )
    result = site.xxgk("import", "old", "--mapping", "mapping.yml")
    assert f"已导入 {len(TEMPLATES)} 条" in result.err, result.text
    found = items(site)
    for name, (_, title, want) in TEMPLATES.items():
        match = [m for m, _ in found.values() if m["title"] == title]
        assert match, (name, title, sorted(m["title"] for m, _ in found.values()))
        meta = match[0]
        for key, value in want.items():
            assert str(meta.get(key)) == str(value) if key != "topics" else meta.get(key) == value, (name, key, meta)
    assert " I311 " not in result.out  # hidden by the template is not injected
    lines = result.out.splitlines()
    # the State Council page's 文号 inside a -webkit-text-stroke-width span is still in the body
    meta, body = found["000014349/1996-00031"]
    assert "河政办发〔1995〕3号" in body and meta["publisher"] == "gwy"
    # 北京's 字号 widget is not a 发文字号; 有效性 是 is stated, so no question about it
    bj = next(m for m, _ in found.values() if m["title"] == TEMPLATES["bj.html"][1])
    assert bj["doc_no"] == "河政办发〔2025〕13号" and "status" not in bj
    # 常州: body in a td keeps its paragraphs and table; 废止日期 makes it 废止 with that date
    cz_meta, cz_body = found["11990102MB0000001P/2020-00118"]
    assert str(cz_meta["abolished"]["date"]) == "2024-12-20"
    assert all(t in {line.strip("　") for line in cz_body.splitlines()} for t in TEXT), cz_body  # one paragraph each
    assert "| 文昌街道 | 12 |" in cz_body
    # the old site's attachment link: absolute, reported; the print link gone, its word with it
    assert "https://www.hexi.example.gov.cn/upfiles/admininfo/2020/anpai.pdf" in cz_body
    assert any(" I324 " in line and "anpai.pdf" in line for line in lines), result.out
    assert "javascript" not in cz_body and "打印" not in cz_body
    # 慈溪: 规范性文件编号 is not the 文件编号; the title is the article's heading, not a label
    for meta, body in found.values():
        for word in ("字号", "当前位置", "网站标识码", "分享到", "浏览次数", "索引号", "发布机构"):
            assert word not in body, (meta["title"], word, body)
    report = result.err
    assert "网页的模板：" in report and "开普云 UCAP（含国务院政策文件库） 2" in report, report  # bd1, hn
    n = len(TEMPLATES)  # 北京 pages show no 索引号 (one is assigned, I321); four pages state 有效性
    assert f"索引号 {n - 1}/{n}" in report and f"有效性 4/{n}" in report and "I321 新分配的索引号 1 处" in report, (
        report
    )
    check = site.check()
    assert check.code == 0, check.text
    built = site.build()
    assert built.code == 0, built.text
    again = site.xxgk("import", "old", "--mapping", "mapping.yml")
    assert "已导入 0 条" in again.err and "已更新 0 条" in again.err, again.text


@pytest.mark.cli
def test_validity_never_silently_valid(site, tmp_path):
    """A 行政规范性文件 whose page states no validity is listed for staff (I322); one that states it is not."""
    write_templates(site.path / "old")
    site.write("gfxwj.yml", MAPPING.replace("qtwj", "gfxwj"))
    result = site.xxgk("import", "old/gd.html", "old/jcms.html", "--mapping", "gfxwj.yml")
    asks = [line for line in result.out.splitlines() if " I322 " in line]
    assert len(asks) == 1 and asks[0].startswith("old/gd.html:1: I322 "), result.out
    assert "有效性待确认 1 处" in result.err


@pytest.mark.build
@pytest.mark.cli
def test_links_between_imported_pages_and_scripts(site):
    """A link to another imported page leads to its item; a relative link on a page that does not
    say its address is dropped and reported; `javascript:` links are dropped silently."""
    old = site.path / "old"
    old.mkdir()
    head = "<!-- saved from url=(0045)https://www.hexi.example.gov.cn/xxgk/{}.html -->"
    first = TEMPLATES["jcms.html"][0]("关于老旧小区改造的通知").replace(
        TEXT[1], TEXT[1] + '见<a href="b.html#p2">实施细则</a>和<a href="javascript:void(0)">附表</a>'
    )
    second = TEMPLATES["jcms.html"][0]("老旧小区改造实施细则").replace("2024-00168", "2024-00169")
    third = TEMPLATES["jcms.html"][0]("老旧小区改造问答").replace("2024-00168", "2024-00170")
    third = third.replace(TEXT[1], TEXT[1] + '<a href="qa/1.html">问答一</a>')
    (old / "a.html").write_text(head.format("a") + first, encoding="utf-8")
    (old / "b.html").write_text(head.format("b") + second, encoding="utf-8")
    (old / "c.html").write_text(third, encoding="utf-8")
    result = site.xxgk("import", "old", "--mapping", "mapping.yml")
    assert "已导入 3 条" in result.err, result.text
    found = items(site)
    _, body = found["11990102MB0000001P/2024-00168"]
    assert "[实施细则](2024-00169.md)" in body, body  # the old page's anchor is not the new page's
    assert "和附表" in body and "javascript" not in body
    _, third_body = found["11990102MB0000001P/2024-00170"]
    assert "问答一" in third_body and "qa/1.html" not in third_body
    assert any(line.startswith("old/c.html:1: I325 ") for line in result.out.splitlines()), result.out
    built = site.build()
    assert built.code == 0, built.text


@pytest.mark.cli
def test_page_labels_taught_by_mapping(site):
    """`columns` in the mapping names a page's own label (公文成文时刻 → written)."""
    old = site.path / "old"
    old.mkdir()
    page = TEMPLATES["jcms.html"][0]("关于老旧小区改造的通知").replace(
        "<tr><td>文号:</td>", "<tr><td>公文成文时刻:</td><td>2024-03-01</td></tr><tr><td>文号:</td>"
    )
    (old / "a.html").write_text(page, encoding="utf-8")
    site.write("taught.yml", MAPPING + "columns: {公文成文时刻: written}\n")
    result = site.xxgk("import", "old", "--mapping", "taught.yml")
    meta, _ = items(site)["11990102MB0000001P/2024-00168"]
    assert str(meta["written"]) == "2024-03-01", result.text


@pytest.mark.skipif(not (REAL / "expected.json").is_file(), reason="../shared/realpages/ is not on this machine")
def test_real_pages_hand_checked_fields():
    """The hand-checked values of the real pages, read by the page reader (no copy of them here)."""
    from xxgk.onboard.saved_pages import read_page
    from xxgk.onboard.values import normal_doc_no, parse_date

    expected = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
    wrong = []
    for rel, want in expected.items():
        page = read_page(REAL / rel)
        got = page.values
        squash = lambda s: re.sub(r"\s+", "", s or "")
        checks = {
            "title": squash(got.get("title")) in {squash(want["title"]), *map(squash, want.get("title_alt", []))},
            "index_no": squash(got.get("index_no")) == squash(want["index_no"]) or not want["index_no"],
            "publisher": squash(got.get("publisher")) == squash(want["publisher"]),
            "doc_no": normal_doc_no(got.get("doc_no", "")) == normal_doc_no(want["doc_no"])
            or (not want["doc_no"] and got.get("doc_no", "-") in ("", "-")),
        }
        for key in ("written", "published"):
            checks[key] = (parse_date(got[key]).isoformat() if got.get(key) else "") == want[key]
        wrong += [f"{rel} {k}: {got.get(k)!r} ≠ {want.get(k)!r}" for k, ok in checks.items() if not ok]
        assert not page.hidden, (rel, page.hidden)  # no real page carries injected text
    assert not wrong, "\n".join(wrong)


@pytest.mark.cli
def test_attachment_kinds_come_from_the_gate(site):
    """A file beside the page of a kind the site does not publish (.rar) is not copied: reported (I326),
    its link left to the old site's address; an allowed kind (.pdf) is copied into files/."""
    old = site.path / "old"
    (old / "files").mkdir(parents=True)
    (old / "files" / "biao.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (old / "files" / "anpai.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    page = TEMPLATES["jcms.html"][0]("关于老旧小区改造的通知").replace(
        TEXT[2], TEXT[2] + '<a href="files/anpai.pdf">安排.pdf</a><a href="files/biao.rar">附表.rar</a>'
    )
    (old / "a.html").write_text("<!-- saved from url=(0045)https://www.hexi.example.gov.cn/xxgk/a.html -->" + page)
    result = site.xxgk("import", "old", "--mapping", "mapping.yml")
    assert any(line.startswith("old/a.html:1: I326 ") and "biao.rar" in line for line in result.out.splitlines())
    meta, body = items(site)["11990102MB0000001P/2024-00168"]
    assert meta["attachments"] == [{"file": "files/2024-00168/anpai.pdf", "title": "安排"}], meta
    assert "https://www.hexi.example.gov.cn/xxgk/files/biao.rar" in body
    assert not list(site.path.glob("content/**/*.rar"))


@pytest.mark.cli
def test_init_keeps_an_org_code_with_leading_zeros(tmp_path):
    """`--org-code 003205343` is written quoted, so YAML does not read it as a number and the new
    site passes its own check."""
    target = tmp_path / "site"
    site = new_site(target, "003205343")
    assert yaml.safe_load((target / "catalog" / "departments.yml").read_text("utf-8"))[0]["org_code"] == "003205343"
    check = site.check()
    assert check.code == 0, check.text


def test_title_is_not_the_site_name_or_a_label(tmp_path):
    """A `<title>` holding only the site's name, an <h1> logo and labels in <h1>s (慈溪): the
    document's heading is the title."""
    from xxgk.onboard.saved_pages import read_page

    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>河西区人民政府</title></head><body><h1>河西区人民政府</h1>"
        "<div class='flex'><h1>发布机构：</h1><p>河西区住建局</p></div>"
        "<h2 class='art-title'>关于做好老旧小区改造工作的通知</h2><div id='zoom'><p>正文第一段，正文第一段。</p></div>"
        "</body></html>",
        encoding="utf-8",
    )
    values = read_page(page).values
    assert values["title"] == "关于做好老旧小区改造工作的通知" and values["publisher"] == "河西区住建局"
