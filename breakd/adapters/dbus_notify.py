"""Reminders as freedesktop notifications over D-Bus, with Take break / Snooze / Skip buttons,
and the daily check-in question with its Fine / Stiff / Sore / Painful buttons.

Owns: one connection to the session bus (opened on the first ``show``, reopened on the next
``show`` after it died), the map from breakd reminder ids to the notification server's ids
(so a repeat replaces the earlier notification and a withdrawn reminder can be closed), the
cached server capabilities and name (how its buttons are reached: ``buttons.button_reach``),
the check-in questions on screen, the movement each reminder on screen shows, and what the
connection's ONE listener thread does with signals: ``ActionInvoked`` becomes an ``on_action``
call (a reminder's button, or ``default``: a click on it, which takes the break), an
``on_checkin`` call (a check-in's button) or an ``on_show_me`` call (a movement reminder's
Show me: opening the guide, then ``take`` for the reminder), and ``NotificationClosed`` forgets the
id. A reminder also carries its picture (``image-path``) and ``notify.sound`` (``sound-name``):
``notify.reminder_hints``.

Must not: decide anything (a click is reported to ``on_action``; the engine decides what it
means), raise out of ``show``/``withdraw`` (failures are logged and reported as ``False``, the
daemon retries), poll, or call ``on_action`` on the listener thread (see ``_answer``).

Talks the protocol of the Desktop Notifications Specification 1.2 through a
``breakd.adapters.dbus_link.DBusLink`` (the connection, its listener thread blocking in
``receive()``, replies matched to calls), as the D-Bus presence sources do.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, new_method_call
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from breakd.adapters.buttons import Reach, button_reach, buttons_drawn
from breakd.adapters.dbus_link import BusError, DBusLink, Signal, name_owner_rule, owner_changed
from breakd.adapters.notify import (
    APP_NAME,
    DISPLAY_SECONDS,
    END_BREAK_LABEL,
    SHOW_ME_LABEL,
    SKIP_LABEL,
    TAKE_LABEL,
    icon_path,
    movement_of,
    reminder_hints,
    with_cli_hint,
    with_guide_hint,
)
from breakd.core.checkin import within as checkin_within
from breakd.core.types import CheckinQuestion, Reminder, Urgency
from breakd.core.words import ENGLISH, Translator

log = logging.getLogger("breakd.notify")

Answer = Literal["take", "snooze", "skip", "end-break"]
ANSWERS: tuple[Answer, ...] = ("take", "snooze", "skip", "end-break")
# The spec's key for a click on the notification itself: on a reminder, it takes the break.
DEFAULT_ACTION = "default"
# A movement reminder's action that opens the guide at its movement (``on_show_me``, handled
# here), then answers the reminder as a Take break.
SHOW_ME = "show-me"
CALL_TIMEOUT = 5.0  # seconds; a server that takes longer is as good as absent for a reminder

SERVER_NAME = "org.freedesktop.Notifications"
SERVER = DBusAddress("/org/freedesktop/Notifications", bus_name=SERVER_NAME, interface=SERVER_NAME)

OnAction = Callable[[int, str], None]
OnCheckin = Callable[[dt.date, int], None]  # the day asked about, the score chosen
OnShowMe = Callable[[str], object]  # the movement's catalog key


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
    the user clicks a button (a click on the notification itself is "take"); ``on_checkin(day,
    score)`` gets a check-in button's score. Both run on a fresh short-lived thread, so they
    may call ``show`` and ``withdraw`` (the daemon's command path does).
    """

    def __init__(
        self,
        *,
        on_action: OnAction,
        snooze_label: str,
        on_checkin: OnCheckin | None = None,
        on_show_me: OnShowMe | None = None,
        sound: str = "off",
        bus_address: str | None = None,
        timeout: float = CALL_TIMEOUT,
        tr: Translator = ENGLISH,
    ) -> None:
        self._tr = tr  # the labels and hints; the reminder's own text comes translated
        self._on_action = on_action
        self._on_checkin = on_checkin
        self._on_show_me = on_show_me
        self._sound = sound
        self._snooze_label = snooze_label
        self._bus_address = bus_address
        self._timeout = timeout
        self._icon = icon_path()
        self._calls = threading.Lock()  # one show/withdraw at a time; held while waiting
        self._state = threading.Lock()  # short sections only; the listener takes it too
        self._link: DBusLink | None = None
        self._reach: Reach | None = None  # how its buttons are reached (asked with capabilities)
        self._button_limit: int | None = None  # how many it draws at most, where it says
        self._server: str | None = None  # unique bus name of the server that gave us ids
        self._ids = _IdMap()
        self._questions: dict[int, CheckinQuestion] = {}  # server id -> check-in on screen
        self._movements: dict[int, str] = {}  # reminder id -> its movement, for Show me
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

    def set_sound(self, sound: str) -> None:
        """A reload changed ``notify.sound``: the next reminder asks for that one (or none)."""
        self._sound = sound

    def show(self, reminder: Reminder) -> bool:
        """Show (or replace) the reminder's notification; False if it could not be shown."""

        def message(reach: Reach) -> Message:
            with self._state:  # read after connecting: a new connection forgets old ids
                replaces = self._ids.by_reminder.get(reminder.id, 0)
            return self._notify_message(reminder, reach, replaces)

        with self._calls:
            what = f"reminder {reminder.id} ({reminder.kind.value})"
            server_id = self._send(what, message)
            if server_id is None:
                return False
            with self._state:
                self._ids.put(reminder.id, server_id)
                if self._on_show_me is not None and movement_of(reminder):
                    self._movements[reminder.id] = movement_of(reminder)
            return True

    def ask_checkin(self, question: CheckinQuestion) -> bool:
        """Show the check-in question; False if it could not be shown."""
        with self._calls:
            what = f"check-in for {question.day}"
            server_id = self._send(what, lambda reach: self._checkin_message(question, reach))
            if server_id is None:
                return False
            with self._state:
                self._questions[server_id] = question
            return True

    def _send(self, what: str, message: Callable[[Reach], Message]) -> int | None:
        """One Notify call, built for how the server's buttons are reached; the server's id
        for it, or None (logged) if it was not shown. Call with ``_calls`` held."""
        try:
            link = self._connected()
            reply = link.call_raw(message(self._ask_reach(link)))
            (server_id,) = unwrap_msg(reply)
        except (BusError, DBusErrorResponse, OSError, ValueError) as exc:
            log.warning("%s not shown: %s", what, _describe(exc))
            return None
        except Exception:  # a bug here must cost one notification, not the daemon
            log.exception("%s not shown: internal error", what)
            return None
        with self._state:
            self._server = reply.header.fields.get(HeaderFields.sender)
        return int(server_id)

    def withdraw(self, reminder_id: int) -> None:
        """Close the reminder's notification if it is (as far as we know) still on screen."""
        with self._calls:
            with self._state:
                server_id = self._ids.pop_reminder(reminder_id)
                self._movements.pop(reminder_id, None)
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

    def _ask_reach(self, link: DBusLink) -> Reach:
        """How the server's buttons are reached (asked once per server)."""
        with self._state:
            if self._reach is not None:
                return self._reach
        (capabilities,) = link.call(new_method_call(SERVER, "GetCapabilities"))
        listed = capabilities if isinstance(capabilities, list) else []  # "as": a list
        found = frozenset(str(c) for c in listed)
        name = self._ask_name(link) if "actions" in found else ""
        reach = button_reach(name, found)
        with self._state:
            self._reach = reach
            self._button_limit = buttons_drawn(name)
        return reach

    @staticmethod
    def _ask_name(link: DBusLink) -> str:
        try:
            name, _vendor, _version, _spec = link.call(
                new_method_call(SERVER, "GetServerInformation")
            )
        except (DBusErrorResponse, ValueError) as exc:  # required by the spec, yet: buttons
            log.info("the notification server did not say its name: %s", _describe(exc))
            return ""
        return str(name)

    # --- what a reminder looks like on the bus ---------------------------------------------

    def _notify_message(self, reminder: Reminder, reach: Reach, replaces: int) -> Message:
        actions: list[str] = []
        body = reminder.body
        movement = movement_of(reminder) if self._on_show_me is not None else ""
        if reminder.on_break:
            # The break itself: take/snooze/skip mean nothing there, and no hint is needed.
            end = self._tr.gettext(END_BREAK_LABEL)
            actions = [] if reach is Reach.NONE else ["end-break", end]
        else:
            if reach is not Reach.NONE:
                # "default": a click on the notification itself takes the break. Servers draw
                # no button for it, so where they draw buttons, Take break has one of its own
                # (in a menu it would be there twice).
                take = self._tr.gettext(TAKE_LABEL)
                actions = [DEFAULT_ACTION, take]
                actions += ["take", take] if reach is Reach.BUTTONS else []
                actions += ["snooze", self._snooze_label, "skip", self._tr.gettext(SKIP_LABEL)]
            if reach is not Reach.BUTTONS:  # no buttons on screen: say what to type
                body = with_cli_hint(reminder.body, self._tr)
        if movement and reach is not Reach.NONE:
            # Last, so a server that draws only the first few buttons keeps the answers.
            actions += [SHOW_ME, self._tr.gettext(SHOW_ME_LABEL)]
        if movement and not self._show_me_drawn(reach, actions):
            body = with_guide_hint(body, movement, self._tr)  # only where it fits
        hints = {"urgency": ("y", int(reminder.urgency)), "category": ("s", "presence")}
        hints |= {name: ("s", value) for name, value in reminder_hints(reminder, self._sound)}
        # A critical reminder stays until answered (0 = never expires), like the plyer path.
        # So does a break's: it is withdrawn when the break ends.
        lasting = reminder.urgency is Urgency.CRITICAL or reminder.on_break
        expire_ms = 0 if lasting else DISPLAY_SECONDS * 1000
        args = (APP_NAME, replaces, self._icon, reminder.title, body, actions, hints, expire_ms)
        return new_method_call(SERVER, "Notify", "susssasa{sv}i", args)

    def _show_me_drawn(self, reach: Reach, actions: list[str]) -> bool:
        """Whether Show me is a button on screen (the default action is none)."""
        if reach is not Reach.BUTTONS:
            return False
        buttons = len(actions) // 2 - (1 if DEFAULT_ACTION in actions[::2] else 0)
        return self._button_limit is None or buttons <= self._button_limit

    def _checkin_message(self, question: CheckinQuestion, reach: Reach) -> Message:
        # No "default" action: a click on the question records nothing. GNOME draws three
        # buttons: the question then offers three, and says so.
        question = checkin_within(question, self._button_limit, self._tr)
        actions = (
            [] if reach is Reach.NONE else [x for c in question.choices for x in (c.key, c.label)]
        )
        # Where no buttons are drawn, "one click records it" would not be true: the command.
        body = question.body if reach is Reach.BUTTONS else question.command_hint
        hints = {"urgency": ("y", int(Urgency.LOW)), "category": ("s", "presence")}
        args = (
            APP_NAME,
            0,
            self._icon,
            question.title,
            body,
            actions,
            hints,
            DISPLAY_SECONDS * 1000,
        )
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
                closed = self._ids.by_server.get(int(signal.body[0]))  # type: ignore[call-overload]
                if closed is not None:
                    self._movements.pop(closed, None)
                self._ids.pop_server(int(signal.body[0]))  # type: ignore[call-overload]
                self._questions.pop(int(signal.body[0]), None)  # type: ignore[call-overload]
                return
            if signal.member != "ActionInvoked":
                return
            server_id, key = signal.body
            reminder_id = self._ids.by_server.get(int(server_id))  # type: ignore[call-overload]
            question = self._questions.get(int(server_id))  # type: ignore[call-overload]
            movement = self._movements.get(reminder_id) if reminder_id is not None else None
        if question is not None:
            self._checkin_answered(question, str(key))
            return
        if key == SHOW_ME:
            if movement is None or self._on_show_me is None:
                return  # not ours (any more)
            self._show(self._on_show_me, movement)
            # They are going to do it now: that is taking the break (the servers close the
            # notification on any action, so a reminder left pending would only come back).
            key = "take"
        if key == DEFAULT_ACTION:  # a click on the reminder itself
            key = "take"
        # Keys we never sent mean nothing.
        if reminder_id is not None and key in ANSWERS:
            self._answer(reminder_id, str(key))

    def _checkin_answered(self, question: CheckinQuestion, key: str) -> None:
        choice = next((c for c in question.choices if c.key == key), None)
        if choice is None or self._on_checkin is None:
            return
        on_checkin, day, score = self._on_checkin, question.day, choice.score
        threading.Thread(  # not on the listener, as for reminders (see _answer)
            target=self._run_on_checkin,
            args=(on_checkin, day, score),
            name="breakd-notify-checkin",
            daemon=True,
        ).start()

    @staticmethod
    def _run_on_checkin(on_checkin: OnCheckin, day: dt.date, score: int) -> None:
        try:
            on_checkin(day, score)
        except Exception:
            log.exception("error recording the check-in %d/10 for %s", score, day)

    @staticmethod
    def _show(on_show_me: OnShowMe, movement: str) -> None:
        def run() -> None:
            try:
                on_show_me(movement)
            except Exception:
                log.exception("error showing %s in the guide", movement)

        # Not on the listener, as for answers: writing the page and starting a browser take time.
        threading.Thread(target=run, name="breakd-notify-show-me", daemon=True).start()

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
        self._reach = None
        self._questions.clear()
        self._movements.clear()
        self._button_limit = None
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
