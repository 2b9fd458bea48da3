"""The daemon: wires the engine to input, time and notifications. No decisions live here.

Threads, and what each may do:
* pynput's listener threads call ``on_input`` (the hot path): clock read, engine input, and,
  rarely, a reschedule, all under one short lock;
* APScheduler's single worker runs ``_tick`` at the engine's wake-up time;
* the input supervisor recreates dead listeners (X server gone) with backoff, and with them
  the fullscreen watcher (X11);
* the desktop watcher reports do-not-disturb and the screen lock (D-Bus signals), and
  connects again by itself when the bus is lost;
* the main thread waits for signals: SIGTERM/SIGINT stop, SIGHUP reloads the config.
The lock guards the engine and the wake-up; notifications are shown outside it, so a slow
notification server never stalls input. A thread that dies of an exception is logged as an
error with its traceback; stopping waits for a wake-up in progress before the store and the
notifier close.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from breakd import __version__, exitcodes
from breakd.adapters.clock import Clock, engine_clock
from breakd.adapters.fullscreen import FullscreenWatcher
from breakd.adapters.input import InputWatcher, NoDisplay, check_display
from breakd.adapters.notifiers import ManagedNotifier, NotifierUnavailable, make_notifier
from breakd.adapters.presence import PresenceSource, SourceUnavailable, make_source
from breakd.adapters.systemd_notify import sd_notify, watchdog_interval
from breakd.adapters.timer import WakeTimer
from breakd.config.durations import format_duration
from breakd.config.load import ConfigError, load_config
from breakd.config.model import Config
from breakd.control.paths import socket_path
from breakd.control.protocol import Reply, Request, status_result
from breakd.control.server import AlreadyRunning, ControlServer
from breakd.core.calendar import day_of
from breakd.core.engine import Engine
from breakd.core.types import (
    Action,
    BreakNow,
    Command,
    InputKind,
    Kind,
    MinuteSample,
    NaturalBreak,
    Pause,
    Reminder,
    Resolved,
    Resume,
    Show,
    Skip,
    Snooze,
    TakeBreak,
    Urgency,
    Withdraw,
)
from breakd.stats.checkin import professional_notice
from breakd.store.records import minute_rows, records_for
from breakd.store.sqlite import Store, default_db_path

if TYPE_CHECKING:  # imported where it runs: D-Bus (jeepney) exists on Linux only
    from breakd.adapters.desktop_state import DesktopWatcher

log = logging.getLogger("breakd")

RETRY_FIRST = 2.0  # seconds before retrying an undelivered reminder; doubles each time
RETRY_MAX = 30.0
RESTART_FIRST = 1.0  # seconds before recreating dead input listeners; doubles each time
RESTART_MAX = 30.0
SOURCE_CHECK_EVERY = 60.0  # presence sources: how often their liveness is looked at
STATUS_PUSH_JOB = "status-push"
STATUS_PUSH_EVERY = 60.0  # status bars count down in minutes
# Engine states in which an unseen reminder is not retried: the user is gone or asked for quiet.
_NOT_NOW = frozenset({"away", "paused", "quiet", "off-hours"})


class Daemon:
    def __init__(
        self,
        config: Config,
        *,
        config_path: str | None = None,
        clock: Clock | None = None,
        notifier: ManagedNotifier | None = None,
        store: Store | None = None,
        source: str = "pynput",
        source_warning: str = "",
    ) -> None:
        self._source_name = source
        self._source_warning = source_warning  # e.g. pynput on Wayland: shown in status
        self._presence: PresenceSource | None = None
        self._config_path = config_path
        self._clock = clock or engine_clock()
        self._notifier = notifier or self._make_notifier(config)
        self._lock = threading.Lock()
        self._engine = Engine(config, self._clock(), dt.datetime.now())
        self._engine_input = self._engine.input
        self._timer = WakeTimer(self._tick)
        self._stopping = threading.Event()
        self._main_wake = threading.Event()
        self._reload_requested = False
        self._supervisor_wake = threading.Event()
        self._watcher: InputWatcher | None = None
        self._fullscreen_watcher: FullscreenWatcher | None = None
        self._desktop: DesktopWatcher | None = None  # Linux only
        self._desktop_dnd = False  # what the desktop says, before the config is applied
        self._fullscreen = False
        self._store = store
        self._store_lock = threading.Lock()  # sqlite3 connections are not for two threads at once
        self._store_error: str | None = None
        self._today: dt.date | None = None
        self._notify_config = config.notify
        self._control: ControlServer | None = None
        self._ready_sent = False
        self._undelivered: Reminder | None = None
        self._latest_shown = 0  # the newest reminder's id: answers to older ones are stale
        self._retry_delay = RETRY_FIRST
        self._retry_at: float | None = None

    # --- the hot path ---------------------------------------------------------------------

    def on_input(self, kind: InputKind) -> None:
        with self._lock:
            if self._engine_input(self._clock(), kind):
                self._timer.wake_now()

    # --- life cycle -------------------------------------------------------------------------

    def run(self) -> int:
        try:
            self._control = ControlServer(socket_path(), self.handle, version=__version__)
            self._control.start()
        except AlreadyRunning as err:
            who = f"pid {err.pid}" if err.pid else "another process"
            log.error("breakd is already running (%s, control socket %s)", who, err.path)
            return exitcodes.ALREADY_RUNNING
        self._install_signal_handlers()
        threading.excepthook = _log_thread_death
        if self._store is None:
            self._store = _open_store()
        self._new_day_if_needed()
        self._timer.start()
        self._watch_desktop()
        supervisor = threading.Thread(
            target=self._supervise_input, name="breakd-input-supervisor", daemon=True
        )
        supervisor.start()
        with self._lock:
            self._reschedule(self._clock())
        log.info("breakd %s running; reminders: %s", __version__, self._enabled_kinds())
        while not self._stopping.is_set():
            self._main_wake.wait()
            self._main_wake.clear()
            if self._reload_requested:
                self._reload_requested = False
                self.reload()
        self._shutdown()
        return exitcodes.OK

    def request_stop(self) -> None:
        self._stopping.set()
        self._main_wake.set()
        self._supervisor_wake.set()

    def request_reload(self) -> None:
        self._reload_requested = True
        self._main_wake.set()

    def reload(self) -> ConfigError | None:
        """Take the config file anew; a bad one is logged and returned, and the running
        config stays."""
        try:
            config = load_config(self._config_path)
        except ConfigError as err:
            log.error("config not reloaded, keeping the running one:\n%s", err)
            return err
        with self._lock:
            now = self._clock()
            self._engine.reconfigure(config, now)
            self._reschedule(now)
            if self._watcher is not None:
                self._watcher.set_counting(config.activity.count_input)
            old_notify, self._notify_config = self._notify_config, config.notify
            self._apply_do_not_disturb()
        if old_notify.backend != config.notify.backend:
            self._notifier.close()
            self._notifier = self._make_notifier(config)
        elif old_notify.snooze != config.notify.snooze:
            self._notifier.set_snooze_label(_snooze_label(config))
        log.info("config reloaded; reminders: %s", self._enabled_kinds())
        self._publish()
        return None

    def _shutdown(self) -> None:
        sd_notify("STOPPING=1")
        if self._control is not None:
            self._control.stop()
        self._timer.stop()
        if self._desktop is not None:
            self._desktop.stop()
        if self._fullscreen_watcher is not None:
            self._fullscreen_watcher.stop()
        if self._watcher is not None:
            self._watcher.stop()  # returns at once; pynput's threads are daemons
        with self._lock:
            self._engine.monitor.close_partial_minute(self._clock())
            minutes = self._engine.take_minutes()
        self._record((), minutes)
        if self._store is not None:
            with self._store_lock:
                self._store.close()
        self._notifier.close()
        log.info("stopped")

    def _install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, lambda *_: self.request_stop())
        signal.signal(signal.SIGINT, lambda *_: self.request_stop())
        signal.signal(signal.SIGHUP, lambda *_: self.request_reload())

    # --- input listeners ------------------------------------------------------------------

    def _supervise_input(self) -> None:
        """Run the supervision; a bug in it is logged loudly and it starts over (with
        backoff), since a daemon that sees no activity is useless."""
        delay = RESTART_FIRST
        while not self._stopping.is_set():
            try:
                self._supervise()
                return
            except Exception:  # a blind daemon must say so loudly, not in a debug line
                log.exception(
                    "input supervision failed: no activity is seen; starting it again in %s",
                    format_duration(round(delay)),
                )
            self._drop_sources()
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, RESTART_MAX)

    def _drop_sources(self) -> None:
        """Stop whatever input listeners or presence source a failed supervision left."""
        watcher, presence = self._watcher, self._presence
        self._watcher = self._presence = None
        for part in (watcher, presence):
            if part is not None:
                try:
                    part.stop()
                except Exception:
                    log.exception("stopping a failed activity source")

    def _supervise(self) -> None:
        if self._source_name != "pynput":
            self._supervise_presence()
            return
        delay = RESTART_FIRST
        had_input = False
        while not self._stopping.is_set():
            self._supervisor_wake.clear()
            watcher = InputWatcher(
                self.on_input,
                self._clock,
                self._supervisor_wake,
                count_input=self._engine.config.activity.count_input,
            )
            try:
                watcher.start()
            except Exception as exc:
                log.warning("input listeners failed to start: %s", exc)
            if watcher.alive():
                self._watcher = watcher
                self._watch_fullscreen()
                log.info(
                    "%s keyboard and mouse activity (pynput, %s)",
                    "watching again:" if had_input else "watching",
                    f"X display {os.environ.get('DISPLAY', '')}"
                    if sys.platform.startswith("linux")
                    else sys.platform,
                )
                had_input, delay = True, RESTART_FIRST
                self._notify_ready("watching keyboard and mouse")
                self._supervisor_wake.wait()  # blocks until a listener dies or we stop
                if self._stopping.is_set():
                    return
                watcher.stop()
                log.warning("input listeners stopped (X server gone?); no activity is seen")
            sd_notify("STATUS=no input listeners: retrying")  # not READY: input is not up
            log.info("retrying input listeners in %s", format_duration(delay))
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, RESTART_MAX)

    def _watch_fullscreen(self) -> None:
        """A new fullscreen watcher with each new set of listeners (a new X server)."""
        if self._fullscreen_watcher is not None:
            self._fullscreen_watcher.stop()
        self._fullscreen_watcher = FullscreenWatcher(self.on_fullscreen)
        self._fullscreen_watcher.start()

    def input_alive(self) -> bool:
        if self._presence is not None:
            return self._presence.alive()
        return self._watcher is not None and self._watcher.alive()

    # --- presence sources (Wayland): activity as "active" / "idle for n s" -----------------

    def _supervise_presence(self) -> None:
        """Start the presence source and restart it with backoff when it is lost. Sources
        have no death signal yet, so liveness is looked at once a minute, in this mode only."""
        delay = RESTART_FIRST
        while not self._stopping.is_set():
            source = make_source(self._source_name)
            try:
                source.start(_PresenceBridge(self), self._presence_threshold())
            except SourceUnavailable as exc:
                log.warning("activity source %s unavailable: %s", self._source_name, exc)
            else:
                self._presence, delay = source, RESTART_FIRST
                log.info("watching activity through %s (presence only)", self._source_name)
                self._notify_ready(f"watching activity through {self._source_name}")
                while source.alive():
                    if self._stopping.wait(SOURCE_CHECK_EVERY):
                        source.stop()
                        return
                log.warning("activity source %s lost; no activity is seen", self._source_name)
                source.stop()
                self.source_idle(0.0)  # nobody can say the user is still there
            sd_notify("STATUS=no activity source: retrying")
            log.info("retrying the activity source in %s", format_duration(delay))
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, RESTART_MAX)

    def _presence_threshold(self) -> float:
        # Short enough for the typing grace to see pauses, long enough not to flap.
        config = self._engine.config
        return min(config.activity.active_gap, max(config.notify.grace_pause, 5.0))

    def source_active(self) -> None:
        with self._lock:
            if self._engine.activity_began(self._clock()):
                self._timer.wake_now()

    def source_idle(self, idle_for: float) -> None:
        with self._lock:
            self._engine.activity_ended(self._clock(), idle_for)
            # The pause a reminder held back by the typing grace waited for: look now.
            self._timer.wake_now()

    def _notify_ready(self, state: str) -> None:
        """Tell systemd (Type=notify) we are up, once; then keep STATUS current."""
        if not self._ready_sent:
            self._ready_sent = True
            sd_notify(f"READY=1\nSTATUS={state}")
            interval = watchdog_interval()
            if interval is not None:
                threading.Thread(
                    target=self._watchdog, args=(interval / 2,), name="breakd-watchdog", daemon=True
                ).start()
        else:
            sd_notify(f"STATUS={state}")

    def _watchdog(self, every: float) -> None:
        """Pet systemd's watchdog only while input is seen, so a daemon blind to input for
        long is restarted. Runs only when the unit asks for a watchdog."""
        while not self._stopping.wait(every):
            if self.input_alive():
                sd_notify("WATCHDOG=1")

    # --- desktop etiquette: do-not-disturb, fullscreen windows, the screen lock -----------

    def _watch_desktop(self) -> None:
        if not sys.platform.startswith("linux"):
            return  # do-not-disturb and the lock come over D-Bus (jeepney is Linux-only)
        from breakd.adapters.desktop_state import DesktopWatcher

        self._desktop = DesktopWatcher(self.on_desktop_dnd, self.on_screen_lock)
        self._desktop.start()

    def on_desktop_dnd(self, on: bool) -> None:
        with self._lock:
            self._desktop_dnd = on
            self._apply_do_not_disturb()
        self._publish()

    def on_fullscreen(self, on: bool) -> None:
        with self._lock:
            self._fullscreen = on
            self._apply_do_not_disturb()
        self._publish()

    def on_screen_lock(self, locked: bool) -> None:
        with self._lock:
            now = self._clock()
            self._engine.set_locked(locked, now)
            self._reschedule(now)
        log.info("screen %s", "locked: counted as away" if locked else "unlocked")
        self._publish()

    def _apply_do_not_disturb(self) -> None:
        """Tell the engine whether to hold reminders; when that ends, the wake-up shows the
        most important one due. Call with the lock held."""
        notify = self._notify_config
        hold = (self._desktop_dnd and notify.respect_dnd) or (
            self._fullscreen and notify.hold_in_fullscreen
        )
        self._engine.set_do_not_disturb(hold)
        self._timer.wake_now()  # advance(): shows what was held, or reschedules

    # --- control commands (the control server's thread) -----------------------------------

    def handle(self, request: Request) -> Reply:
        if request.cmd == "status":
            result = self._status()
            self._keep_pushing(result)  # a new subscriber asks for status first
            return Reply.success(result)
        if request.cmd == "reload":
            error = self.reload()
            if error is None:
                return Reply.success({"message": "config reloaded"})
            return Reply.failure(f"config not reloaded, the running config stays:\n{error}")
        command = self._command_for(request)
        if command is None:
            return Reply.failure(f"unknown command {request.cmd!r}")
        with self._lock:
            now = self._clock()
            actions = self._engine.command(command, now)
            self._reschedule(now)
            message = self._command_message(command, now)
        self._carry_out(actions)
        self._record(actions, ())
        log.info("%s", message)
        self._publish()
        return Reply.success({"message": message})

    def _status(self) -> dict[str, object]:
        with self._lock:
            now = self._clock()
            status = self._engine.status(now)
            config = self._engine.config
        wall_now = time.time()
        result = status_result(
            status,
            to_epoch=lambda t: wall_now + (t - now),
            source=self._source_name,
            pid=os.getpid(),
            version=__version__,
        )
        result.update(
            counting=config.activity.count_input and self._source_name == "pynput",
            off_hours=status.state == "off-hours",
            due=any(k.pending or k.due_in == 0 for k in status.kinds),
            sitting_every=config.sitting.every if config.sitting.enabled else None,
        )
        if self._source_warning:
            result["warning"] = self._source_warning
        return result

    def on_answer(self, reminder_id: int, key: str) -> None:
        """A button on a notification: answered like the command line would."""
        answers: dict[str, Command] = {"take": TakeBreak(), "snooze": Snooze(None), "skip": Skip()}
        command = answers.get(key)
        if command is None:
            return
        with self._lock:
            stale = reminder_id < self._latest_shown and not self._engine.is_pending(reminder_id)
            if stale:  # an old notification left on screen: its answer is not for a newer one
                log.info("reminder %d answered from an old notification: ignored", reminder_id)
                return
            now = self._clock()
            actions = self._engine.command(command, now)
            self._reschedule(now)
        log.info("reminder %d answered from the notification: %s", reminder_id, key)
        self._carry_out(actions)
        self._record(actions, ())
        self._publish()

    # --- status bars ----------------------------------------------------------------------

    def _publish(self) -> None:
        """Push the status to subscribers (status bars); free when there are none."""
        if self._control is None or not self._control.subscribers:
            return
        result = self._status()
        self._control.publish(result)
        self._keep_pushing(result)

    def _keep_pushing(self, result: dict[str, object]) -> None:
        """Once a minute while a countdown runs and someone listens; otherwise no timer."""
        kinds = result.get("kinds", ())
        counting = result.get("state") not in ("paused", "away") and any(
            isinstance(k, dict) and k.get("due_in") is not None
            for k in (kinds if isinstance(kinds, list | tuple) else ())
        )
        if counting and self._control is not None and self._control.subscribers:
            self._timer.call_in(STATUS_PUSH_JOB, STATUS_PUSH_EVERY, self._publish)

    def _make_notifier(self, config: Config) -> ManagedNotifier:
        return make_notifier(
            config.notify.backend, on_action=self.on_answer, snooze_label=_snooze_label(config)
        )

    def _command_for(self, request: Request) -> Command | None:
        args = request.args
        if request.cmd == "snooze":
            return Snooze(args.get("seconds"))
        if request.cmd == "skip":
            return Skip()
        if request.cmd == "resume":
            return Resume()
        if request.cmd == "break-now":
            return BreakNow()
        if request.cmd == "pause":
            return Pause(until=self._pause_end(args))
        return None

    def _pause_end(self, args: Mapping[str, object]) -> float | None:
        now = self._clock()
        seconds, until = args.get("seconds"), args.get("until")
        if isinstance(seconds, int | float):
            return now + float(seconds)
        if isinstance(until, int | float):
            return now + (float(until) - time.time())
        if args.get("tomorrow"):
            return self._engine.tomorrow(now)
        return None

    def _command_message(self, command: Command, now: float) -> str:
        if isinstance(command, Pause):
            if command.until is None:
                return "paused until you resume (breakd resume)"
            end = dt.datetime.now() + dt.timedelta(seconds=command.until - now)
            return f"paused until {end:%a %H:%M}"
        if isinstance(command, Snooze):
            seconds = command.seconds or self._engine.config.notify.snooze
            return f"snoozed for {format_duration(round(seconds))}"
        return {
            Resume: "resumed",
            Skip: "skipped the next reminder",
            BreakNow: "break started: step away, the timers restart when you come back",
        }[type(command)]

    # --- the engine's wake-up -------------------------------------------------------------

    def _tick(self) -> None:
        try:
            with self._lock:
                now = self._clock()
                self._engine.set_wall(now, dt.datetime.now())
                actions = self._engine.advance(now)
                minutes = self._engine.take_minutes()
                self._reschedule(now)
            self._carry_out(actions)
            self._record(actions, minutes)
            self._new_day_if_needed()
            # A wake-up also comes when the user is back from away: status bars must hear it.
            self._publish()  # free when nobody listens
        except Exception:  # the wake-up must survive anything, or reminders stop for good
            log.exception("internal error while checking reminders")
            self._timer.wake_in(self._wake_after_error())

    def _wake_after_error(self) -> float:
        """Seconds until the next try after a failed wake-up: the engine's own wake-up, at
        most RETRY_MAX; RETRY_MAX when even asking the engine fails (never None: nothing
        else would ever wake it again)."""
        try:
            with self._lock:
                now = self._clock()
                wake = self._engine.next_wakeup(now)
        except Exception:
            log.exception("internal error while planning the next check")
            return RETRY_MAX
        return RETRY_MAX if wake is None else min(wake - now, RETRY_MAX)

    def _reschedule(self, now: float) -> None:
        """Arrange the next wake-up. Call with the lock held."""
        wake = self._engine.next_wakeup(now)
        if self._retry_at is not None:
            wake = self._retry_at if wake is None else min(wake, self._retry_at)
        self._timer.wake_in(None if wake is None else wake - now)

    def _carry_out(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Show):
                self._show(action.reminder)
            elif isinstance(action, Withdraw):
                self._forget_undelivered(action.reminder_id)
                self._notifier.withdraw(action.reminder_id)
                log.debug("reminder %d withdrawn (%s)", action.reminder_id, action.outcome.value)
            elif isinstance(action, Resolved):
                log.debug("reminder %d %s", action.reminder_id, action.outcome.value)
            elif isinstance(action, NaturalBreak):
                self._log_break(action)
                self._drop_undelivered("you took a break")  # nothing missed is replayed
        self._retry_undelivered()

    def _show(self, reminder: Reminder) -> None:
        with self._lock:
            self._latest_shown = max(self._latest_shown, reminder.id)
        also = f" (with {', '.join(k.value for k in reminder.also)})" if reminder.also else ""
        repeat = f", repeat {reminder.repeat}" if reminder.repeat else ""
        if self._notifier.show(reminder):
            log.info(
                "reminder %d shown: %s%s%s: %s",
                reminder.id,
                reminder.kind.value,
                also,
                repeat,
                reminder.title,
            )
            self._set_undelivered(None)
            return
        log.warning(
            "reminder %d (%s%s) could not be shown; it said: %s / %s",
            reminder.id,
            reminder.kind.value,
            also,
            reminder.title,
            reminder.body.replace("\n", " "),
        )
        self._set_undelivered(reminder)

    def _retry_undelivered(self) -> None:
        with self._lock:
            reminder, due, now = self._undelivered, self._retry_at, self._clock()
            if reminder is None or due is None or now < due:
                return
            state = self._engine.status(now).state
        if state in _NOT_NOW:  # the engine would not show it now either
            self._drop_undelivered(f"breakd is {state}")
            return
        log.info("retrying reminder %d", reminder.id)
        self._show(reminder)

    def _drop_undelivered(self, why: str) -> None:
        with self._lock:
            reminder = self._undelivered
            if reminder is None:
                return
            self._clear_undelivered()
            self._reschedule(self._clock())  # its retry wake-up is not needed any more
        log.info("reminder %d not retried: %s", reminder.id, why)

    def _clear_undelivered(self) -> None:
        """Nothing waits to be retried; the next failure starts from the first delay. Call
        with the lock held."""
        self._undelivered, self._retry_at = None, None
        self._retry_delay = RETRY_FIRST

    def _set_undelivered(self, reminder: Reminder | None) -> None:
        with self._lock:
            if reminder is None:
                self._clear_undelivered()
                return
            now = self._clock()
            self._undelivered, self._retry_at = reminder, now + self._retry_delay
            self._retry_delay = min(self._retry_delay * 2, RETRY_MAX)
            self._reschedule(now)

    def _forget_undelivered(self, reminder_id: int) -> None:
        with self._lock:
            if self._undelivered is not None and self._undelivered.id == reminder_id:
                self._undelivered, self._retry_at = None, None

    # --- statistics ---------------------------------------------------------------------

    def _record(self, actions: Sequence[Action], minutes: Sequence[MinuteSample]) -> None:
        """Store what happened; one transaction. Failures are logged, never raised: losing a
        minute of statistics must not cost a reminder."""
        if self._store is None:
            return
        wall_at = self._engine.wall_at
        records = records_for(actions, dt.datetime.now(), wall_at)
        rows = minute_rows(minutes, wall_at)
        if not (rows or records.events or records.breaks):
            return
        try:
            with self._store_lock:
                self._store.write(rows, records.events, records.breaks)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if error != self._store_error:  # one line per new problem, not one per minute
                log.warning("statistics not saved: %s", error)
            self._store_error = error
            return
        self._store_error = None
        log.debug("stored %d minutes, %d events", len(rows), len(records.events))

    def _new_day_if_needed(self) -> None:
        """Once a day: roll old minute rows up into days, and look at the check-ins."""
        config = self._engine.config
        today = day_of(dt.datetime.now(), config.daily.day_starts)
        if today == self._today or self._store is None:
            return
        self._today = today
        try:
            with self._store_lock:
                self._store.rollup(
                    config.stats.keep_minutes_days, today, day_starts=config.daily.day_starts
                )
                advice = professional_notice(self._store, today)
                if advice is not None:
                    self._store.record_notice(advice.key, dt.datetime.now())
        except Exception as exc:
            log.warning("statistics upkeep failed: %s: %s", type(exc).__name__, exc)
            return
        if advice is not None:
            self._show(
                Reminder(
                    id=0,
                    kind=Kind.DAILY,
                    title="Your check-ins: time to see a professional",
                    body=advice.text(brief=True),
                    urgency=Urgency.NORMAL,
                    due=self._clock(),
                )
            )

    @staticmethod
    def _log_break(event: NaturalBreak) -> None:
        if event.end is None:
            log.info("natural break: no input for a while, timers restarted")
        else:
            log.info("natural break of %s", format_duration(max(round(event.end - event.start), 1)))

    def _enabled_kinds(self) -> str:
        config = self._engine.config
        kinds = [
            name
            for name in ("sitting", "repetition", "posture", "water", "daily")
            if getattr(config, name).enabled
        ]
        return ", ".join(kinds) or "none (all disabled)"


class _PresenceBridge:
    """What a presence source calls (on its own thread): straight into the daemon."""

    def __init__(self, daemon: Daemon) -> None:
        self._daemon = daemon

    def active(self) -> None:
        self._daemon.source_active()

    def idle(self, idle_for: float) -> None:
        self._daemon.source_idle(idle_for)


def _choose_source(config: Config) -> tuple[str | None, str]:
    """The activity source for this session and a warning about it ("" if none), both
    logged; (None, "") when nothing is usable (logged: what was tried)."""
    from breakd.adapters.presence.choose import choose_source, session_probes

    choice = choose_source(os.environ, config.activity.source, session_probes(os.environ))
    if choice.source is None:
        hint = ""
        if os.environ.get("DISPLAY"):
            hint = (
                "\nto use pynput anyway (it sees only XWayland windows), set [activity] "
                'source = "pynput"'
            )
        log.error("cannot watch activity: %s%s", choice.explain(), hint)
        return None, ""
    if choice.warning:
        log.warning("%s", choice.warning)
    return choice.source, choice.warning


def _snooze_label(config: Config) -> str:
    return f"Snooze {format_duration(round(config.notify.snooze))}"


def _log_thread_death(args: threading.ExceptHookArgs) -> None:
    """A thread that dies of an exception is a bug or a lost part: logged as an error with
    its traceback. One exception: pynput's listener threads end with ConnectionClosedError
    whenever the X server goes away, and the input supervisor says that in words (and
    restarts them), so that is one debug line."""
    name = args.thread.name if args.thread is not None else "a thread"
    if args.exc_type.__name__ == "ConnectionClosedError":  # Xlib.error, imported lazily
        log.debug("%s ended: %s: %s", name, args.exc_type.__name__, args.exc_value)
        return
    # The exception carries its traceback (exc_value is None only for a bare class raised).
    log.error("thread %s died: %s", name, args.exc_type.__name__, exc_info=args.exc_value)


def _open_store() -> Store | None:
    path = default_db_path()
    try:
        store = Store.open(path)
    except Exception as exc:  # statistics are a bonus: reminders work without them
        log.warning("statistics disabled: cannot open %s: %s: %s", path, type(exc).__name__, exc)
        return None
    log.info("statistics in %s", path)
    return store


def run_command(config_path: str | None, verbose: bool) -> int:
    """``breakd run``: check the config and the session, then run until stopped."""
    from breakd.logs import setup_logging

    setup_logging(verbose)
    try:
        config = load_config(config_path)
    except ConfigError as err:
        log.error("%s", err)
        return exitcodes.CONFIG
    source, warning = _choose_source(config)
    if source is None:
        return exitcodes.CONFIG
    if source == "pynput" and sys.platform.startswith("linux"):
        try:
            check_display()
        except NoDisplay as err:
            log.error("cannot watch input: %s", err)
            return exitcodes.CONFIG
    config_file = Path(config_path) if config_path else "the user's config file or defaults"
    log.debug("config: %s", config_file)
    try:
        daemon = Daemon(config, config_path=config_path, source=source, source_warning=warning)
    except NotifierUnavailable as err:
        log.error("cannot show reminders: %s", err)
        return exitcodes.CONFIG
    return daemon.run()
