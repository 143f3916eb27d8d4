"""What the 适老化 rules measure, as functions over a page open in Chromium (playwright).

Each returns what breaks a rule (empty means the page keeps it), so a test can print it:
text sizes, line spacing (≥ 1.3 × the font size), paragraph spacing (≥ 1.3 × the line spacing,
baseline to baseline across the paragraph break), touch targets, placeholders that are cut."""

from __future__ import annotations

from pathlib import Path

WIDTHS = (390, 1280)
PARAGRAPHS = "#xx-main p:not([class]):not(form p)"  # running text, not meta lines or form rows
MODES = {"normal": (False, 44), "关怀版": (True, 60)}  # mode: (care on, smallest target in px)
AXE = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"

# The links and controls a reader follows (WCAG 2.5.5 targets; links inside running text are not).
MAIN_TARGETS = ", ".join(
    (
        ".xx-care-switch:not([hidden])",
        ".xx-print:not([hidden])",
        ".xx-search input",
        ".xx-search button",
        ".xx-columns a",
        ".xx-tree a",
        ".xx-tiles a",
        ".xx-subnav a",
        ".xx-pager a",
        ".xx-list__title a",
        ".xx-sresult__title a",
        ".xx-related li > a",
        ".xx-versions li > a",
        ".xx-attachments li > a",
        ".xx-catalog th > a",
        ".xx-stats__years a",
        ".xx-sform input[type=search]",
        ".xx-sform select",
        ".xx-sform button",
        ".xx-sform__more > summary",
        ".xx-sform__check label",
        ".xx-aform__field input",
        ".xx-aform__field textarea",
        ".xx-aform__check label",
        ".xx-aform__print",
        ".xx-aform__summary a",
        ".xx-apply__channels a",
        ".xx-apply li > a",
        ".xx-crumbs a",
        ".xx-identity__records > a",
    )
)

_TEXT = """(scope) => [...document.querySelectorAll(scope + ', ' + scope + ' *')]
    .filter(e => !e.closest('svg, input, select, button, option, textarea'))
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
                   && getComputedStyle(e).visibility !== 'hidden'; })"""


def text_sizes(page, scope: str) -> list[float]:
    """Font sizes (px) of the visible elements under `scope` that hold text themselves."""
    return page.evaluate(f"(scope) => ({_TEXT})(scope).map(e => parseFloat(getComputedStyle(e).fontSize))", scope)


def short_lines(page, scope: str = "#xx-main", ratio: float = 1.3) -> list[str]:
    """Text whose line height is below `ratio` × its font size ('normal' counts as 1.2)."""
    return page.evaluate(
        f"""([scope, ratio]) => ({_TEXT})(scope).flatMap(e => {{
        const s = getComputedStyle(e), size = parseFloat(s.fontSize);
        const line = s.lineHeight === 'normal' ? 1.2 * size : parseFloat(s.lineHeight);
        return line < ratio * size - 0.5 ? [`${{e.tagName}}.${{e.className}} ${{line}}/${{size}}: `
            + e.textContent.trim().slice(0, 20)] : []; }})""",
        [scope, ratio],
    )


def paragraph_gaps(page, selector: str) -> list[float]:
    """For each paragraph followed by another: baseline-to-baseline distance across the break,
    in line heights (1.0 would be no more space than between two lines)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].flatMap(p => {
        const next = p.nextElementSibling;
        if (!next || !next.matches(sel) || !p.getClientRects().length) return [];
        const line = parseFloat(getComputedStyle(p).lineHeight);
        const gap = next.getBoundingClientRect().top - p.getBoundingClientRect().bottom;
        return [(gap + line) / line]; })""",
        selector,
    )


