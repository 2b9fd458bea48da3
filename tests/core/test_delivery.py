"""The engine's delivery rules (unseen reminders, retries, a server appearing, stale answers),
breaks the user asked for, and what status says about snoozes, holds and breaks.

What the properties exercise, measured with ``pytest --hypothesis-show-statistics`` (150
examples per test; ranges over four to six runs; about 0.5-1 s per test):

* No retry while suppressed: one test per suppression (away, paused, quiet hours, off-hours,
  do-not-disturb, fullscreen, call), so each is entered in every run, always while a reminder
  waits unseen (asserted). Every example but the paused ones has a wake-up in the window with
  the reminder waiting (asserted; a pause ends the unseen reminder at once, asserted too). In
  108-143 of 150 the server comes back inside the window, so a retry is due and held; it is
  delivered after the window (away: 53-66 of 150, in about half the window turns into a
  natural break, which drops it). The random rest of each plan adds the other suppressions,
  with a reminder waiting, in 0-26 of 150 each.
* Back-off timing: failures checked per example 1 (25-33%), 2-4 (5-9%), 5-9 (16-36%), 10 or
  more (32-45%); the longest wait checked is the 30 s cap in 57-65%; a server appears before
  the back-off runs out in 21-42%.
* Stale answers: every example answers an old reminder (asserted), one to four times. It had
  been skipped (15-51%), taken (25-43%), ignored (10-32%) or paused (6-25%); each key in
  13-69%; answered while active (always: the first answer), on a break (9-21%), away (7-15%),
  in do-not-disturb (7-16%), paused (0-6%); two or more old reminders to pick from in 3-10%.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import math
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from breakd.config.model import Config, ScheduleConfig, TimeRange
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
from tests.core.sim import Sim, on_at

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
    """A Sim whose notification server may be down: a Show then fails, as the daemon says.
    It also records what the plan did (server, pauses, calls, wake-ups) for the properties."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.server_up = True
        self.failures: list[tuple[float, int]] = []
        self.failed_shows: list[int] = []  # the failed Show's index in actions, per failure
        self.server_ups: list[tuple[int, float]] = []  # (action index, time) the server came
        self.pauses: list[tuple[int, float]] = []  # (action index, paused until; -inf: resumed)
        self.seen: list[float] = []  # present with no input: a call began or ended
        # What suppressed reminders at each wake-up while a reminder waited unseen, judged
        # then (a wake-up adds no action to order it by).
        self.held_unseen: list[set[str]] = []
        self.calls: list[tuple[object, list[Action]]] = []  # (unseen before the call, actions)
        self.retry_states: list[EngineState] = []  # the engine's state as each retry went

    def server(self, up: bool) -> None:
        self.server_up = up
        if up:
            self.engine.server_appeared(self.t)
            self.server_ups.append((len(self.actions), self.t))
            self._tick(self.t)

    def look(self) -> None:
        """A wake-up now, asked for or not (an early one changes nothing)."""
        self._tick(self.t)

    def call(self, reason: str | None) -> None:
        self.seen.append(self.t)
        super().call(reason)

    def answer(self, reminder_id: int, key: str) -> list[Action]:
        actions = self.engine.answer(reminder_id, key, self.t)
        self._record(self.t, actions)
        self._reschedule(self.t)
        return actions

    def command(self, cmd: Command) -> list[Action]:
        if isinstance(cmd, Pause):
            self.pauses.append((len(self.actions), math.inf if cmd.until is None else cmd.until))
        elif isinstance(cmd, (Resume, BreakNow)):  # a break asked for ends a pause
            self.pauses.append((len(self.actions), -math.inf))
        before = self.engine.unseen
        actions = super().command(cmd)
        self.calls.append((before if not isinstance(cmd, Pause) else None, actions))
        return actions

    def _tick(self, now: float) -> None:
        before = self.engine.unseen
        start = len(self.actions)
        if before is not None:
            self.held_unseen.append(suppressions(self, start, now))
        super()._tick(now)
        self.calls.append((before, [a for _, a in self.actions[start:]]))

    def _record(self, now: float, actions: list[Action]) -> None:
        start = len(self.actions)
        super()._record(now, actions)
        for index, action in enumerate(actions, start):
            if isinstance(action, Show) and action.retry:
                self.retry_states.append(self.engine.status(now).state)
            if isinstance(action, Show) and not self.server_up:
                self.engine.delivery_failed(action.reminder.id, now)
                self.failures.append((now, action.reminder.id))
                self.failed_shows.append(index)

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


