"""The Decap CMS configuration, generated from catalog/ and the field table (never written by hand).

One collection per document type (the form staff open is the kind of document they publish),
plus 全部条目 for finding and editing any item; relation widgets search that one.
"""

from __future__ import annotations

import datetime as dt

from xxgk.core import fields as F
from xxgk.core.load import Content
from xxgk.core.options import Options
from xxgk.core.scaffold import ScaffoldError, next_index_no

ALL = "all"  # the collection of every item; relations search it
# Collection names appear in the form's addresses and in branch names (cms/<name>/…): ASCII.
COLLECTION_NAMES = {
    "规章": "guizhang",
    "行政规范性文件": "guifan",
    "其他文件": "qita",
    "政策解读": "jiedu",
    "征求意见": "zhengqiu",
    "年度报告": "nianbao",
    "一般信息": "yiban",
}
POLICY_KEYS = ("status", "effective", "expires", "abolished", "revised_by", "replaces")
# Which optional keys each document type's form shows (全部条目 shows every key).
TYPE_KEYS = {
    "规章": POLICY_KEYS,
    "行政规范性文件": POLICY_KEYS,
    "其他文件": POLICY_KEYS,
    "政策解读": ("interprets", "interpretation_form"),
    "征求意见": ("consultation",),
    "年度报告": (),
    "一般信息": ("effective", "expires"),
}
COMMON = (
    "title",
    "index_no",
    "publisher",
    "published",
    "category",
    "summary",
    "doc_type",
    "doc_no",
    "written",
    "topics",
    "keywords",
)
TAIL = ("attachments", "privacy_ok")
DATE = {"widget": "datetime", "date_format": "YYYY-MM-DD", "time_format": False}


def decap_config(opts: Options, content: Content, backend: dict) -> dict:
    """The object given to CMS.init({config}); `backend` is Decap's backend section."""
    folder = f"{opts.docs_dir}/{opts.items_dir}"
    collections = [_collection(t, folder, content, t) for t in by_use(content)]
    collections.append(_collection(ALL, folder, content, None))
    return {
        "backend": backend,
        "load_config_file": False,
        "locale": "zh_Hans",
        "publish_mode": "editorial_workflow",
        "media_folder": f"{opts.docs_dir}/files",
        "public_folder": "/files",
        "logo_url": "../assets/xxgk/emblem.svg",
        # Uploaded files keep the clerk's name, Chinese included (authoring/attachments.py says why);
        # item files are named by `xxgk new`'s rule in local mode whatever Decap proposes.
        "slug": {"encoding": "unicode", "clean_accents": False},
        "collections": collections,
    }


# A site that has not published yet opens on what a county or department publishes most.
USUAL = ("其他文件", "行政规范性文件", "政策解读", "一般信息", "征求意见", "年度报告", "规章")


def by_use(content: Content) -> list[str]:
    """Document types, the ones this site publishes most first (the form opens on the first)."""
    counts = {t: 0 for t in F.DOC_TYPES}
    for item in content.items:
        kind = item.doc_type or "一般信息"
        counts[kind] = counts.get(kind, 0) + 1
    return sorted(F.DOC_TYPES, key=lambda t: (-counts[t], USUAL.index(t)))


def _collection(name: str, folder: str, content: Content, doc_type: str | None) -> dict:
    keys = COMMON + (TYPE_KEYS[doc_type] if doc_type else tuple(k for k in F.FIELDS if k not in COMMON + TAIL)) + TAIL
    fields = [_field(k, content, doc_type) for k in keys]
    fields.append(
        {
            "name": "body",
            "label": "正文",
            "widget": "markdown",
            "required": False,
            "hint": "附件请在上方“附件”中上传",
        }
    )
    coll = {
        "name": name if doc_type is None else _name(doc_type),
        "label": "全部条目" if doc_type is None else doc_type,
        "label_singular": "条目" if doc_type is None else doc_type,
        "folder": folder,
        "extension": "md",
        "format": "frontmatter",
        "create": doc_type is not None,
        "path": "{{year}}/{{publisher}}/{{slug}}",  # year of saving; local mode files by 发布日期
        "slug": "{{fields.index_no}}",
        "identifier_field": "index_no",
        "summary": "{{title}}（{{index_no}}）",
        "sortable_fields": ["published", "title", "index_no"],
        "media_folder": "files",
        "public_folder": "files",
        "fields": fields,
    }
    if doc_type is not None:
        coll["filter"] = {"field": "doc_type", "value": doc_type}
    return coll


def _name(doc_type: str) -> str:
    return COLLECTION_NAMES[doc_type]


