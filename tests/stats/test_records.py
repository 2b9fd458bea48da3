"""Engine actions into event rows, and input into minute rows."""

from __future__ import annotations

import datetime as dt

from breakd.core.types import (
    Kind,
    MinuteSample,
    NaturalBreak,
    Outcome,
    Reminder,
    Resolved,
    Show,
    Urgency,
)
from breakd.store.records import minute_rows, records_for
from breakd.store.sqlite import BreakRow, MinuteRow, ReminderEvent

BASE = dt.datetime(2025, 6, 3, 9, 0)


def wall(t: float) -> dt.datetime:
    return BASE + dt.timedelta(seconds=t)


def make(rid: int, kind: Kind, repeat: int = 0, also: tuple[Kind, ...] = ()) -> Reminder:
    return Reminder(rid, kind, "t", "b", Urgency.NORMAL, 0.0, repeat=repeat, also=also)


def test_records_for_actions() -> None:
    now = wall(1800)
    records = records_for(
        [
            Show(make(1, Kind.SITTING, also=(Kind.WATER, Kind.POSTURE))),
            Show(make(1, Kind.SITTING, repeat=1)),
            Resolved(1, Kind.SITTING, Outcome.IGNORED, 2400.0),
            NaturalBreak(3000.0, None),  # still going on: nothing yet
            NaturalBreak(3000.0, 3400.0),
        ],
        now,
        wall,
    )
    assert records.events == (
        ReminderEvent(now, 1, "sitting", "shown"),
        ReminderEvent(now, 1, "water", "merged"),
        ReminderEvent(now, 1, "posture", "merged"),
        ReminderEvent(now, 1, "sitting", "repeated", 1),
        ReminderEvent(wall(2400), 1, "sitting", "ignored"),
    )
    assert records.breaks == (BreakRow(wall(3000), wall(3400)),)


def test_minute_rows_are_keyed_by_local_minute() -> None:
    samples = [MinuteSample(0.0, 30.0, 30.0, 0, 0, 0), MinuteSample(60.0, 60.0, 60.0, 2, 1, 1)]
    rows = minute_rows(samples, lambda t: wall(t) + dt.timedelta(milliseconds=3))
    assert rows == [
        MinuteRow(wall(0), 30.0, 30.0, 0, 0, 0),
        MinuteRow(wall(60), 60.0, 60.0, 2, 1, 1),
    ]
