"""The daemon's two effects lanes (issue 14): a notification server that hangs holds up only
later notifications. Status pushes, the tray, statistics, hooks and control replies go on;
the screen still gets shows and withdraws in the engine's order; shutdown still records.

No timings: a hung server is a notifier whose calls wait until the test lets them go.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from breakd.control.protocol import Request
from breakd.core.types import Action, Show, Withdraw
from breakd.daemon import Daemon
from breakd.store.sqlite import Store
from tests.e2e.desktop import wait_until
from tests.test_daemon import FakeClock, FakeControl, make_config, type_for
from tests.test_daemon_effects import LONG, Screen, on_screen_per_engine, settled

# A reminder a minute that repeats every 30 s of typing; a hook hears of each showing.
CONFIG = make_config(
    only=("sitting",),
    sitting={"every": 60.0, "repeat": 30.0, "max_repeats": 3},
    notify={"grace_pause": 1.0, "min_gap": 0.0},
    hooks={"shown": ("true",)},
)


@dataclass
class FakeTray:
    shown: list[dict[str, object]] = field(default_factory=list)
    stopped: bool = False

    def show(self, result: dict[str, object]) -> None:
        self.shown.append(result)

    def stop(self) -> None:
        self.stopped = True


@dataclass
class Lanes:
    daemon: Daemon
    clock: FakeClock
    screen: Screen
    store: Store
    control: FakeControl
    tray: FakeTray
    fired: list[str]  # the hooks that would have run
    engine_order: list[tuple[str, int]]  # shows and withdraws, as the effects lane got them

    def minutes_stored(self) -> int:
        """Key presses in the statistics file (read as `breakd stats` would)."""
        today = dt.date.today()
        with Store.open(self.store.path, readonly=True) as reader:
            history = reader.history(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
        return sum(m.keys for m in history.minutes)


def make_lanes(tmp_path: Path) -> Lanes:
    clock, screen = FakeClock(), Screen()
    store = Store.open(tmp_path / "breakd.db")
    daemon = Daemon(
        CONFIG, config_path=str(tmp_path / "c.toml"), clock=clock, notifier=screen, store=store
    )
    effects = daemon.effects
    lanes = Lanes(daemon, clock, screen, store, FakeControl(), FakeTray(), [], [])
    effects.control, effects.tray = lanes.control, lanes.tray  # type: ignore[assignment]
    effects.hooks.runner.fire = lambda event: lanes.fired.append(event.hook.value)  # type: ignore[method-assign]
    carry_out = effects.carry_out

    def spied(actions: Sequence[Action]) -> None:  # the engine's order, on the effects lane
        for action in actions:
            if isinstance(action, Show):
                lanes.engine_order.append(("show", action.reminder.id))
            elif isinstance(action, Withdraw):
                lanes.engine_order.append(("withdraw", action.reminder_id))
        carry_out(actions)

    effects.carry_out = spied  # type: ignore[method-assign]
    return lanes


@pytest.fixture
def lanes(tmp_path: Path) -> Iterator[Lanes]:
    """A daemon whose lanes run (the wake-up is still called by the test)."""
    lanes = make_lanes(tmp_path)
    lanes.daemon.effects.start()
    yield lanes
    lanes.screen.open()
    lanes.daemon.effects.stop()
    lanes.store.close()


def effects_lane_through(daemon: Daemon) -> None:
    """Wait until the effects lane (not the notification lane) has carried out everything
    asked for so far."""
    reached = threading.Event()
    with daemon.host.turn() as turn:
        turn.then(reached.set)
    assert reached.wait(LONG), "the effects lane waited for the notification lane"


def hang_in_a_show(lanes: Lanes) -> None:
    """A reminder is due and the server hangs in showing it."""
    type_for(lanes.daemon, lanes.clock, 60)
    lanes.screen.hang()
    lanes.daemon.host.tick()  # queues only: returns while the show waits
    assert lanes.screen.inside.wait(LONG), "the show never reached the server"


def test_pushes_the_tray_statistics_hooks_and_control_go_on_while_a_show_hangs(lanes: Lanes):
    daemon, screen, control = lanes.daemon, lanes.screen, lanes.control
    hang_in_a_show(lanes)
    effects_lane_through(daemon)
    assert not screen.gate.is_set() and screen.calls == []  # still inside the show
    # (a) the wake-up's status is pushed to the subscriber and the tray
    (sitting,) = control.published[-1]["kinds"]
    assert sitting["pending"] and lanes.tray.shown[-1] is control.published[-1]
    # (b) its minutes and the showing are in the statistics; the hook heard of it
    assert lanes.minutes_stored() == 60
    assert lanes.fired == ["shown"]
    # (c) control requests are answered, and what they change is pushed at once
    status = daemon.requests.handle(Request("status", {}))
    assert status.ok and status.result["due"] is True
    pushes = len(control.published)
    assert daemon.requests.handle(Request("skip", {})).ok
    effects_lane_through(daemon)
    assert len(control.published) > pushes
    (sitting,) = control.published[-1]["kinds"]
    assert not sitting["pending"] and lanes.tray.shown[-1] is control.published[-1]
    assert screen.calls == []  # the server still holds the show; the withdraw waits behind it
    screen.open()
    settled(daemon)
    assert screen.calls == [("show", 1), ("withdraw", 1)]


def test_after_a_hang_the_screen_gets_shows_and_withdraws_in_the_engine_order(lanes: Lanes):
    daemon, clock, screen = lanes.daemon, lanes.clock, lanes.screen
    hang_in_a_show(lanes)
    daemon.requests.handle(Request("skip", {}))  # withdraws reminder 1
    type_for(daemon, clock, 60)
    daemon.host.tick()  # the next one
    type_for(daemon, clock, 31)
    daemon.host.tick()  # and its repeat
    daemon.requests.on_answer(2, "snooze")  # from the notification: withdraws it
    effects_lane_through(daemon)
    assert screen.calls == []  # all of it waits behind the first show
    expected = [("show", 1), ("withdraw", 1), ("show", 2), ("show", 2), ("withdraw", 2)]
    assert lanes.engine_order == expected
    screen.open()
    settled(daemon)
    assert screen.calls == expected
    assert screen.on_screen == on_screen_per_engine(daemon) == set()


def test_a_show_that_fails_goes_back_to_the_engine_from_the_notification_lane(lanes: Lanes):
    daemon, clock, screen = lanes.daemon, lanes.clock, lanes.screen
    failed_on: list[str] = []
    delivery_failed = daemon.host.engine.delivery_failed

    def spied(reminder_id: int, now: float) -> None:
        failed_on.append(threading.current_thread().name)
        delivery_failed(reminder_id, now)

    daemon.host.engine.delivery_failed = spied  # type: ignore[method-assign]
    screen.up = False
    type_for(daemon, clock, 60)
    daemon.host.tick()
    settled(daemon)  # the show failed; the engine's publish after it is queued
    effects_lane_through(daemon)
    assert failed_on == ["breakd-notify"]
    (sitting,) = lanes.control.published[-1]["kinds"]
    assert sitting["undelivered"] and daemon.host.engine.unseen is not None


def test_shutdown_with_a_hung_server_records_the_last_minutes_and_closes_once_let_go(
    tmp_path: Path,
):
    lanes = make_lanes(tmp_path)
    daemon, clock, screen = lanes.daemon, lanes.clock, lanes.screen
    order: list[str] = []
    close_store, close_screen = lanes.store.close, screen.close

    def store_closed() -> None:
        order.append("store closed")
        close_store()

    def screen_closed() -> None:
        order.append("notifier closed")
        close_screen()

    lanes.store.close = store_closed  # type: ignore[method-assign]
    screen.close = screen_closed  # type: ignore[method-assign]
    daemon.effects.start()
    hang_in_a_show(lanes)
    type_for(daemon, clock, 30)  # the last minutes, stored only by the shutdown
    stopping = threading.Thread(target=daemon._shutdown, name="stopping")
    stopping.start()
    wait_until(lambda: lanes.minutes_stored() == 90, LONG, "the shutdown's record")
    assert stopping.is_alive() and order == [] and not screen.closed  # the show still hangs
    screen.open()
    stopping.join(LONG)
    assert not stopping.is_alive()
    assert screen.calls == [("show", 1)] and lanes.minutes_stored() == 90
    assert order == ["store closed", "notifier closed"] and lanes.tray.stopped
