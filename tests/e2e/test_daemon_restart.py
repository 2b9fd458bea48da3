"""The day survives a restart: a real daemon stopped (SIGTERM) or killed (SIGKILL) and started
again carries on the clocks, the statistics agree with its status, and the next reminder comes
when an uninterrupted run would have shown it."""

from __future__ import annotations

import json
import re
import signal
import time

import pytest

from .daemon import RunningDaemon, config_text, start_daemon
from .desktop import matching, wait_until

BREAKD = matching(app_name="breakd")
IDLE_AFTER = 10.0
SITTING_EVERY = 40.0
# A restart takes a second or two: well inside idle_after, so an uninterrupted run would have
# counted that time as presence too.
RESTART = config_text(
    activity={"idle_after": "10s", "natural_break": "20s"},
    sitting={"every": "40s", "duration": "4s", "repeat": "30s", "max_repeats": 1},
)
SHORT_BREAK = config_text(sitting={"every": "20s", "duration": "4s"})  # natural_break 6 s


def _status(daemon: RunningDaemon) -> tuple[dict, float]:
    """``status --json`` and the moment it answered (the middle of the call)."""
    began = time.monotonic()
    result = daemon.cli("status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), (began + time.monotonic()) / 2


def _sitting_due(status: dict) -> float:
    return next(k["due_in"] for k in status["kinds"] if k["kind"] == "sitting")


def _snoozed_until(status: dict) -> float:
    return next(k["snoozed_until"] for k in status["kinds"] if k["kind"] == "sitting")


def _stats_total(daemon: RunningDaemon) -> dict:
    result = daemon.cli("stats", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["total"]


def _saves(daemon: RunningDaemon) -> int:
    return len(re.findall(r"stored \d+ minutes", daemon.log))


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_day_survives_a_restart(desktop, how):
    first = start_daemon(desktop, RESTART)
    desktop.input.keys_for(6, rate_per_s=6)
    # Back from a pause longer than idle_after: the engine wakes and the day is saved with
    # this one key as the last input, so a SIGKILL right after loses nothing.
    time.sleep(IDLE_AFTER + 0.5)
    saves = _saves(first)
    desktop.input.key("a")
    last_key = time.monotonic()
    wait_until(lambda: _saves(first) > saves, 10, "the day saved after the key")
    before, t1 = _status(first)
    first.proc.send_signal(how)
    first.proc.wait(5)

    mark = desktop.notifications.mark()
    second = start_daemon(desktop, RESTART, log_name="breakd-again")
    second.wait_log("carried the day over")
    after, t2 = _status(second)
    resumed = time.monotonic()
    typing = desktop.input.start_keys_for(SITTING_EVERY + 10, rate_per_s=5)

    # Status goes on from where it was, as if the daemon had run through the restart.
    assert t2 - last_key < IDLE_AFTER, "the restart took longer than this test allows for"
    elapsed = t2 - t1
    assert after["presence"] == pytest.approx(before["presence"] + elapsed, abs=1.0)
    assert after["active_today"] == pytest.approx(before["active_today"], abs=2.5)
    assert _sitting_due(after) == pytest.approx(_sitting_due(before) - elapsed, abs=1.0)
    # The statistics on disk hold the same day as the status says.
    stats = _stats_total(second)
    assert stats["active_s"] == pytest.approx(after["active_today"], abs=2.5)
    assert stats["natural_breaks"] == 0

    # The next reminder comes when an uninterrupted run shows it: presence went on through the
    # restart (the gap in typing was shorter than idle_after), then the typing grace.
    gap = resumed - last_key
    expected = t1 + _sitting_due(before) + max(0.0, gap - IDLE_AFTER)
    note = desktop.notifications.wait_for(BREAKD, timeout=SITTING_EVERY + 20, since=mark)
    typing.kill()
    assert expected - 1.0 <= note.received_at <= expected + 3.5, (
        note.received_at - expected,
        second.log,
    )
    second.stop()


def test_a_restart_longer_than_a_natural_break_is_one(desktop):
    first = start_daemon(desktop, SHORT_BREAK)
    desktop.input.keys_for(4, rate_per_s=6)
    first.stop()
    time.sleep(7)  # natural_break is 6 s
    second = start_daemon(desktop, SHORT_BREAK, log_name="breakd-again")
    second.wait_log("the time away was a natural break")
    status, _ = _status(second)
    assert status["presence"] < 2.0
    assert _sitting_due(status) == pytest.approx(20.0, abs=2.0)  # the timer restarted
    assert status["active_today"] >= 3.0  # today's active time is kept
    assert _stats_total(second)["natural_breaks"] == 1


def test_a_pause_and_a_snooze_survive_a_restart(desktop):
    # Each on its own: a pause replaces a snooze, and resume ends both.
    first = start_daemon(desktop, RESTART)
    desktop.input.keys_for(2, rate_per_s=6)
    assert first.cli("snooze", "10m").returncode == 0  # nothing due: puts off the next one
    before, _ = _status(first)
    first.stop()
    second = start_daemon(desktop, RESTART, log_name="breakd-again")
    after, _ = _status(second)
    assert _sitting_due(after) > 9 * 60  # still snoozed for about ten minutes
    assert _snoozed_until(after) == pytest.approx(_snoozed_until(before), abs=1.0)
    assert second.cli("pause", "30m").returncode == 0
    before, _ = _status(second)
    second.stop()
    third = start_daemon(desktop, RESTART, log_name="breakd-third")
    after, _ = _status(third)
    assert after["state"] == "paused"
    assert after["paused_until"] == pytest.approx(before["paused_until"], abs=1.0)
    # SIGKILL too: the pause was saved when it was asked for.
    assert third.cli("pause", "1h").returncode == 0
    third.proc.kill()
    third.proc.wait(5)
    fourth = start_daemon(desktop, RESTART, log_name="breakd-fourth")
    assert _status(fourth)[0]["state"] == "paused"
