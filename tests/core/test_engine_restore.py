"""A restart: the engine takes up the day a previous engine left (``carryover`` -> ``restore``)
and carries on as an uninterrupted run would have."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from breakd.core.types import Carryover, Kind, NaturalBreak, Pause, Snooze
from tests.core.conftest import make_config
from tests.core.sim import MONDAY_9AM, Sim

MIN = 60.0
SITTING_ONLY = make_config(only=("sitting",))
# The clock of a rebooted machine starts again near zero: the new engine's times are the
# old ones shifted by this much (the daemon converts through wall times).
REBOOT_SHIFT = -12_345.0


def shifted(day: Carryover, by: float) -> Carryover:
    """``day`` in the clock of an engine whose time is ``by`` seconds ahead of the old one."""

    def move(t: float | None) -> float | None:
        return None if t is None else t + by

    return dataclasses.replace(
        day,
        saved_at=day.saved_at + by,
        last_input=day.last_input + by,
        last_shown=move(day.last_shown),
        paused_until=move(day.paused_until),
        kinds=tuple(dataclasses.replace(k, not_before=move(k.not_before)) for k in day.kinds),
    )


def restart(old: Sim, stopped: float, back: float, *, shift: float = REBOOT_SHIFT) -> Sim:
    """The daemon stopped at ``stopped`` and started again at ``back`` (old engine times); the
    new engine's clock reads ``back + shift`` then. Returns the new run's simulator, whose
    times are the old times plus ``shift``."""
    old.run_until(stopped)
    day = old.engine.carryover(stopped)
    wall = old.engine.wall_at(back)
    new = Sim(old.config, start_wall=wall)
    # Sim starts its engine at 0.0: express the restart in that clock.
    offset = -back
    new.actions.extend((0.0, a) for a in new.engine.restore(shifted(day, offset), 0.0))
    new.inputs = [0.0]
    new._reschedule(0.0)
    new.offset = back  # type: ignore[attr-defined]  # new time + offset = old time
    return new


def test_a_short_restart_keeps_the_sitting_clock():
    """Down 40 s while typing: the reminder comes when an uninterrupted run shows it."""
    plain = Sim(SITTING_ONLY)
    plain.type(0, 10 * MIN, every=5)  # last input at 595
    plain.type(10 * MIN + 35, 40 * MIN, every=5)

    old = Sim(SITTING_ONLY)
    old.type(0, 10 * MIN, every=5)
    new = restart(old, stopped=10 * MIN, back=10 * MIN + 35)
    new.type(5, 30 * MIN, every=5)  # old time 10 min + 40 s on
    assert not new.of(NaturalBreak)
    assert [s.t + new.offset for s in new.shown][:1] == [plain.shown[0].t]
    assert new.shown[0].t + new.offset == pytest.approx(30 * MIN)


def test_status_after_a_restart_agrees_with_an_uninterrupted_run():
    config = make_config(only=("sitting", "posture", "water", "daily", "repetition"))
    plain = Sim(config)
    plain.type(0, 12 * MIN, every=2)
    plain.type(12 * MIN + 28, 14 * MIN, every=2)

    old = Sim(config)
    old.type(0, 12 * MIN, every=2)
    new = restart(old, stopped=12 * MIN + 5, back=12 * MIN + 28)
    new.type(0, 14 * MIN - new.offset, every=2)

    at = 14 * MIN + 1
    want, got = plain.engine.status(at), new.engine.status(at - new.offset)
    assert got.presence == pytest.approx(want.presence)
    assert got.active_today == pytest.approx(want.active_today)
    want_due = {k.kind: k.due_in for k in want.kinds}
    got_due = {k.kind: k.due_in for k in got.kinds}
    assert got_due.keys() == want_due.keys()
    for kind, due in want_due.items():
        # The micro-break's action window starts afresh (counts are not carried over).
        assert got_due[kind] == pytest.approx(due, abs=1e-6), kind


def test_down_longer_than_a_natural_break_is_a_natural_break():
    config = make_config(only=("sitting", "water"))
    old = Sim(config)
    old.type(0, 20 * MIN, every=5)  # last input at 1195
    new = restart(old, stopped=20 * MIN, back=20 * MIN + 10 * MIN)
    breaks = new.of(NaturalBreak)
    assert len(breaks) == 1
    event = breaks[0][1]
    assert (event.start + new.offset, event.end + new.offset) == (
        pytest.approx(20 * MIN - 5),
        pytest.approx(30 * MIN),
    )
    status = {k.kind: k.due_in for k in new.engine.status(0.0).kinds}
    assert status[Kind.SITTING] == pytest.approx(30 * MIN)  # restarted by the break
    # Water keeps counting through breaks: 20 min in, plus idle_after of the gap.
    assert status[Kind.WATER] == pytest.approx(60 * MIN - (20 * MIN - 5) - 2 * MIN)
    assert new.engine.status(0.0).presence == pytest.approx(0.0)


def test_a_snooze_survives_a_restart():
    old = Sim(SITTING_ONLY)
    old.type(0, 30 * MIN + 10, every=5)
    assert old.shown[0].t == pytest.approx(30 * MIN)
    old.command(Snooze(10 * MIN))  # at 30 min 10 s: back at 40 min 10 s
    old.type(old.t, 33 * MIN, every=5)
    new = restart(old, stopped=33 * MIN, back=33 * MIN + 20)
    new.type(0, 45 * MIN - new.offset, every=5)
    assert new.shown[0].t + new.offset == pytest.approx(40 * MIN + 10, abs=5)


def test_a_pause_survives_a_restart_and_ends_on_time():
    old = Sim(SITTING_ONLY)
    old.type(0, 10 * MIN, every=5)
    old.command(Pause(until=old.t + 60 * MIN))  # paused until 70 min - 5 s
    end = old.t + 60 * MIN
    new = restart(old, stopped=10 * MIN, back=20 * MIN)
    status = new.engine.status(0.0)
    assert status.state == "paused"
    assert status.paused_until == pytest.approx(end - new.offset)
    new.type(1, 120 * MIN - new.offset, every=5)
    assert new.shown[0].t + new.offset >= end


def test_a_pause_until_resumed_survives_a_restart():
    old = Sim(SITTING_ONLY)
    old.type(0, 10 * MIN, every=5)
    old.command(Pause())
    new = restart(old, stopped=10 * MIN, back=11 * MIN)
    new.type(1, 120 * MIN, every=5)
    assert not new.shown
    assert new.engine.status(new.t).state == "paused"
    assert new.engine.carryover(new.t).paused_until == math.inf


def test_a_new_day_starts_the_daily_clock_afresh():
    config = make_config(only=("daily", "sitting"), daily={"limit": 60 * MIN})
    evening = MONDAY_9AM.replace(hour=23, minute=0)
    old = Sim(config, start_wall=evening)
    old.type(0, 70 * MIN, every=5)  # the daily reminder came at 60 min
    assert Kind.DAILY in old.shown_kinds()
    # 04:00 is a new day: restarted at 04:30 after a night away.
    back = (dt.datetime(2026, 11, 24, 4, 30) - evening).total_seconds()
    new = restart(old, stopped=70 * MIN, back=back)
    status = new.engine.status(0.0)
    # As in an uninterrupted run, the input that ends a gap counts active_gap of it.
    assert status.active_today == pytest.approx(config.activity.active_gap)
    daily = {k.kind: k.due_in for k in status.kinds}[Kind.DAILY]
    assert daily == pytest.approx(60 * MIN - config.activity.active_gap)


def test_the_same_day_keeps_active_time_and_the_daily_reminder_given():
    config = make_config(only=("daily",), daily={"limit": 30 * MIN})
    old = Sim(config)
    old.type(0, 35 * MIN, every=5)
    assert old.shown_kinds() == [Kind.DAILY]
    new = restart(old, stopped=35 * MIN, back=60 * MIN)
    assert new.engine.status(0.0).active_today == pytest.approx(
        35 * MIN - 5 + config.activity.active_gap
    )
    new.type(0, 60 * MIN, every=5)
    assert not new.shown  # once a day, restart or not


def test_a_min_gap_from_the_last_reminder_holds_over_a_restart():
    def until_restart(sim: Sim) -> None:
        sim.type(0, 30 * MIN + 10, every=5)  # shown at 30 min
        sim.command(Snooze(MIN))  # due again at 31 min 10 s, held by min_gap to 35 min
        sim.type(sim.t, 30 * MIN + 30, every=5)

    plain = Sim(SITTING_ONLY)
    until_restart(plain)
    plain.type(30 * MIN + 40, 40 * MIN, every=5)
    old = Sim(SITTING_ONLY)
    until_restart(old)
    new = restart(old, stopped=30 * MIN + 30, back=30 * MIN + 40)
    new.type(0, 40 * MIN - new.offset, every=5)
    assert plain.shown[1].t == pytest.approx(35 * MIN)
    assert new.shown[0].t + new.offset == pytest.approx(plain.shown[1].t)
