"""Fixtures for the presence sources: a private session bus, a recording listener, tools.

Missing system tools skip a test locally (naming the Debian package) and FAIL it in CI
(``CI=true``), as in tests/e2e, so a broken CI image cannot turn these green.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
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


@dataclass(frozen=True)
class Event:
    kind: str  # "active" or "idle"
    idle_for: float | None
    at: float  # time.monotonic() when the listener was called
    thread: str


@dataclass
class Recorder:
    """A PresenceListener that keeps what it was told."""

    events: list[Event] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def active(self) -> None:
        self._add("active", None)

    def idle(self, idle_for: float) -> None:
        self._add("idle", idle_for)

    def _add(self, kind: str, idle_for: float | None) -> None:
        with self._lock:
            self.events.append(
                Event(kind, idle_for, time.monotonic(), threading.current_thread().name)
            )

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
def bus() -> Iterator[SessionBus]:
    require("dbus-daemon", "dbus-daemon")
    # A short directory: unix socket paths are limited to 108 bytes.
    workdir = Path(tempfile.mkdtemp(prefix="breakd-presence-"))
    session = SessionBus(workdir)
    session.start()
    yield session
    session.stop()
    shutil.rmtree(workdir, ignore_errors=True)
