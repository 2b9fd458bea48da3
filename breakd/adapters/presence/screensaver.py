"""Presence from ``org.freedesktop.ScreenSaver`` (KDE Plasma): the least polling possible.

This is the one source that has to poll: the interface only answers ``GetSessionIdleTime()``
(seconds since the last input) and pushes nothing but ``ActiveChanged(bool)`` for the screen
lock. So it checks only when an answer can change what breakd knows:

* while active: ONE check, at the moment the idle threshold would be crossed if there had
  been no input since the last known one (``threshold - idle_time`` from the last answer, plus
  a second for the integer rounding). If there was input meanwhile, the answer says when the
  next crossing can be, and it sleeps until then: about one call per threshold while typing.
* while idle: a check after ``Backoff.first`` seconds, then ever slower (times
  ``Backoff.factor``, at most ``Backoff.cap``), only until activity is seen. So ``active()``
  comes up to ``cap`` seconds after the real first input. (KWin's ext-idle-notify pushes that
  at once: the chooser prefers it where both exist.)
* while the screen is locked (``ActiveChanged(true)``): away, and no checks at all until
  ``ActiveChanged(false)`` (unlocking is input: active again).

Owns: a session bus link, the worker thread that sleeps until the next computed check (a
queue wait with a timeout, which a lock signal interrupts), and the state those checks imply.
Must not: check at a fixed rate, or call the listener twice in a row with the same state.
"""

from __future__ import annotations

from dataclasses import dataclass

from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus_link import BusError, DBusLink, Signal, lost_owner, name_owner_rule
from breakd.adapters.presence import PresenceListener, SourceUnavailable
from breakd.adapters.presence._bus import (
    MONOTONIC,
    BusLost,
    SourceClock,
    Worker,
    connect,
    describe,
    log,
    running,
)

BUS_NAME = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"
SCREENSAVER = DBusAddress(PATH, bus_name=BUS_NAME, interface=BUS_NAME)
SERVICE = "screen saver service (org.freedesktop.ScreenSaver)"
# GetSessionIdleTime answers whole seconds: the real idle time may be up to 1 s more.
ROUNDING = 1.0


@dataclass(frozen=True)
class Backoff:
    """How often to look for the user's return while idle (seconds)."""

    first: float = 5.0
    factor: float = 2.0
    cap: float = 30.0


@dataclass
class _State:
    idle: bool = False
    locked: bool = False
    last_input: float = 0.0  # clock time of the last input, as estimated from the answers
    next_check: float | None = None  # clock time; None: nothing to check (locked)
    step: float = 0.0  # the current interval while idle


class ScreenSaverSource:
    name = "screensaver"
    counts_input = False

    def __init__(
        self,
        bus_address: str | None = None,
        backoff: Backoff | None = None,
        clock: SourceClock = MONOTONIC,
    ) -> None:
        self._address = bus_address
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._link: DBusLink | None = None
        self._worker: Worker | None = None
        self._listener: PresenceListener | None = None
        self._threshold = 0.0
        self._state = _State()  # touched by start(), then only by the worker

    def start(self, listener: PresenceListener, idle_threshold: float) -> None:
        self._listener, self._threshold = listener, idle_threshold
        self._state = _State()
        worker = Worker(self.name, self._handle, self._due, self._clock)
        rules = [
            MatchRule(type="signal", sender=BUS_NAME, interface=BUS_NAME, member="ActiveChanged"),
            name_owner_rule(BUS_NAME),
        ]
        link = connect(self._address, rules, worker)
        self._link = link
        try:
            idle_s = self._idle_time()
            self._state.locked = self._locked_now()
        except (BusError, DBusErrorResponse, ValueError, TypeError) as exc:
            link.close()
            self._link = None
            raise SourceUnavailable(describe(exc, SERVICE)) from None
        if self._state.locked:
            self._go_idle(idle_s, check=False)
        else:
            self._seen(idle_s)
            if not self._state.idle:
                listener.active()
        self._worker = worker
        worker.start()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()  # joined: no listener call after this
        if self._link is not None:
            self._link.close()
        self._worker = self._link = None

    def alive(self) -> bool:
        return running(self._worker, self._link)

    # --- the worker thread -----------------------------------------------------------------

    def _due(self) -> float | None:
        return self._state.next_check

    def _handle(self, item: object | None) -> bool:
        if isinstance(item, BusLost):
            log.warning("screensaver presence source stopped: %s", item.reason)
            return False
        if isinstance(item, Signal):
            if lost_owner(item, BUS_NAME):
                log.warning("screensaver presence source stopped: %s left the bus", BUS_NAME)
                return False
            if item.member == "ActiveChanged" and item.body:
                self._lock_changed(bool(item.body[0]))
            return True
        if item is None and not self._state.locked:  # a computed check is due
            try:
                self._seen(self._idle_time())
            except (BusError, DBusErrorResponse) as exc:
                log.warning("screensaver presence source stopped: %s", describe(exc, SERVICE))
                return False
        return True

    def _lock_changed(self, locked: bool) -> None:
        state, listener = self._state, self._listener
        assert listener is not None
        if locked == state.locked:
            return
        state.locked = locked
        if locked:  # away; the lock is pushed, so nothing to check until it is gone
            try:
                idle_s = self._idle_time()
            except (BusError, DBusErrorResponse):
                idle_s = 0.0
            self._go_idle(idle_s, check=False)
            return
        # Unlocking takes typing a password: the user is back, the input was just now.
        now = self._clock.now()
        state.last_input = now
        state.next_check = now + self._threshold + ROUNDING
        if state.idle:
            state.idle = False
            listener.active()

    def _seen(self, idle_s: float) -> None:
        """Take one answer: report what changed and compute when to look next."""
        state, listener = self._state, self._listener
        assert listener is not None
        now = self._clock.now()
        last_input = now - idle_s
        if state.idle:
            # Any input since the idle began moves the last input later (beyond rounding).
            if last_input <= state.last_input + ROUNDING:
                state.step = min(state.step * self._backoff.factor, self._backoff.cap)
                state.next_check = now + state.step
                return
            state.idle = False
            listener.active()
        state.last_input = last_input
        if idle_s >= self._threshold:
            self._go_idle(idle_s, check=True)
        else:
            state.next_check = last_input + self._threshold + ROUNDING

    def _go_idle(self, idle_s: float, *, check: bool) -> None:
        state, listener = self._state, self._listener
        assert listener is not None
        now = self._clock.now()
        state.last_input = now - idle_s
        state.step = self._backoff.first
        state.next_check = now + state.step if check else None
        if not state.idle:
            state.idle = True
            listener.idle(idle_s)

    # --- calls -------------------------------------------------------------------------------

    def _idle_time(self) -> float:
        assert self._link is not None
        (seconds,) = self._link.call(new_method_call(SCREENSAVER, "GetSessionIdleTime"))
        return float(seconds)  # type: ignore[arg-type]

    def _locked_now(self) -> bool:
        assert self._link is not None
        try:
            (active,) = self._link.call(new_method_call(SCREENSAVER, "GetActive"))
        except DBusErrorResponse:  # optional: a service without it has no lock to report
            return False
        return bool(active)
