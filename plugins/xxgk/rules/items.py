"""Item and catalog rules: identity, references, the catalog, interpretations, status,
revisions and consultations. Each rule is a small function yielding Problems with a stable code."""

from __future__ import annotations

from collections import defaultdict

from xxgk.core import safetext
from xxgk.core.fields import POLICY_TYPES
from xxgk.core.model import ERROR, Item, Problem
from xxgk.rules.base import Context, problem_at


def _items(ctx: Context):
    return ctx.content.items


# ---------------------------------------------------------------- identity


def duplicate_index_no(ctx: Context):
    seen: dict[str, list[Item]] = defaultdict(list)
    for item in _items(ctx):
        if item.index_no:
            seen[item.index_no].append(item)
    for index_no, group in seen.items():
        if len(group) > 1:
            for item in group:
                others = "、".join(f"{o.path}:{o.line_of('index_no')}" for o in group if o is not item)
                yield problem_at(
                    item,
                    "index_no",
                    "E104",
                    f"索引号 {index_no} 与 {others} 重复；索引号全站唯一，请为新条目取下一个未用的序号",
                )


def same_agency(org: str, code: str) -> bool:
    """The 索引号's org code is the department's: its 统一社会信用代码, or the 9-character 组织机构代码
    that code carries in characters 9–17 (what older 索引号 of the same agency use, `42820293-0` too)."""
    return org == code or (len(code) == 18 and org.replace("-", "") == code[8:17])


def index_no_shape(ctx: Context):
    pattern = ctx.opts.index_no_re
    for item in _items(ctx):
        if not item.index_no:
            continue
        unsafe = safetext.identity_problem(item.index_no, "索引号")  # it becomes items/<索引号>/
        if unsafe is not None:  # whatever the site's pattern allows
            yield problem_at(item, "index_no", "E115", unsafe)
            continue
        m = pattern.fullmatch(item.index_no)
        if not m:
            yield problem_at(
                item,
                "index_no",
                "E105",
                f"索引号“{item.index_no}”格式不对，应为“机构代码/年份-五位序号”，例如 11990100MB0000001T/2024-00001；"
                "从旧站导入的索引号是别的格式时，在 mkdocs.yml 的 index_no_pattern 中写明（见 docs/migrate.md）",
            )
            continue
        dep = ctx.content.departments.get(item.publisher)
        org = m.groupdict().get("org")
        if dep and org is not None and not same_agency(org, dep.org_code):
            yield problem_at(
                item,
                "index_no",
                "E106",
                f"索引号的机构代码 {org} 不是发布机构 {dep.name} 的代码 {dep.org_code}；请改用 {dep.org_code}/…",
            )
        year = m.groupdict().get("year")
        if year and item.published and int(year) != item.published.year:
            yield problem_at(
                item,
                "index_no",
                "W205",
                f"索引号年份 {year} 与发布日期 {item.published.isoformat()} 的年份不同，请确认",
            )


# ---------------------------------------------------------------- references


def known_references(ctx: Context):
    nodes = {n.id for n in ctx.content.catalog.walk()}
    topics = set(ctx.content.topics)
    for item in _items(ctx):
        if item.publisher and item.publisher not in ctx.content.departments:
            yield problem_at(
                item,
                "publisher",
                "E107",
                f"发布机构 {item.publisher} 不在 catalog/departments.yml 中；请使用已有的 id，或先在该文件中添加",
            )
        if item.category and item.category not in nodes:
            yield problem_at(
                item,
                "category",
                "E108",
                f"目录分类 {item.category} 不在 catalog/catalog.yml 中；请使用目录中某个节点的 id",
            )
        for topic in item.topics:
            if topic not in topics:
                yield problem_at(
                    item, "topics", "E109", f"主题分类“{topic}”不在 catalog/topics.yml 中；请照该文件中的名称逐字填写"
                )


def catalog_departments(ctx: Context):
    deps = ctx.content.departments
    for node in ctx.content.catalog.walk():
        if node.department and node.department not in deps:
            yield Problem(
                ctx.content.catalog.path,
                node.line,
                "E135",
                f"目录节点 {node.id} 的责任部门 {node.department} 不在 departments.yml 中",
            )


def empty_nodes(ctx: Context):
    for node in ctx.content.catalog.walk():
        if not ctx.rel.by_category.get(node.id):
            yield Problem(
                ctx.content.catalog.path,
                node.line,
                "W202",
                f"目录节点“{node.name}”（{node.id}）暂无信息；空栏目会在检查中扣分，请补充或确认",
            )


