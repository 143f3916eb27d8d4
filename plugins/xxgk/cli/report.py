"""What `xxgk check` prints: problems and, with --base, the review summary — as text,
Markdown (for a pull-request comment) or JSON (for tools)."""

from __future__ import annotations

import json

from xxgk.cli.review import Review, field_label
from xxgk.core.model import Item, Problem

FORMATS = ("text", "markdown", "json")


def _fields(keys: list[str]) -> str:
    return "、".join(field_label(k) for k in keys)


def counts_line(review: Review) -> str:
    return (
        f"与 {review.base} 相比：新增 {len(review.added)} 个条目，有效性变化 {len(review.status_changed)} 个，"
        f"元数据修改 {len(review.metadata_changed)} 个，正文修改 {len(review.body_changed)} 个，"
        f"移动 {len(review.moved)} 个"
    )


def _sections(review: Review):
    """(heading, rows) where each row is (index_no, title, detail)."""
    yield "新增条目", [(i.index_no, i.title, f"{i.doc_type}，{i.path}") for i in review.added]
    yield "有效性变化", [(i.index_no, i.title, f"{old} → {new}") for i, old, new in review.status_changed]
    yield "元数据修改", [(i.index_no, i.title, _fields(keys)) for i, keys in review.metadata_changed]
    yield "正文修改", [(i.index_no, i.title, i.path) for i in review.body_changed]
    yield "移动的文件", [(i.index_no, i.title, f"{old} → {i.path}") for old, i in review.moved]


def _wording_rows(review: Review) -> list[tuple[str, str]]:
    """(heading, line) of the wording findings in the changed items and the 用语放行 in them."""
    rows = [("本次改动中的用语问题", str(p)) for p in review.wording]
    rows += [
        ("本次改动中的用语放行（请审核理由）", f"{i.path}：“{a.text}”，理由：{a.reason}") for i, a in review.accepted
    ]
    return rows


CASES = "改动的未办结依申请公开案件"


def text(problems: list[Problem], review: Review | None) -> str:
    lines = [str(p) for p in problems]
    if review is not None:
        heading = ""
        for head, row in _wording_rows(review):
            if head != heading:
                lines.append(f"{head}：")
                heading = head
            lines.append(f"  {row}")
        lines += ["", counts_line(review)] if lines else [counts_line(review)]
        for heading, rows in _sections(review):
            if rows:
                lines.append(f"{heading}：")
                lines += [f"  {no}  {title}：{detail}" for no, title, detail in rows]
        if review.cases:
            lines.append(f"{CASES}：")
            lines += [f"  {no}  {state}  答复期限 {due}" for no, state, due in review.cases]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown(problems: list[Problem], review: Review | None) -> str:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    title = "## xxgk 内容检查" + (f"与审核摘要（对比 `{review.base}`）" if review else "")
    out = [title, ""]
    out.append(f"❌ **{len(errors)} 个错误**，修改后才能合并。" if errors else "✅ 内容检查通过，没有错误。")
    heading = ""
    for head, row in _wording_rows(review) if review else ():  # new wording findings first
        if head != heading:
            out += ["", f"### {head}", ""]
            heading = head
        out.append(f"- {_cell(row)}")
    for heading, group in (("错误", errors), ("警告", warnings)):
        if group:
            out += ["", f"### {heading}（{len(group)}）", ""]
            out += [f"- `{p.path}:{p.line}` **{p.code}** {_cell(p.message)}" for p in group]
    if review is not None:
        out += ["", counts_line(review)]
        for heading, rows in _sections(review):
            if rows:
                out += ["", f"### {heading}（{len(rows)}）", "", "| 索引号 | 标题 | 说明 |", "|---|---|---|"]
                out += [f"| {_cell(no)} | {_cell(t)} | {_cell(d)} |" for no, t, d in rows]
        if review.cases:
            out += ["", f"### {CASES}（{len(review.cases)}）", "", "| 案号 | 状态 | 答复期限 |", "|---|---|---|"]
            out += [f"| {_cell(no)} | {_cell(s)} | {_cell(d)} |" for no, s, d in review.cases]
    return "\n".join(out)


def _item(item: Item) -> dict:
    return {"index_no": item.index_no, "title": item.title, "path": item.path, "doc_type": item.doc_type}


def as_json(problems: list[Problem], review: Review | None) -> str:
    data = {
        "errors": sum(p.is_error for p in problems),
        "warnings": sum(not p.is_error for p in problems),
        "problems": [
            {"path": p.path, "line": p.line, "code": p.code, "message": p.message, "severity": p.severity}
            for p in problems
        ],
        "review": None
        if review is None
        else {
            "base": review.base,
            "added": [_item(i) for i in review.added],
            "status_changed": [{**_item(i), "from": old, "to": new} for i, old, new in review.status_changed],
            "metadata_changed": [{**_item(i), "fields": keys} for i, keys in review.metadata_changed],
            "body_changed": [_item(i) for i in review.body_changed],
            "moved": [{**_item(i), "from": old} for old, i in review.moved],
            "wording": [{"path": p.path, "line": p.line, "code": p.code, "message": p.message} for p in review.wording],
            "accepted": [{**_item(i), "text": a.text, "reason": a.reason} for i, a in review.accepted],
            "cases": [{"case": no, "state": s, "answer_due": d} for no, s, d in review.cases],
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


RENDER = {"text": text, "markdown": markdown, "json": as_json}
