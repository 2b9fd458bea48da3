"""The wake-up timer: one-shot jobs by id, run one at a time on its thread, none after stop.

No timings asserted: jobs are due now (or far away), and each test waits on events.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from breakd.adapters.timer import WakeTimer
from tests.e2e.desktop import wait_until

LONG = 10.0  # seconds before a hang counts as a failure (never an assertion)


class Calls:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.seen = threading.Semaphore(0)

    def job(self, name: str):
        def run() -> None:
            self.names.append(name)
            self.seen.release()

        return run

    def wait(self, count: int = 1) -> None:
        for _ in range(count):
            assert self.seen.acquire(timeout=LONG), f"only {self.names} ran"


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def timer(calls: Calls) -> Iterator[WakeTimer]:
    wake = WakeTimer(calls.job("wake"))
    yield wake
    wake.stop()


def test_a_wakeup_runs_once_when_due_and_none_without_one(timer: WakeTimer, calls: Calls) -> None:
    timer.start()
    assert timer.pending() is None
    timer.wake_in(3600)
    assert timer.pending() is not None  # far away: waits
    timer.wake_now()  # replaces it
    calls.wait()
    assert calls.names == ["wake"] and timer.pending() is None


def test_cancel_and_none_drop_the_wakeup(timer: WakeTimer, calls: Calls) -> None:
    timer.wake_in(0)
    timer.cancel()
    timer.wake_in(0)
    timer.wake_in(None)
    timer.call_in("other", 0, calls.job("other"))
    timer.start()
    calls.wait()
    assert calls.names == ["other"] and timer.pending() is None


def test_jobs_run_in_due_order_one_at_a_time(timer: WakeTimer, calls: Calls) -> None:
    inside = threading.Event()
    release = threading.Event()

    def slow() -> None:
        inside.set()
        assert release.wait(LONG)
        calls.names.append("slow")

    timer.call_in("slow", 0, slow)
    timer.start()
    assert inside.wait(LONG)
    timer.call_in("later", 0, calls.job("later"))
    timer.wake_now()  # both due while "slow" runs: after it
    release.set()
    calls.wait(2)
    assert calls.names[0] == "slow" and sorted(calls.names[1:]) == ["later", "wake"]


def test_a_job_that_raises_does_not_end_the_wakeups(timer: WakeTimer, calls: Calls) -> None:
    def broken() -> None:
        raise RuntimeError("bug")

    timer.call_in("broken", 0, broken)
    timer.start()
    timer.wake_now()
    calls.wait()
    assert calls.names == ["wake"]


def test_stop_waits_for_a_running_job_and_runs_no_more(calls: Calls) -> None:
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def slow() -> None:
        inside.set()
        assert release.wait(LONG)
        order.append("job done")

    timer = WakeTimer(slow)
    timer.start()
    timer.wake_now()
    assert inside.wait(LONG)
    stopping = threading.Thread(target=lambda: (timer.stop(), order.append("stopped")))
    stopping.start()
    wait_until(lambda: timer._stopped, LONG, "stop to begin")
    timer.call_in("after", 0, calls.job("after"))  # due, but stop has begun
    release.set()
    stopping.join(LONG)
    assert order == ["job done", "stopped"]
    assert calls.names == []
