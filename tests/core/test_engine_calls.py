"""A call or meeting (camera, microphone, screen sharing) as an input of the engine."""

from __future__ import annotations

import pytest

from breakd.core.types import EngineState, Kind, NaturalBreak
from tests.core.conftest import make_config
from tests.core.sim import Sim

MIN = 60.0
SITTING_ONLY = make_config(only=("sitting",))


def test_a_call_holds_reminders_and_the_most_important_comes_after_it_and_the_typing_grace():
    config = make_config(only=("sitting", "posture"), posture={"every": 20 * MIN})
    sim = Sim(config)
    sim.type(0, 10 * MIN, every=5)
    sim.call("microphone in use")
    sim.type(sim.t, 45 * MIN, every=5)
    assert sim.shown == []
    status = sim.engine.status(sim.t)
    assert status.state is EngineState.DO_NOT_DISTURB
    assert status.held_by == "microphone in use"
    ended = sim.t
    sim.call(None)
    sim.idle(ended + 60)
    (held,) = sim.shown
    assert held.t == pytest.approx(ended + config.notify.grace_pause)
    assert held.kind is Kind.SITTING and held.reminder.also == (Kind.POSTURE,)


def test_a_silent_call_counts_as_sitting_not_as_a_natural_break():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 5 * MIN, every=5)
    sim.call("camera in use")
    sim.idle(sim.t + 40 * MIN)  # listening, not typing, for longer than a natural break
    status = sim.engine.status(sim.t)
    assert status.state is EngineState.DO_NOT_DISTURB
    assert status.presence == pytest.approx(sim.t)
    assert sim.of(NaturalBreak) == [] and sim.shown == []
    end = sim.t
    sim.call(None)
    sim.idle(end + 60)
    (after,) = sim.shown  # 45 min of sitting: due, shown once the call is over
    assert after.kind is Kind.SITTING and after.t == pytest.approx(end + 3)


def test_typing_during_a_call_after_a_long_silence_is_no_natural_break():
    sim = Sim(SITTING_ONLY)
    sim.call("screen sharing")
    sim.idle(20 * MIN)
    sim.input(20 * MIN)
    sim.idle(21 * MIN)
    assert sim.of(NaturalBreak) == []
    assert sim.engine.status(sim.t).presence == pytest.approx(21 * MIN)


def test_away_after_the_call_is_a_natural_break_again():
    sim = Sim(SITTING_ONLY)
    sim.call("microphone in use")
    sim.idle(10 * MIN)
    sim.call(None)
    sim.idle(10 * MIN + 20 * MIN)
    assert sim.engine.status(sim.t).state is EngineState.AWAY
    assert [a.start for _, a in sim.of(NaturalBreak)] == [pytest.approx(10 * MIN)]


def test_do_not_disturb_and_a_call_hold_together_and_status_names_both():
    sim = Sim(SITTING_ONLY)
    sim.do_not_disturb(True)
    sim.call("camera in use, microphone in use")
    assert sim.engine.holding == "do-not-disturb, camera in use, microphone in use"
    sim.do_not_disturb(False)
    assert sim.engine.status(sim.t).held_by == "camera in use, microphone in use"
    sim.call(None)
    assert sim.engine.holding is None
    assert sim.engine.status(sim.t).held_by is None


def test_a_call_with_a_presence_source_keeps_the_user_present_until_both_end():
    sim = Sim(SITTING_ONLY)
    sim.began(0.0)
    sim.call("microphone in use")
    sim.ended(5 * MIN, idle_for=5 * MIN)  # no input, but the call goes on
    sim.idle(20 * MIN)
    assert sim.engine.status(sim.t).presence == pytest.approx(20 * MIN)
    sim.call(None)
    sim.idle(20 * MIN + 10 * MIN)
    assert sim.engine.status(sim.t).state is EngineState.AWAY


def test_a_screen_locked_during_a_call_is_away_and_unlocking_is_back_in_it():
    sim = Sim(SITTING_ONLY)
    sim.call("camera in use")
    sim.idle(5 * MIN)
    sim.lock(True)
    assert sim.engine.status(sim.t).state is EngineState.AWAY
    sim.idle(6 * MIN)
    sim.lock(False)
    sim.idle(30 * MIN)
    assert sim.engine.status(sim.t).state is EngineState.DO_NOT_DISTURB
