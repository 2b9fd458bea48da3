"""What the D-Bus presence sources share on top of ``breakd.adapters.dbus_link``.

Owns: ``connect`` (a ``DBusLink`` whose signals and "the bus is gone" become items of the
source's ``Worker`` queue, and whose failures to connect become ``SourceUnavailable``),
``Worker``, the one thread per source that owns the source's state, fed through that queue
(so the state is only ever touched by one thread and needs no lock), and ``SourceClock``, the
time a source reads and waits by (``MONOTONIC`` for real; tests inject one they move by hand,
so that what a source does at which moment is exact, with no real-time tolerance).

Must not: decide anything about presence, or call blocking methods on the listener thread
(a reply can only arrive through that same thread). The connection and its listener thread
are ``breakd.adapters.dbus_link``'s, as for the notifier.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from jeepney import MatchRule
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus_link import CALL_TIMEOUT, BusError, BusUnreachable, DBusLink
from breakd.adapters.presence import SourceUnavailable

log = logging.getLogger("breakd.presence")


class SourceClock(Protocol):
    """The time a source lives by: its readings, and the waits for its own checks."""

    def now(self) -> float:
        """Seconds on a clock that never jumps back."""

    def get(self, items: queue.SimpleQueue[object], due: float | None) -> object | None:
        """The next item from ``items``, or None once ``now()`` reaches ``due`` first
        (``due`` None: wait for an item however long it takes)."""


class Monotonic:
    """Real time: ``time.monotonic``, and the queue's own timeout."""

    def now(self) -> float:
        return time.monotonic()

    def get(self, items: queue.SimpleQueue[object], due: float | None) -> object | None:
        timeout = None if due is None else max(0.0, due - time.monotonic())
        try:
            return items.get(timeout=timeout)
        except queue.Empty:
            return None


MONOTONIC = Monotonic()


@dataclass(frozen=True)
class BusLost:
    """Queue item: the connection ended; ``reason`` says why."""

    reason: str


def connect(address: str | None, rules: Iterable[MatchRule], worker: Worker) -> DBusLink:
    """Connect (None: the environment's session bus) and subscribe to ``rules``, feeding
    ``worker``; ``SourceUnavailable`` if not.

    Signals queue up until the worker starts, so it sees them only after ``start`` is done.
    """
    try:
        return DBusLink.open(
            address,
            worker.put,
            thread_name="breakd-presence-bus",
            rules=rules,
            on_lost=lambda reason: worker.put(BusLost(reason)),
        )
    except BusUnreachable as exc:
        raise SourceUnavailable(str(exc)) from None
    except (BusError, DBusErrorResponse) as exc:
        raise SourceUnavailable(f"session bus refused a match rule: {exc}") from None


def running(worker: Worker | None, link: DBusLink | None) -> bool:
    """A source is alive while its worker runs and its connection has not ended."""
    return (
        worker is not None and link is not None and worker.thread.is_alive() and link.dead is None
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

    ``due`` says when (on ``clock``) the source next wants to look by itself, asked anew
    before every wait (None: block until an item comes, i.e. no timer at all). When that
    time comes first, ``handle`` gets ``None``.
    """

    _STOP = object()

    def __init__(
        self,
        name: str,
        handle: Callable[[object | None], bool],
        due: Callable[[], float | None] = lambda: None,
        clock: SourceClock = MONOTONIC,
    ) -> None:
        self._items: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._handle = handle  # returns False to end the thread (the source is dead)
        self._due = due
        self._clock = clock
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
            item = self._clock.get(self._items, self._due())
            if item is self._STOP:
                return
            try:
                if not self._handle(item):
                    return
            except Exception:  # a bug must end this source visibly (alive() False), not hang
                log.exception("presence source failed")
                return
