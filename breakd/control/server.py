"""The daemon's side of the control socket: one background thread serving JSON-lines.

What it owns: the socket file and its lock, every client connection, framing (lines, the
size cap), peer checks, and answering ``ping``. What it must not do: know what a command
means. Every other request goes to the ``handler`` the daemon passes in.

Theory of operation
-------------------
One thread blocks in ``selectors`` with no timeout, so an idle daemon costs no wakeups.
Sockets are non-blocking and each connection has its own read and write buffers, so a slow
or hostile client can stall nobody else. ``stop()`` wakes the thread through a socketpair.

Subscribers (status bars): ``subscribe`` is answered here with the handler's ``status`` and
marks the connection as a subscriber (it still counts against ``max_clients``). The daemon
calls ``publish(result)`` from any thread; it stores the newest result and wakes the thread
through the same socketpair, and the thread appends one event line to every subscriber's
output buffer. Each event is a whole snapshot, so only the newest unsent one is kept, and a
subscriber whose buffer passes ``max_backlog`` (it stopped reading) is disconnected rather
than allowed to grow memory. With no subscribers ``publish`` does not even wake the thread.

Single instance: a ``flock`` on ``<socket>.lock`` is held for the server's life, so two
daemons starting at once cannot both take over the socket. A socket file left behind by a
crashed daemon refuses connections and is replaced; a live one answers ``ping`` and startup
fails with ``AlreadyRunning``.

The handler contract: ``handler(request) -> Reply`` is called on the server thread, one
request at a time, for every valid request except ``ping``. It should return quickly (it
holds up other clients). If it raises, the client gets an error reply and the exception is
logged; the server carries on.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import selectors
import socket
import struct
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breakd import __version__
from breakd.control import client
from breakd.control.paths import ensure_private_dir
from breakd.control.protocol import (
    MAX_MESSAGE,
    PROTOCOL_VERSION,
    STATUS_EVENT,
    Event,
    ProtocolError,
    Reply,
    Request,
    parse_request,
)
from breakd.core.words import N_, Phrase, phrase

log = logging.getLogger("breakd.control")

Handler = Callable[[Request], Reply]

_RECV_SIZE = 65536
_MAX_PENDING_OUTPUT = 1024 * 1024  # a client that never reads its replies is dropped
# A subscriber that has this much unsent status (on top of the kernel's socket buffer) has
# stopped reading: a status bar that is frozen or gone. Room for several whole events.
_MAX_SUBSCRIBER_BACKLOG = 4 * MAX_MESSAGE
_UCRED = struct.Struct("3i")  # struct ucred: pid, uid, gid
_STOP_JOIN_SECONDS = 1.0


class AlreadyRunning(RuntimeError):
    """Another breakd daemon already serves this socket."""

    def __init__(self, pid: int | None, path: Path) -> None:
        who = f"pid {pid}" if pid is not None else "another process"
        super().__init__(f"breakd is already running ({who}, socket {path})")
        self.pid = pid
        self.path = path


@dataclass(eq=False)
class _Conn:
    sock: socket.socket
    inbuf: bytearray = field(default_factory=bytearray)
    outbuf: bytearray = field(default_factory=bytearray)
    closing: bool = False  # read no more; close once outbuf is sent
    subscribed: bool = False  # receives status events


class ControlServer:
    """Serve the control protocol on ``path`` from one background thread.

    ``start()`` binds (raising AlreadyRunning if a live daemon answers there) and starts the
    thread; ``stop()`` closes every connection, unlinks the socket and joins the thread.
    Also usable as a context manager.
    """

    def __init__(
        self,
        path: Path,
        handler: Handler,
        *,
        pid: int | None = None,
        version: str = __version__,
        allowed_uid: int | None = None,
        max_clients: int = 64,
        max_backlog: int = _MAX_SUBSCRIBER_BACKLOG,
    ) -> None:
        self._path = Path(path)
        self._handler = handler
        self._pid = os.getpid() if pid is None else pid
        self._version = version
        self._allowed_uid = os.getuid() if allowed_uid is None else allowed_uid
        self._max_clients = max_clients
        self._selector: selectors.BaseSelector | None = None
        self._listener: socket.socket | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._lock_fd: int | None = None
        self._bound_inode: int | None = None
        self._conns: dict[int, _Conn] = {}
        self._thread: threading.Thread | None = None
        self._wakeups = 0
        self._max_backlog = max_backlog
        self._subscribers = 0  # written by the server thread only; read by publish()
        self._stopping = False
        # Guards _pending and the wake socket between publish() (any thread), the server
        # thread and _release(); never held while calling the handler or doing socket I/O
        # other than the one-byte wake.
        self._publish_lock = threading.Lock()
        self._pending: bytes | None = None

    @property
    def path(self) -> Path:
        return self._path

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    @property
    def clients(self) -> int:
        """How many client connections are open."""
        return len(self._conns)

    @property
    def subscribers(self) -> int:
        """How many connections are subscribed to status events."""
        return self._subscribers

    @property
    def wakeups(self) -> int:
        """How many times the thread has returned from select (for tests and diagnostics)."""
        return self._wakeups

    def __enter__(self) -> ControlServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def publish(self, result: Mapping[str, Any]) -> None:
        """Push a status ``result`` to every subscriber. Safe from any thread; never blocks.

        The daemon calls this on every state change (and once a minute while a countdown
        runs); the server thread does the writing, so a slow subscriber cannot hold up the
        daemon. Results published faster than the thread runs are coalesced to the newest.
        """
        if self._subscribers == 0:
            # Nobody listens. A subscriber registering right now is safe: it is counted before
            # its first status is taken, so that status already reflects this change.
            return
        try:
            line = Event(STATUS_EVENT, dict(result)).encode()
        except (TypeError, ValueError):
            log.exception("control socket: cannot encode a status event")
            return
        if len(line) > MAX_MESSAGE:
            log.error("status event is %d bytes, over the limit; not sent", len(line))
            return
        with self._publish_lock:
            first = self._pending is None
            self._pending = line
            if first and self._wake_w is not None:
                # Full buffer (BlockingIOError): a wake is pending anyway. Closed: stopping.
                with contextlib.suppress(OSError):
                    self._wake_w.send(b"p")

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("ControlServer already started")
        self._stopping = False
        ensure_private_dir(self._path.parent)
        self._take_lock()
        try:
            self._clear_stale_socket()
            self._listener = self._bind()
            self._wake_r, self._wake_w = socket.socketpair()
            for sock in (self._wake_r, self._wake_w):
                sock.setblocking(False)
            self._selector = selectors.DefaultSelector()
            self._selector.register(self._listener, selectors.EVENT_READ, "listen")
            self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        except BaseException:
            self._release()
            raise
        self._thread = threading.Thread(target=self._serve, name="breakd-control", daemon=True)
        self._thread.start()
        log.debug("control socket listening on %s", self._path)

    def stop(self) -> None:
        """Close everything and unlink the socket; returns within about a second."""
        thread, self._thread = self._thread, None
        self._stopping = True
        if thread is not None and self._wake_w is not None:
            with self._publish_lock, contextlib.suppress(OSError):
                self._wake_w.send(b"x")
            thread.join(_STOP_JOIN_SECONDS)
            if thread.is_alive():
                log.warning("control thread did not stop within %ss", _STOP_JOIN_SECONDS)
        self._release()

    def _take_lock(self) -> None:
        lock_path = self._path.with_name(self._path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(self._ping_pid(), self._path) from None
        self._lock_fd = fd

    def _clear_stale_socket(self) -> None:
        if not os.path.lexists(self._path):
            return
        pid = self._ping_pid()
        if pid is not None:
            raise AlreadyRunning(pid, self._path)
        # Nobody answered and we hold the lock: a crashed daemon's leftover.
        log.info("removing stale control socket %s", self._path)
        self._path.unlink()

    def _ping_pid(self) -> int | None:
        try:
            reply = client.request(self._path, "ping", timeout=1.0)
        except (OSError, ProtocolError):
            return None
        result = reply.result if reply.ok else None
        pid = result.get("pid") if isinstance(result, dict) else None
        return pid if isinstance(pid, int) else None

    def _bind(self) -> socket.socket:
        # Bind under a temporary name, set the mode, then rename into place: the socket is
        # never reachable with a looser mode, and the process umask is left alone (it is
        # process-wide, so changing it would race with other threads).
        tmp = self._path.with_name(f".{self._path.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(tmp))
            os.chmod(tmp, 0o600)
            sock.listen(socket.SOMAXCONN)
            sock.setblocking(False)
            os.rename(tmp, self._path)
        except BaseException:
            sock.close()
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        self._bound_inode = os.stat(self._path).st_ino
        return sock

    def _release(self) -> None:
        for conn in list(self._conns.values()):
            self._close(conn)
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        with self._publish_lock:  # publish() must not write to a closed (reused) descriptor
            for sock in (self._listener, self._wake_r, self._wake_w):
                if sock is not None:
                    sock.close()
            self._listener = self._wake_r = self._wake_w = None
            self._pending = None
        self._unlink_own_socket()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def _unlink_own_socket(self) -> None:
        if self._bound_inode is None:
            return
        with contextlib.suppress(FileNotFoundError):
            if os.stat(self._path).st_ino == self._bound_inode:
                self._path.unlink()
        self._bound_inode = None

    # --- the loop -------------------------------------------------------------------------

    def _serve(self) -> None:
        selector = self._selector
        assert selector is not None
        while True:
            events = selector.select()  # no timeout: sleep until something happens
            self._wakeups += 1
            for key, mask in events:
                # A bug, an odd client or an event that cannot be sent must not take the
                # control socket down: it costs that connection (or that event), no more.
                try:
                    if key.data == "wake":
                        self._drain_wake()
                        if self._stopping:
                            return
                        self._deliver()
                    elif key.data == "listen":
                        self._accept()
                    else:
                        self._service(key.data, mask)
                except Exception:
                    if isinstance(key.data, _Conn):
                        log.exception("control socket error; dropping the connection")
                        self._close(key.data)
                    else:
                        log.exception("control socket error; serving on")
                        self._drop_event()

    def _drain_wake(self) -> None:
        assert self._wake_r is not None
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while self._wake_r.recv(4096):
                pass

    def _drop_event(self) -> None:
        """Forget the status event not sent: the next ``publish`` wakes the thread again (it
        does not while one is pending)."""
        with self._publish_lock:
            self._pending = None

    def _deliver(self) -> None:
        with self._publish_lock:
            line, self._pending = self._pending, None
        if line is None:
            return
        for conn in list(self._conns.values()):
            if conn.subscribed and not conn.closing:
                try:
                    self._push(conn, line)
                except Exception:
                    log.exception("control socket error; dropping a subscriber")
                    self._close(conn)

    def _push(self, conn: _Conn, line: bytes) -> None:
        if len(conn.outbuf) + len(line) > self._max_backlog:
            log.warning("control socket: a status subscriber stopped reading; dropping it")
            self._close(conn)
            return
        conn.outbuf += line
        self._flush(conn)  # most subscribers read at once: write now, skip a select turn
        self._update(conn)

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                sock, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:  # EMFILE and friends: keep serving who we have
                log.warning("control socket: cannot accept a connection: %s", exc)
                return
            self._admit(sock)

    def _admit(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        conn = _Conn(sock)
        uid = self._peer_uid(sock)
        if uid != self._allowed_uid:
            log.warning("control socket: rejected a connection from uid %s", uid)
            self._refuse(conn, phrase(N_("permission denied: this breakd belongs to another user")))
        elif len(self._conns) >= self._max_clients:
            log.warning("control socket: too many connections (%d)", self._max_clients)
            self._refuse(conn, phrase(N_("too many connections to breakd; try again")))
        assert self._selector is not None
        self._conns[sock.fileno()] = conn
        self._selector.register(sock, selectors.EVENT_READ, conn)
        self._update(conn)

    @staticmethod
    def _peer_uid(sock: socket.socket) -> int | None:
        try:
            _pid, uid, _gid = _UCRED.unpack(
                sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size)
            )
        except OSError:
            return None
        return uid

    def _refuse(self, conn: _Conn, said: Phrase) -> None:
        conn.outbuf += Reply.refusal(said).encode()
        conn.closing = True

    def _service(self, conn: _Conn, mask: int) -> None:
        if mask & selectors.EVENT_READ and not conn.closing:
            self._read(conn)
        if conn.sock.fileno() < 0:
            return
        if conn.outbuf:
            self._flush(conn)
        self._update(conn)

    def _read(self, conn: _Conn) -> None:
        try:
            data = conn.sock.recv(_RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._close(conn)
            return
        if not data:
            # End of input: a last request without its newline still counts (handy for
            # `printf '{"cmd":"ping"}' | socat - UNIX:...`).
            if conn.inbuf.strip():
                self._answer(conn, bytes(conn.inbuf))
            conn.inbuf.clear()
            conn.closing = True
            return
        conn.inbuf += data
        self._drain_lines(conn)

    def _drain_lines(self, conn: _Conn) -> None:
        while not conn.closing:
            end = conn.inbuf.find(b"\n")
            if end < 0:
                if len(conn.inbuf) > MAX_MESSAGE:
                    self._too_long(conn)
                return
            if end + 1 > MAX_MESSAGE:
                self._too_long(conn)
                return
            line = bytes(conn.inbuf[:end])
            del conn.inbuf[: end + 1]
            if line.strip():  # blank lines are ignored, as JSON-lines readers usually do
                self._answer(conn, line)

    def _too_long(self, conn: _Conn) -> None:
        # Framing is lost once a line overflows, so answer and hang up.
        conn.inbuf.clear()
        self._refuse(
            conn, phrase(N_("message too long: at most {limit} bytes per line"), limit=MAX_MESSAGE)
        )

    def _answer(self, conn: _Conn, line: bytes) -> None:
        conn.outbuf += self._dispatch(conn, line)
        if len(conn.outbuf) > _MAX_PENDING_OUTPUT:
            log.warning("control socket: a client does not read its replies; dropping it")
            conn.outbuf.clear()
            conn.closing = True

    def _dispatch(self, conn: _Conn, line: bytes) -> bytes:
        try:
            request = parse_request(line)
        except ProtocolError as exc:
            said = Phrase.of(exc)
            if said.translated:  # a person may read it (an unknown command)
                return Reply.refusal(said).encode()
            return Reply.failure(str(exc)).encode()
        if request.cmd == "ping":
            return self._pong().encode()
        if request.cmd == "subscribe":
            return self._subscribe(conn)
        _ok, data = self._call_handler(request, request.cmd)
        return data

    def _subscribe(self, conn: _Conn) -> bytes:
        # Counted before the status is taken, so a change published meanwhile is not lost:
        # publish() either sees this subscriber or ran before the status below was taken.
        if not conn.subscribed:
            conn.subscribed = True
            self._subscribers += 1
        ok, data = self._call_handler(Request("status"), "subscribe")
        if not ok:
            self._unsubscribe(conn)
        return data

    def _unsubscribe(self, conn: _Conn) -> None:
        if conn.subscribed:
            conn.subscribed = False
            self._subscribers -= 1

    def _call_handler(self, request: Request, cmd: str) -> tuple[bool, bytes]:
        """Whether the handler succeeded, and its encoded reply (or an error naming ``cmd``)."""
        try:
            reply = self._handler(request)
            if not isinstance(reply, Reply):
                raise TypeError(f"handler returned {type(reply).__name__}, not a Reply")
            data = reply.encode()
        except Exception as exc:
            log.exception("control command %r failed", cmd)
            failed = phrase(
                N_("{command} failed inside breakd: {error}"), command=cmd, error=str(exc)
            )
            return False, Reply.refusal(failed).encode()
        if len(data) > MAX_MESSAGE:
            log.error("reply to %r is %d bytes, over the limit", cmd, len(data))
            too_long = phrase(N_("{command}: reply too long"), command=cmd)
            return False, Reply.refusal(too_long).encode()
        return reply.ok, data

    def _pong(self) -> Reply:
        return Reply.success(
            {"pid": self._pid, "version": self._version, "protocol": PROTOCOL_VERSION}
        )

    def _flush(self, conn: _Conn) -> None:
        try:
            sent = conn.sock.send(conn.outbuf, socket.MSG_NOSIGNAL)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # the client went away; nothing to tell it
            self._close(conn)
            return
        del conn.outbuf[:sent]

    def _update(self, conn: _Conn) -> None:
        if conn.sock.fileno() < 0:
            return
        if conn.closing and not conn.outbuf:
            self._close(conn)
            return
        events = 0 if conn.closing else selectors.EVENT_READ
        if conn.outbuf:
            events |= selectors.EVENT_WRITE
        assert self._selector is not None
        self._selector.modify(conn.sock, events, conn)

    def _close(self, conn: _Conn) -> None:
        fd = conn.sock.fileno()
        if fd < 0:
            return
        self._conns.pop(fd, None)
        self._unsubscribe(conn)
        if self._selector is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(conn.sock)
        conn.sock.close()
