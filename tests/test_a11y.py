"""Accessibility gate (GB/T 37668, WCAG 2.x): the axe check can fail, plus skip link, labelled
search, visible focus and 200% zoom. Every page kind is swept in test_a11y_sweep."""

import pytest

from reading import AXE, axe_serious


@pytest.fixture(scope="module")
def served(demo_served):
    if not AXE.is_file():
        pytest.fail("axe-core 未安装：运行 scripts/setup --browser（它执行 npm ci）")
    return demo_served


def test_axe_gate_can_fail(served, browser):
    """The same check on a page with known faults finds them (the gate is not blind)."""
    page = browser.new_page()
    try:
        page.goto(served[1])
        page.evaluate("""() => {
            const q = document.querySelector('#xx-q');
            q.removeAttribute('id'); q.removeAttribute('placeholder');
            const img = document.createElement('img'); img.src = 'assets/xxgk/emblem.svg';
            document.querySelector('main, #xx-main').appendChild(img);
        }""")
        found = " ".join(axe_serious(page))
        assert "label" in found and "image-alt" in found
    finally:
        page.close()


def test_skip_link_and_labelled_search_and_visible_focus(served, browser):
    page = browser.new_page()
    try:
        page.goto(served[1] + "catalog/zcwj/")
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        assert skip.inner_text() == "跳到正文" and skip.get_attribute("href") == "#xx-main"
        box = skip.bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0  # on screen while focused
        assert page.locator("label[for='xx-q']").inner_text() == "站内搜索"
        # every element reached with Tab shows a focus ring
        for _ in range(8):
            style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
            tag, outline, width, shadow = style
            assert (outline != "none" and width != "0px") or shadow != "none", style
            page.keyboard.press("Tab")
        page.goto(served[1] + "catalog/zcwj/")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "xx-main"
    finally:
        page.close()


@pytest.mark.parametrize("url", ["", "catalog/zcwj/", "catalog/zcwj/?care=1"])
def test_text_reflows_at_200_percent_zoom(served, browser, url):
    """1280 px at 200% zoom is a 640 CSS-px viewport: no sideways scrolling, text at least 12 px."""
    page = browser.new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    try:
        page.goto(served[1] + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        small = page.evaluate("""() => [...document.querySelectorAll('#xx-main *')]
            .filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .filter(e => e.offsetParent !== null && parseFloat(getComputedStyle(e).fontSize) < 12)
            .map(e => e.tagName + ':' + e.textContent.trim().slice(0, 20))""")
        assert small == []
    finally:
        page.close()
