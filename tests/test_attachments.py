"""Attachment checks: the file exists, stays in the content folder, has an allowed type and size."""

import os

import pytest

from samples import write_pdf

NOTICE = "content/items/2024/bgs/notice.md"
FOLDER = "content/items/2024/bgs"


def _attach(mini, entry):
    mini.edit(NOTICE, "category: tzgg", f"category: tzgg\nattachments:\n  - {entry}")
    return next(n for n, l in enumerate(mini.read(NOTICE).splitlines(), 1) if l.startswith("  - "))


@pytest.mark.parametrize(
    "entry,code",
    [
        ("{file: ../../../../catalog/departments.yml, title: 外部}", "E150"),
        ("{file: /etc/hostname, title: 绝对路径}", "E150"),
        ("{file: 'files\\a.pdf', title: 反斜杠}", "E150"),
        ("{file: files/missing.pdf, title: 不存在}", "E151"),
    ],
)
def test_bad_paths(mini, entry, code):
    line = _attach(mini, entry)
    result = mini.check()
    assert f"{NOTICE}:{line}: {code} " in result.out, result.text
    assert result.code == 1 and "Traceback" not in result.text


def test_symlink_leading_out_of_the_content_folder(mini):
    line = _attach(mini, "{file: files/link.pdf, title: 链接}")
    (mini.path / FOLDER / "files").mkdir()
    os.symlink(mini.path / "mkdocs.yml", mini.path / FOLDER / "files/link.pdf")
    assert f"{NOTICE}:{line}: E150 " in mini.check().out


def test_type_not_allowed_then_allowed_by_option(mini):
    line = _attach(mini, "{file: files/setup.exe, title: 程序}")
    mini.write(f"{FOLDER}/files/setup.exe", "MZ")
    result = mini.check()
    assert f"{NOTICE}:{line}: E152 附件 {FOLDER}/files/setup.exe 的类型“exe”不在允许的类型中" in result.out
    mini.edit("mkdocs.yml", "page_size: 2", "page_size: 2\n      attachment_types: [pdf, exe]")
    assert mini.check().code == 0


def test_size_limit_is_an_option(mini):
    line = _attach(mini, "{file: files/big.pdf, title: 大文件}")
    write_pdf(mini.path / FOLDER / "files/big.pdf", ["x" * 3000])
    assert mini.check().code == 0
    mini.edit("mkdocs.yml", "page_size: 2", "page_size: 2\n      attachment_max_mb: 0.001")
    result = mini.check()
    assert f"{NOTICE}:{line}: E153 附件 {FOLDER}/files/big.pdf 大小" in result.out and "超过上限 0.001 MB" in result.out


def test_bad_size_option_is_reported(mini):
    mini.edit("mkdocs.yml", "page_size: 2", "page_size: 2\n      attachment_max_mb: 大")
    result = mini.check()
    assert "E001 attachment_max_mb 应为正数" in result.text and "Traceback" not in result.text


@pytest.mark.build
def test_good_attachment_builds_with_type_and_size_on_the_page(mini):
    _attach(mini, "{file: files/plan.pdf, title: 实施方案}")
    write_pdf(mini.path / FOLDER / "files/plan.pdf", ["plan"])
    assert mini.check().code == 0
    result = mini.build()
    assert result.code == 0, result.text
    page = mini.html("items/11990100MB0000001T/2024-00003/")
    assert "实施方案</a>" in page and "（PDF，" in page and " B）" in page
    assert (mini.path / "site/items/2024/bgs/files/plan.pdf").is_file()


def test_a_pdf_named_only_by_its_extension_is_a_pdf(mini, tmp_path):
    """A name that is all extension (what an ASCII-only slug left of 安全生产责任清单.pdf) is still a PDF."""
    _attach(mini, "{file: files/.pdf, title: 安全生产责任清单}")
    write_pdf(mini.path / FOLDER / "files" / ".pdf", ["list"])
    result = mini.check()
    assert "E152" not in result.out and "无扩展名" not in result.out, result.text
