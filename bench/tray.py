"""A real tray host for the benchmark: waybar's tray in a headless sway, on the bench's bus.

The tray icon's memory is measured against the host the e2e tests use (tests/e2e/tray_host.py),
not a stand-in watcher: waybar registers the item, reads its properties, its menu layout and
its icons through libdbusmenu, as a desktop's tray does, so the daemon runs every code path a
shown tray icon runs. sway + waybar cost ~1 s to start and nothing while idle, and they run
next to the processes under test (their own memory is not measured). Without sway or waybar
installed, the ``breakd+tray`` figures are left out and the benchmark says so.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.desktop import Desktop

TOOLS = ("sway", "waybar")
REGISTERED_LINE = "tray icon registered with the tray host"
# What the daemons without the icon get: the tray's figures are those of the "breakd+tray"
# subject (default config) alone, and "breakd" stays the daemon as most desktops run it.
NO_TRAY = "[tray]\nenabled = false\n"


@dataclass(frozen=True)
class _Bus:
    """The two things TrayHost asks of a test desktop's bus, from the bench's desktop."""

    desktop: Desktop

    @property
    def address(self) -> str:
        return self.desktop.bus

    def name_has_owner(self, name: str) -> bool:
        return self.desktop.name_has_owner(name)


def missing() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@contextlib.contextmanager
def tray_host(desktop: Desktop) -> Iterator[Any | None]:
    """waybar's tray on the desktop's bus while the block runs; None when it cannot run."""
    absent = missing()
    if absent:
        print(f"  no tray host ({', '.join(absent)} not installed): no breakd+tray figures")
        yield None
        return
    from tests.e2e.tray_host import TrayHost  # the repository's tests, as the bench runs there

    logs = Path(desktop.workdir)
    try:
        host = TrayHost(_Bus(desktop), logs).start()  # type: ignore[arg-type]  # duck-typed bus
    except Exception as exc:  # the rest of the benchmark still runs without it
        print(f"  the tray host did not start ({exc}): no breakd+tray figures")
        yield None
        return
    try:
        yield host
    finally:
        host.stop()
