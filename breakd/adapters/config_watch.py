"""Reload when the config file changes: inotify on its directory, through ctypes.

Owns: one inotify descriptor (``breakd.adapters.inotify``) watching the config file's
directory (editors replace a file by renaming a new one over it, which a watch on the file
itself would lose), and ONE thread that blocks in ``select`` on it and on a stop pipe, and
calls ``on_change`` once per batch of events that name the file: saved (close after writing),
renamed over or created.

Must not: poll (no timeout anywhere: the thread sleeps until the kernel has news), read or
judge the file (``on_change`` asks the daemon to reload, which validates it and keeps the
running config when it is wrong), or raise out of ``start``/``stop``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from breakd.adapters.inotify import IN_CLOSE_WRITE, IN_CREATE, IN_MOVED_TO, Inotify

log = logging.getLogger("breakd.config")


class ConfigWatcher:
    """Calls ``on_change()`` (on its own thread) each time ``path`` is written or replaced."""

    def __init__(self, path: Path, on_change: Callable[[], None]) -> None:
        self._path = path
        self._on_change = on_change
        self._inotify: Inotify | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> bool:
        """Begin watching; False (logged) where inotify is not available."""
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)  # so a file made later is seen
            inotify = Inotify()
        except OSError as exc:  # InotifyUnavailable too: no inotify in this libc
            log.info("not watching %s for changes (breakd reload applies it): %s", self._path, exc)
            return False
        try:
            inotify.add_watch(str(self._path.parent), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
        except OSError as exc:
            inotify.close()
            log.info("not watching %s for changes (breakd reload applies it): %s", self._path, exc)
            return False
        self._inotify = inotify
        self.thread = threading.Thread(target=self._run, name="breakd-config-watch", daemon=True)
        self.thread.start()
        log.debug("watching %s: a saved change is applied", self._path)
        return True

    def stop(self) -> None:
        if self.thread is None or self._inotify is None:
            return
        self._inotify.interrupt()
        self.thread.join(5.0)
        self._inotify.close()
        self.thread = None

    def _run(self) -> None:
        assert self._inotify is not None
        while True:
            try:
                events = self._inotify.read()
            except OSError as exc:
                log.warning("stopped watching %s: %s", self._path, exc)
                return
            if events is None:
                return
            if self._path.name in {event.name for event in events}:
                log.info("%s changed: reloading", self._path)
                try:
                    self._on_change()
                except Exception:
                    log.exception("reloading after a config change failed")
