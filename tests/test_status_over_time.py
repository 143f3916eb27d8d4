"""Status over time: the steps derived with the one status rule, read back on any day,
equal the rule itself on that day, for generated items (Python side; the browser's lookup
is checked against the same cases in test_status_now.py)."""

import datetime as dt
import random

from xxgk.core.lifecycle import after, encode, status_at, timeline
from xxgk.core.model import Abolition, Item
from xxgk.core.status import Step, status_on, status_steps

DAY0 = dt.date(2018, 1, 1)


def _day(rng, p=0.6):
    return DAY0 + dt.timedelta(rng.randrange(0, 3000)) if rng.random() < p else None


def _item(rng, index_no):
    it = Item(path="", src_uri="", body="", body_line=1, meta={}, lines={}, index_no=index_no)
    it.published, it.effective, it.expires = _day(rng), _day(rng), _day(rng)
    it.status = rng.choice(["有效", "有效", "失效", "废止", "已修订"])
    if rng.random() < 0.4:
        it.abolished = Abolition(_day(rng), rng.choice(["", "b", "云政发〔2020〕1号"]), "原因")
    return it


def cases(n, seed=1):
    """(item, by_index_no, replaced_by, days): an item with a possible newer version."""
    rng = random.Random(seed)
    for _ in range(n):
        a, b = _item(rng, "a"), _item(rng, "b")
        if rng.random() < 0.5:
            a.revised_by = rng.choice(["b", "missing"])
        if rng.random() < 0.3:
            b.replaces = "a"
        by = {"a": a, "b": b}
        replaced_by = {i.replaces: i for i in by.values() if i.replaces in by}
        days = [DAY0 + dt.timedelta(rng.randrange(-400, 3400)) for _ in range(8)]
        yield a, by, replaced_by, days


def test_the_steps_read_back_equal_the_rule_on_every_day():
    checked = 0
    for item, by, replaced_by, days in cases(3000):
        steps = status_steps(item, by, replaced_by)
        turns = [s.start for s in steps[1:] if s.start]
        assert len(turns) == len(steps) - 1  # every step after the first starts on a day
        for day in days + turns + [t - dt.timedelta(days=1) for t in turns]:
            assert status_at(steps, day) == status_on(item, day, by, replaced_by), (item, day, steps)
            checked += 1
    assert checked > 25000


def test_encoding_and_the_changes_ahead():
    s0 = Step(None, status_on(_item(random.Random(3), "x"), DAY0, {}, {}))
    steps = (s0, Step(dt.date(2028, 1, 1), s0.status.__class__("失效", dt.date(2028, 1, 1))))
    assert encode(steps) == [s0.status.label, "2028-01-01", "失效"]
    assert encode(after(steps, dt.date(2026, 11, 24)), with_first=False) == ["2028-01-01", "失效"]
    assert after(steps, dt.date(2028, 1, 1)) == []


def test_timeline_names_the_documents_that_caused_each_change():
    old = Item(path="", src_uri="", body="", body_line=1, meta={}, lines={}, index_no="old", title="旧版")
    new = Item(path="", src_uri="", body="", body_line=1, meta={}, lines={}, index_no="new", title="新版")
    old.written, old.published, old.effective = dt.date(2019, 3, 1), dt.date(2019, 3, 5), dt.date(2019, 4, 1)
    new.published, new.effective, new.replaces = dt.date(2022, 5, 1), dt.date(2022, 6, 1), "old"
    new.expires = dt.date(2027, 5, 31)
    by = {"old": old, "new": new}
    events = timeline(old, status_steps(old, by, {"old": new}), by)
    assert [(e.kind, e.day, e.by and e.by.index_no) for e in events] == [
        ("成文", dt.date(2019, 3, 1), None),
        ("发布", dt.date(2019, 3, 5), None),
        ("施行", dt.date(2019, 4, 1), None),
        ("被修订", dt.date(2022, 6, 1), "new"),
    ]
    events = timeline(new, status_steps(new, by, {}), by)
    assert [(e.kind, e.day, e.by and e.by.index_no) for e in events] == [
        ("发布", dt.date(2022, 5, 1), None),
        ("施行", dt.date(2022, 6, 1), None),
        ("修订", dt.date(2022, 6, 1), "old"),
        ("失效", dt.date(2027, 6, 1), None),
    ]
