"""One wake-up at a time for the engine (and a few other one-shot jobs), on one thread.

Each job is "call this at wall-clock time t", kept by id (a new one replaces the old). One
thread waits for the earliest: with no job it waits with no timeout, so an idle user costs
nothing. Facts this relies on (shared/notes/pitfalls.md): due times are wall-clock, and the
wait sleeps on CLOCK_MONOTONIC (``Condition.wait``'s timeout), which stops during suspend; so
after a resume the wait runs out late, the due time read again from the wall clock has passed,
and the job runs then. A late job always runs (the engine decides what is still due, so there
is no burst of stale reminders), and every change wakes the thread so it re-reads its clock.
Jobs run one at a time, on the timer's thread.

Why not APScheduler, which did this before: for one date job its import cost the daemon
~5.6 MB of resident memory (asyncio, multiprocessing, importlib.metadata scanning every
installed package's entry points, tzlocal, uuid), a sixth of it.

Stopping waits for a callback in progress (up to ``STOP_WAIT``), so none writes after the
daemon has closed the store and the notifier; a callback due after ``stop`` does not run.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

_JOB_ID = "engine-wakeup"
STOP_WAIT = 30.0  # seconds stop() waits for a running callback (a hung one must not hang us)
log = logging.getLogger("breakd.timer")


class WakeTimer:
    def __init__(
        self, callback: Callable[[], None], clock: Callable[[], float] = time.time
    ) -> None:
        self._callback = callback
        self._clock = clock  # wall-clock seconds
        self._changed = threading.Condition()  # guards everything below
        self._jobs: dict[str, tuple[float, Callable[[], None]]] = {}  # id -> (due, callback)
        self._busy: set[int] = set()  # threads running a callback now
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._wait_and_run, name="breakd-wakeup")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """No callback runs after this returns (unless one outlasts ``STOP_WAIT``)."""
        me = threading.get_ident()
        with self._changed:
            self._stopped = True
            self._jobs.clear()
            self._changed.notify_all()
            if not self._changed.wait_for(lambda: not self._busy - {me}, STOP_WAIT):
                log.warning("stopped while a wake-up still runs (over %.0f s)", STOP_WAIT)

    def wake_in(self, seconds: float | None) -> None:
        """Run the callback once, ``seconds`` from now; None cancels the pending wake-up."""
        if seconds is None:
            self.cancel()
            return
        self.call_in(_JOB_ID, seconds, self._callback)

    def wake_now(self) -> None:
        self.wake_in(0.0)

    def cancel(self) -> None:
        with self._changed:
            self._jobs.pop(_JOB_ID, None)
            self._changed.notify_all()

    def call_in(self, job_id: str, seconds: float, callback: Callable[[], None]) -> None:
        """A one-shot job of its own (e.g. the status push for status bars); the same id
        again replaces it."""
        with self._changed:
            self._jobs[job_id] = (self._clock() + max(seconds, 0.0), callback)
            self._changed.notify_all()

    def pending(self) -> dt.datetime | None:
        with self._changed:
            job = self._jobs.get(_JOB_ID)
        return None if job is None else dt.datetime.fromtimestamp(job[0], dt.timezone.utc)

    def _wait_and_run(self) -> None:
        me = threading.get_ident()
        while True:
            with self._changed:
                callback = self._next_due()
                if callback is None:
                    return  # stopped
                self._busy.add(me)
            try:
                callback()
            except Exception:  # a failed job must not end the wake-ups for good
                log.exception("a timed job failed")
            finally:
                with self._changed:
                    self._busy.discard(me)
                    self._changed.notify_all()

    def _next_due(self) -> Callable[[], None] | None:
        """Wait (holding the condition) until the earliest job is due and take it; None once
        stopped."""
        while not self._stopped:
            if not self._jobs:
                self._changed.wait()
                continue
            job_id, (due, _) = min(self._jobs.items(), key=lambda item: item[1][0])
            left = due - self._clock()
            if left <= 0:
                return self._jobs.pop(job_id)[1]
            self._changed.wait(left)
        return None
