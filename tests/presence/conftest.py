"""Fixtures for the presence sources: a private session bus, a recording listener, a clock
the test moves by hand, tools.

Missing system tools skip a test locally (naming the Debian package) and FAIL it in CI
(``CI=true``), as in tests/e2e, so a broken CI image cannot turn these green.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.desktop import SessionBus, wait_until


def require(tool: str, package: str) -> str:
    """The path of ``tool`` (a binary or a file); skip locally / fail in CI when missing."""
    path = tool if os.path.isabs(tool) and os.path.exists(tool) else shutil.which(tool)
    if path is None:
        message = f"{tool} not found: install the Debian package '{package}'"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"CI: {message}", pytrace=False)
        pytest.skip(message)
    return path


class ManualClock:
    """A SourceClock that stands still until the test moves it (``advance``).

    A source's worker waits for its next check in ``get``; ``advance`` wakes every waiting
    worker to look at the new time, and ``settle`` returns once each worker has handled all
    it was given so far (a marker put behind it in its queue came out), so a test knows a
    check that was due has been made, and one that was not due has not.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._t = start
        self._lock = threading.Lock()
        self._queues: list[queue.SimpleQueue[object]] = []

    def now(self) -> float:
        with self._lock:
            return self._t

    def get(self, items: queue.SimpleQueue[object], due: float | None) -> object | None:
        with self._lock:
            if items not in self._queues:
                self._queues.append(items)
        while True:
            if due is not None and self.now() >= due:
                return None
            item = items.get()  # woken by an item, an advance or a settle marker
            if isinstance(item, _Marker):
                item.seen.set()
            elif item is not _TICK:
                return item

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._t += seconds
            waiting = list(self._queues)
        for items in waiting:
            items.put(_TICK)
        self.settle()

    def settle(self, timeout: float = 10.0) -> None:
        with self._lock:
            waiting = list(self._queues)
        markers = [_Marker() for _ in waiting]
        for items, marker in zip(waiting, markers, strict=True):
            items.put(marker)
        for marker in markers:
            # A worker that has ended leaves its marker unseen: that is no wait to fail on.
            marker.seen.wait(timeout)


_TICK = object()


@dataclass(frozen=True)
class _Marker:
    seen: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Event:
    kind: str  # "active" or "idle"
    idle_for: float | None
    at: float  # the recorder's clock when the listener was called
    thread: str


@dataclass
class Recorder:
    """A PresenceListener that keeps what it was told, and when (by ``clock``)."""

    events: list[Event] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def active(self) -> None:
        self._add("active", None)

    def idle(self, idle_for: float) -> None:
        self._add("idle", idle_for)

    def _add(self, kind: str, idle_for: float | None) -> None:
        with self._lock:
            self.events.append(Event(kind, idle_for, self.clock(), threading.current_thread().name))

    def kinds(self) -> list[str]:
        with self._lock:
            return [e.kind for e in self.events]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Event]:
        wait_until(lambda: len(self.events) >= count, timeout, f"{count} presence events")
        with self._lock:
            return list(self.events)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def bus() -> Iterator[SessionBus]:
    require("dbus-daemon", "dbus-daemon")
    # A short directory: unix socket paths are limited to 108 bytes.
    workdir = Path(tempfile.mkdtemp(prefix="breakd-presence-"))
    session = SessionBus(workdir)
    session.start()
    yield session
    session.stop()
    shutil.rmtree(workdir, ignore_errors=True)
