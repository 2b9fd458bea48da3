"""The daemon: wires the engine to input, time and notifications. No decisions live here.

Threads, and what each may do:
* pynput's listener threads call ``on_input`` (the hot path): clock read, engine input, and,
  rarely, a reschedule, all under one short lock;
* APScheduler's single worker runs ``_tick`` at the engine's wake-up time;
* the input supervisor recreates dead listeners (X server gone) with backoff, and with them
  the fullscreen watcher (X11);
* the desktop watcher reports do-not-disturb and the screen lock (D-Bus signals);
* the main thread waits for signals: SIGTERM/SIGINT stop, SIGHUP reloads the config.
The lock guards the engine and the wake-up; notifications are shown outside it, so a slow
notification server never stalls input.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
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
from breakd.config.load import ConfigError, Loaded, load
from breakd.config.model import Config
from breakd.control.paths import socket_path
from breakd.control.protocol import Reply, Request, status_result
from breakd.control.server import AlreadyRunning, ControlServer
from breakd.core.calendar import day_of
from breakd.core.engine import RETRY_FIRST, RETRY_MAX, Engine
from breakd.core.types import (
    Action,
    AskCheckin,
    BreakNow,
    CheckinQuestion,
    Command,
    EngineState,
    InputKind,
    Kind,
    KindStatus,
    MinuteSample,
    NaturalBreak,
    Pause,
    Reminder,
    Resolved,
    Resume,
    Show,
    Skip,
    Snooze,
    Status,
    Urgency,
    Withdraw,
)
from breakd.i18n import translator
from breakd.stats.checkin import Advice, professional_notice
from breakd.store.records import carryover_from, minute_rows, records_for, saved_day
from breakd.store.sqlite import SavedDay, Store, default_db_path

if TYPE_CHECKING:  # imported where it runs: D-Bus (jeepney) exists on Linux only
    from breakd.adapters.config_watch import ConfigWatcher
    from breakd.adapters.desktop_state import DesktopWatcher
    from breakd.adapters.tray import TrayIcon

log = logging.getLogger("breakd")

__all__ = ["RETRY_FIRST", "Daemon", "run_command"]  # the retry policy is the engine's
RESTART_FIRST = 1.0  # seconds before recreating dead input listeners; doubles each time
RESTART_MAX = 30.0
SOURCE_CHECK_EVERY = 60.0  # presence sources: how often their liveness is looked at
STATUS_PUSH_JOB = "status-push"
STATUS_PUSH_EVERY = 60.0  # status bars count down in minutes
FULLSCREEN = "a fullscreen window"  # what holds reminders, as status says it


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
        self._engine = Engine(config, self._clock(), dt.datetime.now(), translators=translator)
        self._engine_input = self._engine.input
        self._timer = WakeTimer(self._tick)
        self._stopping = threading.Event()
        self._main_wake = threading.Event()
        self._reload_requested = False
        self._supervisor_wake = threading.Event()
        self._watcher: InputWatcher | None = None
        self._fullscreen_watcher: FullscreenWatcher | None = None
        self._desktop: DesktopWatcher | None = None  # Linux only
        self._tray: TrayIcon | None = None  # Linux only; gets every published status
        self._config_watch: ConfigWatcher | None = None  # Linux only
        self._desktop_dnd: str | None = None  # which do-not-disturb is on, before the config
        self._fullscreen = False
        self._store = store
        self._store_lock = threading.Lock()  # sqlite3 connections are not for two threads at once
        self._store_error: str | None = None
        self._today: dt.date | None = None
        self._notify_config = config.notify
        self._control: ControlServer | None = None
        self._ready_sent = False
        self._config_source = "config"  # what the last (re)load read, for its reply

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
        self._restore_day()
        self._new_day_if_needed()
        self._timer.start()
        self._watch_desktop()
        self._start_tray()
        self._watch_config()
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
            loaded = load(self._config_path)
        except ConfigError as err:
            log.error("config not reloaded, keeping the running one:\n%s", err)
            return err
        _log_loaded(loaded)
        config = loaded.config
        self._config_source = loaded.describe_source()
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
        if old_notify.sound != config.notify.sound:
            self._notifier.set_sound(config.notify.sound)
        log.info("config reloaded (%s); reminders: %s", self._config_source, self._enabled_kinds())
        self._publish()
        return None

    def _shutdown(self) -> None:
        sd_notify("STOPPING=1")
        if self._control is not None:
            self._control.stop()
        self._timer.stop()
        if self._desktop is not None:
            self._desktop.stop()
        if self._tray is not None:
            self._tray.stop()
        if self._config_watch is not None:
            self._config_watch.stop()
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
        try:
            self._supervise()
        except Exception:  # a blind daemon must say so loudly, not in a debug line
            log.exception("input supervision failed: no activity is seen")

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

        self._desktop = DesktopWatcher(
            self.on_desktop_dnd,
            self.on_screen_lock,
            on_dnd_by=self.on_desktop_dnd_by,
            on_notification_server=self.on_notification_server,
        )
        self._desktop.start()

    def _start_tray(self) -> None:
        enabled = self._engine.config.tray.enabled
        if enabled is False or not sys.platform.startswith("linux"):
            return  # a StatusNotifierItem lives on D-Bus (jeepney is Linux-only)
        from breakd.adapters.tray import start_tray

        self._tray = start_tray(
            enabled, self.handle, version=__version__, config_path=self._config_path
        )
        self._publish()  # its first status

    def _watch_config(self) -> None:
        """A saved config file is applied, as `breakd reload` would (the tray's Edit settings
        opens it in an editor)."""
        if not sys.platform.startswith("linux"):
            return  # inotify
        from breakd.adapters.config_watch import ConfigWatcher
        from breakd.config.load import user_config_path

        path = Path(self._config_path) if self._config_path else user_config_path()
        self._config_watch = ConfigWatcher(path, self.request_reload)
        self._config_watch.start()

    def on_desktop_dnd(self, on: bool) -> None:
        self.on_desktop_dnd_by("do-not-disturb" if on else None)

    def on_desktop_dnd_by(self, by: str | None) -> None:
        """Which do-not-disturb is on ("dunst do-not-disturb"...), or None: none."""
        with self._lock:
            self._desktop_dnd = by
            self._apply_do_not_disturb()
        self._publish()

    def on_notification_server(self) -> None:
        """A notification server appeared on the bus: a reminder it missed is shown now."""
        with self._lock:
            unseen = self._engine.unseen
            self._engine.server_appeared(self._clock())
            self._timer.wake_now()
        if unseen is not None:
            log.info("a notification server appeared: showing reminder %d", unseen.id)

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
        held_by = None
        if self._desktop_dnd and notify.respect_dnd:
            held_by = self._desktop_dnd
        elif self._fullscreen and notify.hold_in_fullscreen:
            held_by = FULLSCREEN
        self._engine.set_held(held_by)
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
                return Reply.success({"message": f"config reloaded: {self._config_source}"})
            return Reply.failure(f"config not reloaded, the running config stays:\n{error}")
        command = self._command_for(request)
        if command is None:
            return Reply.failure(f"unknown command {request.cmd!r}")
        with self._lock:
            now = self._clock()
            before = self._engine.status(now)
            actions = self._engine.command(command, now)
            self._reschedule(now)
            message = self._command_message(command, now, before, self._engine.status(now))
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
            off_hours=status.state is EngineState.OFF_HOURS,
            due=any(k.pending or k.undelivered or k.due_in == 0 for k in status.kinds),
            sitting_every=config.sitting.every if config.sitting.enabled else None,
        )
        if self._source_warning:
            result["warning"] = self._source_warning
        return result

    def on_answer(self, reminder_id: int, key: str) -> None:
        """A button on a notification: answered like the command line would."""
        with self._lock:
            now = self._clock()
            stale = self._engine.is_stale(reminder_id)
            actions = self._engine.answer(reminder_id, key, now)
            self._reschedule(now)
        if stale:  # an old notification left on screen: its answer is not for a newer one
            log.info("reminder %d answered from an old notification: ignored", reminder_id)
            return
        log.info("reminder %d answered from the notification: %s", reminder_id, key)
        self._carry_out(actions)
        self._record(actions, ())
        self._publish()

    # --- status bars ----------------------------------------------------------------------

    def _publish(self) -> None:
        """Push the status to the tray icon and subscribers (status bars); free when there
        are none."""
        listening = self._control is not None and self._control.subscribers
        if self._tray is None and not listening:
            return
        result = self._status()
        if self._tray is not None:
            self._tray.show(result)  # clock times, no countdown: never needs a timer
        if self._control is None or not listening:
            return
        self._control.publish(result)
        self._keep_pushing(result)

    def _keep_pushing(self, result: dict[str, object]) -> None:
        """Once a minute while a countdown runs and someone listens; otherwise no timer."""
        counting = result.get("state") not in (EngineState.PAUSED, EngineState.AWAY) and any(
            k.get("due_in") is not None
            for k in result.get("kinds", ())  # type: ignore[union-attr]
        )
        counting = counting or result.get("break_until") is not None  # the time left runs
        if counting and self._control is not None and self._control.subscribers:
            self._timer.call_in(STATUS_PUSH_JOB, STATUS_PUSH_EVERY, self._publish)

    def _make_notifier(self, config: Config) -> ManagedNotifier:
        return make_notifier(
            config.notify.backend,
            on_action=self.on_answer,
            snooze_label=_snooze_label(config),
            on_checkin=self.on_checkin,
            sound=config.notify.sound,
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

    def _pause_end(self, args: dict[str, object]) -> float | None:
        now = self._clock()
        seconds, until = args.get("seconds"), args.get("until")
        if isinstance(seconds, int | float):
            return now + float(seconds)
        if isinstance(until, int | float):
            return now + (float(until) - time.time())
        if args.get("tomorrow"):
            return self._engine.tomorrow(now)
        return None

    def _command_message(self, command: Command, now: float, before: Status, after: Status) -> str:
        """What the command did, in words, from the engine's status before and after it."""

        def clock(t: float) -> str:
            return f"{dt.datetime.now() + dt.timedelta(seconds=t - now):%H:%M}"

        if isinstance(command, Pause):
            if command.until is None:
                return "paused until you resume (breakd resume)"
            end = dt.datetime.now() + dt.timedelta(seconds=command.until - now)
            return f"paused until {end:%a %H:%M}"
        if isinstance(command, Snooze):
            seconds = command.seconds or self._engine.config.notify.snooze
            return _snooze_message(before, after, clock, format_duration(round(seconds)))
        if isinstance(command, Resume):
            return _resume_message(before, after)
        if isinstance(command, BreakNow):
            until = "" if after.break_until is None else f" until {clock(after.break_until)}"
            return f"on a break{until}: step away, the timers restart when you come back"
        return "skipped the next reminder"

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
            with self._lock:
                now = self._clock()
                wake = self._engine.next_wakeup(now)
                self._timer.wake_in(RETRY_MAX if wake is None else min(wake - now, RETRY_MAX))

    def _reschedule(self, now: float) -> None:
        """Arrange the next wake-up. Call with the lock held."""
        wake = self._engine.next_wakeup(now)
        self._timer.wake_in(None if wake is None else wake - now)

    def _carry_out(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Show):
                self._show(action.reminder, retry=action.retry)
            elif isinstance(action, Withdraw):
                self._notifier.withdraw(action.reminder_id)
                log.debug("reminder %d withdrawn (%s)", action.reminder_id, action.outcome.value)
            elif isinstance(action, Resolved):
                log.debug("reminder %d %s", action.reminder_id, action.outcome.value)
            elif isinstance(action, NaturalBreak):
                self._log_break(action)
            elif isinstance(action, AskCheckin):
                self._ask_checkin(action.question)

    def _show(self, reminder: Reminder, *, retry: bool = False) -> None:
        also = f" (with {', '.join(k.value for k in reminder.also)})" if reminder.also else ""
        repeat = f", repeat {reminder.repeat}" if reminder.repeat else ""
        if self._notifier.show(reminder):
            log.info(
                "reminder %d %s: %s%s%s: %s",
                reminder.id,
                "shown at last" if retry else "shown",
                reminder.kind.value,
                also,
                repeat,
                reminder.title,
            )
            return
        log.warning(
            "reminder %d (%s%s) could not be shown; it said: %s / %s",
            reminder.id,
            reminder.kind.value,
            also,
            reminder.title,
            reminder.body.replace("\n", " "),
        )
        with self._lock:  # the engine decides when to try again
            now = self._clock()
            self._engine.delivery_failed(reminder.id, now)
            self._reschedule(now)
        self._publish()

    # --- the daily check-in (the engine decides when; answers go to the store) -------------

    def _ask_checkin(self, question: CheckinQuestion) -> None:
        if self._has_checkin(question.day):  # `breakd checkin` writes to the store directly
            with self._lock:
                self._engine.checked_in(question.day)
            log.info("check-in not asked: %s already has one", question.day)
            return
        if self._notifier.ask_checkin(question):
            log.info("check-in asked for %s", question.day)
            return
        with self._lock:
            now = self._clock()
            self._engine.checkin_not_shown(question.day, now)
            self._reschedule(now)

    def on_checkin(self, day: dt.date, score: int) -> None:
        """A check-in button: recorded exactly like ``breakd checkin SCORE``."""
        with self._lock:
            self._engine.checked_in(day)
        if self._store is None:
            log.warning("check-in %d/10 for %s not recorded: no statistics store", score, day)
            return
        try:
            with self._store_lock:
                self._store.add_checkin(day, score, None)
                advice = professional_notice(self._store, day)
                if advice is not None:
                    self._store.record_notice(advice.key, dt.datetime.now())
        except Exception as exc:
            log.warning("check-in %d/10 not recorded: %s: %s", score, type(exc).__name__, exc)
            return
        log.info("check-in from the notification: %d/10 for %s", score, day)
        if advice is not None:
            self._show_advice(advice)

    def _has_checkin(self, day: dt.date) -> bool:
        if self._store is None:
            return False
        try:
            with self._store_lock:
                return bool(self._store.checkins(day, day))
        except Exception as exc:  # then ask: a question too many beats a day without one
            log.warning("check-ins not read: %s: %s", type(exc).__name__, exc)
            return False

    # --- statistics ---------------------------------------------------------------------

    def _record(self, actions: Sequence[Action], minutes: Sequence[MinuteSample]) -> None:
        """Store what happened; one transaction. Failures are logged, never raised: losing a
        minute of statistics must not cost a reminder."""
        if self._store is None:
            return
        day, so_far = self._day_so_far()
        wall_at = self._engine.wall_at
        records = records_for(actions, dt.datetime.now(), wall_at)
        rows = minute_rows([*minutes, *so_far], wall_at)
        try:
            with self._store_lock:
                self._store.write(rows, records.events, records.breaks, day)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if error != self._store_error:  # one line per new problem, not one per minute
                log.warning("statistics not saved: %s", error)
            self._store_error = error
            return
        self._store_error = None
        log.debug("stored %d minutes, %d events", len(rows), len(records.events))

    def _day_so_far(self) -> tuple[SavedDay, list[MinuteSample]]:
        """The engine's clocks, snoozes and pause in Unix time, for the next daemon, and the
        minute so far: saved together with every batch, so that the statistics and the day a
        restart carries on agree, even after a crash."""
        with self._lock:
            now = self._clock()
            self._engine.monitor.close_partial_minute(now)  # the rest of it is added later
            minutes = self._engine.take_minutes()
            day = self._engine.carryover(now)
        unix_now = time.time()
        return saved_day(day, lambda t: unix_now + (t - now)), minutes

    def _restore_day(self) -> None:
        """A start step: carry on the day the previous daemon saved (see ``Engine.restore``).
        The time it was down is a gap in input like any other: a natural break from
        ``activity.natural_break`` on, else presence up to ``idle_after`` of it."""
        if self._store is None:
            return
        try:
            with self._store_lock:
                saved = self._store.saved_day()
        except Exception as exc:  # a day not carried over must not stop the daemon
            log.warning("the day so far not restored: %s: %s", type(exc).__name__, exc)
            return
        if saved is None:
            return
        with self._lock:
            now = self._clock()
            unix_now = time.time()
            day = carryover_from(saved, lambda unix: now - (unix_now - unix))
            actions = self._engine.restore(day, now)
            status = self._engine.status(now)
        self._record(actions, ())
        down = max(round(unix_now - saved.last_input), 0)
        log.info(
            "carried the day over (last input %s ago): active today %s, sitting %s%s",
            format_duration(down),
            format_duration(round(status.active_today)),
            format_duration(round(status.presence)),
            "; the time away was a natural break"
            if any(isinstance(a, NaturalBreak) for a in actions)
            else "",
        )

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
        if self._has_checkin(today):  # a restart after today's check-in: not asked again
            with self._lock:
                self._engine.checked_in(today)
        if advice is not None:
            self._show_advice(advice)

    def _show_advice(self, advice: Advice) -> None:
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


