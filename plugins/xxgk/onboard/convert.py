"""One source record's texts → item front matter, with a problem for each value that does not fit.

A missing or unreadable required value (标题, 发布机构, 发布日期, 目录分类) stops the record;
an optional value that does not fit is left out with a warning, so the rest still comes over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xxgk.core.codes import ERROR, registered
from xxgk.core.fields import DOC_TYPES, FIELDS
from xxgk.onboard.names import Names
from xxgk.onboard.values import (
    STATUS_WORDS,
    BadSourceValue,
    normal_doc_no,
    parse_date,
    split_cell,
    status_of,
    validity_sentence,
)

# 文件类型 when the source has none: what the standard catalogs' nodes hold
DOC_TYPE_OF_CATEGORY = {"gz": "规章", "gfxwj": "行政规范性文件", "qtwj": "其他文件", "ndbg": "年度报告"}
# documents whose validity the public relies on: never 有效 by default without staff seeing it (I322)
POLICY_TYPES = ("规章", "行政规范性文件")
NONE_SHOWN = ("-", "—", "－", "/", "无")  # what old pages show in an empty field


@dataclass
class Note:
    code: str
    message: str

    @property
    def severity(self) -> str:
        return registered(self.code).severity


@dataclass
class Converted:
    meta: dict = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(n.severity == ERROR for n in self.notes)


def convert(values: dict[str, str], names: Names) -> Converted:
    out = Converted()
    meta = out.meta

    def note(code, message):  # the code says whether the record can be imported (core/codes.py)
        out.notes.append(Note(code, message))

    for key in ("title", "publisher", "published", "category"):
        if not values.get(key):
            note("I302", f"缺少{FIELDS[key].label}；请在来源中补上，或在映射文件 columns/defaults 中指明")
    if values.get("title"):
        meta["title"] = " ".join(values["title"].split())
    if values.get("index_no"):
        meta["index_no"] = "".join(values["index_no"].split())
    if values.get("publisher"):
        pub = names.publisher(values["publisher"])
        if pub:
            meta["publisher"] = pub
        else:
            note(
                "I304",
                f"发布机构“{values['publisher']}”不在 departments.yml 中；请在映射文件 aliases.publisher 中写明对应的 id",
            )
    for key, required in (("published", True), ("written", False), ("effective", False), ("expires", False)):
        label = FIELDS[key].label
        if values.get(key):
            try:
                meta[key] = parse_date(values[key])
            except BadSourceValue as exc:
                note("I303", f"{label}：{exc}") if required else note("I320", f"{label}：{exc}；该项未导入")
    if values.get("category"):
        cat = names.category(values["category"])
        if cat:
            meta["category"] = cat
        else:
            note(
                "I306",
                f"目录分类“{values['category']}”不在 catalog.yml 中；请在映射文件 aliases.category 中写明对应的节点 id",
            )
    if values.get("doc_type"):
        if values["doc_type"] in DOC_TYPES:
            meta["doc_type"] = values["doc_type"]
        else:
            note("I307", f"文件类型“{values['doc_type']}”不可用（可用：{'、'.join(DOC_TYPES)}）；该项未导入")
    elif meta.get("category") in DOC_TYPE_OF_CATEGORY:
        meta["doc_type"] = DOC_TYPE_OF_CATEGORY[meta["category"]]
    if values.get("doc_no") and values["doc_no"].strip() not in NONE_SHOWN:
        meta["doc_no"] = normal_doc_no(values["doc_no"])
    if values.get("summary"):
        meta["summary"] = " ".join(values["summary"].split())
    if values.get("topics"):
        topics = []
        for name in split_cell(values["topics"]):
            topic = names.topic(name)
            if topic:
                topics.append(topic)
            else:
                note("I305", f"主题分类“{name}”不在 topics.yml 中，未导入；请在映射文件 aliases.topic 中写明对应的主题")
        if topics:
            meta["topics"] = list(dict.fromkeys(topics))
    if values.get("keywords"):
        meta["keywords"] = split_cell(values["keywords"])
    if not _validity(values, meta, note) and meta.get("doc_type") in POLICY_TYPES:
        note(
            "I322",
            f"“{meta.get('title', '')}”是{meta['doc_type']}，旧页面未标明有效性，已按有效导入；"
            "请核对原件后在条目的 status 中写明",
        )
    return out


def _validity(values: dict[str, str], meta: dict, note) -> bool:
    """有效性 as the old page states it: a status word (有效, 是, 已废止 …), a 时效 sentence with its
    dates (有效期至…), a 废止日期 (then 废止). False when the page states none of them."""
    stated = False
    text = values.get("status", "").strip()
    if text and text not in NONE_SHOWN:
        try:
            status = status_of(text)
            stated = True
            if status != "有效":
                meta["status"] = status
        except BadSourceValue as exc:
            dates = validity_sentence(text) or _until(text)
            for key, date in dates.items():
                meta.setdefault(key, date)
            stated = bool(dates)
            if not dates:
                note("I307", f"{exc}；该项未导入")
    abolished = values.get("abolished_date", "").strip()
    if not stated and abolished in STATUS_WORDS:  # 废止日期：有效 (常州): the page's status, in the wrong cell
        return _validity({**values, "status": abolished, "abolished_date": ""}, meta, note)
    if abolished not in ("", *NONE_SHOWN):
        try:
            meta["abolished"] = {"date": parse_date(values["abolished_date"])}
            meta.setdefault("status", "废止")
            stated = True
        except BadSourceValue as exc:
            note("I320", f"废止日期：{exc}；该项未导入")
    return stated


def _until(text: str) -> dict:
    """有效期：2028年7月13日 (a bare date under an 有效期 label) is the day it expires."""
    try:
        return {"expires": parse_date(text)}
    except BadSourceValue:
        return {}


def plain(value):
    """A front-matter value in the form the import record keeps (JSON: dates as ISO text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
