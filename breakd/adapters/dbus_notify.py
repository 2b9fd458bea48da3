"""Reminders as freedesktop notifications over D-Bus, with Take break / Snooze / Skip buttons.

Owns: one connection to the session bus (opened on the first ``show``, reopened on the next
``show`` after it died), the map from breakd reminder ids to the notification server's ids
(so a repeat replaces the earlier notification and a withdrawn reminder can be closed), the
cached server capabilities, and ONE listener thread per connection that blocks reading the
socket and turns ``ActionInvoked`` / ``NotificationClosed`` signals into ``on_action`` calls
and forgotten ids.

Must not: decide anything (a click is reported to ``on_action``; the engine decides what it
means), raise out of ``show``/``withdraw`` (failures are logged and reported as ``False``, the
daemon retries), poll, or call ``on_action`` on the listener thread (see ``_answer``).

Talks the protocol of the Desktop Notifications Specification 1.2 through jeepney's
thread-safe connection (``jeepney.io.threading.DBusConnection``: ``receive()`` blocks in a
selector on the socket and a stop pipe, ``interrupt()`` wakes it with ``ReceiveStopped``).
jeepney's own ``DBusRouter`` would need a second thread to drain its filter queues, so this
module matches replies to calls itself, in the one listener thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from breakd.adapters.notify import APP_NAME, DISPLAY_SECONDS, icon_path
from breakd.core.types import Reminder, Urgency

log = logging.getLogger("breakd.notify")

Answer = Literal["take", "snooze", "skip"]
ANSWERS: tuple[Answer, ...] = ("take", "snooze", "skip")
# Shown where the server has no buttons, so the reminder still says how to answer it.
CLI_HINT = "Snooze: breakd snooze · Skip: breakd skip"
CALL_TIMEOUT = 5.0  # seconds; a server that takes longer is as good as absent for a reminder

SERVER_NAME = "org.freedesktop.Notifications"
SERVER = DBusAddress("/org/freedesktop/Notifications", bus_name=SERVER_NAME, interface=SERVER_NAME)
_BUS_NAME = "org.freedesktop.DBus"

OnAction = Callable[[int, str], None]


class NotifyError(Exception):
    """Why a call did not reach the notification server (the text goes into the log)."""


# --- the map between breakd's reminder ids and the server's notification ids ---------------


@dataclass
class _IdMap:
    by_reminder: dict[int, int] = field(default_factory=dict)
    by_server: dict[int, int] = field(default_factory=dict)

    def put(self, reminder_id: int, server_id: int) -> None:
        self.pop_reminder(reminder_id)
        self.by_reminder[reminder_id] = server_id
        self.by_server[server_id] = reminder_id

    def pop_reminder(self, reminder_id: int) -> int | None:
        server_id = self.by_reminder.pop(reminder_id, None)
        if server_id is not None:
            self.by_server.pop(server_id, None)
        return server_id

    def pop_server(self, server_id: int) -> None:
        reminder_id = self.by_server.pop(server_id, None)
        if reminder_id is not None:
            self.by_reminder.pop(reminder_id, None)

    def clear(self) -> None:
        self.by_reminder.clear()
        self.by_server.clear()


# --- one connection and its listener thread ------------------------------------------------


class _Link:
    """A bus connection whose single listener thread delivers replies and signals.

    Replies go to the caller waiting in ``call``; signals go to ``on_signal`` (on the
    listener thread, so it must be quick and must not call ``call``).
    """

    def __init__(self, conn: DBusConnection, on_signal: Callable[[Message], None]) -> None:
        self._conn = conn
        self._on_signal = on_signal
        self._lock = threading.Lock()
        self._pending: dict[int, concurrent.futures.Future[Message]] = {}
        self._dead: str | None = None  # why the connection ended, once it has
        self.thread = threading.Thread(
            target=self._listen, name="breakd-notify-listener", daemon=True
        )
        self.thread.start()

    @classmethod
    def open(cls, address: str, on_signal: Callable[[Message], None], timeout: float) -> _Link:
        # Connects, authenticates and says Hello (through a short-lived jeepney router).
        return cls(open_dbus_connection(bus=address, auth_timeout=timeout), on_signal)

    @property
    def dead(self) -> bool:
        return self._dead is not None

    def call(self, msg: Message, timeout: float) -> tuple[object, ...]:
        """Send a method call and wait for its reply's body; raise ``NotifyError`` if none."""
        return tuple(unwrap_msg(self.call_raw(msg, timeout)))

    def call_raw(self, msg: Message, timeout: float) -> Message:
        future: concurrent.futures.Future[Message] = concurrent.futures.Future()
        with self._lock:
            if self._dead is not None:
                raise NotifyError(self._dead)
            serial = next(self._conn.outgoing_serial)
            # Registered before sending, so even an instant reply finds its caller.
            self._pending[serial] = future
        try:
            self._conn.send(msg, serial=serial)
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise NotifyError(f"no answer within {timeout:g} s") from None
        except OSError as exc:
            raise NotifyError(f"session bus connection lost: {exc}") from None
        finally:
            with self._lock:
                self._pending.pop(serial, None)

    def close(self, timeout: float = CALL_TIMEOUT) -> None:
        # Interrupt first and close the socket only once the thread is out of its select().
        self._conn.interrupt()
        if self.thread is not threading.current_thread():
            self.thread.join(timeout)
        self._conn.close()

    def _listen(self) -> None:
        reason = "connection closed"
        try:
            while True:
                self._dispatch(self._conn.receive())  # blocks on the socket: no timeout
        except ReceiveStopped:
            pass
        except Exception as exc:  # EOF, reset, a garbled message: the connection is unusable
            reason = f"session bus connection lost: {type(exc).__name__}: {exc}"
            log.debug("notification listener stopped: %s", reason)
        finally:
            self._fail_pending(reason)

    def _dispatch(self, msg: Message) -> None:
        reply_to = msg.header.fields.get(HeaderFields.reply_serial)
        if reply_to is not None:
            with self._lock:
                future = self._pending.get(reply_to)
            if future is not None and not future.done():
                future.set_result(msg)
        elif msg.header.message_type is MessageType.signal:
            try:
                self._on_signal(msg)
            except Exception:  # a bad signal must not end the listener
                log.exception("error handling a notification signal")

    def _fail_pending(self, reason: str) -> None:
        with self._lock:
            self._dead = reason
            pending, self._pending = list(self._pending.values()), {}
        for future in pending:
            if not future.done():
                future.set_exception(NotifyError(reason))


