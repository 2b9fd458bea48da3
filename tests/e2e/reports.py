"""A recorder for the on/off reports adapters make (do-not-disturb, fullscreen, lock)."""

from __future__ import annotations

import threading
import time

from .desktop import wait_until

SETTLE = 0.2  # seconds to wait for reports that must NOT come after the expected ones


class OnOffLog:
    """Callable as an adapter's ``on_*(bool)``; remembers each report and when it came."""

    def __init__(self) -> None:
        self.got: list[tuple[bool, float]] = []
        self._lock = threading.Lock()

    def __call__(self, on: bool) -> None:
        with self._lock:
            self.got.append((on, time.monotonic()))

    def values(self) -> list[bool]:
        with self._lock:
            return [on for on, _ in self.got]

    def wait(self, expected: list[bool], since: float | None = None, within: float = 3.0) -> None:
        """Exactly ``expected`` arrives (and nothing more); with ``since``, the last report
        came within ``within`` seconds of it: told, not found by asking now and then."""
        wait_until(lambda: len(self.values()) >= len(expected), 5, f"reports {expected}")
        time.sleep(SETTLE)
        assert self.values() == expected
        if since is not None and expected:
            assert self.got[-1][1] - since < within
