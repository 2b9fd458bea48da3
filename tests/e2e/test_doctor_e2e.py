"""``breakd doctor`` on the harness desktop (Xvfb, private bus, dunst) with ``breakd run`` up.

Everything is real: the doctor's pynput listener sees xdotool's input while it waits, its
test notification is read back from the bus recorder, and it pings the running daemon. The
only check that cannot pass here is the service one (no systemd user manager in the test
container): it must warn and explain, not fail. stdin is a pseudo-terminal, as when a user
runs the command, so the input check is not skipped.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from breakd.doctor.checks import TEST_SUMMARY

from .daemon import config_text, start_daemon
from .desktop import Desktop, matching, terminate, wait_until

PROMPT = "Move the mouse or press Shift within"


class DoctorProcess:
    """``breakd doctor`` with a pty as stdin; its stdout lines collected by a thread."""

    def __init__(self, desktop: Desktop, *args: str) -> None:
        master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "breakd", "doctor", *args],
            env=desktop.env(PYTHONIOENCODING="utf-8"),
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        os.close(slave)
        self._master = master
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def saw(self, predicate: Callable[[str], bool]) -> bool:
        return any(predicate(line) for line in list(self.lines))

    def finish(self, timeout: float = 30.0) -> tuple[int, str, str]:
        # Not communicate(): it would read stdout too, and take lines from under the reader.
        try:
            self.proc.wait(timeout=timeout)
        finally:
            terminate(self.proc)
            os.close(self._master)
        self._reader.join(5)
        assert self.proc.stderr is not None
        return self.proc.returncode, "\n".join(self.lines), self.proc.stderr.read()


def test_doctor_sees_input_notifications_and_the_daemon(
    shared_desktop: Desktop, require: Callable[..., None]
) -> None:
    require("xdotool")
    daemon = start_daemon(shared_desktop, config_text())
    mark = shared_desktop.notifications.mark()
    doctor = DoctorProcess(shared_desktop, "--timeout", "20")
    # The prompt appears once the listener is up; pynput starts recording a moment later,
    # so keep giving harmless input until the doctor reports what it saw.
    wait_until(lambda: doctor.saw(lambda line: PROMPT in line), 20, "the input prompt")
    inp = shared_desktop.input
    deadline = time.monotonic() + 20
    while not doctor.saw(lambda line: line.split()[1:2] == ["input"]):
        assert time.monotonic() < deadline, doctor.lines
        inp.key("shift", delay_ms=1)
        inp.move_mouse_relative(1, 0)
        time.sleep(0.1)
    code, out, err = doctor.finish()

    assert code == 0, f"{out}\n{err}"
    by_name = {line.split()[1]: line for line in out.splitlines() if line[:2] in ("✓ ", "! ")}
    assert by_name["session"].startswith("✓ ") and "pynput (X11 key presses" in by_name["session"]
    assert by_name["input"].startswith("✓ ") and "saw your input" in by_name["input"]
    assert by_name["notifications"].startswith("✓ ")
    # dunst draws no buttons: doctor says how they are reached there.
    assert "buttons only through a menu: a middle click on a reminder takes the break" in out
    assert by_name["config"].startswith("✓ ")
    assert by_name["service"].startswith("! ") and "no systemd user manager" in out
    assert "fix: `breakd install`" in out
    assert by_name["socket"].startswith("✓ ") and f"(pid {daemon.proc.pid})" in out
    assert by_name["database"].startswith("✓ ") and "integrity ok" in by_name["database"]
    # No sound server on this desktop: the microphone cannot be watched (tests/calls has one).
    assert by_name["calls"].startswith("! ") and "microphone: not watched" in out
    assert "screen sharing: watched" in out
    assert by_name["tray"].startswith("! ") and "no tray host" in by_name["tray"]
    assert out.splitlines()[-1].startswith("6 ok, 3 warnings, 0 failed, 0 skipped")

    shown = shared_desktop.notifications.wait_for(
        matching(app_name="breakd", summary=TEST_SUMMARY), since=mark
    )
    assert shown.actions == ()
    assert daemon.proc.poll() is None  # the doctor left the daemon alone


def test_doctor_json_without_a_daemon_fails_on_the_socket(shared_desktop: Desktop) -> None:
    mark = shared_desktop.notifications.mark()
    result = shared_desktop.run(
        [sys.executable, "-m", "breakd", "doctor", "--json", "--no-notify"], check=False
    )
    data = json.loads(result.stdout)
    status = {check["name"]: check["status"] for check in data["checks"]}
    assert result.returncode == 1 and data["ok"] is False
    assert status == {
        "session": "ok",
        "input": "skip",  # stdin is not a terminal here
        "notifications": "ok",
        "config": "ok",
        "service": "warn",
        "socket": "fail",
        "database": "ok",
        "calls": "warn",  # no sound server on this desktop
        "tray": "warn",  # no tray host on this desktop
    }
    socket_check = next(c for c in data["checks"] if c["name"] == "socket")
    assert "breakd run" in socket_check["fix"]
    shared_desktop.notifications.assert_none(since=mark, duration=0.5)
