"""Invariants of the engine over random input, commands and configs (hypothesis).

How many reminders an example shows (the ``reminders shown`` events), measured with ``pytest
--hypothesis-show-statistics`` over three runs of the four tests that record it (150 examples
each, 1,800 in all): 20 or more in 78% (65-93% per test and run), 10-19 in 14%, 5-9 in 6%,
2-4 in 2%, none or one never. The typing stretches below are what makes them come.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from breakd.config.model import TimeRange
from breakd.core.types import (
    AskCheckin,
    BreakNow,
    InputKind,
    Pause,
    Resolved,
    Resume,
    Show,
    Skip,
    Snooze,
)
from tests.core.conftest import make_config
from tests.core.sim import Sim, on_at

WORKDAYS = {
    day: (TimeRange(dt.time(9), dt.time(9, 40)), TimeRange(dt.time(10), dt.time(17)))
    for day in ("mon", "tue", "wed", "thu")
}

# Seconds-scale configs keep the traces short while exercising every threshold.
configs = st.builds(
    lambda idle, extra, min_gap, sit, rep, water, posture, limit, quiet, pause, max_actions, week: (
        make_config(
            activity={"idle_after": idle, "natural_break": idle + extra, "active_gap": idle / 4},
            sitting={"every": sit, "duration": extra, "repeat": sit / 3, "max_repeats": 2},
            repetition={
                "every": rep,
                "pause": pause,
                "window": rep,
                "max_actions": max_actions,
                "repeat": rep / 2,
                "max_repeats": 1,
            },
            water={"every": water},
            posture={"every": posture, "max_repeats": 1, "repeat": posture / 2},
            daily={"limit": limit, "day_starts": dt.time(4)},
            notify={"min_gap": min_gap, "quiet_hours": quiet},
            schedule=week,
        )
    ),
    idle=st.floats(10, 120),
    extra=st.floats(1, 300),
    min_gap=st.floats(1, 300),
    sit=st.floats(60, 1800),
    rep=st.floats(60, 1200),
    water=st.floats(60, 3600),
    posture=st.floats(60, 2400),
    limit=st.floats(300, 7200),
    quiet=st.sampled_from(
        [
            (),
            (TimeRange(dt.time(9, 30), dt.time(10, 0)),),
            (TimeRange(dt.time(23), dt.time(9, 15)),),
        ]
    ),
    pause=st.floats(1, 50),
    max_actions=st.integers(5, 500),
    week=st.sampled_from([{}, WORKDAYS]),
)

# Steady typing for up to a few hours, a key every few seconds (never a gap the engine would
# call idle): the stretches in which reminders fall due, so most examples produce several and
# the properties compare something (without them only ~3% of examples had two reminders).
typing = st.tuples(st.just("type"), st.floats(1800, 3 * 3600), st.floats(2, 9))

# Whatever else can happen, between the typing stretches.
events = st.lists(
    st.one_of(
        st.tuples(st.just("input"), st.floats(0, 20), st.sampled_from(list(InputKind))),
        st.tuples(st.just("burst"), st.floats(0.05, 1), st.integers(1, 200)),
        st.tuples(st.just("idle"), st.floats(0, 4000), st.none()),
        st.tuples(st.just("dnd"), st.booleans(), st.none()),
        st.tuples(st.just("lock"), st.booleans(), st.none()),
        st.tuples(
            st.just("command"),
            st.sampled_from(["snooze", "skip", "pause", "pause-until", "resume", "break-now"]),
            st.floats(1, 600),
        ),
    ),
    max_size=12,
)

# A day: typing stretches, each followed by a few other events.
steps = st.lists(st.tuples(typing, events), min_size=1, max_size=4).map(
    lambda stretches: [step for stretch, after in stretches for step in (stretch, *after)]
)


def drive(sim: Sim, plan) -> None:
    for step in plan:
        name = step[0]
        if name == "type":
            if sim.lock_spans and sim.lock_spans[-1][1]:
                # Hours of typing happen at an unlocked screen; keys while it is locked (a
                # password) are the short "input" and "burst" steps.
                sim.lock(False)
            sim.type(sim.t, sim.t + step[1], every=step[2])
        elif name == "input":
            sim.input(sim.t + step[1], step[2])
        elif name == "burst":
            for _ in range(step[2]):
                sim.input(sim.t + step[1])
        elif name == "idle":
            sim.idle(sim.t + step[1])
        elif name == "dnd":
            sim.do_not_disturb(step[1])
        elif name == "lock":
            sim.lock(step[1])
        else:
            command = {
                "snooze": Snooze(step[2]),
                "skip": Skip(),
                "pause": Pause(),
                "pause-until": Pause(until=sim.t + step[2]),
                "resume": Resume(),
                "break-now": BreakNow(),
            }[step[1]]
            sim.command(command)
    sim.idle(sim.t + 3600)


fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class RecordingSim(Sim):
    def __post_init__(self) -> None:
        super().__post_init__()
        self.break_now_ids: set[int] = set()
        self.input_times: list[float] = [0.0]

    def command(self, cmd):
        actions = super().command(cmd)
        if isinstance(cmd, BreakNow):
            self.break_now_ids.update(a.reminder.id for a in actions if isinstance(a, Show))
        return actions


def engine_shows(sim: RecordingSim) -> list[tuple[float, Show]]:
    shows = [
        (t, a)
        for t, a in sim.actions
        if isinstance(a, Show) and a.reminder.id not in sim.break_now_ids
    ]
    event(f"reminders shown: {_bucket(len(shows))}")  # pytest --hypothesis-show-statistics
    return shows


def _bucket(count: int) -> str:
    for low, high in ((0, 0), (1, 1), (2, 4), (5, 9), (10, 19)):
        if low <= count <= high:
            return str(low) if low == high else f"{low}-{high}"
    return "20+"


@fast
@given(config=configs, plan=steps, seed=st.integers(0, 3))
def test_never_two_reminders_closer_than_min_gap(config, plan, seed):
    sim = RecordingSim(config, seed=seed)
    drive(sim, plan)
    times = [t for t, _ in engine_shows(sim)]
    gap = config.notify.min_gap
    assert all(b - a >= gap - 1e-6 for a, b in itertools.pairwise(times))


@fast
@given(config=configs, plan=steps)
def test_nothing_while_away(config, plan):
    sim = RecordingSim(config)
    drive(sim, plan)
    for t, _ in engine_shows(sim):
        last_input = max(i for i in sim.inputs if i <= t)
        assert t - last_input < config.activity.idle_after


@fast
@given(config=configs, plan=steps)
def test_nothing_during_quiet_hours_or_outside_working_hours(config, plan):
    sim = RecordingSim(config)
    drive(sim, plan)
    for t, _ in engine_shows(sim):
        wall = sim.engine.wall_at(t)
        assert not any(r.contains(wall.time()) for r in config.notify.quiet_hours)
        if config.schedule.active:
            day = config.schedule.week[wall.weekday()]
            assert any(r.contains(wall.time()) for r in day), wall


@fast
@given(config=configs, plan=steps)
def test_next_wakeup_is_never_in_the_past(config, plan):
    # The Sim asserts wake > now after every call; driving it is the test.
    sim = RecordingSim(config)
    drive(sim, plan)


@fast
@given(
    config=configs,
    plan=steps,
    extra=st.lists(st.floats(0, 20000), max_size=30),
)
def test_extra_wakeups_change_nothing(config, plan, extra):
    """The engine's wake-up is never late: waking it at more moments shows the same
    reminders at the same times."""
    plain = RecordingSim(config)
    drive(plain, plan)
    poked = RecordingSim(config, extra_wakes=tuple(extra))
    drive(poked, plan)
    summary = [
        (round(t, 6), s.reminder.kind, s.reminder.also, s.reminder.repeat)
        for t, s in engine_shows(plain)
    ]
    poked_summary = [
        (round(t, 6), s.reminder.kind, s.reminder.also, s.reminder.repeat)
        for t, s in engine_shows(poked)
    ]
    assert poked_summary == summary


@fast
@given(config=configs, plan=steps)
def test_nothing_during_do_not_disturb_or_while_the_screen_is_locked(config, plan):
    sim = RecordingSim(config)
    drive(sim, plan)
    for index, (_, action) in enumerate(sim.actions):
        if isinstance(action, Show) and action.reminder.id not in sim.break_now_ids:
            assert not on_at(sim.dnd_spans, index)
            assert not on_at(sim.lock_spans, index)


def test_a_break_that_answers_a_reminder_is_seen_when_it_ends():
    """Found by test_extra_wakeups_change_nothing: a short pause in typing that takes a
    pending reminder's break restarted its timer from the presence counted whenever the engine
    next looked, so an extra wake-up in between moved the next reminder."""
    config = make_config(
        only=("sitting",), sitting={"every": 60.0, "duration": 1.0, "max_repeats": 2}
    )
    plain, poked = RecordingSim(config), RecordingSim(config, extra_wakes=(1950.0,))
    for sim in (plain, poked):
        sim.type(0.0, 2071.0, every=2.0)
        sim.idle(sim.t + 3600)
    assert [t for t, _ in sim_shows(poked)] == [t for t, _ in sim_shows(plain)]
    # The reminder shown at 1920 is answered by the 2 s pause that ends at 1922, then (it was
    # seen at the next wake-up: 1980, its repeat, or 1950 when woken then).
    for sim in (plain, poked):
        resolved = [t for t, a in sim.actions if isinstance(a, Resolved) and 1900 < t < 2000]
        assert resolved == [1922.0]


def sim_shows(sim: RecordingSim) -> list[tuple[float, Show]]:
    return [(t, a) for t, a in sim.actions if isinstance(a, Show)]


def test_a_wakeup_during_a_lock_changes_nothing():
    """Found by test_extra_wakeups_change_nothing: the presence tail of the last input was cut
    at the lock only while the lock lasted, so a natural break seen during the lock restarted
    the timers from less presence than one seen at the unlock (up to idle_after more)."""
    config = make_config(
        activity={"idle_after": 100.0, "natural_break": 101.0, "active_gap": 25.0},
        sitting={"every": 60.0, "duration": 1.0, "repeat": 20.0, "max_repeats": 2},
        repetition={"every": 60.0, "pause": 1.0, "window": 60.0, "max_actions": 5},
        water={"every": 60.0},
        posture={"every": 60.0, "max_repeats": 1, "repeat": 30.0},
        daily={"enabled": False},
        notify={"min_gap": 1.0},
    )
    plan = [
        ("type", 600.0, 2.0),
        ("lock", True, None),
        ("input", 20.0, InputKind.KEY),  # a key while locked (the password, say)
        ("idle", 3600.0, None),
        ("lock", False, None),
        ("type", 600.0, 2.0),
    ]
    plain, poked = RecordingSim(config), RecordingSim(config, extra_wakes=(2000.0,))
    drive(plain, plan)
    drive(poked, plan)
    summary = [(t, s.reminder.kind, s.reminder.also) for t, s in sim_shows(plain)]
    assert [(t, s.reminder.kind, s.reminder.also) for t, s in sim_shows(poked)] == summary


def test_a_break_now_at_the_check_in_time_wakes_no_busy_loop():
    # Found by test_nothing_while_away: break-now while the check-in waited for a typing pause
    # made next_wakeup answer "now" for a question it cannot ask on a break (the sim asserts
    # every wake-up lies ahead of now).
    config = make_config(
        activity={"idle_after": 10.0, "natural_break": 189.2, "active_gap": 2.5},
        sitting={"every": 60.0, "duration": 179.2, "repeat": 20.0, "max_repeats": 2},
        repetition={
            "every": 60.0,
            "pause": 1.0,
            "window": 60.0,
            "max_actions": 5,
            "repeat": 30.0,
            "max_repeats": 1,
        },
        water={"every": 60.0},
        posture={"every": 60.0, "max_repeats": 1, "repeat": 30.0},
        daily={"limit": 300.0, "day_starts": dt.time(4)},
        notify={"min_gap": 1.0, "quiet_hours": ()},
        schedule={},
    )
    plan = [
        ("type", 6581.04, 2.0),
        ("type", 1800.0, 2.0),
        ("type", 10714.61, 2.0),
        ("type", 8112.48, 2.0),
        ("command", "break-now", 1.0),
    ]
    sim = RecordingSim(config)
    drive(sim, plan)  # the sim asserts that every wake-up lies ahead
    assert not sim.of(AskCheckin)  # not on the break, nor while away after it
