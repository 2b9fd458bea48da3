"""Showing reminders as desktop notifications, through plyer.

On Linux plyer talks D-Bus through dbus-python when it is importable (breakd depends on it
there): unlike plyer's notify-send path, it raises when no notification server is running, so
breakd knows a reminder was not seen and can retry, and it honours the timeout and hints
(urgency). Any failure is logged and reported to the caller; it never propagates.
"""

from __future__ import annotations

import logging
from importlib import resources
from typing import Protocol

from breakd.core.types import CheckinQuestion, Reminder, Urgency

log = logging.getLogger("breakd.notify")

APP_NAME = "breakd"
DISPLAY_SECONDS = 120  # long enough to notice after looking away; the server may keep it
# Said where a notification has no buttons, so the reminder still says how to answer it.
CLI_HINT = "Snooze: breakd snooze · Skip: breakd skip"


class Notifier(Protocol):
    def show(self, reminder: Reminder) -> bool: ...


def icon_path() -> str:
    return str(resources.files("breakd") / "data" / "breakd.svg")


class PlyerNotifier:
    def __init__(self) -> None:
        self._icon = icon_path()

    def show(self, reminder: Reminder) -> bool:
        message = f"{reminder.body}\n\n{CLI_HINT}" if reminder.body else CLI_HINT
        what = f"reminder {reminder.id} ({reminder.kind.value})"
        return self._notify(what, reminder.title, message, _hints(reminder.urgency))

    def ask_checkin(self, question: CheckinQuestion) -> bool:
        """The question, naming the command (plyer shows no buttons)."""
        message = question.command_hint
        what = f"check-in for {question.day}"
        return self._notify(what, question.title, message, _hints(Urgency.LOW))

    def _notify(self, what: str, title: str, message: str, hints: dict[str, object]) -> bool:
        try:
            from plyer import notification

            notification.notify(
                title=title,
                message=message,
                app_name=APP_NAME,
                app_icon=self._icon,
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

    def close(self) -> None:
        """Nothing to do: plyer keeps no connection or thread."""


def _hints(urgency: Urgency) -> dict[str, object]:
    try:
        import dbus
    except ImportError:
        return {}
    return {"urgency": dbus.Byte(int(urgency)), "category": "presence"}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
