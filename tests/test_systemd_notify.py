"""sd_notify against real datagram sockets (path and abstract), and the watchdog interval."""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.systemd_notify import sd_notify, watchdog_interval


@pytest.fixture
def receiver() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.settimeout(5)
    yield sock
    sock.close()


def test_sd_notify_to_a_path_socket(receiver: socket.socket) -> None:
    with tempfile.TemporaryDirectory(prefix="bkn") as tmp:
        path = Path(tmp) / "notify"
        receiver.bind(str(path))
        assert sd_notify("READY=1", {"NOTIFY_SOCKET": str(path)})
        assert receiver.recv(4096) == b"READY=1"
        assert sd_notify("STATUS=active, sitting in 12m", {"NOTIFY_SOCKET": str(path)})
        assert receiver.recv(4096) == b"STATUS=active, sitting in 12m"


def test_sd_notify_to_an_abstract_socket(receiver: socket.socket) -> None:
    name = f"breakd-test-{uuid.uuid4().hex}"
    receiver.bind("\0" + name)
    assert sd_notify("WATCHDOG=1", {"NOTIFY_SOCKET": "@" + name})
    assert receiver.recv(4096) == b"WATCHDOG=1"


@pytest.mark.parametrize(
    "env",
    [{}, {"NOTIFY_SOCKET": ""}, {"NOTIFY_SOCKET": "/nonexistent/notify"}, {"NOTIFY_SOCKET": "x"}],
)
def test_sd_notify_without_a_usable_socket_is_a_quiet_no_op(env: dict[str, str]) -> None:
    assert sd_notify("READY=1", env) is False


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"WATCHDOG_USEC": "60000000"}, 60.0),
        ({"WATCHDOG_USEC": "500000", "WATCHDOG_PID": str(os.getpid())}, 0.5),
        ({"WATCHDOG_USEC": "60000000", "WATCHDOG_PID": str(os.getpid() + 1)}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
    ],
)
def test_watchdog_interval(env: dict[str, str], expected: float | None) -> None:
    assert watchdog_interval(env) == expected
