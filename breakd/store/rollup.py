"""Minute rows summed into day rows: what the store's rollup keeps of old minutes, and what
the statistics count for the days still kept as minutes.

Owns: a day's sums and its longest sitting stretch (the longest run of consecutive present
minutes with no natural break between them; a run also ends where a day ends). Pure: no I/O,
no clock. Lives with the store, which needs it to roll up; the stats read it from here.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

from breakd.core.calendar import day_of
from breakd.store.rows import BreakRow, DayRow, MinuteRow

_MINUTE = dt.timedelta(minutes=1)


def day_rows_from_minutes(
    minutes: Sequence[MinuteRow], breaks: Sequence[BreakRow], day_starts: dt.time
) -> list[DayRow]:
    """One ``DayRow`` per day with minutes (the store's rollup uses this too)."""
    longest = longest_stretches(minutes, breaks, day_starts)
    sums: dict[dt.date, list[float]] = {}
    for m in minutes:
        acc = sums.setdefault(day_of(m.start, day_starts), [0.0, 0.0, 0, 0, 0])
        for i, value in enumerate((m.present_s, m.active_s, m.keys, m.clicks, m.motions)):
            acc[i] += value
    return [
        DayRow(day, acc[0], acc[1], int(acc[2]), int(acc[3]), int(acc[4]), longest.get(day, 0.0))
        for day, acc in sorted(sums.items())
    ]


def longest_stretches(
    minutes: Sequence[MinuteRow], breaks: Sequence[BreakRow], day_starts: dt.time
) -> dict[dt.date, float]:
    """Each day's longest run of consecutive present minutes with no natural break between.

    A run also ends where a day ends, so every stretch belongs to one day.
    """
    # Each minute belongs to the stretch after the last break that ended before the minute
    # did: the minute you come back in starts a new stretch, the one you left in ends one.
    ends = sorted(b.end for b in breaks)
    longest: dict[dt.date, float] = {}
    run_s, previous, run_key = 0.0, None, None
    for m in sorted(minutes, key=lambda row: row.start):
        if m.present_s <= 0:
            previous = None
            continue
        key = (day_of(m.start, day_starts), bisect.bisect_left(ends, m.start + _MINUTE))
        if previous is None or m.start - previous != _MINUTE or key != run_key:
            run_s = 0.0
        run_s += m.present_s
        run_key, previous = key, m.start
        longest[key[0]] = max(longest.get(key[0], 0.0), run_s)
    return longest
