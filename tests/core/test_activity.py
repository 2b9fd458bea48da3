"""The activity monitor on its own: presence, active time, runs, counts, minute samples."""

from __future__ import annotations

import pytest

from breakd.config.model import ActivityConfig, RepetitionConfig
from breakd.core.activity import ActivityMonitor
from breakd.core.types import InputKind

KEY, CLICK, MOTION = InputKind.KEY, InputKind.CLICK, InputKind.MOTION


def monitor(**repetition) -> ActivityMonitor:
    m = ActivityMonitor(ActivityConfig(), RepetitionConfig(**repetition), 0.0, report_gap=30.0)
    m.align_minutes(60.0)
    return m


def test_presence_counts_gaps_up_to_idle_after_and_never_decreases():
    m = monitor()
    for t in (10.0, 20.0, 200.0):
        m.on_input(t, KEY)
    assert m.presence == pytest.approx(20 + 120)
    readings = [m.presence_at(t) for t in (200.0, 250.0, 320.0, 1000.0)]
    assert readings == sorted(readings)
    assert m.presence_at(1000.0) == pytest.approx(140 + 120)


def test_returning_from_away_asks_for_a_wakeup_and_records_the_gap():
    m = monitor()
    assert m.on_input(5.0, KEY) is False
    assert m.on_input(5.0 + 121, KEY) is True
    assert m.take_gaps() == [(5.0, 126.0)]
    assert m.take_gaps() == []


def test_a_rest_of_pause_restarts_the_run():
    m = monitor()
    m.on_input(10.0, KEY)
    m.on_input(35.0, KEY)
    assert m.run_start == 0.0
    m.on_input(35.0 + 30, KEY)
    assert m.run_start == 65.0


def test_action_limit_in_the_window_flags_once():
    m = monitor(max_actions=5, window=60.0)
    wakes = [m.on_input(0.1 * i, KEY) for i in range(1, 10)]
    assert wakes.count(True) == 1 and wakes[5] is True
    assert m.over_limit_at == pytest.approx(0.6)
    m.reset_window(1.0)
    assert m.over_limit_at is None and m.window_total == 0


def test_old_actions_leave_the_sliding_window():
    m = monitor(max_actions=50, window=60.0)
    for i in range(40):
        m.on_input(1.0 + i * 0.1, CLICK)
    assert m.window_total == 40
    for i in range(20):
        m.on_input(100.0 + i * 0.1, CLICK)  # the first 40 are more than a window ago
    assert m.window_total == 20
    assert m.over_limit_at is None


def test_motion_counts_as_presence_not_as_an_action():
    m = monitor(max_actions=1)
    for t in range(1, 50):
        m.on_input(float(t), MOTION)
    assert m.motions == 49 and m.window_total == 0 and m.over_limit_at is None
    assert m.presence == pytest.approx(49)


def test_negative_gaps_from_racing_threads_are_treated_as_simultaneous():
    m = monitor()
    m.on_input(10.0, KEY)
    m.on_input(9.99, CLICK)
    assert m.last_input == 10.0 and m.presence == pytest.approx(10.0)


def test_minute_samples_count_each_minute_once():
    m = monitor()
    t = 0.5
    while t < 185:
        m.on_input(t, KEY)
        t += 1.0
    samples = m.take_minutes()
    assert [s.start for s in samples] == [0.0, 60.0, 120.0]
    assert all(s.keys == 60 for s in samples[1:])
    assert all(s.present == pytest.approx(60.0) for s in samples)
    assert all(s.active == pytest.approx(60.0) for s in samples)


def test_minute_samples_split_a_gap_and_skip_empty_minutes():
    m = monitor()
    m.on_input(50.0, KEY)
    m.on_input(600.0, KEY)  # away for more than nine minutes
    samples = m.take_minutes()
    # The presence tail (idle_after, 120 s) runs to 170 s: it fills the minutes it covers,
    # and the empty minutes after it are skipped.
    assert [s.start for s in samples] == [0.0, 60.0, 120.0]
    assert [s.present for s in samples] == pytest.approx([60.0, 60.0, 50.0])
    assert sum(s.present for s in samples) == pytest.approx(m.presence)
    assert [s.keys for s in samples] == [1, 0, 0]
    m.on_input(661.0, KEY)
    (sample,) = m.take_minutes()
    assert sample.start == 600.0 and sample.present <= 60.0


def test_minutes_read_through_without_input_are_all_sampled():
    m = monitor()
    for t in (10.0, 20.0, 125.0, 185.0, 250.0):  # gaps under idle_after: reading, present
        m.on_input(t, KEY)
    m.on_input(301.0, KEY)
    samples = m.take_minutes()
    assert [s.start for s in samples] == [0.0, 60.0, 120.0, 180.0, 240.0]
    # Starting counts as input: the user is present from 0 on, through every minute.
    assert [s.present for s in samples] == pytest.approx([60.0] * 5)


def test_partial_minute_at_shutdown():
    m = monitor()
    m.on_input(5.0, KEY)
    m.on_input(6.0, CLICK)
    m.close_partial_minute(30.0)
    (sample,) = m.take_minutes()
    assert (sample.keys, sample.clicks) == (1, 1)
    assert sample.present == pytest.approx(30.0)
