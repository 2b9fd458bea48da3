"""The store's row values that the rollup works on (minutes, natural breaks, days). Plain
values: the store writes and reads them, ``rollup`` sums them; ``breakd.store.sqlite``
re-exports them with the rest of its rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class MinuteRow:
    """One minute of the day: how much of it you were present and active, and input counts."""

    start: dt.datetime  # local naive, minute-aligned (seconds are dropped when stored)
    present_s: float
    active_s: float
    keys: int
    clicks: int
    motions: int


@dataclass(frozen=True)
class BreakRow:
    """A natural break: you were away long enough, before or without being asked."""

    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class DayRow:
    """A day's minutes after ``Store.rollup`` summed them (the minutes themselves are gone)."""

    day: dt.date
    present_s: float
    active_s: float
    keys: int
    clicks: int
    motions: int
    longest_sitting_s: float