# --- the notifier ----------------------------------------------------------------------------


def _match_rules() -> list[MatchRule]:
    # The server's signals, and the name changing hands (a new server has new ids and
    # maybe other capabilities).
    server_signals = MatchRule(type="signal", interface=SERVER_NAME, path=SERVER.object_path)
    owner = MatchRule(
        type="signal", sender=_BUS_NAME, interface=_BUS_NAME, member="NameOwnerChanged"
    )
    owner.add_arg_condition(0, SERVER_NAME)
    return [server_signals, owner]


class DBusNotifier:
    """A ``Notifier`` (``show``) that can also ``withdraw`` reminders and report button clicks.

    ``on_action(reminder_id, answer)`` gets breakd's reminder id and one of ``ANSWERS`` when
    the user clicks a button. It runs on a fresh short-lived thread, so it may call ``show``
    and ``withdraw`` (the daemon's command path does).
    """

    def __init__(
        self,
        *,
        on_action: OnAction,
        snooze_label: str,
        bus_address: str | None = None,
        timeout: float = CALL_TIMEOUT,
    ) -> None:
        self._on_action = on_action
        self._snooze_label = snooze_label
        self._bus_address = bus_address
        self._timeout = timeout
        self._icon = icon_path()
        self._calls = threading.Lock()  # one show/withdraw at a time; held while waiting
        self._state = threading.Lock()  # short sections only; the listener takes it too
        self._link: _Link | None = None
        self._capabilities: frozenset[str] | None = None
        self._server: str | None = None  # unique bus name of the server that gave us ids
        self._ids = _IdMap()
        self._closed = False

    @property
    def listener(self) -> threading.Thread | None:
        """The listener thread of the current connection (for tests and diagnostics)."""
        link = self._link
        return link.thread if link is not None else None

    # --- Notifier --------------------------------------------------------------------------

    def show(self, reminder: Reminder) -> bool:
        """Show (or replace) the reminder's notification; False if it could not be shown."""
        with self._calls:
            try:
                link = self._connected()
                capabilities = self._ask_capabilities(link)
                with self._state:
                    replaces = self._ids.by_reminder.get(reminder.id, 0)
                reply = link.call_raw(
                    self._notify_message(reminder, capabilities, replaces), self._timeout
                )
                (server_id,) = unwrap_msg(reply)
            except (NotifyError, DBusErrorResponse, OSError, ValueError) as exc:
                what = f"reminder {reminder.id} ({reminder.kind.value}) not shown"
                log.warning("%s: %s", what, _describe(exc))
                return False
            except Exception:  # a bug here must cost one reminder, not the daemon
                log.exception("reminder %d not shown: internal error", reminder.id)
                return False
            with self._state:
                self._server = reply.header.fields.get(HeaderFields.sender)
                self._ids.put(reminder.id, int(server_id))
            return True

    def withdraw(self, reminder_id: int) -> None:
        """Close the reminder's notification if it is (as far as we know) still on screen."""
        with self._calls:
            with self._state:
                server_id = self._ids.pop_reminder(reminder_id)
                link = self._link
            # Without the connection the ids belong to a server we can no longer reach.
            if server_id is None or link is None or link.dead:
                return
            try:
                link.call(
                    new_method_call(SERVER, "CloseNotification", "u", (server_id,)), self._timeout
                )
            except (NotifyError, DBusErrorResponse, OSError) as exc:
                log.warning("reminder %d not withdrawn: %s", reminder_id, _describe(exc))
            except Exception:
                log.exception("reminder %d not withdrawn: internal error", reminder_id)

    def close(self) -> None:
        """Stop the listener and drop the connection; later calls show nothing."""
        with self._state:
            self._closed = True
            link, self._link = self._link, None
        if link is not None:
            link.close()  # fails a call in flight at once, so this does not wait for it

    # --- connecting --------------------------------------------------------------------------

    def _connected(self) -> _Link:
        with self._state:
            if self._closed:
                raise NotifyError("notifier closed")
            link = self._link
        if link is not None and not link.dead:
            return link
        if link is not None:
            link.close()
        address = self._bus_address or os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not address:
            raise NotifyError("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        try:
            link = _Link.open(address, self._on_signal, self._timeout)
        # Refused or missing socket, bad address or auth (ValueError), no Hello reply (on 3.10
        # concurrent.futures.TimeoutError is not the builtin one).
        except (OSError, RuntimeError, ValueError, concurrent.futures.TimeoutError) as exc:
            raise NotifyError(f"cannot connect to the session bus: {exc}") from None
        try:
            for rule in _match_rules():
                link.call(message_bus.AddMatch(rule), self._timeout)
        except BaseException:
            link.close()
            raise
        with self._state:
            closed = self._closed  # close() may have run while we were connecting
            if not closed:
                self._link = link
                # A new connection may mean a new bus and server: ask again, forget old ids.
                self._forget_server_locked()
        if closed:
            link.close()
            raise NotifyError("notifier closed")
        return link

    def _ask_capabilities(self, link: _Link) -> frozenset[str]:
        with self._state:
            if self._capabilities is not None:
                return self._capabilities
        (capabilities,) = link.call(new_method_call(SERVER, "GetCapabilities"), self._timeout)
        found = frozenset(str(c) for c in capabilities)
        with self._state:
            self._capabilities = found
        return found

    # --- what a reminder looks like on the bus ---------------------------------------------

    def _notify_message(
        self, reminder: Reminder, capabilities: frozenset[str], replaces: int
    ) -> Message:
        if "actions" in capabilities:
            actions = ["take", "Take break", "snooze", self._snooze_label, "skip", "Skip"]
            body = reminder.body
        else:
            actions = []
            body = f"{reminder.body}\n\n{CLI_HINT}" if reminder.body else CLI_HINT
        hints = {"urgency": ("y", int(reminder.urgency)), "category": ("s", "presence")}
        # A critical reminder stays until answered (0 = never expires), like the plyer path.
        expire_ms = 0 if reminder.urgency is Urgency.CRITICAL else DISPLAY_SECONDS * 1000
        args = (APP_NAME, replaces, self._icon, reminder.title, body, actions, hints, expire_ms)
        return new_method_call(SERVER, "Notify", "susssasa{sv}i", args)

    # --- signals (on the listener thread) ----------------------------------------------------

    def _on_signal(self, msg: Message) -> None:
        fields = msg.header.fields
        interface, member = fields.get(HeaderFields.interface), fields.get(HeaderFields.member)
        if interface == _BUS_NAME and member == "NameOwnerChanged":
            if msg.body and msg.body[0] == SERVER_NAME:
                with self._state:
                    self._forget_server_locked()
            return
        if interface != SERVER_NAME:
            return
        with self._state:
            # Anyone on the bus may emit these; only the server that showed ours counts.
            if self._server is None or fields.get(HeaderFields.sender) != self._server:
                return
            if member == "NotificationClosed":
                self._ids.pop_server(int(msg.body[0]))
                return
            if member != "ActionInvoked":
                return
            server_id, key = msg.body
            reminder_id = self._ids.by_server.get(int(server_id))
        # "default" (a click on the body) and keys we never sent mean nothing.
        if reminder_id is not None and key in ANSWERS:
            self._answer(reminder_id, str(key))

    def _answer(self, reminder_id: int, key: str) -> None:
        # Not on the listener: on_action typically leads to withdraw()/show(), which wait for
        # replies that only the listener can deliver. A click is rare; a thread is cheap.
        threading.Thread(
            target=self._run_on_action,
            args=(reminder_id, key),
            name="breakd-notify-action",
            daemon=True,
        ).start()

    def _run_on_action(self, reminder_id: int, key: str) -> None:
        try:
            self._on_action(reminder_id, key)
        except Exception:
            log.exception("error handling the %r answer to reminder %d", key, reminder_id)

    def _forget_server_locked(self) -> None:
        self._capabilities = None
        self._server = None
        self._ids.clear()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, DBusErrorResponse):
        if exc.name == "org.freedesktop.DBus.Error.ServiceUnknown":
            return f"no notification server on the session bus ({exc.name})"
        detail = exc.data[0] if exc.data else ""
        return f"the notification server answered {exc.name}: {detail}"
    if isinstance(exc, NotifyError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
