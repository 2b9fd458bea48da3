"""The command line against a live daemon: every control command, one daemon per session,
and a socket that survives hostile clients."""

from __future__ import annotations

import json
import os
import random
import socket
import sys

from .daemon import start_daemon
from .desktop import matching
from .test_daemon import SITTING

BREAKD = matching(app_name="breakd")


def _status(daemon) -> dict:
    result = daemon.cli("status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_control_command_works_against_the_live_daemon(desktop):
    daemon = start_daemon(desktop, SITTING)
    for args, expect in [
        (("pause", "30m"), "paused until"),
        (("resume",), "resumed"),
        (("pause", "until-tomorrow"), "paused until"),
        (("resume",), "resumed"),
        (("snooze", "2m"), "2m later: sitting until"),
        (("skip",), "skipped"),
        (("reload",), "config reloaded"),
    ]:
        result = daemon.cli(*args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert expect in result.stdout, (args, result.stdout)
    assert _status(daemon)["state"] != "paused"
    mark = desktop.notifications.mark()
    assert daemon.cli("break-now").returncode == 0
    note = desktop.notifications.wait_for(BREAKD, timeout=10, since=mark)
    assert note.summary
    daemon.wait_log("on a break until")


def test_pause_shows_its_end_time_in_status(desktop):
    daemon = start_daemon(desktop, SITTING)
    assert daemon.cli("pause", "30m").returncode == 0
    status = _status(daemon)
    assert status["state"] == "paused" and status["paused_until"] is not None
    assert "paused" in daemon.cli("status").stdout


def test_a_second_daemon_exits_naming_the_running_one(desktop):
    daemon = start_daemon(desktop, SITTING)
    second = desktop.run(
        [sys.executable, "-m", "breakd", "run", "--config", str(desktop.home / "breakd.toml")],
        check=False,
    )
    assert second.returncode == 4
    assert f"pid {daemon.proc.pid}" in second.stderr
    assert daemon.proc.poll() is None


def test_hostile_clients_never_stop_the_daemon(desktop):
    daemon = start_daemon(desktop, SITTING)
    path = desktop.env()["XDG_RUNTIME_DIR"] + "/breakd/control.sock"
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    rng = random.Random(7)
    payloads = [
        b"\xff\xfe garbage\n",
        b"{not json}\n",
        b'{"cmd": "status", "args": []}\n',
        b'{"cmd": "pause", "args": {"seconds": -1}}\n',
        b'{"cmd": "rm -rf /"}\n',
        b'{"cmd": "status"',  # truncated, then the connection closes
        b"x" * 70_000 + b"\n",  # over the 64 KiB limit
        b"[]\n",
    ]
    for i in range(2000):
        payload = payloads[i % len(payloads)] if i % 3 else rng.randbytes(rng.randint(1, 300))
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(path)
            try:
                sock.sendall(payload)
                if i % 5 == 0:
                    sock.shutdown(socket.SHUT_WR)  # end of request: the daemon answers, closes
                    sock.recv(4096)
            except OSError:
                pass  # the daemon may hang up on an oversized line: that is fine
    assert daemon.proc.poll() is None
    assert _status(daemon)["pid"] == daemon.proc.pid
