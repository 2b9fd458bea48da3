"""The base of the tests' stand-in D-Bus services: own a bus name, answer calls on a thread.

A subclass says what each call answers (``answer``) and emits signals with ``emit``; the base
counts the calls it gets (with the time of each), so tests can prove there is no polling.
Used by the notification server stand-in (tests/test_dbus_notify.py) and the presence
services (tests/presence/standins.py).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.threading import (
    DBusConnection,
    DBusRouter,
    Proxy,
    ReceiveStopped,
    open_dbus_connection,
)
from jeepney.wrappers import new_error

S = TypeVar("S", bound="StandInService")


@dataclass
class StandInService:
    """A jeepney connection owning ``name`` and answering calls on its own thread."""

    address: str
    name: str
    calls: Counter[str] = field(default_factory=Counter)
    call_times: list[tuple[str, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _conn: DBusConnection | None = None
    _thread: threading.Thread | None = None

    def start(self: S) -> S:
        self._conn = open_dbus_connection(bus=self.address)
        with DBusRouter(self._conn) as router:
            (reply,) = Proxy(message_bus, router, timeout=5).RequestName(self.name, 4)
        assert reply == 1, f"could not own {self.name}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    @property
    def unique_name(self) -> str:
        assert self._conn is not None
        return self._conn.unique_name

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.interrupt()
            assert self._thread is not None
            self._thread.join(5)
            self._conn.close()
            self._conn = None

    def emit(self, emitter: DBusAddress, member: str, signature: str, *body: object) -> None:
        assert self._conn is not None
        self._conn.send(new_signal(emitter, member, signature, body))

    def _serve(self) -> None:
        assert self._conn is not None
        try:
            while True:
                msg = self._conn.receive()
                if msg.header.message_type is MessageType.method_call:
                    member = str(msg.header.fields.get(HeaderFields.member))
                    with self.lock:
                        self.calls[member] += 1
                        self.call_times.append((member, time.monotonic()))
                        reply = self.answer(member, msg)
                    self._conn.send(reply)
        except (ReceiveStopped, OSError):
            pass

    def answer(self, member: str, msg: Message) -> Message:  # pragma: no cover - overridden
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")
