"""The engine's delivery rules (unseen reminders, retries, a server appearing, stale answers),
breaks the user asked for, and what status says about snoozes, holds and breaks."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breakd.core.engine import RETRY_FIRST, RETRY_MAX
from breakd.core.types import (
    Action,
    BreakNow,
    Command,
    EngineState,
    Kind,
    NaturalBreak,
    Outcome,
    Pause,
    Resolved,
    Resume,
    Show,
    Skip,
    Snooze,
    TakeBreak,
    Withdraw,
)
from tests.core.conftest import make_config
from tests.core.sim import Sim

MIN = 60.0
# One kind that repeats until answered; a short natural break so tests stay short.
CONFIG = make_config(
    only=("sitting",),
    sitting={"every": 10 * MIN, "repeat": 5 * MIN, "max_repeats": 2, "duration": 3 * MIN},
    activity={"idle_after": 2 * MIN, "natural_break": 5 * MIN, "active_gap": 30.0},
    notify={"grace_pause": 1.0, "min_gap": 60.0},
)


@dataclass
class DeliverySim(Sim):
    """A Sim whose notification server may be down: a Show then fails, as the daemon says."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.server_up = True
        self.failures: list[tuple[float, int]] = []
        self.calls: list[tuple[object, list[Action]]] = []  # (unseen before the call, actions)
        self.retry_states: list[EngineState] = []  # the engine's state as each retry went

    def server(self, up: bool) -> None:
        self.server_up = up
        if up:
            self.engine.server_appeared(self.t)
            self._tick(self.t)

    def answer(self, reminder_id: int, key: str) -> list[Action]:
        actions = self.engine.answer(reminder_id, key, self.t)
        self._record(self.t, actions)
        self._reschedule(self.t)
        return actions

    def command(self, cmd: Command) -> list[Action]:
        before = self.engine.unseen
        actions = super().command(cmd)
        self.calls.append((before if not isinstance(cmd, Pause) else None, actions))
        return actions

    def _tick(self, now: float) -> None:
        before = self.engine.unseen
        start = len(self.actions)
        super()._tick(now)
        self.calls.append((before, [a for _, a in self.actions[start:]]))

    def _record(self, now: float, actions: list[Action]) -> None:
        super()._record(now, actions)
        for action in actions:
            if isinstance(action, Show) and action.retry:
                self.retry_states.append(self.engine.status(now).state)
            if isinstance(action, Show) and not self.server_up:
                self.engine.delivery_failed(action.reminder.id, now)
                self.failures.append((now, action.reminder.id))

    def retries(self) -> list[tuple[float, Show]]:
        return [(t, a) for t, a in self.actions if isinstance(a, Show) and a.retry]


def due_and_unseen(sim: DeliverySim) -> int:
    """Type until the sitting reminder is due while the server is down; its id."""
    sim.server(False)
    while not sim.failures:  # stop typing at the failure: no retry has come yet
        assert sim.t < 11 * MIN, "the reminder should have been due and failed"
        sim.input(sim.t + 1.0)
    return sim.failures[0][1]


# --- unseen reminders ----------------------------------------------------------------------


def test_an_unseen_reminder_is_retried_with_back_off_as_the_same_showing():
    sim = DeliverySim(CONFIG)
    first = due_and_unseen(sim)
    sim.type(sim.t, sim.t + 60)
    retries = sim.retries()
    assert [a.reminder.id for _, a in retries] == [first] * len(retries)
    assert all(a.reminder.repeat == 0 for _, a in retries)
    times = [sim.failures[0][0]] + [t for t, _ in retries]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    expected = [min(RETRY_FIRST * 2**n, RETRY_MAX) for n in range(len(gaps))]
    assert gaps == pytest.approx(expected, abs=1.0)  # the next input after the retry time
    assert sim.engine.status(sim.t).kinds[0].undelivered


def test_an_unseen_reminder_never_repeats_and_nothing_is_shown_in_its_place():
    sim = DeliverySim(CONFIG)
    first = due_and_unseen(sim)
    sim.type(sim.t, sim.t + 30 * MIN)  # far past the repeat time
    shows = [a.reminder for _, a in sim.of(Show)]
    assert {(r.id, r.repeat) for r in shows} == {(first, 0)}
    assert not sim.of(Resolved)  # not "ignored": nobody saw it


