"""DesktopWatcher against stand-in services on a private session bus.

The stand-ins (built on ``tests.dbus_standin``) are a KDE-like notification server with the
``Inhibited`` property and the screen savers ``org.freedesktop.ScreenSaver`` /
``org.gnome.ScreenSaver``. They count the calls they get, which is how these tests prove the
watcher reads each value only at start and after an owner change, never on a timer.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jeepney import DBusAddress, Message, MessageFlag
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection
from jeepney.wrappers import new_error, new_method_return

from breakd.adapters import desktop_state
from breakd.adapters.dbus_link import PROPERTIES, DBusLink, Signal
from breakd.adapters.desktop_state import (
    DCONF_WRITER,
    FDO_SCREENSAVER,
    GNOME_DND,
    GNOME_SCREENSAVER,
    KDE_INHIBITED,
    DesktopWatcher,
    Source,
)
from tests.dbus_standin import S, StandInService
from tests.e2e.desktop import SessionBus, wait_until
from tests.tools import require

QUIET = 1.0  # seconds to watch for calls or reports that must not come

# --- stand-ins ---------------------------------------------------------------------------------


class _ServesBeforeOwning(StandInService):
    """Answers calls from the moment it owns its name.

    ``StandInService.start`` takes the name through a temporary router, which drops any call
    that arrives before the serving thread runs; the watcher calls the instant it sees the
    new owner, so here the serving thread runs first and the name is asked for after.
    """

    def start(self: S) -> S:
        self._conn = open_dbus_connection(bus=self.address)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self._conn.send(message_bus.RequestName(self.name, 4))
        wait_until(lambda: _has_owner(self.address, self.name), 5, f"{self.name} owned")
        return self


def _has_owner(address: str, name: str) -> bool:
    with open_dbus_connection(bus=address) as conn, DBusRouter(conn) as router:
        (owned,) = Proxy(message_bus, router, timeout=5).NameHasOwner(name)
    return bool(owned)


@dataclass
class FakeKdeNotifications(_ServesBeforeOwning):
    """org.freedesktop.Notifications with KDE's ``Inhibited`` property (and no dunst one)."""

    name: str = desktop_state.NOTIFICATIONS
    inhibited: bool = False

    def answer(self, member: str, msg: Message) -> Message:
        if member == "Get" and tuple(msg.body) == (KDE_INHIBITED.interface, "Inhibited"):
            return new_method_return(msg, "v", (("b", self.inhibited),))
        if member == "Get":  # e.g. dunst's paused: not on this server
            return new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s", ("no such",))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")

    def inhibit(self, on: bool) -> None:
        with self.lock:
            self.inhibited = on
        emitter = DBusAddress(desktop_state.NOTIFICATIONS_PATH, interface=PROPERTIES)
        changed = {"Inhibited": ("b", on)}
        self.emit(emitter, "PropertiesChanged", "sa{sv}as", KDE_INHIBITED.interface, changed, [])


@dataclass
class FakeLockService(_ServesBeforeOwning):
    """A screen saver service (``source`` says which) with ``GetActive`` and ``ActiveChanged``."""

    name: str = FDO_SCREENSAVER.bus_name
    source: Source = FDO_SCREENSAVER
    active: bool = False

    def answer(self, member: str, msg: Message) -> Message:
        if member == "GetActive":
            return new_method_return(msg, "b", (self.active,))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")

    def lock_screen(self, locked: bool) -> None:
        with self.lock:
            self.active = locked
        emitter = DBusAddress(self.source.path, interface=self.source.interface)
        self.emit(emitter, "ActiveChanged", "b", locked)


def gnome_lock(address: str) -> FakeLockService:
    return FakeLockService(address, name=GNOME_SCREENSAVER.bus_name, source=GNOME_SCREENSAVER)


# --- fixtures ----------------------------------------------------------------------------------


@dataclass
class Reports:
    """What on_dnd / on_lock were told, with the thread that told them."""

    dnd: list[bool] = field(default_factory=list)
    lock: list[bool] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)

    def on_dnd(self, on: bool) -> None:
        self.threads.add(threading.current_thread().name)
        self.dnd.append(on)

    def on_lock(self, locked: bool) -> None:
        self.threads.add(threading.current_thread().name)
        self.lock.append(locked)

    def wait(self, what: str, expected: list[bool]) -> None:
        got: list[bool] = getattr(self, what)
        wait_until(lambda: len(got) >= len(expected), 5, f"{what} reports {expected} (got {got})")
        assert got == expected


