"""xxgk cases: the open 依申请公开 cases and their statutory deadlines on the site's calendar
(core/deadlines.py). Exit 1 when a case is past its answer deadline (E406), naming it, or when
the ledger itself is wrong; W440 a given number of working days before (case_warn_days)."""

from __future__ import annotations

import datetime as dt
import json
import sys

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, add_site_dir, date_arg, load_options
from xxgk.core import deadlines
from xxgk.core.holidays import load_holidays
from xxgk.core.ledger import Case, read_ledger
from xxgk.core.model import Problem
from xxgk.core.workdays import HOLIDAYS_FILE, WorkdayCalendar
from xxgk.rules.ledger import case_problems, ledger_folder


def register(sub) -> None:
    p = sub.add_parser("cases", help="依申请公开：列出未办结的申请及其法定期限（按工作日日历），超期时退出码为 1")
    add_site_dir(p)
    p.add_argument("--as-of", type=date_arg, help="按该日期计算（默认今天，或环境变量 XXGK_AS_OF）")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="输出格式，默认 text")
    p.set_defaults(func=run)


def calendar_of(opts) -> tuple[WorkdayCalendar, list[Problem]]:
    problems: list[Problem] = []
    shown = f"{opts.catalog_dir}/{HOLIDAYS_FILE}"
    return WorkdayCalendar(load_holidays(opts.catalog_path / HOLIDAYS_FILE, shown, problems), shown), problems


def open_clocks(cases: list[Case], cal: WorkdayCalendar, as_of: dt.date) -> list[deadlines.Clock]:
    """Cases received by as_of and not answered by it, the most urgent first."""
    clocks = [deadlines.clock(c, cal, as_of) for c in cases if c.received <= as_of and not c.answered_by(as_of)]
    far = dt.date.max
    return sorted(clocks, key=lambda k: (k.answer_due.due if k.answer_due else far, k.case.number))


def findings(clocks: list[deadlines.Clock], cal: WorkdayCalendar, as_of: dt.date, warn_days: int) -> list[Problem]:
    out = []
    for k in clocks:
        d = k.answer_due
        if d is None:
            continue
        if k.overdue(as_of):
            late = cal.count_after(d.due, as_of)[0]
            out.append(
                Problem(
                    k.case.path,
                    k.case.line_of("case"),
                    "E406",
                    f"案件 {k.case.number} 的答复期限是 {d.due.isoformat()}，已超过 {late} 个工作日（{d.note}）；"
                    "请立即答复，或核对台账是否漏记了补正、征求第三方意见或延期",
                )
            )
        elif (left := k.days_left(cal, as_of)) is not None and left <= warn_days:
            out.append(
                Problem(
                    k.case.path,
                    k.case.line_of("case"),
                    "W440",
                    f"案件 {k.case.number} 的答复期限是 {d.due.isoformat()}，还剩 {left} 个工作日（{d.note}）",
                )
            )
    return out


def _deadline(d: deadlines.Deadline) -> dict:
    return {
        "事项": d.label,
        "期限": d.due.isoformat(),
        "完成日期": d.met.isoformat() if d.met else None,
        "按日历精确计算": d.exact,
        "说明": d.note,
    }


def as_json(clocks, cal, as_of, found) -> str:
    doc = {
        "as_of": as_of.isoformat(),
        "calendar": cal.describe(),
        "open": [
            {
                "案号": k.case.number,
                "文件": k.case.path,
                "收到日期": k.case.received.isoformat(),
                "渠道": k.case.channel,
                "申请人类型": k.case.applicant,
                "状态": k.state,
                "剩余工作日": k.days_left(cal, as_of),
                "超期": k.overdue(as_of),
                "期限": [_deadline(d) for d in k.deadlines],
            }
            for k in clocks
        ],
        "problems": [str(p) for p in found],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _left(k: deadlines.Clock, cal, as_of) -> str:
    if k.overdue(as_of):
        return "已超期"
    left = k.days_left(cal, as_of)
    return "—" if left is None else f"剩 {left} 个工作日"


def _estimate(d: deadlines.Deadline) -> str:
    return "" if d.exact else "（该年节假日安排尚未载入，按周一至周五估算）"


def as_text(clocks, cal, as_of, found) -> str:
    lines = [f"未办结的依申请公开案件：{len(clocks)} 件（基准日期 {as_of.isoformat()}；工作日日历：{cal.describe()}）"]
    for k in clocks:
        c = k.case
        lines.append(
            f"\n{c.number}  收到 {c.received.isoformat()}  {c.channel}  {c.applicant}  {k.state}  {_left(k, cal, as_of)}"
        )
        for d in k.deadlines:
            met = f"，已于 {d.met.isoformat()} 完成" if d.met else ""
            lines.append(f"  {d.label}：{d.due.isoformat()}{met}{_estimate(d)}  {d.note}")
    if found:
        lines += ["", *map(str, found)]
    return "\n".join(lines)


def as_markdown(clocks, cal, as_of, found) -> str:
    lines = [
        f"**未办结的依申请公开案件：{len(clocks)} 件**（基准日期 {as_of.isoformat()}）",
        "",
        "| 案号 | 收到日期 | 申请人类型 | 状态 | 答复期限 | 剩余 |",
        "|---|---|---|---|---|---|",
    ]
    for k in clocks:
        d = k.answer_due
        due = f"{d.due.isoformat()}{_estimate(d)}" if d else "—"
        lines.append(
            f"| {k.case.number} | {k.case.received.isoformat()} | {k.case.applicant} | {k.state} | {due} | {_left(k, cal, as_of)} |"
        )
    if found:
        lines += ["", *(f"- `{p}`" for p in found)]
    return "\n".join(lines)


FORMATS = {"text": as_text, "json": as_json, "markdown": as_markdown}


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    as_of = opts.as_of_date()
    cal, problems = calendar_of(opts)
    ledger = read_ledger(opts)
    problems += list(ledger_folder(opts)) + case_problems(ledger, cal)
    errors = [p for p in problems if p.is_error]
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        print(f"依申请公开台账有 {len(errors)} 个错误，期限无法可靠计算；请先按提示修正", file=sys.stderr)
        return EXIT_PROBLEMS
    clocks = open_clocks(ledger.cases, cal, as_of)
    found = findings(clocks, cal, as_of, opts.case_warn_days)
    print(FORMATS[args.format](clocks, cal, as_of, found))
    overdue = [p for p in found if p.is_error]
    if overdue:
        print(
            f"{len(overdue)} 件已超过法定答复期限：{'、'.join(p.message.split()[1] for p in overdue)}", file=sys.stderr
        )
    return EXIT_PROBLEMS if overdue else EXIT_OK