def test_a_server_appearing_shows_it_at_once_then_the_repeat_clock_starts():
    sim = DeliverySim(CONFIG)
    first = due_and_unseen(sim)
    sim.type(sim.t, sim.t + 60)
    failed = len(sim.failures)
    sim.input(sim.t + 0.5)
    sim.server(True)
    shown_at = sim.t
    assert sim.retries()[-1][0] == shown_at and len(sim.failures) == failed
    sim.type(sim.t, sim.t + 6 * MIN)
    repeats = [(t, a.reminder) for t, a in sim.of(Show) if a.reminder.repeat == 1]
    assert repeats and repeats[0][1].id == first
    assert repeats[0][0] >= shown_at + 5 * MIN  # counted from the real showing


@pytest.mark.parametrize("hold", ["dnd", "pause", "away", "lock"])
def test_no_retry_while_reminders_are_held(hold: str):
    sim = DeliverySim(CONFIG)
    due_and_unseen(sim)
    if hold == "away":
        sim.idle(sim.t + 2 * MIN)  # gone (retries fail until then)
    sim.server_up = True
    before = len(sim.retries())
    if hold == "dnd":
        sim.engine.set_desktop_dnd("dunst do-not-disturb")
        sim.type(sim.t, sim.t + 60)
        assert sim.engine.status(sim.t).held_by == "dunst do-not-disturb"
    elif hold == "pause":
        sim.command(Pause(sim.t + 10 * MIN))
        sim.type(sim.t, sim.t + 60)
    elif hold == "away":
        sim.idle(sim.t + 2 * MIN)  # still away, not yet a natural break
    else:
        sim.lock(True)
        sim.idle(sim.t + 60)
        assert sim.engine.status(sim.t).held_by == "screen locked"
    assert len(sim.retries()) == before


def test_the_unseen_reminder_goes_when_do_not_disturb_ends():
    sim = DeliverySim(CONFIG)
    first = due_and_unseen(sim)
    sim.server_up = True
    sim.engine.set_desktop_dnd("GNOME do-not-disturb")
    sim.type(sim.t, sim.t + 60)
    sim.do_not_disturb(False)
    sim.type(sim.t, sim.t + 5)
    assert sim.retries()[-1][1].reminder.id == first


def test_a_natural_break_or_a_snooze_ends_the_unseen_reminder():
    sim = DeliverySim(CONFIG)
    due_and_unseen(sim)
    sim.command(Snooze(600))
    assert sim.engine.unseen is None
    assert sim.engine.status(sim.t).kinds[0].snoozed_until == pytest.approx(sim.t + 600)
    sim2 = DeliverySim(CONFIG)
    due_and_unseen(sim2)
    sim2.idle(sim2.t + 6 * MIN)
    sim2.input(sim2.t)
    assert sim2.engine.unseen is None and sim2.of(NaturalBreak)


def test_a_failure_reported_for_a_withdrawn_reminder_changes_nothing():
    sim = DeliverySim(CONFIG)
    sim.type(0, 10 * MIN + 2)
    (shown,) = sim.of(Show)
    sim.command(Skip())
    sim.engine.delivery_failed(shown[1].reminder.id, sim.t)
    assert sim.engine.unseen is None


# --- answers from notifications ---------------------------------------------------------------


def test_an_answer_from_an_old_notification_is_stale():
    config = make_config(
        only=("sitting", "water"),
        sitting={"every": 10 * MIN, "max_repeats": 0},
        water={"every": 20 * MIN, "max_repeats": 0},
        notify={"grace_pause": 1.0, "min_gap": 60.0},
    )
    sim = DeliverySim(config)
    sim.type(0, 21 * MIN)
    ids = [a.reminder.id for _, a in sim.of(Show)]
    assert len(ids) >= 2
    assert sim.engine.is_stale(ids[0]) and not sim.engine.is_stale(ids[-1])
    before = sim.engine.status(sim.t)
    assert sim.answer(ids[0], "skip") == []
    assert sim.engine.status(sim.t) == before


def test_snooze_and_skip_answer_the_reminder_they_were_clicked_on():
    sim = DeliverySim(CONFIG)
    sim.type(0, 10 * MIN + 2)
    (shown,) = [a.reminder for _, a in sim.of(Show)]
    actions = sim.answer(shown.id, "snooze")
    assert Withdraw(shown.id, Kind.SITTING, Outcome.SNOOZED) in actions
    assert sim.answer(shown.id, "end-break") == []  # no break to end
    assert sim.answer(shown.id, "nonsense") == []


# --- breaks the user asked for ---------------------------------------------------------------


