"""The tray icon against a stand-in StatusNotifierWatcher on a private bus, and its view.

The stand-in (tests/dbus_standin.py) owns ``org.kde.StatusNotifierWatcher`` and records each
registration; the test plays the host: it reads the item's and the menu's properties and
sends dbusmenu Events over the bus, as KDE, GNOME's AppIndicator extension or waybar do.
"""

from __future__ import annotations

import logging
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, HeaderFields, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.io.threading import open_dbus_connection as threading_connection
from jeepney.wrappers import new_method_return, unwrap_msg

from breakd.adapters.tray import Actions, TrayIcon, ensure_user_config, icon_dir
from breakd.adapters.tray_view import ICONS, all_items, menu_for, tray_view
from breakd.config.load import ConfigError, config_from_mapping, load
from breakd.control.formats import status_lines
from breakd.control.protocol import Reply, Request
from breakd.i18n import LANGUAGES, translator
from tests.dbus_standin import StandInService
from tests.e2e.desktop import SessionBus, wait_until

WATCHER = "org.kde.StatusNotifierWatcher"
NOW = 1_800_000_000.0  # a fixed epoch for clock texts


def status(state: str = "active", **fields: Any) -> dict[str, Any]:
    kinds = fields.pop("kinds", [{"kind": "sitting", "due_in": 900.0, "pending": False}])
    return {"state": state, "active_today": 3900.0, "presence": 600.0, "kinds": kinds, **fields}


# --- the view: pure --------------------------------------------------------------------------


def test_each_state_has_its_icon_and_words() -> None:
    def at(epoch: float) -> str:
        return time.strftime("%H:%M", time.localtime(epoch))

    active = tray_view(status(), NOW)
    assert active.icon == "active"
    assert active.tooltip == (f"next: sitting at {at(NOW + 900)}", "active today: 1h05m")

    due = tray_view(status(kinds=[{"kind": "sitting", "due_in": 0, "pending": True}]), NOW)
    assert (due.icon, due.tooltip[0], due.reminder_up) == ("due", "sitting: due now", True)

    paused = tray_view(status("paused", paused_until=NOW + 1800), NOW)
    assert paused.icon == "paused"
    assert paused.tooltip[0] == f"breakd is paused until {at(NOW + 1800)}"
    assert tray_view(status("paused"), NOW).tooltip[0] == "breakd is paused until you resume it"

    held = tray_view(status("do-not-disturb", held_by="dunst do-not-disturb"), NOW)
    assert held.icon == "held"
    assert held.tooltip[0] == "breakd is holding reminders: dunst do-not-disturb"
    assert tray_view(status("quiet"), NOW).tooltip[0] == "breakd is quiet"

    away = tray_view(status("away", kinds=[{"kind": "sitting", "due_in": None}]), NOW)
    assert (away.icon, away.tooltip[0]) == ("away", "away: the timers wait for you")
    on_break = tray_view(status("on-break", break_until=NOW + 300), NOW)
    assert on_break.icon == "away"
    assert on_break.tooltip[0] == f"breakd: you are on a break until {at(NOW + 300)}"


def test_a_paused_or_held_breakd_shows_that_even_with_a_reminder_up() -> None:
    pending = [{"kind": "water", "due_in": 0, "pending": True}]
    assert tray_view(status("paused", kinds=pending), NOW).icon == "paused"
    assert tray_view(status("do-not-disturb", kinds=pending), NOW).icon == "held"


def test_an_odd_status_still_gives_a_view() -> None:
    view = tray_view({"state": 3, "kinds": "no", "active_today": "x"}, NOW)
    assert view.icon in ICONS
    assert view.tooltip == ("no reminders enabled",)


def test_a_state_this_breakd_does_not_know_is_shown_as_active() -> None:
    # A newer daemon's state: the tray neither crashes nor claims a hold it was not told of.
    view = tray_view(status("in-a-meeting"), NOW)
    assert view.icon == "active"
    assert view.tooltip[0].startswith("next: sitting at")
    assert not (view.paused or view.on_break)


