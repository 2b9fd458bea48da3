"""The real answers ``choose_source`` asks for: the session bus and the compositor.

Owns: short-lived connections, one question each, closed again. Must not keep anything open
or start watching: that is the chosen source's job.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from jeepney import DBusAddress, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from breakd.adapters.presence import SCREENSAVER_NAME
from breakd.adapters.presence.wayland_idle import connect, list_globals

TIMEOUT = 3.0


class LiveProbes:
    def __init__(self, env: Mapping[str, str] = os.environ) -> None:
        self._bus = env.get("DBUS_SESSION_BUS_ADDRESS", "")
        self._wayland = env.get("WAYLAND_DISPLAY") or None

    def bus_name_has_owner(self, name: str) -> bool:
        reply = self._ask(message_bus.NameHasOwner(name))
        return bool(reply and reply[0])

    def screensaver_idle_time(self) -> bool:
        address = DBusAddress(
            "/org/freedesktop/ScreenSaver", bus_name=SCREENSAVER_NAME, interface=SCREENSAVER_NAME
        )
        # Asked, not introspected: GNOME lists the method but answers NotSupported.
        reply = self._ask(new_method_call(address, "GetSessionIdleTime"))
        return bool(reply and isinstance(reply[0], int))

    def wayland_globals(self) -> frozenset[str]:
        display = connect(self._wayland)
        try:
            _registry, found = list_globals(display)
        finally:
            display.disconnect()
        return frozenset(found)

    def _ask(self, msg: Message) -> tuple[object, ...] | None:
        """The reply's body, or None when there is no bus or the call failed."""
        if not self._bus:
            return None
        try:
            with open_dbus_connection(self._bus) as conn:
                return tuple(unwrap_msg(conn.send_and_get_reply(msg, timeout=TIMEOUT)))
        except (OSError, DBusErrorResponse, TimeoutError, ValueError, RuntimeError):
            return None
