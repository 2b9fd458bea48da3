"""Answering a live daemon from the notification itself, and status bars following it."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from .daemon import checkin_due, config_text, start_daemon
from .desktop import matching, require_tool, wait_until
from .test_daemon import SITTING
from .test_notify_actions import dunst_with_picker  # noqa: F401  (a fixture)

BREAKD = matching(app_name="breakd")


@pytest.mark.parametrize(
    ("key", "answer"), [("default", "take"), ("snooze", "snooze"), ("skip", "skip")]
)
def test_a_button_clicked_in_dunst_reaches_the_daemon(desktop, dunst_with_picker, key, answer):  # noqa: F811
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.start_keys_for(10, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    assert set(note.actions[::2]) == {"default", "snooze", "skip"}
    (dunst_with_picker / "choice").write_text(key)
    desktop.run([require_tool("dunstctl"), "context"])
    daemon.wait_log(f"answered from the notification: {answer}")
    status = json.loads(daemon.cli("status", "--json").stdout)
    sitting = next(k for k in status["kinds"] if k["kind"] == "sitting")
    if answer == "take":  # on a break (its time left in status); the reminder waits for it
        assert status["state"] == "on-break" and status["break_until"] > time.time()
        assert sitting["pending"] or sitting["due_in"] is not None
    elif answer == "snooze":  # back after notify.snooze (5 min), not before
        assert sitting["due_in"] is not None and sitting["due_in"] > 200
        assert sitting["snoozed_until"] > time.time() + 200 and not sitting["pending"]
    else:  # skipped: nothing is pending, the next one is a full interval ahead
        assert not sitting["pending"] and sitting["due_in"] > 0


def test_a_middle_click_on_the_reminder_takes_the_break(desktop):
    # Natural breaks only after a minute: the short idle that ends the break below is the
    # taken break the click asked for (activity.idle_after, 3 s), nothing else.
    config = config_text(
        activity={"natural_break": "60s"},
        sitting={"every": "8s", "duration": "4s", "repeat": "4s", "max_repeats": 1},
    )
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, config)
    typing = desktop.input.start_keys_for(10, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    assert "Snooze: breakd snooze" in note.body  # dunst's menu needs dmenu: the commands stay
    wait_until(lambda: desktop.server.displayed_count() >= 1, what="the reminder on screen")
    desktop.server.click(2)  # stock dunst: the middle button invokes the default action
    daemon.wait_log("answered from the notification: take")
    typing.wait()
    # The idle that follows is the break: the reminder is taken.
    daemon.wait_log("reminder 1 withdrawn (taken)")


def test_a_check_in_button_in_dunst_records_the_check_in(desktop, dunst_with_picker):  # noqa: F811
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, checkin_due())
    question = desktop.notifications.wait_for(
        matching(app_name="breakd", summary="How do your neck and shoulders feel today?"),
        timeout=20,
        since=mark,
    )
    assert question.actions[1::2] == ("Fine", "Stiff", "Sore", "Painful")
    assert "checkin-sore" in question.actions[::2]
    assert "breakd checkin 0-10" in question.body  # the menu needs dmenu: the command stays
    daemon.wait_log("check-in asked for")
    (dunst_with_picker / "choice").write_text("checkin-sore")
    desktop.run([require_tool("dunstctl"), "context"])
    daemon.wait_log("check-in from the notification: 4/10")
    listed = daemon.cli("checkin", check=True).stdout
    assert " 4/10" in listed, listed
    menu = (dunst_with_picker / "menu.txt").read_text()
    for label in ("Fine", "Stiff", "Sore", "Painful"):
        assert f"#{label} (How do your neck and shoulders feel today?)" in menu


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
        # Pushed at the change, not with the next minute's push.
        assert paused["class"] == "paused" and time.monotonic() - t0 < 30
        assert daemon.cli("resume").returncode == 0
        resumed = json.loads(follow.stdout.readline())
        assert resumed["class"] != "paused"
        assert {"text", "tooltip", "class", "percentage"} <= set(resumed)
    finally:
        follow.kill()
        follow.wait()
    wait_until(lambda: follow.poll() is not None, what="follower gone")
