"""The watch on every member: what the 政务公开办 must act on, for the 监测 page and
`xxgk portal-status`. Each finding names the member and says what to do.

The column checks are `xxgk inspect`'s (output/inspection.py), on each member's descriptor:
periodic 公开时限 (每年X月X日前, 每季度, 每月, 每周) are judged against the node's newest item,
the 19号 single-veto risks (W242) and the annual report's due date alike. Event-driven 公开时限
(信息形成之日起20个工作日内) cannot be judged from a catalog and fall under the member's
staleness (`stale_days`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xxgk.output import descriptor, inspection
from xxgk.portal.config import Portal
from xxgk.portal.read import CACHED, MISSING, Read, unmergeable


@dataclass
class Finding:
    member: str  # member id
    name: str  # member name
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"member": self.member, "name": self.name, "code": self.code, "message": self.message}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def member_findings(r: Read, portal: Portal, as_of: dt.date, now: dt.datetime) -> list[Finding]:
    def f(code: str, message: str) -> Finding:
        return Finding(r.member.id, r.name, code, message)

    if r.state == MISSING:
        return [f("W602", f"无法读取，本次未列入门户：{r.problems[0]}")]
    out = []
    if r.state == CACHED:
        out.append(
            f(
                "W601",
                f"无法读取（{r.problems[0]}），门户使用 {r.read_at:%Y-%m-%d %H:%M} 保存的副本；"
                "请检查该站点的构建和发布",
            )
        )
    if r.cleaned:
        shown = "；".join(r.cleaned[:3]) + (f" 等 {len(r.cleaned)} 处" if len(r.cleaned) > 3 else "")
        out.append(
            f(
                "W611",
                f"数据中含不可见的控制字符，门户已将其删除后显示：{shown}；"
                "请该站删除这些字符后重新构建（常见于从网页或其他软件复制的文字）",
            )
        )
    site = r.site
    if r.format < 2:
        out.append(
            f(
                "W604",
                f"描述文件为第 {r.format} 版（xxgk {site['xxgk_version']}），缺少栏目更新日期和年度报告信息，"
                "无法判断栏目更新和年报发布；请该站升级 xxgk 后重新构建",
            )
        )
    elif r.format < descriptor.FORMAT:
        out.append(
            f(
                "W604",
                f"描述文件为第 {r.format} 版（xxgk {site['xxgk_version']}），缺少年报表二第（五）（六）（八）项和表三、表四，"
                "门户统计不含其这些数字；请该站升级 xxgk 后重新构建",
            )
        )
    newest = _date(site["newest"])
    if newest is None or (as_of - newest).days > portal.stale_days:
        when = f"最新条目发布于 {newest.isoformat()}，已 {(as_of - newest).days} 天" if newest else "没有任何条目"
        out.append(f("W605", f"{when}未更新（超过 {portal.stale_days} 天）；请督促该单位及时发布"))
    built = dt.datetime.fromisoformat(site["built_at"])
    if (now - built).days > portal.build_days:
        out.append(
            f("W606", f"最近一次构建在 {built:%Y-%m-%d %H:%M}，已超过 {portal.build_days} 天；请检查该站点的持续构建")
        )
    empty = inspection.empty_columns(site["catalog"])
    if empty:
        out.append(f("W607", f"空栏目：{inspection.names(empty)}；请补充内容，确无信息的栏目应说明"))
    if r.format >= 2:
        late = inspection.late_columns(site["catalog"], as_of)
        if late:
            out.append(f("W608", f"未按公开时限更新：{inspection.names(late)}（按各栏目的公开时限判断）；请督促更新"))
        for report in inspection.annual_report(site["catalog"], site["annual"], as_of):
            if report.check == inspection.ANNUAL_MISSING:  # a late one is there: nothing left to chase
                out.append(f("W609", report.message))
        vetoes = [x for x in inspection.columns(site["catalog"], site["newest"], as_of) if x.level == inspection.VETO]
        for veto in vetoes:
            out.append(f("W242", f"单项否决风险（{veto.check}）：{veto.message}"))
    return out


def findings(reads: list[Read], portal: Portal, as_of: dt.date, now: dt.datetime) -> list[Finding]:
    out = [x for r in reads for x in member_findings(r, portal, as_of, now)]
    for r in reads:
        why = r.usable and unmergeable(r)
        if why:
            out.append(Finding(r.member.id, r.name, "W610", f"{why}；请该站升级 xxgk 后重新构建"))
    return out
