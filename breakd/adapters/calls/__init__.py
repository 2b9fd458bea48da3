"""Calls and meetings: the camera, the microphone and screen sharing, as one "in a call".

``CallWatch`` runs the watchers ``[calls]`` turns on (camera.py: inotify on /dev/video*;
microphone.py: the sound server's own events through ``pactl subscribe``; screencast.py:
ScreenCast sessions on the session bus) and reports ``on_call(reason)``: what is in use, in
status's words ("microphone in use"), or None when nothing is. Each watcher reports from its
own thread; the combined value is reported once per change. A watcher that cannot start is
logged once and left out (``breakd doctor`` says why); none of them polls.

Must not: decide what a call means for reminders (that is the engine's ``set_in_call``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Protocol

from breakd.config.model import CallsConfig
from breakd.core.types import HELD_SEPARATOR
from breakd.core.words import N_

log = logging.getLogger("breakd.calls")

# English on the wire (status's held_by, hooks, logs); ``breakd status`` translates them.
CAMERA = N_("camera in use")
MICROPHONE = N_("microphone in use")
SCREEN_SHARING = N_("screen sharing")
_ORDER = (SCREEN_SHARING, CAMERA, MICROPHONE)  # the most telling first
_NAMES = {CAMERA: "the camera", MICROPHONE: "the microphone", SCREEN_SHARING: "screen sharing"}


class Watcher(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


class CallWatch:
    def __init__(
        self,
        on_call: Callable[[str | None], None],
        *,
        device_dir: str | None = None,
        bus_address: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._on_call = on_call
        self._device_dir = device_dir
        self._bus_address = bus_address
        self._env = env
        self._lock = threading.Lock()
        self._watchers: dict[str, Watcher] = {}
        self._in_use: set[str] = set()
        self._reported: str | None = None

    def configure(self, config: CallsConfig) -> None:
        """Start the watchers turned on, stop those turned off (also the first start)."""
        wanted = {
            CAMERA: config.camera,
            MICROPHONE: config.microphone,
            SCREEN_SHARING: config.screen_sharing,
        }
        for what, on in wanted.items():
            if on and what not in self._watchers:
                self._start(what)
            elif not on and what in self._watchers:
                self._watchers.pop(what).stop()
                self._change(what, False)

    def stop(self) -> None:
        for watcher in self._watchers.values():
            watcher.stop()
        self._watchers.clear()

    @property
    def watching(self) -> list[str]:
        return [what for what in _ORDER if what in self._watchers]

    def _start(self, what: str) -> None:
        def on_change(in_use: bool) -> None:
            self._change(what, in_use)

        try:
            watcher = self._make(what, on_change)
            watcher.start()
        except Exception as exc:  # e.g. no pactl, no inotify, a bus that forbids monitoring
            log.info("calls: %s is not watched: %s", _NAMES[what], exc)
            return
        self._watchers[what] = watcher

    def _make(self, what: str, on_change: Callable[[bool], None]) -> Watcher:
        if what == CAMERA:
            from breakd.adapters.calls.camera import DEVICE_DIR, CameraWatcher

            return CameraWatcher(on_change, self._device_dir or DEVICE_DIR)
        if what == MICROPHONE:
            from breakd.adapters.calls.microphone import MicrophoneWatcher

            return MicrophoneWatcher(on_change, self._env)
        from breakd.adapters.calls.screencast import ScreenCastWatcher

        return ScreenCastWatcher(on_change, self._bus_address)

    def _change(self, what: str, in_use: bool) -> None:
        with self._lock:
            if in_use:
                self._in_use.add(what)
            else:
                self._in_use.discard(what)
            reason = HELD_SEPARATOR.join(w for w in _ORDER if w in self._in_use) or None
            if reason == self._reported:
                return
            self._reported = reason
            log.info("in a call: %s", reason) if reason else log.info("the call ended")
            self._on_call(reason)  # under the lock: reports arrive in the order they happened
