"""Hook events from the engine's actions and status (``breakd.core.hooks``)."""

from __future__ import annotations

import pytest

from breakd.core.hooks import BreakType, Hook, HookEvent, HookFeed
from breakd.core.types import BreakNow, EndBreak, Pause, Resume, TakeBreak
from tests.core.conftest import make_config
from tests.core.sim import Sim

MIN = 60.0


class Told:
    """A sim and a feed, fed as the daemon does: the actions carried out, then the status."""

    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.feed = HookFeed()
        self.events: list[HookEvent] = []
        self._seen = 0

    def look(self) -> list[HookEvent]:
        sim = self.sim
        new = [a for _, a in sim.actions[self._seen :]]
        self._seen = len(sim.actions)
        events = self.feed.actions(new)
        events += self.feed.status(sim.engine.status(sim.t), sim.engine.holding, sim.t)
        self.events += events
        return events

    def hooks(self) -> list[Hook]:
        return [e.hook for e in self.events]


def test_a_shown_reminder_tells_its_kind_id_and_repeat():
    told = Told(Sim(make_config(only=("sitting",))))
    told.sim.type(0, 31 * MIN, every=5)
    (event,) = told.look()
    assert event.hook is Hook.SHOWN
    env = event.environment()
    assert env["BREAKD_EVENT"] == "shown"
    assert env["BREAKD_KIND"] == "sitting"
    assert env["BREAKD_REMINDER_ID"] == "1" and env["BREAKD_REPEAT"] == "0"
    assert env["BREAKD_OUTCOME"] == "" and env["BREAKD_PAUSE_SECONDS"] == ""


def test_break_now_starts_and_ends_with_its_outcome_and_length():
    config = make_config(only=("sitting",))
    told = Told(Sim(config))
    told.sim.type(0, 5 * MIN, every=5)
    told.sim.command(BreakNow())
    (started,) = told.look()
    assert started.hook is Hook.BREAK_STARTED and started.break_type is BreakType.BREAK_NOW
    assert started.break_seconds == pytest.approx(config.sitting.duration)
    assert started.reminder_id is not None
    told.sim.idle(told.sim.t + 60)
    told.sim.command(EndBreak())
    (ended,) = told.look()
    assert ended.hook is Hook.BREAK_ENDED and ended.break_type is BreakType.BREAK_NOW
    assert ended.outcome == "skipped" and ended.duration == pytest.approx(60)
    assert ended.environment()["BREAKD_DURATION"] == "60"


def test_take_break_then_away_is_one_break_taken_not_also_a_natural_one():
    told = Told(Sim(make_config(only=("sitting",))))
    told.sim.type(0, 31 * MIN, every=5)
    told.look()
    told.sim.command(TakeBreak())
    told.look()
    back = told.sim.t + 10 * MIN
    told.sim.input(back)
    told.look()
    breaks = [e for e in told.events if e.hook in (Hook.BREAK_STARTED, Hook.BREAK_ENDED)]
    assert [(e.hook, e.break_type) for e in breaks] == [
        (Hook.BREAK_STARTED, BreakType.TAKE_BREAK),
        (Hook.BREAK_ENDED, BreakType.TAKE_BREAK),
    ]
    assert breaks[1].outcome == "taken"


def test_a_natural_break_is_told_when_it_ends():
    config = make_config(only=("sitting",))
    told = Told(Sim(config))
    told.sim.type(0, 5 * MIN, every=5)
    told.look()
    told.sim.idle(20 * MIN)
    told.sim.input(20 * MIN)
    told.look()
    natural = [(e.hook, e.break_type, e.outcome) for e in told.events]
    assert natural == [(Hook.BREAK_ENDED, BreakType.NATURAL, "taken")]
    assert told.events[-1].duration == pytest.approx(20 * MIN - (5 * MIN - 5))


def test_paused_and_resumed_with_how_long():
    told = Told(Sim(make_config(only=("sitting",))))
    told.sim.command(Pause(until=told.sim.t + 10 * MIN))
    (paused,) = told.look()
    assert paused.hook is Hook.PAUSED and paused.environment()["BREAKD_PAUSE_SECONDS"] == "600"
    told.sim.command(Resume())
    assert [e.hook for e in told.look()] == [Hook.RESUMED]
    told.sim.command(Pause())
    (forever,) = told.look()
    assert forever.pause_seconds is None


def test_held_and_released_by_a_call_even_while_paused():
    told = Told(Sim(make_config(only=("sitting",))))
    told.sim.call("microphone in use")
    (held,) = told.look()
    assert held.hook is Hook.HELD and held.held_by == "microphone in use"
    told.sim.command(Pause())
    told.look()
    told.sim.idle(told.sim.t + 90)
    told.sim.call(None)
    (released,) = told.look()
    assert released.hook is Hook.RELEASED and released.held_by == "microphone in use"
    assert released.duration == pytest.approx(90)
    assert told.hooks() == [Hook.HELD, Hook.PAUSED, Hook.RELEASED]


def test_nothing_changed_tells_nothing():
    told = Told(Sim(make_config(only=("sitting",))))
    told.sim.type(0, 60, every=5)
    assert told.look() == []
    assert told.look() == []
