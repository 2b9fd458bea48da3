"""The engine through simulated workdays: each rule, its boundaries and the commands."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from breakd.config.model import TimeRange
from breakd.core.types import (
    BreakNow,
    InputKind,
    Kind,
    NaturalBreak,
    Outcome,
    Pause,
    Resolved,
    Resume,
    Show,
    Skip,
    Snooze,
    Urgency,
    Withdraw,
)
from tests.core.conftest import make_config
from tests.core.sim import Sim

MIN = 60.0
SITTING_ONLY = make_config(only=("sitting",))


def outcomes(sim: Sim) -> list[Outcome]:
    return [a.outcome for _, a in sim.of(Resolved)]


# --- presence, idle and natural breaks ---------------------------------------------------


def test_sitting_reminder_after_thirty_minutes_of_presence():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 40 * MIN, every=5)
    first = sim.shown[0]
    assert first.kind is Kind.SITTING
    assert first.t == pytest.approx(30 * MIN)
    assert first.reminder.break_seconds == 5 * MIN
    assert first.reminder.urgency is Urgency.NORMAL
    assert first.reminder.title and first.reminder.body


def test_reading_without_input_still_counts_as_sitting():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 10 * MIN, every=5)
    sim.idle(10 * MIN + 110)  # 110 s reading: shorter than idle_after (120 s)
    sim.type(10 * MIN + 110, 40 * MIN, every=5)
    assert sim.shown[0].t == pytest.approx(30 * MIN)


def test_gap_longer_than_idle_after_counts_only_up_to_idle_after():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 10 * MIN, every=5)  # last input at 595
    sim.type(595 + 200, 40 * MIN, every=5)  # a 200 s gap: 80 s of it is not presence
    assert sim.shown[0].t == pytest.approx(30 * MIN + 80)
    assert not sim.of(NaturalBreak)


@pytest.mark.parametrize(("gap", "natural"), [(299.0, False), (300.0, True), (2 * 3600.0, True)])
def test_natural_break_boundary(gap, natural):
    sim = Sim(SITTING_ONLY)
    sim.type(0, 20 * MIN, every=5)
    back = 20 * MIN - 5 + gap
    sim.type(back, back + 40 * MIN, every=5)
    first = sim.shown[0].t
    if natural:
        assert first == pytest.approx(back + 30 * MIN)
        assert sim.of(NaturalBreak)
    else:
        # Only idle_after of the gap counted as presence.
        assert first == pytest.approx(30 * MIN + (gap - 120))
        assert not sim.of(NaturalBreak)


def test_suspend_sized_gap_is_a_natural_break_and_shows_nothing_during_it():
    sim = Sim(make_config())
    sim.type(0, 25 * MIN, every=5)
    sim.idle(25 * MIN + 8 * 3600)  # the laptop slept all night
    sim.type(25 * MIN + 8 * 3600, 25 * MIN + 8 * 3600 + 60, every=5)
    breaks = [a for _, a in sim.of(NaturalBreak)]
    assert breaks and breaks[-1].end is not None
    last_input_before = 25 * MIN - 5
    assert all(s.t < last_input_before + 120 for s in sim.shown)


def test_no_reminder_while_away_and_no_wakeups_while_idle():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 26 * MIN, every=5)  # last input 1555 s: presence can reach 1675 s only
    wakeups_before = len(sim.wakeups)
    sim.idle(10 * 3600)
    assert sim.shown == []
    assert sim.engine.next_wakeup(sim.t) is None
    # At most one wake-up after the user left (at the would-be due time), none after.
    assert len(sim.wakeups) - wakeups_before <= 1


def test_returning_before_a_natural_break_resumes_the_count():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 26 * MIN, every=5)  # last input at 1555: presence frozen at 1675
    sim.type(1555 + 200, 40 * MIN, every=5)  # back after 200 s: not a natural break
    assert sim.shown[0].t == pytest.approx(1555 + 200 + (1800 - 1675))


# --- repeats, taken, snooze, skip ----------------------------------------------------------


def test_ignored_reminder_repeats_more_urgent_then_gives_up():
    sim = Sim(SITTING_ONLY)  # repeat 10 min, max_repeats 2
    sim.type(0, 95 * MIN, every=5)
    times = [round(s.t) for s in sim.shown]
    assert times[:4] == [1800, 2400, 3000, 3600 + 1800]
    assert [s.reminder.repeat for s in sim.shown[:3]] == [0, 1, 2]
    assert [s.reminder.urgency for s in sim.shown[:3]] == [
        Urgency.NORMAL,
        Urgency.NORMAL,
        Urgency.CRITICAL,
    ]
    assert len({s.reminder.id for s in sim.shown[:3]}) == 1  # repeats replace, same id
    assert Outcome.IGNORED in outcomes(sim)


def test_break_taken_after_reminder_clears_it_and_restarts_the_interval():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 30 * MIN + 10, every=5)  # shown at 1800, last input at 1805
    sim.type(1805 + 301, 70 * MIN, every=5)  # 5 min away
    assert [round(s.t) for s in sim.shown] == [1800, 1805 + 301 + 1800]
    assert Outcome.TAKEN in outcomes(sim)
    assert any(isinstance(a, Withdraw) for _, a in sim.actions)


def test_shorter_break_than_natural_break_still_takes_the_reminder():
    config = make_config(only=("sitting",), sitting={"duration": 3 * MIN})
    sim = Sim(config)
    sim.type(0, 30 * MIN + 10, every=5)
    sim.type(1805 + 200, 70 * MIN, every=5)  # 200 s >= duration 180 s, < natural break
    assert Outcome.TAKEN in outcomes(sim)
    assert [s.reminder.repeat for s in sim.shown] == [0, 0]


def test_snooze_pending_reminder_brings_it_back_after_the_snooze():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 30 * MIN + 10, every=5)
    actions = sim.command(Snooze(120))
    assert any(isinstance(a, Withdraw) and a.outcome is Outcome.SNOOZED for a in actions)
    sim.type(sim.t, 40 * MIN, every=5)
    # Back after the snooze, but never closer than min_gap (5 min) to the last reminder.
    assert [round(s.t) for s in sim.shown[:2]] == [1800, 1800 + 300]
    assert sim.shown[1].reminder.repeat == 1


def test_snooze_without_pending_pushes_the_next_reminder():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 20 * MIN, every=5)
    sim.command(Snooze(10 * MIN))
    sim.type(sim.t, 50 * MIN, every=5)
    assert round(sim.shown[0].t) == 40 * MIN


def test_skip_pending_reminder_restarts_its_interval():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 30 * MIN + 10, every=5)
    sim.command(Skip())
    sim.type(sim.t, 70 * MIN, every=5)
    assert Outcome.SKIPPED in outcomes(sim)
    assert [round(s.t) for s in sim.shown] == [1800, 1805 + 1800]


def test_skip_without_pending_skips_the_next_one():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 20 * MIN, every=5)
    sim.command(Skip())
    sim.type(sim.t, 60 * MIN, every=5)
    assert round(sim.shown[0].t) == round(20 * MIN - 5 + 30 * MIN)


# --- pause, resume, break now ----------------------------------------------------------------


def test_pause_holds_everything_and_resuming_is_not_immediate():
    sim = Sim(make_config())
    sim.type(0, 10 * MIN, every=5)
    sim.command(Pause(until=sim.t + 60 * MIN))
    sim.type(sim.t, 70 * MIN, every=5)
    assert [s for s in sim.shown if s.t < 10 * MIN + 60 * MIN] == []
    sim.type(sim.t, 90 * MIN, every=5)
    resumed = 10 * MIN - 5 + 60 * MIN
    first_after = sim.shown[0].t
    assert first_after >= resumed + make_config().notify.min_gap


def test_pause_until_resumed_and_resume():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 30 * MIN + 10, every=5)
    actions = sim.command(Pause())
    assert any(isinstance(a, Withdraw) and a.outcome is Outcome.PAUSED for a in actions)
    assert sim.engine.next_wakeup(sim.t) is None
    sim.type(sim.t, 120 * MIN, every=5)
    assert len(sim.shown) == 1
    assert sim.engine.status(sim.t).state == "paused"
    sim.command(Resume())
    sim.type(sim.t, 130 * MIN, every=5)
    assert len(sim.shown) == 2  # the overdue sitting reminder, min_gap after resuming
    assert sim.shown[1].t == pytest.approx(120 * MIN - 5 + 5 * MIN, abs=5)


def test_break_now_shows_a_stretch_and_the_next_idle_counts_as_the_break():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 10 * MIN, every=5)
    actions = sim.command(BreakNow())
    assert [type(a) for a in actions] == [Show]
    sim.type(sim.t + 130, 60 * MIN, every=5)  # away 130 s: more than idle_after
    assert sim.of(NaturalBreak)
    assert round(sim.shown[1].t) == round(595 + 130 + 30 * MIN)


# --- merging, min_gap, quiet hours -------------------------------------------------------------


def test_sitting_absorbs_posture_and_water_due_within_min_gap():
    config = make_config(
        only=("sitting", "posture", "water"),
        posture={"every": 32 * MIN},
        water={"every": 29 * MIN},
    )
    sim = Sim(config)
    sim.type(0, 35 * MIN, every=5)
    first = sim.shown[0]
    assert first.t == pytest.approx(29 * MIN)  # water was due first; sitting leads
    assert first.kind is Kind.SITTING
    assert set(first.reminder.also) == {Kind.POSTURE, Kind.WATER}
    assert len(sim.shown) == 1


def test_sitting_pulls_in_a_micro_break_due_soon():
    config = make_config(only=("sitting", "repetition"), repetition={"every": 32 * MIN})
    sim = Sim(config)
    sim.type(0, 36 * MIN, every=2)
    assert sim.shown[0].kind is Kind.SITTING
    assert sim.shown[0].reminder.also == (Kind.REPETITION,)


def test_reminders_further_apart_than_min_gap_stay_separate_and_apart():
    config = make_config(only=("sitting", "posture"), posture={"every": 20 * MIN})
    sim = Sim(config)
    sim.type(0, 31 * MIN, every=5)
    assert [(s.kind, round(s.t)) for s in sim.shown] == [
        (Kind.POSTURE, 20 * 60),
        (Kind.SITTING, 30 * 60),
    ]


def test_min_gap_delays_a_second_reminder():
    config = make_config(
        only=("sitting", "posture"),
        posture={"every": 20 * MIN},
        notify={"min_gap": 15 * MIN},
    )
    sim = Sim(config)
    sim.type(0, 40 * MIN, every=5)
    assert round(sim.shown[1].t - sim.shown[0].t) >= 15 * MIN


def test_quiet_hours_across_midnight_hold_reminders_until_they_end():
    config = make_config(
        only=("sitting",), notify={"quiet_hours": (TimeRange(dt.time(22), dt.time(7)),)}
    )
    sim = Sim(config, start_wall=dt.datetime(2026, 11, 23, 21, 0))
    sim.type(0, 11 * 3600, every=60)  # typing through the night, once a minute
    walls = [sim.engine.wall_at(s.t) for s in sim.shown]
    assert all(not (w.hour >= 22 or w.hour < 7) for w in walls)
    assert walls[0] == dt.datetime(2026, 11, 23, 21, 30)
    assert dt.datetime(2026, 11, 24, 7, 0) in walls


def test_quiet_hours_started_inside_the_range():
    config = make_config(
        only=("sitting",), notify={"quiet_hours": (TimeRange(dt.time(22), dt.time(7)),)}
    )
    sim = Sim(config, start_wall=dt.datetime(2026, 11, 23, 23, 30))
    sim.type(0, 9 * 3600, every=60)
    assert sim.engine.wall_at(sim.shown[0].t) == dt.datetime(2026, 11, 24, 7, 0)


# --- repetition -----------------------------------------------------------------------------------


def test_micro_break_after_continuous_use_and_a_pause_restarts_it():
    sim = Sim(make_config(only=("repetition",)))
    sim.type(0, 15 * MIN, every=2)
    sim.type(15 * MIN + 40, 40 * MIN, every=2)  # a 42 s pause rests the hands
    assert sim.shown[0].kind is Kind.REPETITION
    # Due 20 min into the new run; typing never pauses 3 s, so it waits the full minute.
    assert sim.shown[0].t == pytest.approx(15 * MIN + 40 + 20 * MIN + 60)


def test_micro_break_when_actions_in_window_exceed_the_limit():
    config = make_config(only=("repetition",), repetition={"max_actions": 100, "window": 60})
    sim = Sim(config)
    sim.type(0, 10, every=0.05)  # 200 keys in 10 s: the 101st, at 5 s, is over the limit
    sim.idle(30)
    assert len(sim.shown) == 1
    # Held while typing goes on, shown at the first 3 s pause.
    assert sim.shown[0].t == pytest.approx(9.95 + 3, abs=0.06)


def test_motion_does_not_count_as_an_action_but_counts_as_presence():
    config = make_config(only=("repetition", "sitting"), repetition={"max_actions": 10})
    sim = Sim(config)
    # Motion every 40 s: presence, but every gap rests the hands (pause is 30 s).
    sim.type(0, 31 * MIN, every=40, kind=InputKind.MOTION)
    assert [s.kind for s in sim.shown] == [Kind.SITTING]


def test_micro_break_taken_by_a_pause():
    sim = Sim(make_config(only=("repetition",)))
    sim.type(0, 20 * MIN + 10, every=2)
    sim.type(20 * MIN + 10 + 40, 30 * MIN, every=2)
    assert Outcome.TAKEN in outcomes(sim)


# --- water, posture, daily ---------------------------------------------------------------


def test_water_is_not_reset_by_natural_breaks_but_posture_is():
    config = make_config(
        only=("water", "posture"), water={"every": 40 * MIN}, posture={"every": 25 * MIN}
    )
    sim = Sim(config)
    sim.type(0, 20 * MIN, every=5)
    sim.type(20 * MIN + 400, 50 * MIN, every=5)  # natural break at 20 min
    kinds = [(s.kind, round(s.t)) for s in sim.shown]
    assert (Kind.WATER, round(40 * MIN + 400 - 5 + 5)) in kinds or kinds[0][0] is Kind.WATER
    posture = [t for k, t in kinds if k is Kind.POSTURE]
    assert all(t >= 20 * MIN + 400 + 25 * MIN - 5 for t in posture)


def test_daily_limit_once_per_day_and_again_after_day_starts():
    config = make_config(only=("daily",), daily={"limit": 3600, "day_starts": dt.time(4)})
    sim = Sim(config, start_wall=dt.datetime(2026, 11, 23, 2, 0))
    sim.type(0, 2 * 3600 - 1, every=5)  # 02:00-04:00
    walls = [sim.engine.wall_at(s.t) for s in sim.shown]
    assert walls == [dt.datetime(2026, 11, 23, 3, 0)]
    sim.type(2 * 3600, 3 * 3600 + 60, every=5)  # 04:00-05:01
    walls = [sim.engine.wall_at(s.t) for s in sim.shown]
    # An hour of activity after 04:00 (give or take the last keystroke before it).
    assert abs(walls[1] - dt.datetime(2026, 11, 23, 5, 0)) <= dt.timedelta(seconds=15)
    assert len(walls) == 2


# --- content, status, configuration -----------------------------------------------------------


def test_suggestions_rotate_without_back_to_back_repeats():
    sim = Sim(make_config(only=("sitting",), sitting={"max_repeats": 0}))
    sim.type(0, 8 * 3600, every=10)
    keys = [s.reminder.suggestion for s in sim.shown]
    assert len(keys) > 10
    assert all(a != b for a, b in itertools.pairwise(keys))


def test_excluded_suggestions_are_never_offered_and_a_reload_changes_them():
    left_out = ("walk", "stairs", "march")
    sim = Sim(
        make_config(only=("sitting",), sitting={"max_repeats": 0}, content={"exclude": left_out})
    )
    sim.type(0, 4 * 3600, every=10)
    keys = {s.reminder.suggestion for s in sim.shown}
    assert len(sim.shown) > 5
    assert not keys & set(left_out)
    sim.engine.reconfigure(make_config(only=("sitting",), sitting={"max_repeats": 0}), sim.t)
    shown = len(sim.shown)
    sim.type(sim.t, sim.t + 8 * 3600, every=10)
    assert {s.reminder.suggestion for s in sim.shown[shown:]} & set(left_out)


def test_status_reports_state_presence_and_time_until_due():
    sim = Sim(make_config())
    sim.type(0, 10 * MIN, every=5)
    status = sim.engine.status(sim.t)
    assert status.state == "active"
    assert status.presence == pytest.approx(595)
    sitting = next(k for k in status.kinds if k.kind is Kind.SITTING)
    assert sitting.due_in == pytest.approx(30 * MIN - 595)
    assert sim.engine.status(sim.t + 60).state == "idle"
    assert sim.engine.status(sim.t + 130).state == "away"


def test_reconfigure_keeps_timers_and_applies_new_intervals():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 20 * MIN, every=5)
    sim.engine.reconfigure(make_config(only=("sitting",), sitting={"every": 25 * MIN}), sim.t)
    sim.wake = sim.engine.next_wakeup(sim.t)
    sim.type(sim.t, 30 * MIN, every=5)
    assert round(sim.shown[0].t) == 25 * MIN


def test_a_whole_workday():
    sim = Sim(make_config())
    t = 0.0
    for block in range(4):  # four 90-minute blocks of work with short pauses, lunch after two
        for _ in range(3):
            sim.type(t, t + 25 * MIN, every=3)
            t += 25 * MIN + 45  # a 45 s pause every 25 minutes
        t += 3600 if block == 1 else 10 * MIN
    sim.idle(t)
    shown = sim.shown
    assert shown
    gaps = [b.t - a.t for a, b in itertools.pairwise(shown)]
    assert all(g >= make_config().notify.min_gap for g in gaps)
    assert {Kind.SITTING}.issubset({s.kind for s in shown})


# --- typing grace and working hours -------------------------------------------------------------


def test_a_reminder_due_mid_sentence_waits_for_a_pause_in_typing():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 30 * MIN - 10, every=5)
    sim.type(30 * MIN - 10, 30 * MIN + 20, every=0.5)  # typing fast across the due time
    sim.type(30 * MIN + 24, 40 * MIN, every=5)  # a 4.5 s pause, then on
    assert sim.shown[0].t == pytest.approx(30 * MIN + 19.5 + 3)


def test_typing_grace_is_capped_by_max_deferral():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 30 * MIN + 200, every=1)  # never a 3 s pause
    assert sim.shown[0].t == pytest.approx(30 * MIN + 60)


def test_break_now_is_never_deferred():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 60, every=0.5)
    assert [type(a) for a in sim.command(BreakNow())] == [Show]


WORKING_WEEK = make_config(
    only=("sitting",),
    schedule={
        day: (TimeRange(dt.time(9), dt.time(12, 30)), TimeRange(dt.time(13, 30), dt.time(18)))
        for day in ("mon", "tue", "wed", "thu", "fri")
    },
)


def test_no_reminders_outside_working_hours_and_status_says_so():
    sim = Sim(WORKING_WEEK, start_wall=dt.datetime(2026, 11, 23, 12, 0))  # Monday noon
    sim.type(0, 150 * MIN, every=10)  # typing through lunch
    walls = [sim.engine.wall_at(s.t) for s in sim.shown]
    # Due at 12:30, when lunch starts: held over lunch, shown when work resumes.
    assert walls[0] == dt.datetime(2026, 11, 23, 13, 30)
    assert all(not (dt.time(12, 30) <= w.time() < dt.time(13, 30)) for w in walls)
    lunch = Sim(WORKING_WEEK, start_wall=dt.datetime(2026, 11, 23, 12, 59))
    lunch.input(1.0)
    assert lunch.engine.status(1.0).state == "off-hours"


def test_working_hours_across_the_weekend():
    sim = Sim(WORKING_WEEK, start_wall=dt.datetime(2026, 11, 27, 17, 50))  # Friday 17:50
    sim.type(0, 3 * 24 * 3600, every=100)  # someone types all weekend long
    walls = [sim.engine.wall_at(s.t) for s in sim.shown]
    assert walls, "no reminder at all"
    assert all(w.weekday() < 5 for w in walls)
    assert walls[0] == dt.datetime(2026, 11, 30, 9, 0)  # Monday morning, not before


def test_pause_until_tomorrow_resumes_at_the_next_working_period():
    sim = Sim(WORKING_WEEK, start_wall=dt.datetime(2026, 11, 27, 16, 0))  # Friday afternoon
    assert sim.engine.wall_at(sim.engine.tomorrow(0.0)) == dt.datetime(2026, 11, 30, 9, 0)
    plain = Sim(SITTING_ONLY, start_wall=dt.datetime(2026, 11, 23, 23, 30))
    assert plain.engine.wall_at(plain.engine.tomorrow(0.0)) == dt.datetime(2026, 11, 24, 4, 0)
    early = Sim(SITTING_ONLY, start_wall=dt.datetime(2026, 11, 24, 1, 0))  # after midnight
    assert early.engine.wall_at(early.engine.tomorrow(0.0)) == dt.datetime(2026, 11, 24, 4, 0)


def test_pause_until_tomorrow_across_midnight_holds_and_then_resumes():
    sim = Sim(SITTING_ONLY, start_wall=dt.datetime(2026, 11, 23, 23, 0))
    sim.type(0, 60, every=5)
    sim.command(Pause(until=sim.engine.tomorrow(sim.t)))
    sim.type(sim.t, 6 * 3600, every=60)
    walls = [sim.engine.wall_at(s.t) for s in sim.shown]
    assert walls and all(w >= dt.datetime(2026, 11, 24, 4, 5) for w in walls)


def test_coming_back_from_a_break_never_meets_a_reminder_at_once():
    # Water keeps counting through breaks, so it may fall due while you are away.
    sim = Sim(make_config(only=("water",), water={"every": 22 * MIN}))
    sim.type(0, 19 * MIN, every=5)
    back = 19 * MIN + 10 * MIN
    sim.type(back, back + 10 * MIN, every=5)
    assert sim.shown[0].t >= back + make_config().notify.min_gap


# --- do not disturb, screen lock -------------------------------------------------------------


def test_do_not_disturb_holds_reminders_and_delivers_the_most_important_when_it_ends():
    config = make_config(only=("sitting", "posture"), posture={"every": 20 * MIN})
    sim = Sim(config)
    sim.type(0, 10 * MIN, every=5)
    sim.do_not_disturb(True)
    sim.type(sim.t, 45 * MIN, every=5)
    assert sim.shown == []
    assert sim.engine.status(sim.t).state == "do-not-disturb"
    ended = sim.t  # also the last keystroke: the reminder then waits for a typing pause
    sim.do_not_disturb(False)
    sim.idle(ended + 60)
    (held,) = sim.shown
    assert held.t == pytest.approx(ended + 3) and held.kind is Kind.SITTING
    assert held.reminder.also == (Kind.POSTURE,)


def test_a_locked_screen_counts_as_away_and_a_long_lock_is_a_natural_break():
    sim = Sim(SITTING_ONLY)
    sim.type(0, 25 * MIN, every=5)
    sim.lock(True)
    assert sim.engine.status(sim.t).state == "away"
    presence = sim.engine.status(sim.t).presence
    sim.idle(sim.t + 20 * MIN)
    assert sim.shown == []
    assert sim.engine.status(sim.t).presence == pytest.approx(presence)
    sim.lock(False)
    back = sim.t + 5
    sim.type(back, back + 35 * MIN, every=5)
    assert sim.of(NaturalBreak)
    assert round(sim.shown[0].t) == round(back + 30 * MIN)


def test_a_natural_break_clears_the_action_count_so_no_stale_micro_break_follows():
    # Hands over the action limit while min_gap holds reminders back, then an hour away:
    # coming back must not bring a micro-break for the typing of an hour ago.
    config = make_config(
        only=("repetition", "posture"),
        repetition={"max_actions": 100, "window": 600.0},
        posture={"every": 60.0},
        notify={"min_gap": 300.0},
    )
    sim = Sim(config)
    sim.type(0.0, 61.0, every=5.0)  # the posture reminder at 60 s
    sim.type(61.0, 70.0, every=0.05)  # over the limit at ~66 s; min_gap holds it until 360 s
    assert sim.shown_kinds() == [Kind.POSTURE]
    assert sim.engine.monitor.over_limit_at is not None
    sim.idle(70.0 + 3600.0)
    back = sim.t
    sim.type(back, back + 600.0, every=10.0)  # under the limit, shorter than continuous use
    assert Kind.REPETITION not in sim.shown_kinds()
