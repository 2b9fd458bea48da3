"""Engine actions into event rows, and input into minute rows."""

from __future__ import annotations

import datetime as dt

from breakd.core.types import (
    Carryover,
    Kind,
    KindCarry,
    MinuteSample,
    NaturalBreak,
    Outcome,
    Reminder,
    Resolved,
    Show,
    Urgency,
)
from breakd.store.records import carryover_from, minute_rows, records_for, saved_day
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


# --- the day so far, between engine time and Unix time ---------------------------------------


def test_the_day_so_far_goes_to_unix_time_and_back_into_another_clock() -> None:
    day = Carryover(
        saved_at=100.0,
        last_input=90.0,
        active_today=50.0,
        presence=40.0,
        kinds=(KindCarry(Kind.SITTING, 40.0, False, 400.0), KindCarry(Kind.DAILY, 0.0, True)),
        last_shown=20.0,
        paused_until=700.0,
    )
    stored = saved_day(day, lambda t: 1_780_000_000.0 + t)
    assert stored.saved_at == 1_780_000_100.0
    assert stored.kinds[0].kind == "sitting" and stored.kinds[0].not_before == 1_780_000_400.0
    assert stored.paused and stored.paused_until == 1_780_000_700.0
    # After a reboot the engine clock reads 5 at Unix time 1_780_001_000.
    back = carryover_from(stored, lambda unix: unix - 1_780_001_000.0 + 5.0)
    shift = 5.0 - 1_000.0
    assert back.saved_at == 100.0 + shift and back.last_input == 90.0 + shift
    assert back.kinds[0].not_before == 400.0 + shift and back.kinds[1].done_today
    assert back.paused_until == 700.0 + shift and back.last_shown == 20.0 + shift
    assert (back.active_today, back.presence) == (50.0, 40.0)


def test_a_pause_until_resumed_stays_one() -> None:
    day = Carryover(1.0, 1.0, 0.0, 0.0, paused_until=float("inf"))
    stored = saved_day(day, lambda t: t + 10.0)
    assert stored.paused and stored.paused_until is None
    assert carryover_from(stored, lambda t: t).paused_until == float("inf")
    not_paused = saved_day(Carryover(1.0, 1.0, 0.0, 0.0), lambda t: t)
    assert not not_paused.paused and carryover_from(not_paused, lambda t: t).paused_until is None
