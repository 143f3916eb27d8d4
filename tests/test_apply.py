"""The 依申请公开 page of the demo build: the channels of mkdocs.yml's `apply`, the link to the
blank form, the .docx itself (read back, and opened in LibreOffice where it is installed), and
no text of the case ledger anywhere in site/."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from docx import Document

from conftest import ROOT
from xxgk.core.ledger import read_ledger
from xxgk.core.options import read_mkdocs_yml
from xxgk.output.apply_form import DOCX, FIELDS


def test_the_page_lists_the_channels_and_links_the_form(demo_build):
    html = demo_build.html("apply/")
    for text in (
        "云溪市文昌路88号市政府大院1号楼105室",
        "ysqgk@yunxi.example",
        "本网站不接收在线提交",
        'method="dialog"',
    ):
        assert text in html, text
    assert "zhengfu-xinxi-gongkai-shenqingbiao.docx" in html
    assert "<script>" not in html  # strict CSP: the form's code is the site's module
    home = demo_build.html("")
    assert 'href="apply/"' in home and "依申请公开" in home  # a column of the nav


def test_the_docx_is_the_application_form(demo_build, tmp_path):
    path = demo_build.path / "site" / DOCX
    doc = Document(str(path))
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for f in FIELDS:
        assert f.label in text, f.label
    assert "云溪市人民政府政府信息公开申请表" in doc.paragraphs[0].text
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed (scripts/setup --browser)")
    shutil.copy(path, tmp_path / "form.docx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "form.docx")],
        check=True,
        capture_output=True,
        timeout=180,
    )
    from pypdf import PdfReader

    pdf = PdfReader(str(tmp_path / "form.pdf"))
    assert len(pdf.pages) == 1
    assert "申请表" in pdf.pages[0].extract_text()


def test_no_ledger_text_reaches_the_site(demo_build):
    ledger = read_ledger(read_mkdocs_yml(ROOT))
    secrets = {e.reason for c in ledger.cases for e in c.events if e.reason}
    secrets |= {str(c.raw["note"]) for c in ledger.cases if "note" in c.raw}
    secrets |= {f"{c.number}.yml" for c in ledger.cases}
    assert len(secrets) > 5
    for path in (demo_build.path / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".txt", ".js", ".csv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked = [s for s in secrets if s in text]
            assert not leaked, (path, leaked)


@pytest.mark.build
def test_the_form_is_made_again_when_the_agency_changes(mini):
    """Issue 35: the form comes from .cache/xxgk/forms/ while what it is made of is the same,
    and is made again, the old entry dropped, once the agency (site_name here) changes."""

    def form_title() -> str:
        result = mini.build()
        assert result.code == 0, result.text
        return Document(str(mini.path / "site" / DOCX)).paragraphs[0].text

    assert form_title() == "测试市人民政府信息公开政府信息公开申请表"
    kept = list((mini.path / ".cache/xxgk/forms").glob("*.docx"))
    assert len(kept) == 1
    assert form_title() == "测试市人民政府信息公开政府信息公开申请表"
    mini.edit("mkdocs.yml", "site_name: 测试市人民政府信息公开", "site_name: 测试县人民政府")
    assert form_title() == "测试县人民政府政府信息公开申请表"
    assert len(list((mini.path / ".cache/xxgk/forms").glob("*.docx"))) == 1 and not kept[0].exists()
