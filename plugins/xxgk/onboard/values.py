"""One source value → the value docs/format.md wants: dates, 文号 brackets, 有效性 words, list cells."""

from __future__ import annotations

import datetime as dt
import re

from xxgk.core.docno import CLOSE, OPEN

_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "Ｏ": 0}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_HAN_DATE = re.compile(
    r"([〇○零一二三四五六七八九OＯ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class BadSourceValue(Exception):
    """The message says what the value should look like."""


def parse_date(value) -> dt.date:
    """`2018-08-14`, `2018年8月14日`, `2018/8/14`, `2018-08-14 17:10`, `20180814`, `二〇一八年八月十三日`,
    a spreadsheet date, or an Excel day number in a CSV export."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if m := _DATE.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _COMPACT.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _HAN_DATE.fullmatch(text):
            year = int("".join(str(_DIGIT[c]) for c in m[1]))
            return dt.date(year, _han_number(m[2]), _han_number(m[3]))
        if re.fullmatch(r"\d{5}(\.0+)?", text) and 20000 < float(text) < 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    except ValueError:
        pass
    raise BadSourceValue(f"日期“{text}”无法识别，应写成 2018-08-14、2018年8月14日 或 2018/8/14")


def _han_number(text: str) -> int:
    """一 … 三十一."""
    if text == "十":
        return 10
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _DIGIT[text]
    return (_DIGIT[tens] if tens else 1) * 10 + (_DIGIT[ones] if ones else 0)


_DOC_NO_YEAR = re.compile(f"[{re.escape(OPEN)}]\\s*([0-9]{{4}})\\s*[{re.escape(CLOSE)}]")  # core/docno's brackets


def normal_doc_no(text: str) -> str:
    """津政办函[2018]10号, (2018), （2018）, 【2018】 → 津政办函〔2018〕10号; spaces dropped."""
    return _DOC_NO_YEAR.sub(r"〔\1〕", re.sub(r"[\s\u3000]+", "", text))


# 有效性 words in old systems → FORMAT's statuses; None means "say nothing" (the default 有效).
STATUS_WORDS = {
    "有效": "有效",
    "现行有效": "有效",
    "继续有效": "有效",
    "是": "有效",
    "生效": "有效",
    "失效": "失效",
    "已失效": "失效",
    "无效": "失效",
    "过期": "失效",
    "已过期": "失效",
    "否": "失效",
    "废止": "废止",
    "已废止": "废止",
    "已撤销": "废止",
    "撤销": "废止",
    "已修订": "已修订",
    "修订": "已修订",
    "已修改": "已修订",
    "已被修订": "已修订",
}


def status_of(text: str) -> str:
    key = re.sub(r"[\s\u3000]+", "", text)
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    raise BadSourceValue(f"有效性“{text}”无法对应到 有效、失效、废止、已修订；请在映射文件 fix.status 中写明")


_UNTIL = re.compile(r"有效期(?:至|到|截至)\s*(\S+?日)")
_FROM = re.compile(r"自\s*(\S+?日)\s*起\s*(?:施行|实施|执行|生效)")


def validity_sentence(text: str) -> dict[str, dt.date]:
    """The dates an old page's 时效 sentence states (`本规定自2014年7月1日起施行，有效期至2028年7月13日。`):
    {effective, expires}; the site works the status out from them (docs/format.md 有效性)."""
    found = {}
    for key, rx in (("effective", _FROM), ("expires", _UNTIL)):
        if m := rx.search(text):
            try:
                found[key] = parse_date(m.group(1))
            except BadSourceValue:
                continue
    return found


def split_cell(text: str) -> list[str]:
    """A list cell: 关键词 or 主题分类 joined by ；;，,| or new lines (not 、, which topic names contain)."""
    return [p.strip() for p in re.split(r"[;；,，|｜\n]+", text) if p.strip()]


def cell_text(value) -> str:
    """A spreadsheet cell as text; whole numbers without `.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    return str(value).strip()
