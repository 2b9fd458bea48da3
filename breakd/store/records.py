"""Turning what the daemon sees into store rows: engine actions into events, input into minutes.

Helpers for the daemon's wiring, kept here so the store's vocabulary lives in one package.
Both functions are pure: the engine's activity monitor samples input per minute, and the
daemon passes its samples and actions through here into ``Store.write``.

Must not: keep a reminder's title, body or suggestion, or anything about which key was
pressed; only the kind of input and the reminder's kind, id and outcome pass through.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from breakd.core.types import (
    Action,
    Carryover,
    Kind,
    KindCarry,
    MinuteSample,
    NaturalBreak,
    Resolved,
    Show,
)
from breakd.store.sqlite import BreakRow, KindClock, MinuteRow, ReminderEvent, SavedDay

_HALF_MINUTE = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class Records:
    events: tuple[ReminderEvent, ...] = ()
    breaks: tuple[BreakRow, ...] = ()


def records_for(
    actions: Iterable[Action], now: dt.datetime, wall_at: Callable[[float], dt.datetime]
) -> Records:
    """The rows to store for the engine's ``actions``; ``now`` is when they were returned.

    ``wall_at`` maps engine time to local time (``WallAnchor.wall_at``). An ongoing natural
    break (``end is None``) gives no row yet: it is stored when the engine reports its end.
    """
    events: list[ReminderEvent] = []
    breaks: list[BreakRow] = []
    for action in actions:
        if isinstance(action, Show) and not action.retry:  # a retry is the same showing
            events.extend(_shown(action, now))
        elif isinstance(action, Resolved):
            at = wall_at(action.at)
            events.append(
                ReminderEvent(at, action.reminder_id, action.kind.value, action.outcome.value)
            )
        elif isinstance(action, NaturalBreak) and action.end is not None:
            breaks.append(BreakRow(wall_at(action.start), wall_at(action.end)))
    return Records(tuple(events), tuple(breaks))


def _shown(action: Show, now: dt.datetime) -> list[ReminderEvent]:
    reminder = action.reminder
    event = "shown" if reminder.repeat == 0 else "repeated"
    shown = [ReminderEvent(now, reminder.id, reminder.kind.value, event, reminder.repeat)]
    if reminder.repeat == 0:
        # Kinds folded into this reminder were served by it: counted per kind, never "ignored".
        shown += [ReminderEvent(now, reminder.id, k.value, "merged") for k in reminder.also]
    return shown


def minute_rows(
    samples: Iterable[MinuteSample], wall_at: Callable[[float], dt.datetime]
) -> list[MinuteRow]:
    """The engine's per-minute samples as rows keyed by their local, minute-aligned start."""
    return [
        MinuteRow(
            _floor(wall_at(s.start) + _HALF_MINUTE),  # rounded: anchors drift by milliseconds
            s.present,
            s.active,
            s.keys,
            s.clicks,
            s.motions,
        )
        for s in samples
    ]


def _floor(at: dt.datetime) -> dt.datetime:
    return at.replace(second=0, microsecond=0)


# --- the day so far, between the engine's clock and Unix time --------------------------------


def saved_day(day: Carryover, to_unix: Callable[[float], float]) -> SavedDay:
    """The engine's ``carryover`` as the store keeps it; ``to_unix`` maps engine time to Unix
    time (the engine's clock starts afresh at a reboot, Unix time does not)."""
    paused_until = day.paused_until
    return SavedDay(
        saved_at=to_unix(day.saved_at),
        last_input=to_unix(day.last_input),
        active_s=day.active_today,
        presence_s=day.presence,
        kinds=tuple(
            KindClock(
                k.kind.value,
                k.into,
                k.done_today,
                None if k.not_before is None else to_unix(k.not_before),
            )
            for k in day.kinds
        ),
        last_shown=None if day.last_shown is None else to_unix(day.last_shown),
        paused=paused_until is not None,
        paused_until=None if paused_until in (None, math.inf) else to_unix(paused_until),
    )


def carryover_from(day: SavedDay, to_engine: Callable[[float], float]) -> Carryover:
    """The stored day in the clock of the engine that takes it up (``Engine.restore``)."""
    known = {kind.value: kind for kind in Kind}
    paused_until: float | None = None
    if day.paused:
        paused_until = math.inf if day.paused_until is None else to_engine(day.paused_until)
    return Carryover(
        saved_at=to_engine(day.saved_at),
        last_input=to_engine(day.last_input),
        active_today=day.active_s,
        presence=day.presence_s,
        kinds=tuple(
            KindCarry(
                known[k.kind],
                k.into_s,
                k.done_today,
                None if k.not_before is None else to_engine(k.not_before),
            )
            for k in day.kinds
            if k.kind in known
        ),
        last_shown=None if day.last_shown is None else to_engine(day.last_shown),
        paused_until=paused_until,
    )
