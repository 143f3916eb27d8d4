"""Self-inspection against the 19号 checklist (《政府网站与政务新媒体检查指标》国办秘函〔2019〕19号),
for everything a build can know. `xxgk inspect` runs it on one site; the portal's watch runs
the column checks (`columns`, `annual_report`) on every member's descriptor, so both judge alike.

Single vetoes (单项否决) a site can see in itself: the home page not updated for 2 weeks; 动态/要闻
columns not updated for 2 weeks; 5 or more 通知公告/政策文件 first-level columns not updated for
6 months; 10 or more columns that should update and did not; 5 or more empty columns. Scored
items (扣分): broken links, privacy findings, missing page elements, 解读 coverage and timing,
the annual report on time (条例第四十九条), publication within 20 working days (第二十六条).

The column checks read the descriptor's catalog tree (output/descriptor.catalog): nodes with
`name`, `count`, `newest`, `deadline`, `children`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from xxgk.core import stats
from xxgk.core.columns import column_type
from xxgk.core.fields import POLICY_TYPES
from xxgk.core.model import Problem
from xxgk.core.site import Site
from xxgk.output import descriptor

VETO, SCORE = "veto", "score"  # a single-veto risk; a deduction
HOME_DAYS = 14  # 首页 not updated for 2 weeks
NEWS_DAYS = 14  # 动态、要闻 columns
FIRST_LEVEL_DAYS = 183  # 通知公告、政策文件 first-level columns: 6 months …
FIRST_LEVEL_VETO = 5  # … in 5 or more of them
LATE_VETO = 10  # columns that should update and did not
EMPTY_VETO = 5  # empty columns
INTERPRET_DAYS = 3  # 解读 later than this many working days after its policy is not 同步
ANNUAL_DUE = (1, 31)  # a department's report (条例第四十九条); the 年报 node's deadline may say otherwise
PERIODS = (("每半年", 183), ("每季度", 92), ("每月", 31), ("每周", 7), ("每年", 366))
YEARLY_BY = re.compile(r"每年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
SHOWN = 8  # column names listed in one finding
ANNUAL_MISSING, ANNUAL_LATE = "年度报告发布", "年度报告按时发布"  # two checks: the watch chases only the first
PRIVACY = ("E140", "E141", "E142", "E145", "W210")
WORDING = ("E500", "E501", "E502", "E503")  # 严重表述错误 (rules/wording.py): a single veto


@dataclass
class Finding:
    level: str  # VETO | SCORE
    check: str  # the checklist item, in its words
    message: str  # what was found and what to do
    columns: list[dict] = field(default_factory=list)  # [{name, newest, count}] where it is about columns

    def as_dict(self) -> dict:
        return {"level": self.level, "check": self.check, "message": self.message, "columns": self.columns}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def due_since(deadline: str, as_of: dt.date) -> dt.date | None:
    """The date a node's newest item must be on or after, for a periodic 公开时限; else None."""
    m = YEARLY_BY.search(deadline)
    if m:
        try:
            due = dt.date(as_of.year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        if due > as_of:
            due = due.replace(year=due.year - 1)
        return due - dt.timedelta(days=365)
    for word, days in PERIODS:
        if word in deadline:
            return as_of - dt.timedelta(days=days)
    return None


def _walk(nodes: list[dict], parents: tuple[str, ...] = ()) -> Iterator[tuple[dict, tuple[str, ...]]]:
    for node in nodes:
        yield node, parents
        yield from _walk(node["children"], (*parents, node["name"]))


def leaves(nodes: list[dict]) -> list[dict]:
    return [n for n, _ in _walk(nodes) if not n["children"]]


def _kind(node: dict, parents: tuple[str, ...]) -> str:
    return column_type([node["name"], *reversed(parents)])


def _shown(node: dict) -> dict:
    return {"name": node["name"], "newest": node["newest"], "count": node["count"]}


def names(nodes: list[dict]) -> str:
    shown = "、".join(n["name"] for n in nodes[:SHOWN])
    return shown + (f"等 {len(nodes)} 个栏目" if len(nodes) > SHOWN else "")


def _age(node: dict, as_of: dt.date) -> str:
    newest = _date(node["newest"])
    return (
        f"{node['name']}（最近更新 {newest.isoformat()}，{(as_of - newest).days} 天）"
        if newest
        else f"{node['name']}（无信息）"
    )


def empty_columns(catalog: list[dict]) -> list[dict]:
    return [n for n in leaves(catalog) if n["count"] == 0]


def late_columns(catalog: list[dict], as_of: dt.date) -> list[dict]:
    """Columns with a periodic 公开时限 whose newest item is older than it allows."""
    return [
        n
        for n in leaves(catalog)
        if n["count"] and (since := due_since(n["deadline"], as_of)) and n["newest"] < since.isoformat()
    ]


def _is_news(node: dict, parents: tuple[str, ...]) -> bool:
    """A 动态/要闻 column (2 weeks); 通知公告 is of the 工作动态 type but has the 6-month rule."""
    return _kind(node, parents) == "工作动态" and "通知公告" not in node["name"]


def _stale(node: dict, as_of: dt.date, days: int) -> bool:
    newest = _date(node["newest"])
    return newest is None or (as_of - newest).days > days


def columns(catalog: list[dict], newest: str | None, as_of: dt.date) -> list[Finding]:
    """The single-veto column checks on a descriptor's catalog tree."""
    out = []
    last = _date(newest)
    if last is None or (as_of - last).days > HOME_DAYS:
        when = f"最新信息发布于 {last.isoformat()}，已 {(as_of - last).days} 天" if last else "没有任何信息"
        out.append(Finding(VETO, "首页更新", f"首页{when}未更新（超过 {HOME_DAYS} 天即单项否决）；请发布新信息"))
    news = [n for n, up in _walk(catalog) if _is_news(n, up) and _stale(n, as_of, NEWS_DAYS)]
    if news:
        out.append(
            Finding(
                VETO,
                "动态、要闻类栏目更新",
                f"{'；'.join(_age(n, as_of) for n in news[:SHOWN])}：超过 {NEWS_DAYS} 天未更新即单项否决；请及时发布",
                [_shown(n) for n in news],
            )
        )
    first = [
        n
        for n in catalog
        if (_kind(n, ()) == "政策文件" or "通知公告" in n["name"]) and _stale(n, as_of, FIRST_LEVEL_DAYS)
    ]
    if first:
        veto = len(first) >= FIRST_LEVEL_VETO
        out.append(
            Finding(
                VETO if veto else SCORE,
                "通知公告、政策文件类一级栏目更新",
                f"{'；'.join(_age(n, as_of) for n in first[:SHOWN])}：超过 6 个月未更新"
                f"（{FIRST_LEVEL_VETO} 个及以上即单项否决，现 {len(first)} 个）；请及时发布",
                [_shown(n) for n in first],
            )
        )
    late = {id(n): n for n in late_columns(catalog, as_of)}
    late.update({id(n): n for n in news})
    if late:
        found = list(late.values())
        out.append(
            Finding(
                VETO if len(found) >= LATE_VETO else SCORE,
                "应更新未更新栏目",
                f"未按公开时限更新：{names(found)}（{LATE_VETO} 个及以上即单项否决，现 {len(found)} 个）；请督促更新",
                [_shown(n) for n in found],
            )
        )
    empty = empty_columns(catalog)
    if empty:
        out.append(
            Finding(
                VETO if len(empty) >= EMPTY_VETO else SCORE,
                "空白栏目",
                f"空白栏目：{names(empty)}（{EMPTY_VETO} 个及以上即单项否决，现 {len(empty)} 个）；"
                "请补充内容，确无信息的栏目应合并或说明",
                [_shown(n) for n in empty],
            )
        )
    return out


def annual_due(catalog: list[dict], year: int) -> dt.date:
    """When the report on `year` is due: the 年报 column's 公开时限 (每年3月31日前 for a 本级政府,
    条例第四十九条), else 1月31日 (a department's)."""
    for node, parents in _walk(catalog):
        if _kind(node, parents) == "信息公开年报" and (m := YEARLY_BY.search(node["deadline"])):
            try:
                return dt.date(year + 1, int(m.group(1)), int(m.group(2)))
            except ValueError:
                break
    return dt.date(year + 1, *ANNUAL_DUE)


def annual_report(catalog: list[dict], annual: list[dict], as_of: dt.date) -> list[Finding]:
    """The previous year's report, published by its due date (a descriptor's `annual` list)."""
    year = as_of.year - 1
    due = annual_due(catalog, year)
    entry = next((y for y in annual if y["year"] == year), None)
    report = entry["report"] if entry else None
    if report is None:
        if as_of <= due:
            return []
        return [
            Finding(SCORE, ANNUAL_MISSING, f"{year}年政府信息公开工作年度报告未在 {due.isoformat()} 前发布；请尽快发布")
        ]
    published = _date(report["published"])
    if published and published > due:
        return [
            Finding(
                SCORE,
                ANNUAL_LATE,
                f"{year}年年度报告发布于 {published.isoformat()}，晚于 {due.isoformat()}（条例第四十九条）",
            )
        ]
    return []


def _interpretation(site: Site) -> list[Finding]:
    rel, cal = site.rel, site.content.calendar
    policies = [i for i in rel.items if i.doc_type in POLICY_TYPES and rel.status_of(i).kind.in_force]
    missing = [p for p in policies if not rel.interpretations.get(p.index_no)]
    late = []
    for policy in policies:
        first = min((j.published for j in rel.interpretations.get(policy.index_no, []) if j.published), default=None)
        if first and policy.published and first > policy.published:
            span = (
                cal.working_days_after(policy.published, first)
                if cal.covers(policy.published, first)
                else (first - policy.published).days
            )
            if span > INTERPRET_DAYS:
                late.append((policy, first))
    out = []
    if missing:
        shown = "、".join(f"《{p.title}》" for p in missing[:SHOWN])
        out.append(
            Finding(
                SCORE,
                "政策解读覆盖",
                f"现行有效的 {len(policies)} 件规章、行政规范性文件中 {len(missing)} 件没有解读：{shown}；"
                "按“谁起草、谁解读”补发解读",
            )
        )
    if late:
        shown = "、".join(f"《{p.title}》（{p.published}，解读 {f}）" for p, f in late[:SHOWN])
        out.append(
            Finding(
                SCORE,
                "政策解读同步",
                f"{len(late)} 件文件的解读晚于文件 {INTERPRET_DAYS} 个工作日以上：{shown}；解读应与文件同步发布",
            )
        )
    return out


def _problems(site: Site, links: list[Problem] | None) -> list[Finding]:
    out = []
    if links:
        pages = len({p.path for p in links})
        out.append(
            Finding(SCORE, "链接可用性", f"{pages} 个页面共有 {len(links)} 个断链或错链（xxgk linkcheck 列出各处）")
        )
    privacy = [p for p in site.problems if p.code in PRIVACY]
    if privacy:
        shown = "；".join(f"{p.path}:{p.line} {p.code}" for p in privacy[:SHOWN])
        out.append(Finding(SCORE, "个人信息保护", f"{len(privacy)} 处可能泄露个人信息：{shown}；xxgk check 列出各处"))
    wording = [p for p in site.problems if p.code in WORDING]
    if wording:
        shown = "；".join(f"{p.path}:{p.line} {p.code}" for p in wording[:SHOWN])
        out.append(
            Finding(
                VETO,
                "严重表述错误",
                f"{len(wording)} 处疑似严重表述错误（已撤销机构的旧称、固定提法误写、领导职务、禁用语）：{shown}；"
                "xxgk check 逐条列出正确写法",
            )
        )
    typos = [p for p in site.problems if p.code == "W520"]
    if typos:
        out.append(Finding(SCORE, "错别字", f"{len(typos)} 处疑似错别字；xxgk check 逐条列出规范写法"))
    late = [p for p in site.problems if p.code == "W231"]
    if late:
        out.append(
            Finding(SCORE, "信息发布及时性", f"{len(late)} 条信息超过成文后 20 个工作日才公开（条例第二十六条）")
        )
    identity = [p.message.split("：")[0] for p in site.problems if p.code == "W240"]
    if not site.opts.site_url:
        identity.append("mkdocs.yml 未写 site_url（SiteDomain、Url 元数据和找错链接需要它）")
    if identity:
        out.append(Finding(SCORE, "页面必备要素", "；".join(identity) + "；见 README“页脚的网站身份”"))
    errors = [p for p in site.problems if p.is_error]
    if errors:
        out.append(
            Finding(SCORE, "内容检查", f"内容检查有 {len(errors)} 个错误，站点无法构建更新；运行 xxgk check 逐条修正")
        )
    return out


def inspect(site: Site, as_of: dt.date, links: list[Problem] | None = None) -> list[Finding]:
    """Every finding for one site on `as_of`, single-veto risks first. `links`: the link check
    of its built pages (None when the site is not built)."""
    catalog = descriptor.catalog(site)
    newest = site.rel.items[0].published.isoformat() if site.rel.items and site.rel.items[0].published else None
    annual = descriptor.annual(site) if any(i.doc_type == stats.REPORT_TYPE for i in site.rel.items) else []
    found = columns(catalog, newest, as_of) + annual_report(catalog, annual, as_of)
    found += _interpretation(site) + _problems(site, links)
    return sorted(found, key=lambda f: f.level != VETO)