def _field(key: str, content: Content, doc_type: str | None) -> dict:
    spec = F.FIELDS[key]
    out: dict = {
        "name": key,
        "label": spec.label,
        "hint": spec.hint,
        "required": spec.required or _required_for(spec, doc_type),
    }
    out.update(_widget(key, spec, content, doc_type))
    return out


def _required_for(spec: F.Field, doc_type: str | None, part: str = "") -> bool:
    """Required in this document type's form (or, with `part`, that part of it): a form cannot
    make a field depend on another's value, so only a `When` on the document type is shown."""
    when = spec.required_when
    if when is None or when.key != "doc_type" or when.value != doc_type:
        return False
    return not part or not when.parts or part in when.parts


def _widget(key: str, spec: F.Field, content: Content, doc_type: str | None) -> dict:
    if key == "doc_type" and doc_type:
        return {"widget": "hidden", "default": doc_type}
    if key == "index_no":
        return {"widget": "xxgk-index-no"}
    if key == "publisher":
        deps = list(content.departments.values())
        return {**_select([(d.id, d.name) for d in deps]), **({"default": deps[0].id} if len(deps) == 1 else {})}
    if key == "category":
        nodes = [(n.id, " › ".join([a.name for a in n.ancestors] + [n.name])) for n in content.catalog.walk()]
        default = next((n.id for n in content.catalog.walk() if n.name == doc_type), None)
        return {**_select(nodes), **({"default": default} if default else {})}
    if key == "topics":
        return {**_select([(t, t) for t in content.topics]), "multiple": True}
    if key == "keywords":
        return {"widget": "list"}
    if key in ("interprets", "revised_by", "replaces"):
        return _relation(multiple=key == "interprets")
    if spec.kind in ("date", "moment"):
        return {**DATE, **({"default": "{{now}}"} if key == "published" else {})}
    if spec.kind == "enum":
        return _select([(c, c) for c in spec.choices])
    if key == "abolished":
        return _object(
            [
                # Decap checks a required sub-field even when the whole object is left empty, so
                # the label says it and the local server refuses a save without it (E-code of load).
                _sub("date", "废止日期（填写废止信息时必填）", DATE),
                _sub("by", "废止依据", _relation()),
                _sub("reason", "废止原因", {"widget": "string"}),
            ]
        )
    if key == "consultation":
        return _object(
            [
                _sub("start", "开始日期", DATE, _required_for(spec, doc_type, "start")),
                _sub("end", "截止日期", DATE, _required_for(spec, doc_type, "end")),
                _sub("feedback", "意见采纳情况反馈", _relation()),
            ]
        )
    if key == "attachments":
        return {
            "widget": "list",
            "collapsed": False,
            "fields": [
                _sub("file", "附件文件", {"widget": "file", "choose_url": False}, True),
                _sub("title", "附件名称", {"widget": "string"}),  # empty: the file's name (normalise.py)
            ],
        }
    if key == "privacy_ok":
        return {
            "widget": "list",
            "collapsed": True,
            "fields": [
                _sub("value", "原文", {"widget": "string"}, True),
                _sub("reason", "可以公开的理由", {"widget": "string"}, True),
            ],
        }
    return {
        "widget": "text" if key == "summary" else "string",
        **({"pattern": DOC_NO_PATTERN} if key == "doc_no" else {}),
    }


DOC_NO_PATTERN = [r"^(?!.*[\[(（【［]\d{4}[\])）】］]).*$", "年份请用全角六角括号〔〕，例如 云政规〔2026〕1号"]


def _select(options: list[tuple[str, str]]) -> dict:
    return {"widget": "select", "options": [{"value": v, "label": lab} for v, lab in options]}


def _relation(multiple: bool = False) -> dict:
    return {
        "widget": "relation",
        "collection": ALL,
        "value_field": "index_no",
        "search_fields": ["title", "doc_no", "index_no"],
        "display_fields": ["{{title}}（{{index_no}}）"],
        "multiple": multiple,
        "options_length": 50,
    }


def _object(fields: list[dict]) -> dict:
    return {"widget": "object", "collapsed": True, "fields": fields}


def _sub(name: str, label: str, widget: dict, required: bool = False) -> dict:
    return {"name": name, "label": label, "required": required, **widget}


def next_index_numbers(opts: Options, content: Content, today: dt.date) -> dict:
    """{publisher id: {year: next free index_no}} for the form's proposal (next_index_no decides)."""
    existing = [i.index_no for i in content.items if i.index_no]
    years = {i.published.year for i in content.items if i.published} | {today.year, today.year + 1}
    table: dict = {}
    for dep in content.departments.values():
        for year in sorted(years):
            try:
                table.setdefault(dep.id, {})[str(year)] = next_index_no(opts.index_no_re, dep.org_code, year, existing)
            except ScaffoldError:
                pass
    return table
