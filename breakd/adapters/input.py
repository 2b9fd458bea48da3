"""Keyboard and mouse activity from pynput (X11 through the RECORD extension).

Owns the pynput listeners and their callbacks. The callbacks are the daemon's hot path: they
turn an event into an ``InputKind`` and hand it on, nothing more. Key identity never leaves
the callback's arguments: it is not stored, compared, logged or passed on. Pointer motion can
arrive 1000 times a second from a real mouse, so it is coalesced to one event per
``MOTION_COALESCE`` seconds: presence needs to know the pointer moved, not where.

On X11 breakd asks pynput's RECORD listeners for less than their defaults (``_lean_listeners``):
key presses only (no releases: half the keyboard events, and pynput never translates the
keycode into a key, so the key's identity is never even computed), and button presses,
releases and pointer motion without enter/leave. Every X event costs pynput a wake-up and
python-xlib parsing (~190 us, far more than breakd's own ~1 us), so fewer events is what
makes breakd cheaper than a bare pynput listener.

pynput facts this relies on (shared/notes/pitfalls.md): importing it opens an X connection
(so it is imported only after the session check, in ``start``); a listener whose X server
went away ends its thread and cannot be restarted (a new one is made); ``stop()`` returns at
once but the thread lingers until the next X event (the threads are daemons, so this is fine).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from breakd.adapters.clock import Clock
from breakd.core.types import InputKind

log = logging.getLogger("breakd.input")

MOTION_COALESCE = 1.0
READY_TIMEOUT = 5.0

Feed = Callable[[InputKind], None]

KEY, CLICK, MOTION = InputKind.KEY, InputKind.CLICK, InputKind.MOTION


class NoDisplay(Exception):
    """The session offers nothing pynput can watch."""


def check_display(env: Mapping[str, str] = os.environ) -> str:
    """The X display pynput will use, or NoDisplay saying why there is none."""
    display = env.get("DISPLAY", "")
    if display:
        return display
    if env.get("WAYLAND_DISPLAY"):
        raise NoDisplay(
            "this is a Wayland session without an X display (DISPLAY is not set): "
            "pynput can only watch X11 input. Run breakd under XWayland with DISPLAY set."
        )
    raise NoDisplay(
        "no display: DISPLAY is not set. breakd watches keyboard and mouse activity on the "
        "desktop; run it inside your graphical session (as a systemd user service started "
        "with the session, make sure the session imported DISPLAY into the user manager)."
    )


class InputWatcher:
    """A keyboard and a mouse listener feeding one callback; replaceable as a pair."""

    def __init__(
        self, feed: Feed, clock: Clock, died: threading.Event, *, count_input: bool = True
    ) -> None:
        self._feed = feed
        self._clock = clock
        self.set_counting(count_input)
        self._next_motion = 0.0
        self._listeners: list[Any] = []
        self.died = died  # set when either listener's thread ends

    def start(self) -> None:
        keyboard_listener, mouse_listener = _lean_listeners()
        self._listeners = [
            keyboard_listener(on_press=self._on_press),
            mouse_listener(
                on_move=self._on_move, on_click=self._on_click, on_scroll=self._on_scroll
            ),
        ]
        for listener in self._listeners:
            listener.daemon = True
            listener.start()
        for listener in self._listeners:
            # Blocking joins in idle threads: noticing a dead listener costs no wake-ups.
            threading.Thread(
                target=self._watch, args=(listener,), name="breakd-input-watch", daemon=True
            ).start()
        for listener in self._listeners:
            _wait_ready(listener, READY_TIMEOUT)

    def set_counting(self, count_input: bool) -> None:
        """Presence-only mode (False): key presses and clicks are fed as mere presence,
        coalesced like pointer motion, so not even their number is known."""
        self._counting = count_input

    def alive(self) -> bool:
        return bool(self._listeners) and all(lst.is_alive() for lst in self._listeners)

    def stop(self) -> None:
        for listener in self._listeners:
            try:
                listener.stop()
            except Exception:  # a listener whose X server is gone may fail to stop: it is dead
                log.debug("listener stop failed", exc_info=True)

    def _watch(self, listener: Any) -> None:
        # threading.Thread.join, not pynput's: pynput's join then waits on a queue that a
        # listener killed by a lost X connection never fills, so it would block forever.
        threading.Thread.join(listener)
        self.died.set()

    # --- the hot path: a few cheap operations each, key identity is never kept -----------

    # Each takes pynput's trailing ``injected`` too, so pynput calls it without a wrapper.

    def _on_press(self, _key: object, _injected: bool = False) -> None:
        if self._counting:
            self._feed(KEY)
        else:
            self._presence()

    def _on_click(
        self, _x: int, _y: int, _button: object, pressed: bool, _injected: bool = False
    ) -> None:
        if not pressed:
            return
        if self._counting:
            self._feed(CLICK)
        else:
            self._presence()

    def _on_scroll(self, _x: int, _y: int, _dx: int, _dy: int, _injected: bool = False) -> None:
        self._on_click(_x, _y, None, True)

    def _on_move(self, _x: int, _y: int, _injected: bool = False) -> None:
        self._presence()

    def _presence(self) -> None:
        t = self._clock()
        if t >= self._next_motion:
            self._next_motion = t + MOTION_COALESCE
            self._feed(MOTION)


def _lean_listeners() -> tuple[Any, Any]:
    """pynput's keyboard and mouse listener classes, trimmed on X11 (see the module doc).

    Uses two private parts of pynput's xorg backend, pinned by the input tests: ``_EVENTS``,
    the (first, last) range of X event types its RECORD context asks for, and
    ``_handle_message``, which turns an event into a callback.
    """
    from pynput import keyboard, mouse  # opens the X connection: only now

    if keyboard.Listener.__module__ != "pynput.keyboard._xorg":
        return keyboard.Listener, mouse.Listener  # macOS, Windows, uinput: as they are
    from Xlib import X

    class KeyPresses(keyboard.Listener):
        _EVENTS = (X.KeyPress, X.KeyPress)

        def _handle_message(self, _display: Any, _event: Any, injected: bool) -> None:
            self.on_press(None, injected)  # that a key went down; never which

    class Pointer(mouse.Listener):
        _EVENTS = (X.ButtonPress, X.MotionNotify)  # press, release, motion; no enter/leave

    return KeyPresses, Pointer


def _wait_ready(listener: Any, timeout: float) -> bool:
    """Wait until the listener's X connection is up, or it died, or time ran out.

    pynput's own ``wait()`` has no timeout and blocks forever when the X server is gone, so
    this waits on the same condition pynput notifies (a private attribute, pinned by the
    input tests).
    """
    condition = listener._condition
    with condition:
        return condition.wait_for(lambda: listener._ready or not listener.is_alive(), timeout)
