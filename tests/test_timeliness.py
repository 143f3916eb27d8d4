"""The 20-working-day rule (条例第二十六条) with the official calendar, 调休 included."""

import json

import pytest

A = "11990100MB0000001A"
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
    assert "chinesecalendar 仅覆盖 2004–2026 年" in result.out and "W231" not in result.out
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
    mini.edit("content/items/2024/czj/ok.md", f"{A}/2024-00001", "11990100MB0000003C/2024-00001")
    doc = json.loads(mini.xxgk("stats", ".", "--year", "2024", "--format", "json", "--explain").out)
    # bgs: the fixture's policy (written 03-01, published 03-05) and ok.md on time, late.md late
    assert doc["按时公开"] == {"按时公开条数": 3, "超时公开条数": 1, "无法判断条数": 4, "按时公开率（%）": 75.0}
    assert doc["按时公开率（%，按发布机构）"] == {"测试市人民政府办公室": 66.7, "测试市财政局": 100.0}
    assert doc["明细"]["按时公开"]["超时公开条数"] == [f"{A}/2024-00009"]
