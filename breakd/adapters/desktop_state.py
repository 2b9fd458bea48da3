"""What the desktop says about interruptions: do-not-disturb, and whether the screen is locked.

Owns: one ``DBusLink`` (its listener thread only queues what arrives) and ONE worker thread
that owns the state: it reads each source once when ``start`` is done, applies each signal,
re-reads a service's sources when its bus name gets a new owner, and calls ``on_dnd(on)`` /
``on_lock(locked)``. All reports come from that worker thread, in bus order, and only when
the combined value changes: the state starts as "no DND, unlocked" (the engine's own start
state), so the current state is reported once at start ONLY when it is True.

Sources (absent ones are simply not watched; each says so in one debug line):

* GNOME's Do Not Disturb: the GSettings key ``org.gnome.desktop.notifications
  show-banners`` (false = on), read with ``gsettings get`` at start and again when dconf
  signals a write under its path (``ca.desrt.dconf.Writer.Notify``);
* dunst's pause (its do-not-disturb): property ``paused`` of ``org.dunstproject.cmd0``;
* KDE's notification inhibition: property ``Inhibited`` of ``org.freedesktop.Notifications``;
  both on ``/org/freedesktop/Notifications``, pushed by ``PropertiesChanged``;
* the screen lock: ``ActiveChanged(b)`` of ``org.freedesktop.ScreenSaver`` (KDE and others)
  and ``org.gnome.ScreenSaver`` (GNOME), read once with ``GetActive``.

DND is on while ANY DND source says so; the screen is locked while ANY lock source says so.
With ``on_dnd_by``, the DND report names the sources that are on (``held_by``: "dunst
do-not-disturb"), so status can say which. ``on_notification_server()`` is called when
``org.freedesktop.Notifications`` gains an owner (NameOwnerChanged, which is watched anyway):
a reminder no server could show can go then, with no polling.
A service that leaves the bus (or a bus that dies) counts as "off": better a reminder too
many than reminders held for good by a service that is gone. A bus that dies, or is not there
yet when ``start`` is called, is connected to once it is: where its address is a socket file
that does not exist, the worker waits for the file to appear (inotify: no wake-ups until it
does); otherwise (an abstract socket, a file left by a bus that died) it tries again after
``reconnect_first`` seconds and then ever slower (doubling, at most ``reconnect_max``), until
the bus answers. Then every source is read anew. Only that back-off waits with a timeout:
while connected the worker blocks until something arrives. With no bus address at all there
is nothing to wait for (the environment does not change): that is logged, and nothing runs.

Must not: poll (property reads happen only at start and after an owner change), call on the
listener thread (a reply can only arrive through it, see ``dbus_link``), raise out of
``start``/``stop``, or decide what DND or a lock means for reminders (that is the engine's).
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from jeepney import DBusAddress, MatchRule, Message, MessageFlag, new_method_call
from jeepney.bus import get_connectable_addresses
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus_link import (
    BusError,
    DBusLink,
    Signal,
    changed_property,
    get_property,
    name_owner_rule,
    owner_changed,
    properties_changed_rule,
    session_bus_address,
    unvariant,
)
from breakd.adapters.inotify import FileWaiter

log = logging.getLogger("breakd.desktop")

Kind = Literal["dnd", "lock"]
NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"


@dataclass(frozen=True)
class Source:
    """One boolean the desktop publishes: a property (``prop``) or a screen saver's state."""

    label: str
    kind: Kind
    bus_name: str
    path: str
    interface: str
    prop: str | None = None  # None: a screen saver (GetActive / ActiveChanged)
    held_by: str = ""  # a DND source in status's words ("dunst do-not-disturb")

    def read_message(self) -> Message:
        """The one call that reads the current value."""
        if self.prop is not None:
            return get_property(self.bus_name, self.path, self.interface, self.prop)
        msg = new_method_call(self._address(self.interface), "GetActive")
        msg.header.flags |= MessageFlag.no_auto_start  # as get_property: never start it
        return msg

    def value_in(self, signal: Signal) -> bool | None:
        """The new value this signal carries for this source, or None if it carries none."""
        if self.prop is None:
            if signal.interface == self.interface and signal.member == "ActiveChanged":
                return bool(signal.body[0]) if signal.body else None
            return None
        return _as_bool(changed_property(signal, self.interface, self.prop))

    def _address(self, interface: str) -> DBusAddress:
        return DBusAddress(self.path, bus_name=self.bus_name, interface=interface)


