"""The one owner of side effects: shows, withdraws, check-in questions, the statistics store,
status pushes and hooks, carried out in the order the engine asked for them, in two lanes.

Owns: the effects lane ("breakd-effects": the store, status pushes to status bars and the tray
icon, hooks), which takes all that a turn asks for and passes every notifier call on, in
order, to the notification lane ("breakd-notify": the notifier, and swapping it on reload).
So a hung notification server holds up only later notifications, and the screen still sees
them in the engine's order. Before ``start`` and after ``stop`` there are no workers: the
thread that asked carries both queues out itself, in the same order (start-up, shutdown's
last record, tests).
Must not: be waited on by anyone but shutdown (a control request, the wake-up and input only
queue); let one lane wait for the other; use the store on the notification lane; decide
anything (a delivery that failed goes back to the engine as an input).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from breakd.adapters.hooks import Hooks
from breakd.adapters.notifiers import ManagedNotifier
from breakd.adapters.notify import snooze_label as button_label
from breakd.config.durations import format_duration
from breakd.config.model import Config, NotifyConfig
from breakd.control.server import ControlServer
from breakd.core import units
from breakd.core.calendar import day_of
from breakd.core.types import (
    Action,
    AskCheckin,
    CheckinQuestion,
    EngineState,
    Kind,
    MinuteSample,
    NaturalBreak,
    Reminder,
    Resolved,
    Show,
    Urgency,
    Withdraw,
)
from breakd.core.words import N_
from breakd.daemon.host import Effect, EngineHost
from breakd.i18n import translator
from breakd.stats.checkin import Advice, professional_notice
from breakd.store.records import carryover_from, minute_rows, records_for, saved_day
from breakd.store.sqlite import SavedDay, Store

if TYPE_CHECKING:  # imported where it runs: D-Bus (jeepney) exists on Linux only
    from breakd.adapters.tray import TrayIcon

log = logging.getLogger("breakd")

STATUS_PUSH_JOB = "status-push"
STATUS_PUSH_EVERY = 60.0  # status bars count down in minutes
_STOP = object()  # the last item a worker takes


class Lane:
    """One ordered queue and the worker thread that carries it out; without a worker, the
    queue waits for ``Effects.settle_if_inline``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    def is_current(self) -> bool:
        """Whether the calling thread is this lane's worker."""
        return threading.current_thread() is self._worker

    def start(self) -> None:
        self._worker = threading.Thread(target=self._work, name=self.name, daemon=True)
        self._worker.start()

    def stop(self) -> None:
        """Carry out everything queued so far, then end the worker."""
        worker = self._worker
        if worker is not None:
            self._queue.put(_STOP)
            worker.join()
            self._worker = None  # only now: until here the worker is the only one carrying out

    def put(self, effect: Effect) -> None:
        self._queue.put(effect)

    def take(self) -> Effect | None:
        """The next effect queued, without waiting; None when there is none."""
        while True:
            try:
                effect = self._queue.get_nowait()
            except queue.Empty:
                return None
            if effect is not _STOP:
                return effect  # type: ignore[return-value]

    def _work(self) -> None:
        while (effect := self._queue.get()) is not _STOP:
            _carry(effect)  # type: ignore[arg-type]


