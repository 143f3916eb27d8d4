"""The 20-working-day rule (条例第二十六条) with the official calendar, 调休 included."""

import json

import pytest

A = "11990100MB0000001T"
ITEM = "2024/bgs/late.md"
PATH = f"content/items/{ITEM}"


def _item(site, written, published, no="2024-00009", publisher="bgs", rel=ITEM):
    site.item(
        rel,
        f"title: 测试通知{no}\nindex_no: {A}/{no}\npublisher: {publisher}\n"
        f"published: {published}\nwritten: {written}\ncategory: tzgg",
    )


def _line(site, key, rel=PATH):
    return next(n for n, line in enumerate(site.read(rel).splitlines(), 1) if line.startswith(key))


# Written Friday 2024-09-27. Working days after it: 9-29 (Sunday, 调休), 9-30, 10-8 … 10-12
# (Saturday, 调休) = 7; 10-14…18 = 12; 10-21…25 = 17; 10-28, 29, 30 = 20. Counting Monday–Friday
# alone would put the 20th day at 10-25 and call 10-30 late.
def test_twentieth_working_day_counted_with_holidays_and_adjusted_days_is_on_time(mini):
    _item(mini, "2024-09-27", "2024-10-30")
    result = mini.check()
    assert "W231" not in result.text and "W232" not in result.text, result.text


def test_twenty_first_working_day_is_late(mini):
    _item(mini, "2024-09-27", "2024-10-31")
    result = mini.check()
    assert (
        f"{PATH}:{_line(mini, 'published:')}: W231 发布日期 2024-10-31 距成文日期 2024-09-27 已过 21 个工作日，"
        "超过条例第二十六条规定的20个工作日"
    ) in result.out
    assert result.code == 0  # a warning, not an error


def test_outside_the_calendar_says_so_instead_of_guessing(mini):
    _item(mini, "2031-01-06", "2031-02-14", no="2031-00001", rel="2031/bgs/late.md")
    result = mini.check()
    line = _line(mini, "published:", "content/items/2031/bgs/late.md")
    assert f"content/items/2031/bgs/late.md:{line}: W232 无法判断是否在20个工作日内公开" in result.out
    assert "现有：chinesecalendar 1.11.0（2004–2026 年）" in result.out and "W231" not in result.out
    assert "请在 catalog/holidays.yml 中按国务院办公厅当年的节假日安排通知补上2031 年" in result.out
    assert "Traceback" not in result.text


@pytest.mark.parametrize("published, code", [("2031-01-20", None), ("2031-04-01", "W231")])
def test_outside_the_calendar_clear_cases_need_no_calendar(mini, published, code):
    _item(mini, "2031-01-06", published, no="2031-00001", rel="2031/bgs/late.md")
    result = mini.check()
    assert "W232" not in result.out
    assert (code in result.out) if code else ("W231" not in result.out), result.out


def test_stats_report_on_time_share_per_year_and_publisher(mini):
    _item(mini, "2024-09-27", "2024-10-31")  # late, bgs
    _item(mini, "2024-06-03", "2024-06-05", no="2024-00010", rel="2024/bgs/ok.md")  # on time, bgs
    _item(mini, "2024-06-03", "2024-06-04", no="2024-00001", publisher="czj", rel="2024/czj/ok.md")
    mini.edit("content/items/2024/czj/ok.md", f"{A}/2024-00001", "11990100MB00000031/2024-00001")
    doc = json.loads(mini.command("stats", ".", "--year", "2024", "--format", "json", "--explain").out)
    # bgs: the fixture's policy (written 03-01, published 03-05) and ok.md on time, late.md late
    assert doc["按时公开"] == {
        "按时公开条数": 3,
        "超时公开条数": 1,
        "无法判断条数": 4,
        "按时公开率（%）": 75.0,
        "工作日日历": "chinesecalendar 1.11.0（2004–2026 年）",
    }
    assert doc["按时公开率（%，按发布机构）"] == {"测试市人民政府办公室": 66.7, "测试市财政局": 100.0}
    assert doc["明细"]["按时公开"]["超时公开条数"] == [f"{A}/2024-00009"]


