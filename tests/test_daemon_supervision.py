"""The daemon's threads: deaths are loud, stopping waits for a wake-up, the wake-up chain holds."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.config.load import Loaded
from breakd.control.protocol import Reply, Request
from breakd.core.types import Reminder
from breakd.daemon import RETRY_MAX, Daemon, lifecycle, supervise
from breakd.store.sqlite import Store
from tests.e2e.desktop import wait_until
from tests.test_daemon import REPEATING, FakeNotifier, make_daemon, type_for


def _die_in_a_thread(exc: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "excepthook", lifecycle._log_thread_death)

    def fail() -> None:
        raise exc

    thread = threading.Thread(target=fail, name="breakd-doomed")
    thread.start()
    thread.join()


def test_a_thread_that_dies_is_an_error_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="breakd"):
        _die_in_a_thread(RuntimeError("the bug"), monkeypatch)
    (record,) = [r for r in caplog.records if "breakd-doomed" in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert "thread breakd-doomed died: RuntimeError" in record.getMessage()
    assert "the bug" in caplog.text and "in fail" in caplog.text  # the traceback


def test_pynput_listeners_ending_with_the_x_server_stay_a_debug_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    xlib_error = pytest.importorskip("Xlib.error")
    with caplog.at_level(logging.DEBUG, logger="breakd"):
        _die_in_a_thread(xlib_error.ConnectionClosedError("display"), monkeypatch)
    (record,) = [r for r in caplog.records if "breakd-doomed" in r.getMessage()]
    assert record.levelno == logging.DEBUG and record.exc_info is None


def test_the_wakeup_chain_survives_an_engine_that_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    daemon, clock, notifier = make_daemon(tmp_path)
    type_for(daemon, clock, 10)
    daemon.host.timer.cancel()

    def broken(*_args: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(daemon.host.engine, "advance", broken)
    monkeypatch.setattr(daemon.host.engine, "next_wakeup", broken)
    with caplog.at_level(logging.ERROR, logger="breakd"):
        daemon.host.tick()
    assert "internal error while checking reminders" in caplog.text
    assert "internal error while planning the next check" in caplog.text
    pending = daemon.host.timer.pending()
    assert pending is not None  # tried again later: reminders do not stop for good
    assert daemon.host.wake_after_error() == RETRY_MAX  # next_wakeup raises: the longest wait
    monkeypatch.undo()
    type_for(daemon, clock, 60)
    daemon.host.tick()  # the engine works again: so do reminders
    assert [r.kind.value for r in notifier.shown] == ["sitting"]


class SlowNotifier(FakeNotifier):
    """Holds ``show`` until released: a notification server answering slowly."""

    def __init__(self, order: list[str]) -> None:
        super().__init__()
        self.order = order
        self.entered = threading.Event()
        self.release = threading.Event()

    def show(self, reminder: Reminder) -> bool:
        self.entered.set()
        assert self.release.wait(30)
        self.order.append("shown")
        return super().show(reminder)

    def close(self) -> None:
        self.order.append("notifier closed")
        super().close()


def test_stopping_waits_for_a_wakeup_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    daemon, clock, _ = make_daemon(tmp_path)
    notifier = SlowNotifier(order)
    store = Store.open(tmp_path / "breakd.db")
    close_store = store.close
    monkeypatch.setattr(store, "close", lambda: (order.append("store closed"), close_store()))
    daemon.effects.notifier, daemon.effects.store = notifier, store
    type_for(daemon, clock, 61)
    daemon.host.timer.start()
    daemon.host.timer.wake_now()
    assert notifier.entered.wait(30), "the wake-up never showed the reminder"
    stopping = threading.Thread(target=daemon._shutdown, name="stopping")
    stopping.start()
    wait_until(lambda: daemon.host.timer._stopped, 10, "stop to begin")
    assert order == []  # the store and the notifier stay open while the wake-up runs
    notifier.release.set()
    stopping.join(30)
    assert not stopping.is_alive()
    assert order == ["shown", "store closed", "notifier closed"]


def test_input_supervision_that_fails_starts_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    daemon, _, _ = make_daemon(tmp_path)
    monkeypatch.setattr(supervise, "RESTART_FIRST", 0.01)
    runs: list[int] = []

    def supervise_once() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("supervisor bug")
        daemon._stopping.wait()  # the second run supervises until the daemon stops

    monkeypatch.setattr(daemon.sources, "_supervise", supervise_once)
    supervisor = threading.Thread(target=daemon.sources._supervise_input)
    with caplog.at_level(logging.ERROR, logger="breakd"):
        supervisor.start()
        wait_until(lambda: len(runs) == 2, 10, "supervision to start again")
    daemon.request_stop()
    supervisor.join(10)
    assert not supervisor.is_alive() and runs == [0, 1]
    assert "input supervision failed" in caplog.text and "supervisor bug" in caplog.text


# --- reloads: one at a time; the desktop's part on the main thread ----------------------------

LONG = 30.0  # seconds before a hang is called a failure (never an assertion about speed)
QUIET = 0.5  # seconds to watch for something that must not happen


@contextlib.contextmanager
def main_loop(daemon: Daemon) -> Iterator[threading.Thread]:
    """The daemon's main thread as ``run`` leaves it waiting, without input or a socket."""

    def loop() -> None:
        daemon._main_thread = threading.get_ident()
        daemon._main_loop()

    thread = threading.Thread(target=loop, name="main")
    thread.start()
    try:
        wait_until(lambda: daemon._main_thread == thread.ident, 10, "the main loop to run")
        yield thread
    finally:
        daemon.request_stop()
        thread.join(LONG)
        assert not thread.is_alive()


