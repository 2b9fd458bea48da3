"""``breakd run`` and the desktop's etiquette, end to end: dunst's pause (its do-not-disturb)
and a fullscreen window hold reminders; the one due is shown as soon as they end."""

from __future__ import annotations

import json
import time

from .daemon import config_text, start_daemon
from .desktop import matching
from .test_fullscreen import WindowManager

BREAKD = matching(app_name="breakd")
SITTING = config_text(sitting={"every": "6s", "duration": "4s", "max_repeats": 0})


def test_dunst_paused_holds_the_reminder_until_it_resumes(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.run(["dunstctl", "set-paused", "true"])
    daemon.wait_log("do-not-disturb: on")
    desktop.input.start_keys_for(16, rate_per_s=6)  # present all along: only the hold holds
    desktop.notifications.assert_none(BREAKD, duration=10, since=mark)
    status = json.loads(daemon.cli("status", "--json").stdout)
    assert (status["state"], status["held_by"]) == ("do-not-disturb", "dunst do-not-disturb")
    said = daemon.cli("status").stdout
    assert said.startswith("breakd is holding reminders: dunst do-not-disturb"), said
    resumed = time.monotonic()
    desktop.run(["dunstctl", "set-paused", "false"])
    note = desktop.notifications.wait_for(BREAKD, timeout=10, since=mark)
    # Typing goes on: the typing grace (max_deferral 2 s) applies, as to any reminder due now.
    assert note.received_at - resumed < 3.0, daemon.log
    daemon.wait_log("reminder 1 shown: sitting")


def test_a_fullscreen_window_holds_the_reminder_until_it_leaves(desktop):
    wm = WindowManager(desktop.x.name)
    video = wm.window()
    wm.set_fullscreen(video, True)
    wm.focus(video)
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    daemon.wait_log("fullscreen window focused")
    desktop.input.start_keys_for(16, rate_per_s=6)
    desktop.notifications.assert_none(BREAKD, duration=10, since=mark)
    assert json.loads(daemon.cli("status", "--json").stdout)["held_by"] == "a fullscreen window"
    left = time.monotonic()
    wm.set_fullscreen(video, False)
    note = desktop.notifications.wait_for(BREAKD, timeout=10, since=mark)
    assert note.received_at - left < 3.0, daemon.log
    wm.close()