@pytest.mark.parametrize("language", ["en", "de", "ja"])
@pytest.mark.parametrize("state", ["do-not-disturb", "quiet", "off-hours", "paused", "on-break"])
def test_the_tray_says_a_state_in_the_words_of_breakd_status(state: str, language: str) -> None:
    tr = translator(language)
    shown = status(state, kinds=[{"kind": "sitting", "due_in": None}])
    assert tray_view(shown, NOW, tr).tooltip[0] == status_lines(shown, NOW, tr)[0]


def test_every_icon_is_a_file_the_host_finds() -> None:
    for icon in ICONS:
        svg = Path(icon_dir()) / f"breakd-{icon}.svg"
        assert svg.read_text().startswith("<svg"), svg


def visible(view_status: dict[str, Any]) -> list[str]:
    menu = menu_for(tray_view(view_status, NOW), "1.0")
    return [i.label for i in menu.children if i.visible and not i.separator]


def test_the_menu_offers_what_applies_now() -> None:
    idle = visible(status())
    assert "Snooze" not in idle and "Skip this reminder" not in idle and "Resume" not in idle
    assert {"Take a break now", "Pause for 30 minutes", "Pause until tomorrow"} <= set(idle)

    due = visible(status(kinds=[{"kind": "sitting", "due_in": 0, "pending": True}]))
    assert {"Snooze", "Skip this reminder"} <= set(due)

    paused = visible(status("paused"))
    assert "Resume" in paused and "Pause for 1 hour" not in paused

    snoozed = [{"kind": "sitting", "due_in": 300, "pending": False, "snoozed_until": NOW + 300}]
    assert "Resume" in visible(status(kinds=snoozed))
    assert "Take a break now" not in visible(status("on-break"))
    assert idle[0].startswith("next: sitting at")  # the state in words, first


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_menu_label_and_tooltip_line_is_in_the_users_language(language: str) -> None:
    tr = translator(language)
    snoozed = [{"kind": "sitting", "due_in": 300, "pending": True, "snoozed_until": NOW + 300}]
    statuses = [
        status(),
        status(kinds=snoozed),
        status("paused", paused_until=NOW + 3 * 86400),  # a weekday in the clock time
        status("on-break", break_until=NOW + 300),
        status("quiet"),
        status("away", kinds=[{"kind": "water", "due_in": None}]),
    ]
    for shown in statuses:
        english, translated = tray_view(shown, NOW), tray_view(shown, NOW, tr)
        for line, ours in zip(english.tooltip, translated.tooltip, strict=True):
            assert ours != line, (language, line)
        english_menu, menu = menu_for(english, "1.0"), menu_for(translated, "1.0", tr)
        pairs = zip(all_items(english_menu), all_items(menu), strict=True)
        for item, ours_item in pairs:
            if item.label:
                assert ours_item.label != item.label, (language, item.label)


# --- config ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["auto", True, False])
def test_tray_enabled_takes_auto_true_or_false(value: object) -> None:
    assert config_from_mapping({"tray": {"enabled": value}}, "x.toml").tray.enabled == value


def test_tray_enabled_refuses_anything_else() -> None:
    with pytest.raises(ConfigError, match=r'tray.enabled.*"auto", true or false'):
        config_from_mapping({"tray": {"enabled": "yes"}}, "x.toml")