def home_is_generated(ctx: Context):
    if "index.md" in ctx.content.pages:
        yield Problem(
            f"{ctx.opts.docs_dir}/index.md", 1, "E136", "首页由 xxgk 生成，请把 index.md 改名（例如 about.md）"
        )


# ---------------------------------------------------------------- lifecycle


def interpretations(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        if item.doc_type == "政策解读" and not item.interprets:
            yield problem_at(item, "doc_type", "E128", "政策解读须在 interprets 中写明所解读文件的索引号")
        for target in item.interprets:
            if target not in by_no:
                yield problem_at(
                    item,
                    "interprets",
                    "E120",
                    f"所解读文件 {target} 不存在；请核对（应为本站已发布条目的索引号或发文字号）",
                )


def uninterpreted_policies(ctx: Context):
    code = "E129" if ctx.opts.uninterpreted_policy == ERROR else "W203"
    for item in _items(ctx):
        if item.doc_type in POLICY_TYPES and item.index_no not in ctx.rel.interpretations:
            yield problem_at(
                item,
                "doc_type",
                code,
                f"{item.doc_type}尚无政策解读；按“谁起草、谁解读”应同步发布解读，"
                "解读条目用 interprets 指向本文件的索引号",
            )


def status_fields(ctx: Context):
    for item in _items(ctx):
        if item.status == "废止" and not (item.abolished and item.abolished.date):
            yield problem_at(
                item, "status", "E121", "有效性为废止，但未写废止日期；请补 abolished: {date: 废止日期, by: 废止依据}"
            )
        if item.status == "已修订" and not item.revised_by:
            yield problem_at(item, "status", "E122", "有效性为已修订，但未写 revised_by（修订后文件的索引号）")
        if item.effective and item.expires and item.expires < item.effective:
            yield problem_at(
                item,
                "expires",
                "E125",
                f"有效期至 {item.expires.isoformat()} 早于施行日期 {item.effective.isoformat()}，请核对",
            )
        if item.written and item.published and item.published < item.written:
            yield problem_at(
                item,
                "published",
                "E126",
                f"发布日期 {item.published.isoformat()} 早于成文日期 {item.written.isoformat()}，请核对",
            )


def revisions(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        for key, back in (("revised_by", "replaces"), ("replaces", "revised_by")):
            target = getattr(item, key)
            if target and target not in by_no:
                yield problem_at(item, key, "E127", f"{key} 指向的文件 {target} 不存在；请核对索引号或发文字号")
            other = by_no.get(target)
            points_back = getattr(other, back, None)
            if other is not None and points_back and by_no.get(points_back) is not item:
                yield problem_at(
                    item,
                    key,
                    "E123",
                    f"{key} 指向 {other.index_no}，但该文件的 {back} 写的是 {points_back}；两边应互相一致",
                )


def consultations(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        c = item.consultation
        if item.doc_type == "征求意见" and not (c and c.start and c.end):
            yield problem_at(
                item,
                "consultation" if c else "doc_type",
                "E137",
                "征求意见须写明征求意见期：consultation: {start: 开始日期, end: 截止日期}",
            )
        if c and c.start and c.end and c.end < c.start:
            yield problem_at(item, "consultation", "E138", "征求意见截止日期早于开始日期，请核对")
        if c and c.feedback and c.feedback not in by_no:
            yield problem_at(
                item,
                "consultation",
                "E127",
                f"consultation.feedback 指向的文件 {c.feedback} 不存在；请核对意见采纳情况反馈条目的索引号或发文字号",
            )


def future_abolition(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        ab = item.abolished
        if not ab:
            continue
        by = by_no.get(ab.by)
        late = [d for d in (ab.date, by.published if by else None) if d and d > ctx.rel.as_of]
        if late:
            yield problem_at(
                item,
                "abolished",
                "W204",
                f"废止依据或废止日期（{max(late).isoformat()}）晚于本次构建的基准日期 {ctx.rel.as_of.isoformat()}；"
                "在此之前页面仍显示有效，请确认",
            )


RULES = (
    duplicate_index_no,
    index_no_shape,
    known_references,
    catalog_departments,
    empty_nodes,
    home_is_generated,
    interpretations,
    uninterpreted_policies,
    status_fields,
    revisions,
    consultations,
    future_abolition,
)
