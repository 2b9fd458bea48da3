"""The screen-sharing watcher on a private bus, against stand-ins speaking the real
interfaces: Mutter's ``org.gnome.Mutter.ScreenCast`` and xdg-desktop-portal's
``org.freedesktop.portal.ScreenCast``, driven by a client as an app (or the portal's GNOME
backend) would drive them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jeepney import (
    DBusAddress,
    HeaderFields,
    Message,
    MessageType,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.io.threading import DBusConnection, open_dbus_connection

from breakd.adapters.calls.screencast import (
    ScreenCastTracker,
    ScreenCastUnavailable,
    ScreenCastWatcher,
    become_monitor,
)
from tests.calls.conftest import Reports
from tests.dbus_standin import StandInService
from tests.e2e.desktop import SessionBus

MUTTER = "org.gnome.Mutter.ScreenCast"
MUTTER_PATH = "/org/gnome/Mutter/ScreenCast"
PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"


@dataclass
class MutterStandIn(StandInService):
    """``CreateSession`` gives a session; its ``Start`` and ``Stop`` answer as Mutter's do,
    and ``Stop`` emits ``Closed`` as Mutter does."""

    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def answer(self, member: str, msg: Message) -> Message:
        if member == "CreateSession":
            path = f"{MUTTER_PATH}/Session/u{next(self.numbers)}"
            return new_method_return(msg, "o", (path,))
        if member == "Stop":
            path = str(msg.header.fields[HeaderFields.path])
            session = DBusAddress(path, interface=f"{MUTTER}.Session")
            self.emit(session, "Closed", "")
        return new_method_return(msg)


@dataclass
class PortalStandIn(StandInService):
    """``ScreenCast.Start`` answers with its request's path, then the request's ``Response``
    (``code``: 0 shared, 1 the user cancelled) goes to the caller, as the portal's does."""

    code: int = 0

    def answer(self, member: str, msg: Message) -> Message:
        interface = msg.header.fields.get(HeaderFields.interface)
        if interface == "org.freedesktop.portal.ScreenCast" and member == "Start":
            sender = str(msg.header.fields[HeaderFields.sender])[1:].replace(".", "_")
            token = msg.body[2]["handle_token"][1]
            request = f"{PORTAL_PATH}/request/{sender}/{token}"
            response = new_signal(
                DBusAddress(request, interface="org.freedesktop.portal.Request"),
                "Response",
                "ua{sv}",
                (self.code, {}),
            )
            response.header.fields[HeaderFields.destination] = msg.header.fields[
                HeaderFields.sender
            ]
            assert self._conn is not None
            self._conn.send(new_method_return(msg, "o", (request,)))
            return response
        return new_method_return(msg)


@pytest.fixture
def app(bus: SessionBus) -> Iterator[DBusConnection]:
    """The program that shares the screen."""
    conn = open_dbus_connection(bus=bus.address)
    yield conn
    conn.close()


def call(conn: DBusConnection, msg: Message) -> tuple[object, ...]:
    serial = next(conn.outgoing_serial)
    conn.send(msg, serial=serial)
    while True:
        reply = conn.receive(timeout=5)
        if reply.header.fields.get(HeaderFields.reply_serial) == serial:
            assert reply.header.message_type is MessageType.method_return, reply.body
            return reply.body


def test_a_mutter_session_shares_from_start_until_stop(bus: SessionBus, app, reports: Reports):
    mutter = MutterStandIn(bus.address, MUTTER).start()
    watcher = ScreenCastWatcher(reports, bus.address)
    watcher.start()
    try:
        screencast = DBusAddress(MUTTER_PATH, bus_name=MUTTER, interface=MUTTER)
        (path,) = call(app, new_method_call(screencast, "CreateSession", "a{sv}", ({},)))
        session = DBusAddress(str(path), bus_name=MUTTER, interface=f"{MUTTER}.Session")
        call(app, new_method_call(session, "Start"))
        reports.wait_for(True)
        call(app, new_method_call(session, "Stop"))
        reports.wait_for(True, False)
    finally:
        watcher.stop()
        mutter.stop()


def test_a_session_ends_when_the_program_that_started_it_leaves(bus: SessionBus, reports: Reports):
    mutter = MutterStandIn(bus.address, MUTTER).start()
    watcher = ScreenCastWatcher(reports, bus.address)
    watcher.start()
    app = open_dbus_connection(bus=bus.address)
    try:
        screencast = DBusAddress(MUTTER_PATH, bus_name=MUTTER, interface=MUTTER)
        (path,) = call(app, new_method_call(screencast, "CreateSession", "a{sv}", ({},)))
        session = DBusAddress(str(path), bus_name=MUTTER, interface=f"{MUTTER}.Session")
        call(app, new_method_call(session, "Start"))
        reports.wait_for(True)
        app.close()
        reports.wait_for(True, False)
    finally:
        watcher.stop()
        mutter.stop()


@pytest.mark.parametrize(("code", "shared"), [(0, True), (1, False)])
def test_a_portal_session_shares_once_the_user_allows_it(
    bus: SessionBus, app, reports: Reports, code: int, shared: bool
):
    portal = PortalStandIn(bus.address, PORTAL, code=code).start()
    watcher = ScreenCastWatcher(reports, bus.address)
    watcher.start()
    try:
        screencast = DBusAddress(
            PORTAL_PATH, bus_name=PORTAL, interface="org.freedesktop.portal.ScreenCast"
        )
        session_path = f"{PORTAL_PATH}/session/app/s1"
        options = {"handle_token": ("s", "breakd_test1")}
        start = new_method_call(screencast, "Start", "osa{sv}", (session_path, "", options))
        call(app, start)
        response = app.receive(timeout=5)  # as an app does, before it uses (or closes) it
        assert response.header.fields[HeaderFields.member] == "Response"
        session = DBusAddress(
            session_path, bus_name=PORTAL, interface="org.freedesktop.portal.Session"
        )
        call(app, new_method_call(session, "Close"))
        # Then a session the watcher surely sees: reports come in bus order, so by its report
        # the portal's was told (or, cancelled, was not).
        later = DBusAddress(
            f"{MUTTER_PATH}/Session/u9", bus_name=PORTAL, interface=f"{MUTTER}.Session"
        )
        call(app, new_method_call(later, "Start"))
        if shared:
            reports.wait_for(True, False, True)
        else:
            reports.wait_for(True)
    finally:
        watcher.stop()
        portal.stop()


def test_the_tracker_ignores_what_is_not_a_session():
    tracker = ScreenCastTracker()
    other = new_method_call(DBusAddress("/x", bus_name="a.b", interface="a.b.C"), "Start")
    tracker.feed(other)
    assert not tracker.sharing


def test_no_bus_says_why(tmp_path: Path):
    with pytest.raises(ScreenCastUnavailable, match="cannot connect"):
        become_monitor(f"unix:path={tmp_path}/none")
