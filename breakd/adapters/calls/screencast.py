"""Screen sharing: a ScreenCast session going on, seen on the session bus.

Screen-cast sessions announce no signal anyone may subscribe to when they start, so this
watcher becomes a bus monitor (``org.freedesktop.DBus.Monitoring.BecomeMonitor``, allowed
for the bus's own user) with match rules for just the messages that start and end them:

* GNOME's Mutter (``org.gnome.Mutter.ScreenCast``; xdg-desktop-portal-gnome and
  gnome-remote-desktop go through it): ``Session.Start`` begins a session, ``Session.Stop``
  or the ``Session.Closed`` signal ends it;
* xdg-desktop-portal (``org.freedesktop.portal.ScreenCast``, any desktop's backend):
  ``Start(session_handle, ...)`` asks; the request's ``Response`` with code 0 begins the
  session (a request the user cancelled shares nothing), ``Session.Close`` or the
  ``Session.Closed`` signal ends it;
* a program that started sessions and leaves the bus (``NameOwnerChanged``) ends them.

Sharing while ANY session is going on. No call is made, nothing is asked again: only what
passes on the bus is seen. Reports ``on_change(sharing)`` from its one thread, only when the
value changes; a lost bus counts as not sharing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection

from breakd.adapters.dbus_link import session_bus_address
from breakd.core.words import N_, phrase, verbatim

log = logging.getLogger("breakd.calls")

MUTTER_SESSION = "org.gnome.Mutter.ScreenCast.Session"
PORTAL_SCREENCAST = "org.freedesktop.portal.ScreenCast"
PORTAL_SESSION = "org.freedesktop.portal.Session"
PORTAL_REQUEST = "org.freedesktop.portal.Request"
REQUEST_PATH = "/org/freedesktop/portal/desktop/request"
RULES = (
    f"type='method_call',interface='{MUTTER_SESSION}'",
    f"type='signal',interface='{MUTTER_SESSION}',member='Closed'",
    f"type='method_call',interface='{PORTAL_SCREENCAST}',member='Start'",
    f"type='method_call',interface='{PORTAL_SESSION}',member='Close'",
    f"type='signal',interface='{PORTAL_SESSION}',member='Closed'",
    f"type='signal',interface='{PORTAL_REQUEST}',member='Response'",
    "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'",
)
_MONITORING = DBusAddress(
    "/org/freedesktop/DBus",
    bus_name="org.freedesktop.DBus",
    interface="org.freedesktop.DBus.Monitoring",
)
CONNECT_TIMEOUT = 5.0


class ScreenCastUnavailable(RuntimeError):
    """No session bus, or it does not let breakd watch (the text says which)."""


@dataclass(frozen=True)
class _Session:
    owner: str  # the unique bus name that started it: its leaving ends the session


class ScreenCastTracker:
    """What the monitored messages mean: which sessions are going on. No I/O."""

    def __init__(self) -> None:
        self.sessions: dict[str, _Session] = {}  # session object path -> who started it
        self._requests: dict[str, tuple[str, str]] = {}  # request path -> (session, owner)

    @property
    def sharing(self) -> bool:
        return bool(self.sessions)

    def feed(self, msg: Message) -> None:
        fields = msg.header.fields
        kind = msg.header.message_type
        iface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        path = str(fields.get(HeaderFields.path, ""))
        sender = str(fields.get(HeaderFields.sender, ""))
        if kind is MessageType.method_call:
            if iface == MUTTER_SESSION and member == "Start":
                self.sessions[path] = _Session(sender)
            elif iface == MUTTER_SESSION and member == "Stop":
                self.sessions.pop(path, None)
            elif iface == PORTAL_SCREENCAST and member == "Start":
                self._portal_start(msg, sender)
            elif iface == PORTAL_SESSION and member == "Close":
                self.sessions.pop(path, None)
        elif kind is MessageType.signal:
            if member == "Closed" and iface in (MUTTER_SESSION, PORTAL_SESSION):
                self.sessions.pop(path, None)
            elif iface == PORTAL_REQUEST and member == "Response":
                self._portal_response(path, msg.body)
            elif member == "NameOwnerChanged" and len(msg.body) == 3 and not msg.body[2]:
                self._left(str(msg.body[0]))

    def _portal_start(self, msg: Message, sender: str) -> None:
        body = msg.body
        if len(body) < 3 or not isinstance(body[2], dict):
            return
        session = str(body[0])
        token = body[2].get("handle_token")
        if isinstance(token, tuple) and len(token) == 2:  # a variant: (signature, value)
            token = token[1]
        if not isinstance(token, str) or not sender.startswith(":"):
            self.sessions[session] = _Session(sender)  # no way to see its answer: assume yes
            return
        caller = sender[1:].replace(".", "_")
        self._requests[f"{REQUEST_PATH}/{caller}/{token}"] = (session, sender)

    def _portal_response(self, path: str, body: tuple[object, ...]) -> None:
        request = self._requests.pop(path, None)
        if request is not None and body and body[0] == 0:
            session, owner = request
            self.sessions[session] = _Session(owner)

    def _left(self, name: str) -> None:
        self.sessions = {p: s for p, s in self.sessions.items() if s.owner != name}
        self._requests = {p: r for p, r in self._requests.items() if r[1] != name}


def become_monitor(address: str | None) -> DBusConnection:
    """A connection to the session bus that sees the screen-cast messages (and can no longer
    send). Raises ``ScreenCastUnavailable``."""
    address = session_bus_address(address)
    if not address:
        text = N_("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        raise ScreenCastUnavailable(phrase(text))
    try:
        conn = open_dbus_connection(bus=address, auth_timeout=CONNECT_TIMEOUT)
    except Exception as exc:
        text = N_("cannot connect to the session bus: {error}")
        raise ScreenCastUnavailable(phrase(text, error=verbatim(str(exc)))) from None
    try:
        call = new_method_call(_MONITORING, "BecomeMonitor", "asu", (list(RULES), 0))
        serial = next(conn.outgoing_serial)
        conn.send(call, serial=serial)
        while True:  # the reply comes before anything monitored
            reply = conn.receive(timeout=CONNECT_TIMEOUT)
            if reply.header.fields.get(HeaderFields.reply_serial) == serial:
                break
    except Exception as exc:
        conn.close()
        text = N_("the session bus did not answer: {error}")
        raise ScreenCastUnavailable(phrase(text, error=verbatim(str(exc)))) from None
    if reply.header.message_type is MessageType.error:
        conn.close()
        why = reply.body[0] if reply.body else reply.header.fields.get(HeaderFields.error_name)
        text = N_("the session bus does not let breakd watch: {error}")
        raise ScreenCastUnavailable(phrase(text, error=verbatim(str(why))))
    return conn


class ScreenCastWatcher:
    def __init__(self, on_change: Callable[[bool], None], address: str | None = None) -> None:
        self._on_change = on_change
        self._address = address
        self._conn: DBusConnection | None = None
        self._thread: threading.Thread | None = None
        self._tracker = ScreenCastTracker()

    def start(self) -> None:
        """Raises ``ScreenCastUnavailable``."""
        self._conn = become_monitor(self._address)
        self._thread = threading.Thread(target=self._run, name="breakd-screencast", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.interrupt()
            if self._thread is not None:
                self._thread.join(2)
            conn.close()

    def _run(self) -> None:
        conn = self._conn
        assert conn is not None
        try:
            while True:
                before = self._tracker.sharing
                self._tracker.feed(conn.receive())
                if self._tracker.sharing != before:
                    log.debug("screen sharing %s", "began" if self._tracker.sharing else "ended")
                    self._on_change(self._tracker.sharing)
        except ReceiveStopped:
            return
        except Exception as exc:  # the bus is gone: no session can be seen any more
            log.warning("screen sharing is no longer watched: %s: %s", type(exc).__name__, exc)
            if self._tracker.sharing:
                self._on_change(False)


__all__ = ["ScreenCastTracker", "ScreenCastUnavailable", "ScreenCastWatcher", "become_monitor"]
