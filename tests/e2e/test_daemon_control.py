"""The command line against a live daemon: every control command, one daemon per session,
and a socket that survives hostile clients."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
from pathlib import Path

from .daemon import READY_LINE, start_daemon
from .desktop import matching, wait_until
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
        (("snooze", "2m"), "2 minutes later: sitting until"),
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


def test_status_into_a_closed_pipe_ends_quietly(desktop):
    # `breakd status | head -1`: the reader is gone before breakd writes. The read end is
    # closed before breakd starts, so every write fails, whatever the timing.
    start_daemon(desktop, SITTING)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "breakd", "status"],
            env=desktop.env(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141  # as a program stopped by SIGPIPE, like `cat`
    assert done.stderr == ""  # no BrokenPipeError traceback, no "Exception ignored"


def test_reload_without_a_config_file_says_it_uses_the_defaults(desktop):
    # Run without --config, so the daemon reads the user's file; there is none.
    assert not (Path(desktop.env()["XDG_CONFIG_HOME"]) / "breakd" / "config.toml").exists()
    proc = desktop.spawn([sys.executable, "-m", "breakd", "run", "-v"], log_name="nofile")
    try:
        wait_until(lambda: READY_LINE in desktop.log_text("nofile"), 15, "the daemon")
        result = desktop.run([sys.executable, "-m", "breakd", "reload"], check=False)
        assert result.returncode == 0, result.stderr
        defaults = "no config file at ~/.config/breakd/config.toml; using the defaults"
        assert result.stdout.strip() == f"config reloaded: {defaults}"
        log = desktop.log_text("nofile")
        assert f"config: {defaults}" in log and f"config reloaded ({defaults})" in log
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_bare_number_for_minutes_is_a_warning_in_the_log(desktop):
    config = '[sitting]\nevery = 45\n[activity]\nidle_after = "10s"\n'
    daemon = start_daemon(desktop, config)
    daemon.wait_log('sitting.every = 45: 45 is 45 seconds; write "45m" for minutes')
    assert "WARNING config:" in daemon.log
    daemon.wait_log('activity.active_gap = "1s": not in the file, so it follows')


def test_a_refused_reload_says_why_in_the_users_language(desktop):
    daemon = start_daemon(desktop, SITTING)
    config = desktop.home / "breakd.toml"
    config.write_text(SITTING.replace('every = "8s"', 'every = "8 Sekunden"'))
    cli = [sys.executable, "-m", "breakd", "reload"]
    result = desktop.run(cli, check=False, LANGUAGE="de")
    assert result.returncode == 1, result.stdout
    assert result.stderr == (
        "breakd reload: Konfiguration nicht neu geladen, die laufende Konfiguration bleibt:\n"
        '~/breakd.toml: sitting.every = "8 Sekunden": keine Dauer; '
        'nutze z. B. "90s", "45m", "1h30m" oder ganze Sekunden von 1 bis 86400\n'
    )
    daemon.wait_log('~/breakd.toml: sitting.every = "8 Sekunden": not a duration')  # English
    assert "keine Dauer" not in daemon.log
    assert _status(daemon)["sitting_every"] == 8  # the running config stays
