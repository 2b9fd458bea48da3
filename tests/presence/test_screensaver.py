"""ScreenSaverSource against a stand-in org.freedesktop.ScreenSaver on a private session bus.

The point is WHEN the source asks, so the source, the stand-in and the recorder share one
clock that only the test moves (``ManualClock``): every check lands at an exact time, and
"no check before t" is a fact, not a real-time tolerance.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from breakd.adapters.presence import SourceUnavailable
from breakd.adapters.presence.screensaver import Backoff, ScreenSaverSource
from tests.e2e.desktop import SessionBus, wait_until

from .conftest import ManualClock, Recorder
from .standins import FakeScreenSaver

START = 1000.0  # the ManualClock's start
THRESHOLD = 2.0
BACKOFF = Backoff(first=0.25, factor=2.0, cap=1.0)  # binary fractions: sums stay exact


@pytest.fixture
def recorder(clock: ManualClock) -> Recorder:
    return Recorder(clock=clock.now)


@pytest.fixture
def saver(bus: SessionBus, clock: ManualClock) -> Iterator[FakeScreenSaver]:
    service = FakeScreenSaver(bus.address, now=clock.now).start()
    yield service
    service.stop()


@pytest.fixture
def source(bus: SessionBus, clock: ManualClock) -> Iterator[ScreenSaverSource]:
    src = ScreenSaverSource(bus_address=bus.address, backoff=BACKOFF, clock=clock)
    yield src
    src.stop()


def advance_by_steps(clock: ManualClock, seconds: float, step: float = 0.125) -> None:
    """Let time pass in small steps, so each check happens at the moment it is due."""
    for _ in range(round(seconds / step)):
        clock.advance(step)


def test_one_check_at_the_computed_crossing_then_backoff_until_activity(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder, clock: ManualClock
) -> None:
    saver.set_idle(1.0)  # the last input 1 s before start
    source.start(recorder, THRESHOLD)
    assert recorder.kinds() == ["active"]
    # The crossing is THRESHOLD - 1 s after start, plus a second for the rounding: no check
    # before it.
    advance_by_steps(clock, THRESHOLD - 1.0 + 1.0 - 0.125)
    assert recorder.kinds() == ["active"] and saver.idle_checks() == [START]
    clock.advance(0.125)
    idle = recorder.wait_for(2)[-1]
    assert (idle.kind, idle.idle_for, idle.at) == ("idle", 3.0, START + 2.0)
    # Idle: checks back off 0.25, 0.5, 1, 1 s (the cap); not a fixed-rate poll.
    advance_by_steps(clock, 2.75)
    assert saver.idle_checks() == [START, 1002.0, 1002.25, 1002.75, 1003.75, 1004.75]
    saver.touch()
    clock.advance(1.0)  # the next check, one cap later, sees the input
    back = recorder.wait_for(3)[-1]
    assert (back.kind, back.at) == ("active", 1005.75)
    assert recorder.kinds() == ["active", "idle", "active"]


def test_while_typing_about_one_check_per_threshold(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder, clock: ManualClock
) -> None:
    source.start(recorder, THRESHOLD)
    for _ in range(10):  # 5 s of typing, a key every 0.5 s
        saver.touch()
        clock.advance(0.5)
    assert recorder.kinds() == ["active"]
    # At start, then one at the first possible crossing (threshold + rounding): a fixed 1 Hz
    # poll would have made 6.
    assert saver.idle_checks() == [START, 1003.0]
    clock.advance(1.0)  # the next possible crossing: input 1 s ago, so not yet
    assert recorder.kinds() == ["active"]
    clock.advance(2.0)
    idle = recorder.wait_for(2)[-1]
    assert (idle.kind, idle.at) == ("idle", 1008.0)
    assert saver.idle_checks() == [START, 1003.0, 1006.0, 1008.0]


def test_screen_lock_is_away_and_stops_checking(
    saver: FakeScreenSaver, source: ScreenSaverSource, recorder: Recorder, clock: ManualClock
) -> None:
    source.start(recorder, THRESHOLD)
    saver.lock_screen(True)
    away = recorder.wait_for(2)[-1]
    assert away.kind == "idle" and away.idle_for == 0.0  # locked right after input
    before = saver.idle_checks()
    clock.advance(60.0)  # no check while locked, not even the crossing one
    assert saver.idle_checks() == before
    assert recorder.kinds() == ["active", "idle"]
    saver.touch()
    saver.lock_screen(False)
    assert recorder.wait_for(3)[-1].kind == "active"
    # Unlocked: back to one computed check at the next possible crossing.
    clock.advance(THRESHOLD + 1.0)
    idle = recorder.wait_for(4)[-1]
    assert (idle.kind, idle.at) == ("idle", START + 60.0 + THRESHOLD + 1.0)
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
