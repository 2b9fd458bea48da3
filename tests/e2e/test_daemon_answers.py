"""Answering a live daemon from the notification itself, and status bars following it."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from .daemon import start_daemon
from .desktop import matching, require_tool, wait_until
from .test_daemon import SITTING
from .test_notify_actions import dunst_with_picker  # noqa: F401  (a fixture)

BREAKD = matching(app_name="breakd")


@pytest.mark.parametrize("key", ["take", "snooze", "skip"])
def test_a_button_clicked_in_dunst_reaches_the_daemon(desktop, dunst_with_picker, key):  # noqa: F811
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.start_keys_for(10, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    assert set(note.actions[::2]) == {"take", "snooze", "skip"}
    (dunst_with_picker / "choice").write_text(key)
    desktop.run([require_tool("dunstctl"), "context"])
    daemon.wait_log(f"answered from the notification: {key}")
    status = json.loads(daemon.cli("status", "--json").stdout)
    sitting = next(k for k in status["kinds"] if k["kind"] == "sitting")
    if key == "take":  # on a break (its time left in status); the reminder waits for it
        assert status["state"] == "on-break" and status["break_until"] > time.time()
        assert sitting["pending"] or sitting["due_in"] is not None
    elif key == "snooze":  # back after notify.snooze (5 min), not before
        assert sitting["due_in"] is not None and sitting["due_in"] > 200
        assert sitting["snoozed_until"] > time.time() + 200 and not sitting["pending"]
    else:  # skipped: nothing is pending, the next one is a full interval ahead
        assert not sitting["pending"] and sitting["due_in"] > 0


def test_status_follow_pushes_a_line_on_pause_and_resume(desktop):
    daemon = start_daemon(desktop, SITTING)
    follow = subprocess.Popen(
        [sys.executable, "-m", "breakd", "status", "--format", "waybar", "--follow"],
        env=desktop.env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = json.loads(follow.stdout.readline())
        assert first["class"] in ("active", "idle")
        t0 = time.monotonic()
        assert daemon.cli("pause", "30m").returncode == 0
        paused = json.loads(follow.stdout.readline())
        assert paused["class"] == "paused" and time.monotonic() - t0 < 1.5
        assert daemon.cli("resume").returncode == 0
        resumed = json.loads(follow.stdout.readline())
        assert resumed["class"] != "paused"
        assert {"text", "tooltip", "class", "percentage"} <= set(resumed)
    finally:
        follow.kill()
        follow.wait()
    wait_until(lambda: follow.poll() is not None, what="follower gone")