def _snooze_message(
    before: Status, after: Status, clock: Callable[[float], str], length: str
) -> str:
    """Which reminder a snooze moved, and to when; or that there was nothing to snooze."""
    waiting = {k.kind for k in before.kinds if k.pending or k.undelivered}
    snoozed = [k for k in after.kinds if k.snoozed_until is not None and k.kind in waiting]
    if snoozed:
        return f"snoozed for {length}: " + ", ".join(_snoozed_text(k, clock) for k in snoozed)
    moved = [k for k in after.kinds if k.snoozed_until is not None]
    if moved:
        return f"nothing is due; the next reminder is {length} later: " + ", ".join(
            _snoozed_text(k, clock) for k in moved
        )
    return "nothing to snooze: no reminder is due or counting down"


def _snoozed_text(kind: KindStatus, clock: Callable[[float], str]) -> str:
    reminder = "" if kind.reminder_id is None else f" (reminder {kind.reminder_id})"
    assert kind.snoozed_until is not None
    return f"{kind.kind.value}{reminder} until {clock(kind.snoozed_until)}"


def _resume_message(before: Status, after: Status) -> str:
    was_paused = before.state is EngineState.PAUSED
    snoozed = [k.kind.value for k in before.kinds if k.snoozed_until is not None]
    ended = ", ".join(snoozed)
    if was_paused:
        return "resumed" + (f"; snooze ended for {ended}" if snoozed else "")
    if snoozed:
        return f"not paused; snooze ended for {ended}"
    return "nothing to resume: breakd is not paused"


