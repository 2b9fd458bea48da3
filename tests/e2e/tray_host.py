"""A real tray host for tests: waybar's tray in a headless sway, on a test desktop's bus.

waybar's ``tray`` module is both the ``org.kde.StatusNotifierWatcher`` and a host: it reads
the item's properties, draws its icon and shows its com.canonical.dbusmenu menu through
libdbusmenu-gtk3 on a right click. sway 1.7 refuses to run as root, so as root it runs as
nobody (its runtime directory is then outside the desktop's private one); waybar and grim
run as us and connect to its socket by path. A click is a real pointer event through
``zwlr_virtual_pointer_v1`` (bindings generated with pywayland-scanner from the few lines
of protocol below), since ``swaymsg seat - cursor press`` reaches no client.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from .desktop import SessionBus, spawn, terminate, wait_until

TRAY_TOOLS = {"sway": "sway", "waybar": "waybar", "grim": "grim"}
# waybar draws breakd's SVG icons through gdk-pixbuf's SVG loader (librsvg2-common, only a
# Recommends of GTK): without it the icon stays blank.
SVG_LOADER = "/usr/lib/*/gdk-pixbuf-2.0/*/loaders/libpixbufloader-svg.so"
WIDTH, HEIGHT = 800, 400
BAR_HEIGHT = 34
ICON_SIZE = 24
NOBODY = 65534
BTN_LEFT, BTN_RIGHT = 0x110, 0x111  # linux/input-event-codes.h

_VIRTUAL_POINTER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<protocol name="wlr_virtual_pointer_unstable_v1">
  <interface name="zwlr_virtual_pointer_v1" version="1">
    <request name="motion">
      <arg name="time" type="uint"/><arg name="dx" type="fixed"/><arg name="dy" type="fixed"/>
    </request>
    <request name="motion_absolute">
      <arg name="time" type="uint"/><arg name="x" type="uint"/><arg name="y" type="uint"/>
      <arg name="x_extent" type="uint"/><arg name="y_extent" type="uint"/>
    </request>
    <request name="button">
      <arg name="time" type="uint"/><arg name="button" type="uint"/><arg name="state" type="uint"/>
    </request>
    <request name="axis">
      <arg name="time" type="uint"/><arg name="axis" type="uint"/><arg name="value" type="fixed"/>
    </request>
    <request name="frame"/>
  </interface>
  <interface name="zwlr_virtual_pointer_manager_v1" version="1">
    <request name="create_virtual_pointer">
      <arg name="seat" type="object" allow-null="true"/>
      <arg name="id" type="new_id" interface="zwlr_virtual_pointer_v1"/>
    </request>
  </interface>
</protocol>
"""

_SWAY_CONFIG = f"output HEADLESS-1 resolution {WIDTH}x{HEIGHT}\n"
_WAYBAR_CONFIG = {
    "layer": "top",
    "position": "top",
    "height": BAR_HEIGHT,
    "modules-left": ["clock"],
    "modules-right": ["tray"],
    "clock": {"format": "breakd under waybar's tray"},
    "tray": {"icon-size": ICON_SIZE, "spacing": 8},
}
_WAYBAR_CSS = (
    "* { font-family: DejaVu Sans; font-size: 14px; }\n"
    "window#waybar { background: #2b2b2b; color: #ffffff; }\n"
)


