"""Mapping engine time to local wall-clock time, for quiet hours and the daily roll-over.

The engine counts in seconds of a clock that never jumps and keeps running during suspend.
Wall-clock rules need local time, so the daemon hands the engine an anchor (an engine time and
the local time at that moment) and refreshes it at every wake-up; between anchors, local time
is the anchor plus elapsed engine seconds. Pure: no clock is read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from breakd.config.model import TimeRange


@dataclass(frozen=True)
class WallAnchor:
    t: float
    wall: dt.datetime  # naive local time at engine time t

    def wall_at(self, t: float) -> dt.datetime:
        return self.wall + dt.timedelta(seconds=t - self.t)

    def t_at(self, wall: dt.datetime) -> float:
        return self.t + (wall - self.wall).total_seconds()


def next_day_start(wall: dt.datetime, day_starts: dt.time) -> dt.datetime:
    """The first moment strictly after ``wall`` at which a new day begins."""
    candidate = dt.datetime.combine(wall.date(), day_starts)
    if candidate <= wall:
        candidate += dt.timedelta(days=1)
    return candidate


def day_of(wall: dt.datetime, day_starts: dt.time) -> dt.date:
    """The date a moment belongs to when days begin at ``day_starts`` (e.g. 02:00 is yesterday)."""
    start_today = dt.datetime.combine(wall.date(), day_starts)
    return wall.date() if wall >= start_today else wall.date() - dt.timedelta(days=1)


def quiet_until(wall: dt.datetime, ranges: Iterable[TimeRange]) -> dt.datetime | None:
    """If ``wall`` falls in a quiet range, the end of that quiet stretch; else None.

    Adjacent or overlapping ranges are followed through, so "22:00-00:00" plus "00:00-07:00"
    ends at 07:00.
    """
    ranges = tuple(ranges)
    end: dt.datetime | None = None
    probe = wall
    for _ in range(len(ranges) + 1):
        hit = next((r for r in ranges if r.contains(probe.time())), None)
        if hit is None:
            break
        probe = _end_of(probe, hit)
        end = probe
    return end


def _end_of(wall: dt.datetime, quiet: TimeRange) -> dt.datetime:
    end = dt.datetime.combine(wall.date(), quiet.end)
    if end <= wall:
        end += dt.timedelta(days=1)
    return end


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def in_working_hours(wall: dt.datetime, week: Sequence[tuple[TimeRange, ...]]) -> bool:
    """Whether ``wall`` falls in one of the day's working ranges (``week[0]`` is Monday).

    A range that crosses midnight belongs to the day it starts on.
    """
    today, yesterday = week[wall.weekday()], week[(wall.weekday() - 1) % 7]
    t = wall.time()
    for r in today:
        if (r.start <= t < r.end) if r.start < r.end else t >= r.start:
            return True
    return any(r.end <= r.start and t < r.end for r in yesterday)


def next_working_start(
    wall: dt.datetime, week: Sequence[tuple[TimeRange, ...]], *, later_day: bool = False
) -> dt.datetime | None:
    """The next start of a working range strictly after ``wall`` (on a later date when
    ``later_day``); None when the week has no ranges at all."""
    for offset in range(8):
        day = wall.date() + dt.timedelta(days=offset)
        if later_day and offset == 0:
            continue
        starts = sorted(r.start for r in week[day.weekday()])
        for start in starts:
            candidate = dt.datetime.combine(day, start)
            if candidate > wall:
                return candidate
    return None
