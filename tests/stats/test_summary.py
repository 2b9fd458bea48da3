"""Per-day aggregation and the classification of reminder outcomes, from simulated days."""

from __future__ import annotations

import datetime as dt

import pytest

from breakd.stats.summary import (
    PeriodSummary,
    period,
    reminders_by_day,
    summarize,
)
from breakd.store.rollup import day_rows_from_minutes, longest_stretches
from breakd.store.sqlite import BreakRow, Checkin, DayRow, History, MinuteRow, ReminderEvent
from tests.stats.days import DAY, DayBuilder, at, months, present, reminder

FOUR = dt.time(4, 0)


def one_day(builder: DayBuilder) -> PeriodSummary:
    return summarize(builder.history(DAY, DAY), FOUR)


def test_empty_history_gives_every_day_with_zeros() -> None:
    summary = summarize(History(DAY - dt.timedelta(days=6), DAY), FOUR)
    assert len(summary.days) == 7
    assert not summary.has_data
    assert summary.total.compliance is None
    assert summary.total.active_s == 0


def test_time_sums_and_longest_stretch() -> None:
    b = DayBuilder()
    b.minutes += present(at(DAY, 9), 50, active=30)  # 9:00-9:50
    b.breaks.append(BreakRow(at(DAY, 9, 50), at(DAY, 10)))
    b.minutes += present(at(DAY, 10), 70, active=30)  # 10:00-11:10, the longest
    b.minutes += present(at(DAY, 11, 20), 20)
    day = one_day(b).days[0]
    assert day.present_s == 140 * 60
    assert day.active_s == pytest.approx(120 * 30 + 20 * 40)
    assert day.longest_sitting_s == 70 * 60
    assert day.natural_breaks == 1


def test_a_natural_break_splits_consecutive_present_minutes() -> None:
    # Present minutes with no gap, but the daemon reported a break in between (say a suspend
    # shorter than a minute boundary would show): the stretch starts again after the break.
    minutes = present(at(DAY, 9), 40)
    breaks = [BreakRow(at(DAY, 9, 14), at(DAY, 9, 19) + dt.timedelta(seconds=30))]
    assert longest_stretches(minutes, breaks, FOUR) == {DAY: 21 * 60}


def test_partial_minutes_count_their_presence_only() -> None:
    minutes = [
        MinuteRow(at(DAY, 9, 0), 30.0, 10.0, 1, 0, 0),
        MinuteRow(at(DAY, 9, 1), 60.0, 10.0, 1, 0, 0),
        MinuteRow(at(DAY, 9, 2), 15.0, 10.0, 1, 0, 0),
        MinuteRow(at(DAY, 9, 4), 60.0, 10.0, 1, 0, 0),  # after a gap: a new stretch
    ]
    assert longest_stretches(minutes, [], FOUR) == {DAY: 105.0}


def test_days_start_at_day_starts() -> None:
    b = DayBuilder()
    b.minutes += present(at(DAY, 23, 30), 30)
    b.minutes += present(at(DAY + dt.timedelta(days=1), 0), 90)  # until 01:30: still DAY
    b.minutes += present(at(DAY + dt.timedelta(days=1), 4), 10)  # the next day
    rows = day_rows_from_minutes(b.minutes, [], FOUR)
    assert [(r.day, r.present_s, r.longest_sitting_s) for r in rows] == [
        (DAY, 120 * 60, 120 * 60),
        (DAY + dt.timedelta(days=1), 600, 600),
    ]


def test_a_stretch_ends_where_the_day_ends() -> None:
    minutes = present(at(DAY, 3, 30), 60)  # 03:30-04:30 crosses the 04:00 roll-over
    assert longest_stretches(minutes, [], FOUR) == {
        DAY - dt.timedelta(days=1): 1800,
        DAY: 1800,
    }


def test_each_reminder_counts_once_with_its_last_outcome() -> None:
    b = DayBuilder()
    b.events += reminder(at(DAY, 9, 30), 1, "sitting", "taken", repeats=2)
    b.events += reminder(at(DAY, 10, 30), 2, "sitting", "snoozed", "taken", repeats=1)
    b.events += reminder(at(DAY, 11, 30), 3, "sitting", "ignored", repeats=2)
    b.events += reminder(at(DAY, 12, 30), 4, "repetition", "skipped")
    b.events += reminder(at(DAY, 13, 30), 5, "repetition", "snoozed")
    b.events += reminder(at(DAY, 14, 30), 6, "posture", "merged")
    b.events += reminder(at(DAY, 15, 30), 7, "sitting", "paused")
    b.events += reminder(at(DAY, 16, 30), 8, "water")  # shown once, nothing to answer
    day = one_day(b).days[0]
    kinds = {k.kind: k for k in day.reminders}
    assert [k.kind for k in day.reminders] == ["sitting", "repetition", "posture", "water"]
    sitting = kinds["sitting"]
    assert (sitting.shown, sitting.taken, sitting.ignored, sitting.paused) == (4, 2, 1, 1)
    assert (kinds["repetition"].skipped, kinds["repetition"].snoozed) == (1, 1)
    assert kinds["posture"].merged == 1
    assert kinds["water"].unanswered == 1
    assert day.shown == 8
    # taken / answered: merged, paused and unanswered reminders are not the user's choice.
    assert day.answered == 5
    assert day.compliance == pytest.approx(2 / 5)


