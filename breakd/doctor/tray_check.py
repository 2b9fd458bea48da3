"""``breakd doctor``'s word on the tray icon: is there a tray host, and what to install if not.

A tray host is whatever owns ``org.kde.StatusNotifierWatcher`` and says a host is there
(``IsStatusNotifierHostRegistered``): KDE Plasma, XFCE's and LXQt's panels, Cinnamon, MATE,
Budgie, waybar's tray, and GNOME only with the AppIndicator extension.

Must not: change anything, or start a watcher (every call carries no-auto-start).
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Mapping

from breakd.config.load import ConfigError, config_source, load_config
from breakd.core.words import ENGLISH, N_, Translator
from breakd.doctor.checks import CALL_TIMEOUT, CheckResult

WATCHER = "org.kde.StatusNotifierWatcher"
GNOME_FIX = N_(
    "GNOME shows tray icons only with the AppIndicator extension: "
    "`sudo apt install gnome-shell-extension-appindicator`, then "
    "`gnome-extensions enable ubuntu-appindicators@ubuntu.com` (log out and in once); "
    "Ubuntu has it on already"
)
OTHER_FIX = N_(
    "add a system tray (notification area) to your panel, or waybar's `tray` module; "
    "the icon appears as soon as one runs"
)


def check_tray(
    bus_address: str | None,
    env: Mapping[str, str],
    config_path: str | None = None,
    tr: Translator = ENGLISH,
) -> CheckResult:
    """Whether the tray icon has somewhere to appear."""
    enabled = _tray_enabled(config_path, env)
    if enabled is False:
        detail = tr.gettext("the tray icon is off ([tray] enabled = false)")
        return CheckResult("tray", "skip", detail)
    if not bus_address:
        return CheckResult("tray", "skip", tr.gettext("no session bus: no tray icon"))
    try:
        owned, host = _ask(bus_address)
    except Exception as exc:  # the notifications check reports an unusable bus
        detail = tr.gettext("could not ask the session bus: {error}").format(error=exc)
        return CheckResult("tray", "skip", detail)
    on_gnome = "GNOME" in env.get("XDG_CURRENT_DESKTOP", "").upper()
    fix = tr.gettext(GNOME_FIX if on_gnome else OTHER_FIX)
    if not owned:  # a warning, not a failure: reminders work without the icon
        detail = tr.gettext("no tray host (nobody owns {name}): breakd runs without its icon")
        return CheckResult("tray", "warn", detail.format(name=WATCHER), fix)
    if not host:
        detail = tr.gettext("{name} is there but says no tray host is registered")
        return CheckResult("tray", "warn", detail.format(name=WATCHER), fix)
    detail = tr.gettext("a tray host is running: the tray icon shows there")
    return CheckResult("tray", "ok", detail)


def _tray_enabled(config_path: str | None, env: Mapping[str, str]) -> bool | str:
    try:
        return load_config(config_source(config_path, env), env=env).tray.enabled
    except ConfigError:
        return "auto"  # the config check says what is wrong


def _ask(bus_address: str) -> tuple[bool, bool]:
    """(the watcher's name has an owner, it says a host is registered)."""
    from jeepney import MessageFlag
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import DBusErrorResponse, unwrap_msg

    from breakd.adapters.dbus_link import get_property, unvariant

    try:
        conn = open_dbus_connection(bus=bus_address, auth_timeout=CALL_TIMEOUT)
    except (OSError, RuntimeError, ValueError, concurrent.futures.TimeoutError) as exc:
        raise RuntimeError(str(exc)) from None
    try:
        ask_owner = message_bus.NameHasOwner(WATCHER)
        ask_owner.header.flags |= MessageFlag.no_auto_start
        (owned,) = unwrap_msg(conn.send_and_get_reply(ask_owner, timeout=CALL_TIMEOUT))
        if not owned:
            return False, False
        ask_host = get_property(
            WATCHER, "/StatusNotifierWatcher", WATCHER, "IsStatusNotifierHostRegistered"
        )
        try:
            (value,) = unwrap_msg(conn.send_and_get_reply(ask_host, timeout=CALL_TIMEOUT))
        except DBusErrorResponse:
            return True, True  # a watcher without the property: assume its host is there
        return True, bool(unvariant(value, "b"))
    finally:
        conn.close()
