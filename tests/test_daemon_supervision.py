"""The daemon's threads: deaths are loud, stopping waits for a wake-up, the wake-up chain holds."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from breakd.daemon import lifecycle, supervise
from breakd.core.types import Reminder
from breakd.daemon import RETRY_MAX
from breakd.store.sqlite import Store
from tests.e2e.desktop import wait_until
from tests.test_daemon import FakeNotifier, make_daemon, type_for


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
