"""Showing reminders as desktop notifications, through plyer.

On Linux plyer talks D-Bus through dbus-python when it is importable: then it raises when no
notification server is running, so breakd knows a reminder was not seen and can retry, and it
honours the timeout and hints (urgency). dbus-python is optional (the ``plyer-dbus`` extra),
because it compiles against the D-Bus and GLib headers and this is only the fallback
notifier; without it plyer runs notify-send, which shows the reminder but never reports a
failure, so an unseen reminder counts as shown. The notifier says so once, when created.
Any failure plyer does report is logged and returned to the caller; it never propagates.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Sequence
from importlib import resources
from typing import Protocol

from breakd.adapters.pictures import picture_for
from breakd.core import content
from breakd.core.types import CheckinQuestion, Reminder, Urgency
from breakd.core.words import ENGLISH, N_, Translator

log = logging.getLogger("breakd.notify")

APP_NAME = "breakd"
DISPLAY_SECONDS = 120  # long enough to notice after looking away; the server may keep it
# Said where a notification has no buttons, so the reminder still says how to answer it.
CLI_HINT = N_("Snooze: breakd snooze · Skip: breakd skip")
# The buttons' labels (action keys stay as they are).
TAKE_LABEL = N_("Take break")
SKIP_LABEL = N_("Skip")
END_BREAK_LABEL = N_("End break")


def with_cli_hint(body: str, tr: Translator = ENGLISH) -> str:
    """A reminder's body with the commands to type, for servers that draw no buttons: one
    line more, directly under the body (a blank line would cost a line of the few shown)."""
    hint = tr.gettext(CLI_HINT)
    return f"{body}\n{hint}" if body else hint


def snooze_label(duration: str, tr: Translator = ENGLISH) -> str:
    """The Snooze button's label: ``duration`` is the configured snooze in the user's
    language (``units.short_duration``: "5m", German "5 Min.")."""
    return tr.gettext("Snooze {duration}").format(duration=duration)


SHOW_ME_LABEL = N_("Show me")
# A movement reminder's Show me, where no button opens the guide.
GUIDE_HINT = N_("Show me: breakd guide {key}")


def movement_of(reminder: Reminder) -> str:
    """The catalog key of the stretch or exercise the reminder suggests, or "" for none."""
    try:
        return reminder.suggestion if content.by_key(reminder.suggestion).movement else ""
    except KeyError:
        return ""


def with_guide_hint(body: str, key: str, tr: Translator = ENGLISH) -> str:
    """The body naming the command that shows movement ``key``, where Show me is no button:
    only when that line still fits in ``content.MAX_BODY_LINES`` (servers cut what is last,
    and what is already there matters more)."""
    longer = f"{body}\n{tr.gettext(GUIDE_HINT).format(key=key)}"
    return longer if len(content.wrap(longer)) <= content.MAX_BODY_LINES else body


def reminder_hints(reminder: Reminder, sound: str) -> list[tuple[str, str]]:
    """The spec's string hints for a reminder: ``image-path``, the file URI of its
    suggestion's picture (``breakd.adapters.pictures``), and ``sound-name`` unless ``sound``
    is "off" (a break's own notification, which the user asked for, stays silent)."""
    hints = []
    picture = picture_for(reminder.suggestion)
    if picture is not None:
        hints.append(("image-path", picture.as_uri()))
    if sound != "off" and not reminder.on_break:
        hints.append(("sound-name", sound))
    return hints


class Notifier(Protocol):
    def show(self, reminder: Reminder) -> bool: ...


def icon_path() -> str:
    return str(resources.files("breakd") / "data" / "breakd.svg")


# plyer's own word for the notify-send path: a Python warning with pip advice, printed in
# the middle of the daemon's log. breakd logs its own line instead (``PlyerNotifier``).
_PLYER_NO_DBUS_WARNING = "The Python dbus package is not installed"
NO_DBUS_PYTHON = (
    "plyer shows reminders through notify-send here (dbus-python is not installed), which "
    "reports no failure: a reminder that no notification server shows is not shown again. "
    "dbus-python (the breakd[plyer-dbus] extra; it builds against libdbus-1-dev and "
    "libglib2.0-dev) makes plyer report it"
)


class PlyerNotifier:
    def __init__(self, sound: str = "off", tr: Translator = ENGLISH) -> None:
        self._icon = icon_path()
        self._sound = sound
        self._tr = tr
        if sys.platform.startswith("linux") and not _has_dbus_python():
            warnings.filterwarnings("ignore", message=_PLYER_NO_DBUS_WARNING)
            log.warning("%s", NO_DBUS_PYTHON)

    def show(self, reminder: Reminder) -> bool:
        # A break's own notification: snooze and skip mean nothing there.
        message = reminder.body if reminder.on_break else with_cli_hint(reminder.body, self._tr)
        movement = movement_of(reminder)
        if movement:
            message = with_guide_hint(message, movement, self._tr)
        what = f"reminder {reminder.id} ({reminder.kind.value})"
        extra = reminder_hints(reminder, self._sound)
        # The picture as the icon too: plyer's dbus-python path shows it where a server
        # ignores image-path (its notify-send path ignores both).
        picture = picture_for(reminder.suggestion)
        icon = str(picture) if picture is not None else self._icon
        hints = _hints(reminder.urgency, extra)
        return self._notify(what, reminder.title, message, hints, icon=icon)

    def ask_checkin(self, question: CheckinQuestion) -> bool:
        """The question, naming the command (plyer shows no buttons)."""
        message = question.command_hint
        what = f"check-in for {question.day}"
        return self._notify(what, question.title, message, _hints(Urgency.LOW))

    def _notify(
        self, what: str, title: str, message: str, hints: dict[str, object], icon: str = ""
    ) -> bool:
        try:
            from plyer import notification

            notification.notify(
                title=title,
                message=message,
                app_name=APP_NAME,
                app_icon=icon or self._icon,
                timeout=DISPLAY_SECONDS,
                hints=hints,
            )
        except Exception as exc:  # plyer wraps several backends; none may stop the daemon
            log.warning("%s not delivered: %s: %s", what, type(exc).__name__, _first_line(exc))
            return False
        return True

    def withdraw(self, reminder_id: int) -> None:
        """Nothing to do: plyer cannot close a notification (it expires on its own)."""

    def set_snooze_label(self, label: str) -> None:
        """Nothing to do: plyer shows no buttons."""

    def set_sound(self, sound: str) -> None:
        self._sound = sound

    def close(self) -> None:
        """Nothing to do: plyer keeps no connection or thread."""


def _has_dbus_python() -> bool:
    """Whether plyer will take its dbus-python path: the same test plyer makes (an import)."""
    try:
        import dbus  # noqa: F401
    except ImportError:
        return False
    return True


def _hints(urgency: Urgency, extra: Sequence[tuple[str, str]] = ()) -> dict[str, object]:
    try:
        import dbus
    except ImportError:
        return {}
    strings = {name: dbus.String(value) for name, value in extra}
    return {"urgency": dbus.Byte(int(urgency)), "category": "presence", **strings}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