def small_targets(page, size: int, selector: str = MAIN_TARGETS) -> list[str]:
    """Visible targets smaller than size × size CSS px."""
    return page.evaluate(
        """([sel, size]) => [...document.querySelectorAll(sel)].flatMap(e => {
        const r = e.getBoundingClientRect();
        if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') return [];
        return r.width < size - 0.5 || r.height < size - 0.5
            ? [`${e.closest('nav, form, section, aside, article, header, footer')?.className} ${e.tagName} ${Math.round(r.width)}×${Math.round(r.height)}: `
               + (e.textContent || e.placeholder || '').trim().slice(0, 16)] : []; })""",
        [selector, size],
    )


def placeholders(page) -> list[str]:
    """Visible text boxes whose placeholder is wider than the room inside the box: the placeholder
    is put in as the value for a moment, so the box draws it in its own font and scrolls if cut."""
    return page.evaluate("""() => [...document.querySelectorAll('input[placeholder]')].flatMap(e => {
        if (!e.getClientRects().length) return [];
        const old = e.value;
        e.value = e.placeholder;
        const need = e.scrollWidth, room = e.clientWidth;
        e.value = old;
        return need > room ? [`#${e.id}: needs ${need} px, has ${room} px`] : []; })""")


def axe_serious(page) -> list[str]:
    """axe-core's serious and critical findings (axe is added to the page once)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    ran = {r["id"] for kind in ("passes", "violations", "incomplete") for r in result[kind]}
    assert "color-contrast" in ran, "axe did not check contrast"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def focus_problems(page, presses: int = 60) -> list[str]:
    """Tab from the top of the page: every stop is visible, shows a focus ring, and focus moves
    on (no trap). Returns what fails."""
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); window.xxStops = []")
    problems, run, last = [], 0, None
    for _ in range(presses):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => { const e = document.activeElement;
            if (!e || e === document.body) return null;
            // inside a built-in control's own parts (the date box's calendar button): Chromium draws that ring
            const inner = !e.matches(':focus');
            if (!xxStops.includes(e)) xxStops.push(e);
            const s = getComputedStyle(e), r = e.getBoundingClientRect();
            return {n: xxStops.indexOf(e),
                    id: e.tagName + '#' + e.id + '.' + e.className + ':' + (e.textContent || '').trim().slice(0, 12),
                    ring: inner || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
                    shown: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight}; }""")
        if stop is None:
            break  # past the last stop: focus left the page, so nothing traps it
        if not stop["ring"] or not stop["shown"]:
            problems.append(f"{stop['id']} ring={stop['ring']} shown={stop['shown']}")
        run = run + 1 if stop["n"] == last else 1
        last = stop["n"]
        if run > 4:  # a date box takes a Tab per part (year, month, day); more is a trap
            problems.append(f"focus stuck on {stop['id']}")
            break
    return problems


def audit(page, base: str, url: str) -> list[str]:
    """Every check above on one page, in both modes at both widths, then Tab through it on a phone
    in 关怀版. Returns the problems, each with its page, mode and width."""
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
    page.goto(base + url)
    if url.startswith("search/?"):
        page.locator('#xx-main a[href*="items/"]').first.wait_for(timeout=20000)  # results drawn
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    problems = []
    for mode, (care, target) in MODES.items():
        page.evaluate("on => document.documentElement.classList.toggle('xx-care', on)", care)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            where = f"{url} {mode} {width}px:"
            found = axe_serious(page) + short_lines(page) + small_targets(page, target) + placeholders(page)
            found += [f"text {s} px" for s in text_sizes(page, "#xx-main" if care else "#xx-main p") if s < 18]
            found += [f"paragraph spacing {g:.2f}" for g in paragraph_gaps(page, PARAGRAPHS) if g < 1.3]
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                found.append("scrolls sideways")
            problems += [f"{where} {f}" for f in found]
    page.set_viewport_size({"width": 390, "height": 844})  # Tab through the phone page in 关怀版
    problems += [f"{url} Tab: {f}" for f in focus_problems(page)]
    page.evaluate("document.documentElement.classList.remove('xx-care')")
    return problems
