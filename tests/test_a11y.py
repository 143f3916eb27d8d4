"""Accessibility gate (GB/T 37668, WCAG 2.x): axe-core in headless Chromium over the pages a
visitor meets first, plus lang, skip link, labelled search, visible focus and 200% zoom."""

from pathlib import Path

import pytest

from conftest import ROOT
from xxgk_dev.devshots import serve

AXE = ROOT / "node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def served(demo_build):
    if not AXE.is_file():
        pytest.fail("axe-core 未安装：运行 scripts/setup --browser（它执行 npm ci）")
    site = demo_build.path / "site"
    server = serve(site)
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _banner_item(site: Path) -> str:
    for page in sorted(site.glob("items/*/*/index.html")):
        if 'class="xx-banner' in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix() + "/"
    raise AssertionError("the demo has no item with a validity banner")


def _pages(site: Path) -> dict[str, str]:
    return {
        "home": "",
        "category": "catalog/zcwj/",
        "item with banner": _banner_item(site),
        "search": "search/?q=自行车",
        "404": "404.html",
    }


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", ["home", "category", "item with banner", "search", "404"])
def test_no_serious_or_critical_axe_violations(served, browser, name):
    site, base = served
    url = _pages(site)[name]
    page = browser.new_page()
    try:
        page.goto(base + url)
        if name == "search":
            page.locator('#xx-main a[href*="items/"]').first.wait_for(timeout=20000)  # results rendered
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        found = _serious(page)
        assert not found, "\n".join(found)
    finally:
        page.close()


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
        found = " ".join(_serious(page))
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


@pytest.mark.parametrize("url", ["", "catalog/zcwj/"])
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
