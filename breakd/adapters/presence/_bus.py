"""What the D-Bus presence sources share on top of ``breakd.adapters.dbus_link``.

Owns: ``connect`` (a ``DBusLink`` whose signals and "the bus is gone" become items of the
source's ``Worker`` queue, and whose failures to connect become ``SourceUnavailable``), and
``Worker``, the one thread per source that owns the source's state, fed through that queue
(so the state is only ever touched by one thread and needs no lock).

Must not: decide anything about presence, or call blocking methods on the listener thread
(a reply can only arrive through that same thread). The connection and its listener thread
are ``breakd.adapters.dbus_link``'s, as for the notifier.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jeepney import MatchRule
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus_link import CALL_TIMEOUT, BusError, BusUnreachable, DBusLink
from breakd.adapters.presence import SourceUnavailable

log = logging.getLogger("breakd.presence")


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
