"""GNOME's Do Not Disturb through the REAL dconf: ``gsettings set org.gnome.desktop.notifications
show-banners false`` is what GNOME's "Do Not Disturb" switch does. dconf-service runs on the
test's private bus with the test's own XDG_CONFIG_HOME, so the machine's settings are untouched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from breakd.adapters.desktop_state import DesktopWatcher

from .daemon import config_text, start_daemon
from .desktop import DCONF_SERVICE, Desktop, matching, wait_until
from .reports import OnOffLog

BANNERS = ("org.gnome.desktop.notifications", "show-banners")
BREAKD = matching(app_name="breakd")


@pytest.fixture
def dconf(desktop: Desktop, require) -> Desktop:
    require("gsettings", DCONF_SERVICE)
    desktop.spawn([DCONF_SERVICE], log_name="dconf")
    wait_until(lambda: desktop.bus.name_has_owner("ca.desrt.dconf"), 5, "dconf-service")
    got = desktop.run(["gsettings", "get", *BANNERS], check=False)
    assert got.stdout.strip() == "true", ("gsettings-desktop-schemas installed?", got.stderr)
    return desktop


def set_banners(desktop: Desktop, value: str) -> float:
    desktop.run(["gsettings", "set", *BANNERS, value])
    return time.monotonic()


@pytest.fixture
def watched(dconf: Desktop) -> Iterator[OnOffLog]:
    dnd = OnOffLog()
    w = DesktopWatcher(dnd, lambda _locked: None, bus_address=dconf.bus.address, env=dconf.env())
    w.start()
    yield dnd
    w.stop()


def test_gnome_do_not_disturb_is_followed(dconf, watched):
    set_banners(dconf, "false")
    watched.wait([True])
    dconf.run(
        ["gsettings", "set", "org.gnome.desktop.notifications", "show-in-lock-screen", "false"]
    )
    watched.wait([True])  # another key: not ours, nothing to report
    set_banners(dconf, "true")
    watched.wait([True, False])
    set_banners(dconf, "false")
    dconf.run(["gsettings", "reset-recursively", "org.gnome.desktop.notifications"])
    watched.wait([True, False, True, False])


def test_gnome_do_not_disturb_already_on_is_reported_at_start(dconf):
    set_banners(dconf, "false")
    dnd = OnOffLog()
    w = DesktopWatcher(dnd, lambda _locked: None, bus_address=dconf.bus.address, env=dconf.env())
    w.start()
    try:
        dnd.wait([True])
    finally:
        w.stop()


def test_the_daemon_holds_reminders_during_gnome_do_not_disturb(dconf):
    config = config_text(sitting={"every": "6s", "duration": "4s", "max_repeats": 0})
    set_banners(dconf, "false")
    mark = dconf.notifications.mark()
    daemon = start_daemon(dconf, config)
    daemon.wait_log("do-not-disturb: on")
    dconf.input.start_keys_for(16, rate_per_s=6)
    dconf.notifications.assert_none(BREAKD, duration=10, since=mark)
    assert json.loads(daemon.cli("status", "--json").stdout)["state"] == "do-not-disturb"
    ended = set_banners(dconf, "true")
    note = dconf.notifications.wait_for(BREAKD, timeout=10, since=mark)
    assert note.received_at - ended < 3.0, daemon.log