def test_a_control_reload_is_answered_without_waiting_for_the_tray_and_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, _, _ = make_daemon(tmp_path)
    entered, release = threading.Event(), threading.Event()
    applied_on: list[str] = []

    def slow_calls(config: object) -> None:  # call watchers starting on a bus that hangs
        applied_on.append(threading.current_thread().name)
        entered.set()
        assert release.wait(LONG)

    monkeypatch.setattr(daemon.sources, "configure_calls", slow_calls)
    monkeypatch.setattr(
        daemon, "_apply_tray", lambda config: applied_on.append(threading.current_thread().name)
    )
    (tmp_path / "c.toml").write_text('[sitting]\nevery = "2m"\n')
    with main_loop(daemon):
        reply = daemon.requests.handle(Request("reload", {}))  # the control thread's part
        assert reply.ok and reply.result["message"].startswith("config reloaded")
        assert daemon.host.engine.config.sitting.every == 120.0  # taken before the answer
        assert entered.wait(LONG), "the call watchers were never configured"
        assert applied_on == ["main"]  # still inside: the answer did not wait for it
        release.set()
        wait_until(lambda: applied_on == ["main", "main"], 10, "the tray on the main thread")


def test_a_bad_config_leaves_the_tray_and_calls_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, _, _ = make_daemon(tmp_path)
    applied: list[object] = []
    monkeypatch.setattr(daemon, "_apply_desktop", lambda: applied.append("desktop"))
    (tmp_path / "c.toml").write_text("[sitting]\nevry = 5\n")
    with main_loop(daemon):
        reply = daemon.requests.handle(Request("reload", {}))
        assert not reply.ok and "sitting.evry" in (reply.error or "")
    assert applied == []


def test_a_control_reload_and_a_sighup_reload_take_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, _, _ = make_daemon(tmp_path)
    real_load = lifecycle.load
    order: list[str] = []
    first_in, release_first, second_in = threading.Event(), threading.Event(), threading.Event()

    def load(path: str | None) -> Loaded:  # the first read holds, as a slow disk would
        who = threading.current_thread().name
        order.append(f"{who} reads")
        if who == "control":
            first_in.set()
            assert release_first.wait(LONG)
        else:
            second_in.set()
        loaded = real_load(path)
        order.append(f"{who} done")
        return loaded

    monkeypatch.setattr(lifecycle, "load", load)
    reloading = threading.Event()
    sighup_reload = daemon.reload  # the main loop's; the control request holds its own
    monkeypatch.setattr(daemon, "reload", lambda: (reloading.set(), sighup_reload())[1])
    (tmp_path / "c.toml").write_text('[sitting]\nevery = "2m"\n')
    replies: list[Reply] = []
    control = threading.Thread(
        target=lambda: replies.append(daemon.requests.handle(Request("reload", {}))),
        name="control",
    )
    with main_loop(daemon):
        control.start()
        assert first_in.wait(LONG)
        daemon.request_reload()  # what SIGHUP does
        assert reloading.wait(LONG), "the main thread never began its reload"
        assert not second_in.wait(QUIET)  # it waits for the control thread's reload
        release_first.set()
        control.join(LONG)
        assert second_in.wait(LONG)
        wait_until(lambda: len(order) == 4, 10, "the second reload to finish")
    assert order == ["control reads", "control done", "main reads", "main done"]
    assert [r.ok for r in replies] == [True]


# --- stopping: what comes once it has begun is not carried out --------------------------------


def test_answers_and_clicks_while_stopping_are_not_carried_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An answer or a tray click between the effects worker's end and the store and notifier
    closing would be carried out on its own thread while they close: it is not."""
    daemon, clock, notifier = make_daemon(tmp_path, REPEATING)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    (reminder,) = notifier.shown
    late: list[Reply] = []
    close = daemon.effects.close

    def answered_while_closing() -> None:  # the worst moment: the worker has just ended
        daemon.requests.on_answer(reminder.id, "skip")
        daemon.requests.on_checkin(dt.date.today(), 3)
        late.append(daemon.requests.handle(Request("pause", {"seconds": 600})))
        close()

    monkeypatch.setattr(daemon.effects, "close", answered_while_closing)
    with caplog.at_level(logging.DEBUG, logger="breakd"):
        daemon._shutdown()
    assert notifier.closed and notifier.withdrawn == []  # the skip did nothing
    status = daemon.host.engine.status(clock.t)
    assert status.paused_until is None and any(k.pending for k in status.kinds)
    assert not status.kinds[0].snoozed_until
    (reply,) = late
    assert not reply.ok and reply.error == "breakd is not running"
    lines = [r for r in caplog.records if "while stopping" in r.getMessage()]
    assert [r.levelno for r in lines] == [logging.DEBUG] * 3
    assert "answer 'skip' to reminder 1 while stopping" in lines[0].getMessage()