def test_break_now_is_a_break_withdrawn_and_taken_when_the_user_was_away():
    sim = DeliverySim(CONFIG)
    sim.type(0, 60)
    (show,) = [a for a in sim.command(BreakNow()) if isinstance(a, Show)]
    assert show.reminder.on_break
    status = sim.engine.status(sim.t)
    assert status.state is EngineState.ON_BREAK
    assert status.break_until == pytest.approx(sim.t + 3 * MIN)
    assert all(k.due_in is None for k in status.kinds)  # no countdown during the break
    sim.idle(sim.t + 3 * MIN)
    assert Withdraw(show.reminder.id, Kind.SITTING, Outcome.TAKEN) in [a for _, a in sim.actions]
    assert sim.engine.status(sim.t).state is not EngineState.ON_BREAK


def test_a_break_worked_through_ends_on_time_as_ignored_and_end_break_ends_it_early():
    sim = DeliverySim(CONFIG)
    sim.type(0, 60)
    sim.command(BreakNow())
    sim.type(sim.t, sim.t + 4 * MIN)
    outcomes = [a.outcome for _, a in sim.of(Withdraw)]
    assert outcomes == [Outcome.IGNORED]
    (show,) = [a for a in sim.command(BreakNow()) if isinstance(a, Show)]
    actions = sim.answer(show.reminder.id, "end-break")
    assert Withdraw(show.reminder.id, Kind.SITTING, Outcome.SKIPPED) in actions
    assert sim.answer(show.reminder.id, "snooze") == []


def test_take_break_starts_a_break_of_the_reminders_length():
    sim = DeliverySim(CONFIG)
    sim.type(0, 10 * MIN + 2)
    sim.command(TakeBreak())
    status = sim.engine.status(sim.t)
    assert status.state is EngineState.ON_BREAK
    assert status.break_until == pytest.approx(sim.t + 3 * MIN)


def _shown_after_typing(sim: DeliverySim) -> Show:
    while not any(isinstance(a, Show) for _, a in sim.actions):
        sim.input(sim.t + 1.0)
    return next(a for _, a in sim.actions if isinstance(a, Show))


def test_take_break_then_finishing_the_sentence_still_takes_the_break():
    """The break begins when the user goes: typing on for a while after the click (longer
    than the break's length less idle_after) does not turn it into a break worked through."""
    sim = DeliverySim(CONFIG)
    show = _shown_after_typing(sim)
    sim.answer(show.reminder.id, "take")
    sim.type(sim.t + 1.0, sim.t + 90.0)  # 1.5 min more; the break is 3 min, idle_after 2
    stopped = sim.inputs[-1]
    status = sim.engine.status(stopped + 1.0)  # the status says when it ends now
    assert status.break_until == pytest.approx(stopped + 2 * MIN)
    sim.run_until(stopped + 10 * MIN)
    taken = [(t, a) for t, a in sim.actions if isinstance(a, Withdraw)]
    assert taken == [
        (pytest.approx(stopped + 2 * MIN), Withdraw(show.reminder.id, Kind.SITTING, Outcome.TAKEN))
    ]


def test_take_break_then_typing_through_it_is_no_break():
    sim = DeliverySim(CONFIG)
    show = _shown_after_typing(sim)
    sim.answer(show.reminder.id, "take")
    sim.type(sim.t + 1.0, sim.t + 4 * MIN)  # longer than the break: it was not taken
    assert sim.engine.status(sim.t).state is not EngineState.ON_BREAK
    assert not any(isinstance(a, Withdraw) for _, a in sim.actions)


# --- snoozes, pauses, holds in status ----------------------------------------------------


def test_snooze_with_nothing_due_moves_the_next_reminder_and_resume_ends_it():
    sim = DeliverySim(CONFIG)
    sim.type(0, 60)
    sim.command(Snooze(600))
    (kind,) = sim.engine.status(sim.t).kinds
    assert kind.snoozed_until == pytest.approx(10 * MIN + 600, abs=2)
    sim.command(Resume())
    assert sim.engine.status(sim.t).kinds[0].snoozed_until is None


def test_paused_shows_no_countdown_and_a_pause_replaces_a_snooze():
    sim = DeliverySim(CONFIG)
    sim.type(0, 60)
    sim.command(Snooze(600))
    sim.command(Pause(sim.t + 5 * MIN))
    status = sim.engine.status(sim.t)
    assert status.state is EngineState.PAUSED
    assert [(k.due_in, k.snoozed_until) for k in status.kinds] == [(None, None)]


def test_engine_states_are_an_enum_that_reads_as_its_wire_name():
    assert EngineState("on-break") is EngineState.ON_BREAK
    assert f"{EngineState.DO_NOT_DISTURB}" == "do-not-disturb"
    assert EngineState.ACTIVE == "active"


