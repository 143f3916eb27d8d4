"""The 依申请公开 case ledger: one YAML file per application in `applications_dir` (default
`applications/`, outside docs_dir, never published), holding no personal data.

    case: 2025-007                  # 案号, unique
    received: 2025-09-28            # 收到申请之日
    channel: 信函                   # CHANNELS
    applicant: 自然人               # APPLICANTS: the columns of the annual report's table 三
    events:                         # in date order
      - {date: 2025-09-30, type: 补正告知}
      - {date: 2025-10-10, type: 收到补正}
      - {date: 2025-10-13, type: 征求第三方意见}
      - {date: 2025-10-20, type: 第三方答复}
      - {date: 2025-11-03, type: 延期, reason: 涉及档案调取，经负责人批准}
      - {date: 2025-11-20, type: 答复, result: 部分公开}
    appeals:
      - {kind: 行政复议, filed: 2026-01-05, decided: 2026-03-01, outcome: 维持}

This module reads the files into records and reports misfits of shape (E400–E402); what
records mean together (contradictions, privacy) is rules/ledger.py, the clock is
core/deadlines.py, the annual report's tables core/report_tables.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.core.fields import BadValue, as_date
from xxgk.core.model import Problem
from xxgk.core.options import Options
from xxgk.core.yamlio import LineDict, read_yaml_file

CHANNELS = ("信函", "当面", "电子邮件", "网上平台", "传真", "其他")
# Table 三's applicant columns: 自然人, then the five kinds of 法人或其他组织.
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# Table 三's results (国办公开办函〔2021〕30号): a group, and its numbered reasons if it has any.
RESULT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("予以公开", ()),
    ("部分公开", ()),
    (
        "不予公开",
        (
            "属于国家秘密",
            "其他法律行政法规禁止公开",
            "危及“三安全一稳定”",
            "保护第三方合法权益",
            "属于三类内部事务信息",
            "属于四类过程性信息",
            "属于行政执法案卷",
            "属于行政查询事项",
        ),
    ),
    ("无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")),
    (
        "不予处理",
        (
            "信访举报投诉类申请",
            "重复申请",
            "要求提供公开出版物",
            "无正当理由大量反复申请",
            "要求行政机关确认或重新出具已获取信息",
        ),
    ),
    (
        "其他处理",
        (
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "其他",
        ),
    ),
)
# What `result:` takes: a group without reasons, or 组/理由 (不予公开/属于国家秘密).
RESULTS = tuple(g if not reasons else f"{g}/{r}" for g, reasons in RESULT_GROUPS for r in (reasons or ("",)))

ASKED, CORRECTED = "补正告知", "收到补正"  # 第三十条
CONSULTED, THIRD_REPLIED = "征求第三方意见", "第三方答复"  # 第三十二条
EXTENDED = "延期"  # 第三十三条第二款
FEE = "收费"  # 信息处理费, in 元
ANSWERED = "答复"
EVENT_TYPES = (ASKED, CORRECTED, CONSULTED, THIRD_REPLIED, EXTENDED, FEE, ANSWERED)

REVIEW, DIRECT_SUIT, SUIT_AFTER_REVIEW = "行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"
APPEAL_KINDS = (REVIEW, DIRECT_SUIT, SUIT_AFTER_REVIEW)
OUTCOMES = ("维持", "纠正", "其他")  # no outcome (no `decided`) is 尚未审结

CASE_KEYS = ("case", "received", "channel", "applicant", "events", "appeals", "note")
EVENT_KEYS = ("date", "type", "reason", "result", "amount", "note")
APPEAL_KEYS = ("kind", "filed", "decided", "outcome", "note")
HOWTO = "格式见 docs/format.md“依申请公开案件台账”，或运行 xxgk new-case 生成"


@dataclass(frozen=True)
class Event:
    type: str
    date: dt.date
    line: int
    reason: str = ""
    result: str = ""
    amount: float | None = None


@dataclass(frozen=True)
class Appeal:
    kind: str
    filed: dt.date
    line: int
    decided: dt.date | None = None
    outcome: str = ""  # empty while 尚未审结


@dataclass
class Case:
    path: str  # as staff see it, e.g. applications/2025-007.yml
    number: str
    received: dt.date
    channel: str
    applicant: str
    events: list[Event] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    raw: LineDict = field(default_factory=LineDict, repr=False)  # for the privacy scan and line numbers

    def line_of(self, key: str) -> int:
        return self.raw.line_of(key)

    def first(self, kind: str) -> Event | None:
        return next((e for e in self.events if e.type == kind), None)

    @property
    def answer(self) -> Event | None:
        return self.first(ANSWERED)

    def answered_by(self, day: dt.date) -> bool:
        return self.answer is not None and self.answer.date <= day


@dataclass
class Ledger:
    folder: str  # as staff see it
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: list[tuple[str, LineDict]] = field(default_factory=list)  # every readable file, for the privacy scan


def ledger_path(opts: Options) -> Path:
    return opts.root / opts.applications_dir


def read_ledger(opts: Options) -> Ledger:
    """Every case file under the ledger folder (an absent folder is an empty ledger)."""
    folder = ledger_path(opts)
    ledger = Ledger(opts.applications_dir.rstrip("/"))
    if not folder.is_dir():
        return ledger
    seen: dict[str, Case] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        shown = f"{ledger.folder}/{path.relative_to(folder).as_posix()}"
        case = read_case(path, shown, ledger.problems, ledger.texts)
        if case is None:
            continue
        if case.number in seen:
            ledger.problems.append(
                Problem(
                    shown,
                    case.line_of("case"),
                    "E402",
                    f"案号 {case.number} 已在 {seen[case.number].path} 使用；每件申请一个案号，请改为下一个未用的案号",
                )
            )
            continue
        seen[case.number] = case
        ledger.cases.append(case)
    ledger.cases.sort(key=lambda c: (c.received, c.number))
    return ledger


def read_case(path: Path, shown: str, problems: list[Problem], texts: list) -> Case | None:
    readable, data = read_yaml_file(path, shown, problems, "E400")
    if not readable:
        return None
    if not isinstance(data, LineDict):
        problems.append(Problem(shown, 1, "E400", f"案件文件应为“键: 值”的映射；{HOWTO}"))
        return None
    texts.append((shown, data))
    before = len(problems)

    def bad(line: int, message: str) -> None:
        problems.append(Problem(shown, line, "E401", message))

    _unknown(data, CASE_KEYS, "案件", bad)
    number = data.get("case")
    if not isinstance(number, (str, int)) or isinstance(number, bool) or not str(number).strip():
        bad(data.line_of("case"), f"缺少案号 case（例如 case: 2025-001）；{HOWTO}")
    received = _date(data, "received", "收到申请日期", bad, required=True)
    channel = _choice(data, "channel", "申请渠道", CHANNELS, bad)
    applicant = _choice(data, "applicant", "申请人类型", APPLICANTS, bad)
    events = [e for e in (_event(raw, bad) for raw in _list(data, "events", bad)) if e is not None]
    appeals = [a for a in (_appeal(raw, bad) for raw in _list(data, "appeals", bad)) if a is not None]
    if len(problems) > before or received is None:
        return None
    return Case(shown, str(number).strip(), received, channel, applicant, events, appeals, data)


def _unknown(data: LineDict, keys: tuple[str, ...], what: str, bad) -> None:
    for key in data:
        if key not in keys:
            bad(
                data.line_of(key),
                f"{what}中没有 {key} 这一项（可用：{'、'.join(keys)}）；台账不记录申请人的姓名、证件号、电话、地址等个人信息",
            )
    for key, line in data.duplicates:
        bad(line, f"{key} 重复出现，只保留一个")


def _date(data: LineDict, key: str, label: str, bad, required: bool = False) -> dt.date | None:
    value = data.get(key)
    if value is None:
        if required:
            bad(data.line_of(key), f"缺少{label} {key}（写成 YYYY-MM-DD）")
        return None
    try:
        return as_date(value)  # the one reading of a date staff write, items' and cases' alike
    except BadValue as exc:
        bad(data.line_of(key), f"{label} {key}：{exc}")
        return None


def _choice(data: LineDict, key: str, label: str, choices: tuple[str, ...], bad) -> str:
    value = data.get(key)
    if value not in choices:
        written = "未填写" if value is None else f"“{value}”不在可选范围内"
        bad(data.line_of(key), f"{label} {key} {written}；可选：{'、'.join(choices)}")
        return ""
    return value


def _list(data: LineDict, key: str, bad) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        bad(data.line_of(key), f"{key} 应为列表，每项以“- ”开头")
        return []
    out = []
    for raw in value:
        if isinstance(raw, LineDict):
            out.append(raw)
        else:
            bad(data.line_of(key), f"{key} 的每一项应为映射，例如 {{date: 2025-03-05, type: 答复, result: 予以公开}}")
    return out


def _event(raw: LineDict, bad) -> Event | None:
    _unknown(raw, EVENT_KEYS, "事件", bad)
    day = _date(raw, "date", "事件日期", bad, required=True)
    kind = _choice(raw, "type", "事件类型", EVENT_TYPES, bad)
    if day is None or not kind:
        return None
    reason = raw.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    result = raw.get("result") or ""
    if kind == ANSWERED and result not in RESULTS:
        written = "未填写" if not result else f"“{result}”不在可选范围内"
        bad(raw.line_of("result"), f"答复结果 result {written}；可选：{'、'.join(RESULTS)}")
        return None
    if kind != ANSWERED and result:
        bad(raw.line_of("result"), f"只有“{ANSWERED}”事件写答复结果 result")
        return None
    amount = raw.get("amount")
    if kind == FEE:
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
            bad(raw.line_of("amount"), "收费事件写金额 amount（元，数字，例如 amount: 120）")
            return None
    elif amount is not None:
        bad(raw.line_of("amount"), f"只有“{FEE}”事件写金额 amount")
        return None
    return Event(kind, day, raw.line, reason, result, float(amount) if kind == FEE and amount is not None else None)


def _appeal(raw: LineDict, bad) -> Appeal | None:
    _unknown(raw, APPEAL_KEYS, "复议诉讼", bad)
    kind = _choice(raw, "kind", "类别", APPEAL_KINDS, bad)
    filed = _date(raw, "filed", "申请复议或起诉日期", bad, required=True)
    decided = _date(raw, "decided", "审结日期", bad)
    outcome = raw.get("outcome") or ""
    if outcome and outcome not in OUTCOMES:
        bad(
            raw.line_of("outcome"),
            f"结果 outcome“{outcome}”不在可选范围内；可选：{'、'.join(OUTCOMES)}（尚未审结的不写）",
        )
        return None
    if bool(outcome) != (decided is not None):
        bad(raw.line, "审结的写 decided（审结日期）和 outcome（维持、纠正或其他）；尚未审结的两项都不写")
        return None
    if not kind or filed is None:
        return None
    return Appeal(kind, filed, raw.line, decided, outcome)


def next_case_number(cases: list[Case], year: int) -> str:
    """YYYY-NNN, one past the highest of the year (numbers written otherwise are left alone)."""
    used = [int(c.number[5:]) for c in cases if c.number.startswith(f"{year}-") and c.number[5:].isdigit()]
    return f"{year}-{max(used, default=0) + 1:03d}"


def case_text(number: str, received: dt.date, channel: str, applicant: str) -> str:
    """A new case file: what is known on receipt, and the events to come as comments."""
    return f"""# 依申请公开案件台账（不发布）。只记办理经过，不写申请人的姓名、证件号、电话、地址。
