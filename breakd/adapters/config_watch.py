"""Reload when the config file changes: inotify on its directory, through ctypes.

Owns: one inotify descriptor watching the config file's directory (editors replace a file by
renaming a new one over it, which a watch on the file itself would lose), and ONE thread that
blocks in ``select`` on it and on a stop pipe, and calls ``on_change`` once per batch of
events that name the file: saved (close after writing), renamed over or created.

Must not: poll (no timeout anywhere: the thread sleeps until the kernel has news), read or
judge the file (``on_change`` asks the daemon to reload, which validates it and keeps the
running config when it is wrong), or raise out of ``start``/``stop``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import select
import struct
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("breakd.config")

IN_CLOSE_WRITE = 0x00000008
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_CLOEXEC = 0o2000000
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def changed_names(data: bytes) -> set[str]:
    """The file names a buffer of inotify events is about."""
    names: set[str] = set()
    offset = 0
    while offset + _EVENT.size <= len(data):
        _wd, _mask, _cookie, length = _EVENT.unpack_from(data, offset)
        start = offset + _EVENT.size
        names.add(data[start : start + length].rstrip(b"\0").decode(errors="replace"))
        offset = start + length
    return names


class ConfigWatcher:
    """Calls ``on_change()`` (on its own thread) each time ``path`` is written or replaced."""

    def __init__(self, path: Path, on_change: Callable[[], None]) -> None:
        self._path = path
        self._on_change = on_change
        self._fd: int | None = None
        self._stop_r, self._stop_w = -1, -1
        self.thread: threading.Thread | None = None

    def start(self) -> bool:
        """Begin watching; False (logged) where inotify is not available."""
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)  # so a file made later is seen
            libc = _libc()
            fd = libc.inotify_init1(IN_CLOEXEC)
            if fd < 0:
                raise OSError(ctypes.get_errno(), "inotify_init1")
            mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE
            if libc.inotify_add_watch(fd, os.fsencode(self._path.parent), mask) < 0:
                errno = ctypes.get_errno()
                os.close(fd)
                raise OSError(errno, os.strerror(errno))
        except (OSError, AttributeError) as exc:  # AttributeError: a libc without inotify
            log.info("not watching %s for changes (breakd reload applies it): %s", self._path, exc)
            return False
        self._fd = fd
        self._stop_r, self._stop_w = os.pipe()
        self.thread = threading.Thread(target=self._run, name="breakd-config-watch", daemon=True)
        self.thread.start()
        log.debug("watching %s: a saved change is applied", self._path)
        return True

    def stop(self) -> None:
        if self.thread is None:
            return
        os.write(self._stop_w, b"x")
        self.thread.join(5.0)
        for fd in (self._fd, self._stop_r, self._stop_w):
            if fd is not None and fd >= 0:
                os.close(fd)
        self.thread = None

    def _run(self) -> None:
        assert self._fd is not None
        while True:
            ready, _, _ = select.select([self._fd, self._stop_r], [], [])  # no timeout
            if self._stop_r in ready:
                return
            try:
                data = os.read(self._fd, 64 * 1024)
            except OSError as exc:
                log.warning("stopped watching %s: %s", self._path, exc)
                return
            if self._path.name in changed_names(data):
                log.info("%s changed: reloading", self._path)
                try:
                    self._on_change()
                except Exception:
                    log.exception("reloading after a config change failed")
