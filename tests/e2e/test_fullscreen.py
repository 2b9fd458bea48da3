"""FullscreenWatcher on a real X server. Xvfb has no window manager, so the test plays one:
it sets the EWMH properties a window manager sets (``_NET_ACTIVE_WINDOW`` on the root window,
``_NET_WM_STATE`` on the focused window) from its own X connection."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from Xlib import X, Xatom
from Xlib.display import Display

from breakd.adapters.fullscreen import FullscreenWatcher

from .desktop import Desktop
from .reports import OnOffLog


class WindowManager:
    """Just enough of a window manager: focus and fullscreen state as EWMH properties."""

    def __init__(self, display_name: str) -> None:
        self.display = Display(display_name)
        self.root = self.display.screen().root
        self._atom = self.display.intern_atom

    def window(self) -> Any:
        win = self.root.create_window(0, 0, 100, 100, 0, 0, X.InputOutput, X.CopyFromParent)
        self.display.sync()
        return win

    def focus(self, window: Any | None) -> None:
        self.root.change_property(
            self._atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32, [window.id if window else 0]
        )
        self.display.sync()

    def set_fullscreen(self, window: Any, on: bool) -> None:
        states = [self._atom("_NET_WM_STATE_FULLSCREEN")] if on else []
        window.change_property(self._atom("_NET_WM_STATE"), Xatom.ATOM, 32, states)
        self.display.sync()

    def close(self) -> None:
        self.root.delete_property(self._atom("_NET_ACTIVE_WINDOW"))
        self.display.sync()
        self.display.close()


@pytest.fixture
def wm(shared_desktop: Desktop) -> Iterator[WindowManager]:
    manager = WindowManager(shared_desktop.x.name)
    yield manager
    manager.close()


@pytest.fixture
def changes() -> OnOffLog:
    return OnOffLog()


@pytest.fixture
def watcher(shared_desktop: Desktop, wm: WindowManager, changes: OnOffLog):
    w = FullscreenWatcher(changes, shared_desktop.x.name)
    assert w.start()
    yield w
    w.stop()


def test_a_focused_fullscreen_window_is_reported_and_its_end_too(wm, watcher, changes):
    video, editor = wm.window(), wm.window()
    wm.focus(editor)
    wm.set_fullscreen(video, True)  # not focused: not our business
    changes.wait([])
    wm.focus(video)
    changes.wait([True])
    wm.focus(editor)
    changes.wait([True, False])
    wm.focus(video)
    changes.wait([True, False, True])
    wm.set_fullscreen(video, False)  # leaves fullscreen while focused
    changes.wait([True, False, True, False])


def test_a_window_already_fullscreen_at_start_is_reported(shared_desktop, wm, changes):
    video = wm.window()
    wm.set_fullscreen(video, True)
    wm.focus(video)
    w = FullscreenWatcher(changes, shared_desktop.x.name)
    assert w.start()
    try:
        changes.wait([True])
    finally:
        w.stop()


def test_a_destroyed_fullscreen_window_is_no_trouble(wm, watcher, changes):
    video = wm.window()
    wm.set_fullscreen(video, True)
    wm.focus(video)
    changes.wait([True])
    video.destroy()
    wm.focus(None)  # what a window manager does when the focused window goes
    changes.wait([True, False])
    assert watcher.thread is not None and watcher.thread.is_alive()


def test_stop_returns_at_once_and_ends_the_thread(shared_desktop, wm, changes):
    w = FullscreenWatcher(changes, shared_desktop.x.name)
    assert w.start()
    begun = time.monotonic()
    w.stop()
    assert time.monotonic() - begun < 5.0  # woken, not waited out
    assert w.thread is not None and not w.thread.is_alive()


def test_no_x_server_is_a_warning_not_a_crash(changes, caplog):
    w = FullscreenWatcher(changes, ":99999")
    assert not w.start()
    assert "not watching for fullscreen windows" in caplog.text
    w.stop()


def test_x_server_gone_ends_the_watcher_and_reports_not_fullscreen(desktop):
    changes = OnOffLog()
    manager = WindowManager(desktop.x.name)
    video = manager.window()
    manager.set_fullscreen(video, True)
    manager.focus(video)
    w = FullscreenWatcher(changes, desktop.x.name)
    assert w.start()
    changes.wait([True])
    desktop.kill_x()
    changes.wait([True, False])
    assert w.thread is not None
    w.thread.join(2.0)
    assert not w.thread.is_alive()
    w.stop()
