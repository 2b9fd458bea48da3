"""``breakd run`` end to end: real Xvfb, real xdotool input, a real session bus and dunst.

Intervals are seconds long (see ``daemon.QUIET_BASE``); every assertion reads back what the
user would see: the Notify calls on the bus, or what dunst shows.
"""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from .daemon import config_text, files_under, start_daemon
from .desktop import URGENCY_CRITICAL, matching

BREAKD = matching(app_name="breakd")
SITTING = config_text(sitting={"every": "8s", "duration": "4s", "repeat": "4s", "max_repeats": 1})


def test_sitting_reminder_after_sustained_typing(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.start_keys_for(12, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    assert "move" in note.summary.lower() or "stand" in note.summary.lower(), note
    assert note.body.startswith("Stand up"), note.body  # the lead: what to do now
    elapsed = note.received_at - daemon.started
    assert 7.0 <= elapsed <= 16.0, (elapsed, daemon.log)  # not before it is due
    assert note.app_icon.endswith("breakd.svg")
    daemon.wait_log("reminder 1 shown: sitting")
    # dunst really displayed it
    assert any(n.app_name == "breakd" for n in desktop.server.history())


def test_micro_break_after_sustained_input(desktop):
    config = config_text(repetition={"every": "5s", "pause": "2s", "max_repeats": 0})
    mark = desktop.notifications.mark()
    start_daemon(desktop, config)
    desktop.input.start_keys_for(9, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=15, since=mark)
    assert "micro-break" in note.summary.lower(), note


def test_no_reminder_while_idle(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.notifications.assert_none(BREAKD, duration=12, since=mark)
    assert "shown" not in daemon.log


def test_natural_break_resets_the_sitting_timer(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.keys_for(4, rate_per_s=6)
    time.sleep(7)  # longer than natural_break (6 s)
    back = time.monotonic()
    desktop.input.start_keys_for(12, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    # A full interval (8 s) after coming back, not 8 s of presence counted before the break.
    assert note.received_at - back >= 7.0, daemon.log
    assert "natural break" in daemon.log


def test_ignored_reminder_repeats_more_urgent(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.input.start_keys_for(16, rate_per_s=6)
    first, second = desktop.notifications.wait_for_count(2 + mark, timeout=25)[mark : mark + 2]
    assert second.received_at - first.received_at >= 3.5
    assert second.urgency == URGENCY_CRITICAL
    daemon.wait_log("repeat 1")


def test_sigterm_stops_quickly_and_cleanly(desktop):
    daemon = start_daemon(desktop, SITTING)
    desktop.input.keys_for(1, rate_per_s=6)
    daemon.stop(timeout=5)  # it waits for no timer and no D-Bus call: well under a second
    assert daemon.proc.returncode == 0
    assert "stopping on SIGTERM" in daemon.log
    assert daemon.log.rstrip().endswith("stopped")


def test_the_daemon_does_not_load_openssl(desktop):
    # It opens no network connection: OpenSSL (which asyncio would pull in) is ~4 MB of RSS.
    daemon = start_daemon(desktop, SITTING)
    maps = Path(f"/proc/{daemon.proc.pid}/maps").read_text()
    assert "libssl" not in maps and "_ssl." not in maps


def test_sigint_stops_it_as_cleanly(desktop):
    daemon = start_daemon(desktop, SITTING)
    daemon.proc.send_signal(signal.SIGINT)
    assert daemon.proc.wait(5) == 0
    assert "stopping on SIGINT" in daemon.log
    assert daemon.log.rstrip().endswith("stopped")


@pytest.mark.parametrize("backend", ["auto", "plyer"])  # jeepney's D-Bus path, and plyer's
def test_no_notification_server_is_logged_and_delivered_when_one_appears(desktop, backend):
    desktop.server.stop()
    mark = desktop.notifications.mark()
    config = config_text(
        sitting={"every": "8s", "duration": "4s", "repeat": "4s", "max_repeats": 1},
        notify={"backend": backend},
    )
    daemon = start_daemon(desktop, config)
    desktop.input.start_keys_for(14, rate_per_s=6)
    daemon.wait_log("could not be shown", timeout=20)
    assert daemon.proc.poll() is None
    desktop.server.start()
    note = desktop.notifications.wait_for(BREAKD, timeout=40, since=mark)
    assert note.summary
    assert daemon.proc.poll() is None


def test_x_server_killed_under_the_daemon_and_a_new_one_tracked(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, SITTING)
    desktop.kill_x()
    daemon.wait_log("input listeners stopped", timeout=10)
    assert daemon.proc.poll() is None
    desktop.start_x()
    daemon.wait_log("watching again", timeout=40)  # said once the new server records
    assert daemon.proc.poll() is None
    desktop.input.start_keys_for(14, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=30, since=mark)
    assert note.summary
    assert daemon.proc.poll() is None


SECRET = "QzJxWvKq"


def _sequence_pattern(secret: str) -> re.Pattern[str]:
    """The secret's characters in order, with up to a few characters between each (a log of
    keysyms like "Q z J" or "'Q', 'z'" would match)."""
    return re.compile(".{0,12}?".join(re.escape(c) for c in secret), re.DOTALL)


def test_privacy_typed_secret_is_nowhere(desktop):
    daemon = start_daemon(desktop, SITTING)
    desktop.input.type_text(SECRET, delay_ms=40)
    desktop.input.keys_for(9, rate_per_s=6)
    desktop.notifications.wait_for(BREAKD, timeout=20)
    daemon.proc.send_signal(signal.SIGHUP)
    daemon.wait_log("config reloaded")
    daemon.stop()
    pattern = _sequence_pattern(SECRET)
    texts = {"daemon output": daemon.log}
    for path in files_under(
        desktop.home,
        desktop.config_home,
        desktop.state_home,
        desktop.data_home,
        desktop.runtime_dir,  # the control socket's folder
    ):
        if path.name.endswith(".log") and "breakd" not in path.name:
            continue  # the harness's own logs (xvfb, dunst) are not breakd's
        texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    for name, text in texts.items():
        assert SECRET not in text, name
        assert not pattern.search(text), name


@pytest.mark.parametrize("command", ["status", "status --json"])
def test_status_against_the_live_daemon(desktop, command):
    daemon = start_daemon(desktop, SITTING)
    desktop.input.keys_for(1, rate_per_s=6)
    result = daemon.cli(*command.split())
    assert result.returncode == 0, result.stderr
    assert "sitting" in result.stdout


# --- statistics on disk ---------------------------------------------------------------------


def _stats_json(daemon) -> dict:
    import json

    result = daemon.cli("stats", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sigterm_flushes_the_days_activity_to_stats(desktop):
    daemon = start_daemon(desktop, SITTING)
    desktop.input.keys_for(4, rate_per_s=6)
    daemon.stop()
    text = daemon.cli("stats").stdout
    assert "active" in text.lower(), text
    assert _stats_json(daemon), "stats --json printed nothing"


def test_sigkill_loses_at_most_the_last_minute_and_never_corrupts(desktop):
    import sqlite3

    from .desktop import wait_until

    daemon = start_daemon(desktop, SITTING)
    typing = desktop.input.start_keys_for(80, rate_per_s=4)
    db = desktop.state_home / "breakd" / "breakd.db"

    def stored_keys() -> int:
        # The first minute stored may close before the typing reached it: wait for keys.
        if not db.exists():
            return 0
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                return conn.execute("SELECT COALESCE(SUM(keys), 0) FROM minute").fetchone()[0]
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0

    wait_until(lambda: stored_keys() > 0, 75, "a stored minute with key presses")
    daemon.proc.kill()
    daemon.proc.wait(5)
    typing.kill()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        keys = conn.execute("SELECT SUM(keys) FROM minute").fetchone()[0]
    assert keys and keys > 0
    # A new daemon starts over the crashed one's stale socket and keeps the data.
    again = start_daemon(desktop, SITTING, log_name="breakd-again")
    assert again.cli("status").returncode == 0
    again.stop()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT SUM(keys) FROM minute").fetchone()[0] >= keys


def test_presence_only_mode_reminds_without_counting_input(desktop):
    import sqlite3

    config = SITTING.replace("[activity]\n", "[activity]\ncount_input = false\n")
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, config)
    typing = desktop.input.start_keys_for(10, rate_per_s=6)
    desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    status = daemon.cli("status", "--json")
    assert '"counting": false' in status.stdout
    typing.wait(30)
    daemon.stop()
    db = desktop.state_home / "breakd" / "breakd.db"
    with sqlite3.connect(db) as conn:
        keys, clicks, motions = conn.execute(
            "SELECT SUM(keys), SUM(clicks), SUM(motions) FROM minute"
        ).fetchone()
    # ~60 key presses in ~10 s left only "someone was here", at most once a second.
    assert (keys, clicks) == (0, 0) and 0 < motions <= 14