def _snooze_label(config: Config) -> str:
    return f"Snooze {format_duration(round(config.notify.snooze))}"


def _log_thread_death(args: threading.ExceptHookArgs) -> None:
    """One line instead of a traceback when a thread dies: pynput's listener threads end
    with ConnectionClosedError whenever the X server goes away, and the supervisor reports
    that in words."""
    name = args.thread.name if args.thread is not None else "a thread"
    log.debug("%s ended: %s: %s", name, args.exc_type.__name__, args.exc_value)


def _open_store() -> Store | None:
    path = default_db_path()
    try:
        store = Store.open(path)
    except Exception as exc:  # statistics are a bonus: reminders work without them
        log.warning("statistics disabled: cannot open %s: %s: %s", path, type(exc).__name__, exc)
        return None
    log.info("statistics in %s", path)
    return store


def _log_loaded(loaded: Loaded) -> None:
    """Where the config came from, and what in it the user should look at again."""
    log.info("config: %s", loaded.describe_source())
    for warning in loaded.warnings:
        log.warning("config: %s", warning)
    for note in loaded.notes:
        log.info("config: %s", note)


def run_command(config_path: str | None, verbose: bool) -> int:
    """``breakd run``: check the config and the session, then run until stopped."""
    from breakd.logs import setup_logging

    setup_logging(verbose)
    try:
        loaded = load(config_path)
    except ConfigError as err:
        log.error("%s", err)
        return exitcodes.CONFIG
    _log_loaded(loaded)
    config = loaded.config
    source, warning = _choose_source(config)
    if source is None:
        return exitcodes.CONFIG
    if source == "pynput" and sys.platform.startswith("linux"):
        try:
            check_display()
        except NoDisplay as err:
            log.error("cannot watch input: %s", err)
            return exitcodes.CONFIG
    try:
        daemon = Daemon(config, config_path=config_path, source=source, source_warning=warning)
    except NotifierUnavailable as err:
        log.error("cannot show reminders: %s", err)
        return exitcodes.CONFIG
    return daemon.run()