class TrayHost:
    """sway (headless) + waybar with its tray, on ``bus``; ``stop`` ends both."""

    def __init__(self, bus: SessionBus, logs: Path) -> None:
        self.bus = bus
        self.logs = logs
        self.root = Path(tempfile.mkdtemp(prefix="breakd-sway-"))
        self.root.chmod(0o755)  # nobody's sway reads its config and runtime dir in here
        self.sway_runtime = self.root / "rt"
        self.own_runtime = self.root / "own"
        self._sway: subprocess.Popen[bytes] | None = None
        self._waybar: subprocess.Popen[bytes] | None = None
        self._pointer: Any = None

    @property
    def socket(self) -> Path:
        return self.sway_runtime / "wayland-1"

    def start(self, timeout: float = 20.0) -> TrayHost:
        try:
            self._start_sway(timeout)
            self._start_waybar(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_sway(self, timeout: float) -> None:
        as_root = os.geteuid() == 0
        self.sway_runtime.mkdir(mode=0o700)
        self.own_runtime.mkdir(mode=0o700)
        config = self.root / "sway.conf"
        config.write_text(_SWAY_CONFIG)
        if as_root:
            os.chown(self.sway_runtime, NOBODY, NOBODY)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.root),
            "XDG_RUNTIME_DIR": str(self.sway_runtime),
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman",
            "WAYLAND_DISPLAY": "wayland-1",  # the name it picks first in an empty runtime dir
        }
        args = ["sway", "-c", str(config)]
        if as_root:  # sway 1.7 will not run as root
            drop = f"--reuid={NOBODY} --regid={NOBODY} --clear-groups".split()
            args = ["setpriv", *drop, *args]
        self._sway = spawn(args, env, self.logs / "sway.log")
        wait_until(self.socket.exists, timeout, f"sway's socket ({self.logs / 'sway.log'})")

    def _start_waybar(self, timeout: float) -> None:
        config, css = self.root / "waybar.json", self.root / "waybar.css"
        config.write_text(json.dumps(_WAYBAR_CONFIG))
        css.write_text(_WAYBAR_CSS)
        env = {**self._client_env(), "DBUS_SESSION_BUS_ADDRESS": self.bus.address}
        args = ["waybar", "-c", str(config), "-s", str(css)]
        self._waybar = spawn(args, env, self.logs / "waybar.log")
        watcher = "org.kde.StatusNotifierWatcher"
        wait_until(lambda: self.bus.name_has_owner(watcher), timeout, f"waybar's {watcher}")

    def restart_waybar(self, timeout: float = 20.0) -> None:
        """waybar ends and starts again: its watcher's name gets a new owner."""
        terminate(self._waybar)
        self._start_waybar(timeout)

    def _client_env(self) -> dict[str, str]:
        return {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.root),
            "XDG_RUNTIME_DIR": str(self.own_runtime),
            "WAYLAND_DISPLAY": str(self.socket),  # a path: no need to share the runtime dir
        }

    def stop(self) -> None:
        if self._pointer is not None:
            self._pointer[0].disconnect()
            self._pointer = None
        terminate(self._waybar)
        terminate(self._sway)
        shutil.rmtree(self.root, ignore_errors=True)

    # --- looking and clicking ------------------------------------------------------------

    def screenshot(self, path: Path) -> Path:
        """A PNG of the whole output (bar and any open menu)."""
        subprocess.run(["grim", str(path)], env=self._client_env(), check=True, timeout=10)
        return path

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        """The colour on screen at (x, y), read from grim's PPM output."""
        done = subprocess.run(
            ["grim", "-t", "ppm", "-"], env=self._client_env(), capture_output=True, timeout=10
        )
        done.check_returncode()
        data = done.stdout
        # "P6\n<w> <h>\n255\n" then RGB triples.
        fields, offset = [], 0
        while len(fields) < 4:
            end = data.index(b"\n", offset)
            fields.extend(data[offset:end].split())
            offset = end + 1
        width = int(fields[1])
        start = offset + 3 * (y * width + x)
        r, g, b = data[start : start + 3]
        return (r, g, b)

    def click(self, x: int, y: int, button: int = BTN_LEFT) -> None:
        """A real pointer click at (x, y) in output coordinates."""
        display, pointer = self._virtual_pointer()

        def now_ms() -> int:
            return int(time.monotonic() * 1000) & 0xFFFFFFFF

        pointer.motion_absolute(now_ms(), x, y, WIDTH, HEIGHT)
        pointer.frame()
        display.roundtrip()
        time.sleep(0.2)  # the bar sees the pointer enter before the button
        for state in (1, 0):
            pointer.button(now_ms(), button, state)
            pointer.frame()
            display.roundtrip()
            time.sleep(0.05)

    def _virtual_pointer(self) -> tuple[Any, Any]:
        if self._pointer is None:
            from pywayland.client import Display

            module = _virtual_pointer_module(self.root)
            display = Display(str(self.socket))
            display.connect()
            registry = display.get_registry()
            names: dict[str, int] = {}
            registry.dispatcher["global"] = lambda _r, n, i, _v: names.setdefault(i, n)
            display.roundtrip()
            manager = registry.bind(
                names["zwlr_virtual_pointer_manager_v1"], module.ZwlrVirtualPointerManagerV1, 1
            )
            self._pointer = (display, manager.create_virtual_pointer(None))
        return self._pointer

    def icon_centre(self) -> tuple[int, int]:
        """Where the (only) tray icon sits: the right end of the bar."""
        return (WIDTH - 1 - ICON_SIZE // 2, BAR_HEIGHT // 2)


def _virtual_pointer_module(workdir: Path) -> ModuleType:
    xml = workdir / "virtual_pointer.xml"
    xml.write_text(_VIRTUAL_POINTER_XML)
    out = workdir / "protocols"
    scanner = [sys.executable, "-m", "pywayland.scanner"]  # ships with pywayland
    subprocess.run([*scanner, "-i", str(xml), "-o", str(out)], check=True, capture_output=True)
    name = "wlr_virtual_pointer_unstable_v1"
    spec = importlib.util.spec_from_file_location(name, out / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
