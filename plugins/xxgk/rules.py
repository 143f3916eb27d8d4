"""The content checks. Each rule is a small function yielding Problems with a stable code.

Codes: E1xx errors stop the build; W2xx warnings are printed. Field shapes
(E101–E112) are reported while loading (load.py); everything that needs the
catalog or other items is here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from .fields import POLICY_TYPES
from .load import Content
from .model import ERROR, WARNING, Item, Problem
from .options import Options
from .relate import Relations


@dataclass
class Context:
    content: Content
    rel: Relations
    opts: Options


Rule = Callable[[Context], Iterable[Problem]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def check(content: Content, rel: Relations, opts: Options) -> list[Problem]:
    """Every problem in the site, loading problems included, in file and line order."""
    ctx = Context(content, rel, opts)
    found = list(content.problems)
    for fn in RULES:
        found.extend(fn(ctx))
    return sorted(set(found))


def _p(item: Item, key: str, code: str, message: str, severity: str = ERROR) -> Problem:
    return Problem(item.path, item.line_of(key), code, message, severity)


def _items(ctx: Context):
    return ctx.content.items


# ---------------------------------------------------------------- identity


@rule
def duplicate_index_no(ctx: Context):
    seen: dict[str, list[Item]] = defaultdict(list)
    for item in _items(ctx):
        if item.index_no:
            seen[item.index_no].append(item)
    for index_no, group in seen.items():
        if len(group) > 1:
            for item in group:
                others = "、".join(f"{o.path}:{o.line_of('index_no')}" for o in group if o is not item)
                yield _p(item, "index_no", "E104",
                         f"索引号 {index_no} 与 {others} 重复；索引号全站唯一，请为新条目取下一个未用的序号")


@rule
def index_no_shape(ctx: Context):
    pattern = ctx.opts.index_no_re
    for item in _items(ctx):
        if not item.index_no:
            continue
        m = pattern.fullmatch(item.index_no)
        if not m:
            yield _p(item, "index_no", "E105",
                     f"索引号“{item.index_no}”格式不对，应为“机构代码/年份-五位序号”，例如 11990100MB0000001A/2024-00001")
            continue
        dep = ctx.content.departments.get(item.publisher)
        org = m.groupdict().get("org")
        if dep and org is not None and org != dep.org_code:
            yield _p(item, "index_no", "E106",
                     f"索引号的机构代码 {org} 不是发布机构 {dep.name} 的代码 {dep.org_code}；请改用 {dep.org_code}/…")
        year = m.groupdict().get("year")
        if year and item.published and int(year) != item.published.year:
            yield _p(item, "index_no", "W205",
                     f"索引号年份 {year} 与发布日期 {item.published.isoformat()} 的年份不同，请确认", WARNING)


# ---------------------------------------------------------------- references


@rule
def known_references(ctx: Context):
    nodes = {n.id for n in ctx.content.catalog.walk()}
    topics = set(ctx.content.topics)
    for item in _items(ctx):
        if item.publisher and item.publisher not in ctx.content.departments:
            yield _p(item, "publisher", "E107",
                     f"发布机构 {item.publisher} 不在 catalog/departments.yml 中；请使用已有的 id，或先在该文件中添加")
        if item.category and item.category not in nodes:
            yield _p(item, "category", "E108",
                     f"目录分类 {item.category} 不在 catalog/catalog.yml 中；请使用目录中某个节点的 id")
        for topic in item.topics:
            if topic not in topics:
                yield _p(item, "topics", "E109",
                         f"主题分类“{topic}”不在 catalog/topics.yml 中；请照该文件中的名称逐字填写")


@rule
def catalog_departments(ctx: Context):
    deps = ctx.content.departments
    for node in ctx.content.catalog.walk():
        if node.department and node.department not in deps:
            yield Problem(ctx.content.catalog.path, node.line, "E135",
                          f"目录节点 {node.id} 的责任部门 {node.department} 不在 departments.yml 中")


@rule
def empty_nodes(ctx: Context):
    for node in ctx.content.catalog.walk():
        if not ctx.rel.by_category.get(node.id):
            yield Problem(ctx.content.catalog.path, node.line, "W202",
                          f"目录节点“{node.name}”（{node.id}）暂无信息；空栏目会在检查中扣分，请补充或确认", WARNING)


@rule
def home_is_generated(ctx: Context):
    if "index.md" in ctx.content.pages:
        yield Problem(f"{ctx.opts.docs_dir}/index.md", 1, "E136",
                      "首页由 xxgk 生成，请把 index.md 改名（例如 about.md）")


# ---------------------------------------------------------------- lifecycle


@rule
def interpretations(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        if item.doc_type == "政策解读" and not item.interprets:
            yield _p(item, "doc_type", "E128", "政策解读须在 interprets 中写明所解读文件的索引号")
        for target in item.interprets:
            if target not in by_no:
                yield _p(item, "interprets", "E120",
                         f"所解读文件 {target} 不存在；请核对索引号（应为本站已发布条目的索引号）")


@rule
def uninterpreted_policies(ctx: Context):
    severity = ctx.opts.uninterpreted_policy
    for item in _items(ctx):
        if item.doc_type in POLICY_TYPES and item.index_no not in ctx.rel.interpretations:
            yield _p(item, "doc_type", "E129" if severity == ERROR else "W203",
                     f"{item.doc_type}尚无政策解读；按“谁起草、谁解读”应同步发布解读，"
                     "解读条目用 interprets 指向本文件的索引号", severity)


@rule
def status_fields(ctx: Context):
    for item in _items(ctx):
        if item.status == "废止" and not (item.abolished and item.abolished.date):
            yield _p(item, "status", "E121", "有效性为废止，但未写废止日期；请补 abolished: {date: 废止日期, by: 废止依据}")
        if item.status == "已修订" and not item.revised_by:
            yield _p(item, "status", "E122", "有效性为已修订，但未写 revised_by（修订后文件的索引号）")
        if item.effective and item.expires and item.expires < item.effective:
            yield _p(item, "expires", "E125",
                     f"有效期至 {item.expires.isoformat()} 早于施行日期 {item.effective.isoformat()}，请核对")
        if item.written and item.published and item.published < item.written:
            yield _p(item, "published", "E126",
                     f"发布日期 {item.published.isoformat()} 早于成文日期 {item.written.isoformat()}，请核对")


@rule
def revisions(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        for key in ("revised_by", "replaces"):
            target = getattr(item, key)
            if target and target not in by_no:
                yield _p(item, key, "E127", f"{key} 指向的索引号 {target} 不存在；请核对")
        new = by_no.get(item.revised_by)
        if new is not None and new.replaces and new.replaces != item.index_no:
            yield _p(item, "revised_by", "E123",
                     f"revised_by 指向 {new.index_no}，但该文件的 replaces 写的是 {new.replaces}；两边应互相一致")
        old = by_no.get(item.replaces)
        if old is not None and old.revised_by and old.revised_by != item.index_no:
            yield _p(item, "replaces", "E123",
                     f"replaces 指向 {old.index_no}，但该文件的 revised_by 写的是 {old.revised_by}；两边应互相一致")
        if _in_cycle(item, by_no):
            yield _p(item, "replaces" if item.replaces else "revised_by", "E124",
                     "修订关系形成循环（新旧版本互相指向）；replaces 应指向更早的版本")


def _in_cycle(item: Item, by_no: dict[str, Item]) -> bool:
    seen, cur = set(), item
    while cur is not None and cur.replaces:
        if cur.replaces == item.index_no:
            return True
        if cur.index_no in seen:
            return False
        seen.add(cur.index_no)
        cur = by_no.get(cur.replaces)
    return False


@rule
def consultations(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        c = item.consultation
        if item.doc_type == "征求意见" and not (c and c.start and c.end):
            yield _p(item, "consultation" if c else "doc_type", "E137",
                     "征求意见须写明征求意见期：consultation: {start: 开始日期, end: 截止日期}")
        if c and c.start and c.end and c.end < c.start:
            yield _p(item, "consultation", "E138", "征求意见截止日期早于开始日期，请核对")
        if c and c.feedback and c.feedback not in by_no:
            yield _p(item, "consultation", "E127",
                     f"consultation.feedback 指向的索引号 {c.feedback} 不存在；请核对意见采纳情况反馈条目的索引号")


@rule
def future_abolition(ctx: Context):
    by_no = ctx.rel.by_index_no
    for item in _items(ctx):
        ab = item.abolished
        if not ab:
            continue
        by = by_no.get(ab.by)
        late = [d for d in (ab.date, by.published if by else None) if d and d > ctx.rel.as_of]
        if late:
            yield _p(item, "abolished", "W204",
                     f"废止依据或废止日期（{max(late).isoformat()}）晚于本次构建的基准日期 {ctx.rel.as_of.isoformat()}；"
                     "在此之前页面仍显示有效，请确认", WARNING)


from . import attachments, privacy  # noqa: E402,F401  (their rules register themselves here)
from . import stats, timeliness  # noqa: E402,F401  (annual-report figures, 20-working-day rule)
