"""Fixtures for the calls watchers: a real sound server, reports collected from a watcher."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.calls.soundserver import SoundServer
from tests.e2e.desktop import SessionBus, wait_until
from tests.tools import require


class Reports:
    """What a watcher reported, in order, from whichever thread it reports on."""

    def __init__(self) -> None:
        self.values: list[object] = []
        self._lock = threading.Lock()

    def __call__(self, value: object) -> None:
        with self._lock:
            self.values.append(value)

    def wait_for(self, *values: object) -> None:
        try:
            wait_until(lambda: self.values == list(values), timeout=10, what=f"reports {values}")
        except TimeoutError as exc:
            raise AssertionError(f"{exc}; reported {self.values}{_watcher_stacks()}") from None


@pytest.fixture
def reports() -> Reports:
    return Reports()


@pytest.fixture
def sound_server(tmp_path: Path) -> Iterator[SoundServer]:
    require("pulseaudio", "pactl", "parecord")
    server = SoundServer(tmp_path / "pulse").start()
    yield server
    server.stop()


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[SessionBus]:
    """A private session bus (screen-sharing stand-ins and the watcher meet there)."""
    require("dbus-daemon")
    session = SessionBus(tmp_path / "bus")
    session.workdir.mkdir()
    session.start()
    yield session
    session.stop()


def _watcher_stacks() -> str:
    """Where the watchers' threads are, for a report that did not come."""
    frames = sys._current_frames()
    stacks = [
        f"\n--- {t.name}:\n" + "".join(traceback.format_stack(frames[t.ident]))
        for t in threading.enumerate()
        if t.name.startswith("breakd-") and t.ident in frames
    ]
    return "".join(stacks)
