"""Talk to the running daemon from the CLI: one request and its reply, or a subscription.

One connection per request: the CLI runs one command and exits, and a fresh connection
means no state to get wrong. ``subscribe`` keeps one connection open and yields each status
the daemon pushes, blocking in between (no polling). Errors are split so the CLI can say
something useful: ``NotRunning`` (no socket, or nobody listening on it) versus a daemon that
misbehaves (``TimeoutError``, ``ConnectionError``, ``ProtocolError``, ``Refused``).
"""

from __future__ import annotations

import contextlib
import select
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breakd.control.protocol import (
    MAX_MESSAGE,
    STATUS_EVENT,
    Event,
    ProtocolError,
    Reply,
    Request,
    parse_message,
    parse_reply,
)
from breakd.core.words import N_, phrase

# What went wrong with the daemon's answer: raised as phrases, said in the user's language
# by the commands (``str()`` is the English).
NO_ANSWER_IN_TIME = N_("breakd did not answer in time")
CLOSED_WITHOUT_REPLY = N_("breakd closed the connection without replying")
TOO_LONG = N_("a message from breakd is longer than {limit} bytes")


class NotRunning(ConnectionError):
    """No daemon listens on the control socket."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"breakd is not running (nothing listens on {path})")
        self.path = path


class Refused(RuntimeError):
    """The daemon answered with an error (say, an older daemon without ``subscribe``); its
    ``reply`` says why (in English, and perhaps as a phrase)."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.error or "unknown error")
        self.reply = reply


class Hangup(Exception):
    """The descriptor ``subscribe`` watches hung up: whoever reads our output is gone."""


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
        _send(sock, payload)
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
                raise TimeoutError(
                    phrase(N_("breakd is too busy to accept a connection"))
                ) from None
            time.sleep(0.005)


def _send(sock: socket.socket, payload: bytes) -> None:
    # The server may refuse us (another uid, too many clients) and hang up before reading:
    # its reply is still queued for us and says why, so read it rather than fail here.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(payload)


def _read_line(sock: socket.socket, deadline: float) -> bytes:
    buf = bytearray()
    while b"\n" not in buf:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(phrase(NO_ANSWER_IN_TIME))
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:  # the socket's own "timed out"
            raise TimeoutError(phrase(NO_ANSWER_IN_TIME)) from None
        if not chunk:
            raise ConnectionError(phrase(CLOSED_WITHOUT_REPLY))
        buf += chunk
        if len(buf) > MAX_MESSAGE and b"\n" not in buf:
            raise ProtocolError(phrase(TOO_LONG, limit=MAX_MESSAGE))
    line, _, _ = bytes(buf).partition(b"\n")
    return line


def subscribe(
    path: Path, *, timeout: float = 5.0, watch_fd: int | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the daemon's current status, then each status it pushes, until it hangs up.

    Between events this blocks with no timeout, so a status bar costs nothing while nothing
    changes; the generator simply ends when the daemon closes the connection (it stopped).
    ``watch_fd`` (the CLI's stdout) is watched as well, so a follower whose status bar went
    away exits at once (``Hangup``) instead of at the next push, which may be hours away.
    Raises NotRunning, TimeoutError (no first answer within ``timeout``), Refused and
    ProtocolError like ``request``.
    """
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        _connect(sock, path, deadline)
        sock.settimeout(None)  # _LineReader waits in poll, recv then never blocks
        _send(sock, Request("subscribe").encode())
        reader = _LineReader(sock, watch_fd)
        first = reader.line(deadline)
        if first is None:
            raise ConnectionError(phrase(CLOSED_WITHOUT_REPLY))
        reply = parse_reply(first)
        if not reply.ok:
            raise Refused(reply)
        yield reply.result
        while (line := reader.line(None)) is not None:
            message = parse_message(line)
            if isinstance(message, Event) and message.event == STATUS_EVENT:
                yield message.result
            # Anything else (a reply, a newer kind of event) is not for us: skip it.


@dataclass
class _LineReader:
    """Splits a socket's bytes into lines, waiting in poll() on the socket and ``watch_fd``."""

    sock: socket.socket
    watch_fd: int | None = None
    buf: bytearray = field(default_factory=bytearray)

    def line(self, deadline: float | None) -> bytes | None:
        """The next line without its newline; None at end of input. ``deadline`` None: wait
        as long as it takes."""
        while (end := self.buf.find(b"\n")) < 0:
            if len(self.buf) > MAX_MESSAGE:
                raise ProtocolError(phrase(TOO_LONG, limit=MAX_MESSAGE))
            self._wait(deadline)
            chunk = self.sock.recv(65536)
            if not chunk:
                return None  # a partial last line is dropped: the daemon died mid-write
            self.buf += chunk
        line = bytes(self.buf[:end])
        del self.buf[: end + 1]
        return line

    def _wait(self, deadline: float | None) -> None:
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        if self.watch_fd is not None:
            poller.register(self.watch_fd, 0)  # errors and hang-ups are always reported
        while True:
            wait_ms = None if deadline is None else max(0.0, deadline - time.monotonic()) * 1000
            events = poller.poll(wait_ms)
            if not events:
                raise TimeoutError(phrase(NO_ANSWER_IN_TIME))
            if self._watched_hung_up(poller, events):
                raise Hangup("the output was closed")
            if any(fd == self.sock.fileno() for fd, _ in events):
                return

    def _watched_hung_up(self, poller: Any, events: list[tuple[int, int]]) -> bool:
        for fd, mask in events:
            if fd != self.watch_fd:
                continue
            if mask & select.POLLNVAL:  # not an open descriptor: stop watching it
                poller.unregister(fd)
                self.watch_fd = None
            elif mask & (select.POLLERR | select.POLLHUP):
                return True
        return False
