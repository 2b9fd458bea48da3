"""The D-Bus plumbing the bus-based presence sources share: a link and a worker.

Owns: one jeepney connection to the session bus with ONE listener thread that blocks reading
the socket (no timeout, no polling), hands replies to the caller waiting in ``call`` and
signals to ``on_signal``; and ``Worker``, the one thread per source that owns the source's
state, fed through a queue (signals and "the bus is gone" become queue items, so the state
is only ever touched by one thread and needs no lock).

Must not: decide anything about presence, or call blocking methods on the listener thread
(a reply can only arrive through that same thread).

Same pattern as ``breakd.adapters.dbus_notify`` (which keeps its link private).
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jeepney import HeaderFields, MatchRule, Message, MessageType
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from breakd.adapters.presence import SourceUnavailable

log = logging.getLogger("breakd.presence")

CALL_TIMEOUT = 5.0  # seconds; a presence service that takes longer is as good as absent
BUS_NAME = "org.freedesktop.DBus"


class BusError(Exception):
    """A call did not get an answer (connection lost, timeout)."""


@dataclass(frozen=True)
class Signal:
    """A signal as the worker sees it."""

    sender: str
    path: str
    interface: str
    member: str
    body: tuple[object, ...]


@dataclass(frozen=True)
class BusLost:
    """Queue item: the connection ended; ``reason`` says why."""

    reason: str


class BusLink:
    """A session bus connection whose single listener thread delivers replies and signals."""

    def __init__(self, conn: DBusConnection, on_signal: Callable[[Signal], None]) -> None:
        self._conn = conn
        self._on_signal = on_signal
        self._lock = threading.Lock()
        self._pending: dict[int, concurrent.futures.Future[Message]] = {}
        self.dead: str | None = None  # why the connection ended, once it has
        self.on_lost: Callable[[str], None] = lambda _reason: None
        self.thread = threading.Thread(target=self._listen, name="breakd-presence-bus", daemon=True)
        self.thread.start()

    @classmethod
    def open(
        cls, address: str, rules: Iterable[MatchRule], on_signal: Callable[[Signal], None]
    ) -> BusLink:
        """Connect, subscribe to ``rules``; raise ``SourceUnavailable`` if the bus is not there."""
        if not address:
            raise SourceUnavailable("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        try:
            link = cls(open_dbus_connection(bus=address, auth_timeout=CALL_TIMEOUT), on_signal)
        except (OSError, RuntimeError, ValueError, concurrent.futures.TimeoutError) as exc:
            raise SourceUnavailable(f"cannot connect to the session bus: {exc}") from None
        try:
            for rule in rules:
                link.call(message_bus.AddMatch(rule))
        except (BusError, DBusErrorResponse) as exc:
            link.close()
            raise SourceUnavailable(f"session bus refused a match rule: {exc}") from None
        return link

    def call(self, msg: Message, timeout: float = CALL_TIMEOUT) -> tuple[object, ...]:
        """Send a method call, wait for the reply's body (``DBusErrorResponse`` on an error)."""
        future: concurrent.futures.Future[Message] = concurrent.futures.Future()
        with self._lock:
            if self.dead is not None:
                raise BusError(self.dead)
            serial = next(self._conn.outgoing_serial)
            self._pending[serial] = future  # before sending: an instant reply finds its caller
        try:
            self._conn.send(msg, serial=serial)
            return tuple(unwrap_msg(future.result(timeout)))
        except concurrent.futures.TimeoutError:
            raise BusError(f"no answer within {timeout:g} s") from None
        except OSError as exc:
            raise BusError(f"session bus connection lost: {exc}") from None
        finally:
            with self._lock:
                self._pending.pop(serial, None)

    def close(self) -> None:
        # Interrupt first and close the socket only once the thread is out of its select().
        self._conn.interrupt()
        if self.thread is not threading.current_thread():
            self.thread.join(CALL_TIMEOUT)
        self._conn.close()

    def _listen(self) -> None:
        reason = "connection closed"
        try:
            while True:
                self._dispatch(self._conn.receive())  # blocks on the socket: no timeout
        except ReceiveStopped:
            pass
        except Exception as exc:  # EOF, reset, a garbled message: the connection is unusable
            reason = f"session bus connection lost: {type(exc).__name__}: {exc}"
        finally:
            with self._lock:
                self.dead = reason
                pending, self._pending = list(self._pending.values()), {}
            for future in pending:
                if not future.done():
                    future.set_exception(BusError(reason))
            self.on_lost(reason)

    def _dispatch(self, msg: Message) -> None:
        fields = msg.header.fields
        reply_to = fields.get(HeaderFields.reply_serial)
        if reply_to is not None:
            with self._lock:
                future = self._pending.get(reply_to)
            if future is not None and not future.done():
                future.set_result(msg)
        elif msg.header.message_type is MessageType.signal:
            self._on_signal(
                Signal(
                    sender=str(fields.get(HeaderFields.sender, "")),
                    path=str(fields.get(HeaderFields.path, "")),
                    interface=str(fields.get(HeaderFields.interface, "")),
                    member=str(fields.get(HeaderFields.member, "")),
                    body=tuple(msg.body),
                )
            )


def name_owner_rule(name: str) -> MatchRule:
    """Match the bus's NameOwnerChanged for ``name`` (the service going away)."""
    rule = MatchRule(type="signal", sender=BUS_NAME, interface=BUS_NAME, member="NameOwnerChanged")
    rule.add_arg_condition(0, name)
    return rule


def lost_owner(signal: Signal, name: str) -> bool:
    """True for the NameOwnerChanged that says ``name`` has no owner any more."""
    return (
        signal.interface == BUS_NAME
        and signal.member == "NameOwnerChanged"
        and len(signal.body) == 3
        and signal.body[0] == name
        and not signal.body[2]
    )


def describe(exc: BaseException, service: str) -> str:
    """A one-line reason for the log or the exit-78 message."""
    if isinstance(exc, DBusErrorResponse):
        if exc.name == "org.freedesktop.DBus.Error.ServiceUnknown":
            return f"no {service} on the session bus"
        detail = exc.data[0] if exc.data else ""
        return f"{service} answered {exc.name}: {detail}"
    return f"{service}: {exc}"


class Worker:
    """One thread per source: takes items from a queue and hands them to ``handle``.

    ``wait`` is the queue's ``get`` timeout, asked anew before every wait (None: block until
    an item comes, i.e. no timer at all). On a timeout ``handle`` gets ``None``.
    """

    _STOP = object()

    def __init__(
        self,
        name: str,
        handle: Callable[[object | None], bool],
        wait: Callable[[], float | None] = lambda: None,
    ) -> None:
        self._items: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._handle = handle  # returns False to end the thread (the source is dead)
        self._wait = wait
        self.thread = threading.Thread(
            target=self._run, name=f"breakd-presence-{name}", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def put(self, item: object) -> None:
        self._items.put(item)

    def stop(self) -> None:
        self._items.put(self._STOP)
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(CALL_TIMEOUT * 2)

    def _run(self) -> None:
        while True:
            try:
                item: object | None = self._items.get(timeout=_non_negative(self._wait()))
            except queue.Empty:
                item = None
            if item is self._STOP:
                return
            try:
                if not self._handle(item):
                    return
            except Exception:  # a bug must end this source visibly (alive() False), not hang
                log.exception("presence source failed")
                return


def _non_negative(wait: float | None) -> float | None:
    return None if wait is None else max(0.0, wait)
