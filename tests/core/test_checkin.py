"""The daily check-in through simulated days: when it is asked, once a day, and never while held."""

from __future__ import annotations

import datetime as dt

import pytest

from breakd.config.model import TimeRange
from breakd.core.checkin import CHOICES, ask_from
from breakd.core.checkin import question as checkin_question
from breakd.core.checkin import within as checkin_within
from breakd.core.types import AskCheckin, Pause, Resume
from tests.core.conftest import make_config
from tests.core.sim import MONDAY_9AM, Sim

MIN = 60.0
HOUR = 3600.0
MONDAY = MONDAY_9AM.date()


def at(hhmm: str, day: int = 0) -> float:
    """Sim time of ``hhmm`` on Monday (+ ``day`` days)."""
    h, m = map(int, hhmm.split(":"))
    wall = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(h, m))
    return (wall - MONDAY_9AM).total_seconds()


def work(sim: Sim, start: float, end: float, every: float = 20.0) -> None:
    """Present at the desk from ``start`` to ``end``: a key now and then, never a long pause."""
    sim.type(start, end, every=every)


def asked(sim: Sim) -> list[tuple[float, dt.date]]:
    return [(t, a.question.day) for t, a in sim.of(AskCheckin)]  # type: ignore[attr-defined]


def wall(t: float) -> dt.datetime:
    return MONDAY_9AM + dt.timedelta(seconds=t)


def test_asked_once_at_the_end_of_the_day_by_default():
    sim = Sim(make_config())
    work(sim, 0.0, at("18:00"))
    ((t, day),) = asked(sim)
    assert day == MONDAY
    # "end" with no working hours: 16:30, or min_gap after a reminder shown just before.
    assert at("16:30") <= t <= at("16:30") + sim.config.notify.min_gap + MIN
    # ... and no reminder right after it either.
    assert all(abs(s.t - t) >= sim.config.notify.min_gap for s in sim.shown)


def test_the_question_has_four_buttons_on_the_zero_to_ten_scale():
    sim = Sim(make_config())
    work(sim, 0.0, at("17:00"))
    ((_, action),) = sim.of(AskCheckin)
    question = action.question  # type: ignore[attr-defined]
    assert [(c.label, c.score) for c in question.choices] == [
        ("Fine", 0),
        ("Stiff", 2),
        ("Sore", 4),
        ("Painful", 7),
    ]
    assert len({c.key for c in question.choices}) == 4
    assert "breakd checkin 0-10" in question.command_hint
    assert question.choices == CHOICES


def test_once_a_day_and_again_the_next_day():
    sim = Sim(make_config(only=()))
    work(sim, 0.0, at("18:00"))
    sim.idle(at("09:00", day=1))
    work(sim, at("09:00", day=1), at("18:00", day=1))
    days = [day for _, day in asked(sim)]
    assert days == [MONDAY, MONDAY + dt.timedelta(days=1)]


def test_a_fixed_time():
    sim = Sim(make_config(only=(), checkin={"at": dt.time(11, 15)}))
    work(sim, 0.0, at("12:00"))
    ((t, _),) = asked(sim)
    assert at("11:15") <= t < at("11:15") + 10.0  # the next pause in typing


def test_not_when_already_checked_in_that_day():
    sim = Sim(make_config(only=()))
    sim.engine.checked_in(MONDAY)
    work(sim, 0.0, at("18:00"))
    assert asked(sim) == []


def test_a_check_in_for_another_day_does_not_count_today():
    sim = Sim(make_config(only=()))
    sim.engine.checked_in(MONDAY - dt.timedelta(days=3))
    work(sim, 0.0, at("18:00"))
    assert [day for _, day in asked(sim)] == [MONDAY]


def test_turned_off():
    sim = Sim(make_config(only=(), checkin={"enabled": False}))
    work(sim, 0.0, at("18:00"))
    assert asked(sim) == []
    assert sim.engine.next_wakeup(sim.t) is None


def test_held_while_do_not_disturb_then_asked_when_it_ends():
    sim = Sim(make_config(only=()))
    work(sim, 0.0, at("16:00"))
    sim.do_not_disturb(True)
    work(sim, at("16:00"), at("17:00"))
    assert asked(sim) == []
    sim.do_not_disturb(False)
    off = sim.t
    work(sim, at("17:00"), at("18:00"))
    ((t, _),) = asked(sim)
    assert off <= t < off + 10.0


