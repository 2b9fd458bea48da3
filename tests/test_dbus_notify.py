"""DBusNotifier against a stand-in notification server on a private session bus.

The stand-in (``FakeServer``) is a few dozen lines of jeepney serving
``org.freedesktop.Notifications``: it records every call, can be told whether it has
"actions", and emits ``ActionInvoked`` / ``NotificationClosed`` on demand. The bus is a real
``dbus-daemon`` (the e2e harness's ``SessionBus``, without service activation), so "no
server" is a genuine ``ServiceUnknown`` and "the bus died" a genuine EOF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jeepney import DBusAddress, Message, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection
from jeepney.wrappers import new_error, new_method_return

from breakd import i18n
from breakd.adapters.dbus_notify import SERVER_NAME, DBusNotifier
from breakd.adapters.notifiers import (
    NotifierUnavailable,
    make_notifier,
)
from breakd.adapters.notify import (
    CLI_HINT,
    DISPLAY_SECONDS,
    PlyerNotifier,
    icon_path,
    snooze_label,
    with_cli_hint,
    with_guide_hint,
)
from breakd.core import content
from breakd.core.checkin import question
from breakd.core.content import STOP_ON_PAIN
from breakd.core.types import Kind, Reminder, Urgency
from breakd.guide.drawings import FIGURES_DIR
from tests.dbus_standin import StandInService
from tests.e2e.desktop import (
    BUS_CONFIG,
    SessionBus,
    require_tool,
    spawn,
    terminate,
    wait_until,
)
from tests.tools import require

SERVER_PATH = "/org/freedesktop/Notifications"
EMITTER = DBusAddress(SERVER_PATH, interface=SERVER_NAME)


# --- the stand-in notification server -------------------------------------------------------


@dataclass(frozen=True)
class NotifyCall:
    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: tuple[str, ...]
    hints: dict[str, tuple[str, object]]
    expire_timeout: int


@dataclass
class FakeServer(StandInService):
    """Serves org.freedesktop.Notifications on ``address`` until ``stop()``."""

    name: str = SERVER_NAME
    actions: bool = True
    server_name: str = "fake"  # what GetServerInformation says; "" answers it with an error
    notify_calls: list[NotifyCall] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    capability_calls: int = 0
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def invoke(self, server_id: int, key: str) -> None:
        self.emit(EMITTER, "ActionInvoked", "us", server_id, key)

    def close_by_user(self, server_id: int) -> None:
        self.emit(EMITTER, "NotificationClosed", "uu", server_id, 2)  # 2: dismissed by the user

    def answer(self, member: str, msg: Message) -> Message:
        if member == "GetCapabilities":
            self.capability_calls += 1
            caps = ["body", "actions"] if self.actions else ["body"]
            return new_method_return(msg, "as", (caps,))
        if member == "Notify":
            call = NotifyCall(*msg.body[:5], tuple(msg.body[5]), dict(msg.body[6]), msg.body[7])
            self.notify_calls.append(call)
            server_id = call.replaces_id or next(self._ids)
            return new_method_return(msg, "u", (server_id,))
        if member == "CloseNotification":
            (server_id,) = msg.body
            self.closed.append(server_id)
            # 3: closed by CloseNotification
            self.emit(EMITTER, "NotificationClosed", "uu", server_id, 3)
            return new_method_return(msg)
        if member == "GetServerInformation" and self.server_name:
            return new_method_return(msg, "ssss", (self.server_name, "breakd-tests", "0", "1.2"))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")


# --- fixtures ----------------------------------------------------------------------------------


@dataclass
class Answers:
    """What on_action received, and a way to wait for it."""

    got: list[tuple[int, str]] = field(default_factory=list)
    threads: list[str] = field(default_factory=list)

    def __call__(self, reminder_id: int, key: str) -> None:
        self.threads.append(threading.current_thread().name)
        self.got.append((reminder_id, key))

    def wait_for(self, count: int) -> list[tuple[int, str]]:
        wait_until(lambda: len(self.got) >= count, timeout=5, what=f"{count} answers")
        return self.got


@pytest.fixture
def server_factory(bus: SessionBus) -> Iterator[Callable[..., FakeServer]]:
    started: list[FakeServer] = []

    def make(actions: bool = True, server_name: str = "fake") -> FakeServer:
        server = FakeServer(bus.address, actions=actions, server_name=server_name).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def server(server_factory: Callable[..., FakeServer]) -> FakeServer:
    return server_factory()


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def notifier(bus: SessionBus, answers: Answers) -> Iterator[DBusNotifier]:
    n = DBusNotifier(on_action=answers, snooze_label="Snooze 5 min", bus_address=bus.address)
    yield n
    n.close()


def reminder(rid: int = 1, urgency: Urgency = Urgency.NORMAL, repeat: int = 0) -> Reminder:
    return Reminder(
        id=rid,
        kind=Kind.SITTING,
        title="Time to stand up",
        body="Walk to the window and back.",
        urgency=urgency,
        due=100.0,
        repeat=repeat,
    )


# --- what a reminder looks like --------------------------------------------------------------


BUTTONS = ("take", "Take break", "snooze", "Snooze 5 min", "skip", "Skip")


def test_with_actions_the_three_buttons_are_sent(server: FakeServer, notifier: DBusNotifier):
    assert notifier.show(reminder())
    (call,) = server.notify_calls
    # "default": a click on the notification takes the break (servers draw no button for it).
    assert call.actions == ("default", "Take break", *BUTTONS)
    assert call.body == "Walk to the window and back."
    assert call.app_name == "breakd"
    assert call.app_icon == icon_path()
    assert call.summary == "Time to stand up"
    assert call.hints["category"] == ("s", "presence")
    assert call.expire_timeout == DISPLAY_SECONDS * 1000


def test_without_actions_no_buttons_and_the_body_says_what_to_type(
    server_factory: Callable[..., FakeServer], notifier: DBusNotifier
):
    server = server_factory(actions=False)
    assert notifier.show(reminder())
    (call,) = server.notify_calls
    assert call.actions == ()
    assert call.body == "Walk to the window and back.\n" + CLI_HINT
    assert CLI_HINT == "Snooze: breakd snooze · Skip: breakd skip"


@pytest.mark.parametrize("urgency", list(Urgency))
def test_urgency_is_a_byte_and_critical_stays(
    server: FakeServer, notifier: DBusNotifier, urgency: Urgency
):
    assert notifier.show(reminder(urgency=urgency))
    (call,) = server.notify_calls
    assert call.hints["urgency"] == ("y", int(urgency))
    expected = 0 if urgency is Urgency.CRITICAL else DISPLAY_SECONDS * 1000
    assert call.expire_timeout == expected


def test_capabilities_are_asked_once(server: FakeServer, notifier: DBusNotifier):
    for rid in (1, 2, 3):
        assert notifier.show(reminder(rid))
    assert notifier.ask_checkin(question(dt.date(2026, 11, 23)))
    assert server.capability_calls == 1
    assert server.calls["GetServerInformation"] == 1


@pytest.mark.parametrize("name", ["dunst", "mako"])
def test_where_actions_are_in_a_menu_the_body_keeps_the_commands(
    server_factory: Callable[..., FakeServer], notifier: DBusNotifier, name: str
):
    server = server_factory(server_name=name)
    assert notifier.show(reminder())
    (call,) = server.notify_calls
    # A click takes the break; Take break is not in the menu twice.
    assert call.actions == ("default", "Take break", "snooze", "Snooze 5 min", "skip", "Skip")
    assert call.body == "Walk to the window and back.\n" + CLI_HINT


def test_a_server_that_does_not_say_its_name_gets_buttons(
    server_factory: Callable[..., FakeServer], notifier: DBusNotifier
):
    server = server_factory(server_name="")
    assert notifier.show(reminder())
    (call,) = server.notify_calls
    assert call.actions == ("default", "Take break", *BUTTONS)
    assert call.body == "Walk to the window and back."


def test_a_repeat_replaces_the_earlier_notification(server: FakeServer, notifier: DBusNotifier):
    assert notifier.show(reminder(7))
    assert notifier.show(reminder(8))  # another reminder: a notification of its own
    assert notifier.show(reminder(7, urgency=Urgency.CRITICAL, repeat=1))
    first, other, repeat = server.notify_calls
    assert (first.replaces_id, other.replaces_id) == (0, 0)
    assert repeat.replaces_id == 1  # the server id the first showing got


# --- the daily check-in -----------------------------------------------------------------------

MONDAY = dt.date(2026, 11, 23)


@dataclass
class Checkins:
    got: list[tuple[dt.date, int]] = field(default_factory=list)

    def __call__(self, day: dt.date, score: int) -> None:
        self.got.append((day, score))


@pytest.fixture
def checkins() -> Checkins:
    return Checkins()


@pytest.fixture
def asker(bus: SessionBus, answers: Answers, checkins: Checkins) -> Iterator[DBusNotifier]:
    n = DBusNotifier(
        on_action=answers, snooze_label="Snooze 5 min", on_checkin=checkins, bus_address=bus.address
    )
    yield n
    n.close()


def test_the_check_in_has_four_buttons_and_no_default(server: FakeServer, asker: DBusNotifier):
    assert asker.ask_checkin(question(MONDAY))
    (call,) = server.notify_calls
    assert call.actions == (
        "checkin-fine",
        "Fine",
        "checkin-stiff",
        "Stiff",
        "checkin-sore",
        "Sore",
        "checkin-painful",
        "Painful",
    )
    assert call.summary == "How do your neck and shoulders feel today?"
    assert call.body == "Fine, stiff, sore or painful? One click records today's check-in."
    assert call.hints["urgency"] == ("y", int(Urgency.LOW))  # a gentle question


@pytest.mark.parametrize(("key", "score"), [("checkin-fine", 0), ("checkin-sore", 4)])
def test_a_check_in_button_reaches_on_checkin_with_day_and_score(
    server: FakeServer,
    asker: DBusNotifier,
    answers: Answers,
    checkins: Checkins,
    key: str,
    score: int,
):
    assert asker.show(reminder(1))
    assert asker.ask_checkin(question(MONDAY))
    server.invoke(2, "default")  # a click on the question records nothing
    server.invoke(2, "take")  # a reminder's key on the question: nothing either
    server.invoke(2, key)
    wait_until(lambda: checkins.got, timeout=5, what="a check-in")
    assert checkins.got == [(MONDAY, score)]
    assert answers.got == []


@pytest.mark.parametrize(("actions", "name"), [(False, "fake"), (True, "dunst")])
def test_where_check_in_buttons_are_out_of_reach_the_question_names_the_command(
    server_factory: Callable[..., FakeServer], asker: DBusNotifier, actions: bool, name: str
):
    server = server_factory(actions=actions, server_name=name)
    assert asker.ask_checkin(question(MONDAY))
    (call,) = server.notify_calls
    assert call.body == "To record it, type: breakd checkin 0-10 (0 = no pain, 10 = the worst)"
    assert len(call.actions) == (8 if actions else 0)  # in dunst's menu, for who has one


def test_on_gnome_the_check_in_offers_the_three_buttons_drawn_and_says_so(
    server_factory: Callable[..., FakeServer], asker: DBusNotifier
):
    # GNOME Shell draws three buttons: "painful" must be one of them, and the body must not
    # name a button that is not there.
    server = server_factory(server_name="gnome-shell")
    assert asker.ask_checkin(question(MONDAY))
    (call,) = server.notify_calls
    assert call.actions == (
        "checkin-fine",
        "Fine",
        "checkin-sore",
        "Sore",
        "checkin-painful",
        "Painful",
    )
    assert call.body == "Fine, sore or painful? One click records today's check-in."


def test_a_check_in_with_no_server_is_not_shown(notifier: DBusNotifier, caplog):
    with caplog.at_level(logging.WARNING, logger="breakd.notify"):
        assert notifier.ask_checkin(question(MONDAY)) is False
    assert "check-in for 2026-11-23 not shown: no notification server" in caplog.text


# --- withdrawing and signals ------------------------------------------------------------------


def test_withdraw_closes_the_notification_and_forgets_it(
    server: FakeServer, notifier: DBusNotifier
):
    assert notifier.show(reminder(4))
    notifier.withdraw(4)
    assert server.closed == [1]
    notifier.withdraw(4)  # already gone: nothing more is sent
    assert server.closed == [1]
    assert notifier.show(reminder(4))
    assert server.notify_calls[-1].replaces_id == 0


def test_withdraw_of_an_unknown_reminder_does_nothing(server: FakeServer, notifier: DBusNotifier):
    notifier.withdraw(99)
    assert notifier.show(reminder(1))
    notifier.withdraw(99)
    assert server.closed == []


@pytest.mark.parametrize("key", ["take", "snooze", "skip"])
def test_each_button_reaches_on_action_with_breakd_id(
    server: FakeServer, notifier: DBusNotifier, answers: Answers, key: str
):
    assert notifier.show(reminder(41))
    assert notifier.show(reminder(42))
    server.invoke(2, key)
    assert answers.wait_for(1) == [(42, key)]
    # Not on the listener: on_action may call show/withdraw without a deadlock.
    assert answers.threads == ["breakd-notify-action"]


def test_on_action_may_call_back_into_the_notifier(server: FakeServer, bus: SessionBus):
    done = threading.Event()
    notifier: DBusNotifier

    def on_action(reminder_id: int, key: str) -> None:
        notifier.withdraw(reminder_id)  # what the daemon's snooze path ends in
        done.set()

    notifier = DBusNotifier(on_action=on_action, snooze_label="Snooze", bus_address=bus.address)
    try:
        assert notifier.show(reminder(5))
        server.invoke(1, "snooze")
        assert done.wait(3)
        assert server.closed == [1]
    finally:
        notifier.close()


def test_a_click_on_the_notification_takes_the_break(
    server: FakeServer, notifier: DBusNotifier, answers: Answers
):
    assert notifier.show(reminder(3))
    server.invoke(1, "default")
    assert answers.wait_for(1) == [(3, "take")]


def test_unknown_keys_and_strangers_are_ignored(
    server: FakeServer, notifier: DBusNotifier, answers: Answers, bus: SessionBus
):
    assert notifier.show(reminder(3))
    server.invoke(1, "explode")
    server.invoke(1, "checkin-sore")  # a check-in key on a reminder
    server.invoke(77, "skip")  # not one of ours
    with open_dbus_connection(bus=bus.address) as stranger:  # another client, same interface
        stranger.send(new_signal(EMITTER, "ActionInvoked", "us", (1, "skip")))
    server.invoke(1, "take")  # a real one last: once it arrives, the others were seen
    assert answers.wait_for(1) == [(3, "take")]
    time.sleep(0.1)
    assert answers.got == [(3, "take")]


def test_notification_closed_forgets_the_mapping(
    server: FakeServer, notifier: DBusNotifier, answers: Answers
):
    assert notifier.show(reminder(6))
    server.close_by_user(1)
    server.invoke(1, "skip")  # after the close: no longer ours
    wait_until(lambda: not notifier._ids.by_reminder, timeout=5, what="mapping forgotten")
    notifier.withdraw(6)  # nothing to close
    assert notifier.show(reminder(6))  # a fresh notification, not a replacement
    assert server.notify_calls[-1].replaces_id == 0
    assert server.closed == []
    time.sleep(0.1)
    assert answers.got == []


# --- failures and recovery ----------------------------------------------------------------------


def test_no_server_then_server_appears(
    bus: SessionBus,
    notifier: DBusNotifier,
    server_factory: Callable[..., FakeServer],
    caplog: pytest.LogCaptureFixture,
):
    with caplog.at_level(logging.WARNING, logger="breakd.notify"):
        assert notifier.show(reminder(1)) is False
    assert "reminder 1 (sitting) not shown: no notification server" in caplog.text
    assert "ServiceUnknown" in caplog.text
    server = server_factory()
    assert notifier.show(reminder(1))
    assert len(server.notify_calls) == 1


def test_a_new_server_is_asked_again_and_old_ids_are_dropped(
    server_factory: Callable[..., FakeServer], notifier: DBusNotifier
):
    first = server_factory(actions=True)
    assert notifier.show(reminder(1))
    first.stop()  # the name is released: NameOwnerChanged
    second = server_factory(actions=False)
    wait_until(lambda: notifier._reach is None, timeout=5, what="capabilities dropped")
    assert notifier.show(reminder(1))
    (call,) = second.notify_calls
    assert call.replaces_id == 0  # the first server's id means nothing to the second
    assert call.actions == ()


def test_no_bus_at_all(answers: Answers, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    gone = f"unix:path={tmp_path / 'no-such-socket'}"
    n = DBusNotifier(on_action=answers, snooze_label="Snooze", bus_address=gone)
    with caplog.at_level(logging.WARNING, logger="breakd.notify"):
        assert n.show(reminder(1)) is False
        n.withdraw(1)
    assert "cannot connect to the session bus" in caplog.text
    n.close()


def test_no_bus_address(answers: Answers, monkeypatch: pytest.MonkeyPatch, caplog):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    n = DBusNotifier(on_action=answers, snooze_label="Snooze")
    with caplog.at_level(logging.WARNING, logger="breakd.notify"):
        assert n.show(reminder(1)) is False
    assert "DBUS_SESSION_BUS_ADDRESS is not set" in caplog.text


@dataclass
class FixedBus:
    """A private dbus-daemon on a fixed socket path, so a restart keeps the address (as
    /run/user/UID/bus does on a real desktop; SessionBus picks a new name each start)."""

    workdir: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"unix:path={self.workdir / 'bus'}"

    def start(self) -> None:
        config = self.workdir / "bus.conf"
        config.write_text(BUS_CONFIG.format(dir=self.workdir))
        args = [require_tool("dbus-daemon"), f"--config-file={config}", "--nofork"]
        args += [f"--address={self.address}", "--nosyslog"]
        self.proc = spawn(args, dict(os.environ))
        wait_until(lambda: (self.workdir / "bus").exists(), timeout=5, what="bus socket")

    def stop(self) -> None:
        terminate(self.proc)
        (self.workdir / "bus").unlink(missing_ok=True)


def test_the_bus_dies_and_comes_back(
    tmp_path: Path, answers: Answers, caplog: pytest.LogCaptureFixture
):
    require("dbus-daemon")
    bus = FixedBus(tmp_path)
    bus.start()
    n = DBusNotifier(on_action=answers, snooze_label="Snooze", bus_address=bus.address)
    server = FakeServer(bus.address).start()
    try:
        assert n.show(reminder(1))
        old_listener = n.listener
        assert old_listener is not None
        bus.stop()
        old_listener.join(5)
        assert not old_listener.is_alive()  # EOF ends the listener
        server.stop()
        with caplog.at_level(logging.WARNING, logger="breakd.notify"):
            assert n.show(reminder(1)) is False
            n.withdraw(1)  # no connection: nothing to close, no error
        assert "cannot connect to the session bus" in caplog.text
        bus.start()  # the same address again, and a server on it
        server = FakeServer(bus.address).start()
        assert n.show(reminder(1))
        assert server.notify_calls[0].replaces_id == 0  # ids of the old server are gone
        assert server.capability_calls == 1  # asked again after reconnecting
        assert n.listener is not old_listener
        assert not old_listener.is_alive()
    finally:
        n.close()
        server.stop()
        bus.stop()


def test_a_hung_server_times_out(bus: SessionBus, answers: Answers, caplog):
    conn = open_dbus_connection(bus=bus.address)  # owns the name, never answers
    with DBusRouter(conn) as router:
        Proxy(message_bus, router, timeout=5).RequestName(SERVER_NAME, 4)
    n = DBusNotifier(on_action=answers, snooze_label="S", bus_address=bus.address, timeout=0.3)
    try:
        start = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="breakd.notify"):
            assert n.show(reminder(1)) is False
        assert time.monotonic() - start < 5  # its 0.3 s, not D-Bus's default 25 s
        assert "no answer within 0.3 s" in caplog.text
    finally:
        n.close()
        conn.close()


# --- the listener thread ---------------------------------------------------------------------


def _task_state_and_cpu(native_id: int) -> tuple[str, int]:
    fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
    return fields[0], int(fields[11]) + int(fields[12])  # state, utime + stime (ticks)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_listener_sleeps_in_a_blocking_read_while_idle(
    server: FakeServer, notifier: DBusNotifier
):
    assert notifier.show(reminder(1))
    listener = notifier.listener
    assert listener is not None and listener.native_id is not None
    before = _task_state_and_cpu(listener.native_id)
    time.sleep(1.0)
    state, cpu = _task_state_and_cpu(listener.native_id)
    assert state == "S"  # sleeping in the kernel, not runnable
    assert cpu == before[1]  # not one tick of CPU in a second of idling
    frame = sys._current_frames()[listener.ident]  # type: ignore[index]
    assert frame.f_code.co_name == "select"  # parked in the selector on the socket
    only = [t for t in threading.enumerate() if t.name == "breakd-notify-listener"]
    assert only == [listener]


def test_close_ends_the_listener_promptly(server: FakeServer, notifier: DBusNotifier):
    assert notifier.show(reminder(1))
    listener = notifier.listener
    assert listener is not None and listener.is_alive()
    start = time.monotonic()
    notifier.close()
    assert time.monotonic() - start < 5  # the listener is woken, not waited out
    assert not listener.is_alive()
    assert notifier.show(reminder(2)) is False  # closed for good
    notifier.close()  # twice is fine


# --- pictures, sound and Show me --------------------------------------------------------------

# A movement whose body (3 lines) leaves room for one line more, and one that fills the budget.
CHIN_TUCK = "Do 5 slow chin glides.\nSlide your chin straight back; hold 3-5 s.\n" + STOP_ON_PAIN
FULL = CHIN_TUCK + "\nAlso: refill your water.\nTake 5 minutes away from the desk."
GUIDE_LINE = "Show me: breakd guide chin-tuck"


@dataclass
class ShownMovements:
    got: list[str] = field(default_factory=list)
    threads: list[str] = field(default_factory=list)

    def __call__(self, key: str) -> None:
        self.threads.append(threading.current_thread().name)
        self.got.append(key)


@pytest.fixture
def cache() -> Path:
    """Where the pictures are: they ship beside the drawings."""
    return FIGURES_DIR


@pytest.fixture
def shown() -> ShownMovements:
    return ShownMovements()


@pytest.fixture
def guided(bus: SessionBus, answers: Answers, shown: ShownMovements) -> Iterator[DBusNotifier]:
    """A notifier with a Show me handler, as make_notifier builds it."""
    n = DBusNotifier(
        on_action=answers, on_show_me=shown, snooze_label="Snooze 5 min", bus_address=bus.address
    )
    yield n
    n.close()


def movement(rid: int = 1, key: str = "chin-tuck", body: str = CHIN_TUCK, **kw: object) -> Reminder:
    fields: dict[str, object] = dict(
        id=rid, kind=Kind.POSTURE, title="Posture check", body=body, urgency=Urgency.NORMAL
    )
    return Reminder(**{**fields, "due": 0.0, "suggestion": key, **kw})  # type: ignore[arg-type]


def test_a_reminder_carries_its_picture_as_a_png_file_uri(
    server: FakeServer, guided: DBusNotifier, cache: Path
):
    assert guided.show(movement())
    (call,) = server.notify_calls
    kind, uri = call.hints["image-path"]
    assert kind == "s" and uri.startswith("file://")
    picture = Path(uri.removeprefix("file://"))
    assert picture.parent == cache and picture.name == "chin-tuck.png"
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "sound-name" not in call.hints  # notify.sound = "off" by default
    assert call.app_icon == icon_path()  # the app's own icon stays breakd's


def test_a_reminder_without_a_suggestion_has_no_picture(server: FakeServer, guided: DBusNotifier):
    assert guided.show(reminder())
    (call,) = server.notify_calls
    assert "image-path" not in call.hints


def test_a_missing_picture_costs_only_the_picture(
    server: FakeServer, guided: DBusNotifier, tmp_path: Path, monkeypatch, caplog
):
    # A broken install: the PNG is not where it should be.
    import breakd.adapters.pictures as pictures

    monkeypatch.setattr(pictures, "FIGURES_DIR", tmp_path)
    with caplog.at_level("WARNING", logger="breakd.notify"):
        assert guided.show(movement())
    (call,) = server.notify_calls
    assert "image-path" not in call.hints
    assert "no picture for 'chin-tuck'" in caplog.text


def test_sound_is_a_sound_name_hint_and_follows_reloads(
    server: FakeServer, bus: SessionBus, answers: Answers, cache: Path
):
    n = DBusNotifier(
        on_action=answers, snooze_label="Snooze", sound="bell", bus_address=bus.address
    )
    try:
        assert n.show(movement(1))
        assert n.show(movement(2, on_break=True))  # the break the user asked for: silent
        n.set_sound("message-new-instant")
        assert n.show(movement(3))
        n.set_sound("off")
        assert n.show(movement(4))
    finally:
        n.close()
    sounds = [call.hints.get("sound-name") for call in server.notify_calls]
    assert sounds == [("s", "bell"), None, ("s", "message-new-instant"), None]


def test_show_me_is_the_last_button_of_a_movement_reminder(
    server: FakeServer, guided: DBusNotifier, cache: Path
):
    assert guided.show(movement())
    (call,) = server.notify_calls
    assert call.actions == ("default", "Take break", *BUTTONS, "show-me", "Show me")
    assert call.body == CHIN_TUCK  # the button opens the guide: nothing to type


def test_no_show_me_for_what_is_not_a_movement_or_without_a_handler(
    server: FakeServer, guided: DBusNotifier, notifier: DBusNotifier, cache: Path
):
    assert guided.show(movement(1, key="water-refill", body="Refill your water."))
    assert notifier.show(movement(2))  # no on_show_me: no Show me
    for call in server.notify_calls:
        assert "show-me" not in call.actions
        assert "breakd guide" not in call.body


def test_on_gnome_show_me_is_a_fourth_button_it_drops_so_the_body_names_the_command(
    server_factory: Callable[..., FakeServer], guided: DBusNotifier, cache: Path
):
    server = server_factory(server_name="gnome-shell")  # draws at most three buttons
    assert guided.show(movement(1))
    assert guided.show(movement(2, body=FULL))  # no room: the line is left out
    short, full = server.notify_calls
    assert short.actions[-2:] == ("show-me", "Show me")  # still clickable where drawn
    assert short.body == CHIN_TUCK + "\n" + GUIDE_LINE
    assert full.body == FULL


def test_in_dunsts_menu_show_me_is_an_entry_and_the_body_names_it_where_it_fits(
    server_factory: Callable[..., FakeServer], guided: DBusNotifier, cache: Path
):
    server = server_factory(server_name="dunst")
    assert guided.show(movement(1))
    assert guided.show(movement(2, body=FULL))
    short, full = server.notify_calls
    assert short.actions[-2:] == ("show-me", "Show me")
    assert short.body == CHIN_TUCK + "\n" + CLI_HINT + "\n" + GUIDE_LINE
    assert full.body == FULL + "\n" + CLI_HINT  # the commands to answer it come first


def test_without_actions_the_body_names_the_guide_within_the_budget(
    server_factory: Callable[..., FakeServer], guided: DBusNotifier, cache: Path
):
    server = server_factory(actions=False)
    assert guided.show(movement(1))
    (call,) = server.notify_calls
    assert call.actions == ()
    assert call.body == CHIN_TUCK + "\n" + CLI_HINT + "\n" + GUIDE_LINE
    assert len(content.wrap(call.body)) <= content.MAX_BODY_LINES


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_the_guide_line_never_pushes_a_body_past_the_budget(kind: Kind):
    for suggestion in (s for s in content.suggestions_for(kind) if s.movement):
        for also in [(), *[(k,) for k in Kind if k is not kind]]:
            _, body = content.compose(kind, suggestion, also=also, break_seconds=300)
            for shown in (body, with_cli_hint(body)):
                hinted = with_guide_hint(shown, suggestion.key)
                assert hinted == shown or len(content.wrap(hinted)) <= content.MAX_BODY_LINES
                assert hinted == shown or hinted.endswith(f"breakd guide {suggestion.key}")


def test_a_breaks_own_notification_offers_show_me_next_to_end_break(
    server: FakeServer, guided: DBusNotifier, cache: Path
):
    assert guided.show(movement(on_break=True))
    (call,) = server.notify_calls
    assert call.actions == ("end-break", "End break", "show-me", "Show me")


def test_show_me_opens_the_movement_and_takes_the_break(
    server: FakeServer, guided: DBusNotifier, answers: Answers, shown: ShownMovements, cache
):
    assert guided.show(movement(5, key="levator-stretch"))
    server.invoke(1, "show-me")
    wait_until(lambda: shown.got, timeout=5, what="Show me handled")
    assert shown.got == ["levator-stretch"]
    assert shown.threads == ["breakd-notify-show-me"]  # not on the listener
    assert answers.wait_for(1) == [(5, "take")]  # doing the movement now is the break


def test_show_me_on_something_else_does_nothing(
    server: FakeServer, guided: DBusNotifier, answers: Answers, shown: ShownMovements, cache
):
    assert guided.show(reminder(3))  # no movement
    assert guided.show(movement(4))
    guided.withdraw(4)
    server.invoke(1, "show-me")
    server.invoke(2, "show-me")  # withdrawn: no longer ours
    server.invoke(1, "skip")  # a real one last: once it arrives, the others were seen
    assert answers.wait_for(1) == [(3, "skip")]
    time.sleep(0.1)
    assert shown.got == []


def test_plyer_passes_the_picture_as_its_icon_and_the_hints(
    monkeypatch: pytest.MonkeyPatch, cache: Path
):
    from plyer import notification

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(notification, "notify", lambda **kw: calls.append(kw))
    n = PlyerNotifier(sound="bell")
    assert n.show(movement())
    (call,) = calls
    assert Path(str(call["app_icon"])).parent == cache
    hints = call["hints"]
    assert isinstance(hints, dict)
    if hints:  # only with dbus-python (plyer's notify-send path takes no hints)
        assert hints["image-path"] == Path(str(call["app_icon"])).as_uri()
        assert hints["sound-name"] == "bell"
    assert str(call["message"]).endswith("\n" + CLI_HINT + "\n" + GUIDE_LINE)


def test_plyer_names_no_snooze_or_skip_on_a_break_it_shows(monkeypatch: pytest.MonkeyPatch):
    from plyer import notification

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(notification, "notify", lambda **kw: calls.append(kw))
    on_break = dataclasses.replace(reminder(), on_break=True)
    assert PlyerNotifier().show(on_break)
    (call,) = calls
    assert call["message"] == on_break.body  # the break asked for: nothing to snooze or skip


# --- choosing the backend --------------------------------------------------------------------


def _noop(reminder_id: int, key: str) -> None:
    pass


def test_make_notifier_auto_picks_dbus_on_linux_with_a_bus():
    env = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    n = make_notifier("auto", on_action=_noop, snooze_label="S", env=env, platform="linux")
    assert isinstance(n, DBusNotifier)
    n.close()


@pytest.mark.parametrize(
    ("env", "platform"),
    [({}, "linux"), ({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, "darwin")],
)
def test_make_notifier_auto_falls_back_to_plyer(env: dict[str, str], platform: str):
    n = make_notifier("auto", on_action=_noop, snooze_label="S", env=env, platform=platform)
    assert isinstance(n, PlyerNotifier)
    n.withdraw(1)  # a no-op, so the daemon can call it whatever the backend
    n.close()


def test_make_notifier_dbus_refuses_where_it_cannot_work():
    with pytest.raises(NotifierUnavailable, match="DBUS_SESSION_BUS_ADDRESS is not set"):
        make_notifier("dbus", on_action=_noop, snooze_label="S", env={}, platform="linux")
    with pytest.raises(NotifierUnavailable, match="for Linux"):
        make_notifier("dbus", on_action=_noop, snooze_label="S", env={}, platform="win32")


def test_make_notifier_dbus_without_jeepney(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "jeepney", None)  # import jeepney -> ImportError
    env = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}
    with pytest.raises(NotifierUnavailable, match="jeepney"):
        make_notifier("dbus", on_action=_noop, snooze_label="S", env=env, platform="linux")
    n = make_notifier("auto", on_action=_noop, snooze_label="S", env=env, platform="linux")
    assert isinstance(n, PlyerNotifier)


def test_make_notifier_passes_sound_and_opens_the_guide_on_show_me(tmp_path: Path):
    env = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    german = i18n.translator("de", {})
    n = make_notifier("dbus", on_action=_noop, snooze_label="S", sound="bell", env=env, tr=german)
    assert isinstance(n, DBusNotifier)
    from breakd.guide.page import show_movement

    # The guide opens in the notifier's language.
    show_me = n._on_show_me
    assert isinstance(show_me, functools.partial)
    assert show_me.func is show_movement and show_me.keywords == {"tr": german}
    assert n._sound == "bell"
    n.close()
    assert make_notifier("plyer", on_action=_noop, snooze_label="S", sound="bell")._sound == "bell"


def test_make_notifier_plyer_and_unknown():
    assert isinstance(make_notifier("plyer", on_action=_noop, snooze_label="S"), PlyerNotifier)
    with pytest.raises(ValueError, match="auto, dbus, plyer"):
        make_notifier("kde", on_action=_noop, snooze_label="S")


def test_plyer_without_dbus_python_says_that_failures_go_unnoticed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    # plyer then runs notify-send, which never raises: the log says what that costs.
    monkeypatch.setitem(sys.modules, "dbus", None)  # import dbus raises ImportError
    with caplog.at_level("WARNING", logger="breakd.notify"):
        PlyerNotifier()
    assert "notify-send" in caplog.text and "breakd[plyer-dbus]" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="breakd.notify"):
        make_notifier("plyer", on_action=_noop, snooze_label="S")
    assert "notify-send" in caplog.text


def test_plyer_with_dbus_python_logs_nothing_about_it(caplog: pytest.LogCaptureFixture):
    pytest.importorskip("dbus")  # the test extra installs it
    with caplog.at_level("WARNING", logger="breakd.notify"):
        PlyerNotifier()
    assert "notify-send" not in caplog.text


# --- in the user's language ------------------------------------------------------------------


@pytest.mark.parametrize("buttons", [True, False])
def test_buttons_and_hints_in_the_users_language(
    server_factory: Callable[..., FakeServer], bus: SessionBus, answers: Answers, buttons: bool
):
    from breakd.i18n import translator

    german = translator("de", {})
    server = server_factory(actions=buttons)
    label = snooze_label("5m", german)
    n = DBusNotifier(on_action=answers, snooze_label=label, bus_address=bus.address, tr=german)
    try:
        assert n.show(reminder())
        assert n.show(dataclasses.replace(reminder(2), on_break=True))
    finally:
        n.close()
    shown, on_break = server.notify_calls
    if buttons:
        assert shown.actions == (
            *("default", "Pause machen", "take", "Pause machen"),
            *("snooze", "Später (5m)", "skip", "Auslassen"),
        )
        assert on_break.actions == ("end-break", "Pause beenden")
    else:
        assert shown.body.endswith("\nSpäter: breakd snooze, Auslassen: breakd skip")


def test_every_language_keeps_the_typed_answers_on_one_line() -> None:
    from breakd.i18n import LANGUAGES, translator

    for language in LANGUAGES:
        tr = translator(language, {})
        hint = with_cli_hint("", tr)
        assert hint != CLI_HINT and len(content.wrap(hint)) == 1, (language, hint)
        assert "breakd snooze" in hint and "breakd skip" in hint
