"""Presence from GNOME's ``org.gnome.Mutter.IdleMonitor`` (GNOME on Wayland, and on X11).

Owns: one session bus link, one idle watch (``AddIdleWatch(threshold)``: Mutter fires it each
time the idle time reaches the threshold) and at most one user-active watch (one-shot: added
after the idle watch fires, fires on the next input, then is gone until the next idle).

Must not poll: ``GetIdletime`` is called once, in ``start``, to know the initial state.
Everything after that is pushed by Mutter as ``WatchFired(id)``, with one exception: while an
app inhibits idle (a video, a presentation: ``org.gnome.SessionManager``'s
``InhibitedActions`` has the idle flag, pushed by ``PropertiesChanged``), Mutter fires no idle
watch at all, yet a playing video is not activity. Only then, and only while the user counts
as active, ``GetIdletime`` is asked once at the moment the idle time could first reach the
threshold (and again at the next such moment if input came in between).

Timing: ``idle(threshold)`` fires when Mutter's idle time reaches the threshold, i.e. the last
input was ``threshold`` seconds earlier; ``active()`` fires on the first input after that.
"""

from __future__ import annotations

from dataclasses import dataclass

from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus_link import (
    BusError,
    DBusLink,
    Signal,
    changed_property,
    get_property,
    lost_owner,
    name_owner_rule,
    properties_changed_rule,
    unvariant,
)
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

BUS_NAME = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"
MONITOR = DBusAddress(PATH, bus_name=BUS_NAME, interface=BUS_NAME)
SERVICE = "Mutter idle monitor (org.gnome.Mutter.IdleMonitor)"
SESSION_NAME = "org.gnome.SessionManager"
SESSION_PATH = "/org/gnome/SessionManager"
INHIBITED_ACTIONS = "InhibitedActions"  # the session manager's property (flags)
INHIBIT_IDLE = 8  # GsmInhibitorFlag IDLE in InhibitedActions


@dataclass
class _Watches:
    """The watch ids we own on Mutter's side, and the state they imply."""

    idle_id: int
    active_id: int | None = None  # set while idle: the one-shot watch for the way back
    idle: bool = False


