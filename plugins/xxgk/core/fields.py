"""The item front-matter keys of FORMAT.md and the shape of each value.

This is the one place that knows which keys exist, which are required, and
what kind of value each takes; the loader turns values into typed fields with
it and reports what does not fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xxgk.core.yamlio import BadScalar

DOC_TYPES = ("规章", "行政规范性文件", "其他文件", "政策解读", "征求意见", "年度报告", "一般信息")
POLICY_TYPES = ("规章", "行政规范性文件")
STATUSES = ("有效", "失效", "废止", "已修订")
DERIVED_STATUSES = ("有效", "尚未施行", "失效", "废止", "已修订")
INTERPRETATION_FORMS = ("文字解读", "图文解读", "视频解读", "新闻发布会", "专家解读", "答记者问", "在线访谈")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the Chinese name staff know
    kind: str  # text | date | list | enum | abolished | consultation | attachments | privacy_ok
    required: bool = False
    choices: tuple[str, ...] = ()


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("title", "标题", "text", required=True),
        Field("index_no", "索引号", "text", required=True),
        Field("publisher", "发布机构", "text", required=True),
        Field("published", "发布日期", "date", required=True),
        Field("category", "目录分类", "text", required=True),
        Field("summary", "内容概述", "text"),
        Field("doc_type", "文件类型", "enum", choices=DOC_TYPES),
        Field("doc_no", "发文字号", "text"),
        Field("written", "成文日期", "date"),
        Field("topics", "主题分类", "list"),
        Field("keywords", "关键词", "list"),
        Field("status", "有效性", "enum", choices=STATUSES),
        Field("effective", "施行日期", "date"),
        Field("expires", "有效期至", "date"),
        Field("abolished", "废止信息", "abolished"),
        Field("revised_by", "修订后文件", "text"),
        Field("replaces", "所修订文件", "text"),
        Field("interprets", "所解读文件", "list"),
        Field("interpretation_form", "解读形式", "enum", choices=INTERPRETATION_FORMS),
        Field("consultation", "征求意见", "consultation"),
        Field("attachments", "附件", "attachments"),
        Field("privacy_ok", "隐私审查放行", "privacy_ok"),
    )
}


class BadValue(Exception):
    """A value that does not fit its field; the message says what to write instead."""


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    shown = value.text if isinstance(value, BadScalar) else value
    raise BadValue(f"日期“{shown}”无效，请写成 YYYY-MM-DD，例如 2024-03-05，并确认该日期存在")


def as_text(value) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise BadValue("应为一段文字")
    if isinstance(value, (dt.date, BadScalar)):
        return str(value)
    return str(value).strip()


def as_list(value) -> list[str]:
    """A list of texts; a single text is accepted as a list of one."""
    if isinstance(value, str):
        return [value.strip()]
    if not isinstance(value, list):
        raise BadValue("应为列表，例如 [甲, 乙]")
    return [as_text(v) for v in value]


def as_enum(value, choices: tuple[str, ...]) -> str:
    text = as_text(value)
    if text not in choices:
        raise BadValue(f"“{text}”不是可用的值，可用的值：{'、'.join(choices)}")
    return text
