"""MutterSource against a stand-in org.gnome.Mutter.IdleMonitor on a private session bus."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from breakd.adapters.presence import SourceUnavailable, mutter
from breakd.adapters.presence.mutter import MutterSource
from tests.e2e.desktop import SessionBus, wait_until

from .conftest import ManualClock, Recorder
from .standins import FakeMutter, FakeSessionManager

THRESHOLD = 120.0  # the stand-in's idle time and the source's clock are the test's: no waiting


@pytest.fixture
def monitor(bus: SessionBus) -> Iterator[FakeMutter]:
    service = FakeMutter(bus.address).start()
    yield service
    service.stop()


@pytest.fixture
def source(bus: SessionBus, clock: ManualClock) -> Iterator[MutterSource]:
    src = MutterSource(bus_address=bus.address, clock=clock)
    yield src
    src.stop()


def test_reports_idle_and_active_from_watches_without_polling(
    monitor: FakeMutter, source: MutterSource, recorder: Recorder
) -> None:
    source.start(recorder, THRESHOLD)
    assert recorder.kinds() == ["active"]
    for cycle in range(3):
        monitor.advance(THRESHOLD - 1)
        time.sleep(0.2)
        assert len(recorder.events) == 1 + 2 * cycle, "idle reported before the threshold"
        monitor.advance(1)
        idle = recorder.wait_for(2 + 2 * cycle)[-1]
        assert (idle.kind, idle.idle_for) == ("idle", THRESHOLD)
        # The one-shot active watch is added after the idle fired: wait for it, then type.
        wait_until(lambda c=cycle: monitor.calls["AddUserActiveWatch"] == c + 1, 5, "watch")
        monitor.touch()
        assert recorder.wait_for(3 + 2 * cycle)[-1].kind == "active"
    assert recorder.kinds() == ["active"] + ["idle", "active"] * 3
    assert all(e.thread == "breakd-presence-mutter" for e in recorder.events[1:])
    # No polling: the idle time was asked once, at start; one idle watch for the whole run.
    assert monitor.calls == {"GetIdletime": 1, "AddIdleWatch": 1, "AddUserActiveWatch": 3}
    assert source.alive()


def test_already_idle_at_start_reports_the_real_idle_time(
    monitor: FakeMutter, source: MutterSource, recorder: Recorder
) -> None:
    monitor.advance(300)
    source.start(recorder, THRESHOLD)
    assert [(e.kind, e.idle_for) for e in recorder.events] == [("idle", 300.0)]
    monitor.touch()
    assert recorder.wait_for(2)[-1].kind == "active"
    monitor.advance(THRESHOLD)
    assert recorder.wait_for(3)[-1].kind == "idle"
    assert monitor.calls["GetIdletime"] == 1


def test_stop_removes_the_watches_and_calls_nobody_after(
    monitor: FakeMutter, source: MutterSource, recorder: Recorder
) -> None:
    source.start(recorder, THRESHOLD)
    monitor.advance(THRESHOLD)
    recorder.wait_for(2)
    wait_until(lambda: monitor.calls["AddUserActiveWatch"] == 1, 5, "active watch")
    source.stop()
    assert not source.alive()
    assert monitor.calls["RemoveWatch"] == 2
    assert monitor.watches == {}
    monitor.touch()
    time.sleep(0.2)
    assert recorder.kinds() == ["active", "idle"]


def test_unavailable_without_mutter(bus: SessionBus, recorder: Recorder) -> None:
    src = MutterSource(bus_address=bus.address)
    with pytest.raises(
        SourceUnavailable,
        match=r"no Mutter idle monitor \(org\.gnome\.Mutter\.IdleMonitor\) on the session bus",
    ):
        src.start(recorder, THRESHOLD)
    assert recorder.events == []
    assert not src.alive()


def test_unavailable_without_a_session_bus(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with pytest.raises(SourceUnavailable, match="no session bus"):
        MutterSource().start(recorder, THRESHOLD)


def test_dies_when_mutter_leaves_the_bus(
    monitor: FakeMutter, source: MutterSource, recorder: Recorder
) -> None:
    source.start(recorder, THRESHOLD)
    assert source.alive()
    monitor.stop()
    wait_until(lambda: not source.alive(), 5, "the source to notice Mutter left")


def test_dies_when_the_bus_goes(
    bus: SessionBus, monitor: FakeMutter, source: MutterSource, recorder: Recorder
) -> None:
    source.start(recorder, THRESHOLD)
    bus.stop()
    wait_until(lambda: not source.alive(), 5, "the source to notice the bus is gone")


def test_a_video_inhibiting_idle_is_not_activity(
    bus: SessionBus,
    monitor: FakeMutter,
    source: MutterSource,
    recorder: Recorder,
    clock: ManualClock,
) -> None:
    # Mutter fires no idle watch while an app inhibits idle; GetIdletime still tells.
    session = FakeSessionManager(bus.address).start()
    try:
        source.start(recorder, THRESHOLD)
        assert recorder.kinds() == ["active"]
        monitor.inhibited = True
        session.inhibit(mutter.INHIBIT_IDLE)  # the video starts playing
        wait_until(lambda: source._check_at is not None, 5, "the source to hear of it")
        monitor.advance(THRESHOLD + 10)  # and nobody touches anything: no watch fires
        clock.advance(THRESHOLD - 1)
        assert recorder.kinds() == ["active"]  # not looked yet: the threshold is not reached
        assert monitor.calls["GetIdletime"] == 1
        clock.advance(1)  # one look, the moment the idle time could first reach it
        idle = recorder.wait_for(2)[-1]
        assert (idle.kind, idle.idle_for) == ("idle", THRESHOLD + 10)
        wait_until(lambda: monitor.calls["AddUserActiveWatch"] == 1, 5, "active watch")
        monitor.touch()  # a key press during the video
        assert recorder.wait_for(3)[-1].kind == "active"
        monitor.inhibited = False
        session.inhibit(0)  # the video ends: one look now, then watches work again
        wait_until(lambda: monitor.calls["GetIdletime"] == 3, 5, "the look at the end")
        clock.advance(3 * THRESHOLD)
        assert monitor.calls["GetIdletime"] == 3  # no more looking
        assert recorder.kinds() == ["active", "idle", "active"]
    finally:
        session.stop()


def test_without_a_gnome_session_manager_nothing_is_inhibited(
    monitor: FakeMutter, source: MutterSource, recorder: Recorder, clock: ManualClock
) -> None:
    source.start(recorder, THRESHOLD)
    clock.advance(10 * THRESHOLD)
    assert monitor.calls["GetIdletime"] == 1  # at start only: no looking without inhibitors
