"""The 依申请公开 case ledger: its shape, its privacy, its contradictions (in process), and the
statutory clock of 第三十至三十三条 on the working-day calendar, every rule with dates across
the 2025 National Day holiday (1–8 October off; Sunday 28 September and Saturday 11 October
worked), through `xxgk cases` as staff run it."""

import datetime as dt
import json

import pytest

from conftest import ROOT, SiteDir
from samples import id_number
from xxgk.core.deadlines import clock
from xxgk.core.ledger import read_ledger
from xxgk.core.options import read_mkdocs_yml
from xxgk.core.workdays import WorkdayCalendar
from xxgk.rules.ledger import case_problems, ledger_folder

D = dt.date.fromisoformat
RECEIVED = "2025-09-26"  # a Friday before the holiday


def case(site: SiteDir, number: str, events: str = "[]", extra: str = "", received: str = RECEIVED) -> None:
    site.write(
        f"applications/{number}.yml",
        f"case: {number}\nreceived: {received}\nchannel: 信函\napplicant: 自然人\nevents: {events}\n{extra}",
    )


def problems(site: SiteDir):
    opts = read_mkdocs_yml(site.path)
    return list(ledger_folder(opts)) + case_problems(read_ledger(opts), WorkdayCalendar())


def codes(site: SiteDir) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.code) for p in problems(site)]


# ------------------------------------------------------------------ shape, privacy, contradictions


def test_a_clean_case_has_no_problem(mini):
    case(mini, "2025-001", "\n  - {date: 2025-10-09, type: 答复, result: 不予公开/属于国家秘密}")
    assert problems(mini) == []


def test_unknown_keys_and_values_are_named_at_their_line(mini):
    mini.write(
        "applications/2025-002.yml",
        "case: 2025-002\nreceived: 2025-09-26\nchannel: 飞鸽\napplicant: 自然人\nname: 张三\n"
        "events:\n  - {date: 2025-10-09, type: 答复, result: 不予公开}\n",
    )
    found = codes(mini)
    assert ("applications/2025-002.yml", 3, "E401") in found  # channel
    assert ("applications/2025-002.yml", 5, "E401") in found  # no `name:` in a ledger
    assert ("applications/2025-002.yml", 7, "E401") in found  # 不予公开 needs its reason


@pytest.mark.parametrize("received", ["2025-02-30", "9999-12-31", "上周五"])
def test_a_date_that_cannot_be_is_named_at_its_line(mini, received):
    """Case files read dates as items do (core/fields.as_date): a day that does not exist, a
    year no 申请 was made in, or words."""
    case(mini, "2025-009", received=received)
    assert codes(mini) == [("applications/2025-009.yml", 2, "E401")]


def test_a_phone_number_id_number_or_address_is_refused(mini):
    case(mini, "2025-003", extra="note: 申请人电话 13912345678\n")
    case(mini, "2025-004", extra=f"note: 身份证 {id_number()}\n")
    case(mini, "2025-005", extra="note: 住文昌路88号\n")
    case(mini, "2025-006", extra="note: 联系电话 0999-62200315\n")
    found = codes(mini)
    assert ("applications/2025-003.yml", 6, "E141") in found
    assert ("applications/2025-004.yml", 6, "E140") in found
    assert ("applications/2025-005.yml", 6, "E404") in found
    assert ("applications/2025-006.yml", 6, "E404") in found
    assert all(p.is_error for p in problems(mini))
    assert "13912345678" not in " ".join(map(str, problems(mini)))  # never printed whole


def test_a_phone_number_under_an_unknown_key_is_still_found(mini):
    mini.write(
        "applications/x.yml", "case: x\nreceived: 2025-09-26\nchannel: 信函\napplicant: 自然人\nphone: 13912345678\n"
    )
    assert {c for _, _, c in codes(mini)} == {"E401", "E141"}


def test_contradicting_events_are_errors_at_their_line(mini):
    case(
        mini,
        "2025-007",
        "\n  - {date: 2025-09-20, type: 补正告知}"  # line 6: before receipt
        "\n  - {date: 2025-10-09, type: 答复, result: 予以公开}"
        "\n  - {date: 2025-10-10, type: 延期}"  # line 8: after the answer, and no reason
        "\n  - {date: 2025-10-11, type: 第三方答复}",  # line 9: nobody was asked
    )
    found = codes(mini)
    path = "applications/2025-007.yml"
    assert (path, 6, "E403") in found
    assert [line for p, line, c in found if c == "E403"].count(8) == 2
    assert (path, 9, "E403") in found