def test_ids_that_restart_with_the_daemon_are_new_reminders() -> None:
    events = [
        *reminder(at(DAY, 9), 1, "sitting", "taken"),
        *reminder(at(DAY, 11), 1, "sitting", "ignored"),  # daemon restarted: id 1 again
    ]
    counts = reminders_by_day(events, FOUR)[DAY][0]
    assert (counts.shown, counts.taken, counts.ignored) == (2, 1, 1)


def test_merged_kinds_of_a_shown_reminder_are_counted_per_kind() -> None:
    events = [
        ReminderEvent(at(DAY, 9), 4, "sitting", "shown"),
        ReminderEvent(at(DAY, 9), 4, "water", "merged"),
        ReminderEvent(at(DAY, 9, 6), 4, "sitting", "taken"),
    ]
    kinds = {k.kind: k for k in reminders_by_day(events, FOUR)[DAY]}
    assert kinds["sitting"].taken == 1
    assert kinds["water"].merged == 1
    assert kinds["water"].answered == 0


def test_a_reminder_counts_on_the_day_it_was_shown() -> None:
    events = reminder(at(DAY, 3, 50), 1, "sitting", "taken", repeats=2)  # taken after 04:00
    assert list(reminders_by_day(events, FOUR)) == [DAY - dt.timedelta(days=1)]


def test_rolled_up_days_and_minutes_are_combined() -> None:
    rolled = DayRow(DAY, 3600, 1800, 100, 10, 50, 1200)
    history = History(DAY, DAY, minutes=tuple(present(at(DAY, 20), 30)), days=(rolled,))
    day = summarize(history, FOUR).days[0]
    assert day.present_s == 3600 + 1800
    assert day.longest_sitting_s == 1800
    assert day.keys == 100 + 30 * 50


def test_checkins_and_totals_over_a_week() -> None:
    b = DayBuilder()
    for i in range(7):
        day = DAY - dt.timedelta(days=i)
        b.minutes += present(at(day, 9), 30 + i)
        b.checkins.append(Checkin(day, i, "note" if i == 3 else None))
        b.events += reminder(at(day, 10), 1, "sitting", "taken" if i % 2 else "ignored")
    summary = summarize(b.history(*period("week", DAY)), FOUR)
    assert [d.checkin for d in summary.days] == [6, 5, 4, 3, 2, 1, 0]
    assert summary.days[3].checkin_note == "note"
    total = summary.total
    assert total.present_s == sum(30 + i for i in range(7)) * 60
    assert total.longest_sitting_s == 36 * 60
    assert (total.taken, total.answered) == (3, 7)
    assert total.checkin == 6  # the worst day


def test_periods() -> None:
    assert period("today", DAY) == (DAY, DAY)
    assert period("week", DAY) == (DAY - dt.timedelta(days=6), DAY)
    assert period("month", DAY) == (DAY - dt.timedelta(days=29), DAY)


def test_three_months_of_days_add_up() -> None:
    builder = months(DAY)
    summary = summarize(builder.history(DAY - dt.timedelta(days=90), DAY), FOUR)
    assert len(summary.days) == 91
    assert summary.total.present_s == sum(m.present_s for m in builder.minutes)
    # Every break is counted once, less those that answered a reminder ("taken").
    taken = sum(e.event == "taken" for e in builder.events)
    assert len(builder.breaks) - taken <= summary.total.natural_breaks <= len(builder.breaks)
    weekends = [d for d in summary.days if d.day.weekday() >= 5]
    assert all(not d.has_data for d in weekends)
    assert all(d.longest_sitting_s <= 70 * 60 for d in summary.days)


def test_a_break_that_answered_a_reminder_is_not_also_a_natural_break() -> None:
    shown = ReminderEvent(at(DAY, 10), 1, "sitting", "shown")
    taken = ReminderEvent(at(DAY, 10, 8), 1, "sitting", "taken")  # noticed as the break ended
    answered = BreakRow(at(DAY, 10, 2), at(DAY, 10, 8))
    unasked = BreakRow(at(DAY, 14), at(DAY, 14, 10))
    history = History(DAY, DAY, events=(shown, taken), breaks=(answered, unasked))
    (day,) = summarize(history, FOUR).days
    assert day.natural_breaks == 1


def test_every_snooze_is_counted_not_only_the_last_outcome() -> None:
    b = DayBuilder()
    b.events += reminder(at(DAY, 9, 30), 1, "sitting", "snoozed", "snoozed", "taken", repeats=1)
    b.events += reminder(at(DAY, 11), 2, "sitting", "snoozed", "skipped")
    day = one_day(b).days[0]
    (sitting,) = day.reminders
    assert (sitting.shown, sitting.taken, sitting.skipped, sitting.snoozes) == (2, 1, 1, 3)
    # The rate is still per reminder: one of the two answered was taken.
    assert (day.taken, day.answered) == (1, 2)
