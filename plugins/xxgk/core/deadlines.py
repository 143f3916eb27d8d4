"""The statutory clock of one application, on the site's working-day calendar (core/workdays.py).

- 第三十条: an unclear application → ask for 补正 once, within 7 working days of receipt; the
  answer period starts again on the day the corrected application arrives, and while it has
  not arrived there is no answer deadline (the applicant holds the case).
- 第三十二条: a third party is asked and has 15 working days to answer; the working days from
  asking to the answer (at most those 15) are not counted in the answer period. While the
  answer is awaited they are counted up to the as-of day, so the date shown is the earliest
  the deadline can be.
- 第三十三条: answer within 20 working days of receipt; 20 more with the head's approval
  (an `延期` event with its reason), at most.
The day of receipt (or of the correction) is not counted: the period runs from the next day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xxgk.core.ledger import ANSWERED, ASKED, CONSULTED, CORRECTED, EXTENDED, THIRD_REPLIED, Case, Event
from xxgk.core.workdays import WorkdayCalendar

CORRECTION_DAYS = 7  # 第三十条
THIRD_PARTY_DAYS = 15  # 第三十二条
ANSWER_DAYS = 20  # 第三十三条
EXTENSION_DAYS = 20

WAITING_CORRECTION = "待申请人补正"
WAITING_THIRD_PARTY = "征求第三方意见中"
OPEN = "办理中"
DONE = "已答复"
ANSWER = "答复申请人"


@dataclass(frozen=True)
class Deadline:
    label: str  # what must happen, e.g. 答复申请人
    due: dt.date
    met: dt.date | None  # the day it happened, if it did
    exact: bool  # False: a year on the way has no holiday notice (Monday to Friday counted)
    binding: bool = True  # False for the third party's own period: its lapse is not the office's
    note: str = ""
    event: str = ""  # the event type that meets it


@dataclass
class Clock:
    case: Case
    state: str
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def answer_due(self) -> Deadline | None:
        return next((d for d in self.deadlines if d.label == ANSWER), None)

    def overdue(self, as_of: dt.date) -> bool:
        """The answer is owed and its last day has passed."""
        d = self.answer_due
        return d is not None and d.met is None and as_of > d.due

    def days_left(self, cal: WorkdayCalendar, as_of: dt.date) -> int | None:
        """Working days from as_of to the answer deadline (0 on the day itself)."""
        d = self.answer_due
        if d is None or d.met is not None or as_of > d.due:
            return None
        return cal.count_after(as_of, d.due)[0]


def clock(case: Case, cal: WorkdayCalendar, as_of: dt.date) -> Clock:
    """Every deadline of `case` as the events up to `as_of` set them."""
    events = [e for e in case.events if e.date <= as_of]
    first: dict[str, Event] = {}
    for e in events:
        first.setdefault(e.type, e)
    answered = first.get(ANSWERED)
    out = Clock(case, DONE if answered else OPEN)
    asked, corrected = first.get(ASKED), first.get(CORRECTED)
    due, exact = cal.add(case.received, CORRECTION_DAYS)
    if asked or (not answered and as_of <= due):  # shown while it can still matter
        out.deadlines.append(
            Deadline(
                "告知补正（如需）",
                due,
                asked.date if asked else None,
                exact,
                note="第三十条：收到申请之日起7个工作日内一次性告知",
                event=ASKED,
            )
        )
    if asked and not corrected:
        if not answered:
            out.state = WAITING_CORRECTION
        return out
    start = corrected.date if corrected else case.received
    paused, exact_pause = 0, True
    consulted = first.get(CONSULTED)
    if consulted:
        third_due, third_exact = cal.add(consulted.date, THIRD_PARTY_DAYS)
        replied = first.get(THIRD_REPLIED)
        out.deadlines.append(
            Deadline(
                "第三方提出意见",
                third_due,
                replied.date if replied else None,
                third_exact,
                binding=False,
                note="第三十二条：15个工作日，期间不计入答复期限",
            )
        )
        pause_end = min(replied.date if replied else as_of, third_due)
        paused, exact_pause = cal.count_after(consulted.date, pause_end)
        if not replied and as_of < third_due and not answered:
            out.state = WAITING_THIRD_PARTY
    extended = first.get(EXTENDED)
    base_due, base_exact = cal.add(start, ANSWER_DAYS + paused)
    limit = ANSWER_DAYS + (EXTENSION_DAYS if extended else 0)
    due, exact = cal.add(start, limit + paused)
    restart = f"自收到补正之日（{start.isoformat()}）起计" if corrected else "自收到申请之日起计"
    notes = [f"第三十三条：{limit}个工作日，{restart}"]
    if extended:
        notes.append(f"已延期：{extended.reason}")
    if paused:
        notes.append(f"第三方意见期间 {paused} 个工作日不计")
    if extended:
        out.deadlines.append(
            Deadline(
                "决定延期", base_due, extended.date, base_exact, note="延期须在原期限内经负责人同意", event=EXTENDED
            )
        )
    out.deadlines.append(
        Deadline(
            ANSWER,
            due,
            answered.date if answered else None,
            exact and exact_pause,
            note="；".join(notes),
            event=ANSWERED,
        )
    )
    return out