def test_edit_settings_writes_the_commented_default_once(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    path = ensure_user_config(env)
    assert path == tmp_path / "breakd" / "config.toml"
    text = path.read_text()
    assert "[tray]" in text and 'enabled = "auto"' in text
    path.write_text("[sitting]\nevery = '45m'\n")
    assert ensure_user_config(env) == path
    assert path.read_text() == "[sitting]\nevery = '45m'\n"  # the user's file is kept


# --- on the bus ---------------------------------------------------------------------------------


@dataclass
class StandInWatcher(StandInService):
    """org.kde.StatusNotifierWatcher with a host: records which services register."""

    registered: list[tuple[str, str]] = field(default_factory=list)
    host: bool = True

    def start(self) -> StandInWatcher:
        # Serve before owning the name: an item registers the moment the name has an owner
        # (the base class owns it first, and a call arriving then would go unanswered).
        self._conn = threading_connection(bus=self.address)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self._conn.send(message_bus.RequestName(self.name, 4))
        return self

    def answer(self, member: str, msg: Message) -> Message:
        if member == "RegisterStatusNotifierItem":
            sender = str(msg.header.fields.get(HeaderFields.sender))
            self.registered.append((sender, str(msg.body[0])))
            return new_method_return(msg)
        if member == "Get" and msg.body[1] == "IsStatusNotifierHostRegistered":
            return new_method_return(msg, "v", (("b", self.host),))
        return super().answer(member, msg)


@pytest.fixture
def host(bus: SessionBus) -> Iterator[DBusConnection]:
    conn = open_dbus_connection(bus=bus.address)
    yield conn
    conn.close()


def start_watcher(bus: SessionBus, *, host: bool = True) -> StandInWatcher:
    watcher = StandInWatcher(bus.address, WATCHER, host=host)
    watcher.start()
    wait_until(lambda: bus.name_has_owner(WATCHER), 5, "the stand-in watcher on the bus")
    return watcher


class Recorded:
    """The tray's handle and local actions, recorded."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.local: list[str] = []

    def handle(self, request: Request) -> Reply:
        self.requests.append(request)
        return Reply.success({"message": f"did {request.cmd}"})

    def run(self, argv: Any) -> int:
        self.local.append(" ".join(argv[3:]))  # after python -m breakd
        return 0

    def open_path(self, path: Path, anchor: str | None) -> bool:
        self.local.append(f"open {path.name}#{anchor or ''}")
        return True


@pytest.fixture
def recorded() -> Recorded:
    return Recorded()


@pytest.fixture
def make_tray(
    bus: SessionBus, recorded: Recorded, tmp_path: Path
) -> Iterator[Callable[..., TrayIcon]]:
    trays: list[TrayIcon] = []

    def make(**kwargs: Any) -> TrayIcon:
        env = {"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path)}
        actions = Actions(run=recorded.run, open_path=recorded.open_path, env=env)
        tray = TrayIcon(
            recorded.handle,
            version="1.0",
            bus_address=bus.address,
            actions=actions,
            clock=lambda: NOW,
            **kwargs,
        )
        assert tray.start()
        tray.show(status())  # the daemon's first status: the item registers with it
        trays.append(tray)
        return tray

    yield make
    for tray in trays:
        tray.stop()


def call(host: DBusConnection, address: DBusAddress, member: str, sig: str = "", *body: Any):
    msg = new_method_call(address, member, sig or None, body)
    return unwrap_msg(host.send_and_get_reply(msg, timeout=5))


def prop(host: DBusConnection, name: str, path: str, interface: str, key: str) -> Any:
    props = DBusAddress(path, name, "org.freedesktop.DBus.Properties")
    ((_sig, value),) = call(host, props, "Get", "ss", interface, key)
    return value


def item_of(tray: TrayIcon) -> str:
    assert tray._link is not None
    return tray._link.unique_name


def test_registers_with_the_watcher_and_answers_the_host(
    bus: SessionBus, host: DBusConnection, make_tray: Callable[..., TrayIcon]
) -> None:
    watcher = start_watcher(bus)
    tray = make_tray()
    wait_until(lambda: watcher.registered, 5, "a registration")
    name = item_of(tray)
    assert watcher.registered == [(name, name)]
    tray.show(status())
    item = ("/StatusNotifierItem", "org.kde.StatusNotifierItem")
    assert prop(host, name, *item, "IconName") == "breakd-active"
    assert prop(host, name, *item, "IconThemePath") == icon_dir()
    assert prop(host, name, *item, "ItemIsMenu") is True
    assert prop(host, name, *item, "Menu") == "/MenuBar"
    tooltip = prop(host, name, *item, "ToolTip")
    assert tooltip[2] == "breakd" and tooltip[3].startswith("next: sitting at")
    menu = DBusAddress("/MenuBar", name, "com.canonical.dbusmenu")
    _revision, (root, _props, children) = call(host, menu, "GetLayout", "iias", 0, -1, [])
    labels = [c[1][1]["label"][1] for c in children if "label" in c[1][1]]
    assert root == 0 and "Take a break now" in labels and "Edit settings" in labels
    (xml,) = call(
        host, DBusAddress("/MenuBar", name, "org.freedesktop.DBus.Introspectable"), "Introspect"
    )
    assert "com.canonical.dbusmenu" in xml
    watcher.stop()


def test_menu_clicks_become_control_requests_and_local_actions(
    bus: SessionBus,
    host: DBusConnection,
    make_tray: Callable[..., TrayIcon],
    recorded: Recorded,
) -> None:
    start_watcher(bus)
    tray = make_tray()
    tray.show(status(kinds=[{"kind": "sitting", "due_in": 0, "pending": True}]))
    menu = DBusAddress("/MenuBar", item_of(tray), "com.canonical.dbusmenu")

    def click(item_id: int) -> None:
        call(host, menu, "Event", "isvu", item_id, "clicked", ("s", ""), 0)

    for item_id in (10, 11, 12, 21, 22):
        click(item_id)
    click(23)  # Resume: hidden while not paused or snoozed, so nothing
    wait_until(lambda: len(recorded.requests) == 5, 5, "five requests")
    assert sorted(recorded.requests, key=lambda r: r.cmd) == sorted(
        [
            Request("break-now"),
            Request("snooze"),
            Request("skip"),
            Request("pause", {"seconds": 3600}),
            Request("pause", {"tomorrow": True}),
        ],
        key=lambda r: r.cmd,
    )
    for item_id in (44, 31, 33, 34):  # Sore (40 + its score), report, warning signs, about
        click(item_id)
    wait_until(lambda: len(recorded.local) == 7, 5, "local actions")
    assert "checkin 4" in recorded.local
    assert any(a.startswith("report --out ") and a.endswith("report.html") for a in recorded.local)
    assert "open report.html#" in recorded.local
    assert "open guide.html#warning" in recorded.local
    assert "open guide.html#about" in recorded.local  # About: the guide, at its About
    call(host, menu, "EventGroup", "a(isvu)", [(32, "clicked", ("s", ""), 0)])
    wait_until(lambda: "open config.toml#" in recorded.local, 5, "the settings file opened")
    time.sleep(0.2)
    assert len(recorded.requests) == 5  # the hidden Resume never got through


def test_signals_only_when_something_changed(
    bus: SessionBus, host: DBusConnection, make_tray: Callable[..., TrayIcon]
) -> None:
    start_watcher(bus)
    tray = make_tray()
    tray.show(status())
    name = item_of(tray)
    rule = MatchRule(type="signal", sender=name)
    unwrap_msg(host.send_and_get_reply(message_bus.AddMatch(rule), timeout=5))

    def signals_after(new_status: dict[str, Any]) -> set[str]:
        with host.filter(rule, bufsize=50) as queue:
            tray.show(new_status)
            # A round trip to the tray: everything it sent before the answer has arrived.
            prop(host, name, "/MenuBar", "com.canonical.dbusmenu", "Version")
            return {str(m.header.fields.get(HeaderFields.member)) for m in queue}

    assert signals_after(status()) == set()  # the same status again: nothing to say
    changed = signals_after(status("paused"))
    assert {"NewIcon", "NewToolTip", "LayoutUpdated"} <= changed
    assert "NewStatus" not in changed
    assert signals_after(status("paused")) == set()
    due = signals_after(status(kinds=[{"kind": "sitting", "due_in": 0, "pending": True}]))
    assert "NewStatus" in due  # NeedsAttention


def test_no_host_said_once_then_registers_when_one_appears(
    bus: SessionBus, make_tray: Callable[..., TrayIcon], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="breakd.tray")
    tray = make_tray(insist=True)
    wait_until(lambda: "no tray host" in caplog.text, 5, "the no-host line")
    assert caplog.records[-1].levelno == logging.WARNING  # enabled = true: worth a warning
    watcher = start_watcher(bus)
    wait_until(lambda: watcher.registered, 5, "a registration once the watcher appeared")
    # The watcher records the call before it answers; the tray notes the answer.
    wait_until(lambda: tray.registered_with == watcher.unique_name, 5, "the answer noted")
    watcher.stop()
    wait_until(lambda: tray.registered_with is None, 5, "the host gone")
    watcher = start_watcher(bus)
    wait_until(lambda: watcher.registered, 5, "registered again with a new host")
    assert caplog.text.count("no tray host") == 1
    registering = [t for t in threading.enumerate() if t.name == "breakd-tray-register"]
    for thread in registering:  # each ends once its registration is answered
        thread.join(5)
        assert not thread.is_alive()
    watcher.stop()


def test_a_broken_connection_is_said_once_and_the_item_comes_back(
    bus: SessionBus, make_tray: Callable[..., TrayIcon], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="breakd.tray")
    watcher = start_watcher(bus)
    tray = make_tray(reconnect_first=0.05)
    wait_until(lambda: len(watcher.registered) == 1, 5, "a registration")
    first = item_of(tray)
    assert tray._link is not None
    tray._link._conn.sock.shutdown(socket.SHUT_RDWR)  # the connection breaks under the tray
    wait_until(lambda: len(watcher.registered) == 2, 5, "registered again")
    again = item_of(tray)
    assert again != first and watcher.registered[-1] == (again, again)
    lost = [r for r in caplog.records if "lost the session bus" in r.getMessage()]
    assert [r.levelno for r in lost] == [logging.WARNING]
    assert "back on the session bus" in caplog.text
    tray.show(status("paused"))  # and it goes on showing what the daemon says
    host = open_dbus_connection(bus=bus.address)
    try:
        path = ("/StatusNotifierItem", "org.kde.StatusNotifierItem")
        assert prop(host, again, *path, "IconName") == "breakd-paused"
    finally:
        host.close()
    wait_until(lambda: not _reconnect_threads(), 5, "the reconnect thread gone once connected")
    watcher.stop()


def test_a_new_session_bus_is_connected_to_and_the_item_registers_there(
    recorded: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    # One address for both buses: a symlink pointed at the second bus's socket, as in
    # test_desktop_state. The first bus dies; the tray tries again, ever slower, until the
    # second answers, and registers with the watcher there.
    dirs = [Path(tempfile.mkdtemp(prefix="breakd-trayrebus-")) for _ in range(3)]
    stable = dirs[0] / "bus"
    first, second = SessionBus(dirs[1]), SessionBus(dirs[2])
    first.start()
    stable.symlink_to(_socket_of(first.address))
    caplog.set_level(logging.DEBUG, logger="breakd.tray")
    tray = TrayIcon(
        recorded.handle,
        version="1.0",
        bus_address=f"unix:path={stable}",
        clock=lambda: NOW,
        reconnect_first=0.05,
        reconnect_max=0.2,
    )
    watchers: list[StandInWatcher] = []
    try:
        watchers.append(start_watcher(first))
        assert tray.start()
        tray.show(status())
        wait_until(lambda: watchers[0].registered, 5, "registered on the first bus")
        first.stop()
        wait_until(lambda: "next try in 0.2 s" in caplog.text, 5, "a few failed tries")
        second.start()
        stable.unlink()
        stable.symlink_to(_socket_of(second.address))
        watchers.append(start_watcher(second))
        wait_until(lambda: tray.registered_with == watchers[1].unique_name, 5, "the new bus")
        warned = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warned) == 1 and "lost the session bus" in warned[0].getMessage()
    finally:
        tray.stop()
        for watcher in watchers:
            watcher.stop()
        second.stop()
        first.stop()
        for directory in dirs:
            shutil.rmtree(directory, ignore_errors=True)
    assert not _reconnect_threads()


def test_stopping_while_the_bus_is_gone_ends_the_retries(
    bus: SessionBus, recorded: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    tray = TrayIcon(recorded.handle, version="1.0", bus_address=bus.address, reconnect_first=0.05)
    assert tray.start()
    tray.show(status())
    bus.stop()
    wait_until(_reconnect_threads, 5, "a reconnect thread")
    tray.stop()
    wait_until(lambda: not _reconnect_threads(), 5, "the reconnect thread ended by stop")


def test_stopping_says_nothing_of_a_lost_connection(
    bus: SessionBus, make_tray: Callable[..., TrayIcon], caplog: pytest.LogCaptureFixture
) -> None:
    tray = make_tray()
    tray.stop()  # returns once the listener has ended, with its last word said
    assert "lost the session bus" not in caplog.text and not _reconnect_threads()


def _reconnect_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "breakd-tray-reconnect"]


def _socket_of(address: str) -> str:
    return address.removeprefix("unix:path=").split(",")[0]


def test_no_bus_no_tray(caplog: pytest.LogCaptureFixture) -> None:
    tray = TrayIcon(Recorded().handle, version="1.0", bus_address="unix:path=/nonexistent")
    assert tray.start() is False
    assert "no tray icon" in caplog.text
    tray.show(status())  # harmless
    tray.stop()


# --- the daemon: [tray] enabled on reload ---------------------------------------------------


def test_a_reload_starts_and_stops_the_tray_icon(
    bus: SessionBus, host: DBusConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from breakd.daemon import Daemon
    from tests.test_daemon import FakeClock, FakeNotifier

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    watcher = start_watcher(bus)
    config = tmp_path / "config.toml"
    config.write_text("[tray]\nenabled = false\n")
    loaded = load(str(config)).config
    daemon = Daemon(loaded, config_path=str(config), clock=FakeClock(), notifier=FakeNotifier())
    daemon.effects._make_notifier = lambda _config: FakeNotifier()  # a new language: no bus
    daemon.effects.start()
    try:
        config.write_text("[tray]\nenabled = true\n")
        assert daemon.reload() is None and daemon._tray is None  # not running: none
        daemon._tray_follows_config = True  # as run() sets it, without its input and socket
        config.write_text("[tray]\nenabled = false\n")
        assert daemon.reload() is None and daemon.effects.tray is None
        config.write_text("[tray]\nenabled = true\n")
        assert daemon.reload() is None
        wait_until(lambda: len(watcher.registered) == 1, 5, "the item registered on reload")
        item = watcher.registered[0][0]
        menu = DBusAddress("/MenuBar", item, "com.canonical.dbusmenu")
        assert "Take a break now" in _labels(host, menu)

        config.write_text('[tray]\nenabled = true\n[notify]\nlanguage = "de"\n')
        assert daemon.reload() is None  # the same item, in the new language
        wait_until(lambda: "Jetzt eine Pause machen" in _labels(host, menu), 5, "German labels")
        tooltip = prop(host, item, "/StatusNotifierItem", "org.kde.StatusNotifierItem", "ToolTip")
        assert tooltip[3].startswith("als Nächstes: ") and "heute aktiv: " in tooltip[3]
        assert len(watcher.registered) == 1

        config.write_text("[tray]\nenabled = false\n")
        assert daemon.reload() is None
        wait_until(lambda: not bus.name_has_owner(item), 5, "the item gone from the bus")
        assert daemon.effects.tray is None

        config.write_text('[tray]\nenabled = "auto"\n')
        assert daemon.reload() is None
        wait_until(lambda: len(watcher.registered) == 2, 5, "a new item registered")
        assert watcher.registered[1][0] != item
    finally:
        daemon.effects.stop()
        if daemon.effects.tray is not None:
            daemon.effects.tray.stop()
        watcher.stop()


def _labels(host: DBusConnection, menu: DBusAddress) -> list[str]:
    _revision, (_root, _props, children) = call(host, menu, "GetLayout", "iias", 0, -1, [])
    return [c[1][1]["label"][1] for c in children if "label" in c[1][1]]


# --- breakd doctor --------------------------------------------------------------------------


def test_doctor_says_whether_a_tray_host_is_there(bus: SessionBus, tmp_path: Path) -> None:
    from breakd.doctor.tray_check import check_tray

    env = {"XDG_CONFIG_HOME": str(tmp_path), "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}
    none = check_tray(bus.address, env)
    assert none.status == "warn" and "no tray host" in none.detail
    assert "gnome-shell-extension-appindicator" in none.fix
    assert "waybar" in check_tray(bus.address, {**env, "XDG_CURRENT_DESKTOP": "sway"}).fix
    watcher = start_watcher(bus, host=False)
    assert check_tray(bus.address, env).status == "warn"
    watcher.stop()
    watcher = start_watcher(bus)
    assert check_tray(bus.address, env).status == "ok"
    watcher.stop()
    (tmp_path / "breakd").mkdir()
    (tmp_path / "breakd" / "config.toml").write_text("[tray]\nenabled = false\n")
    assert check_tray(bus.address, env).status == "skip"
    assert check_tray(None, {}).status == "skip"
