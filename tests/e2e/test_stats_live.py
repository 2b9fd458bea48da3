"""Statistics of a live daemon: every answer to a reminder is counted, not only the last."""

from __future__ import annotations

import json

from .daemon import config_text, start_daemon
from .desktop import matching

BREAKD = matching(app_name="breakd")
SITTING = config_text(sitting={"every": "6s", "duration": "4s", "repeat": "20s", "max_repeats": 2})


def test_two_snoozes_then_a_skip_are_all_counted(desktop):
    daemon = start_daemon(desktop, SITTING)
    typing = desktop.input.start_keys_for(40, rate_per_s=5)
    try:
        for _ in range(2):
            mark = desktop.notifications.mark()
            desktop.notifications.wait_for(BREAKD, timeout=30, since=mark)
            assert daemon.cli("snooze", "3s").returncode == 0
        mark = desktop.notifications.mark()
        desktop.notifications.wait_for(BREAKD, timeout=30, since=mark)
        assert daemon.cli("skip").returncode == 0
    finally:
        typing.kill()
    result = daemon.cli("stats", "--json")
    assert result.returncode == 0, result.stderr
    (sitting,) = json.loads(result.stdout)["total"]["reminders"]
    assert (sitting["shown"], sitting["snoozes"], sitting["skipped"]) == (1, 2, 1)
    text = daemon.cli("stats").stdout
    lines = [line.split() for line in text.splitlines()]
    header = next(line for line in lines if line[:1] == ["reminders"])
    row = next(line for line in lines if line[:1] == ["sitting"])
    assert row[header.index("snoozed")] == "2", text
