"""Every page kind, in the normal mode and in 关怀版, at 390 and 1280 px: axe-core (no serious or
critical finding, contrast included), line and paragraph spacing, text size, target size, uncut
placeholders, no sideways scrolling, and Tab through the page. One browser page is reused."""

from __future__ import annotations

import pytest

from pagekinds import demo_pages, fixed_pages, item_with_attachment, kind_of, kinds_in
from reading import AXE, audit, placeholders

# Page kinds whose addresses come from the build (demo_pages); the rest are fixed_pages().
FOUND = ("category, later page", "topic", "items of every doc_type and status")


@pytest.fixture(scope="module")
def tab(browser):
    if not AXE.is_file():
        pytest.fail("axe-core 未安装：运行 scripts/setup --browser（它执行 npm ci）")
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def urls_for(site, name: str) -> list[str]:
    pages = demo_pages(site)
    if name == FOUND[2]:
        return [u for n, u in pages.items() if n.startswith("item ")]
    return [pages[name]]


@pytest.mark.parametrize("name", [*fixed_pages(), *FOUND])
def test_page_kind(tab, demo_served, name):
    site, base = demo_served
    problems = [p for url in urls_for(site, name) for p in audit(tab, base, url)]
    assert not problems, "\n".join(problems)


def test_sweep_covers_every_page_kind(demo_served):
    """A new kind of page (data-xx-kind) fails here until tests/pagekinds.py lists one."""
    site, _ = demo_served
    swept = {kind_of(site, url) for url in demo_pages(site).values()}
    missing = {k: f for k, f in kinds_in(site).items() if k not in swept}
    assert not missing, f"add a page of each kind to tests/pagekinds.py: {missing}"


def test_sweep_sees_what_it_checks(browser, demo_served):
    """关怀版 without its stylesheet, tight small paragraphs and no focus ring: each is reported."""
    site, base = demo_served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/care.css", lambda route: route.abort())
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
            " s.textContent = '#xx-main p { line-height: 1.1; font-size: 14px; margin: 0 }"
            " :focus-visible { outline: none !important }'; document.head.append(s); })"
        )
        found = audit(page, base, item_with_attachment(site))
    finally:
        context.close()
    assert any("text 14 px" in f for f in found)
    assert any("/14:" in f for f in found)  # line height 15.4 px for 14 px text
    assert any("paragraph spacing" in f for f in found)
    assert any("关怀版" in f and "×" in f for f in found)  # targets under 60 px
    assert any("ring=False" in f for f in found)


def tab_to(page, test: str, limit: int = 40) -> None:
    """Press Tab until the focused element passes `test` (a JS expression over `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {test}; }})()"):
            return
    raise AssertionError(f"Tab never reached {test}")


@pytest.mark.parametrize("width, care", [(1280, False), (390, True)])
def test_search_and_filters_by_keyboard_alone(browser, demo_served, width, care):
    _, base = demo_served
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + ("catalog/?care=1" if care else "catalog/?care=0"))
        tab_to(page, "e.id === 'xx-q'")
        page.keyboard.type("自行车")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        page.locator(".xx-sresult a").first.wait_for()
        before = page.locator("#xx-sstatus").inner_text()
        tab_to(page, "e.tagName === 'SUMMARY'")
        if not page.evaluate("document.getElementById('xx-sfilters').open"):
            page.keyboard.press("Enter")  # the filters fold on phones; Enter opens them
        tab_to(page, "e.id === 'xx-f-status'", 12)
        page.keyboard.press("ArrowDown")  # the first status in the list
        page.wait_for_url("**status=*")
        page.wait_for_function("t => document.getElementById('xx-sstatus').textContent !== t", arg=before)
        tab_to(page, "e.closest('.xx-sresult') !== null")
        page.keyboard.press("Enter")
        page.wait_for_url("**/items/**")
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("care", [False, True])
def test_the_narrowest_phones_scroll_no_page_sideways_nor_cut_a_placeholder(browser, demo_served, width, care):
    """The sweep reads 390 px; 360 and 320 px phones are common too."""
    site, base = demo_served
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        for path in dict.fromkeys(u for name in [*fixed_pages(), *FOUND] for u in urls_for(site, name)):
            page.goto(base + path.lstrip("/") + ("&" if "?" in path else "?") + f"care={int(care)}")
            page.wait_for_load_state("load")
            assert not placeholders(page), (path, placeholders(page))
            wide = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert wide[0] <= wide[1], (path, wide)
    finally:
        context.close()
