"""``breakd run`` under systemd's eyes (Type=notify, WatchdogSec): READY=1 only once input is
watched, WATCHDOG=1 only while the input listeners live. systemd is played by a datagram
socket the test binds as NOTIFY_SOCKET."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .daemon import config_text, start_daemon
from .desktop import Desktop

SITTING = config_text(sitting={"every": "30m"})


class NotifySocket:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))

    def messages(self, seconds: float) -> list[str]:
        """Everything sent in the next ``seconds``."""
        got: list[str] = []
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                got.append(self.sock.recv(4096).decode())
            except TimeoutError:
                break
        return got

    def wait_for(self, text: str, seconds: float) -> list[str]:
        got: list[str] = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            got += self.messages(0.2)
            if any(text in m for m in got):
                return got
        raise AssertionError(f"no {text!r} within {seconds} s; got {got}")


@pytest.fixture
def notify(tmp_path: Path) -> Iterator[NotifySocket]:
    n = NotifySocket(tmp_path / "notify")
    yield n
    n.sock.close()


def test_ready_only_once_input_is_up_then_watchdog_while_it_lives(desktop: Desktop, notify):
    desktop.kill_x()  # the session's X server is not there yet
    daemon = start_daemon(
        desktop,
        SITTING,
        wait_ready=False,
        NOTIFY_SOCKET=str(notify.path),
        WATCHDOG_USEC="1000000",  # pet every 0.5 s
    )
    daemon.wait_log("retrying input listeners")
    early = notify.messages(1.0)
    assert early and not any("READY=1" in m for m in early), early  # STATUS only
    assert any("no input listeners" in m for m in early)

    desktop.start_x()
    notify.wait_for("READY=1", 15)
    assert sum("WATCHDOG=1" in m for m in notify.messages(2.0)) >= 2

    desktop.kill_x()  # listeners die: the watchdog must starve so systemd restarts breakd
    daemon.wait_log("no activity is seen")
    time.sleep(0.6)  # a pet already under way may still arrive
    assert not any("WATCHDOG=1" in m for m in notify.messages(2.0))
    assert daemon.proc.poll() is None