DUNST_PAUSED = Source(
    "dunst paused",
    "dnd",
    NOTIFICATIONS,
    NOTIFICATIONS_PATH,
    "org.dunstproject.cmd0",
    "paused",
    held_by="dunst do-not-disturb",
)
KDE_INHIBITED = Source(
    "notifications inhibited",
    "dnd",
    NOTIFICATIONS,
    NOTIFICATIONS_PATH,
    NOTIFICATIONS,
    "Inhibited",
    held_by="KDE do-not-disturb",
)
FDO_SCREENSAVER = Source(
    "org.freedesktop.ScreenSaver",
    "lock",
    "org.freedesktop.ScreenSaver",
    "/org/freedesktop/ScreenSaver",
    "org.freedesktop.ScreenSaver",
)
GNOME_SCREENSAVER = Source(
    "org.gnome.ScreenSaver",
    "lock",
    "org.gnome.ScreenSaver",
    "/org/gnome/ScreenSaver",
    "org.gnome.ScreenSaver",
)
SOURCES: tuple[Source, ...] = (DUNST_PAUSED, KDE_INHIBITED, FDO_SCREENSAVER, GNOME_SCREENSAVER)

DCONF_WRITER = "ca.desrt.dconf.Writer"


@dataclass(frozen=True)
class GSettingsFlag:
    """A GSettings boolean that is on while the key has the value ``on_when``.

    GSettings lives in dconf, which has no D-Bus read call (clients read its database file),
    so the value is read with ``gsettings get``; dconf's writer signals each write.
    """

    label: str
    kind: Kind
    schema: str
    key: str
    dconf_path: str
    on_when: bool
    held_by: str = ""

    def read(self, env: Mapping[str, str] | None) -> bool | None:
        """The current value, or None where there is no such setting (not GNOME)."""
        gsettings = shutil.which("gsettings")
        if gsettings is None:
            return None
        try:
            done = subprocess.run(
                [gsettings, "get", self.schema, self.key],
                capture_output=True,
                text=True,
                timeout=5,
                env=None if env is None else dict(env),
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        value = done.stdout.strip()
        if done.returncode != 0 or value not in ("true", "false"):
            return None
        return (value == "true") == self.on_when

    def touched_by(self, signal: Signal) -> bool:
        """Whether this dconf ``Notify(prefix, changes, tag)`` may have changed the key."""
        if signal.interface != DCONF_WRITER or signal.member != "Notify" or not signal.body:
            return False
        prefix = str(signal.body[0])
        changes = signal.body[1] if len(signal.body) > 1 else []
        if not isinstance(changes, list | tuple):
            return False
        for path in [prefix + str(c) for c in changes] or [prefix]:
            # A key written, or a whole directory above it reset.
            if path == self.dconf_path or (path.endswith("/") and self.dconf_path.startswith(path)):
                return True
        return False


GNOME_DND = GSettingsFlag(
    "GNOME do not disturb",
    "dnd",
    "org.gnome.desktop.notifications",
    "show-banners",
    "/org/gnome/desktop/notifications/show-banners",
    on_when=False,
    held_by="GNOME do-not-disturb",
)
FLAGS: tuple[GSettingsFlag, ...] = (GNOME_DND,)


def _socket_file(address: str) -> str | None:
    """The socket file a bus ``address`` names, the one jeepney connects to; None for an
    abstract socket or an address it cannot use."""
    try:
        first = next(get_connectable_addresses(address))
    except (RuntimeError, ValueError, StopIteration):
        return None
    return None if first.startswith("\0") else first


def _as_bool(variant: object) -> bool | None:
    value = unvariant(variant, "b")
    return None if value is None else bool(value)


def _match_rules(sources: tuple[Source, ...], flags: tuple[GSettingsFlag, ...]) -> list[MatchRule]:
    # sender= a well-known name: the bus only passes signals from that name's current owner.
    rules: list[MatchRule] = []
    if flags:  # dconf's writer is started on demand: no sender, it may not be running yet
        rules.append(MatchRule(type="signal", interface=DCONF_WRITER, member="Notify"))
    for name in dict.fromkeys(s.bus_name for s in sources):
        rules.append(name_owner_rule(name))
    for source in sources:
        if source.prop is None:
            rules.append(
                MatchRule(
                    type="signal",
                    sender=source.bus_name,
                    interface=source.interface,
                    member="ActiveChanged",
                )
            )
    for name in dict.fromkeys(s.bus_name for s in sources if s.prop is not None):
        rules.append(properties_changed_rule(name, NOTIFICATIONS_PATH))
    return rules


@dataclass(frozen=True)
class _Reread:
    """Queue item: read the sources of ``bus_name`` (at start, or it has a new owner)."""

    bus_name: str


@dataclass(frozen=True)
class _ReadFlags:
    """Queue item: read the GSettings flags (at start)."""


@dataclass(frozen=True)
class _Gone:
    """Queue item: ``bus_name`` has no owner any more (or, with None, the bus is gone)."""

    bus_name: str | None
    why: str


_STOP = object()
RECONNECT_FIRST = 1.0  # seconds after losing the bus before connecting again; doubles
RECONNECT_MAX = 60.0


class DesktopWatcher:
    """Reports the desktop's do-not-disturb and screen lock: ``on_dnd(on)``, ``on_lock(b)``.

    Both run on the watcher's worker thread (``thread``); they should be quick.
    """

    def __init__(
        self,
        on_dnd: Callable[[bool], None],
        on_lock: Callable[[bool], None],
        bus_address: str | None = None,
        *,
        sources: tuple[Source, ...] = SOURCES,
        flags: tuple[GSettingsFlag, ...] = FLAGS,
        env: Mapping[str, str] | None = None,
        on_dnd_by: Callable[[str | None], None] | None = None,
        on_notification_server: Callable[[], None] | None = None,
        reconnect_first: float = RECONNECT_FIRST,
        reconnect_max: float = RECONNECT_MAX,
    ) -> None:
        self._report = {"dnd": on_dnd, "lock": on_lock}
        self._on_dnd_by = on_dnd_by  # replaces on_dnd when given
        self._on_server = on_notification_server
        self._held_by: str | None = None  # worker thread only
        self._address = bus_address
        self._sources = sources
        self._flags = flags
        self._env = env  # for gsettings; None: this process's
        self._names = tuple(dict.fromkeys(s.bus_name for s in sources))  # each service once
        self._values: dict[Source | GSettingsFlag, bool] = {}  # worker thread only
        self._shown: dict[Kind, bool] = {"dnd": False, "lock": False}  # worker thread only
        self._items: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._link: DBusLink | None = None
        self._stopping = False
        self._reconnect_first, self._reconnect_max = reconnect_first, reconnect_max
        self._reconnect_in: float | None = None  # worker only: None while connected
        self._connected_once = False  # worker only, once started
        # The wait for the bus's socket file (worker), which ``stop`` interrupts: the lock
        # keeps it from interrupting one that is being closed.
        self._waiter: FileWaiter | None = None
        self._waiter_lock = threading.Lock()
        self.thread: threading.Thread | None = None

    # --- the caller's side -------------------------------------------------------------------

    def start(self) -> None:
        """Connect and begin watching (once); logs (never raises) what it cannot watch. A
        bus that is not there yet is connected to once it is (see the module's docstring)."""
        if not session_bus_address(self._address):
            log.warning(
                "not watching do-not-disturb or the screen lock: no session bus "
                "(DBUS_SESSION_BUS_ADDRESS is not set)"
            )
            return
        try:
            self._link = self._connect()
        except (BusError, DBusErrorResponse) as exc:
            log.warning(
                "not watching do-not-disturb or the screen lock until the session bus answers: %s",
                exc,
            )
            self._reconnect_in = self._reconnect_first
        else:
            self._connected_once = True
            self._read_all()
        self.thread = threading.Thread(target=self._run, name="breakd-desktop-state", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop watching; no report comes after this returns."""
        self._stopping = True  # before reading _link: a reconnect in flight sees one or other
        link, thread = self._link, self.thread
        self._link = None
        # _STOP first: the "connection closed" that closing queues is then never handled, so a
        # deliberate stop neither warns nor reports everything off on the way out.
        self._items.put(_STOP)
        with self._waiter_lock:
            if self._waiter is not None:
                self._waiter.interrupt()  # a wait for the bus's socket ends at once
        if link is not None:
            link.close()  # a read in flight fails at once instead of holding the worker
        if thread is not None and thread is not threading.current_thread():
            thread.join(5.0)

    # --- the worker thread -------------------------------------------------------------------

    def _connect(self) -> DBusLink:
        return DBusLink.open(
            self._address,
            self._items.put,
            thread_name="breakd-desktop-bus",
            rules=_match_rules(self._sources, self._flags),
            on_lost=lambda why: self._items.put(_Gone(None, why)),
        )

    def _read_all(self) -> None:
        # The reads go through the queue: they happen on the worker, before any signal that
        # arrives later, so every report keeps bus order.
        for name in self._names:
            self._items.put(_Reread(name))
        self._items.put(_ReadFlags())

    def _run(self) -> None:
        while True:
            if self._reconnect_in is not None and self._items.empty():
                appeared = self._wait_for_socket()
                if self._stopping:
                    return
                if appeared:
                    self._reconnect()
                    continue
            try:
                # No timeout while connected: nothing is polled.
                item = self._items.get(timeout=self._reconnect_in)
            except queue.Empty:
                self._reconnect()
                continue
            if item is _STOP:
                return
            try:
                self._handle(item)
            except Exception:  # a bug costs one item, not the watching
                log.exception("desktop state: error handling %r", item)

    def _wait_for_socket(self) -> bool:
        """While the bus's socket file does not exist: wait until it appears, without a
        timer (True), or until ``stop`` (False). False at once where there is no such file to
        wait for: an abstract socket, something already at the path (a bus that died left
        it, or one not answering yet), no inotify. The back-off timer waits then."""
        path = _socket_file(session_bus_address(self._address))
        if path is None or os.path.lexists(path):
            return False
        try:
            waiter = FileWaiter(path)
        except OSError as exc:  # no such directory or its parent, no inotify
            log.debug("cannot watch for %s: %s", path, exc)
            return False
        with self._waiter_lock:
            self._waiter = waiter
        try:
            if self._stopping:
                return False
            if os.path.lexists(path):  # it came before the watch was set up
                return True
            log.info("no session bus at %s yet: watching for it", path)
            return waiter.wait()
        except OSError as exc:  # the watch failed: the back-off timer instead
            log.debug("stopped watching for %s: %s", path, exc)
            return False
        finally:
            with self._waiter_lock:
                self._waiter = None
                waiter.close()

    def _reconnect(self) -> None:
        """Connect to the bus again (its wait ran out, or its socket appeared); on failure
        wait twice as long."""
        delay = self._reconnect_in or self._reconnect_first
        try:
            link = self._connect()
        except (BusError, DBusErrorResponse) as exc:
            self._reconnect_in = min(delay * 2, self._reconnect_max)
            log.debug("bus unreachable (%s); next try in %.1f s", exc, self._reconnect_in)
            return
        self._link = link
        if self._stopping:  # stop() ran meanwhile and may have missed this link
            link.close()
            return
        self._reconnect_in = None
        if self._connected_once:
            log.info("watching do-not-disturb and the screen lock again")
        else:
            log.info("watching do-not-disturb and the screen lock: the session bus is up")
        self._connected_once = True
        self._read_all()

    def _handle(self, item: object) -> None:
        if isinstance(item, _Reread):
            self._read(item.bus_name)
        elif isinstance(item, _ReadFlags):
            for flag in self._flags:
                self._read_flag(flag, first=True)
        elif isinstance(item, _Gone):
            self._forget(item)
        elif isinstance(item, Signal):
            self._on_signal(item)

    def _on_signal(self, signal: Signal) -> None:
        for name in self._names:
            if owner_changed(signal, name) and len(signal.body) == 3:
                new_owner = signal.body[2]
                item = _Reread(name) if new_owner else _Gone(name, "left the session bus")
                self._handle(item)
                if new_owner and name == NOTIFICATIONS and self._on_server is not None:
                    self._on_server()
                return
        for source in self._sources:
            value = source.value_in(signal)
            if value is not None:
                self._set(source, value)
        for flag in self._flags:
            if flag.touched_by(signal):
                self._read_flag(flag)

    def _read_flag(self, flag: GSettingsFlag, *, first: bool = False) -> None:
        value = flag.read(self._env)
        if value is None:
            if first:
                log.debug("not watching %s: no such setting here", flag.label)
            return
        self._set(flag, value)

    def _read(self, bus_name: str) -> None:
        link = self._link
        if link is None:
            return
        for source in (s for s in self._sources if s.bus_name == bus_name):
            value = self._read_one(link, source)
            if value is not None:
                self._set(source, value)

    def _read_one(self, link: DBusLink, source: Source) -> bool | None:
        try:
            body = link.call(source.read_message())
        except DBusErrorResponse as exc:
            # No such service, interface or property: this desktop has no such source.
            log.debug("not watching %s: %s %s", source.label, exc.name, exc.data[:1])
            self._set(source, False)
            return None
        except BusError as exc:
            log.debug("not watching %s: %s", source.label, exc)
            return None
        return bool(body[0]) if source.prop is None else _as_bool(body[0])

    def _forget(self, gone: _Gone) -> None:
        if gone.bus_name is None:
            log.warning("stopped watching do-not-disturb and the screen lock: %s", gone.why)
        else:
            log.debug("%s %s", gone.bus_name, gone.why)
        for source in self._sources:
            if gone.bus_name is None or source.bus_name == gone.bus_name:
                self._set(source, False)
        if gone.bus_name is None:  # no more dconf signals: the flags cannot be followed
            for flag in self._flags:
                self._set(flag, False)
            self._lost_bus()

    def _lost_bus(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            link.close()  # its listener has ended; this closes the socket
        if not self._stopping:
            self._reconnect_in = self._reconnect_first

    def _set(self, source: Source | GSettingsFlag, value: bool) -> None:
        self._values[source] = value
        combined = any(v for s, v in self._values.items() if s.kind == source.kind)
        if source.kind == "dnd" and self._on_dnd_by is not None:
            self._report_held_by()
            return
        if combined != self._shown[source.kind]:
            self._shown[source.kind] = combined
            what = "do-not-disturb" if source.kind == "dnd" else "screen lock"
            log.info("desktop %s: %s", what, "on" if combined else "off")
            self._report[source.kind](combined)

    def _report_held_by(self) -> None:
        on = [s.held_by or s.label for s, v in self._values.items() if s.kind == "dnd" and v]
        held_by = " and ".join(dict.fromkeys(on)) or None
        if held_by != self._held_by:
            log.info("desktop do-not-disturb: %s", f"on ({held_by})" if held_by else "off")
            self._held_by = held_by
            assert self._on_dnd_by is not None
            self._on_dnd_by(held_by)
