"""The 依申请公开 application form in Debian's Chromium: it checks what a reader types (a wrong
居民身份证号 or 统一社会信用代码 is named, the summary takes the focus), prints only the filled
application, and sends nothing anywhere."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from samples import id_number

NAME = "测试申请人甲"
WANTED = "云溪市2025年城市道路维修计划及其资金安排"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    page = context.new_page()
    yield page
    context.close()


def _fill_person(page, id_no: str) -> None:
    page.fill("#xx-a-name", NAME)
    page.fill("#xx-a-id_type", "居民身份证")
    page.fill("#xx-a-id_no", id_no)
    page.fill("#xx-a-phone", "0999-62200315")
    page.fill("#xx-a-address", "云溪市某区某街（测试）")
    page.fill("#xx-a-wanted", WANTED)
    page.check("input[name=form][value=纸质]")
    page.check("input[name=way][value=邮寄]")


def test_the_form_checks_prints_the_application_and_sends_nothing(page, demo_served, tmp_path):
    _site, base = demo_served
    page.goto(base + "apply/")
    page.wait_for_load_state("networkidle")
    sent = []
    page.on("request", lambda r: sent.append(r.url))

    good = id_number()
    _fill_person(page, good[:-1] + ("0" if good[-1] != "0" else "1"))  # a wrong check digit
    page.click("#xx-aform-print")
    summary = page.locator("#xx-aform-errors")
    assert summary.is_visible()
    assert "居民身份证号应为 18 位" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "xx-aform-errors"
    assert page.get_attribute("#xx-a-id_no", "aria-invalid") == "true"
    assert page.evaluate("window.__printed || 0") == 0
    assert page.locator("#xx-apply-sheet").is_hidden()

    page.fill("#xx-a-id_no", good)
    page.click("#xx-aform-print")
    assert page.evaluate("window.__printed") == 1
    assert summary.is_hidden()
    sheet = page.locator("#xx-apply-sheet")
    assert sheet.is_visible()
    text = sheet.inner_text()
    for expected in (NAME, WANTED, "自然人", "纸质", "邮寄", "云溪市人民政府政府信息公开申请表"):
        assert expected in text, expected
    assert "统一社会信用代码" not in text  # the other applicant type is not printed
    page.screenshot(path=str(tmp_path / "apply.png"), full_page=True)

    page.emulate_media(media="print")
    assert page.locator("#xx-aform").is_hidden()  # paper gets the application only
    assert sheet.is_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    printed = "".join(p.extract_text() for p in pdf.pages)
    assert "申请表" in printed and len(pdf.pages) == 1

    assert sent == [], sent  # nothing left the reader's computer


def test_a_legal_person_gives_a_credit_code_that_is_checked(page, demo_served):
    _site, base = demo_served
    page.goto(base + "apply/")
    page.check("input[name=who][value=法人或其他组织]")
    assert page.locator("#xx-a-name").is_hidden() and page.locator("#xx-a-uscc").is_visible()
    page.fill("#xx-a-org_name", "测试科技有限公司")
    page.fill("#xx-a-uscc", "91350100M000100Y4A")  # one character off
    page.fill("#xx-a-phone", "13912345678")
    page.click("#xx-aform-print")
    errors = page.locator("#xx-aform-errors").inner_text()
    assert "统一社会信用代码应为 18 位" in errors
    assert "请填写法定代表人或者负责人" in errors
    assert "请填写姓名" not in errors  # the hidden 自然人 part is not asked for
    assert page.evaluate("window.__printed || 0") == 0


def test_the_browser_checks_id_numbers_as_the_privacy_scan_does(page, demo_served):
    """One rule in two languages: apply.js's 居民身份证号 check (its data from rules.js) against
    core/idnumber.py's, which the privacy scan applies."""
    import random

    from xxgk.core.idnumber import id_number_ok

    _site, base = demo_served
    page.goto(base + "apply/")
    rng = random.Random(32)
    numbers = [id_number()]
    for _ in range(300):
        body = f"{rng.randint(110000, 659999)}{rng.choice((1899, 1900, 1975, 2024, 2100, 2101))}{rng.randint(1, 13):02d}{rng.randint(0, 32):02d}{rng.randint(0, 999):03d}"
        numbers += [body + c for c in rng.sample("0123456789X", 2)]
    js = page.evaluate(
        "async (ns) => { const m = await import('./../assets/xxgk/apply.js'); return ns.map(m.idNumberOk); }", numbers
    )
    assert js == [id_number_ok(n) for n in numbers]
    assert sum(js) > 20  # both kinds are in the sample


def test_the_browser_checks_credit_codes_as_core_orgcode_does(page, demo_served):
    """apply.js's 统一社会信用代码 check (its alphabet and weights from rules.js) against
    core/orgcode.py's, on valid codes, one character changed, and letters GB 32100 does not use."""
    import random

    from xxgk.core.orgcode import USCC_CHARS, problem, uscc_check

    _site, base = demo_served
    page.goto(base + "apply/")
    rng = random.Random(30)
    codes = []
    for _ in range(200):
        body = "".join(rng.choice(USCC_CHARS) for _ in range(17))
        good = body + uscc_check(body)
        n = rng.randrange(18)
        codes += [good, good[:n] + rng.choice(USCC_CHARS + "IOZSV") + good[n + 1 :]]
    js = page.evaluate(
        "async (cs) => { const m = await import('./../assets/xxgk/apply.js'); return cs.map(m.usccOk); }", codes
    )
    assert js == [problem(c) is None for c in codes]
    assert 200 <= sum(js) < 400  # both kinds are in the sample
