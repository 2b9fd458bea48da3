"""One wake-up at a time for the engine, through APScheduler 3.

The scheduler holds at most one date job: "call the engine at t". With no job it blocks
without waking, so an idle user costs nothing. Facts this relies on (measured, see
shared/notes/pitfalls.md): due times are wall-clock, sleeping is CLOCK_MONOTONIC (stops during
suspend), and a job later than misfire_grace_time is dropped. So: no grace limit (a late
wake-up still runs: the engine decides what is still due, so there is no burst of stale
reminders), and any reschedule wakes the scheduler so it re-reads its clock.

Stopping waits for a callback in progress (up to ``STOP_WAIT``), so none writes after the
daemon has closed the store and the notifier; a callback due after ``stop`` does not run.
APScheduler's own ``shutdown(wait=True)`` cannot do that: it waits while holding the job
store lock that a running callback needs to reschedule, and the two would wait for each other.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

_JOB_ID = "engine-wakeup"
STOP_WAIT = 30.0  # seconds stop() waits for a running callback (a hung one must not hang us)
log = logging.getLogger("breakd.timer")


class WakeTimer:
    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback = callback
        self._running = threading.Condition()  # guards _busy and _stopped
        self._busy: set[int] = set()  # threads running a callback now
        self._stopped = False
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            # A wake-up added while the previous one still runs must queue, not be skipped: the
            # single worker and the daemon lock already keep runs one at a time.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 8},
            timezone=dt.timezone.utc,
        )

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        """No callback runs after this returns (unless one outlasts ``STOP_WAIT``)."""
        with self._running:
            self._stopped = True  # no job is added from now on (see _add)
        if self._scheduler.running:
            # No job may be due when the scheduler stops: APScheduler's last look at its jobs
            # then runs with the scheduler stopped, and fails to remove a job it ran
            # (JobLookupError in its thread). Removing them waits for a look in progress.
            self._scheduler.remove_all_jobs()
            self._scheduler.shutdown(wait=False)
        me = threading.get_ident()
        with self._running:
            if not self._running.wait_for(lambda: not self._busy - {me}, STOP_WAIT):
                log.warning("stopped while a wake-up still runs (over %.0f s)", STOP_WAIT)

    def _run(self, callback: Callable[[], None]) -> None:
        """Every callback runs through here: none starts after stop(), stop() waits for it."""
        me = threading.get_ident()
        with self._running:
            if self._stopped:
                return
            self._busy.add(me)
        try:
            callback()
        finally:
            with self._running:
                self._busy.discard(me)
                self._running.notify_all()

    def wake_in(self, seconds: float | None) -> None:
        """Run the callback once, ``seconds`` from now; None cancels the pending wake-up."""
        if seconds is None:
            self.cancel()
            return
        self._add(_JOB_ID, seconds, self._callback)

    def wake_now(self) -> None:
        self.wake_in(0.0)

    def cancel(self) -> None:
        if self._scheduler.get_job(_JOB_ID) is not None:
            try:
                self._scheduler.remove_job(_JOB_ID)
            except Exception:  # it fired in between: nothing left to cancel
                log.debug("wake-up already gone")

    def call_in(self, job_id: str, seconds: float, callback: Callable[[], None]) -> None:
        """A second, independent one-shot job (e.g. the status push for status bars)."""
        self._add(job_id, seconds, callback)

    def _add(self, job_id: str, seconds: float, callback: Callable[[], None]) -> None:
        run_date = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=max(seconds, 0.0))
        with self._running:  # not while stop() clears the jobs, nor after it
            if self._stopped:
                return
            self._scheduler.add_job(
                self._run,
                "date",
                args=(callback,),
                run_date=run_date,
                id=job_id,
                replace_existing=True,
            )

    def pending(self) -> dt.datetime | None:
        job = self._scheduler.get_job(_JOB_ID)
        return None if job is None else job.trigger.run_date
