"""DesktopWatcher with the REAL dunst of the harness: ``dunstctl set-paused`` is do-not-disturb.

dunst 1.9 publishes ``paused`` on ``org.dunstproject.cmd0`` and pushes every set (even one
that changes nothing) as ``PropertiesChanged``: the watcher must report within a second,
and only real changes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from breakd.adapters.desktop_state import DesktopWatcher

from .desktop import Desktop, wait_until
from .reports import OnOffLog


@pytest.fixture
def dnd() -> OnOffLog:
    return OnOffLog()


@pytest.fixture
def watcher(desktop: Desktop, dnd: OnOffLog) -> Iterator[DesktopWatcher]:
    w = DesktopWatcher(dnd, lambda _locked: None, bus_address=desktop.bus.address)
    w.start()
    yield w
    w.stop()


def set_paused(desktop: Desktop, value: str) -> float:
    desktop.run(["dunstctl", "set-paused", value])
    return time.monotonic()


def test_dunst_pause_is_do_not_disturb(desktop: Desktop, watcher: DesktopWatcher, dnd: OnOffLog):
    dnd.wait([True], set_paused(desktop, "true"))
    set_paused(desktop, "true")  # dunst signals this too: no change, no report
    dnd.wait([True, False], set_paused(desktop, "false"))
    dnd.wait([True, False, True], set_paused(desktop, "toggle"))
    time.sleep(0.3)
    assert dnd.values() == [True, False, True]


def test_a_dunst_already_paused_is_reported_at_start(desktop: Desktop, dnd: OnOffLog):
    since = set_paused(desktop, "true")
    w = DesktopWatcher(dnd, lambda _locked: None, bus_address=desktop.bus.address)
    w.start()
    try:
        dnd.wait([True], since)
    finally:
        w.stop()


def test_a_restarted_dunst_is_read_again(desktop: Desktop, watcher: DesktopWatcher, dnd: OnOffLog):
    dnd.wait([True], set_paused(desktop, "true"))
    desktop.server.stop()  # gone: its pause goes with it
    wait_until(lambda: len(dnd.values()) >= 2, 5, "on_dnd(False) when dunst left")
    desktop.server.start()  # a new dunst starts unpaused: nothing to report
    dnd.wait([True, False, True], set_paused(desktop, "true"))  # and it is watched