@pytest.fixture
def bus() -> Iterator[SessionBus]:
    require("dbus-daemon")
    workdir = Path(tempfile.mkdtemp(prefix="breakd-dnd-"))  # unix socket paths are short
    session = SessionBus(workdir)
    session.start()
    yield session
    session.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def services(bus: SessionBus) -> Iterator[list[StandInService]]:
    started: list[StandInService] = []
    yield started
    for service in started:
        service.stop()


@pytest.fixture
def run(
    services: list[StandInService],
) -> Callable[[StandInService], StandInService]:
    def start(service: StandInService) -> StandInService:
        services.append(service.start())
        return service

    return start


@pytest.fixture
def reports() -> Reports:
    return Reports()


@pytest.fixture
def watcher(bus: SessionBus, reports: Reports) -> Iterator[DesktopWatcher]:
    w = DesktopWatcher(reports.on_dnd, reports.on_lock, bus_address=bus.address, flags=())
    yield w
    w.stop()


def started(w: DesktopWatcher) -> DesktopWatcher:
    """Start and wait until the first reads are done (the queue holds nothing before them)."""
    w.start()
    wait_until(lambda: w._items.empty(), 5, "the initial reads")
    time.sleep(0.1)  # the last item may still be in hand
    return w


# --- tests -------------------------------------------------------------------------------------


