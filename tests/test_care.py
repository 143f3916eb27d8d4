"""关怀版 (长者模式) in headless Chromium: the switch, its memory across pages, and the sizes the
适老化 rules ask for, measured on a real item page. The rules themselves (`reading`) are shared
with the page-kind sweep in test_a11y."""

from __future__ import annotations

import pytest

from pagekinds import item_with_attachment
from reading import MAIN_TARGETS, paragraph_gaps, placeholders, short_lines, small_targets, text_sizes

ITEM_PARAGRAPHS = "#xx-main .xx-content p"


@pytest.fixture
def page(browser, demo_served):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_switch_is_remembered_across_pages_and_announced(page, demo_served):
    site, base = demo_served
    page.goto(base + item_with_attachment(site))
    switch = page.get_by_role("button", name="关怀版")
    assert switch.get_attribute("aria-pressed") == "false"
    before = min(text_sizes(page, ITEM_PARAGRAPHS))
    # by keyboard alone: Tab from the top reaches the switch, Space presses it
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "xx-care-switch":
            break
    else:
        raise AssertionError("the 关怀版 switch is not in the Tab order near the top")
    page.keyboard.press("Space")
    assert switch.get_attribute("aria-pressed") == "true"
    assert min(text_sizes(page, ITEM_PARAGRAPHS)) >= before + 2
    assert page.evaluate("localStorage.getItem('xxgk.care')") == "1"
    assert page.context.cookies() == []  # remembered in the browser only; nothing is sent
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="主题分类").click()
    page.wait_for_url("**/topics/")
    assert page.evaluate("document.documentElement.classList.contains('xx-care')")
    assert page.get_by_role("button", name="关怀版").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="关怀版").click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('xx-care')")


@pytest.mark.parametrize("width", [390, 1280])
def test_item_page_sizes_in_care_mode(page, demo_served, width):
    site, base = demo_served
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + item_with_attachment(site) + "?care=1")
    sizes = text_sizes(page, ITEM_PARAGRAPHS)
    assert sizes and min(sizes) >= 18, sizes  # main text at least 18 px
    assert text_sizes(page, "#xx-main") and min(text_sizes(page, "#xx-main")) >= 18
    assert short_lines(page) == []  # line spacing at least 1.3 × the font size
    gaps = paragraph_gaps(page, ITEM_PARAGRAPHS)
    assert gaps and min(gaps) >= 1.3, gaps  # paragraph spacing at least 1.3 × line spacing
    assert small_targets(page, 60) == []
    assert page.locator(MAIN_TARGETS).count() > 10  # the measure saw the links it is about
    # one column: the metadata table is label-value lines, not a four-column table
    cells = page.locator("table.xx-meta tr").first.locator("th, td")
    assert cells.nth(0).bounding_box()["y"] < cells.nth(2).bounding_box()["y"]
    assert placeholders(page) == []


def test_normal_mode_targets_and_sizes(page, demo_served):
    site, base = demo_served
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + item_with_attachment(site))
        assert not page.evaluate("document.documentElement.classList.contains('xx-care')")
        assert min(text_sizes(page, ITEM_PARAGRAPHS)) >= 18
        assert small_targets(page, 44) == []
        assert placeholders(page) == []


def test_the_measures_catch_what_they_measure(page, demo_served):
    """Shrink the text, tighten the lines and the links: each measure reports it."""
    site, base = demo_served
    page.goto(base + item_with_attachment(site) + "?care=1")
    page.add_style_tag(
        content=".xx-content p { font-size: 15px !important; line-height: 1.1 !important;"
        " margin: 0 !important } .xx-columns a { min-height: 0 !important; padding: 2px !important }"
        " #xx-q { flex: 0 0 5em !important }"
    )
    assert min(text_sizes(page, ITEM_PARAGRAPHS)) < 18
    assert short_lines(page)
    assert min(paragraph_gaps(page, ITEM_PARAGRAPHS)) < 1.3
    assert any("xx-columns" in t for t in small_targets(page, 60))
    assert placeholders(page)


def test_address_turns_it_on_and_off(page, demo_served):
    _, base = demo_served
    page.goto(base + "catalog/?care=1")
    assert page.evaluate("document.documentElement.classList.contains('xx-care')")
    page.goto(base + "topics/")
    assert page.evaluate("document.documentElement.classList.contains('xx-care')")
    page.goto(base + "topics/?care=0")
    page.goto(base + "catalog/")
    assert not page.evaluate("document.documentElement.classList.contains('xx-care')")


def test_without_javascript_the_care_link_and_zoom_work(browser, demo_served):
    site, base = demo_served
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(base + item_with_attachment(site))
        assert page.locator("#xx-care-switch").is_hidden()  # no dead button without its script
        normal = min(text_sizes(page, ITEM_PARAGRAPHS))
        page.get_by_role("link", name="关怀版").click()
        assert min(text_sizes(page, ITEM_PARAGRAPHS)) > normal
        assert small_targets(page, 60) == []
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()


@pytest.mark.parametrize("care", [False, True])
def test_every_column_is_visible_on_a_phone(page, demo_served, care):
    _, base = demo_served
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + ("?care=1" if care else "?care=0"))
    links = page.locator(".xx-columns a")
    assert links.count() >= 7
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, links.nth(i).inner_text()
        assert box["y"] + box["height"] <= 844  # in the first screen, no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
