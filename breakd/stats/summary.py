"""Per-day statistics from the store's rows: pure functions over ``History``.

What this module owns: what a day's numbers mean. Active and present time are sums of the
minute rows. The longest sitting stretch is the longest run of consecutive present minutes with
no natural break between them (its length is the run's summed presence, so a run that starts
or ends mid-minute is not rounded up). A reminder is counted once however often it was
repeated; its outcome is the last one recorded for it:

- taken: a break long enough followed the reminder;
- skipped: you skipped it;
- snoozed: the last answer was a snooze (breakd stopped before it came back);
- ignored: input went on through every repeat;
- merged: it was folded into another reminder shown at the same time (not your choice);
- paused: breakd was paused while it was on screen (not your choice);
- unanswered: shown once with nothing to answer (a kind with ``max_repeats = 0`` ends there).

Every snooze is counted as well (``snoozes``), not only a last one: a reminder snoozed twice and
then taken counts 1 taken and 2 snoozes.

Compliance is taken / answered, where answered = taken + snoozed + skipped + ignored: merged,
paused and unanswered reminders say nothing about whether you took the break, so counting them
would make the rate depend on the config rather than on you. A natural break is a break taken
before being asked; it is counted on its own, not in the rate.

Days begin at ``daily.day_starts`` (04:00 by default), as for the daily limit, so working past
midnight counts as the same day. Must not: do I/O or read a clock (``today`` is passed in).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from breakd.core.calendar import day_of
from breakd.store.rollup import day_rows_from_minutes
from breakd.store.sqlite import (
    KINDS,
    BreakRow,
    Checkin,
    DayRow,
    History,
    ReminderEvent,
)

OUTCOMES = ("taken", "snoozed", "skipped", "ignored", "merged", "paused", "unanswered")
ANSWERED = ("taken", "snoozed", "skipped", "ignored")
PERIOD_DAYS = {"today": 1, "week": 7, "month": 30}


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindCounts:
    """One kind of reminder on one day (or over a period): how many, and how each ended."""

    kind: str
    shown: int = 0
    taken: int = 0
    snoozed: int = 0
    skipped: int = 0
    ignored: int = 0
    merged: int = 0
    paused: int = 0
    unanswered: int = 0
    snoozes: int = 0  # every snooze, however the reminder ended

    @property
    def answered(self) -> int:
        return self.taken + self.snoozed + self.skipped + self.ignored

    def __add__(self, other: KindCounts) -> KindCounts:
        return KindCounts(
            self.kind,
            *(getattr(self, f) + getattr(other, f) for f in ("shown", *OUTCOMES, "snoozes")),
        )


@dataclass(frozen=True)
class DaySummary:
    day: dt.date
    active_s: float = 0.0
    present_s: float = 0.0
    longest_sitting_s: float = 0.0
    keys: int = 0
    clicks: int = 0
    motions: int = 0
    reminders: tuple[KindCounts, ...] = ()  # kinds with at least one reminder, in KINDS order
    natural_breaks: int = 0
    checkin: int | None = None
    checkin_note: str | None = None

    def count(self, outcome: str) -> int:
        return sum(getattr(k, outcome) for k in self.reminders)

    @property
    def shown(self) -> int:
        return sum(k.shown for k in self.reminders)

    @property
    def taken(self) -> int:
        return self.count("taken")

    @property
    def answered(self) -> int:
        return sum(k.answered for k in self.reminders)

    @property
    def compliance(self) -> float | None:
        """Breaks taken of those asked for and answered; None when nothing was answered."""
        return self.taken / self.answered if self.answered else None

    @property
    def has_data(self) -> bool:
        return bool(self.present_s or self.active_s or self.reminders or self.natural_breaks) or (
            self.checkin is not None
        )


@dataclass(frozen=True)
class PeriodSummary:
    first: dt.date
    last: dt.date
    days: tuple[DaySummary, ...] = field(default_factory=tuple)  # every date, oldest first

    @property
    def has_data(self) -> bool:
        return any(d.has_data for d in self.days)

    @property
    def total(self) -> DaySummary:
        """The period as one ``DaySummary`` (``day`` is the last day; longest is the max)."""
        checkins = [d.checkin for d in self.days if d.checkin is not None]
        return DaySummary(
            day=self.last,
            active_s=sum(d.active_s for d in self.days),
            present_s=sum(d.present_s for d in self.days),
            longest_sitting_s=max((d.longest_sitting_s for d in self.days), default=0.0),
            keys=sum(d.keys for d in self.days),
            clicks=sum(d.clicks for d in self.days),
            motions=sum(d.motions for d in self.days),
            reminders=_sum_kinds(k for d in self.days for k in d.reminders),
            natural_breaks=sum(d.natural_breaks for d in self.days),
            checkin=max(checkins) if checkins else None,  # the worst day of the period
        )


# --- the period ----------------------------------------------------------------------------


def period(which: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """``today``, ``week`` (the last 7 days) or ``month`` (the last 30), ending today."""
    return today - dt.timedelta(days=PERIOD_DAYS[which] - 1), today


@dataclass
class _DayParts:
    """What is known of one day while ``summarize`` gathers it (local to that function)."""

    rows: list[DayRow] = field(default_factory=list)
    reminders: tuple[KindCounts, ...] = ()
    breaks: int = 0
    checkin: Checkin | None = None


def summarize(history: History, day_starts: dt.time = dt.time(4, 0)) -> PeriodSummary:
    """Every day of ``history``'s range, with its numbers (empty days included)."""
    parts: dict[dt.date, _DayParts] = {}

    def at(day: dt.date) -> _DayParts:
        return parts.setdefault(day, _DayParts())

    # A day can have both a rolled-up row and minutes (written late, after the rollup).
    for row in (*history.days, *day_rows_from_minutes(history.minutes, history.breaks, day_starts)):
        at(row.day).rows.append(row)
    for day, kinds in reminders_by_day(history.events, day_starts).items():
        at(day).reminders = kinds
    unasked = _unasked_breaks(history.breaks, history.events)
    for day, count in Counter(day_of(b.start, day_starts) for b in unasked).items():
        at(day).breaks = count
    for checkin in history.checkins:
        at(checkin.day).checkin = checkin
    days = tuple(
        _day_summary(day, parts.get(day, _DayParts()))
        for day in _dates(history.first, history.last)
    )
    return PeriodSummary(history.first, history.last, days)


