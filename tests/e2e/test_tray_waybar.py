"""The tray icon under a real tray host: waybar's tray in headless sway, with the live daemon.

The item registers with waybar's StatusNotifierWatcher; `breakd pause` changes the icon and
the tooltip (signals the host acts on: the pixels on screen change colour); dbusmenu Events
sent over D-Bus, and a real right click + click in waybar's menu, change the daemon's state.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jeepney import DBusAddress, HeaderFields, MatchRule, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

from tests.tools import require, require_file

from .daemon import RunningDaemon, config_text, start_daemon
from .desktop import Desktop, wait_until
from .tray_host import BTN_LEFT, BTN_RIGHT, SVG_LOADER, TRAY_TOOLS, TrayHost

pytest.importorskip("pywayland.client")

WATCHER = DBusAddress(
    "/StatusNotifierWatcher",
    bus_name="org.kde.StatusNotifierWatcher",
    interface="org.kde.StatusNotifierWatcher",
)
GREEN = (0x2E, 0x7D, 0x6B)  # breakd-active.svg's circle
GREY = (0x6B, 0x72, 0x80)  # breakd-paused.svg's circle


@pytest.fixture
def host(desktop: Desktop) -> Iterator[TrayHost]:
    require(*TRAY_TOOLS)
    require_file(SVG_LOADER, "librsvg2-common")
    tray_host = TrayHost(desktop.bus, desktop.logs).start()
    try:
        yield tray_host
    finally:
        tray_host.stop()


@pytest.fixture
def bus(desktop: Desktop) -> Iterator[DBusConnection]:
    conn = open_dbus_connection(bus=desktop.bus.address)
    try:
        yield conn
    finally:
        conn.close()


def _call(conn: DBusConnection, address: DBusAddress, member: str, sig: str = "", *body: Any):
    reply = conn.send_and_get_reply(new_method_call(address, member, sig or None, body), timeout=5)
    return unwrap_msg(reply)


def _prop(conn: DBusConnection, address: DBusAddress, interface: str, name: str) -> Any:
    props = DBusAddress(address.object_path, address.bus_name, "org.freedesktop.DBus.Properties")
    ((_sig, value),) = _call(conn, props, "Get", "ss", interface, name)
    return value


def _registered_item(conn: DBusConnection) -> str:
    items = _prop(conn, WATCHER, WATCHER.interface, "RegisteredStatusNotifierItems")
    assert len(items) == 1, items
    return str(items[0]).split("/", 1)[0]  # waybar keeps "<service>/StatusNotifierItem"


def _status(daemon: RunningDaemon) -> dict[str, Any]:
    return json.loads(daemon.cli("status", "--json", check=True).stdout)


def _tray_daemon(desktop: Desktop) -> RunningDaemon:
    config = config_text(sitting={"every": "20m"}, tray={"enabled": True})
    return start_daemon(desktop, config)


def test_registers_and_follows_pause_and_menu_events(
    desktop: Desktop, host: TrayHost, bus: DBusConnection
) -> None:
    daemon = _tray_daemon(desktop)
    daemon.wait_log("tray icon registered with the tray host")
    name = _registered_item(bus)
    item = DBusAddress("/StatusNotifierItem", name, "org.kde.StatusNotifierItem")
    menu = DBusAddress("/MenuBar", name, "com.canonical.dbusmenu")

    def icon() -> str:
        return str(_prop(bus, item, item.interface, "IconName"))

    def tooltip() -> str:
        return str(_prop(bus, item, item.interface, "ToolTip")[3])

    wait_until(lambda: icon() == "breakd-active", 5, "the active icon")
    assert "next: sitting at" in tooltip()
    x, y = host.icon_centre()
    wait_until(lambda: host.pixel(x - 8, y) == GREEN, 10, "waybar drawing the green icon")

    # The host is told, not asked: NewIcon and NewToolTip come as signals.
    signals = MatchRule(type="signal", sender=name, interface=item.interface)
    bus.send_and_get_reply(message_bus.AddMatch(signals), timeout=5)
    daemon.cli("pause", "30m", check=True)
    seen: set[str] = set()
    while not {"NewIcon", "NewToolTip"} <= seen:
        seen.add(str(bus.receive(timeout=5).header.fields.get(HeaderFields.member)))
    assert icon() == "breakd-paused"
    assert "paused until" in tooltip()
    wait_until(lambda: host.pixel(x - 8, y) == GREY, 10, "waybar drawing the grey pause icon")

    # Menu events over D-Bus go through the daemon's request handler.
    _call(bus, menu, "Event", "isvu", 23, "clicked", ("s", ""), 0)  # Resume
    wait_until(lambda: _status(daemon)["state"] != "paused", 5, "the daemon resumed")
    wait_until(lambda: icon() == "breakd-active", 5, "the active icon again")
    _call(bus, menu, "Event", "isvu", 21, "clicked", ("s", ""), 0)  # Pause for 1 hour
    wait_until(lambda: _status(daemon)["state"] == "paused", 5, "the daemon paused")
    assert "tray: paused until" in daemon.log
    _call(bus, menu, "Event", "isvu", 23, "clicked", ("s", ""), 0)
    wait_until(lambda: icon() == "breakd-active", 5, "resumed from the menu")

    # A real right click opens waybar's menu; a click on its "Pause for 30 minutes" pauses.
    host.click(x, y, BTN_RIGHT)
    wait_until(lambda: sum(host.pixel(*PAUSE_30_AT)) > 600, 5, "waybar's menu (a light box)")
    host.screenshot(desktop.logs / "tray-menu.png")
    host.click(*PAUSE_30_AT, BTN_LEFT)
    wait_until(lambda: _status(daemon)["state"] == "paused", 5, "paused from waybar's menu")
    assert _status(daemon)["paused_until"] is not None
    daemon.stop()


def test_no_host_then_a_host_starts(desktop: Desktop, bus: DBusConnection) -> None:
    require(*TRAY_TOOLS)
    daemon = _tray_daemon(desktop)
    daemon.wait_log("no tray host")
    host = TrayHost(desktop.bus, desktop.logs).start()
    try:
        daemon.wait_log("tray icon registered with the tray host")
        assert _registered_item(bus)
        assert daemon.log.count("no tray host") == 1
    finally:
        host.stop()
    daemon.stop()


def test_the_icon_comes_back_when_waybar_restarts(
    desktop: Desktop, host: TrayHost, bus: DBusConnection
) -> None:
    daemon = _tray_daemon(desktop)
    daemon.wait_log("tray icon registered with the tray host")
    name = _registered_item(bus)
    host.restart_waybar()
    wait_until(lambda: len(_registered_items(bus)) == 1, 10, "registered with the new waybar")
    assert _registered_item(bus) == name  # the same item, registered again
    registered = "tray icon registered with the tray host"
    wait_until(lambda: daemon.log.count(registered) == 2, 5, "the second registration logged")
    daemon.stop()


def test_saving_the_config_removes_and_brings_back_the_icon(
    desktop: Desktop, host: TrayHost, bus: DBusConnection
) -> None:
    daemon = _tray_daemon(desktop)
    daemon.wait_log("tray icon registered with the tray host")
    first = _registered_item(bus)
    config_file = desktop.home / "breakd.toml"  # the file the daemon reads (--config)
    config_file.write_text(config_text(sitting={"every": "20m"}, tray={"enabled": False}))
    wait_until(lambda: not _registered_items(bus), 10, "waybar dropping the icon")
    assert daemon.proc.poll() is None and "tray icon removed" in daemon.log  # no restart
    config = config_text(
        sitting={"every": "20m"}, tray={"enabled": True}, notify={"language": "de"}
    )
    config_file.write_text(config)
    wait_until(lambda: len(_registered_items(bus)) == 1, 10, "the icon back in waybar")
    name = _registered_item(bus)
    assert name != first
    item = DBusAddress("/StatusNotifierItem", name, "org.kde.StatusNotifierItem")
    tooltip = str(_prop(bus, item, item.interface, "ToolTip")[3])
    assert tooltip.startswith("als Nächstes: Sitzen um"), tooltip
    daemon.stop()


def _registered_items(conn: DBusConnection) -> list[str]:
    return list(_prop(conn, WATCHER, WATCHER.interface, "RegisteredStatusNotifierItems"))


# "Pause for 30 minutes" in waybar's GTK menu as it opens under the icon (DejaVu Sans 14px,
# rows 25 px: the status line, a separator, "Take a break now", then this one).
PAUSE_30_AT = (620, 85)


def test_edit_settings_opens_the_config_and_a_save_applies_it(
    desktop: Desktop, bus: DBusConnection
) -> None:
    # A stand-in for the desktop's opener: it records what it was asked to open, whole (a
    # rename: the shell's `>` creates the file before it writes, and the test may read between).
    bin_dir = desktop.home / "bin"
    bin_dir.mkdir()
    opened = desktop.home / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\necho "$1" > {opened}.part && mv {opened}.part {opened}\n')
    opener.chmod(0o755)
    path = f"{bin_dir}:{desktop.env()['PATH']}"
    config = config_text(sitting={"every": "20m"})
    daemon = start_daemon(desktop, config, PATH=path)
    daemon.wait_log("no tray host")  # the menu works without a host: a host only draws it
    names = [n for n in _call(bus, BUS, "ListNames")[0] if n.startswith(":")]
    menu_of = [DBusAddress("/MenuBar", n, "com.canonical.dbusmenu") for n in names]
    menu = next(m for m in menu_of if _answers(bus, m))
    _call(bus, menu, "Event", "isvu", 32, "clicked", ("s", ""), 0)  # Edit settings
    wait_until(opened.exists, 5, "the config file handed to xdg-open")
    config_file = desktop.home / "breakd.toml"  # the file the daemon reads (--config)
    assert opened.read_text().strip() == str(config_file)
    config_file.write_text(config.replace('every = "20m"', 'every = "25m"', 1))
    daemon.wait_log("config reloaded")
    assert _status(daemon)["sitting_every"] == 25 * 60
    daemon.stop()


BUS = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")


def _answers(conn: DBusConnection, menu: DBusAddress) -> bool:
    try:
        _prop(conn, menu, menu.interface, "Version")
    except Exception:
        return False
    return True
