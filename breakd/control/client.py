"""Send one request to the running daemon and wait for its reply (used by the CLI).

One connection per request: the CLI runs one command and exits, and a fresh connection
means no state to get wrong. Errors are split so the CLI can say something useful:
``NotRunning`` (no socket, or nobody listening on it) versus a daemon that misbehaves
(``TimeoutError``, ``ConnectionError``, ``ProtocolError``).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from breakd.control.protocol import MAX_MESSAGE, ProtocolError, Reply, Request, parse_reply


class NotRunning(ConnectionError):
    """No daemon listens on the control socket."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"breakd is not running (nothing listens on {path})")
        self.path = path


def request(
    path: Path, cmd: str, args: Mapping[str, Any] | None = None, timeout: float = 5.0
) -> Reply:
    """Send ``cmd`` with ``args`` and return the daemon's reply.

    Raises NotRunning if there is no socket or the connection is refused, TimeoutError if
    the daemon does not answer within ``timeout`` seconds in total.
    """
    deadline = time.monotonic() + timeout
    payload = Request(cmd=cmd, args=dict(args or {})).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        _connect(sock, path, deadline)
        sock.sendall(payload)
        line = _read_line(sock, deadline)
    return parse_reply(line)


def _connect(sock: socket.socket, path: Path, deadline: float) -> None:
    while True:
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        try:
            sock.connect(str(path))
            return
        except (FileNotFoundError, ConnectionRefusedError, NotADirectoryError) as exc:
            raise NotRunning(path) from exc
        except BlockingIOError:
            # A Unix socket's backlog is full (a burst of clients): the daemon is alive and
            # busy, so wait a moment rather than fail.
            if time.monotonic() >= deadline:
                raise TimeoutError("breakd is too busy to accept a connection") from None
            time.sleep(0.005)


def _read_line(sock: socket.socket, deadline: float) -> bytes:
    buf = bytearray()
    while b"\n" not in buf:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("breakd did not answer in time")
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("breakd closed the connection without replying")
        buf += chunk
        if len(buf) > MAX_MESSAGE and b"\n" not in buf:
            raise ProtocolError(f"reply longer than {MAX_MESSAGE} bytes")
    line, _, _ = bytes(buf).partition(b"\n")
    return line