def _unasked_breaks(breaks: Sequence[BreakRow], events: Sequence[ReminderEvent]) -> list[BreakRow]:
    """The breaks taken before being asked: a break that answered a reminder on screen
    (a "taken" outcome during it) is that reminder's, not a natural break of its own."""
    taken = sorted(e.at for e in events if e.event == "taken")
    unasked = []
    for b in breaks:
        i = bisect.bisect_left(taken, b.start)
        if i == len(taken) or taken[i] > b.end + _TAKEN_SLACK:
            unasked.append(b)
    return unasked


# The engine notes "taken" when it sees the break, which can be a moment after it ended.
_TAKEN_SLACK = dt.timedelta(seconds=5)


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _day_summary(day: dt.date, parts: _DayParts) -> DaySummary:
    rows, checkin = parts.rows, parts.checkin
    return DaySummary(
        day=day,
        active_s=sum(r.active_s for r in rows),
        present_s=sum(r.present_s for r in rows),
        longest_sitting_s=max((r.longest_sitting_s for r in rows), default=0.0),
        keys=sum(r.keys for r in rows),
        clicks=sum(r.clicks for r in rows),
        motions=sum(r.motions for r in rows),
        reminders=parts.reminders,
        natural_breaks=parts.breaks,
        checkin=checkin.score if checkin else None,
        checkin_note=checkin.note if checkin else None,
    )


# --- reminders -----------------------------------------------------------------------------


@dataclass
class _Instance:
    """One reminder while its events are read (mutable, local to ``reminders_by_day``)."""

    day: dt.date
    kind: str
    outcome: str = "unanswered"
    snoozes: int = 0


def reminders_by_day(
    events: Iterable[ReminderEvent], day_starts: dt.time
) -> dict[dt.date, tuple[KindCounts, ...]]:
    """Each reminder counted once, on the day it was first shown, with its last outcome."""
    instances: list[_Instance] = []
    current: dict[tuple[str, int], _Instance] = {}
    for event in sorted(events, key=lambda e: e.at):
        key = (event.kind, event.reminder_id)
        # Reminder ids restart with the daemon, so a first showing always begins a new one.
        if event.event == "shown" or key not in current:
            current[key] = _Instance(day_of(event.at, day_starts), event.kind)
            instances.append(current[key])
        if event.event in OUTCOMES:
            current[key].outcome = event.event
        if event.event == "snoozed":
            current[key].snoozes += 1
    return _count_instances(instances)


def _count_instances(instances: Iterable[_Instance]) -> dict[dt.date, tuple[KindCounts, ...]]:
    counts: dict[dt.date, Counter[tuple[str, str]]] = {}
    for instance in instances:
        counter = counts.setdefault(instance.day, Counter())
        counter[(instance.kind, instance.outcome)] += 1
        counter[(instance.kind, "snoozes")] += instance.snoozes
    return {day: _kind_counts(counter) for day, counter in sorted(counts.items())}


def _kind_counts(counter: Counter[tuple[str, str]]) -> tuple[KindCounts, ...]:
    result = []
    for kind in KINDS:
        outcomes = {o: counter[(kind, o)] for o in OUTCOMES}
        shown = sum(outcomes.values())
        if shown:
            result.append(KindCounts(kind, shown, **outcomes, snoozes=counter[(kind, "snoozes")]))
    return tuple(result)


def _sum_kinds(counts: Iterable[KindCounts]) -> tuple[KindCounts, ...]:
    totals: dict[str, KindCounts] = {}
    for c in counts:
        totals[c.kind] = totals[c.kind] + c if c.kind in totals else c
    return tuple(totals[k] for k in KINDS if k in totals)
