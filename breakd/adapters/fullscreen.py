"""Whether the focused X11 window is fullscreen (a video, a presentation, a game).

Reports ``on_change(fullscreen)`` from its own thread, only when the value changes; the start
state is "not fullscreen" (the engine's own), so nothing is reported at start unless the
focused window already is fullscreen.

How, without polling: the window manager publishes the focused window in the root window's
``_NET_ACTIVE_WINDOW`` and each window's state in its ``_NET_WM_STATE`` (EWMH). The watcher
asks the X server for ``PropertyNotify`` on the root window and on the focused window, and
blocks in ``next_event`` between changes. It uses python-xlib, which pynput already brings.

Must not: raise out of ``start``/``stop``, keep running after its X server went away (the
daemon's input supervisor makes a new watcher with the new listeners), or decide what
fullscreen means for reminders (that is the engine's).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("breakd.fullscreen")

WAKE_PROPERTY = "_BREAKD_WAKE"


class FullscreenWatcher:
    def __init__(self, on_change: Callable[[bool], None], display: str | None = None) -> None:
        self._on_change = on_change
        self._display_name = display
        self._display: Any = None
        self._wake_window_id = 0
        self._stopping = threading.Event()
        self._active: Any = None  # the focused window we listen to, if any
        self._fullscreen = False
        self.thread: threading.Thread | None = None

    def start(self) -> bool:
        """Begin watching; False (logged) where the X server cannot be watched."""
        try:
            self._connect()
        except Exception as exc:  # no X server, or an X error: breakd works without this
            log.warning("not watching for fullscreen windows: %s", exc)
            return False
        self.thread = threading.Thread(target=self._run, name="breakd-fullscreen", daemon=True)
        self.thread.start()
        return True

    def stop(self) -> None:
        """Stop watching; no report comes after this returns (unless X is gone already)."""
        self._stopping.set()
        thread = self.thread
        if thread is None or not thread.is_alive():
            return
        self._wake_thread()
        if thread is not threading.current_thread():
            thread.join(2.0)

    # --- the watching thread ---------------------------------------------------------------

    def _connect(self) -> None:
        from Xlib import X
        from Xlib.display import Display

        display = Display(self._display_name)
        self._atoms = {
            name: display.intern_atom(name)
            for name in ("_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")
        }
        root = display.screen().root
        root.change_attributes(event_mask=X.PropertyChangeMask)
        # A window of our own, never mapped: stop() changes a property on it to wake the
        # blocking read, so stopping needs no timeout and no polling.
        wake = root.create_window(0, 0, 1, 1, 0, 0, X.InputOnly, X.CopyFromParent)
        wake.change_attributes(event_mask=X.PropertyChangeMask)
        display.set_error_handler(_ignore_async_error)  # a window gone while we listen to it
        display.sync()
        self._display, self._root, self._wake_window_id = display, root, wake.id

    def _run(self) -> None:
        try:
            self._follow_active()
            while not self._stopping.is_set():
                self._handle(self._display.next_event())
        except Exception as exc:  # the X server went away (ConnectionClosedError), or a bug
            if not self._stopping.is_set():
                log.info("stopped watching for fullscreen windows: %s", type(exc).__name__)
                self._report(False)  # nobody can say the window is still fullscreen
        finally:
            self._close()

    def _handle(self, event: Any) -> None:
        from Xlib import X

        if event.type != X.PropertyNotify:
            return
        if event.window == self._root and event.atom == self._atoms["_NET_ACTIVE_WINDOW"]:
            self._follow_active()
        elif (
            self._active is not None
            and event.window == self._active
            and event.atom == self._atoms["_NET_WM_STATE"]
        ):
            self._report(self._is_fullscreen(self._active))

    def _follow_active(self) -> None:
        from Xlib import X

        window = self._read_active()
        if window != self._active:
            self._active = window
            if window is not None:
                window.change_attributes(event_mask=X.PropertyChangeMask)
        self._report(window is not None and self._is_fullscreen(window))

    def _read_active(self) -> Any:
        from Xlib import X

        prop = self._root.get_full_property(self._atoms["_NET_ACTIVE_WINDOW"], X.AnyPropertyType)
        if prop is None or not prop.value or not prop.value[0]:
            return None
        return self._display.create_resource_object("window", int(prop.value[0]))

    def _is_fullscreen(self, window: Any) -> bool:
        from Xlib import X
        from Xlib.error import XError

        try:
            prop = window.get_full_property(self._atoms["_NET_WM_STATE"], X.AnyPropertyType)
        except XError:  # the window is gone
            return False
        return prop is not None and self._atoms["_NET_WM_STATE_FULLSCREEN"] in prop.value

    def _report(self, fullscreen: bool) -> None:
        if fullscreen != self._fullscreen and not self._stopping.is_set():
            self._fullscreen = fullscreen
            log.info("fullscreen window %s", "focused" if fullscreen else "gone")
            self._on_change(fullscreen)

    def _wake_thread(self) -> None:
        """Change a property of our own window from a second connection: wakes next_event."""
        from Xlib import X, Xatom
        from Xlib.display import Display

        try:
            display = Display(self._display_name)
            try:
                window = display.create_resource_object("window", self._wake_window_id)
                atom = display.intern_atom(WAKE_PROPERTY)
                window.change_property(atom, Xatom.INTEGER, 32, [1], X.PropModeReplace)
                display.sync()
            finally:
                display.close()
        except Exception as exc:  # X gone: the thread ends on its own
            log.debug("could not wake the fullscreen watcher: %s", exc)

    def _close(self) -> None:
        display, self._display = self._display, None
        if display is not None:
            try:
                display.close()
            except Exception:
                log.debug("closing the fullscreen watcher's display failed", exc_info=True)


def _ignore_async_error(*_args: object) -> None:
    """Asynchronous X errors (BadWindow for a window destroyed while we select on it)."""
