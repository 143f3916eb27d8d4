"""Privacy scan: personal numbers in titles, bodies and attachments are errors with masked values."""

from samples import id_number, luhn_number, write_docx, write_pdf

NOTICE = "content/items/2024/bgs/notice.md"
FOLDER = "content/items/2024/bgs"


def _line_of(site, rel, needle):
    return next(n for n, line in enumerate(site.read(rel).splitlines(), 1) if needle in line)


def test_valid_id_and_mobile_in_body_are_two_masked_errors(mini):
    person = id_number()
    mini.edit(
        NOTICE,
        "各有关单位：请做好信息公开工作。",
        f"各有关单位：请做好信息公开工作。\n\n联系人身份证号{person}，\n电话 138 0013 8000。",
    )
    result = mini.check()
    assert result.code == 1
    id_line, phone_line = _line_of(mini, NOTICE, person), _line_of(mini, NOTICE, "138 0013")
    assert f"{NOTICE}:{id_line}: E140 正文含疑似居民身份证号 1201**********1235" in result.out
    assert f"{NOTICE}:{phone_line}: E141 正文含疑似手机号码 138****8000" in result.out
    assert len([l for l in result.out.splitlines() if ": E14" in l]) == 2
    assert person not in result.text and "13800138000" not in result.text


def test_full_width_digits_and_separators_are_found(mini):
    full = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    mini.edit(
        NOTICE,
        "各有关单位：请做好信息公开工作。",
        f"各有关单位：请做好信息公开工作。\n\n证件{id_number().translate(full)}，\n手机 １３８　００１３－８０００。",
    )
    result = mini.check()
    assert result.code == 1
    assert "E140 正文含疑似居民身份证号 1201**********1235" in result.out
    assert "E141 正文含疑似手机号码 138****8000" in result.out


def test_invalid_check_digit_and_ordinary_numbers_pass(mini):
    mini.edit(
        NOTICE,
        "请做好信息公开工作。",
        f"请做好信息公开工作。编号{id_number(valid=False)}，金额 12345678901234 元，"
        f"流水 {luhn_number()[:-1]}{(int(luhn_number()[-1]) + 1) % 10}，号码 12800138000。",
    )
    result = mini.check()
    assert result.code == 0, result.text
    assert "E14" not in result.out


def test_title_and_summary_hits_point_at_their_lines(mini):
    card = luhn_number()
    mini.edit(NOTICE, "category: tzgg", f"category: tzgg\nsummary: 退款账户 {card}")
    mini.edit(
        NOTICE, "title: 关于做好年度信息公开工作的通知", "title: 关于做好年度信息公开工作的通知（联系 13800138000）"
    )
    result = mini.check()
    assert f"{NOTICE}:{_line_of(mini, NOTICE, 'summary:')}: E142 内容概述含疑似银行卡号 6222********7894" in result.out
    assert f"{NOTICE}:{_line_of(mini, NOTICE, 'title:')}: E141 标题含疑似手机号码 138****8000" in result.out


def test_privacy_ok_lets_listed_values_through(mini):
    mini.edit(
        NOTICE,
        "category: tzgg",
        "category: tzgg\nprivacy_ok:\n  - {value: '138 0013 8000', reason: 单位公开的服务热线}",
    )
    mini.edit(NOTICE, "工作。", "工作。咨询电话 13800138000；另一号码 13900139000。")
    result = mini.check()
    assert "138****8000" not in result.out
    assert "139****9000" in result.out and result.code == 1


def test_privacy_ok_without_a_reason_is_refused(mini):
    mini.edit(NOTICE, "category: tzgg", "category: tzgg\nprivacy_ok: [13800138000]")
    result = mini.check()
    assert f"{NOTICE}:{_line_of(mini, NOTICE, 'privacy_ok')}: E111 " in result.out
    assert "reason" in result.out and result.code == 1


def _attach(mini, name):
    mini.edit(NOTICE, "category: tzgg", f"category: tzgg\nattachments:\n  - {{file: files/{name}, title: 名单}}")


def test_word_attachment_is_scanned_and_the_cache_follows_the_file(mini):
    _attach(mini, "list.docx")
    doc = mini.path / FOLDER / "files/list.docx"
    write_docx(doc, ["获奖名单", f"张三 {id_number()}"])
    result = mini.check("--cache")  # a check keeps the extracted text only when asked
    assert f"{FOLDER}/files/list.docx:1: E140 附件（第 2 段）含疑似居民身份证号 1201**********1235" in result.out
    assert list((mini.path / ".cache/xxgk/attachment-text").glob("*.txt"))
    write_docx(doc, ["获奖名单", "张三 1201**********1235"])  # masked by staff: the next check passes
    result = mini.check("--cache")
    assert result.code == 0, result.text


def test_pdf_attachment_is_scanned_by_page(mini):
    _attach(mini, "list.pdf")
    write_pdf(mini.path / FOLDER / "files/list.pdf", ["Page one", f"Card {luhn_number()}"])
    result = mini.check()
    assert f"{FOLDER}/files/list.pdf:1: E142 附件（第 2 页）含疑似银行卡号 6222********7894" in result.out
    assert result.code == 1


def test_unreadable_pdf_is_a_warning_not_a_crash(mini):
    _attach(mini, "broken.pdf")
    mini.write(f"{FOLDER}/files/broken.pdf", "不是 PDF")
    result = mini.check()
    assert f"{FOLDER}/files/broken.pdf:1: W210 " in result.out
    assert result.code == 0 and "Traceback" not in result.text


def test_numbers_typed_with_group_separators_and_country_codes_are_found(mini):
    """110101 19900307 1233 style (6-8-4 groups) and +86 / 0086 mobiles (issue 14, row 9)."""
    person = id_number()
    spaced, hyphened = f"{person[:6]} {person[6:14]} {person[14:]}", f"{person[:6]}-{person[6:14]}-{person[14:]}"
    mini.edit(
        NOTICE,
        "各有关单位：请做好信息公开工作。",
        f"各有关单位：请做好信息公开工作。\n\n{spaced}\n\n{hyphened}\n\n+8613912345678\n\n0086 139-1234-5678\n\n(+86)13912345678",
    )
    result = mini.check()
    assert result.code == 1
    for needle, code in (
        (spaced, "E140"),
        (hyphened, "E140"),
        ("+8613912345678", "E141"),
        ("0086 139", "E141"),
        ("(+86)", "E141"),
    ):
        assert f"{NOTICE}:{_line_of(mini, NOTICE, needle)}: {code}" in result.out, needle
    assert "139****5678" in result.out and "13912345678" not in result.text


def test_every_front_matter_value_is_scanned(mini):
    mini.edit(NOTICE, "category: tzgg", "category: tzgg\nkeywords: [联系 13912345678]\ndoc_no: 云政发〔2024〕1号")
    result = mini.check()
    assert f"{NOTICE}:{_line_of(mini, NOTICE, 'keywords')}: E141 " in result.out


def test_a_number_written_without_quotes_is_scanned_too(mini):
    """YAML reads `summary: 13912345678` as a number; the page shows it as written."""
    mini.edit(NOTICE, "category: tzgg", "category: tzgg\nsummary: 13912345678")
    result = mini.check()
    assert f"{NOTICE}:{_line_of(mini, NOTICE, 'summary:')}: E141 内容概述含疑似手机号码 139****5678" in result.out
