"""Reminders as freedesktop notifications over D-Bus, with Take break / Snooze / Skip buttons.

Owns: one connection to the session bus (opened on the first ``show``, reopened on the next
``show`` after it died), the map from breakd reminder ids to the notification server's ids
(so a repeat replaces the earlier notification and a withdrawn reminder can be closed), the
cached server capabilities, and what the connection's ONE listener thread does with signals:
``ActionInvoked`` / ``NotificationClosed`` become ``on_action`` calls and forgotten ids.

Must not: decide anything (a click is reported to ``on_action``; the engine decides what it
means), raise out of ``show``/``withdraw`` (failures are logged and reported as ``False``, the
daemon retries), poll, or call ``on_action`` on the listener thread (see ``_answer``).

Talks the protocol of the Desktop Notifications Specification 1.2 through a
``breakd.adapters.dbus_link.DBusLink`` (the connection, its listener thread blocking in
``receive()``, replies matched to calls), as the D-Bus presence sources do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, new_method_call
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from breakd.adapters.dbus_link import BusError, DBusLink, Signal, name_owner_rule, owner_changed
from breakd.adapters.notify import APP_NAME, CLI_HINT, DISPLAY_SECONDS, icon_path
from breakd.core.types import Reminder, Urgency

log = logging.getLogger("breakd.notify")

Answer = Literal["take", "snooze", "skip"]
ANSWERS: tuple[Answer, ...] = ("take", "snooze", "skip")
CALL_TIMEOUT = 5.0  # seconds; a server that takes longer is as good as absent for a reminder

SERVER_NAME = "org.freedesktop.Notifications"
SERVER = DBusAddress("/org/freedesktop/Notifications", bus_name=SERVER_NAME, interface=SERVER_NAME)

OnAction = Callable[[int, str], None]


class NotifyError(BusError):
    """Why a reminder was not shown: the notifier is closed (the text goes into the log).

    Link failures are ``BusError``s too (no bus, no answer, connection lost).
    """


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


# --- the notifier ----------------------------------------------------------------------------


def _match_rules() -> list[MatchRule]:
    # The server's signals, and the name changing hands (a new server has new ids and
    # maybe other capabilities).
    server_signals = MatchRule(type="signal", interface=SERVER_NAME, path=SERVER.object_path)
    return [server_signals, name_owner_rule(SERVER_NAME)]


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
        self._link: DBusLink | None = None
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

    def set_snooze_label(self, label: str) -> None:
        """A reload changed the snooze length: the next Snooze button says so (the
        notifications on screen keep theirs, and a repeat still replaces its earlier one)."""
        self._snooze_label = label

    def show(self, reminder: Reminder) -> bool:
        """Show (or replace) the reminder's notification; False if it could not be shown."""
        with self._calls:
            try:
                link = self._connected()
                capabilities = self._ask_capabilities(link)
                with self._state:
                    replaces = self._ids.by_reminder.get(reminder.id, 0)
                reply = link.call_raw(self._notify_message(reminder, capabilities, replaces))
                (server_id,) = unwrap_msg(reply)
            except (BusError, DBusErrorResponse, OSError, ValueError) as exc:
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
            if server_id is None or link is None or link.dead is not None:
                return
            try:
                link.call(new_method_call(SERVER, "CloseNotification", "u", (server_id,)))
            except (BusError, DBusErrorResponse, OSError) as exc:
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

    def _connected(self) -> DBusLink:
        with self._state:
            if self._closed:
                raise NotifyError("notifier closed")
            link = self._link
        if link is not None and link.dead is None:
            return link
        if link is not None:
            link.close()
        link = DBusLink.open(
            self._bus_address,
            self._on_signal,
            thread_name="breakd-notify-listener",
            rules=_match_rules(),
            timeout=self._timeout,
        )
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

    def _ask_capabilities(self, link: DBusLink) -> frozenset[str]:
        with self._state:
            if self._capabilities is not None:
                return self._capabilities
        (capabilities,) = link.call(new_method_call(SERVER, "GetCapabilities"))
        listed = capabilities if isinstance(capabilities, list) else []  # "as": a list
        found = frozenset(str(c) for c in listed)
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

    def _on_signal(self, signal: Signal) -> None:
        if owner_changed(signal, SERVER_NAME):
            with self._state:
                self._forget_server_locked()
            return
        if signal.interface != SERVER_NAME:
            return
        with self._state:
            # Anyone on the bus may emit these; only the server that showed ours counts.
            if self._server is None or signal.sender != self._server:
                return
            if signal.member == "NotificationClosed":
                self._ids.pop_server(int(signal.body[0]))  # type: ignore[call-overload]
                return
            if signal.member != "ActionInvoked":
                return
            server_id, key = signal.body
            reminder_id = self._ids.by_server.get(int(server_id))  # type: ignore[call-overload]
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
    if isinstance(exc, BusError):  # NotifyError, or the link's: the text says it all
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
