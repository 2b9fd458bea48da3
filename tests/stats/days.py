"""Simulated days for the statistics tests: rows built directly, as the daemon would write them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from breakd.store.sqlite import BreakRow, Checkin, History, MinuteRow, ReminderEvent

DAY = dt.date(2025, 6, 3)  # a Tuesday
MIN = dt.timedelta(minutes=1)


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm))


def present(start: dt.datetime, minutes: int, *, active: float = 40.0) -> list[MinuteRow]:
    """``minutes`` consecutive fully present minutes from ``start``."""
    return [MinuteRow(start + i * MIN, 60.0, active, 50, 3, 20) for i in range(minutes)]


def reminder(
    start: dt.datetime, rid: int, kind: str, *outcomes: str, repeats: int = 0
) -> list[ReminderEvent]:
    """A reminder shown at ``start``, repeated ``repeats`` times, then each outcome in turn."""
    events = [ReminderEvent(start, rid, kind, "shown")]
    t = start
    for r in range(1, repeats + 1):
        t += 10 * MIN
        events.append(ReminderEvent(t, rid, kind, "repeated", r))
    for outcome in outcomes:
        t += MIN
        events.append(ReminderEvent(t, rid, kind, outcome))
    return events


@dataclass
class DayBuilder:
    """Rows for one or more days, added piece by piece."""

    minutes: list[MinuteRow] = field(default_factory=list)
    events: list[ReminderEvent] = field(default_factory=list)
    breaks: list[BreakRow] = field(default_factory=list)
    checkins: list[Checkin] = field(default_factory=list)

    def history(self, first: dt.date, last: dt.date) -> History:
        return History(
            first,
            last,
            minutes=tuple(self.minutes),
            events=tuple(self.events),
            breaks=tuple(self.breaks),
            checkins=tuple(self.checkins),
        )


def workday(day: dt.date, rng: random.Random, builder: DayBuilder, rid: int = 1) -> int:
    """A plausible office day: blocks of sitting, natural breaks, reminders; returns next id."""
    t = at(day, 9)
    while t < at(day, 17):
        block = rng.randint(20, 70)
        builder.minutes += present(t, block, active=rng.uniform(10, 55))
        if block > 30:
            builder.events += reminder(
                t + 30 * MIN, rid, "sitting", rng.choice(["taken", "ignored", "snoozed"])
            )
            rid += 1
        t += block * MIN
        away = rng.randint(5, 20)
        builder.breaks.append(BreakRow(t, t + away * MIN))
        t += away * MIN
    builder.checkins.append(Checkin(day, rng.randint(0, 4)))
    return rid


def months(last: dt.date, days: int = 91, seed: int = 7) -> DayBuilder:
    rng = random.Random(seed)
    builder = DayBuilder()
    rid = 1
    for i in range(days):
        day = last - dt.timedelta(days=days - 1 - i)
        if day.weekday() < 5:
            rid = workday(day, rng, builder, rid)
    return builder