# --- properties ------------------------------------------------------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("type"), st.floats(1, 15 * MIN)),
        st.tuples(st.just("idle"), st.floats(1, 8 * MIN)),
        st.tuples(st.just("server"), st.booleans()),
        st.tuples(st.just("dnd"), st.booleans()),
        st.tuples(st.just("lock"), st.booleans()),
        st.tuples(st.just("command"), st.sampled_from(["snooze", "skip", "pause", "resume"])),
        st.tuples(st.just("answer"), st.sampled_from(["take", "snooze", "skip", "end-break"])),
        st.tuples(st.just("break-now"), st.none()),
    ),
    min_size=1,
    max_size=25,
)
# Every plan starts with a reminder no server could show: the rules under test then apply.
plans = steps.map(lambda plan: [("server", False), ("type", 10 * MIN + 5), *plan])
COMMANDS = {"snooze": Snooze(120), "skip": Skip(), "resume": Resume()}


def drive(sim: DeliverySim, plan) -> None:
    for step, arg in plan:
        if step == "type":
            sim.type(sim.t, sim.t + arg, every=2.0)
        elif step == "idle":
            sim.idle(sim.t + arg)
        elif step == "server":
            sim.server(arg)
        elif step == "dnd":
            sim.do_not_disturb(arg)
        elif step == "lock":
            sim.lock(arg)
        elif step == "command":
            sim.command(Pause(sim.t + 3 * MIN) if arg == "pause" else COMMANDS[arg])
        elif step == "answer":
            shows = [a.reminder.id for _, a in sim.of(Show)]
            if shows:  # the newest, or an old one left on screen
                sim.answer(shows[0] if len(shows) > 2 else shows[-1], arg)
        else:
            sim.command(BreakNow())


fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(plan=plans)
def test_a_retry_only_when_a_reminder_could_be_shown(plan):
    sim = DeliverySim(CONFIG)
    drive(sim, plan)
    assert all(not state.holds_reminders for state in sim.retry_states)


@fast
@given(plan=plans)
def test_nothing_is_shown_in_place_of_an_unseen_reminder(plan):
    sim = DeliverySim(CONFIG)
    drive(sim, plan)
    for before, actions in sim.calls:
        if before is None:
            continue
        for action in actions:
            if isinstance(action, (NaturalBreak,)) or (
                isinstance(action, Withdraw) and action.reminder_id == before.id
            ):
                break  # it is gone: what follows is new
            if isinstance(action, Show) and not action.reminder.on_break:
                assert action.retry and action.reminder == before


@fast
@given(plan=plans)
def test_a_retry_shows_the_same_reminder_and_repeats_wait_for_a_showing(plan):
    sim = DeliverySim(CONFIG)
    drive(sim, plan)
    failed_ids = {rid for _, rid in sim.failures}
    for _, show in sim.retries():
        assert show.reminder.id in failed_ids
    for t, action in sim.actions:
        if isinstance(action, Show) and action.reminder.repeat > 0 and not action.retry:
            # A repeat follows a showing that was delivered (or retried) earlier.
            earlier = [
                s
                for u, s in sim.actions[: sim.actions.index((t, action))]
                if isinstance(s, Show) and s.reminder.id == action.reminder.id
            ]
            assert earlier


@fast
@given(plan=plans, key=st.sampled_from(["take", "snooze", "skip", "end-break", "default"]))
def test_a_stale_answer_changes_nothing(plan, key):
    sim = DeliverySim(CONFIG)
    drive(sim, plan)
    stale = [a.reminder.id for _, a in sim.of(Show) if sim.engine.is_stale(a.reminder.id)]
    for reminder_id in stale:
        before = sim.engine.status(sim.t)
        assert sim.engine.answer(reminder_id, key, sim.t) == []
        assert sim.engine.status(sim.t) == before


def test_break_now_after_a_pause_in_typing_counts_as_taken_when_the_user_stays_away():
    sim = DeliverySim(CONFIG)
    sim.type(0, 60)
    sim.idle(sim.t + 2 * MIN + 10)  # already away (idle_after) when asking for the break
    (show,) = [a for a in sim.command(BreakNow()) if isinstance(a, Show)]
    sim.idle(sim.t + 3 * MIN)
    outcomes = [a.outcome for _, a in sim.of(Withdraw) if a.reminder_id == show.reminder.id]
    assert outcomes == [Outcome.TAKEN]
