"""The engine: breakd's decisions, as a sans-I/O state machine.

Theory of operation. The daemon feeds the engine three things, each stamped with the engine
clock (seconds; never jumps; keeps running through suspend):

* ``input(t, kind)`` for every key press, click or pointer motion: the hot path. It only
  updates the activity monitor and returns True when the engine must be asked what is due
  right away (the user came back from away, typed more than the action limit allows, or a
  minute of statistics closed). Presence sources that cannot report single events (Wayland
  idle monitors) call ``activity_began(t)`` and ``activity_ended(t, idle_for)`` instead: the
  user counts as present throughout the span between them.
* ``advance(now)`` when the engine's wake-up time arrives (or input asked for it): the engine
  settles what happened since (natural breaks, breaks taken, repeats run out) and returns the
  actions to carry out: reminders to show or withdraw, outcomes to record.
* ``command(cmd, now)`` for the user's snooze, skip, pause, resume, break-now and take-break
  (from the command line or a notification's buttons).

After each call the daemon asks ``next_wakeup(now)`` and arranges to call ``advance`` then.
None means "nothing can fall due without new input": the daemon sleeps until input arrives.
A wake-up may come early (the engine then just answers with a later one), never late.

Rules of the engine, in order: paused means silent; away means silent (the user cannot see
it); quiet hours and time outside the working hours hold reminders; at most one reminder per
``notify.min_gap`` (coming back from a break or a pause counts as one); a reminder due while
the user types waits for a ``grace_pause``, at most ``max_deferral``; reminders due within
``min_gap`` of the first are merged into it, the highest priority kind leading; an ignored
reminder repeats up to ``max_repeats`` times, more urgent each time; a natural break clears
everything pending and restarts the timers.

Must not: read clocks, do I/O, start threads, or keep key identity. Same inputs, same outputs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from breakd.config.model import Config
from breakd.core import content
from breakd.core.activity import ActivityMonitor
from breakd.core.calendar import (
    WallAnchor,
    in_working_hours,
    next_day_start,
    next_working_start,
    quiet_until,
)
from breakd.core.rules import RuleSettings, build_rules
from breakd.core.types import (
    Action,
    BreakNow,
    Command,
    InputKind,
    Kind,
    KindStatus,
    MinuteSample,
    NaturalBreak,
    Outcome,
    Pause,
    Reminder,
    Resolved,
    Resume,
    Show,
    Skip,
    Snooze,
    Status,
    TakeBreak,
    Urgency,
    Withdraw,
)

_NEVER = math.inf
# Outcomes settled at a moment the engine is sure to look at (a show, a repeat running out, a
# command), after which the action count starts over. Breaks are settled whenever the engine
# next looks, so resetting the count then would depend on timing: the window ages out instead.
_ANSWERED_AT_ONCE = frozenset({Outcome.MERGED, Outcome.SKIPPED, Outcome.IGNORED, Outcome.PAUSED})


@dataclass
class _Pending:
    """A reminder on screen, waiting to be taken, snoozed, skipped or ignored."""

    reminder: Reminder
    shown_at: float
    next_at: float  # next repeat, or when it counts as ignored once repeats have run out
    repeats: int


@dataclass
class _KindState:
    anchor: float = 0.0  # the rule's reading when its interval last restarted
    not_before: float = -_NEVER  # snoozed: not due before this engine time
    pending: _Pending | None = None
    done_today: bool = False  # for the once-a-day reminder


class Engine:
    # Count one input at ``t``; True when the engine wants a wake-up now. Each instance binds
    # this straight to the monitor's hot path (no extra call per event).
    input: Callable[[float, InputKind], bool]

    def __init__(self, config: Config, start: float, wall: dt.datetime, *, seed: int = 0) -> None:
        self._config = config
        self._rules = build_rules(config)
        self._monitor = ActivityMonitor(
            config.activity, config.repetition, start, self._report_gap()
        )
        seconds_into_minute = wall.second + wall.microsecond / 1e6
        self._monitor.align_minutes(start + 60.0 - seconds_into_minute)
        # The hot path, bound once: the daemon calls engine.input(t, kind) per event.
        self.input = self._monitor.on_input
        self._anchor = WallAnchor(start, wall)
        self._states = {kind: _KindState() for kind in Kind}
        self._rotation = content.Rotation(seed)
        self._next_id = 1
        self._last_shown = -_NEVER
        self._paused_until: float | None = None
        self._break_seen_at: float | None = None  # last_input of the away gap already handled
        self._break_requested = False
        self._presence_mark = 0.0  # presence at the last natural break
        self._deferring_since: float | None = None  # a due reminder waits for a typing pause
        self._do_not_disturb = False
        self._day_end = self._anchor.t_at(next_day_start(wall, config.daily.day_starts))

    # --- configuration and clock -----------------------------------------------------

    @property
    def config(self) -> Config:
        return self._config

    @property
    def monitor(self) -> ActivityMonitor:
        return self._monitor

    def reconfigure(self, config: Config, now: float) -> None:
        """Take a new config; timers, counts and pending reminders are kept."""
        self._config = config
        self._rules = build_rules(config)
        self._monitor.configure(config.activity, config.repetition, self._report_gap())
        self._day_end = self._anchor.t_at(
            next_day_start(self._anchor.wall_at(now), config.daily.day_starts)
        )

    def activity_began(self, t: float) -> bool:
        """A presence source (no per-event input) says the user became active at ``t``.
        True: call ``advance`` now."""
        return self._monitor.hold(t)

    def activity_ended(self, t: float, idle_for: float) -> None:
        """The presence source says the user has been idle for ``idle_for`` s at ``t``: the
        typing pause a due reminder waited for (call ``advance`` then)."""
        self._monitor.release(t, idle_for)

    def set_do_not_disturb(self, on: bool) -> None:
        """The desktop's do-not-disturb (or a fullscreen window): reminders are held, and the
        most important one due is shown when it ends (call ``advance`` then)."""
        self._do_not_disturb = on

    def set_locked(self, locked: bool, t: float) -> None:
        """Screen lock: the user counts as away while it lasts."""
        if locked:
            self._monitor.lock(t)
        else:
            self._monitor.unlock()

    def take_minutes(self) -> list[MinuteSample]:
        """Per-minute activity samples closed since the last call (for statistics)."""
        return self._monitor.take_minutes()

    def set_wall(self, t: float, wall: dt.datetime) -> None:
        """Re-anchor local time (the daemon calls this at each wake-up)."""
        self._anchor = WallAnchor(t, wall)
        self._day_end = self._anchor.t_at(next_day_start(wall, self._config.daily.day_starts))

    def tomorrow(self, now: float) -> float:
        """When ``pause until-tomorrow`` ends: the start of the next working period on a later
        day, or the next start of day when there are no working hours."""
        wall = self._anchor.wall_at(now)
        schedule = self._config.schedule
        start = next_working_start(wall, schedule.week, later_day=True) if schedule.active else None
        if start is None:
            start = next_day_start(wall, self._config.daily.day_starts)
        return self._anchor.t_at(start)

    def wall_at(self, t: float) -> dt.datetime:
        return self._anchor.wall_at(t)

    def t_at(self, wall: dt.datetime) -> float:
        return self._anchor.t_at(wall)

    # --- the three entry points ------------------------------------------------------

    def advance(self, now: float) -> list[Action]:
        actions: list[Action] = []
        self._monitor.catch_up(now)
        self._roll_day(now)
        self._settle_gaps(now, actions)
        self._settle_repeats(now, actions)
        if self._paused_until is not None:
            if now < self._paused_until:
                return actions
            self._resume(self._paused_until)
        if self._monitor.is_away(now) or self._silent_until(now) is not None:
            return actions
        if self._do_not_disturb:
            return actions
        if not self._due_kinds(now):
            self._deferring_since = None
        elif now >= self._last_shown + self._config.notify.min_gap and not self._typing(now):
            actions.extend(self._show(now))
        return actions

    def command(self, cmd: Command, now: float) -> list[Action]:
        actions: list[Action] = []
        self._settle_gaps(now, actions)
        if isinstance(cmd, Snooze):
            self._snooze(now, cmd.seconds or self._config.notify.snooze, actions)
        elif isinstance(cmd, Skip):
            self._skip(now, actions)
        elif isinstance(cmd, Pause):
            self._pause(now, cmd.until, actions)
        elif isinstance(cmd, Resume):
            if self._paused_until is not None:
                self._resume(now)
        elif isinstance(cmd, BreakNow):
            actions.extend(self._break_now(now))
        elif isinstance(cmd, TakeBreak):
            # Like GNOME's "Take": the break starts when the user goes idle, and counts
            # in full once idle_after has passed; coming back then restarts every timer.
            self._break_requested = True
        # Whatever the command made due now is answered now, so the next wake-up is later.
        actions.extend(self.advance(now))
        return actions

    def next_wakeup(self, now: float) -> float | None:
        """When ``advance`` must next be called; None while only new input can change things."""
        if self._paused_until is not None:
            return None if self._paused_until == _NEVER else self._paused_until
        if self._monitor.is_away(now):
            return None
        candidates = [p.next_at for p in self._pendings() if self._exhausted(p)]
        if Kind.DAILY in self._rules:
            candidates.append(self._day_end)  # the daily count restarts then
        if self._monitor.held:
            candidates.append(self._monitor.minute_end)  # no input events to close minutes
        shows = [] if self._do_not_disturb else list(self._due_times(now).values())
        if shows:
            at = max(min(shows), self._last_shown + self._config.notify.min_gap, now)
            if at <= now:  # due now: it waits for a pause in typing (advance just said so)
                at = self._after_typing_grace(at)
            silent_until = self._silent_until(at)
            candidates.append(at if silent_until is None else self._anchor.t_at(silent_until))
        return min(candidates) if candidates else None

    def status(self, now: float) -> Status:
        idle = self._monitor.idle_for(now)
        if self._paused_until is not None and now < self._paused_until:
            state = "paused"
        elif self._monitor.is_away(now):
            state = "away"
        elif self._do_not_disturb:
            state = "do-not-disturb"
        elif self._off_hours(now):
            state = "off-hours"
        elif self._silent_until(now) is not None:
            state = "quiet"
        elif idle < self._config.activity.active_gap:
            state = "active"
        else:
            state = "idle"
        due = self._due_times(now) if not self._monitor.is_away(now) else {}
        kinds = tuple(
            KindStatus(
                kind,
                None if kind not in due else max(due[kind] - now, 0.0),
                self._states[kind].pending is not None,
            )
            for kind in self._rules
        )
        paused = self._paused_until if self._paused_until not in (None, _NEVER) else None
        return Status(
            state=state,
            presence=self._monitor.presence_at(now) - self._presence_mark,
            active_today=self._monitor.active_at(now),
            paused_until=paused,
            kinds=kinds,
        )

    # --- what falls due --------------------------------------------------------------

    def _due_times(self, now: float) -> dict[Kind, float]:
        """When each kind will be due (to show or repeat) if the user stays present."""
        times: dict[Kind, float] = {}
        for kind, settings in self._rules.items():
            state = self._states[kind]
            if state.pending is not None:
                if not self._exhausted(state.pending):
                    times[kind] = state.pending.next_at
                continue
            if state.done_today:
                continue
            at = settings.rule.due_at(now, self._monitor, state.anchor)
            if at is not None:
                times[kind] = max(at, state.not_before)
        return times

    def _due_kinds(self, now: float) -> list[Kind]:
        return [kind for kind, at in self._due_times(now).items() if at <= now]

    def _show(self, now: float) -> list[Action]:
        """One reminder for everything due now or within ``min_gap``, led by the most
        important kind among them (so a sitting reminder absorbs posture and water, and pulls
        in a micro-break due soon)."""
        horizon = now + self._config.notify.min_gap
        due_soon = [kind for kind, at in self._due_times(now).items() if at <= horizon]
        lead = max(due_soon, key=lambda k: k.priority)
        merged = tuple(sorted((k for k in due_soon if k is not lead), key=lambda k: -k.priority))
        actions: list[Action] = []
        for kind in merged:
            self._serve(kind, now, actions)
        reminder = self._reminder(lead, now, merged)
        self._mark_shown(lead, reminder, now)
        self._last_shown = now
        self._deferring_since = None
        actions.append(Show(reminder))
        return actions

    def _reminder(self, kind: Kind, now: float, also: tuple[Kind, ...]) -> Reminder:
        settings = self._rules[kind]
        pending = self._states[kind].pending
        repeat = 0 if pending is None else pending.repeats + 1
        suggestion = self._rotation.next(kind)
        break_seconds = settings.rule.break_length if kind is Kind.SITTING else None
        title, body = content.compose(
            kind, suggestion, also=also, repeat=repeat, break_seconds=break_seconds
        )
        if pending is None:
            reminder_id = self._next_id
            self._next_id += 1
            due = min(now, self._due_times(now).get(kind, now))
        else:
            reminder_id, due = pending.reminder.id, pending.next_at
        return Reminder(
            id=reminder_id,
            kind=kind,
            title=title,
            body=body,
            urgency=self._urgency(settings, repeat),
            due=due,
            repeat=repeat,
            also=also,
            break_seconds=break_seconds,
            suggestion=suggestion.key,
        )

    @staticmethod
    def _urgency(settings: RuleSettings, repeat: int) -> Urgency:
        if repeat == 0:
            return settings.rule.urgency
        if repeat >= settings.max_repeats:
            return Urgency.CRITICAL
        return max(settings.rule.urgency, Urgency.NORMAL)

    def _mark_shown(self, kind: Kind, reminder: Reminder, now: float) -> None:
        settings = self._rules[kind]
        state = self._states[kind]
        state.not_before = -_NEVER
        if kind is Kind.DAILY:
            state.done_today = True
        if state.pending is not None:
            state.pending.repeats += 1
            state.pending.next_at = now + settings.repeat
            state.pending.reminder = reminder
        elif settings.max_repeats > 0:
            state.pending = _Pending(reminder, now, now + settings.repeat, 0)
        else:
            self._restart(kind, now)  # nothing to wait for: the next interval starts now
        if kind is Kind.REPETITION:
            self._monitor.reset_window(now)

    # --- how reminders end ---------------------------------------------------------------

    def is_pending(self, reminder_id: int) -> bool:
        """Whether reminder ``reminder_id`` is still waiting for an answer."""
        return any(p.reminder.id == reminder_id for p in self._pendings())

    def _pendings(self) -> list[_Pending]:
        return [s.pending for k, s in self._states.items() if s.pending and k in self._rules]

    def _exhausted(self, pending: _Pending) -> bool:
        return pending.repeats >= self._rules[pending.reminder.kind].max_repeats

    def _resolve(
        self, kind: Kind, outcome: Outcome, now: float, actions: list[Action], restart: bool = True
    ) -> None:
        state = self._states[kind]
        if state.pending is not None:
            reminder_id = state.pending.reminder.id
            actions.append(Withdraw(reminder_id, kind, outcome))
            actions.append(Resolved(reminder_id, kind, outcome, now))
            state.pending = None
        if restart:
            self._restart(kind, now)
        if kind is Kind.REPETITION and outcome in _ANSWERED_AT_ONCE:
            self._monitor.reset_window(now)  # the actions that made it due are answered

    def _restart(self, kind: Kind, now: float) -> None:
        state = self._states[kind]
        settings = self._rules.get(kind)
        if settings is not None:
            state.anchor = settings.rule.anchor_now(now, self._monitor)
        state.not_before = -_NEVER

    def _serve(self, kind: Kind, now: float, actions: list[Action]) -> None:
        """A kind merged into another reminder counts as shown."""
        self._resolve(kind, Outcome.MERGED, now, actions)
        if kind is Kind.DAILY:
            self._states[kind].done_today = True

    def _settle_repeats(self, now: float, actions: list[Action]) -> None:
        for pending in self._pendings():
            if self._exhausted(pending) and pending.next_at <= now:
                self._resolve(pending.reminder.kind, Outcome.IGNORED, now, actions)

    def _settle_gaps(self, now: float, actions: list[Action]) -> None:
        """Look at the pauses in input since the last call, and at the one going on now."""
        for start, end in self._monitor.take_gaps():
            self._settle_gap(start, end, ongoing=False, actions=actions)
        if self._monitor.idle_for(now) > 0.0:
            self._settle_gap(self._monitor.last_input, now, ongoing=True, actions=actions)

    def _settle_gap(
        self, start: float, end: float, *, ongoing: bool, actions: list[Action]
    ) -> None:
        length = end - start
        threshold = self._config.activity.natural_break
        if self._break_requested:
            threshold = min(threshold, self._config.activity.idle_after)
        if length >= threshold:
            if self._break_seen_at != start:
                self._break_seen_at = start
                self._natural_break(end, actions)
                actions.append(NaturalBreak(start, None if ongoing else end))
            elif not ongoing:
                actions.append(NaturalBreak(start, end))
            if not ongoing:
                # Coming back from a break never meets a reminder at once: min_gap first.
                self._last_shown = max(self._last_shown, end)
            return
        if ongoing:
            return  # a shorter break is judged when it ends, whenever the engine looks
        for kind, settings in self._rules.items():
            pending = self._states[kind].pending
            needed = settings.rule.break_length
            taken = pending and needed is not None and end > pending.shown_at and length >= needed
            if taken:
                self._resolve(kind, Outcome.TAKEN, end, actions)

    def _natural_break(self, now: float, actions: list[Action]) -> None:
        self._break_requested = False
        self._presence_mark = self._monitor.presence_at(now)
        for kind, settings in self._rules.items():
            state = self._states[kind]
            # A reminder on screen was answered by the break, whatever its kind.
            restart = settings.rule.reset_on_natural_break or state.pending is not None
            self._resolve(kind, Outcome.TAKEN, now, actions, restart=restart)
            self._states[kind].not_before = -_NEVER
        # The action count was cleared by the monitor when the input after the gap arrived
        # (doing it here would depend on when the break is noticed).

    # --- commands ----------------------------------------------------------------------

    def _latest_pending(self) -> _Pending | None:
        pendings = self._pendings()
        return max(pendings, key=lambda p: p.shown_at) if pendings else None

    def _next_kinds(self, now: float) -> tuple[list[Kind], float]:
        """The kinds the next reminder would carry, and when it would come."""
        times = self._due_times(now)
        if not times:
            return [], now
        first = min(times.values())
        horizon = first + self._config.notify.min_gap
        return [k for k, at in times.items() if at <= horizon], first

    def _snooze(self, now: float, seconds: float, actions: list[Action]) -> None:
        pending = self._latest_pending()
        if pending is not None:
            pending.next_at = now + seconds
            kind = pending.reminder.kind
            actions.append(Withdraw(pending.reminder.id, kind, Outcome.SNOOZED))
            actions.append(Resolved(pending.reminder.id, kind, Outcome.SNOOZED, now))
            if self._exhausted(pending):  # a snoozed reminder gets one more showing
                pending.repeats -= 1
            return
        kinds, first = self._next_kinds(now)
        for kind in kinds:
            self._states[kind].not_before = max(first, now) + seconds

    def _skip(self, now: float, actions: list[Action]) -> None:
        pending = self._latest_pending()
        if pending is not None:
            self._resolve(pending.reminder.kind, Outcome.SKIPPED, now, actions)
            return
        for kind in self._next_kinds(now)[0]:
            self._restart(kind, now)
            if kind is Kind.DAILY:
                self._states[kind].done_today = True

    def _pause(self, now: float, until: float | None, actions: list[Action]) -> None:
        self._paused_until = _NEVER if until is None else until
        for pending in self._pendings():
            # Withdrawn, not restarted: after a long meeting the sitting reminder is overdue.
            self._resolve(pending.reminder.kind, Outcome.PAUSED, now, actions, restart=False)

    def _resume(self, at: float) -> None:
        self._paused_until = None
        # Coming back from a pause never triggers an immediate reminder.
        self._last_shown = max(self._last_shown, at)

    def _break_now(self, now: float) -> list[Action]:
        self._break_requested = True
        self._paused_until = None
        kind = Kind.SITTING
        suggestion = self._rotation.next(kind)
        duration = self._config.sitting.duration
        title, body = content.compose(kind, suggestion, break_seconds=duration)
        reminder = Reminder(
            id=self._next_id,
            kind=kind,
            title=title,
            body=body,
            urgency=Urgency.NORMAL,
            due=now,
            break_seconds=duration,
            suggestion=suggestion.key,
        )
        self._next_id += 1
        self._last_shown = now
        return [Show(reminder)]

    # --- calendar ------------------------------------------------------------------------

    def _roll_day(self, now: float) -> None:
        if now < self._day_end:
            return
        self._monitor.reset_day()
        for state in self._states.values():
            state.done_today = False
        wall = self._anchor.wall_at(now)
        self._day_end = self._anchor.t_at(next_day_start(wall, self._config.daily.day_starts))

    def _silent_until(self, t: float) -> dt.datetime | None:
        """If reminders are held at ``t`` (quiet hours, outside working hours), until when."""
        quiet = self._config.notify.quiet_hours
        wall = self._anchor.wall_at(t)
        end = None
        for _ in range(16):  # quiet hours and off-hours may follow one another
            held_until = quiet_until(wall, quiet) if quiet else None
            if held_until is None and self._off_hours_at(wall):
                held_until = next_working_start(wall, self._config.schedule.week)
            if held_until is None:
                break
            wall = end = held_until
        return end

    def _off_hours(self, t: float) -> bool:
        return self._off_hours_at(self._anchor.wall_at(t))

    def _off_hours_at(self, wall: dt.datetime) -> bool:
        schedule = self._config.schedule
        return schedule.active and not in_working_hours(wall, schedule.week)

    def _after_typing_grace(self, at: float) -> float:
        """Move a show at ``at`` past the user's typing, within the deferral cap."""
        notify = self._config.notify
        pause_at = self._last_typing() + notify.grace_pause
        if at >= pause_at:
            return at
        since = self._deferring_since if self._deferring_since is not None else at
        return max(at, min(pause_at, since + notify.max_deferral))

    def _typing(self, now: float) -> bool:
        """True while a due reminder waits for a pause in typing (at most max_deferral)."""
        notify = self._config.notify
        # Written as in _after_typing_grace, so a wake-up at the computed moment agrees.
        if now >= self._last_typing() + notify.grace_pause:
            return False
        if self._deferring_since is None:
            self._deferring_since = now
        return now < self._deferring_since + notify.max_deferral

    def _last_typing(self) -> float:
        # While a presence source holds the user active, the pause comes when it says idle
        # (its threshold is at least grace_pause): until then they may be typing.
        return math.inf if self._monitor.held else self._monitor.last_input

    def _report_gap(self) -> float:
        lengths = [s.rule.break_length for s in self._rules.values() if s.rule.break_length]
        return min([self._config.activity.natural_break, *lengths])
