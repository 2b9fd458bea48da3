"""The daemon's effects path: what the engine asks for is carried out in the order it was
asked, whichever thread asked (notifier calls on a lane of their own, in the same order);
nothing waits on a notification server.

No timings: a slow server is one that blocks until the test lets it go, and every assertion
is about order and state (waits have long limits only so that a bug fails instead of hanging).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jeepney import Message

from breakd.adapters.dbus_notify import DBusNotifier
from breakd.control import client
from breakd.control.commands import Options, control_command
from breakd.control.paths import socket_path
from breakd.control.protocol import Request
from breakd.control.server import ControlServer
from breakd.core.types import Reminder
from breakd.daemon import Daemon
from tests.e2e.desktop import SessionBus
from tests.test_daemon import FakeClock, FakeNotifier, make_config, type_for
from tests.test_dbus_notify import FakeServer

LONG = 30.0  # seconds a test waits before calling a hang a failure (never an assertion)
# A reminder a minute that repeats every 30 s of typing (no gap kept between showings).
REPEATING = make_config(
    only=("sitting",),
    sitting={"every": 60.0, "repeat": 30.0, "max_repeats": 3},
    notify={"grace_pause": 1.0, "min_gap": 0.0},
)


class Screen(FakeNotifier):
    """A notifier that remembers what is on screen, and can hold calls as a notification
    server that hangs does: all of them (``hang``), or each until the test lets that one go
    (``turnstile``), in whatever order it likes."""

    def __init__(self) -> None:
        super().__init__()
        self.on_screen: set[int] = set()
        self.calls: list[tuple[str, int]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.inside = threading.Event()  # a call is waiting at the gate
        self.changed = threading.Condition()
        self.waiting: list[threading.Event] = []  # calls held at the turnstile

    def show(self, reminder: Reminder) -> bool:
        self._wait_at_gate()
        self.calls.append(("show", reminder.id))
        self.on_screen.add(reminder.id)
        return super().show(reminder)

    def withdraw(self, reminder_id: int) -> None:
        self._wait_at_gate()
        self.calls.append(("withdraw", reminder_id))
        self.on_screen.discard(reminder_id)
        super().withdraw(reminder_id)

    def _wait_at_gate(self) -> None:
        if self.gate.is_set():
            return
        let_go = threading.Event()
        with self.changed:
            self.waiting.append(let_go)
            self.inside.set()
            self.changed.notify_all()
        assert let_go.wait(LONG), "the test never let the call go"

    def hang(self) -> None:
        self.inside.clear()
        self.gate.clear()

    def let_one_go(self, rng: random.Random) -> None:
        """Let one of the held calls go on (call with ``changed`` held)."""
        self.waiting.pop(rng.randrange(len(self.waiting))).set()

    def open(self) -> None:
        with self.changed:
            self.gate.set()
            for let_go in self.waiting:
                let_go.set()
            self.waiting.clear()


def make_daemon(tmp_path: Path) -> tuple[Daemon, FakeClock, Screen]:
    clock, screen = FakeClock(), Screen()
    daemon = Daemon(REPEATING, config_path=str(tmp_path / "c.toml"), clock=clock, notifier=screen)
    return daemon, clock, screen


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Daemon, FakeClock, Screen]]:
    """A daemon whose lanes run (the wake-up is still called by the test)."""
    daemon, clock, screen = make_daemon(tmp_path)
    daemon.effects.start()
    yield daemon, clock, screen
    screen.open()
    daemon.effects.stop()


def settled(daemon: Daemon) -> None:
    """Wait until both lanes have carried out everything asked for so far: a marker queued
    behind it is passed on to the notification lane, and reached there."""
    reached = threading.Event()
    with daemon.host.turn() as turn:
        turn.then(daemon.effects.notify, reached.set)
    assert reached.wait(LONG), "the effects and notification lanes did not get through"


def on_screen_per_engine(daemon: Daemon) -> set[int]:
    """The reminders the engine has on screen, waiting for an answer (not snoozed)."""
    with daemon.host.turn() as turn:
        status = daemon.host.engine.status(turn.now)
    return {k.reminder_id for k in status.kinds if k.pending and k.reminder_id is not None}


def test_a_skip_while_a_repeat_is_being_shown_leaves_nothing_on_screen(running):
    """The repeat (the wake-up's) is asked for before the skip: it is shown, then withdrawn,
    although the skip came in while the server was still busy with the repeat."""
    daemon, clock, screen = running
    type_for(daemon, clock, 60)
    daemon.host.tick()
    settled(daemon)
    assert screen.on_screen == {1}
    type_for(daemon, clock, 31)  # the repeat is due
    screen.hang()
    tick = threading.Thread(target=daemon.host.tick)
    tick.start()
    assert screen.inside.wait(LONG)  # the notify lane is inside show(), held by the "server"
    reply = daemon.requests.handle(Request("skip", {}))  # answered while the server hangs
    assert reply.ok and not screen.gate.is_set()
    tick.join(LONG)
    screen.open()
    settled(daemon)
    assert screen.calls[-2:] == [("show", 1), ("withdraw", 1)]
    assert screen.on_screen == on_screen_per_engine(daemon) == set()


def test_an_answer_while_a_repeat_is_being_shown_is_carried_out_after_it(running):
    daemon, clock, screen = running
    type_for(daemon, clock, 60)
    daemon.host.tick()
    settled(daemon)
    type_for(daemon, clock, 31)
    screen.hang()
    threading.Thread(target=daemon.host.tick).start()
    assert screen.inside.wait(LONG)
    daemon.requests.on_answer(1, "snooze")  # the notifier's thread: returns at once too
    screen.open()
    settled(daemon)
    assert screen.on_screen == on_screen_per_engine(daemon)


@dataclass
class Step:
    """One thing that can happen to a running daemon, from the thread it comes from."""

    name: str
    run: Callable[[], object]
    done: bool = False


def steps(daemon: Daemon, screen: Screen, ids: Callable[[], set[int]]) -> list[Step]:
    def answer(key: str) -> Callable[[], None]:
        def press() -> None:
            for rid in sorted(ids()):
                screen.on_screen.discard(rid)  # the server closes what was answered
                daemon.requests.on_answer(rid, key)

        return press

    return [
        Step("skip", lambda: daemon.requests.handle(Request("skip", {}))),
        Step("snooze", lambda: daemon.requests.handle(Request("snooze", {"seconds": 30}))),
        Step("resume", lambda: daemon.requests.handle(Request("resume", {}))),
        Step("answer skip", answer("skip")),
        Step("answer snooze", answer("snooze")),
    ]


def race(screen: Screen, chosen: list[Step], rng: random.Random) -> None:
    """Run the steps on threads of their own, all at once, while the server lets the calls
    it holds go one at a time, in a random order; then let everything through."""

    def run(step: Step) -> None:
        try:
            step.run()
        finally:
            with screen.changed:
                step.done = True
                screen.changed.notify_all()

    screen.hang()
    for step in chosen:
        threading.Thread(target=run, args=(step,), name=step.name).start()
    with screen.changed:
        while not all(step.done for step in chosen):
            screen.changed.wait_for(
                lambda: screen.waiting or all(step.done for step in chosen), LONG
            )
            if screen.waiting:
                screen.let_one_go(rng)
    screen.open()


@pytest.mark.parametrize("seed", range(12))
def test_concurrent_skips_repeats_and_answers_leave_the_screen_as_the_engine_says(
    tmp_path: Path, seed: int
):
    """Threads (the wake-up, the control server, the notifier's answers) race while the
    server is slow and answers the calls it holds in a random order; whatever the order, once
    both lanes are through, the screen shows exactly the reminders the engine waits on."""
    rng = random.Random(seed)
    daemon, clock, screen = make_daemon(tmp_path)
    daemon.effects.start()
    try:

        def shown() -> set[int]:
            return {rid for kind, rid in screen.calls if kind == "show"}

        for _ in range(4):
            type_for(daemon, clock, rng.choice((30, 60, 90)))
            chosen = rng.sample(steps(daemon, screen, shown), k=4)
            race(screen, [Step("tick", daemon.host.tick), *chosen], rng)
            settled(daemon)
            names = [step.name for step in chosen]
            assert screen.on_screen == on_screen_per_engine(daemon), names
    finally:
        screen.open()
        daemon.effects.stop()


def test_shutdown_carries_out_what_was_asked_before_it(tmp_path: Path):
    daemon, clock, screen = make_daemon(tmp_path)
    daemon.effects.start()
    type_for(daemon, clock, 60)
    screen.hang()
    threading.Thread(target=daemon.host.tick).start()
    assert screen.inside.wait(LONG)
    daemon.requests.handle(Request("skip", {}))
    screen.open()
    daemon._shutdown()
    assert screen.calls == [("show", 1), ("withdraw", 1)] and screen.closed


# --- a notification server that hangs ---------------------------------------------------------


@dataclass
class HangingServer(FakeServer):
    """Answers Notify only when the test lets it (a server that sleeps in every call)."""

    gate: threading.Event = field(default_factory=threading.Event)
    inside: threading.Event = field(default_factory=threading.Event)

    def answer(self, member: str, msg: Message) -> Message:
        if member == "Notify":
            self.inside.set()
            self.gate.wait(LONG)
        return super().answer(member, msg)


def test_a_hanging_notification_server_does_not_delay_breakd_status(
    tmp_path: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
):
    """`breakd status` and `breakd skip` are answered, over the control socket, while the
    notification lane is still inside the server's Notify call."""
    session: SessionBus = request.getfixturevalue("bus")  # a private session bus
    server = HangingServer(session.address).start()
    clock = FakeClock()
    holder: list[Daemon] = []
    notifier = DBusNotifier(
        on_action=lambda rid, key: holder[0].requests.on_answer(rid, key),
        snooze_label="Snooze 5 min",
        bus_address=session.address,
        timeout=2 * LONG,  # hung, not failed: the call is still waiting when status is asked
    )
    daemon = Daemon(REPEATING, clock=clock, notifier=notifier)
    holder.append(daemon)
    env = {"XDG_RUNTIME_DIR": str(tmp_path)}
    control = ControlServer(socket_path(env), daemon.requests.handle, version="test")
    control.start()
    daemon.effects.start()
    try:
        type_for(daemon, clock, 60)
        daemon.host.tick()  # the wake-up only queues the reminder
        assert server.inside.wait(LONG)  # the notify lane is inside Notify; the server sleeps
        assert control_command("status", Options(), env=env) == 0
        assert "sitting" in capsys.readouterr().out
        reply = client.request(socket_path(env), "skip", {})
        assert reply.ok
        assert not server.gate.is_set() and server.notify_calls == []  # still inside the call
    finally:
        server.gate.set()
        daemon.effects.stop()
        control.stop()
        notifier.close()
        server.stop()
    assert len(server.notify_calls) == 1 and server.closed  # shown, then the skip withdrew it


def test_a_reload_swaps_the_notifier_in_turn_not_under_a_call_in_progress(running, tmp_path):
    """A new notify.backend while the server hangs in a show: the reload is answered at
    once; the show finishes on the old notifier, which is closed only then."""
    daemon, clock, screen = running
    new = Screen()
    daemon.effects._make_notifier = lambda config: new
    type_for(daemon, clock, 60)
    screen.hang()
    threading.Thread(target=daemon.host.tick).start()
    assert screen.inside.wait(LONG)
    (tmp_path / "c.toml").write_text('[notify]\nbackend = "plyer"\n')
    assert daemon.reload() is None  # while the old notifier is still inside its call
    assert not screen.closed and daemon.effects.notifier is screen
    screen.open()
    settled(daemon)
    assert screen.calls == [("show", 1)] and screen.closed
    assert daemon.effects.notifier is new
