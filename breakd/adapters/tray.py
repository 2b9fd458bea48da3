"""The tray icon: a StatusNotifierItem with a com.canonical.dbusmenu menu, over jeepney.

Owns: one ``DBusLink`` (its listener thread answers the host's calls: properties, the menu
layout, clicks), the item's registration with ``org.kde.StatusNotifierWatcher`` (at start
and each time the watcher's name gains an owner: a tray host started later, or restarted),
the current ``TrayView`` and menu in the user's language (``configure`` gives a new
translator on a reload), the signals that tell the host they changed, and getting back on
the bus when the connection itself is lost.

A lost connection (the session bus restarted, or our socket broken) is said once, as a
warning; then one short-lived thread connects again after ``reconnect_first`` seconds and
ever slower (doubling, at most ``reconnect_max``), as the desktop-state watcher does: there
is no signal to wait for when the bus itself is gone. Once connected, the item registers
again with whatever watcher is there (or with the next one, through NameOwnerChanged).
Stopping the tray closes the connection, and with it the item: a host drops the items of a
name that leaves the bus (there is no Unregister in the protocol).

Must not: poll (the daemon pushes each new status through ``show``; the icon and tooltip name
clock times, so nothing counts down; the reconnect thread exists only while the bus is
lost), decide anything (a click becomes the same control request the command line sends,
through the daemon's ``handle``), call ``handle`` or anything slow on the listener thread
(clicks run on a short-lived thread, as notification buttons do), log "no tray host" more
than once, or raise out of ``start``/``show``/``configure``/``stop``.

No GTK, Qt or GLib: the Item and dbusmenu protocols are a few properties, methods and signals.
The icons are SVG files in ``breakd/data`` (``breakd-<state>.svg``), found by hosts through
``IconThemePath`` + ``IconName`` (KDE, GNOME's AppIndicator extension, waybar).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call, new_signal
from jeepney.wrappers import DBusErrorResponse, new_error, new_method_return

from breakd.adapters.dbus_link import (
    PROPERTIES,
    BusError,
    DBusLink,
    Signal,
    lost_owner,
    name_owner_rule,
    owner_changed,
)
from breakd.adapters.tray_view import (
    LAYOUT,
    STOPPED,
    MenuItem,
    TrayView,
    all_items,
    find_item,
    layout,
    menu_for,
    tray_view,
)
from breakd.control.protocol import Reply, Request
from breakd.core.words import ENGLISH, Translator

log = logging.getLogger("breakd.tray")

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_ADDRESS = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
ITEM = "org.kde.StatusNotifierItem"
ITEM_PATH = "/StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
MENU_PATH = "/MenuBar"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
UNKNOWN_PROPERTY = "org.freedesktop.DBus.Error.UnknownProperty"
SERVICE_UNKNOWN = "org.freedesktop.DBus.Error.ServiceUnknown"

Handle = Callable[[Request], Reply]
RECONNECT_FIRST = 1.0  # seconds after losing the bus before connecting again; doubles
RECONNECT_MAX = 60.0
# Item methods with nothing to do: the menu is ours (ItemIsMenu), scrolling means nothing.
_ITEM_NOTHING_TO_DO = frozenset(
    {"ContextMenu", "SecondaryActivate", "Scroll", "ProvideXdgActivationToken"}
)


def icon_dir() -> str:
    """Where the tray icons are (the host's ``IconThemePath``)."""
    return str(resources.files("breakd") / "data")


# --- local actions: what a menu item does besides a control request ------------------------


class Actions:
    """The menu's local actions: a page, the settings file, a check-in. Each runs the same
    command line a user would type, in a child process, so the daemon's memory does not grow
    by the report's charts or the store's check-in code. ``run`` and ``open_path`` are
    replaceable for tests."""

    def __init__(
        self,
        *,
        run: Callable[[Sequence[str]], int] | None = None,
        open_path: Callable[[Path, str | None], bool] | None = None,
        env: Mapping[str, str] = os.environ,
        config_path: str | None = None,
    ) -> None:
        self._run = run or _run_quietly
        self._open = open_path or _open_in_desktop
        self._env = env
        self._config_path = config_path  # the daemon's --config, if it was given one

    def breakd(self, *args: str) -> int:
        return self._run([sys.executable, "-m", "breakd", *args])

    def report(self) -> None:
        from breakd.store.sqlite import state_dir

        target = state_dir(self._env) / "report.html"
        if self.breakd("report", "--out", str(target)) == 0:
            self._open(target, None)

    def guide(self, anchor: str | None = None) -> None:
        from breakd.store.sqlite import state_dir

        target = state_dir(self._env) / "guide.html"
        if self.breakd("guide", "--out", str(target)) == 0:
            self._open(target, anchor)

    def settings(self) -> None:
        """The file the daemon reads, in the desktop's editor (saving it applies it)."""
        if self._config_path is not None:
            path: Path | None = Path(self._config_path)
        else:
            path = ensure_user_config(self._env)
        if path is not None:
            self._open(path, None)

    def checkin(self, score: int) -> None:
        self.breakd("checkin", str(score))


def ensure_user_config(env: Mapping[str, str] = os.environ) -> Path | None:
    """The user's config file, written from the commented default first if there is none."""
    from breakd.config.load import user_config_path

    path = user_config_path(env)
    if os.path.lexists(path):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        default = resources.files("breakd") / "data" / "breakd.toml"
        path.write_text(default.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        log.warning("cannot write %s: %s", path, exc)
        return None
    log.info("wrote the default config to %s (every key commented)", path)
    return path


def _run_quietly(argv: Sequence[str]) -> int:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tray: %s failed: %s", " ".join(argv[2:]), exc)
        return 1
    said = (done.stdout + done.stderr).strip().replace("\n", " / ")
    log.info("tray: %s: %s", " ".join(argv[2:]), said or f"exit {done.returncode}")
    return done.returncode


def _open_in_desktop(path: Path, anchor: str | None) -> bool:
    """A page in the browser (``open_page``), anything else with the desktop's opener."""
    if path.suffix == ".html":
        from breakd.adapters.browser import open_page

        return open_page(path, anchor)
    opener = shutil.which("xdg-open")
    if opener is None:
        log.warning("cannot open %s: xdg-open is not installed", path)
        return False
    subprocess.Popen([opener, str(path)], start_new_session=True)
    return True


# --- the item -----------------------------------------------------------------------------


class TrayIcon:
    """The StatusNotifierItem. ``show(status)`` takes each status the daemon publishes."""

    def __init__(
        self,
        handle: Handle,
        *,
        version: str,
        bus_address: str | None = None,
        actions: Actions | None = None,
        insist: bool = False,
        tr: Translator = ENGLISH,
        clock: Callable[[], float] = time.time,
        reconnect_first: float = RECONNECT_FIRST,
        reconnect_max: float = RECONNECT_MAX,
    ) -> None:
        self._handle = handle
        self._version = version
        self._address = bus_address
        self._actions = actions or Actions()
        self._insist = insist  # [tray] enabled = true: a missing host is worth a warning
        self._tr = tr
        self._clock = clock
        self._reconnect_first, self._reconnect_max = reconnect_first, reconnect_max
        self._lock = threading.Lock()
        self._view = STOPPED
        self._menu = menu_for(STOPPED, version)
        self._revision = 1
        self._status: Mapping[str, Any] | None = None  # the last one shown, for a new language
        self._link: DBusLink | None = None
        self._generation = 0  # which link is the current one (a lost old one says nothing)
        self._stopped = threading.Event()  # set by stop: ends a reconnect's wait at once
        self._said_no_host = False
        self.registered_with: str | None = None  # the watcher's unique name, once registered

    # --- the daemon's side -------------------------------------------------------------------

    def start(self) -> bool:
        """Connect; False when there is no bus. The item registers with the first ``show``:
        a host reads the real state at once, not a placeholder it may never read again
        (waybar misses a NewIcon that comes while it sets the item up)."""
        try:
            self._link = self._connect()
        except (BusError, DBusErrorResponse) as exc:
            log.warning("no tray icon: %s", exc)
            return False
        return True

    def stop(self) -> None:
        """Leave the bus (the host drops the item); a reconnect in progress ends too."""
        self._stopped.set()  # before taking the link: a reconnect sees one or the other
        with self._lock:
            link, self._link = self._link, None
            self._generation += 1  # its "connection closed" is ours, not a loss
        if link is not None:
            link.close()

    def configure(self, *, insist: bool, tr: Translator) -> None:
        """A reload: whether a missing host is worth a warning, and the words to use (a new
        language re-words the tooltip and the menu at once)."""
        with self._lock:
            self._insist, self._tr = insist, tr
            status = self._status
        if status is not None:
            self.show(status)

    def show(self, status: Mapping[str, Any]) -> None:
        """A new status: say what changed (icon, tooltip, menu) to the host, if anything."""
        with self._lock:
            self._status, tr = status, self._tr
        view = tray_view(status, self._clock(), tr)
        with self._lock:
            if view == self._view:
                return
            old, self._view = self._view, view
            first = old is STOPPED
            menu = menu_for(view, self._version, tr)
            menu_changed = menu != self._menu
            if menu_changed:
                self._menu = menu
                self._revision += 1
            revision = self._revision
        signals: list[Message] = []
        if view.icon != old.icon:
            signals += [self._item_signal("NewIcon"), self._item_signal("NewAttentionIcon")]
        if view.attention != old.attention:
            signals.append(self._item_signal("NewStatus", "s", _item_status(view)))
        if view.tooltip != old.tooltip:
            signals.append(self._item_signal("NewToolTip"))
        if menu_changed:
            emitter = DBusAddress(MENU_PATH, interface=MENU)
            signals.append(new_signal(emitter, "LayoutUpdated", "ui", (revision, 0)))
        if first:
            self._register_soon()
            return
        self._send(signals)

    # --- the connection ----------------------------------------------------------------------

    def _connect(self) -> DBusLink:
        with self._lock:
            self._generation += 1  # before opening: a link lost at once is still ours
            generation = self._generation
        return DBusLink.open(
            self._address,
            self._on_signal,
            thread_name="breakd-tray-bus",
            rules=[name_owner_rule(WATCHER)],
            on_call=self._on_call,
            on_lost=lambda why: self._on_lost(generation, why),
        )

    def _on_lost(self, generation: int, why: str) -> None:
        """The listener thread's last word: the connection ended. Ours (``stop``, or an old
        link) says nothing; a loss is said once and a reconnect thread takes over."""
        with self._lock:
            if generation != self._generation or self._stopped.is_set():
                return
            link, self._link = self._link, None
        if link is not None:
            link.close()  # its listener (this thread) is ending; this closes the socket
        self.registered_with = None
        log.warning(
            "the tray icon lost the session bus (%s); it comes back when the bus answers", why
        )
        threading.Thread(target=self._reconnect, name="breakd-tray-reconnect", daemon=True).start()

    def _reconnect(self) -> None:
        """Connect again after a wait that doubles with each failure; then register anew."""
        delay = self._reconnect_first
        while not self._stopped.wait(delay):
            try:
                link = self._connect()
            except (BusError, DBusErrorResponse) as exc:
                delay = min(delay * 2, self._reconnect_max)
                log.debug("tray: session bus unreachable (%s); next try in %.1f s", exc, delay)
                continue
            with self._lock:
                stopped = self._stopped.is_set()
                if not stopped:
                    self._link = link
                shown = self._view is not STOPPED
            if stopped:  # stop() ran meanwhile and did not see this link
                link.close()
                return
            log.info("the tray icon is back on the session bus")
            if shown:  # else the first show registers
                self._register()
            return

    # --- registering -------------------------------------------------------------------------

    def _register_soon(self) -> None:
        # Not on the caller's thread (the daemon's start, or the listener: a call's reply
        # can only come through the listener).
        threading.Thread(target=self._register, name="breakd-tray-register", daemon=True).start()

    def _register(self) -> None:
        link = self._link
        if link is None:
            return
        register = new_method_call(
            WATCHER_ADDRESS, "RegisterStatusNotifierItem", "s", (link.unique_name,)
        )
        try:
            reply = link.call_raw(register)
            if reply.header.message_type is MessageType.error:
                raise DBusErrorResponse(reply)
        except DBusErrorResponse as exc:
            if exc.name == SERVICE_UNKNOWN:
                self._no_host(f"nobody owns {WATCHER}")
            else:
                log.warning("tray icon not registered: %s %s", exc.name, exc.data[:1])
            return
        except BusError as exc:
            log.warning("tray icon not registered: %s", exc)
            return
        self.registered_with = str(reply.header.fields.get(HeaderFields.sender, ""))
        self._said_no_host = False  # a host that goes away later is worth a line again
        log.info("tray icon registered with the tray host (%s)", self.registered_with)

    def _no_host(self, why: str) -> None:
        if self._said_no_host:
            return
        self._said_no_host = True
        log_at = log.warning if self._insist else log.info
        log_at(
            "no tray host (%s): the tray icon appears when one starts "
            "(on GNOME: the AppIndicator extension)",
            why,
        )

    # --- the listener thread -------------------------------------------------------------------

    def _on_signal(self, signal: Signal) -> None:
        if not owner_changed(signal, WATCHER):
            return
        if lost_owner(signal, WATCHER):
            self.registered_with = None
            log.info("the tray host left; the tray icon comes back when one starts")
            return
        with self._lock:
            shown = self._view is not STOPPED
        if shown:  # else the first show registers
            self._register_soon()  # a watcher appeared (or was replaced): register with it

    def _on_call(self, msg: Message) -> None:
        fields = msg.header.fields
        path = str(fields.get(HeaderFields.path, ""))
        interface = str(fields.get(HeaderFields.interface, ""))
        member = str(fields.get(HeaderFields.member, ""))
        try:
            reply = self._answer(msg, path, interface, member)
        except _CallError as exc:
            reply = new_error(msg, exc.name, "s", (exc.text,))
        if reply is not None:
            self._send([reply])

    def _answer(self, msg: Message, path: str, interface: str, member: str) -> Message | None:
        if path not in (ITEM_PATH, MENU_PATH):
            raise _CallError(UNKNOWN_METHOD, f"no object at {path}")
        if interface == INTROSPECTABLE and member == "Introspect":
            return new_method_return(msg, "s", (_INTROSPECTION[path],))
        if interface == PROPERTIES:
            return self._properties_call(msg, path, member)
        if path == ITEM_PATH and interface in (ITEM, ""):
            return self._item_call(msg, member)
        if path == MENU_PATH and interface in (MENU, ""):
            return self._menu_call(msg, member)
        raise _CallError(UNKNOWN_METHOD, f"no method {interface}.{member} at {path}")

    def _properties_call(self, msg: Message, path: str, member: str) -> Message:
        props = self._item_properties() if path == ITEM_PATH else self._menu_properties()
        if member == "GetAll":
            return new_method_return(msg, "a{sv}", (props,))
        if member == "Get":
            _interface, name = msg.body
            if name not in props:
                raise _CallError(UNKNOWN_PROPERTY, f"no property {name}")
            return new_method_return(msg, "v", (props[name],))
        if member == "Set":
            raise _CallError("org.freedesktop.DBus.Error.PropertyReadOnly", "read-only")
        raise _CallError(UNKNOWN_METHOD, f"no method Properties.{member}")

    def _item_call(self, msg: Message, member: str) -> Message:
        if member == "Activate":
            # Hosts that honour ItemIsMenu show the menu on a left click instead; the few
            # that call Activate anyway get today's report: it changes nothing.
            self._later("report", self._actions.report)
        elif member not in _ITEM_NOTHING_TO_DO:
            raise _CallError(UNKNOWN_METHOD, f"no method {ITEM}.{member}")
        return new_method_return(msg)

    def _menu_call(self, msg: Message, member: str) -> Message:
        with self._lock:
            menu, revision = self._menu, self._revision
        if member == "GetLayout":
            parent, depth, names = msg.body
            item = find_item(menu, int(parent))
            if item is None:
                raise _CallError("org.freedesktop.DBus.Error.InvalidArgs", f"no item {parent}")
            found = layout(item, int(depth), frozenset(names))
            return new_method_return(msg, f"u{LAYOUT}", (revision, found))
        if member == "GetGroupProperties":
            ids, names = msg.body
            wanted = frozenset(names)
            rows = [
                (i.id, {k: v for k, v in i.properties().items() if not wanted or k in wanted})
                for i in all_items(menu)
                if not ids or i.id in ids
            ]
            return new_method_return(msg, "a(ia{sv})", (rows,))
        if member == "GetProperty":
            item_id, name = msg.body
            item = find_item(menu, int(item_id))
            props = {} if item is None else item.properties()
            if name not in props:
                raise _CallError(UNKNOWN_PROPERTY, f"item {item_id} has no {name}")
            return new_method_return(msg, "v", (props[name],))
        if member == "Event":
            item_id, event, _data, _timestamp = msg.body
            if event == "clicked":
                self._clicked(menu, int(item_id))
            return new_method_return(msg)
        if member == "EventGroup":
            (events,) = msg.body
            for item_id, event, _data, _timestamp in events:
                if event == "clicked":
                    self._clicked(menu, int(item_id))
            return new_method_return(msg, "ai", ([],))
        if member == "AboutToShow":
            return new_method_return(msg, "b", (False,))
        if member == "AboutToShowGroup":
            return new_method_return(msg, "aiai", ([], []))
        raise _CallError(UNKNOWN_METHOD, f"no method {MENU}.{member}")

    # --- clicks (each on its own short-lived thread) ------------------------------------------

    def _clicked(self, menu: MenuItem, item_id: int) -> None:
        item = find_item(menu, item_id)
        if item is None or not item.visible or not item.enabled:
            return  # a stale menu on screen: a hidden item does nothing
        if item.request is not None:
            request = item.request
            self._later(item.label, lambda: self._request(request))
        elif item.local == "checkin" and item.score is not None:
            score = item.score
            self._later(item.label, lambda: self._actions.checkin(score))
        elif item.local == "report":
            self._later(item.label, self._actions.report)
        elif item.local == "settings":
            self._later(item.label, self._actions.settings)
        elif item.local == "warning-signs":
            self._later(item.label, lambda: self._actions.guide("warning"))
        elif item.local == "guide":
            self._later(item.label, lambda: self._actions.guide("about"))

    def _request(self, request: Request) -> None:
        reply = self._handle(request)
        if reply.ok:
            message = reply.result.get("message") if isinstance(reply.result, dict) else None
            log.info("tray: %s", message or request.cmd)
        else:
            log.warning("tray: %s refused: %s", request.cmd, reply.error)

    def _later(self, what: str, work: Callable[[], object]) -> None:
        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("tray: %r failed", what)

        threading.Thread(target=run, name="breakd-tray-click", daemon=True).start()

    # --- what the host reads ------------------------------------------------------------------

    def _item_properties(self) -> dict[str, tuple[str, object]]:
        with self._lock:
            view = self._view
        icon = f"breakd-{view.icon}"
        tooltip: tuple[str, list[object], str, str] = ("", [], "breakd", "\n".join(view.tooltip))
        return {
            "Category": ("s", "ApplicationStatus"),
            "Id": ("s", "breakd"),
            "Title": ("s", "breakd"),  # the program's name: the state is in the tooltip
            "Status": ("s", _item_status(view)),
            "WindowId": ("i", 0),
            "IconThemePath": ("s", icon_dir()),
            "IconName": ("s", icon),
            "IconPixmap": ("a(iiay)", []),
            "OverlayIconName": ("s", ""),
            "OverlayIconPixmap": ("a(iiay)", []),
            "AttentionIconName": ("s", icon),
            "AttentionIconPixmap": ("a(iiay)", []),
            "AttentionMovieName": ("s", ""),
            "ToolTip": ("(sa(iiay)ss)", tooltip),
            "ItemIsMenu": ("b", True),
            "Menu": ("o", MENU_PATH),
        }

    @staticmethod
    def _menu_properties() -> dict[str, tuple[str, object]]:
        return {
            "Version": ("u", 3),
            "TextDirection": ("s", "ltr"),
            "Status": ("s", "normal"),
            "IconThemePath": ("as", [icon_dir()]),
        }

    def _item_signal(self, member: str, signature: str | None = None, *body: object) -> Message:
        return new_signal(DBusAddress(ITEM_PATH, interface=ITEM), member, signature, body)

    def _send(self, messages: list[Message]) -> None:
        link = self._link
        if link is None:
            return
        try:
            for msg in messages:
                link.send(msg)
        except BusError as exc:
            log.debug("tray: not sent: %s", exc)


def _item_status(view: TrayView) -> str:
    return "NeedsAttention" if view.attention else "Active"


class _CallError(Exception):
    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name, self.text = name, text


def start_tray(
    enabled: bool | str,
    handle: Handle,
    *,
    version: str,
    config_path: str | None = None,
    tr: Translator = ENGLISH,
) -> TrayIcon | None:
    """The tray icon for ``[tray] enabled``, started; None when off or there is no bus."""
    if enabled is False or not sys.platform.startswith("linux"):
        return None
    actions = Actions(config_path=config_path)
    tray = TrayIcon(handle, version=version, insist=enabled is True, actions=actions, tr=tr)
    return tray if tray.start() else None


_ITEM_XML = """<node>
 <interface name="org.kde.StatusNotifierItem">
  <property name="Category" type="s" access="read"/>
  <property name="Id" type="s" access="read"/>
  <property name="Title" type="s" access="read"/>
  <property name="Status" type="s" access="read"/>
  <property name="WindowId" type="i" access="read"/>
  <property name="IconThemePath" type="s" access="read"/>
  <property name="IconName" type="s" access="read"/>
  <property name="IconPixmap" type="a(iiay)" access="read"/>
  <property name="OverlayIconName" type="s" access="read"/>
  <property name="OverlayIconPixmap" type="a(iiay)" access="read"/>
  <property name="AttentionIconName" type="s" access="read"/>
  <property name="AttentionIconPixmap" type="a(iiay)" access="read"/>
  <property name="AttentionMovieName" type="s" access="read"/>
  <property name="ToolTip" type="(sa(iiay)ss)" access="read"/>
  <property name="ItemIsMenu" type="b" access="read"/>
  <property name="Menu" type="o" access="read"/>
  <method name="ContextMenu"><arg name="x" type="i"/><arg name="y" type="i"/></method>
  <method name="Activate"><arg name="x" type="i"/><arg name="y" type="i"/></method>
  <method name="SecondaryActivate"><arg name="x" type="i"/><arg name="y" type="i"/></method>
  <method name="Scroll"><arg name="delta" type="i"/><arg name="orientation" type="s"/></method>
  <signal name="NewTitle"/><signal name="NewIcon"/><signal name="NewAttentionIcon"/>
  <signal name="NewOverlayIcon"/><signal name="NewToolTip"/>
  <signal name="NewStatus"><arg name="status" type="s"/></signal>
 </interface>
</node>"""

_MENU_XML = """<node>
 <interface name="com.canonical.dbusmenu">
  <property name="Version" type="u" access="read"/>
  <property name="TextDirection" type="s" access="read"/>
  <property name="Status" type="s" access="read"/>
  <property name="IconThemePath" type="as" access="read"/>
  <method name="GetLayout"><arg type="i" direction="in"/><arg type="i" direction="in"/>
   <arg type="as" direction="in"/><arg type="u" direction="out"/>
   <arg type="(ia{sv}av)" direction="out"/></method>
  <method name="GetGroupProperties"><arg type="ai" direction="in"/><arg type="as" direction="in"/>
   <arg type="a(ia{sv})" direction="out"/></method>
  <method name="GetProperty"><arg type="i" direction="in"/><arg type="s" direction="in"/>
   <arg type="v" direction="out"/></method>
  <method name="Event"><arg type="i" direction="in"/><arg type="s" direction="in"/>
   <arg type="v" direction="in"/><arg type="u" direction="in"/></method>
  <method name="EventGroup"><arg type="a(isvu)" direction="in"/>
   <arg type="ai" direction="out"/></method>
  <method name="AboutToShow"><arg type="i" direction="in"/><arg type="b" direction="out"/></method>
  <method name="AboutToShowGroup"><arg type="ai" direction="in"/><arg type="ai" direction="out"/>
   <arg type="ai" direction="out"/></method>
  <signal name="ItemsPropertiesUpdated"><arg type="a(ia{sv})"/><arg type="a(ias)"/></signal>
  <signal name="LayoutUpdated"><arg type="u"/><arg type="i"/></signal>
  <signal name="ItemActivationRequested"><arg type="i"/><arg type="u"/></signal>
 </interface>
</node>"""

_INTROSPECTION = {ITEM_PATH: _ITEM_XML, MENU_PATH: _MENU_XML}
