"""The item front-matter keys of docs/format.md and the shape of each value.

This is the one place that knows which keys exist, which are required, and
what kind of value each takes; the loader turns values into typed fields with
it and reports what does not fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xxgk.core import safetext
from xxgk.core.yamlio import BadScalar

DOC_TYPES = ("规章", "行政规范性文件", "其他文件", "政策解读", "征求意见", "年度报告", "一般信息")
POLICY_TYPES = ("规章", "行政规范性文件")
STATUSES = ("有效", "失效", "废止", "已修订")
INTERPRETATION_FORMS = ("文字解读", "图文解读", "视频解读", "新闻发布会", "专家解读", "答记者问", "在线访谈")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the Chinese name staff know
    kind: str  # text | date | list | enum | abolished | consultation | attachments | privacy_ok
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""  # how the value is written, for staff (docs/format.md)
    required_when: str = ""  # when an optional key must be written after all


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("title", "标题", "text", required=True, note="文件的完整标题"),
        Field(
            "index_no",
            "索引号",
            "text",
            required=True,
            note="默认写成“发布机构代码/年份-五位序号”，如 11990100MB0000001A/2024-00001（站点可用 index_no_pattern "
            "另定格式）；全站唯一，发布后不再更改；页面地址由它而来",
        ),
        Field("publisher", "发布机构", "text", required=True, note="catalog/departments.yml 中的 id"),
        Field("published", "发布日期", "date", required=True, note="YYYY-MM-DD"),
        Field("category", "目录分类", "text", required=True, note="catalog/catalog.yml 中某个节点的 id"),
        Field("summary", "内容概述", "text", note="一两句话，显示在列表和搜索结果中；建议填写"),
        Field("doc_type", "文件类型", "enum", choices=DOC_TYPES, note="不写为 `一般信息`"),
        Field("doc_no", "发文字号", "text", note="如 `云政办规〔2024〕3号`（六角括号 〔〕）"),
        Field("written", "成文日期", "date", note="YYYY-MM-DD"),
        Field("topics", "主题分类", "list", note="catalog/topics.yml 中的名称，可写多个：[甲, 乙]"),
        Field("keywords", "关键词", "list", note="列表"),
        Field(
            "status", "有效性", "enum", choices=STATUSES, note="不写为 `有效`；页面显示的有效性按下文“有效性”一节推算"
        ),
        Field("effective", "施行日期", "date", note="此日之前显示为 `尚未施行`"),
        Field("expires", "有效期至", "date", note="此日之后自动显示为 `失效`，无须改文件"),
        Field(
            "abolished",
            "废止信息",
            "abolished",
            note="`{date: 废止日期, by: 废止依据, reason: 废止原因}`；date 必填；by 写废止它的文件的索引号或发文字号"
            "（本站有该文件时链接过去），也可写文件名称",
            required_when="有效性为 废止 时必填",
        ),
        Field(
            "revised_by", "修订后文件", "text", note="新版本的索引号或发文字号", required_when="有效性为 已修订 时必填"
        ),
        Field("replaces", "所修订文件", "text", note="本文件修订的旧版本的索引号或发文字号"),
        Field(
            "interprets",
            "所解读文件",
            "list",
            note="所解读文件的索引号或发文字号，可写多个",
            required_when="文件类型为 政策解读 时必填",
        ),
        Field("interpretation_form", "解读形式", "enum", choices=INTERPRETATION_FORMS),
        Field(
            "consultation",
            "征求意见",
            "consultation",
            note="`{start: 开始日期, end: 截止日期, feedback: 意见采纳情况反馈条目的索引号或发文字号}`",
            required_when="文件类型为 征求意见 时必填（start、end）",
        ),
        Field("attachments", "附件", "attachments", note="列表，每项 `{file: files/文件名, title: 附件名称}`"),
        Field(
            "privacy_ok",
            "隐私审查放行",
            "privacy_ok",
            note="列表，每项 `{value: 放行的号码（原样）, reason: 放行理由}`；理由必填",
        ),
    )
}


class BadValue(Exception):
    """A value that does not fit its field; the message says what to write instead."""


def as_date(value) -> dt.date:
    day = _date_of(value)
    problem = safetext.date_problem(day)  # issue 30: 9999-12-31 would top 最新信息 for ever
    if problem is not None:
        raise BadValue(problem)
    return day


def _date_of(value) -> dt.date:
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