def test_a_case_number_is_used_once(mini):
    case(mini, "2025-001")
    mini.write("applications/sub/again.yml", mini.read("applications/2025-001.yml"))
    assert ("applications/sub/again.yml", 1, "E402") in codes(mini)


@pytest.mark.build
def test_the_ledger_inside_docs_dir_stops_the_build(mini):
    mini.edit("mkdocs.yml", "  - xxgk:", "  - xxgk:\n      applications_dir: content/applications")
    case(mini, "2025-001")
    mini.write("content/applications/2025-001.yml", mini.read("applications/2025-001.yml"))
    assert any(c == "E405" for _, _, c in codes(mini))
    result = mini.build()
    assert result.code != 0 and "E405" in result.text


@pytest.mark.build
def test_the_build_never_publishes_the_ledger(mini):
    case(mini, "2025-901", "\n  - {date: 2025-10-09, type: 延期, reason: 调取档案需时甚久之独特理由}")
    assert mini.build().code == 0
    for page in (mini.path / "site").rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json", ".xml", ".txt", ".js"):
            text = page.read_text(encoding="utf-8", errors="replace")
            assert "2025-901" not in text and "调取档案需时甚久之独特理由" not in text, page


# ------------------------------------------------------------------ 第三十至三十三条 on the calendar

CAL = WorkdayCalendar()


def due(site: SiteDir, as_of: str = "2025-12-31"):
    (c,) = read_ledger(read_mkdocs_yml(site.path)).cases
    return {d.label: d.due.isoformat() for d in clock(c, CAL, D(as_of)).deadlines}


def test_article_33_twenty_working_days_skip_the_holiday_and_count_the_weekend_worked(mini):
    case(mini, "2025-010")
    # 28, 29, 30 Sep; 9, 10, 11 (Saturday worked), 13–17, 20–24, 27–30 Oct
    assert due(mini)["答复申请人"] == "2025-10-30"


def test_article_33_an_extension_adds_twenty(mini):
    case(mini, "2025-011", "\n  - {date: 2025-10-20, type: 延期, reason: 需调取档案}")
    assert due(mini) == {"决定延期": "2025-10-30", "答复申请人": "2025-11-27"}


def test_an_extension_decided_after_the_first_deadline_is_late(mini):
    case(mini, "2025-012", "\n  - {date: 2025-10-31, type: 延期, reason: 需调取档案}")
    assert ("applications/2025-012.yml", 6, "W441") in codes(mini)


def test_article_30_correction_within_seven_and_the_clock_restarts(mini):
    case(mini, "2025-013", "\n  - {date: 2025-10-09, type: 补正告知}\n  - {date: 2025-10-20, type: 收到补正}")
    # seven: 28, 29, 30 Sep, 9, 10, 11, 13 Oct; then twenty from 20 October
    assert due(mini) == {"告知补正（如需）": "2025-10-13", "答复申请人": "2025-11-17"}
    assert codes(mini) == []


def test_article_30_a_late_request_for_correction_is_flagged(mini):
    case(mini, "2025-014", "\n  - {date: 2025-10-14, type: 补正告知}")
    assert ("applications/2025-014.yml", 6, "W441") in codes(mini)


@pytest.mark.cli
def test_article_30_no_answer_deadline_while_the_correction_is_awaited(mini):
    case(mini, "2025-015", "\n  - {date: 2025-10-09, type: 补正告知}")
    assert "答复申请人" not in due(mini)
    result = mini.xxgk("cases", ".", "--as-of", "2026-06-01")
    assert result.code == 0, result.text
    assert "待申请人补正" in result.out


def test_article_32_the_third_party_period_is_not_counted(mini):
    case(mini, "2025-016", "\n  - {date: 2025-09-30, type: 征求第三方意见}\n  - {date: 2025-10-14, type: 第三方答复}")
    # 9, 10, 11, 13, 14 October are not counted: five more after 30 October
    assert due(mini) == {"第三方提出意见": "2025-10-28", "答复申请人": "2025-11-06"}


