"""ScreenSaverSource against a stand-in org.freedesktop.ScreenSaver on a private session bus.

Real time, short thresholds: the point is WHEN the source asks, so the clock is not faked.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from breakd.adapters.presence import SourceUnavailable
from breakd.adapters.presence.screensaver import ROUNDING, Backoff, ScreenSaverSource
from tests.e2e.desktop import SessionBus, wait_until

from .conftest import Recorder
from .standins import FakeScreenSaver

THRESHOLD = 2.0
BACKOFF = Backoff(first=0.2, factor=2.0, cap=0.8)
SLACK = 0.35  # scheduling and bus round trips


@pytest.fixture
def saver(bus: SessionBus) -> Iterator[FakeScreenSaver]:
    service = FakeScreenSaver(bus.address).start()
    yield service
    service.stop()


@pytest.fixture
def source(bus: SessionBus) -> Iterator[ScreenSaverSource]:
    src = ScreenSaverSource(bus_address=bus.address, backoff=BACKOFF)
    yield src
    src.stop()


def test_one_check_at_the_computed_crossing_then_backoff_until_activity(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder
) -> None:
    saver.set_idle(1.0)
    started = time.monotonic()
    source.start(recorder, THRESHOLD)
    assert recorder.kinds() == ["active"]
    idle = recorder.wait_for(2)[-1]
    assert idle.kind == "idle" and idle.idle_for >= THRESHOLD
    # Last input 1 s before start: the crossing is THRESHOLD - 1 s after start (+ rounding).
    expected = started + THRESHOLD - 1.0 + ROUNDING
    assert expected - 0.1 <= idle.at <= expected + SLACK
    assert len(saver.idle_checks()) == 2  # the answer at start, and the one computed check
    time.sleep(2.5)  # idle: checks back off 0.2, 0.4, 0.8, 0.8 ...
    checks = saver.idle_checks(since=idle.at - 0.05)
    gaps = [b - a for a, b in itertools.pairwise(checks)]
    assert len(checks) <= 6, checks  # 0, 0.2, 0.6, 1.4, 2.2 s: not a fixed-rate poll
    assert all(b >= a - 0.1 for a, b in itertools.pairwise(gaps)), gaps  # backing off
    assert gaps[0] == pytest.approx(BACKOFF.first, abs=SLACK)
    assert max(gaps) == pytest.approx(BACKOFF.cap, abs=SLACK)
    saver.touch()
    touched = time.monotonic()
    back = recorder.wait_for(3)[-1]
    assert back.kind == "active" and back.at - touched <= BACKOFF.cap + SLACK
    assert recorder.kinds() == ["active", "idle", "active"]


def test_while_typing_about_one_check_per_threshold(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder
) -> None:
    source.start(recorder, THRESHOLD)
    started = time.monotonic()
    while time.monotonic() - started < 5.0:
        saver.touch()
        time.sleep(0.1)
    assert recorder.kinds() == ["active"]
    # start + one per threshold (+ rounding) of typing; a fixed 1 Hz poll would be 6.
    assert len(saver.idle_checks()) <= 1 + 5.0 / THRESHOLD + 1
    recorder.wait_for(2, timeout=THRESHOLD + ROUNDING + 2)
    assert recorder.kinds() == ["active", "idle"]


def test_screen_lock_is_away_and_stops_checking(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder
) -> None:
    source.start(recorder, THRESHOLD)
    saver.lock_screen(True)
    away = recorder.wait_for(2)[-1]
    assert away.kind == "idle" and away.idle_for < THRESHOLD  # locked right after input
    before = len(saver.idle_checks())
    time.sleep(THRESHOLD + ROUNDING + 0.5)  # no check while locked, not even the crossing one
    assert len(saver.idle_checks()) == before
    assert recorder.kinds() == ["active", "idle"]
    saver.touch()
    saver.lock_screen(False)
    assert recorder.wait_for(3)[-1].kind == "active"
    # Unlocked: back to one computed check at the next possible crossing.
    recorder.wait_for(4, timeout=THRESHOLD + ROUNDING + 2)
    assert recorder.kinds() == ["active", "idle", "active", "idle"]


def test_locked_at_start_reports_away(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder
) -> None:
    saver.locked = True
    source.start(recorder, THRESHOLD)
    assert recorder.kinds() == ["idle"]
    saver.lock_screen(False)
    assert recorder.wait_for(2)[-1].kind == "active"


def test_unavailable_without_the_service(bus: SessionBus, recorder: Recorder) -> None:
    src = ScreenSaverSource(bus_address=bus.address)
    with pytest.raises(SourceUnavailable, match="no screen saver service"):
        src.start(recorder, THRESHOLD)
    assert not src.alive()


def test_dies_when_the_service_leaves(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder
) -> None:
    source.start(recorder, THRESHOLD)
    saver.stop()
    wait_until(lambda: not source.alive(), 5, "the source to notice the service left")
