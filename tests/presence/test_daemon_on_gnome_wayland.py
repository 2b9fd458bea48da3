"""``breakd run`` in a GNOME Wayland session, as far as stand-in services can show it: no X
display at all, presence from a stand-in Mutter IdleMonitor, reminders to a stand-in
notification server, all on a private session bus."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.daemon import config_text
from tests.e2e.desktop import wait_until
from tests.test_dbus_notify import FakeServer

from .standins import FakeMutter

SITTING = config_text(sitting={"every": "8s", "duration": "4s", "max_repeats": 0})


@pytest.fixture
def session(bus, tmp_path: Path):
    mutter = FakeMutter(bus.address).start()
    server = FakeServer(bus.address).start()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "DBUS_SESSION_BUS_ADDRESS": bus.address,
        "WAYLAND_DISPLAY": "wayland-stand-in",
        "XDG_SESSION_TYPE": "wayland",
        "XDG_CURRENT_DESKTOP": "GNOME",
    }
    (tmp_path / "run").mkdir(mode=0o700)
    config = tmp_path / "breakd.toml"
    config.write_text(SITTING)
    log = tmp_path / "breakd.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "breakd", "run", "--config", str(config), "-v"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(
            lambda: "watching activity through mutter" in log.read_text(),
            15,
            "the daemon on the Mutter stand-in",
        )
        yield mutter, server, env, log, proc
    finally:
        proc.terminate()
        proc.wait(5)
        server.stop()
        mutter.stop()


def test_presence_from_mutter_brings_the_sitting_reminder(session):
    mutter, server, env, log, _proc = session
    started = time.monotonic()
    mutter.touch()
    wait_until(lambda: server.notify_calls, 20, "a reminder")
    assert time.monotonic() - started >= 6.0, log.read_text()
    assert "move" in server.notify_calls[0].summary.lower()
    status = subprocess.run(
        [sys.executable, "-m", "breakd", "status", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(status.stdout)
    assert result["source"] == "mutter" and result["counting"] is False
    assert mutter.calls["GetIdletime"] == 1  # watches, never polling


def test_idle_from_mutter_means_no_reminder(session):
    mutter, server, _env, log, proc = session
    mutter.advance(30)  # idle from the start: the idle watch fires
    time.sleep(10)
    assert server.notify_calls == [], log.read_text()
    assert proc.poll() is None


def test_doctor_on_gnome_wayland_uses_mutter_and_sees_the_user(session, monkeypatch):
    import breakd.doctor.command as command

    mutter, _server, env, _log, _proc = session
    for key, value in env.items():  # the probe runs in this process, on the stand-in bus
        monkeypatch.setenv(key, value)
    said: list[str] = []

    def the_user_moves_the_mouse_when_asked(text: str) -> None:
        said.append(text)
        mutter.touch()

    monkeypatch.setattr(command, "_sayer", lambda *_: the_user_moves_the_mouse_when_asked)
    out = io.StringIO()
    options = command.Options(timeout=5.0)
    command.run_doctor(options, env=env, out=out, err=io.StringIO(), interactive=True)
    text = out.getvalue()
    assert "Wayland session (GNOME); activity source: GNOME's Mutter idle monitor" in text
    assert said and "mutter saw your input" in text, text
