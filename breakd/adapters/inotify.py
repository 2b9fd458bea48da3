"""A small inotify wrapper (ctypes, Linux): file events without polling, for the config
watcher (a saved config file) and the camera watcher (video devices opened and closed).

``Inotify`` owns one inotify file descriptor; ``read`` blocks until events arrive or
``interrupt`` is called (a self-pipe, so a watcher thread can be stopped at once). No
timeout anywhere: the thread sleeps until the kernel has news.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import struct
from collections.abc import Iterator
from dataclasses import dataclass

IN_OPEN = 0x00000020
IN_CLOSE_WRITE = 0x00000008
IN_CLOSE_NOWRITE = 0x00000010
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_ATTRIB = 0x00000004
IN_IGNORED = 0x00008000  # the watch went (its file was deleted)
IN_Q_OVERFLOW = 0x00004000
IN_CLOEXEC = 0o2000000
IN_NONBLOCK = 0o4000
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


class InotifyUnavailable(OSError):
    """No inotify here (not Linux, no libc, or out of instances)."""


@dataclass(frozen=True)
class Event:
    wd: int
    mask: int
    name: str  # for a directory's watch: the file inside it; else ""


def _libc() -> ctypes.CDLL:
    name = ctypes.util.find_library("c")
    if name is None:
        raise InotifyUnavailable("no C library found")
    libc = ctypes.CDLL(name, use_errno=True)
    if not hasattr(libc, "inotify_init1"):
        raise InotifyUnavailable("this C library has no inotify")
    return libc


class Inotify:
    def __init__(self) -> None:
        self._libc = _libc()
        fd = self._libc.inotify_init1(IN_CLOEXEC | IN_NONBLOCK)
        if fd < 0:
            errno = ctypes.get_errno()
            raise InotifyUnavailable(errno, f"inotify_init1: {os.strerror(errno)}")
        self._fd = fd
        self._wake_r, self._wake_w = os.pipe()

    def add_watch(self, path: str, mask: int) -> int:
        wd = self._libc.inotify_add_watch(self._fd, os.fsencode(path), ctypes.c_uint32(mask))
        if wd < 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"inotify_add_watch {path}: {os.strerror(errno)}")
        return int(wd)

    def read(self) -> list[Event] | None:
        """The events that arrived (blocks until some do); None once interrupted."""
        ready, _, _ = select.select([self._fd, self._wake_r], [], [])
        if self._wake_r in ready:
            return None
        try:
            data = os.read(self._fd, 64 * 1024)
        except BlockingIOError:
            return []
        return list(_events(data))

    def interrupt(self) -> None:
        os.write(self._wake_w, b"x")

    def close(self) -> None:
        for fd in (self._fd, self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)


def _events(data: bytes) -> Iterator[Event]:
    offset = 0
    while offset + _EVENT.size <= len(data):
        wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
        offset += _EVENT.size
        name = data[offset : offset + length].split(b"\0", 1)[0]
        offset += length
        yield Event(wd, mask, os.fsdecode(name))


class FileWaiter:
    """Waits, without a timer, for a file to appear at ``path`` (created or moved there), also
    when its directory does not exist yet: then the directory's creation is watched in its
    parent, one level up. The watches are set up when it is made, so whoever makes it can look
    once more for the file afterwards without missing its creation in between.

    Raises ``OSError`` (``InotifyUnavailable`` among them) when there is nothing to watch."""

    _MASK = IN_CREATE | IN_MOVED_TO

    def __init__(self, path: str) -> None:
        self._directory, self._name = os.path.split(path)
        self._inotify = Inotify()
        try:
            self._in_directory = self._watch_directory()
        except OSError:
            self._inotify.close()
            raise

    def _watch_directory(self) -> bool:
        """Watch the file's directory (True), or its parent for the directory (False)."""
        try:
            self._inotify.add_watch(self._directory, self._MASK)
            return True
        except FileNotFoundError:
            self._inotify.add_watch(os.path.dirname(self._directory), self._MASK)
            return False

    def wait(self) -> bool:
        """True once the file has appeared; False when interrupted."""
        directory = os.path.basename(self._directory)
        while True:
            events = self._inotify.read()
            if events is None:
                return False
            for event in events:
                if self._in_directory and event.name == self._name:
                    return True
                if not self._in_directory and event.name == directory:
                    self._in_directory = self._watch_directory()
                    if os.path.exists(os.path.join(self._directory, self._name)):
                        return True  # made with the directory, before the watch
            if any(e.mask & IN_Q_OVERFLOW for e in events):
                return True  # events were lost: look

    def interrupt(self) -> None:
        self._inotify.interrupt()

    def close(self) -> None:
        self._inotify.close()