def test_held_while_paused():
    sim = Sim(make_config(only=()))
    work(sim, 0.0, at("16:00"))
    sim.command(Pause(until=None))
    work(sim, at("16:00"), at("17:00"))
    assert asked(sim) == []
    sim.command(Resume())
    resumed = sim.t
    work(sim, at("17:00"), at("18:00"))
    ((t, _),) = asked(sim)
    # Coming back from a pause counts as a reminder: min_gap first.
    assert resumed + sim.config.notify.min_gap <= t < resumed + 6 * MIN


def test_held_in_quiet_hours():
    quiet = (TimeRange(dt.time(16, 0), dt.time(17, 30)),)
    sim = Sim(make_config(only=(), notify={"quiet_hours": quiet}))
    work(sim, 0.0, at("18:00"))
    ((t, _),) = asked(sim)
    assert at("17:30") <= t < at("17:30") + 10.0


def test_end_of_work_follows_the_schedule():
    sim = Sim(make_config(only=(), schedule={"mon": (TimeRange(dt.time(9), dt.time(12)),)}))
    work(sim, 0.0, at("18:00"))
    ((t, _),) = asked(sim)
    assert at("11:30") <= t < at("11:30") + 10.0


def test_never_outside_working_hours():
    schedule = {"mon": (TimeRange(dt.time(9), dt.time(12)),)}
    sim = Sim(make_config(only=(), schedule=schedule, checkin={"at": dt.time(16, 30)}))
    work(sim, 0.0, at("18:00"))
    assert asked(sim) == []


def test_away_at_that_moment_then_asked_on_return():
    sim = Sim(make_config(only=()))
    work(sim, 0.0, at("16:00"))
    sim.idle(at("17:00"))  # a walk: away over 16:30
    assert asked(sim) == []
    work(sim, at("17:00"), at("18:00"))
    ((t, _),) = asked(sim)
    # Back from a natural break: min_gap first, as for reminders.
    assert at("17:00") + sim.config.notify.min_gap <= t < at("17:00") + 6 * MIN


def test_not_asked_when_the_user_never_comes_back():
    sim = Sim(make_config(only=()))
    work(sim, 0.0, at("16:00"))
    sim.idle(at("09:00", day=1))
    assert asked(sim) == []


def test_not_shown_is_asked_again_a_little_later_and_only_once():
    sim = Sim(make_config(only=()))
    work(sim, 0.0, at("16:40"))
    ((t, day),) = asked(sim)
    sim.engine.checkin_not_shown(day, t)
    work(sim, at("16:40"), at("18:00"))
    (first, again) = [t for t, _ in asked(sim)]
    assert first + 10 * MIN <= again < first + 11 * MIN


@pytest.mark.parametrize(
    ("at_", "expected"),
    [
        (dt.time(16, 30), dt.datetime(2026, 11, 23, 16, 30)),
        (dt.time(1, 0), dt.datetime(2026, 11, 24, 1, 0)),  # days start at 04:00
        (None, dt.datetime(2026, 11, 23, 16, 30)),  # "end" without working hours
    ],
)
def test_ask_from(at_: dt.time | None, expected: dt.datetime):
    assert ask_from(MONDAY, make_config(checkin={"at": at_})) == expected


def test_end_of_a_shift_past_midnight():
    night = {"mon": (TimeRange(dt.time(9), dt.time(12)), TimeRange(dt.time(20), dt.time(2)))}
    config = make_config(schedule=night)
    assert ask_from(MONDAY, config) == dt.datetime(2026, 11, 24, 1, 30)
    assert ask_from(MONDAY + dt.timedelta(days=1), config) is None  # no hours on Tuesday


@pytest.mark.parametrize(
    ("buttons", "kept"),
    [
        (None, ("Fine", "Stiff", "Sore", "Painful")),
        (4, ("Fine", "Stiff", "Sore", "Painful")),
        (3, ("Fine", "Sore", "Painful")),
        (2, ("Fine", "Painful")),
    ],
)
def test_a_question_within_fewer_buttons_keeps_painful_and_names_what_it_offers(
    buttons: int | None, kept: tuple[str, ...]
) -> None:
    asked = checkin_within(checkin_question(dt.date(2026, 11, 23)), buttons)
    assert tuple(c.label for c in asked.choices) == kept
    for label in ("Fine", "Stiff", "Sore", "Painful"):
        assert (label.lower() in asked.body.lower()) == (label in kept)