class MutterSource:
    name = "mutter"
    counts_input = False

    def __init__(self, bus_address: str | None = None, clock: SourceClock = MONOTONIC) -> None:
        self._address = bus_address
        self._clock = clock
        self._link: DBusLink | None = None
        self._worker: Worker | None = None
        self._listener: PresenceListener | None = None
        self._threshold = 0.0
        self._watches: _Watches | None = None  # touched by start(), then only by the worker
        self._inhibited = False  # an app inhibits idle: Mutter's idle watch is switched off
        self._check_at: float | None = None  # clock time to ask GetIdletime (inhibited)

    def start(self, listener: PresenceListener, idle_threshold: float) -> None:
        self._listener, self._threshold = listener, idle_threshold
        worker = Worker(self.name, self._handle, due=self._until_check, clock=self._clock)
        rules = [
            MatchRule(type="signal", sender=BUS_NAME, path=PATH),
            name_owner_rule(BUS_NAME),
            properties_changed_rule(SESSION_NAME, SESSION_PATH),
        ]
        # Signals queue up until the worker starts: it sees them only after the ids are known.
        link = connect(self._address, rules, worker)
        try:
            self._watches = self._initial_watches(link, listener, idle_threshold)
            self._inhibited = _idle_inhibited(link)
            self._plan_check()
        except BaseException:
            link.close()
            raise
        self._link, self._worker = link, worker
        worker.start()

    def stop(self) -> None:
        worker, link, watches = self._worker, self._link, self._watches
        if worker is not None:
            worker.stop()  # joined: no listener call after this
        self._worker = self._link = None
        if link is None:
            return
        if watches is not None and link.dead is None:
            # Mutter drops a connection's watches when it goes, but say so anyway.
            ids = (
                [watches.idle_id]
                if watches.active_id is None
                else [watches.idle_id, watches.active_id]
            )
            for watch_id in ids:
                try:
                    link.call(new_method_call(MONITOR, "RemoveWatch", "u", (watch_id,)), 1.0)
                except (BusError, DBusErrorResponse):
                    break
        link.close()

    def alive(self) -> bool:
        return running(self._worker, self._link)

    # --- on the caller's thread, in start() ------------------------------------------------

    def _initial_watches(
        self, link: DBusLink, listener: PresenceListener, threshold: float
    ) -> _Watches:
        try:
            # The watch first: an input between the two calls then still fires it later.
            (idle_id,) = link.call(new_method_call(MONITOR, "AddIdleWatch", "t", (_ms(threshold),)))
            (idle_ms,) = link.call(new_method_call(MONITOR, "GetIdletime"))  # the only time
            watches = _Watches(idle_id=int(idle_id))  # type: ignore[call-overload]
            if int(idle_ms) >= _ms(threshold):  # type: ignore[call-overload]
                watches.idle = True
                watches.active_id = self._add_active_watch(link)
                listener.idle(int(idle_ms) / 1000)  # type: ignore[call-overload]
            else:
                listener.active()
            return watches
        except (BusError, DBusErrorResponse, ValueError, TypeError) as exc:
            raise SourceUnavailable(describe(exc, SERVICE)) from None

    # --- on the worker thread ----------------------------------------------------------------

    def _handle(self, item: object | None) -> bool:
        if item is None:  # the wait ran out: time to look at the idle time (inhibited)
            self._check_idle()
            return True
        if isinstance(item, BusLost):
            log.warning("mutter presence source stopped: %s", item.reason)
            return False
        if not isinstance(item, Signal):
            return True
        if lost_owner(item, BUS_NAME):
            log.warning("mutter presence source stopped: %s left the session bus", BUS_NAME)
            return False
        if item.member == "WatchFired" and item.body:
            self._fired(int(item.body[0]))  # type: ignore[call-overload]
        elif item.path == SESSION_PATH:
            flags = unvariant(changed_property(item, SESSION_NAME, INHIBITED_ACTIONS), "u")
            if isinstance(flags, int):
                self._inhibited = bool(flags & INHIBIT_IDLE)
                # When it ends, one look now: Mutter's watch may have missed the crossing.
                self._check_at = self._clock.now() if not self._inhibited else None
                self._plan_check()
        return True

    # --- while an app inhibits idle ----------------------------------------------------------

    def _until_check(self) -> float | None:
        return self._check_at

    def _plan_check(self) -> None:
        """While inhibited and active, look one threshold from now (unless planned already)."""
        watches = self._watches
        if watches is None or watches.idle:
            self._check_at = None
        elif self._inhibited and self._check_at is None:
            self._check_at = self._clock.now() + self._threshold

    def _check_idle(self) -> None:
        watches, link, listener = self._watches, self._link, self._listener
        self._check_at = None
        if watches is None or link is None or listener is None or watches.idle:
            return
        try:
            (idle_ms,) = link.call(new_method_call(MONITOR, "GetIdletime"))
        except (BusError, DBusErrorResponse) as exc:
            log.debug("mutter: GetIdletime failed: %s", exc)
            return
        idle = int(idle_ms) / 1000  # type: ignore[call-overload]
        if idle >= self._threshold:
            watches.idle = True
            listener.idle(idle)
            watches.active_id = self._add_active_watch(link)
        elif self._inhibited:  # input came in between: the next moment it could be reached
            self._check_at = self._clock.now() + self._threshold - idle

    def _fired(self, watch_id: int) -> None:
        watches, link, listener = self._watches, self._link, self._listener
        assert watches is not None and link is not None and listener is not None
        if watch_id == watches.idle_id and not watches.idle:
            watches.idle = True
            listener.idle(self._threshold)
            # One-shot on Mutter's side: a new one for each idle period.
            watches.active_id = self._add_active_watch(link)
        elif watch_id == watches.active_id:
            watches.active_id = None
            watches.idle = False
            listener.active()
            self._plan_check()

    @staticmethod
    def _add_active_watch(link: DBusLink) -> int:
        (active_id,) = link.call(new_method_call(MONITOR, "AddUserActiveWatch"))
        return int(active_id)  # type: ignore[call-overload]


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _idle_inhibited(link: DBusLink) -> bool:
    """Whether an app inhibits idle now (False where there is no GNOME session manager)."""
    read = get_property(SESSION_NAME, SESSION_PATH, SESSION_NAME, INHIBITED_ACTIONS)
    try:
        (value,) = link.call(read)
    except (BusError, DBusErrorResponse):
        return False
    flags = unvariant(value, "u")
    return isinstance(flags, int) and bool(flags & INHIBIT_IDLE)
