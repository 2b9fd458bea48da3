"""Choosing how reminders reach the screen (``notify.backend``): D-Bus directly, or plyer.

Owns only the choice and the reason for it; the notifiers themselves live in ``notify``
(plyer) and ``dbus_notify`` (D-Bus with buttons). Must not open connections or threads: a
``DBusNotifier`` connects on its first ``show``, so choosing one never blocks or fails on a
missing notification server (that is retried like any undelivered reminder).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import Protocol

from breakd.adapters.notify import Notifier, PlyerNotifier
from breakd.core.types import CheckinQuestion
from breakd.core.words import ENGLISH, Translator

log = logging.getLogger("breakd.notify")

BACKENDS = ("auto", "dbus", "plyer")


class ManagedNotifier(Notifier, Protocol):
    """A notifier the daemon can also ask to take a reminder off screen, and shut down."""

    def withdraw(self, reminder_id: int) -> None: ...

    def ask_checkin(self, question: CheckinQuestion) -> bool:
        """Show the daily check-in question; False if it could not be shown."""

    def set_snooze_label(self, label: str) -> None:
        """A reload changed the snooze length: the next Snooze button says so."""

    def set_sound(self, sound: str) -> None:
        """A reload changed ``notify.sound``: the next reminder asks for it ("off": none)."""

    def close(self) -> None: ...


class NotifierUnavailable(RuntimeError):
    """``notify.backend = "dbus"`` was asked for where it cannot work (the text says why)."""


def make_notifier(
    backend: str,
    *,
    on_action: Callable[[int, str], None],
    snooze_label: str,
    on_checkin: Callable[[dt.date, int], None] | None = None,
    on_show_me: Callable[[str], object] | None = None,
    sound: str = "off",
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    tr: Translator = ENGLISH,
) -> ManagedNotifier:
    """The notifier for ``backend``; raise ``NotifierUnavailable`` if "dbus" cannot work here.

    ``auto``: D-Bus on Linux when jeepney imports and a session bus address is set, else
    plyer. ``env`` and ``platform`` default to the process's own (tests pass their own).
    ``tr`` translates the buttons and the hints (``breakd.i18n.translator``).
    ``on_show_me(key)`` runs when a movement reminder's Show me is clicked; by default it
    writes breakd's guide and opens it at that movement (``breakd guide KEY``).
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown notify backend {backend!r}; use one of {', '.join(BACKENDS)}")
    if backend == "plyer":
        return PlyerNotifier(sound, tr)
    environ = os.environ if env is None else env
    why_not = _dbus_unavailable(environ, platform or sys.platform)
    if why_not is None:
        from breakd.adapters.dbus_notify import DBusNotifier

        if on_show_me is None:
            from breakd.guide.page import show_movement

            on_show_me = functools.partial(show_movement, tr=tr)  # the guide in their language
        return DBusNotifier(
            on_action=on_action,
            snooze_label=snooze_label,
            on_checkin=on_checkin,
            on_show_me=on_show_me,
            sound=sound,
            bus_address=environ["DBUS_SESSION_BUS_ADDRESS"],
            tr=tr,
        )
    if backend == "dbus":
        raise NotifierUnavailable(f'notify.backend = "dbus" cannot work here: {why_not}')
    log.info("notifications through plyer (no buttons): %s", why_not)
    return PlyerNotifier(sound, tr)


def _dbus_unavailable(env: Mapping[str, str], platform: str) -> str | None:
    """Why the D-Bus notifier cannot be used, or None if it can."""
    if not platform.startswith("linux"):
        return f"D-Bus notifications are for Linux, this is {platform}"
    try:
        import jeepney  # noqa: F401
    except ImportError:
        return "the jeepney package is not installed"
    if not env.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
    return None
