"""What status says, read in every format from a live daemon with the real dunst: a snoozed
reminder, a break the user asked for (break-now), and a reminder no notification server could
show until dunst started."""

from __future__ import annotations

import json
import sqlite3
import time

from .daemon import config_text, start_daemon
from .desktop import matching, wait_until

BREAKD = matching(app_name="breakd")
SITTING = config_text(sitting={"every": "8s", "duration": "6s", "repeat": "30s", "max_repeats": 1})


def _status(daemon, *fmt: str) -> str:
    result = daemon.cli("status", *fmt)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _json(daemon) -> dict:
    return json.loads(_status(daemon, "--json"))


def _sitting(status: dict) -> dict:
    return next(k for k in status["kinds"] if k["kind"] == "sitting")


def test_a_snoozed_reminder_is_said_snoozed_in_every_format(shared_desktop):
    desktop = shared_desktop
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.start_keys_for(12, rate_per_s=6)
    desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    daemon.wait_log("reminder 1 shown")
    said = daemon.cli("snooze", "10m")
    assert said.returncode == 0, said.stderr
    assert said.stdout.startswith("snoozed for 10 minutes: sitting (reminder 1) until "), (
        said.stdout
    )
    status = _json(daemon)
    sitting = _sitting(status)
    assert sitting["pending"] is False and sitting["reminder"] == 1
    assert sitting["snoozed_until"] > time.time() + 9 * 60
    assert status["due"] is False
    text = _status(daemon)
    assert "snoozed until" in text and "waiting for your break" not in text, text
    bar = json.loads(_status(daemon, "--format", "waybar"))
    assert bar["class"] == "snoozed" and bar["text"].startswith("💤"), bar
    assert _status(daemon, "--format", "plain").startswith("sitting snoozed "), text
    assert daemon.cli("resume").stdout.strip() == "not paused; snooze ended for sitting"
    assert daemon.cli("resume").stdout.strip() == "nothing to resume: breakd is not paused"


def test_break_now_is_a_break_withdrawn_when_it_ends_and_counted_as_taken(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.keys_for(1, rate_per_s=6)
    said = daemon.cli("break-now")
    assert said.returncode == 0 and said.stdout.startswith("on a break until "), said.stdout
    note = desktop.notifications.wait_for(BREAKD, timeout=10, since=mark)
    assert note.actions == ("end-break", "End break"), note.actions  # no Take/Snooze/Skip
    assert note.expire_timeout == 0  # stays for the break, withdrawn when it ends
    status = _json(daemon)
    assert status["state"] == "on-break" and status["break_until"] > time.time()
    assert _sitting(status)["due_in"] is None  # no countdown during the break
    assert _status(daemon).startswith("breakd: you are on a break, ")
    assert json.loads(_status(daemon, "--format", "waybar"))["class"] == "on-break"
    assert _status(daemon, "--format", "plain").startswith("on a break")
    wait_until(lambda: desktop.server.displayed_count() == 1, what="the break shown")
    # Away for the whole break (6 s): then its notification goes, and it counts as taken.
    wait_until(lambda: desktop.server.displayed_count() == 0, 15, "the break withdrawn")
    assert _json(daemon)["state"] != "on-break"
    daemon.stop()
    db = desktop.state_home / "breakd" / "breakd.db"
    with sqlite3.connect(db) as conn:
        events = conn.execute("SELECT event FROM event WHERE reminder_id = 1 ORDER BY id")
        assert [e for (e,) in events] == ["shown", "taken"]


def test_a_reminder_no_server_could_show_goes_as_a_first_showing_when_dunst_starts(desktop):
    desktop.server.stop()
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.start_keys_for(40, rate_per_s=4)
    daemon.wait_log("could not be shown", timeout=20)
    text = _status(daemon)
    assert "sitting  not shown: no notification server" in text, text
    assert _sitting(_json(daemon))["undelivered"] is True
    assert _status(daemon, "--format", "plain") == "sitting not shown"
    # The retries back off (2, 4, 8, 16 s): after the fourth failure the next is 16 s away.
    wait_until(lambda: daemon.log.count("could not be shown") >= 4, 30, "four failures")
    desktop.server.start()
    note = desktop.notifications.wait_for(BREAKD, timeout=10, since=mark)
    daemon.wait_log("a notification server appeared: showing reminder 1")
    daemon.wait_log("reminder 1 shown at last: sitting: ")
    assert ", repeat" not in daemon.log  # a first showing, not "reminder 2"
    assert note.actions[:2] == ("default", "Take break")
    assert _sitting(_json(daemon))["undelivered"] is False
