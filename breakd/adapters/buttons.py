"""How a notification server lets the user reach breakd's buttons, from what it says of itself.

Owns: the servers whose actions are reachable only through a menu, and the words for how
buttons are reached on a server (the notifier's choice of body hint, ``breakd doctor``'s
report). Must not: talk to the bus (callers pass ``GetServerInformation``'s name and
``GetCapabilities``'s list).

Every server that advertises "actions" invokes the action keyed ``default`` when the
notification itself is clicked (Desktop Notifications Specification 1.2). GNOME Shell, KDE
Plasma, xfce4-notifyd and most others also draw the other actions as buttons. dunst and mako
draw none: their actions sit in a context menu that needs a menu program (dunst's
``dmenu`` setting; ``makoctl menu``), so there the notification keeps naming the commands.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from breakd.core.words import ENGLISH, Translator

# GetServerInformation names, lower-cased.
MENU_ONLY_SERVERS = frozenset({"dunst", "mako"})


class Reach(enum.Enum):
    BUTTONS = "buttons"  # drawn on the notification
    MENU = "menu"  # a click invokes "default"; the rest through a context menu
    NONE = "none"  # no actions at all: the commands are the only way


# Servers that draw only their first few actions as buttons and drop the rest silently
# (gnome-shell's js/ui/messageTray.js: MAX_NOTIFICATION_BUTTONS = 3). GetServerInformation
# names, lower-cased.
BUTTON_LIMITS: Mapping[str, int] = MappingProxyType({"gnome-shell": 3})


def buttons_drawn(server_name: str) -> int | None:
    """How many actions the server draws as buttons at most; None for no known limit."""
    return BUTTON_LIMITS.get(server_name.strip().lower())


def button_reach(server_name: str, capabilities: Iterable[str]) -> Reach:
    if "actions" not in set(capabilities):
        return Reach.NONE
    if server_name.strip().lower() in MENU_ONLY_SERVERS:
        return Reach.MENU
    return Reach.BUTTONS


def describe_reach(reach: Reach, server_name: str, tr: Translator = ENGLISH) -> str:
    """How breakd's buttons are reached there, for ``breakd doctor``."""
    if reach is Reach.BUTTONS:
        return tr.gettext(
            "with buttons (Take break / Snooze / Skip; a click on a reminder takes the break)"
        )
    if reach is Reach.MENU:
        if server_name.strip().lower() == "dunst":
            return tr.gettext(
                "buttons only through a menu: a middle click on a reminder takes the break "
                "(dunst's do_action), the other buttons are in its context menu (dunstctl "
                "context; needs dmenu); reminders also name the commands"
            )
        return tr.gettext(
            "buttons only through a menu: a click on a reminder takes the break, the other "
            "buttons are in `makoctl menu`; reminders also name the commands"
        )
    return tr.gettext("without buttons: reminders name the commands (breakd snooze, breakd skip)")
