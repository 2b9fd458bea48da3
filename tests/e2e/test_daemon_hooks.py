"""``[hooks]`` against the live daemon: break-now, pause and resume run the user's commands
with the event in their environment."""

from __future__ import annotations

from .daemon import config_text, start_daemon
from .desktop import Desktop
from .hook_recorder import hooks_into, told


def test_break_now_pause_and_resume_run_their_hooks(desktop: Desktop):
    hooks = desktop.home / "hooks"
    config = config_text(
        sitting={"every": "10m", "duration": "1m"},
        calls={"camera": False, "microphone": False, "screen_sharing": False},
        hooks=hooks_into(hooks, "break_started", "break_ended", "paused", "resumed"),
    )
    daemon = start_daemon(desktop, config)
    daemon.cli("break-now", check=True)
    started = told(hooks, "break_started")
    assert (started["BREAKD_BREAK"], started["BREAKD_BREAK_SECONDS"]) == ("break-now", "60")
    assert started["BREAKD_KIND"] == "sitting" and started["BREAKD_REMINDER_ID"] == "1"
    daemon.cli("pause", check=True)  # a pause ends the break
    ended = told(hooks, "break_ended")
    assert (ended["BREAKD_BREAK"], ended["BREAKD_OUTCOME"]) == ("break-now", "paused")
    assert told(hooks, "paused")["BREAKD_PAUSE_SECONDS"] == ""  # until resumed
    daemon.cli("resume", check=True)
    assert told(hooks, "resumed")["BREAKD_EVENT"] == "resumed"
    daemon.wait_log("hook resumed ran")