def test_break_now_after_a_pause_in_typing_counts_as_taken_when_the_user_stays_away():
    sim = DeliverySim(CONFIG)
    sim.type(0, 60)
    sim.idle(sim.t + 2 * MIN + 10)  # already away (idle_after) when asking for the break
    (show,) = [a for a in sim.command(BreakNow()) if isinstance(a, Show)]
    sim.idle(sim.t + 3 * MIN)
    outcomes = [a.outcome for _, a in sim.of(Withdraw) if a.reminder_id == show.reminder.id]
    assert outcomes == [Outcome.TAKEN]


# --- properties ------------------------------------------------------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("type"), st.floats(1, 15 * MIN)),
        st.tuples(st.just("idle"), st.floats(1, 8 * MIN)),
        st.tuples(st.just("server"), st.booleans()),
        st.tuples(st.just("dnd"), st.booleans()),
        st.tuples(st.just("fullscreen"), st.booleans()),
        st.tuples(st.just("call"), st.booleans()),
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
ANSWER_KEYS = st.sampled_from(["take", "snooze", "skip", "end-break", "default"])


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
        elif step == "fullscreen":
            sim.fullscreen(arg)
        elif step == "call":
            sim.call("microphone in use" if arg else None)
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


# (a) No retry while anything suppresses reminders, judged from what the plan did.

SUPPRESSIONS = (
    "away",
    "paused",
    "quiet hours",
    "off-hours",
    "do-not-disturb",
    "fullscreen",
    "call",
)
ON_THE_CLOCK = ("quiet hours", "off-hours")  # windows of wall time, set in the config


