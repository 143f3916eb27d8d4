"""The item front-matter keys of docs/format.md: the one table of what staff write.

Each key's `Field` says what it is called (label), how its value is read into the typed
attribute of `model.Item` (kind → `parse`), when it must be written (required, required_when),
how staff write it (note: docs/format.md) and what the form says under it (hint: the Decap form
of authoring/config.py). The loader, the form, the open data (output/opendata.py) and the
generated docs all read it; a misfit is reported with the field's code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk.core import safetext
from xxgk.core.model import POLICY_TYPES as POLICY_TYPES  # the vocabulary lives with the record; staff read it here
from xxgk.core.model import Abolition, Attachment, Consultation
from xxgk.core.yamlio import BadScalar

DOC_TYPES = ("规章", "行政规范性文件", "其他文件", "政策解读", "征求意见", "年度报告", "一般信息")
STATUSES = ("有效", "失效", "废止", "已修订")
INTERPRETATION_FORMS = ("文字解读", "图文解读", "视频解读", "新闻发布会", "专家解读", "答记者问", "在线访谈")


@dataclass(frozen=True)
class When:
    """An optional key that must be written when another key has a value (docs/format.md; the
    form marks it required for the document type it names). The rules report a missing one."""

    key: str
    value: str
    parts: tuple[str, ...] = ()  # the parts then required, when not the whole value


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the Chinese name staff know
    kind: str  # text | date | moment (a date, maybe with HH:MM) | list | enum | abolished | consultation | attachments | privacy_ok (PARSERS)
    hint: str  # the help under the field in the form, for staff
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""  # how the value is written, for staff (docs/format.md)
    required_when: When | None = None  # when an optional key must be written after all
    parts: tuple[str, ...] = ()  # a mapping value's keys, in order (open data: a column each)
    public: bool = True  # in the open catalog data (catalog.json, catalog.csv)

    def parse(self, value: Any, line: int) -> Any:
        """The typed attribute for a value as written at `line` (the key's line, for the parts of
        a value that carry none); BadValue says what to write instead."""
        return PARSERS[self.kind](self, value, line)

    @property
    def code(self) -> str:
        """The problem code of a value that does not fit (docs/codes.md)."""
        return {"date": "E103", "moment": "E103", "enum": "E110"}.get(self.kind, "E111")

    @property
    def requirement(self) -> str:
        """必填, 选填 or when it is required, as docs/format.md says it."""
        if self.required_when is None:
            return "必填" if self.required else "选填"
        when = self.required_when
        parts = f"（{'、'.join(when.parts)}）" if when.parts else ""
        return f"{FIELDS[when.key].label}为 {when.value} 时必填{parts}"


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("title", "标题", "text", "文件或信息的完整标题", required=True, note="文件的完整标题"),
        Field(
            "index_no",
            "索引号",
            "text",
            "全站唯一，发布后不能更改；留空则保存时自动填入本机构当年的下一个序号",
            required=True,
            note="默认写成“发布机构代码/年份-五位序号”，如 11990100MB0000001T/2024-00001（站点可用 index_no_pattern "
            "另定格式）；全站唯一，发布后不再更改；页面地址由它而来",
        ),
        Field(
            "publisher",
            "发布机构",
            "text",
            "发布信息的机关或部门",
            required=True,
            note="catalog/departments.yml 中的 id",
        ),
        Field(
            "published",
            "发布日期",
            "moment",
            "在本网站公开的日期，可带时间（如 2024-03-05 09:30）",
            required=True,
            note="YYYY-MM-DD，可带时间 YYYY-MM-DD HH:MM（页面和 PubDate 元数据显示到分钟）",
        ),
        Field(
            "category",
            "目录分类",
            "text",
            "本信息放在主动公开基本目录的哪一栏",
            required=True,
            note="catalog/catalog.yml 中某个节点的 id",
        ),
        Field(
            "summary",
            "内容概述",
            "text",
            "一两句话，显示在列表和搜索结果中（建议填写）",
            note="一两句话，显示在列表和搜索结果中；建议填写",
        ),
        Field("doc_type", "文件类型", "enum", "不填即“一般信息”", choices=DOC_TYPES, note="不写为 `一般信息`"),
        Field(
            "doc_no",
            "发文字号",
            "text",
            "如 津政办函〔2018〕10号；年份用全角六角括号〔〕",
            note="如 `云政办规〔2024〕3号`（六角括号 〔〕）",
        ),
        Field("written", "成文日期", "date", "文件签发（成文）的日期", note="YYYY-MM-DD"),
        Field("topics", "主题分类", "list", "主题分类，可多选", note="catalog/topics.yml 中的名称，可写多个：[甲, 乙]"),
        Field("keywords", "关键词", "list", "关键词，可填多个", note="列表"),
        Field(
            "status",
            "有效性",
            "enum",
            "不填即“有效”；过了有效期至的文件自动显示为失效，无需修改",
            choices=STATUSES,
            note="不写为 `有效`；页面显示的有效性按下文“有效性”一节推算",
        ),
        Field("effective", "施行日期", "date", "施行日期；此日之前显示“尚未施行”", note="此日之前显示为 `尚未施行`"),
        Field(
            "expires",
            "有效期至",
            "date",
            "有效期至；此日之后自动显示为“失效”",
            note="此日之后自动显示为 `失效`，无须改文件",
        ),
        Field(
            "abolished",
            "废止信息",
            "abolished",
            "有效性为“废止”时填写",
            note="`{date: 废止日期, by: 废止依据, reason: 废止原因}`；date 必填；by 写废止它的文件的索引号或发文字号"
            "（本站有该文件时链接过去），也可写文件名称",
            required_when=When("status", "废止"),
            parts=("date", "by", "reason"),
        ),
        Field(
            "revised_by",
            "修订后文件",
            "text",
            "有效性为“已修订”时，选择修订后的新文件",
            note="新版本的索引号或发文字号",
            required_when=When("status", "已修订"),
        ),
        Field(
            "replaces",
            "所修订文件",
            "text",
            "本文件修订了哪个旧版本（旧版本自动显示为已修订）",
            note="本文件修订的旧版本的索引号或发文字号",
        ),
        Field(
            "interprets",
            "所解读文件",
            "list",
            "政策解读所解读的文件，按标题、文号或索引号查找",
            note="所解读文件的索引号或发文字号，可写多个",
            required_when=When("doc_type", "政策解读"),
        ),
        Field(
            "interpretation_form",
            "解读形式",
            "enum",
            "文字解读、图文解读、视频解读、新闻发布会等",
            choices=INTERPRETATION_FORMS,
        ),
        Field(
            "consultation",
            "征求意见",
            "consultation",
            "征求意见的起止日期（必填）和意见采纳情况反馈",
            note="`{start: 开始日期, end: 截止日期, feedback: 意见采纳情况反馈条目的索引号或发文字号}`",
            required_when=When("doc_type", "征求意见", ("start", "end")),
            parts=("start", "end", "feedback"),
        ),
        Field(
            "attachments",
            "附件",
            "attachments",
            "上传的文件保留原文件名，与本条目保存在一起；附件名称留空则用文件名",
            note="列表，每项 `{file: files/文件名, title: 附件名称}`",
        ),
        Field(
            "privacy_ok",
            "隐私审查放行",
            "privacy_ok",
            "隐私审查误报放行：原文和可以公开的理由（理由必填）",
            note="列表，每项 `{value: 放行的号码（原样）, reason: 放行理由}`；理由必填",
            public=False,  # the site's own reasoning about personal data, not catalog data
        ),
    )
}


class BadValue(Exception):
    """A value that does not fit its field; the message says what to write instead."""


MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::\d{2})?")


def as_moment(value) -> tuple[dt.date, str]:
    """A date and its time of day as "HH:MM" ("" when only the date is written)."""
    if isinstance(value, dt.datetime):
        return value.date(), f"{value:%H:%M}"
    if isinstance(value, str):
        m = MOMENT.fullmatch(value.strip())
        if m:
            hour, minute = int(m[2]), int(m[3])
            if hour > 23 or minute > 59:
                raise BadValue(f"时间“{value}”无效，请写成 YYYY-MM-DD HH:MM，例如 2024-03-05 09:30")
            return as_date(m[1]), f"{hour:02d}:{minute:02d}"
    return as_date(value), ""


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


# ---------------------------------------------------------------- one parser per kind


def _text(f: Field, value: Any, line: int) -> str:
    return as_text(value)


def _date(f: Field, value: Any, line: int) -> dt.date:
    return as_date(value)


def _moment(f: Field, value: Any, line: int) -> tuple[dt.date, str]:
    return as_moment(value)


def _list(f: Field, value: Any, line: int) -> list[str]:
    return as_list(value)


def _enum(f: Field, value: Any, line: int) -> str:
    return as_enum(value, f.choices)


def _abolished(f: Field, value: Any, line: int) -> Abolition:
    if not isinstance(value, dict):
        raise BadValue("应写成 {date: 废止日期, by: 废止依据, reason: 废止原因}")
    date = value.get("date")
    return Abolition(
        date=as_date(date) if date else None,
        by=as_text(value["by"]) if value.get("by") else "",
        reason=as_text(value["reason"]) if value.get("reason") else "",
    )


def _consultation(f: Field, value: Any, line: int) -> Consultation:
    if not isinstance(value, dict):
        raise BadValue("应写成 {start: 开始日期, end: 截止日期, feedback: 反馈条目索引号}")
    return Consultation(
        start=as_date(value["start"]) if value.get("start") else None,
        end=as_date(value["end"]) if value.get("end") else None,
        feedback=as_text(value["feedback"]) if value.get("feedback") else "",
    )


def _attachments(f: Field, value: Any, line: int) -> list[Attachment]:
    if not isinstance(value, list):
        raise BadValue("应为列表，每项写成 {file: 文件路径, title: 附件名称}")
    result = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"file": entry}
        if not isinstance(entry, dict) or not entry.get("file"):
            raise BadValue("每项应写成 {file: 文件路径, title: 附件名称}")
        file = as_text(entry["file"])
        title = as_text(entry.get("title") or Path(file).name)
        result.append(Attachment(file=file, title=title, line=getattr(entry, "line", line)))
    return result


def _privacy_ok(f: Field, value: Any, line: int) -> list[str]:
    """`[{value: 放行的号码, reason: 理由}]`: a reason is required, so every exception is argued."""
    if not isinstance(value, list):
        value = [value]
    result = []
    for entry in value:
        if not isinstance(entry, dict) or not entry.get("value") or not entry.get("reason"):
            raise BadValue("每项应写成 {value: 放行的号码（原样）, reason: 放行理由}，理由不能省略")
        result.append(as_text(entry["value"]))
    return result


PARSERS: dict[str, Callable[[Field, Any, int], Any]] = {
    "text": _text,
    "date": _date,
    "moment": _moment,
    "list": _list,
    "enum": _enum,
    "abolished": _abolished,
    "consultation": _consultation,
    "attachments": _attachments,
    "privacy_ok": _privacy_ok,
}
