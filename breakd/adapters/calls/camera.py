"""The camera: in use while any process has a video device (``/dev/video*``) open.

Learnt from inotify: IN_OPEN on a device node means in use at once; IN_CLOSE_* means look
at who still has one open (``/proc/*/fd``: only the processes this user may see, which are
the user's). That look also runs once at start and when a device appears (IN_CREATE on the
device directory, a camera plugged in, or IN_ATTRIB as udev lets the user at it). Nothing is
looked at on a timer.

Reports ``on_change(in_use)`` from its one thread, only when the value changes.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from breakd.adapters.inotify import (
    IN_ATTRIB,
    IN_CLOSE_NOWRITE,
    IN_CLOSE_WRITE,
    IN_CREATE,
    IN_DELETE,
    IN_OPEN,
    IN_Q_OVERFLOW,
    Event,
    Inotify,
    InotifyUnavailable,
)

log = logging.getLogger("breakd.calls")

DEVICE_DIR = "/dev"
_VIDEO = re.compile(r"video\d+\Z")
_NODE_EVENTS = IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE


def video_devices(device_dir: str = DEVICE_DIR) -> list[str]:
    try:
        names = os.listdir(device_dir)
    except OSError:
        return []
    return sorted(os.path.join(device_dir, n) for n in names if _VIDEO.match(n))


def open_by_anyone(devices: list[str], proc: str = "/proc") -> bool:
    """Whether a process (that this user may look into) holds one of ``devices`` open."""
    wanted = set(devices)
    if not wanted:
        return False
    for pid in os.listdir(proc):
        if not pid.isdigit():
            continue
        fd_dir = Path(proc, pid, "fd")
        try:
            fds = os.listdir(fd_dir)
        except OSError:  # another user's process, or gone
            continue
        for fd in fds:
            try:
                if os.readlink(fd_dir / fd) in wanted:
                    return True
            except OSError:
                continue
    return False


class CameraWatcher:
    def __init__(self, on_change: Callable[[bool], None], device_dir: str = DEVICE_DIR) -> None:
        self._on_change = on_change
        self._dir = device_dir
        self._inotify: Inotify | None = None
        self._thread: threading.Thread | None = None
        self._in_use = False
        self._nodes: dict[int, str] = {}  # watch descriptor -> device node

    def start(self) -> None:
        """Raises ``InotifyUnavailable`` (or OSError: no device directory) when it cannot."""
        inotify = Inotify()
        try:
            # IN_ATTRIB: udev grants access to a new camera a moment after creating its node.
            inotify.add_watch(self._dir, IN_CREATE | IN_DELETE | IN_ATTRIB)
        except OSError:
            inotify.close()
            raise
        self._inotify = inotify
        self._watch_nodes()
        self._look()
        self._thread = threading.Thread(target=self._run, name="breakd-camera", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._inotify is not None:
            self._inotify.interrupt()
            if self._thread is not None:
                self._thread.join(2)
            self._inotify.close()
            self._inotify = None

    def _watch_nodes(self) -> None:
        assert self._inotify is not None
        known = set(self._nodes.values())
        for node in video_devices(self._dir):
            if node in known:
                continue
            try:
                self._nodes[self._inotify.add_watch(node, _NODE_EVENTS)] = node
            except OSError as exc:  # not readable by this user: it cannot be seen
                log.debug("camera %s not watched: %s", node, exc)

    def _look(self) -> None:
        """Who holds a device open now: the truth after a close, a new device, the start."""
        self._set(open_by_anyone(list(self._nodes.values())))

    def _set(self, in_use: bool) -> None:
        if in_use != self._in_use:
            self._in_use = in_use
            log.debug("camera %s", "in use" if in_use else "no longer in use")
            self._on_change(in_use)

    def _run(self) -> None:
        try:
            while self._inotify is not None:
                events = self._inotify.read()
                if events is None:
                    return
                self._handle(events)
        except Exception:  # an unwatched camera must be said, not kill the daemon
            log.exception("camera watcher failed: calls on camera are no longer seen")

    def _handle(self, events: list[Event]) -> None:
        look = False
        for event in events:
            if event.wd in self._nodes and event.mask & IN_OPEN:
                self._set(True)
            elif event.mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_Q_OVERFLOW):
                look = True
            elif event.mask & (IN_CREATE | IN_ATTRIB) and _VIDEO.match(event.name):
                self._watch_nodes()
                look = True
            elif event.mask & IN_DELETE and _VIDEO.match(event.name):
                gone = os.path.join(self._dir, event.name)
                self._nodes = {wd: n for wd, n in self._nodes.items() if n != gone}
                look = True
        if look:
            self._look()


__all__ = ["DEVICE_DIR", "CameraWatcher", "InotifyUnavailable", "open_by_anyone", "video_devices"]
