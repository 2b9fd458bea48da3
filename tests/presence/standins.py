"""Stand-in D-Bus services with the real interfaces, driven by the test.

* ``FakeMutter`` serves ``org.gnome.Mutter.IdleMonitor`` with a fake idle time: ``advance``
  moves it on and fires idle watches whose interval it reaches (once per idle period, like
  Mutter), ``touch`` is input: idle time 0, every user-active watch fires and is removed
  (one-shot, like Mutter).
* ``FakeScreenSaver`` serves ``org.freedesktop.ScreenSaver``: ``GetSessionIdleTime`` in whole
  seconds since the last ``touch`` (by the clock it is given: the test's, shared with the
  source), ``GetActive``, and ``lock`` emits ``ActiveChanged``.

Both count the calls they get (with the time of each, see ``tests.dbus_standin``), so tests
can prove there is no polling.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from jeepney import DBusAddress, Message
from jeepney.wrappers import new_error, new_method_return

from breakd.adapters.dbus_link import PROPERTIES
from breakd.adapters.presence import mutter, screensaver
from tests.dbus_standin import StandInService


@dataclass
class _Watch:
    interval_ms: int | None  # None: a user-active watch
    fired: bool = False  # an idle watch fires once per idle period


@dataclass
class FakeMutter(StandInService):
    name: str = mutter.BUS_NAME
    idle_ms: int = 0
    inhibited: bool = False  # like Mutter while an app inhibits idle: idle watches never fire
    watches: dict[int, _Watch] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def answer(self, member: str, msg: Message) -> Message:
        if member == "GetIdletime":
            return new_method_return(msg, "t", (self.idle_ms,))
        if member == "AddIdleWatch":
            (interval,) = msg.body
            # Like Mutter: a watch added in mid-idle waits for the next idle period.
            return self._add(msg, _Watch(interval, fired=self.idle_ms >= interval))
        if member == "AddUserActiveWatch":
            return self._add(msg, _Watch(None))
        if member == "RemoveWatch":
            self.watches.pop(msg.body[0], None)
            return new_method_return(msg)
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")

    def _add(self, msg: Message, watch: _Watch) -> Message:
        watch_id = next(self._ids)
        self.watches[watch_id] = watch
        return new_method_return(msg, "u", (watch_id,))

    def advance(self, seconds: float) -> None:
        """No input for ``seconds`` more: idle watches whose interval is reached fire."""
        with self.lock:
            self.idle_ms += round(seconds * 1000)
            due = [
                wid
                for wid, w in self.watches.items()
                if w.interval_ms is not None and not w.fired and self.idle_ms >= w.interval_ms
            ]
            if self.inhibited:
                due = []
            for wid in due:
                self.watches[wid].fired = True
        for wid in due:
            self._fire(wid)

    def touch(self) -> None:
        """Input: idle time 0; user-active watches fire once and are gone."""
        with self.lock:
            self.idle_ms = 0
            active = [wid for wid, w in self.watches.items() if w.interval_ms is None]
            for wid in active:
                del self.watches[wid]
            for w in self.watches.values():
                w.fired = False
        for wid in active:
            self._fire(wid)

    def _fire(self, watch_id: int) -> None:
        self.emit(mutter.MONITOR, "WatchFired", "u", watch_id)


@dataclass
class FakeSessionManager(StandInService):
    """``org.gnome.SessionManager`` with just ``InhibitedActions`` (and its change signal)."""

    name: str = mutter.SESSION_NAME
    inhibited_actions: int = 0

    def answer(self, member: str, msg: Message) -> Message:
        if member == "Get" and tuple(msg.body) == (mutter.SESSION_NAME, "InhibitedActions"):
            return new_method_return(msg, "v", (("u", self.inhibited_actions),))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")

    def inhibit(self, flags: int) -> None:
        with self.lock:
            self.inhibited_actions = flags
        emitter = DBusAddress(mutter.SESSION_PATH, interface=PROPERTIES)
        changed = {"InhibitedActions": ("u", flags)}
        self.emit(emitter, "PropertiesChanged", "sa{sv}as", mutter.SESSION_NAME, changed, [])


@dataclass
class FakeScreenSaver(StandInService):
    name: str = screensaver.BUS_NAME
    now: Callable[[], float] = time.monotonic
    last_touch: float | None = None  # None: at creation
    locked: bool = False
    checks: list[float] = field(default_factory=list)  # when GetSessionIdleTime was asked

    def __post_init__(self) -> None:
        if self.last_touch is None:
            self.last_touch = self.now()

    def answer(self, member: str, msg: Message) -> Message:
        if member == "GetSessionIdleTime":
            now = self.now()
            self.checks.append(now)
            assert self.last_touch is not None
            return new_method_return(msg, "u", (int(now - self.last_touch),))
        if member == "GetActive":
            return new_method_return(msg, "b", (self.locked,))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")

    def set_idle(self, seconds: float) -> None:
        with self.lock:
            self.last_touch = self.now() - seconds

    def touch(self) -> None:
        self.set_idle(0.0)

    def lock_screen(self, locked: bool) -> None:
        with self.lock:
            self.locked = locked
        self.emit(screensaver.SCREENSAVER, "ActiveChanged", "b", locked)

    def idle_checks(self, since: float = 0.0) -> list[float]:
        """When GetSessionIdleTime was called (by ``now``), from ``since`` on."""
        with self.lock:
            return [t for t in self.checks if t >= since]