HOLIDAYS_2027 = """\
- year: 2027
  notice: 国务院办公厅关于2027年部分节假日安排的通知（测试）
  holidays:
    元旦: [2027-01-01, 2027-01-03]
    春节: [2027-02-05, 2027-02-12]
  workdays: [2027-02-20]
"""


# Written Friday 2027-01-22. Working days after it: 1-25…29 = 5, 2-1…4 = 9, (2-5…12 off),
# 2-15…19 = 14, 2-20 (Saturday, 调休) = 15, 2-22…26 = 20, 3-1 = 21. Monday–Friday alone
# would reach 20 on 2-19 and call 2-25 late; without the file 2027 is outside the calendar.
@pytest.mark.parametrize("published, days", [("2027-02-25", None), ("2027-02-26", None), ("2027-03-01", 21)])
def test_a_2027_item_straddling_the_site_calendars_spring_festival(mini, published, days):
    mini.write("catalog/holidays.yml", HOLIDAYS_2027)
    _item(mini, "2027-01-22", published, no="2027-00001", rel="2027/bgs/late.md")
    result = mini.command("check", ".", env={"XXGK_AS_OF": "2027-06-01"})
    assert "W232" not in result.out and "E17" not in result.out, result.out
    if days is None:
        assert "W231" not in result.out, result.out
    else:
        assert f"W231 发布日期 {published} 距成文日期 2027-01-22 已过 {days} 个工作日" in result.out


def test_without_the_year_in_the_file_2027_cannot_be_judged(mini):
    _item(mini, "2027-01-22", "2027-02-25", no="2027-00001", rel="2027/bgs/late.md")
    result = mini.command("check", ".", env={"XXGK_AS_OF": "2027-06-01"})
    assert "W232" in result.out and "补上2027 年" in result.out


def test_the_site_file_overrides_the_library_for_its_year(mini):
    # 2024-10-30 is the 20th working day after 2024-09-27 in the library; a site year
    # without the National Day holiday makes it the 23rd (Monday–Friday alone).
    _item(mini, "2024-09-27", "2024-10-30")
    assert "W231" not in mini.check().out
    mini.write("catalog/holidays.yml", "- year: 2024\n  notice: 测试通知\n  holidays: {元旦: 2024-01-01}\n")
    assert "已过 23 个工作日" in mini.check().out


@pytest.mark.parametrize(
    "text, where",
    [
        ("- year: 2027\n  holidays: {元旦: 2027-01-01}\n", ":1: E170 2027 年缺少 notice"),
        (
            "- year: 2027\n  notice: 通知\n  holidays:\n    元旦: [2026-12-31, 2027-01-01]\n",
            ":3: E171 2026-12-31 不在 2027 年内",
        ),
        (
            "- year: 2027\n  notice: 通知\n  holidays:\n    春节: [2027-02-12, 2027-02-05]\n",
            ":4: E171 2027 年 春节 的日期",
        ),
        (
            "- year: 2027\n  notice: 通知\n  holidays: {春节: [2027-02-05, 2027-02-12]}\n  workdays: [2027-02-06]\n",
            ":4: E172 2027-02-06 既写为放假又写为上班",
        ),
        ("year: 2027\n", ":1: E170 catalog/holidays.yml 应为年份列表"),
        ("- year: 2027\n  notice: 通知\n- year: 2027\n  notice: 通知\n", ":3: E170 2027 年重复出现"),
    ],
)
def test_the_site_calendar_is_checked(mini, text, where):
    mini.write("catalog/holidays.yml", text)
    result = mini.check()
    assert f"catalog/holidays.yml{where}" in result.out, result.out
    assert result.code == 1 and "Traceback" not in result.text


def test_stats_name_the_calendar_they_counted_with(mini):
    mini.write("catalog/holidays.yml", HOLIDAYS_2027)
    doc = json.loads(mini.command("stats", ".", "--year", "2024", "--format", "json").out)
    assert doc["按时公开"]["工作日日历"] == (
        "chinesecalendar 1.11.0（2004–2026 年） + catalog/holidays.yml（2027年：国务院办公厅关于2027年部分节假日安排的通知（测试））"
    )