case: {number}
received: {received.isoformat()}
channel: {channel}            # {"、".join(CHANNELS)}
applicant: {applicant}          # {"、".join(APPLICANTS)}
events: []
# 办理经过，按日期逐条添加（去掉 # 即可），例如：
#  - {{date: YYYY-MM-DD, type: 补正告知}}          # 收到申请后 7 个工作日内一次性告知
#  - {{date: YYYY-MM-DD, type: 收到补正}}          # 答复期限自此重新计算
#  - {{date: YYYY-MM-DD, type: 征求第三方意见}}    # 第三方 15 个工作日，期间不计入答复期限
#  - {{date: YYYY-MM-DD, type: 第三方答复}}
#  - {{date: YYYY-MM-DD, type: 延期, reason: 延期理由}}   # 原期限内经负责人同意，最多延长 20 个工作日
#  - {{date: YYYY-MM-DD, type: 收费, amount: 金额（元）}}
#  - {{date: YYYY-MM-DD, type: 答复, result: 予以公开}}   # 可选结果见 docs/format.md
# appeals:                                        # 申请人申请行政复议或提起行政诉讼时
#  - {{kind: 行政复议, filed: YYYY-MM-DD}}           # 审结后补 decided: 日期, outcome: 维持、纠正或其他
"""
