"""Issue 30, files stay where they belong: the importer follows paths written in a source only
inside the source's folder, and `xxgk new` builds paths only from validated ids."""

from __future__ import annotations

import pytest

from xxgk.onboard.bodies import BodyError, from_files
from xxgk.onboard.saved_pages import read_page


@pytest.fixture
def sources(tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    folder = tmp_path / "sources"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub/ok.pdf").write_bytes(b"%PDF-1.4 ok")
    return folder, secret


@pytest.mark.parametrize("written", ["../secret.pdf", "sub/../../secret.pdf", "{secret}"])
def test_body_files_outside_the_spreadsheet_folder_are_refused(sources, written):
    folder, secret = sources
    with pytest.raises(BodyError, match="不在表格所在文件夹内"):
        from_files([written.format(secret=secret)], folder)
    assert from_files(["sub/ok.pdf"], folder).attachments == [(folder / "sub/ok.pdf").resolve()]


def test_a_saved_page_never_links_a_file_outside_its_folder(sources):
    folder, secret = sources
    page = folder / "page.html"
    page.write_text(
        "<html><body><h1>标题</h1><div class='content'><p>正文</p>"
        f"<a href='../secret.pdf'>附件一</a><a href='file://{secret}'>附件二</a><a href='{secret}'>附件三</a>"
        "<a href='sub/ok.pdf'>附件四</a></div></body></html>",
        encoding="utf-8",
    )
    linked = [path for _, path in read_page(page).files]
    assert linked == [(folder / "sub/ok.pdf").resolve()]


@pytest.mark.cli
@pytest.mark.parametrize("publisher", ["../../x", "/tmp/x", "bgs/../../x"])
def test_new_refuses_ids_that_are_not_one_path_segment(mini, publisher):
    def files():
        return sorted(p for p in mini.path.parent.rglob("*") if ".cache" not in p.parts)

    before = files()
    result = mini.xxgk("new", ".", "--title", "标题", "--publisher", publisher, "--category", "tzgg")
    assert result.code != 0 and "Traceback" not in result.text
    assert files() == before


def test_a_crawled_page_may_link_a_file_elsewhere_in_the_folder_given(sources):
    """A crawl saves pages and attachments in sibling folders (xxgk/2024/t.html, upfiles/2024/f.pdf):
    inside the folder the import was given they are found; outside it, never."""
    folder, secret = sources
    page = folder / "xxgk" / "2024" / "t.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<html><body><h1>标题</h1><div class='content'><p>正文</p>"
        "<a href='../../sub/ok.pdf'>附件一</a><a href='../../../secret.pdf'>附件二</a></div></body></html>",
        encoding="utf-8",
    )
    assert [path for _, path in read_page(page, None, folder).files] == [(folder / "sub/ok.pdf").resolve()]
    assert [path for _, path in read_page(page).files] == []  # by default: the page's own folder only
