"""The engine driven by a presence source (Wayland idle monitors): activity comes as spans
("active from t", "idle for n seconds"), not as one event per key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakd.core.types import AskCheckin, Kind, NaturalBreak, Show
from tests.core.conftest import make_config
from tests.core.sim import Sim

MIN = 60.0
CAP = 60.0  # notify.max_deferral: held active all along, the typing grace waits this long
SITTING_ONLY = make_config(only=("sitting",), sitting={"max_repeats": 0})


def test_a_held_span_counts_as_continuous_presence():
    sim = Sim(SITTING_ONLY)
    sim.began(10.0)
    sim.idle(40 * MIN)
    assert [(s.kind, round(s.t)) for s in sim.shown] == [(Kind.SITTING, 30 * 60 + CAP)]
    status = sim.engine.status(sim.t)
    assert status.state == "active" and status.presence == pytest.approx(40 * MIN)


def test_idle_report_ends_the_span_where_input_really_stopped():
    sim = Sim(SITTING_ONLY)
    sim.began(0.0)
    sim.ended(20 * MIN + 10, idle_for=10)  # the source fires 10 s after the last input
    sim.idle(60 * MIN)
    assert sim.shown == []  # away since 20 min: 30 min of presence never reached
    assert sim.engine.status(sim.t).state == "away"
    assert sim.engine.next_wakeup(sim.t) is None  # nothing to do until the user is back


def test_coming_back_after_a_long_idle_is_a_natural_break():
    sim = Sim(SITTING_ONLY)
    sim.began(0.0)
    sim.ended(25 * MIN, idle_for=5)
    sim.began(40 * MIN)
    sim.idle(80 * MIN)
    assert sim.of(NaturalBreak)
    assert round(sim.shown[0].t) == 40 * 60 + 30 * 60 + CAP


def test_minutes_are_sampled_while_held():
    sim = Sim(SITTING_ONLY)
    sim.began(0.0)
    sim.idle(5 * MIN + 1)
    samples = sim.engine.take_minutes()
    assert len(samples) >= 4
    assert all(s.present == pytest.approx(60.0) for s in samples[1:])
    assert all(s.keys == 0 and s.clicks == 0 for s in samples)


def test_micro_break_falls_back_to_continuous_use():
    sim = Sim(make_config(only=("repetition",), repetition={"max_repeats": 0}))
    sim.began(0.0)
    sim.idle(25 * MIN)
    assert [(s.kind, round(s.t)) for s in sim.shown] == [(Kind.REPETITION, 20 * 60 + CAP)]


def test_a_reminder_due_while_held_waits_for_the_sources_idle_report():
    sim = Sim(SITTING_ONLY)
    sim.began(0.0)
    sim.ended(30 * MIN + 20, idle_for=5)  # a pause in typing 20 s after it fell due
    assert [(s.kind, round(s.t)) for s in sim.shown] == [(Kind.SITTING, 30 * 60 + 20)]


spans = st.lists(
    st.tuples(st.floats(1, 3000), st.floats(1, 3000), st.floats(0.5, 60)), min_size=1, max_size=12
)


@settings(max_examples=100, deadline=None)
@given(plan=spans, extra=st.lists(st.floats(0, 40000), max_size=20))
def test_extra_wakeups_change_nothing_with_a_presence_source(plan, extra):
    def run(extra_wakes):
        sim = Sim(make_config(), extra_wakes=tuple(extra_wakes))
        t = 0.0
        for away, active, idle_for in plan:
            t += away
            sim.began(t)
            t += active
            sim.ended(t, min(idle_for, active))
        sim.idle(t + 3600)
        return [
            (round(t, 6), a.reminder.kind, a.reminder.also)
            for t, a in sim.actions
            if isinstance(a, Show)
        ]

    assert run(extra) == run(())


def test_a_wakeup_while_the_check_in_waits_changes_nothing():
    """Found by the property above: the check-in waiting for a pause in typing restarted the
    typing deferral at every wake-up, and a reminder falling due then inherited that start, so
    an extra wake-up at 30121 moved the sitting reminder from 30180 to 30181."""
    plan = [
        (1.0, 1.0, 1.0),
        (1.0, 484.0, 1.0),
        (1.0, 2.0, 1.0),
        (1.0, 1251.0, 1.0),
        (922.0, 3000.0, 1.0),
        (739.0, 2078.0, 1.0),
        (1480.0, 3000.0, 1.0),
        (3000.0, 3000.0, 1.0),
        (3000.0, 3000.0, 1.0),
        (3000.0, 2219.0, 1.0),
    ]

    def run(extra_wakes: tuple[float, ...]) -> Sim:
        sim = Sim(make_config(), extra_wakes=extra_wakes)
        t = 0.0
        for away, active, idle_for in plan:
            t += away
            sim.began(t)
            t += active
            sim.ended(t, min(idle_for, active))
        sim.idle(t + 3600)
        return sim

    def shows(sim: Sim) -> list[tuple[float, Kind]]:
        return [(t, a.reminder.kind) for t, a in sim.actions if isinstance(a, Show)]

    plain, poked = run(()), run((30121.0,))
    assert shows(poked) == shows(plain)
    # The check-in came at 16:30 (27000) while held active: asked once the deferral ran out.
    assert [t for t, _ in plain.of(AskCheckin)] == [t for t, _ in poked.of(AskCheckin)]
    assert len(plain.of(AskCheckin)) == 1
