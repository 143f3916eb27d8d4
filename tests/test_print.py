"""Printing in headless Chromium: an item prints as a document (no header, column bar, search box
or footer links; the metadata table, body, attachment addresses, page address and print date),
lists and search results as tables, and a PDF printed by Chromium has no page of chrome only."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from pagekinds import item_with_attachment

CHROME = ".xx-search, .xx-columns, .xx-crumbs, .xx-care-ctl, .xx-tools, .xx-footer a, .xx-skip"
# pypdf reads some characters of the CJK font as radicals (页 as ⻚), hence "." for them
PAGE_NUMBER = r"第 ?\d+ ?.，共 ?\d+ ?."
DOCUMENT = ".xx-brand__agency, .xx-item h1, table.xx-meta, .xx-content, .xx-attachments, .xx-printinfo"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def visible(page, selector: str) -> list[str]:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => e.className || e.tagName)""",
        selector,
    )


def test_item_prints_as_a_document(page, demo_served):
    site, base = demo_served
    page.goto(base + item_with_attachment(site))
    assert visible(page, CHROME)  # on screen the chrome is there
    page.emulate_media(media="print")
    assert visible(page, CHROME) == []
    shown = set(visible(page, DOCUMENT))
    for part in ("xx-brand__agency", "xx-meta", "xx-content", "xx-box xx-attachments", "xx-printinfo"):
        assert part in shown, part
    url = page.locator(".xx-attachments .xx-printurl").first.inner_text()
    assert url.startswith("https://xxgk.yunxi.example/items/"), url  # the address, since paper has no links
    info = page.locator(".xx-printinfo").inner_text()
    assert "https://xxgk.yunxi.example/items/" in info and re.search(r"打印日期：\d{4}年\d{1,2}月\d{1,2}日", info), info


def test_without_the_print_stylesheet_the_check_sees_the_chrome(page, demo_served):
    site, base = demo_served
    page.route("**/print.css", lambda route: route.abort())
    page.goto(base + item_with_attachment(site))
    page.emulate_media(media="print")
    assert visible(page, CHROME)


def pdf_pages(page) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


def chrome_only(texts: list[str]) -> list[int]:
    """Numbers of the printed pages with no more than the page number, address and print date."""
    found = []
    for number, text in enumerate(texts, 1):
        rest = re.sub(PAGE_NUMBER, "", text)  # the page number in the margin
        rest = re.sub(r"本.地址：.*|打印.期：.*", "", rest, flags=re.S)  # the closing address and date
        if len(re.sub(r"\s", "", rest)) < 20:
            found.append(number)
    return found


def test_printed_pdf_has_no_page_of_chrome_only(page, demo_served):
    site, base = demo_served
    page.goto(base + item_with_attachment(site))
    texts = pdf_pages(page)
    assert len(texts) >= 2, "the longest item should need more than one sheet"
    body_words = page.locator(".xx-content p").first.inner_text()[:8]
    assert any(body_words in t.replace("\n", "") for t in texts)
    assert chrome_only(texts) == [], texts
    assert "搜索" not in texts[0] and "关怀版" not in "".join(texts)
    assert re.search(PAGE_NUMBER, texts[0])
    # the check sees a sheet that holds only the closing lines
    page.add_style_tag(content=".xx-footer { break-before: page !important; }")
    assert chrome_only(pdf_pages(page)) != []


def test_print_button_prints(page, demo_served):
    site, base = demo_served
    page.goto(base + item_with_attachment(site))
    page.evaluate("window.print = () => { window.xxPrinted = true; }")
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.xxPrinted") is True
    page.goto(base + "catalog/zcwj/")
    assert page.get_by_role("button", name="打印本页").count() == 0


def test_list_and_search_results_print_as_tables(page, demo_served):
    _, base = demo_served
    page.goto(base + "catalog/zcwj/")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.xx-list')).display") == "table"
    assert page.evaluate("getComputedStyle(document.querySelector('.xx-list__row')).display") == "table-row"
    assert visible(page, ".xx-split__side, .xx-pager a, " + CHROME) == []
    page.emulate_media(media="screen")
    page.goto(base + "search/?q=自行车")
    page.locator(".xx-sresult a").first.wait_for()
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.xx-sresults')).display") == "table"
    assert visible(page, ".xx-sform, " + CHROME) == []
    assert visible(page, ".xx-sstatus, .xx-sresult")