def test_the_current_state_is_reported_at_start(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    kde = run(FakeKdeNotifications(bus.address, inhibited=True))
    saver = run(FakeLockService(bus.address, active=True))
    started(watcher)
    reports.wait("dnd", [True])
    reports.wait("lock", [True])
    assert kde.calls["Get"] == 2  # dunst's paused (not there) and Inhibited, once each
    assert saver.calls["GetActive"] == 1
    assert reports.threads == {"breakd-desktop-state"}


def test_an_off_state_at_start_is_not_reported(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    run(FakeKdeNotifications(bus.address))
    run(FakeLockService(bus.address))
    started(watcher)
    time.sleep(QUIET / 2)
    assert reports.dnd == [] and reports.lock == []


def test_changes_are_reported_in_order_once_each_and_nothing_is_polled(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    kde: FakeKdeNotifications = run(FakeKdeNotifications(bus.address))  # type: ignore[assignment]
    saver: FakeLockService = run(FakeLockService(bus.address))  # type: ignore[assignment]
    started(watcher)
    for on in (True, True, False, True, False):  # a repeat is no change: not reported again
        kde.inhibit(on)
    for locked in (True, False, False, True):
        saver.lock_screen(locked)
    reports.wait("dnd", [True, False, True, False])
    reports.wait("lock", [True, False, True])
    time.sleep(QUIET)
    assert kde.calls["Get"] == 2 and saver.calls["GetActive"] == 1  # start only
    assert reports.dnd == [True, False, True, False] and reports.lock == [True, False, True]


def test_any_dnd_source_or_lock_source_is_enough(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    fdo: FakeLockService = run(FakeLockService(bus.address))  # type: ignore[assignment]
    gnome: FakeLockService = run(gnome_lock(bus.address))  # type: ignore[assignment]
    started(watcher)
    # One step at a time: the bus keeps each sender's order, not the order across senders.
    fdo.lock_screen(True)
    reports.wait("lock", [True])
    gnome.lock_screen(True)
    time.sleep(QUIET / 4)
    fdo.lock_screen(False)  # GNOME's still says locked
    time.sleep(QUIET / 4)
    assert reports.lock == [True]
    gnome.lock_screen(False)
    reports.wait("lock", [True, False])
    assert fdo.calls["GetActive"] == 1 and gnome.calls["GetActive"] == 1


def test_a_replaced_notification_server_is_read_again(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    first = run(FakeKdeNotifications(bus.address, inhibited=True))
    started(watcher)
    reports.wait("dnd", [True])
    first.stop()  # its inhibition goes with it
    reports.wait("dnd", [True, False])
    second: FakeKdeNotifications = run(FakeKdeNotifications(bus.address, inhibited=True))  # type: ignore[assignment]
    reports.wait("dnd", [True, False, True])
    assert second.calls["Get"] == 2  # read once, when it took the name
    second.inhibit(False)
    reports.wait("dnd", [True, False, True, False])
    time.sleep(QUIET / 2)
    assert second.calls["Get"] == 2


def test_absent_services_are_not_watched_until_they_appear(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    started(watcher)
    assert watcher.thread is not None and watcher.thread.is_alive()
    assert reports.dnd == [] and reports.lock == []
    saver = run(FakeLockService(bus.address, active=True))  # e.g. started after breakd
    reports.wait("lock", [True])
    assert saver.calls["GetActive"] == 1


def test_no_bus_address_is_logged_not_raised(
    reports: Reports, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    w = DesktopWatcher(reports.on_dnd, reports.on_lock)
    w.start()
    w.stop()
    assert w.thread is None  # nothing to wait for: the environment does not change
    assert "not watching do-not-disturb" in caplog.text


def test_no_bus_at_start_is_logged_not_raised_and_waited_for(
    reports: Reports, caplog: pytest.LogCaptureFixture
) -> None:
    w = DesktopWatcher(reports.on_dnd, reports.on_lock, bus_address="unix:path=/nonexistent/bus")
    w.start()
    assert "not watching do-not-disturb" in caplog.text
    assert w.thread is not None and w.thread.is_alive()
    wait_until(lambda: w._waiter is not None, 5, "the wait for the bus's socket")
    w.stop()  # ends the wait
    assert not w.thread.is_alive()
    assert reports.dnd == [] and reports.lock == []


@contextlib.contextmanager
def locked_bus(watcher: DesktopWatcher) -> Iterator[tuple[SessionBus, FakeLockService]]:
    """A new session bus with a screen saver that says locked, for ``watcher`` to find once
    the test points its address at the bus's socket. On the way out the watcher stops first,
    so the service and the bus going are not reported."""
    bus = SessionBus(Path(tempfile.mkdtemp(prefix="breakd-late-")))  # unix paths are short
    bus.start()
    try:
        saver = FakeLockService(bus.address, active=True).start()
        try:
            yield bus, saver
        finally:
            watcher.stop()
            saver.stop()
    finally:
        bus.stop()
        shutil.rmtree(bus.workdir, ignore_errors=True)


def counting_connects(w: DesktopWatcher) -> list[float]:
    tries: list[float] = []
    connect = w._connect

    def counted() -> DBusLink:
        tries.append(time.monotonic())
        return connect()

    w._connect = counted  # type: ignore[method-assign]
    return tries


def quick_watcher(address: Path, reports: Reports) -> DesktopWatcher:
    """A watcher of the bus at ``address`` whose reconnect back-off runs in tenths of a second."""
    return DesktopWatcher(
        reports.on_dnd,
        reports.on_lock,
        bus_address=f"unix:path={address}",
        flags=(),
        reconnect_first=0.05,
        reconnect_max=0.2,
    )


def test_a_bus_that_comes_after_start_is_watched_without_polling_for_it(
    reports: Reports, caplog: pytest.LogCaptureFixture
) -> None:
    require("dbus-daemon")
    home = Path(tempfile.mkdtemp(prefix="breakd-nobus-"))
    address = home / "bus"
    w = quick_watcher(address, reports)
    tries = counting_connects(w)
    caplog.set_level("INFO", logger="breakd.desktop")
    try:
        w.start()
        wait_until(lambda: w._waiter is not None, 5, "the wait for the bus's socket")
        time.sleep(QUIET / 2)  # a few back-offs long: nothing tries meanwhile
        assert len(tries) == 1
        with locked_bus(w) as (bus, saver):
            address.symlink_to(_socket_of(bus.address))  # the socket appears
            reports.wait("lock", [True])  # read from the bus that came
            assert len(tries) == 2 and saver.calls["GetActive"] == 1
            assert "the session bus is up" in caplog.text
            assert w._reconnect_in is None  # connected: no timer
    finally:
        w.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_a_bus_that_does_not_answer_at_start_is_tried_with_the_back_off(reports: Reports) -> None:
    require("dbus-daemon")
    home = Path(tempfile.mkdtemp(prefix="breakd-deadbus-"))
    address = home / "bus"
    address.write_text("")  # something is there, but no bus answers: nothing to wait on
    w = quick_watcher(address, reports)
    tries = counting_connects(w)
    try:
        w.start()
        wait_until(lambda: w._reconnect_in == 0.2, 5, "a few failed tries")
        assert len(tries) >= 3  # the first at start, then the back-off's
        with locked_bus(w) as (bus, _saver):
            address.unlink()
            address.symlink_to(_socket_of(bus.address))
            reports.wait("lock", [True])
    finally:
        w.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_stop_ends_both_threads_promptly_and_reports_nothing_after(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    saver: FakeLockService = run(FakeLockService(bus.address))  # type: ignore[assignment]
    started(watcher)
    link = watcher._link
    assert link is not None and watcher.thread is not None
    begun = time.monotonic()
    watcher.stop()
    assert time.monotonic() - begun < 5.0  # woken, not waited out
    assert not watcher.thread.is_alive() and not link.thread.is_alive()
    saver.lock_screen(True)
    time.sleep(QUIET / 2)
    assert reports.lock == []


def test_a_dying_bus_turns_everything_off(
    bus: SessionBus, run: Callable[..., StandInService], watcher: DesktopWatcher, reports: Reports
) -> None:
    run(FakeKdeNotifications(bus.address, inhibited=True))
    run(FakeLockService(bus.address, active=True))
    started(watcher)
    reports.wait("dnd", [True])
    bus.stop()  # better a reminder too many than reminders held by a bus that is gone
    reports.wait("dnd", [True, False])
    reports.wait("lock", [True, False])


def test_a_new_bus_is_connected_to_and_read_again(
    caplog: pytest.LogCaptureFixture, reports: Reports
) -> None:
    # One address for both buses: a symlink that is pointed at the second bus's socket.
    dirs = [Path(tempfile.mkdtemp(prefix="breakd-rebus-")) for _ in range(3)]  # short paths
    stable = dirs[0] / "bus"
    first, second = SessionBus(dirs[1]), SessionBus(dirs[2])
    first.start()
    stable.symlink_to(_socket_of(first.address))
    watcher = quick_watcher(stable, reports)
    caplog.set_level("INFO", logger="breakd.desktop")
    services: list[StandInService] = []
    try:
        services.append(FakeKdeNotifications(first.address, inhibited=True).start())
        started(watcher)
        reports.wait("dnd", [True])
        first.stop()
        reports.wait("dnd", [True, False])
        wait_until(lambda: watcher._reconnect_in == 0.2, 5, "a few failed reconnects")
        second.start()
        services.append(FakeLockService(second.address, active=True).start())
        stable.unlink()
        stable.symlink_to(_socket_of(second.address))
        reports.wait("lock", [True])  # read anew from the new bus
        assert "watching do-not-disturb and the screen lock again" in caplog.text
        assert watcher._reconnect_in is None  # connected: the worker waits without a timeout
    finally:
        watcher.stop()
        for service in services:
            service.stop()
        second.stop()
        first.stop()
        for directory in dirs:
            shutil.rmtree(directory, ignore_errors=True)


def _socket_of(address: str) -> str:
    return address.removeprefix("unix:path=").split(",")[0]


@pytest.mark.parametrize("source", desktop_state.SOURCES, ids=lambda s: s.label)
def test_reading_never_starts_a_service(source: Source) -> None:
    # A normal session bus can activate a notification server; the watcher must not.
    assert source.read_message().header.flags & MessageFlag.no_auto_start


@pytest.mark.parametrize(
    ("prefix", "changes", "touched"),
    [
        ("/org/gnome/desktop/notifications/show-banners", [""], True),
        ("/org/gnome/desktop/notifications/", ["show-banners", "other"], True),
        ("/org/gnome/desktop/", ["notifications/"], True),  # a directory reset
        ("/org/gnome/desktop/notifications/", ["show-in-lock-screen"], False),
        ("/org/gnome/desktop/interface/", [""], False),
        ("/org/gnome/desktop/notifications/show-banners", [], True),
    ],
)
def test_which_dconf_writes_touch_the_key(prefix, changes, touched):
    signal = Signal(
        ":1.5", "/ca/desrt/dconf/Writer/user", DCONF_WRITER, "Notify", (prefix, changes, "t")
    )
    assert GNOME_DND.touched_by(signal) is touched


def test_which_dnd_is_on_and_a_notification_server_appearing_are_reported(
    bus: SessionBus, run: Callable[..., StandInService]
) -> None:
    held: list[str | None] = []
    servers: list[str] = []
    w = DesktopWatcher(
        lambda on: pytest.fail("on_dnd_by replaces on_dnd"),
        lambda locked: None,
        bus_address=bus.address,
        flags=(),
        on_dnd_by=held.append,
        on_notification_server=lambda: servers.append(threading.current_thread().name),
    )
    try:
        started(w)
        assert servers == [] and held == []
        kde = run(FakeKdeNotifications(bus.address, inhibited=True))  # the bus says: new owner
        wait_until(lambda: servers and held, 5, "the server and its do-not-disturb reported")
        assert servers == ["breakd-desktop-state"] and held == ["KDE do-not-disturb"]
        kde.inhibit(False)
        wait_until(lambda: len(held) == 2, 5, "do-not-disturb off")
        assert held[-1] is None
    finally:
        w.stop()