class Effects:
    def __init__(
        self,
        host: EngineHost,
        make_notifier: Callable[[Config], ManagedNotifier],
        notifier: ManagedNotifier | None = None,
        store: Store | None = None,
    ) -> None:
        self._host = host
        self._make_notifier = make_notifier
        self.notifier = notifier or make_notifier(host.engine.config)
        self.store = store
        self._store_error: str | None = None
        self.today: dt.date | None = None  # the day the store's upkeep last ran for
        self.control: ControlServer | None = None  # set once the control socket is up
        self.tray: TrayIcon | None = None  # Linux only, set once it is up; gets every status
        self.status: Callable[[], dict[str, object]] = dict  # the status pushed (the wiring's)
        self.hooks = Hooks(host.engine.config.hooks)  # [hooks] commands hear what happened
        self._effects_lane = Lane("breakd-effects")  # the store, status pushes, hooks
        self._notify_lane = Lane("breakd-notify")  # the notifier's calls, and nothing else
        self._inline = threading.Lock()  # without workers: one thread carries the queues out
        self._inline_thread: int | None = None

    # --- the queues ---------------------------------------------------------------------------

    def start(self) -> None:
        self._notify_lane.start()
        self._effects_lane.start()

    def stop(self) -> None:
        """Carry out everything asked for so far, then end the workers (shutdown): the effects
        lane first (it may still pass notifier calls on), then the notification lane. A
        notification server that hangs costs at most its D-Bus timeout per call still queued,
        and holds up no statistics."""
        self._effects_lane.stop()
        self._notify_lane.stop()
        self.settle_if_inline()  # what was queued after the stop marks

    def submit(self, effects: Iterable[Effect]) -> None:
        """Queue effects, in order. Called within a turn (under the engine's lock): never blocks."""
        for effect in effects:
            self._effects_lane.put(effect)

    def notify(self, step: Callable[..., None], *args: object) -> None:
        """Pass a call of the notifier on to the notification lane, behind those passed on
        before it (the effects lane's order, which is the engine's)."""
        self._notify_lane.put(functools.partial(step, *args))
        self.settle_if_inline()

    def settle_if_inline(self) -> None:
        """For each lane without a worker, carry its queue out on this thread (once: an effect
        that asks for more adds to the queues being emptied). Notifier calls go first, so
        each is made as soon as it is passed on, as if there were one queue. A lane's worker
        carries out only its own lane (shutdown settles what is left)."""
        lanes = (self._effects_lane, self._notify_lane)
        if (
            all(lane.running for lane in lanes)
            or any(lane.is_current() for lane in lanes)
            or self._inline_thread == threading.get_ident()
        ):
            return
        with self._inline:
            self._inline_thread = threading.get_ident()
            try:
                while (effect := self._next_inline()) is not None:
                    _carry(effect)
            finally:
                self._inline_thread = None

    def _next_inline(self) -> Effect | None:
        for lane in (self._notify_lane, self._effects_lane):
            if not lane.running and (effect := lane.take()) is not None:
                return effect
        return None

    # --- notifications (passed on to the notification lane) ---------------------------------

    def carry_out(self, actions: Sequence[Action]) -> None:
        self.hooks.actions(list(actions))
        for action in actions:
            if isinstance(action, Show):
                self.show(action.reminder, retry=action.retry)
            elif isinstance(action, Withdraw):
                self.notify(self._withdraw, action.reminder_id, action.outcome.value)
            elif isinstance(action, Resolved):
                log.debug("reminder %d %s", action.reminder_id, action.outcome.value)
            elif isinstance(action, NaturalBreak):
                _log_break(action)
            elif isinstance(action, AskCheckin):
                self._ask_checkin(action.question)

    def show(self, reminder: Reminder, *, retry: bool = False) -> None:
        self.notify(self._show, reminder, retry)

    def renotify(self, old: NotifyConfig, config: Config) -> None:
        """A reload: a new notifier for a new backend or language, or the new snooze label;
        the sound. On the notification lane: never under a call in progress."""
        self.notify(self._renotify, old, config)

    # --- the notification lane: the only calls of the notifier ----------------------------

    def _show(self, reminder: Reminder, retry: bool) -> None:
        also = f" (with {', '.join(k.value for k in reminder.also)})" if reminder.also else ""
        repeat = f", repeat {reminder.repeat}" if reminder.repeat else ""
        if self.notifier.show(reminder):
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
        with self._host.turn() as turn:  # the engine decides when to try again
            self._host.engine.delivery_failed(reminder.id, turn.now)
            self._host.reschedule(turn.now)
            turn.then(self.publish)

    def _withdraw(self, reminder_id: int, outcome: str) -> None:
        self.notifier.withdraw(reminder_id)
        log.debug("reminder %d withdrawn (%s)", reminder_id, outcome)

    def _ask(self, question: CheckinQuestion) -> None:
        if self.notifier.ask_checkin(question):
            log.info("check-in asked for %s", question.day)
            return
        with self._host.turn() as turn:
            self._host.engine.checkin_not_shown(question.day, turn.now)
            self._host.reschedule(turn.now)

    def _renotify(self, old: NotifyConfig, config: Config) -> None:
        if old.backend != config.notify.backend or old.language != config.notify.language:
            try:
                notifier = self._make_notifier(config)
            except Exception as exc:  # keep showing reminders the way that worked
                log.error("notify.backend %r not taken: %s", config.notify.backend, exc)
                return
            self.notifier.close()
            self.notifier = notifier
        elif old.snooze != config.notify.snooze:
            self.notifier.set_snooze_label(snooze_label(config))
        if old.sound != config.notify.sound:
            self.notifier.set_sound(config.notify.sound)

    # --- the daily check-in (the engine decides when; answers go to the store) -------------

    def _ask_checkin(self, question: CheckinQuestion) -> None:
        """The store is read here, on the effects lane (its one user); the question is asked
        on the notification lane."""
        if self._has_checkin(question.day):  # `breakd checkin` writes to the store directly
            with self._host.turn():
                self._host.engine.checked_in(question.day)
            log.info("check-in not asked: %s already has one", question.day)
            return
        self.notify(self._ask, question)

    def record_checkin(self, day: dt.date, score: int) -> None:
        """A check-in button: stored exactly like ``breakd checkin SCORE``."""
        if self.store is None:
            log.warning("check-in %d/10 for %s not recorded: no statistics store", score, day)
            return
        try:
            self.store.add_checkin(day, score, None)
            advice = professional_notice(self.store, day)
            if advice is not None:
                self.store.record_notice(advice.key, dt.datetime.now())
        except Exception as exc:
            log.warning("check-in %d/10 not recorded: %s: %s", score, type(exc).__name__, exc)
            return
        log.info("check-in from the notification: %d/10 for %s", score, day)
        if advice is not None:
            self._show_advice(advice)

    def _has_checkin(self, day: dt.date) -> bool:
        if self.store is None:
            return False
        try:
            return bool(self.store.checkins(day, day))
        except Exception as exc:  # then ask: a question too many beats a day without one
            log.warning("check-ins not read: %s: %s", type(exc).__name__, exc)
            return False

    # --- statistics ---------------------------------------------------------------------

    def record(self, actions: Sequence[Action], minutes: Sequence[MinuteSample]) -> None:
        """Store what happened; one transaction. Failures are logged, never raised: losing a
        minute of statistics must not cost a reminder."""
        if self.store is None:
            return
        day, so_far = self._day_so_far()
        wall_at = self._host.engine.wall_at
        records = records_for(actions, dt.datetime.now(), wall_at)
        rows = minute_rows([*minutes, *so_far], wall_at)
        try:
            self.store.write(rows, records.events, records.breaks, day)
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
        engine = self._host.engine
        with self._host.turn() as turn:
            now = turn.now
            engine.monitor.close_partial_minute(now)  # the rest of it is added later
            minutes = engine.take_minutes()
            day = engine.carryover(now)
        unix_now = time.time()
        return saved_day(day, lambda t: unix_now + (t - now)), minutes

    def restore_day(self) -> None:
        """A start step: carry on the day the previous daemon saved (see ``Engine.restore``).
        The time it was down is a gap in input like any other: a natural break from
        ``activity.natural_break`` on, else presence up to ``idle_after`` of it."""
        if self.store is None:
            return
        try:
            saved = self.store.saved_day()
        except Exception as exc:  # a day not carried over must not stop the daemon
            log.warning("the day so far not restored: %s: %s", type(exc).__name__, exc)
            return
        if saved is None:
            return
        engine = self._host.engine
        with self._host.turn() as turn:
            now = turn.now
            unix_now = time.time()
            day = carryover_from(saved, lambda unix: now - (unix_now - unix))
            actions = engine.restore(day, now)
            status = engine.status(now)
        self.record(actions, ())
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

    def new_day_if_needed(self) -> None:
        """Once a day: roll old minute rows up into days, and look at the check-ins."""
        config = self._host.engine.config
        today = day_of(dt.datetime.now(), config.daily.day_starts)
        if today == self.today or self.store is None:
            return
        self.today = today
        try:
            self.store.rollup(
                config.stats.keep_minutes_days, today, day_starts=config.daily.day_starts
            )
            advice = professional_notice(self.store, today)
            if advice is not None:
                self.store.record_notice(advice.key, dt.datetime.now())
        except Exception as exc:
            log.warning("statistics upkeep failed: %s: %s", type(exc).__name__, exc)
            return
        if self._has_checkin(today):  # a restart after today's check-in: not asked again
            with self._host.turn():
                self._host.engine.checked_in(today)
        if advice is not None:
            self._show_advice(advice)

    def _show_advice(self, advice: Advice) -> None:
        tr = translator(self._host.engine.config.notify.language)
        self.show(
            Reminder(
                id=0,
                kind=Kind.DAILY,
                title=tr.gettext(N_("Your check-ins: time to see a professional")),
                body=advice.text(brief=True, tr=tr),
                urgency=Urgency.NORMAL,
                due=self._host.clock(),
            )
        )

    def close(self) -> None:
        """The last effect: the store and the notifier close (after ``stop``: no lane is
        running, so this thread is the notifier's last user)."""
        self.hooks.runner.stop()
        if self.store is not None:
            self.store.close()
        self.notifier.close()

    # --- status bars ----------------------------------------------------------------------

    def set_tray(self, tray: TrayIcon | None) -> None:
        """A tray icon started or stopped by a reload (or the first one): the old one leaves
        the bus, the new one gets the status at once (and registers with it)."""
        old, self.tray = self.tray, tray
        if old is not None and old is not tray:
            old.stop()
        self.publish()

    def publish(self) -> None:
        """Push the status to the tray icon and subscribers (status bars); free when there
        are none. Hooks hear of what changed (paused, held, a break)."""
        if self.hooks.wants_status:
            engine = self._host.engine
            with self._host.turn() as turn:
                status, holding = engine.status(turn.now), engine.holding
            self.hooks.status(status, holding, turn.now)
        listening = self.control is not None and self.control.subscribers
        if self.tray is None and not listening:
            return
        result = self.status()
        if self.tray is not None:
            self.tray.show(result)  # clock times, no countdown: never needs a timer
        if self.control is None or not listening:
            return
        self.control.publish(result)
        self.keep_pushing(result)

    def keep_pushing(self, result: dict[str, object]) -> None:
        """Once a minute while a countdown runs and someone listens; otherwise no timer.
        Safe from any thread (it only sets a timer)."""
        kinds = result.get("kinds", ())
        counting = result.get("state") not in (EngineState.PAUSED, EngineState.AWAY) and any(
            isinstance(k, dict) and k.get("due_in") is not None
            for k in (kinds if isinstance(kinds, list | tuple) else ())
        )
        counting = counting or result.get("break_until") is not None  # the time left runs
        if counting and self.control is not None and self.control.subscribers:
            self._host.timer.call_in(STATUS_PUSH_JOB, STATUS_PUSH_EVERY, self._push_due)

    def _push_due(self) -> None:
        """The minute's push (the timer's thread): in the queue like every other effect."""
        with self._host.turn() as turn:
            turn.then(self.publish)


def _carry(effect: Effect) -> None:
    try:
        effect()
    except Exception:  # one failed effect must not stop the ones after it
        log.exception("internal error while carrying out %s", _name(effect))


def _name(effect: Effect) -> str:
    func = getattr(effect, "func", effect)
    return getattr(func, "__name__", repr(func))


def _log_break(event: NaturalBreak) -> None:
    if event.end is None:
        log.info("natural break: no input for a while, timers restarted")
    else:
        log.info("natural break of %s", format_duration(max(round(event.end - event.start), 1)))


def snooze_label(config: Config) -> str:
    """The Snooze button, in the user's language: "Snooze 5m" (German "Später (5 Min.)")."""
    tr = translator(config.notify.language)
    return button_label(units.short_duration(config.notify.snooze, tr), tr)