@dataclass(frozen=True)
class Window:
    """Reminders suppressed by ``kind`` for a while, beginning while a reminder waits unseen."""

    kind: str
    lead: float  # seconds of typing, the server still down, from the failure to the window
    length: float  # seconds (whole minutes on the clock, at least one)
    server_at: float | None  # how far into the window the server comes back; None: it does not

    def clock(self) -> tuple[float, float]:
        """For a window on the clock: its start and end (engine time), whole minutes after
        9:12, when the first reminder has failed (10-11 min into the day)."""
        start = (12 + self.lead // 15) * MIN
        return start, start + (1 + self.length // MIN) * MIN

    def config(self) -> Config:
        if self.kind not in ON_THE_CLOCK:
            return CONFIG
        start, end = (dt.time(9, int(t // MIN) % 60) for t in self.clock())
        if self.kind == "quiet hours":
            notify = dataclasses.replace(CONFIG.notify, quiet_hours=(TimeRange(start, end),))
            return dataclasses.replace(CONFIG, notify=notify)
        work = (TimeRange(dt.time(8), start), TimeRange(end, dt.time(18)))
        return dataclasses.replace(CONFIG, schedule=ScheduleConfig(mon=work))


def windows(kind: str) -> st.SearchStrategy[Window]:
    return st.builds(
        Window,
        kind=st.just(kind),
        lead=st.floats(0, 60),
        length=st.floats(30, 10 * MIN),
        # The server comes back during most windows (a retry is then due and held back).
        server_at=st.floats(0, 1.25).map(lambda f: None if f > 1 else f),
    )


def suppressions(sim: DeliverySim, index: int, t: float) -> set[str]:
    """What suppresses reminders at action ``index`` (time ``t``), from what the plan did and
    the config: the engine's word is not taken for it. Switches recorded at ``index`` count as
    made before it."""
    config = sim.config
    found = set()
    in_call = on_at(sim.call_spans, index)
    # A call keeps the user present; its start and end count as being there.
    last_input = sim.inputs[bisect.bisect_right(sim.inputs, t) - 1]
    last_seen = max([last_input, *(s for s in sim.seen if s <= t)])
    if on_at(sim.lock_spans, index) or (
        not in_call and t - last_seen >= config.activity.idle_after
    ):
        found.add("away")
    paused_until = next((u for i, u in reversed(sim.pauses) if i <= index), -math.inf)
    if t < paused_until:
        found.add("paused")
    now = sim.engine.wall_at(t)  # the sim's clock as a wall time, no decision in it
    if any(r.contains(now.time()) for r in config.notify.quiet_hours):
        found.add("quiet hours")
    week = config.schedule.week
    if config.schedule.active and not any(r.contains(now.time()) for r in week[now.weekday()]):
        found.add("off-hours")
    if on_at(sim.dnd_spans, index) and config.notify.respect_dnd:
        found.add("do-not-disturb")
    if on_at(sim.fullscreen_spans, index) and config.notify.hold_in_fullscreen:
        found.add("fullscreen")
    if in_call:
        found.add("call")
    return found


def suppress(sim: DeliverySim, kind: str, on: bool, until: float) -> None:
    if kind == "do-not-disturb":
        sim.do_not_disturb(on, "dunst do-not-disturb")
    elif kind == "fullscreen":
        sim.fullscreen(on)
    elif kind == "call":
        sim.call("microphone in use" if on else None)
    elif kind == "paused" and on:
        sim.command(Pause(until))  # it ends by itself


def pass_time(sim: DeliverySim, kind: str, until: float) -> None:
    if kind == "away":
        sim.idle(until)
    else:
        sim.type(sim.t, until, every=2.0)


def through_window(sim: DeliverySim, window: Window) -> int:
    """Fail a delivery, then suppress reminders as ``window`` says while the reminder waits
    unseen (the server back part-way through, or not), then type for a minute. The index in
    actions from which the window is over."""
    due_and_unseen(sim)
    kind = window.kind
    if kind in ON_THE_CLOCK:
        start, end = window.clock()
        sim.type(sim.t, start + 1.0, every=2.0)  # retries fail until then
    else:
        sim.type(sim.t, sim.t + window.lead, every=2.0)
        start = sim.t + (CONFIG.activity.idle_after if kind == "away" else 0.0)
        end = start + window.length
        if kind == "away":
            sim.idle(start + 1.0)  # away from idle_after on: the window has begun
    assert sim.engine.unseen is not None, "the window must begin while a reminder waits unseen"
    begun = len(sim.actions)
    suppress(sim, kind, True, end)
    if kind == "paused":
        assert sim.engine.unseen is None  # a pause ends it: nothing is left to retry
    sim.look()  # a wake-up inside the window, while the reminder waits (held_unseen)
    if window.server_at is not None:
        pass_time(sim, kind, start + window.server_at * (end - start))
        if sim.engine.unseen is not None:
            event("the server came back during the window: a retry due was held")
        sim.server(True)
    pass_time(sim, kind, end)
    over = len(sim.actions)
    suppress(sim, kind, False, end)
    sim.type(sim.t, sim.t + MIN, every=2.0)
    if any(isinstance(a, NaturalBreak) for _, a in sim.actions[begun:]):
        event("the window was a natural break: nothing left to retry")
    return over


@pytest.mark.parametrize("kind", SUPPRESSIONS)
@fast
@given(data=st.data(), plan=steps)
def test_no_retry_while_reminders_are_suppressed(kind, data, plan):
    """Each example suppresses reminders by ``kind`` for a while (every kind is a test of its
    own, so each is entered in every run) while a reminder waits unseen, then anything may
    happen (``plan``); no retry is shown while any suppression lasts."""
    window = data.draw(windows(kind))
    sim = DeliverySim(window.config())
    over = through_window(sim, window)
    retried = [i for i, (_, a) in enumerate(sim.actions) if i >= over and _is_retry(a)]
    if retried:
        failed = retried[0] in sim.failed_shows
        event(f"retried after the window: {'failed again' if failed else 'delivered'}")
    drive(sim, plan)
    for index, (t, action) in enumerate(sim.actions):
        if _is_retry(action):
            assert not suppressions(sim, index, t), (t, action)
    assert all(not state.holds_reminders for state in sim.retry_states)  # its own word too
    held = set().union(*sim.held_unseen)
    for suppression in sorted(held):
        event(f"held an unseen reminder: {suppression}")
    assert kind in held or kind == "paused"  # a pause ends it: nothing waits while paused


def _is_retry(action: Action) -> bool:
    return isinstance(action, Show) and action.retry


# Unseen reminders in any plan.


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


# (b) The back-off, exactly: nothing suppresses reminders in these plans.

timing_plans = st.lists(
    st.one_of(
        st.tuples(st.just("type"), st.floats(1, 10 * MIN), st.floats(0.5, 20)),
        st.tuples(st.just("rest"), st.floats(1, 110), st.none()),  # never away (idle_after 2m)
        st.tuples(st.just("server"), st.booleans(), st.none()),
    ),
    min_size=1,
    max_size=15,
)


@fast
@given(plan=timing_plans, early=st.lists(st.floats(0, 2 * 3600), max_size=20))
def test_a_retry_comes_when_the_back_off_says(plan, early):
    """After a failed delivery the next attempt comes exactly ``RETRY_FIRST`` doubled for each
    failure of that showing in a row (at most ``RETRY_MAX``) later, or when a server appears if
    that is sooner; wake-ups in between (``early``) change nothing."""
    sim = DeliverySim(CONFIG, extra_wakes=tuple(early))
    due_and_unseen(sim)
    for step, arg, every in plan:
        if step == "type":
            sim.type(sim.t, sim.t + arg, every=every)
        elif step == "rest":
            sim.idle(sim.t + arg)
            sim.input(sim.t)
        else:
            sim.server(arg)
    longest = 0.0
    for (failed_at, reminder_id), index in zip(sim.failures, sim.failed_shows, strict=True):
        since = max((i for i, _ in sim.server_ups if i <= index), default=-1)
        in_a_row = sum(
            1
            for (_, rid), i in zip(sim.failures, sim.failed_shows, strict=True)
            if rid == reminder_id and since <= i <= index
        )
        due = failed_at + min(RETRY_FIRST * 2 ** (in_a_row - 1), RETRY_MAX)
        server = next((t for i, t in sim.server_ups if i > index), math.inf)
        if server < due:
            event("a server appeared before the back-off ran out")
        due = min(due, server)
        longest = max(longest, due - failed_at)
        after = [(t, a) for t, a in sim.actions[index + 1 :] if isinstance(a, Show)]
        if not after:
            assert due > sim.t, "the back-off ran out and nothing came"
            continue
        t, show = after[0]
        assert show.retry and show.reminder.id == reminder_id
        assert t == pytest.approx(due, abs=1e-9)
    event(f"failures checked: {_bucket(len(sim.failures))}")
    event(f"longest wait checked: {_bucket(round(longest))} s")


def _bucket(count: int) -> str:
    for low, high in ((0, 0), (1, 1), (2, 4), (5, 9), (10, 19), (20, 29), (30, 30)):
        if low <= count <= high:
            return str(low) if low == high else f"{low}-{high}"
    return "31+"


# (c) Stale answers: every example answers an old reminder, and nothing changes.

# How the first reminder ends before a second is shown (the first is old from then on).
FIRST_ENDS = {
    "skip": [("command", "skip")],
    "skip on the notification": [("answer", "skip")],
    "take, then away": [("answer", "take"), ("idle", 3 * MIN)],
    "a natural break": [("idle", 6 * MIN)],
    "ignored": [("type", 16 * MIN)],  # both repeats, then counted as ignored
    "pause": [("command", "pause")],
}


def stale_prefix(first_ends: str) -> list[tuple[str, object]]:
    return [("type", 10 * MIN + 5), *FIRST_ENDS[first_ends], ("type", 11 * MIN)]


def old_reminders(sim: DeliverySim) -> list[int]:
    """Reminders shown, ended for good (not snoozed) and followed by a newer one: from the
    actions, not the engine's ``is_stale``."""
    shown = [a.reminder.id for _, a in sim.of(Show)]
    ended = {a.reminder_id for _, a in sim.of(Resolved) if a.outcome is not Outcome.SNOOZED}
    return sorted({i for i in shown if i < max(shown) and i in ended})


def _ended_as(sim: DeliverySim, reminder_id: int) -> Outcome:
    resolved = [a for _, a in sim.of(Resolved) if a.reminder_id == reminder_id]
    return resolved[-1].outcome


@fast
@given(
    first_ends=st.sampled_from(list(FIRST_ENDS)),
    plan=steps,
    answers=st.lists(st.tuples(st.integers(0, 25), ANSWER_KEYS, st.integers(0, 99)), max_size=3),
    first=st.tuples(ANSWER_KEYS, st.integers(0, 99)),
)
def test_an_answer_for_an_old_reminder_changes_nothing(first_ends, plan, answers, first):
    """The same plan with and without answers for old reminders (one right after the second
    reminder, up to three more anywhere later): the same actions at the same times, and the
    same next wake-up after each answer."""
    prefix = stale_prefix(first_ends)
    full = [*prefix, *plan]
    at: dict[int, list[tuple[str, int]]] = {len(prefix): [first]}
    for position, key, pick in answers:
        at.setdefault(len(prefix) + position % (len(plan) + 1), []).append((key, pick))

    def run(answering: bool) -> tuple[DeliverySim, list[float | None]]:
        sim = DeliverySim(CONFIG)
        wakeups = []
        for i, step in enumerate([*full, None]):
            for key, pick in at.get(i, []):
                if answering:
                    old = old_reminders(sim)
                    assert old, "the plan must have shown a reminder that is now old"
                    reminder_id = old[pick % len(old)]
                    event(f"old reminders to choose from: {_bucket(len(old))}")
                    event(f"stale answer: {key}")
                    event(f"old reminder ended as: {_ended_as(sim, reminder_id).value}")
                    event(f"answered while: {sim.engine.status(sim.t).state.value}")
                    assert sim.engine.is_stale(reminder_id)
                    assert sim.answer(reminder_id, key) == []
                wakeups.append(sim.engine.next_wakeup(sim.t))
            if step is not None:
                drive(sim, [step])
        return sim, wakeups

    plain, plain_wakeups = run(answering=False)
    answered, answered_wakeups = run(answering=True)
    assert answered.actions == plain.actions
    assert answered_wakeups == plain_wakeups
    assert answered.engine.status(answered.t) == plain.engine.status(plain.t)


def test_a_reminder_out_of_repeats_is_withdrawn_on_time_while_the_user_is_away():
    """Found by the stale-answer property: asked while the user was away (after any
    reschedule: a stale answer, a reload), ``next_wakeup`` said None, so a reminder whose
    repeats had run out stayed on screen until the user came back, instead of being
    withdrawn as ignored when its time was up."""
    sim = DeliverySim(CONFIG)
    drive(sim, [*stale_prefix("skip"), ("type", 1.0), ("type", 631.0), ("idle", 120.0)])
    assert sim.engine.status(sim.t).state is EngineState.AWAY
    last_show = sim.of(Show)[-1][0]
    expires = sim.engine.next_wakeup(sim.t)
    assert expires is not None and expires > sim.t
    drive(sim, [("idle", expires - sim.t)])
    withdrawn = [(t, a.outcome) for t, a in sim.of(Withdraw)]
    assert withdrawn[-1] == (expires, Outcome.IGNORED)
    assert expires > last_show