def test_article_32_a_silent_third_party_stops_the_clock_for_fifteen_at_most(mini):
    case(mini, "2025-017", "\n  - {date: 2025-09-30, type: 征求第三方意见}")
    assert due(mini)["答复申请人"] == "2025-11-20"
    assert due(mini, "2025-10-14")["答复申请人"] == "2025-11-06"  # counted up to the as-of day


# ------------------------------------------------------------------ xxgk cases


@pytest.mark.cli
def test_cases_exits_1_the_day_after_the_deadline_naming_the_case(mini):
    case(mini, "2025-020")
    on_the_day = mini.xxgk("cases", ".", "--as-of", "2025-10-30")
    assert on_the_day.code == 0, on_the_day.text
    assert "W440" in on_the_day.out and "还剩 0 个工作日" in on_the_day.out
    after = mini.xxgk("cases", ".", "--as-of", "2025-10-31")
    assert after.code == 1
    assert "applications/2025-020.yml:1: E406 案件 2025-020" in after.out
    assert "2025-020" in after.err


@pytest.mark.cli
def test_cases_warns_as_many_working_days_before_as_the_site_says(mini):
    case(mini, "2025-021")
    assert "W440" not in mini.xxgk("cases", ".", "--as-of", "2025-10-22").out  # 6 working days left
    mini.edit("mkdocs.yml", "  - xxgk:", "  - xxgk:\n      case_warn_days: 6")
    assert "W440" in mini.xxgk("cases", ".", "--as-of", "2025-10-22").out


@pytest.mark.cli
def test_cases_lists_only_open_cases_as_json_and_markdown(mini):
    case(mini, "2025-030", "\n  - {date: 2025-10-09, type: 答复, result: 予以公开}")
    case(mini, "2025-031", received="2025-10-09")
    result = mini.xxgk("cases", ".", "--as-of", "2025-10-10", "--format", "json")
    assert result.code == 0, result.text
    doc = json.loads(result.out)
    assert [c["案号"] for c in doc["open"]] == ["2025-031"]
    md = mini.xxgk("cases", ".", "--as-of", "2025-10-10", "--format", "markdown").out
    assert "| 2025-031 | 2025-10-09 | 自然人 | 办理中 |" in md


@pytest.mark.cli
def test_cases_refuses_a_ledger_with_errors(mini):
    case(mini, "2025-040", extra="note: 13912345678\n")
    result = mini.xxgk("cases", ".", "--as-of", "2025-10-10")
    assert result.code == 1 and "E141" in result.err


@pytest.mark.cli
def test_new_case_scaffolds_a_clean_numbered_file(mini):
    case(mini, "2026-001", received="2026-01-05")
    result = mini.xxgk("new-case", ".", "--received", "2026-02-02", "--channel", "电子邮件")
    assert result.code == 0, result.text
    assert result.out.strip() == "applications/2026-002.yml"
    assert "channel: 电子邮件" in mini.read("applications/2026-002.yml")
    assert problems(mini) == []


def test_the_demo_ledger_is_clean():
    assert problems(SiteDir(ROOT)) == []


def test_the_worked_example_of_docs_format_is_clean(mini):
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    example = text.split("## 依申请公开案件台账")[1].split("```yaml\n")[1].split("```")[0]
    mini.write("applications/2025-007.yml", example)
    assert problems(mini) == []
    # 20 + 20 working days from the correction (20 October), and 8 of the third party (23 October–3 November)
    assert due(mini)["答复申请人"] == "2025-12-25"


@pytest.mark.cli
def test_a_deadline_in_a_year_without_a_holiday_notice_is_estimated_and_says_so(mini):
    (mini.path / "catalog/holidays.yml").unlink(missing_ok=True)
    last = CAL.last.year  # the library's last year
    case(mini, f"{last}-050", received=f"{last}-12-21")
    (c,) = read_ledger(read_mkdocs_yml(mini.path)).cases
    answer = clock(c, CAL, D(f"{last}-12-22")).answer_due
    assert answer is not None and not answer.exact and answer.due.year == last + 1
    result = mini.xxgk("cases", ".", "--as-of", f"{last}-12-22")
    assert "该年节假日安排尚未载入，按周一至周五估算" in result.out
