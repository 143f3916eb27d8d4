"""The 依申请公开 case ledger (core/ledger.py) checked: it stays out of the published folder
(E405), it holds no personal data (E140–E142 through the privacy scan, E404 for telephone
numbers and street addresses), its events agree with each other (E403), and the statutory
periods of 第三十至三十三条 were kept (W441)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from xxgk.core import deadlines
from xxgk.core.ledger import (
    ANSWERED,
    ASKED,
    CONSULTED,
    CORRECTED,
    EXTENDED,
    THIRD_REPLIED,
    Case,
    Event,
    Ledger,
    ledger_path,
)
from xxgk.core.model import Problem
from xxgk.core.options import Options
from xxgk.core.workdays import WorkdayCalendar
from xxgk.rules.base import Context
from xxgk.rules.privacy import scan, yaml_texts

# A fixed-line number: area code 0xx(x) and 7–8 digits, with or without a hyphen or brackets.
LANDLINE_RE = re.compile(r"(?<![0-9])[(（]?0\d{2,3}[)）]?[ -]?\d{7,8}(?![0-9])")
# A street address: a place word then a house number (文昌路88号, 幸福小区3栋2单元, 101室).
ADDRESS_RE = re.compile(r"(?:路|街|巷|道|村|小区|大厦|花园|苑)\s*\d+\s*(?:号|栋|幢|单元|室)|\d+\s*(?:栋|幢|单元|室)")


def ledger_folder(opts: Options) -> Iterable[Problem]:
    """The ledger must never be inside the folder MkDocs publishes."""
    folder, docs = ledger_path(opts).resolve(), opts.docs_path.resolve()
    if folder == docs or docs in folder.parents:
        yield Problem(
            "mkdocs.yml",
            1,
            "E405",
            f"依申请公开案件台账目录 {opts.applications_dir}/ 位于内容目录 {opts.docs_dir}/ 之内，会随网站发布；"
            f"请把它移到 {opts.docs_dir}/ 之外，并改 mkdocs.yml 中 xxgk 的 applications_dir",
        )


def personal_data(path: str, raw) -> list[Problem]:
    found = []
    for line, text in yaml_texts(raw, raw.line):
        for hit in scan(text):
            found.append(
                Problem(
                    path, line, hit.kind, f"案件台账含疑似{hit.label} {hit.masked}：台账不记录申请人的个人信息，请删除"
                )
            )
        plain = unicodedata.normalize("NFKC", text)
        for regex, what in ((LANDLINE_RE, "电话号码"), (ADDRESS_RE, "地址")):
            if regex.search(plain):
                found.append(
                    Problem(
                        path,
                        line,
                        "E404",
                        f"案件台账含疑似{what}：台账只记案号、日期、渠道、申请人类型和办理经过，"
                        "申请人的姓名、证件号、电话、地址留在纸质或内部系统的申请材料中，请删除",
                    )
                )
    return found


def contradictions(case: Case) -> list[Problem]:
    """Events that cannot all be true, each at its own line."""
    found: list[Problem] = []

    def bad(line: int, message: str) -> None:
        found.append(Problem(case.path, line, "E403", message))

    seen: dict[str, int] = {}
    for e in case.events:
        if e.date < case.received:
            bad(
                e.line,
                f"“{e.type}”的日期 {e.date.isoformat()} 早于收到申请日期 {case.received.isoformat()}；请核对日期",
            )
        if e.type in (ASKED, CORRECTED, CONSULTED, THIRD_REPLIED, EXTENDED, ANSWERED) and e.type in seen:
            once = "补正只能一次性告知（第三十条）" if e.type == ASKED else "每件申请只有一次"
            bad(e.line, f"“{e.type}”出现了两次（另一次在第 {seen[e.type]} 行）：{once}；请删去多余的一项")
        seen.setdefault(e.type, e.line)
    first: dict[str, Event] = {}
    for e in case.events:
        first.setdefault(e.type, e)
    for later, earlier, what in (
        (CORRECTED, ASKED, "收到补正之前应先有“补正告知”"),
        (THIRD_REPLIED, CONSULTED, "第三方答复之前应先有“征求第三方意见”"),
    ):
        done, before = first.get(later), first.get(earlier)
        if done and (before is None or done.date < before.date):
            bad(done.line, f"{what}；请补上或核对日期")
    answer = first.get(ANSWERED)
    if answer:
        for e in case.events:
            if e.type in (ASKED, CORRECTED, CONSULTED, EXTENDED) and e.date > answer.date:
                bad(e.line, f"“{e.type}”在答复（{answer.date.isoformat()}）之后；答复后案件已办结，请核对日期")
    extended = first.get(EXTENDED)
    if extended and not extended.reason:
        bad(extended.line, "延期应写明理由 reason（第三十三条：经负责人同意并告知申请人）")
    for a in case.appeals:
        if a.filed < case.received:
            bad(a.line, f"{a.kind}的日期 {a.filed.isoformat()} 早于收到申请日期；请核对")
        if a.decided and a.decided < a.filed:
            bad(a.line, f"审结日期 {a.decided.isoformat()} 早于申请复议或起诉日期 {a.filed.isoformat()}；请核对")
    return found


def kept_periods(case: Case, cal: WorkdayCalendar) -> list[Problem]:
    """The periods the office kept or missed, as the finished events show (W441)."""
    end = case.answer.date if case.answer else max([case.received, *(e.date for e in case.events)])
    found = []
    for d in deadlines.clock(case, cal, end).deadlines:
        if d.binding and d.met is not None and d.met > d.due:
            event = case.first(d.event)
            assert event is not None  # a deadline is met by its event
            found.append(
                Problem(
                    case.path,
                    event.line,
                    "W441",
                    f"“{d.label}”在 {d.met.isoformat()}，已超过法定期限 {d.due.isoformat()}（{d.note}）；"
                    "请核对日期，确属超期的在年报中如实说明",
                )
            )
    return found


def case_problems(ledger: Ledger, cal: WorkdayCalendar) -> list[Problem]:
    """Everything wrong with the ledger's files: shape, personal data, contradictions, late steps."""
    found = list(ledger.problems)
    for path, raw in ledger.texts:
        found += personal_data(path, raw)
    for case in ledger.cases:
        wrong = contradictions(case)
        found += wrong or kept_periods(case, cal)
    return found


def ledger_rules(ctx: Context) -> Iterable[Problem]:
    yield from ledger_folder(ctx.opts)
    yield from case_problems(ctx.ledger, ctx.content.calendar)


RULES = (ledger_rules,)
