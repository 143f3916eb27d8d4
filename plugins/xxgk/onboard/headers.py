"""Which field a source column or page label holds: the names agencies use, in one table.

A label is compared after `label_key` (spaces of every width, colons and brackets removed),
so `索 引 号：`, `【发文字号】` and `发布日期:` all find their field. When several columns
name one field, the name listed first wins (发布日期 before 更新时间).
"""

from __future__ import annotations

import re

# field → names, most specific first. `body_file` is a file the row names (正文文件, 附件);
# `abolished_date` becomes abolished.date. Nothing here is guessed from content.
HEADERS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "信息索引号", "索引", "索取号"),
    "title": ("标题", "信息名称", "文件名称", "文件标题", "信息标题", "公文标题", "题名", "名称"),
    "publisher": (
        "发布机构",
        "发文机关",
        "发布单位",
        "发文单位",
        "发文机构",
        "发布部门",
        "制发机关",
        "公开主体",
        "发布机关",
    ),
    "doc_no": ("发文字号", "文号", "发文文号", "文件编号"),
    "written": ("成文日期", "成文时间", "发文日期", "印发日期", "生成日期", "公文生成日期", "印发时间"),
    "published": ("发布日期", "公开日期", "发布时间", "公开时间", "更新时间", "日期"),
    "category": ("目录分类", "组配分类", "信息分类", "信息类别", "公开目录", "所属栏目", "所属分类", "栏目", "类别"),
    "topics": ("主题分类", "所属主题", "主题"),
    "status": ("有效性", "时效性", "时效", "效力状态", "效力", "有效状态", "文件有效性", "是否有效", "有效期"),
    "summary": ("内容概述", "内容摘要", "摘要", "概述", "简介"),
    "keywords": ("关键词", "关键字", "主题词"),
    "doc_type": ("文件类型",),
    "effective": ("施行日期", "生效日期", "实施日期"),
    "expires": ("有效期至", "失效日期"),
    "abolished_date": ("废止日期",),
    "body": ("正文", "正文内容", "内容", "全文"),
    "body_file": ("正文文件", "正文附件", "附件", "原文文件", "文件"),
}

# Labels that carry no field but end the value before them on a `标签：值` line.
# 字号 is the font-size widget (字号：大 中 小), never a 发文字号.
OTHER_LABELS = (
    "来源",
    "作者",
    "信息来源",
    "文件来源",
    "浏览次数",
    "点击数",
    "访问量",
    "分享到",
    "字号",
    "编辑",
    "责任编辑",
    "公开方式",
    "公开范围",
    "公开形式",
    "公开时限",
    "联合发文单位",
    "规范性文件编号",
    "备案登记号",
    "登记号",
    "政策层级分类",
    "法定主动公开分类",
    "体裁分类",
    "服务对象分类",
)

_NOISE = re.compile(r"[\s\u3000\xa0:：【】\[\]()（）]+")
FIELD_OF: dict[str, str] = {}
RANK: dict[str, int] = {}
for _field, _names in HEADERS.items():
    for _rank, _name in enumerate(_names):
        FIELD_OF[_name] = _field
        RANK[_name] = _rank


def label_key(text: str) -> str:
    """`索 引 号：` → `索引号`: how a label is looked up."""
    return _NOISE.sub("", text or "")


def field_of(label: str) -> str | None:
    return FIELD_OF.get(label_key(label))


def pick_columns(headers: list[str], renames: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """field → column index, and the headers left unrecognised. `renames` (from the mapping file,
    header → field) wins over the table."""
    chosen: dict[str, tuple[int, int]] = {}
    unknown = []
    for col, header in enumerate(headers):
        key = label_key(header)
        if not key:
            continue
        if header in renames or key in renames:
            field, rank = renames.get(header) or renames[key], -1
        elif key in FIELD_OF:
            field, rank = FIELD_OF[key], RANK[key]
        else:
            unknown.append(header)
            continue
        if field not in chosen or rank < chosen[field][1]:
            chosen[field] = (col, rank)
    return {f: col for f, (col, _) in chosen.items()}, unknown
