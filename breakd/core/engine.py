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
  (from the command line), and ``answer(reminder_id, key, now)`` for a notification's button.
* What the desktop is doing: ``set_desktop_dnd(name)`` (which do-not-disturb is on, if any)
  and ``set_fullscreen(on)`` (a fullscreen window has the focus); the engine decides by the
  config (``notify.respect_dnd``, ``notify.hold_in_fullscreen``) whether they hold reminders,
  and decides again when the config changes. ``set_in_call(reason, t)`` (camera, microphone
  or screen sharing in use) holds them always, and is also presence.
* Delivery, as the notifier found it: ``delivery_failed(reminder_id, now)`` when a reminder
  could not be shown (no notification server), ``server_appeared(now)`` when one arrives.

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

Delivery rules. A reminder that could not be shown is "unseen": it is not on screen, so its
repeat clock does not run and no other reminder is shown in its place; it is shown again, as
the same showing, ``RETRY_FIRST`` s later, doubling up to ``RETRY_MAX``, or at once when a
notification server appears, and only when a new reminder could be shown then (not away,
paused, on a break, held by do-not-disturb, quiet hours or off-hours). A natural break, a pause
or an answer ends it like any reminder. An answer from a notification is for the reminder it
showed: an answer to an older one that is no longer pending is stale and changes nothing.

Breaks. ``BreakNow`` starts a break: its notification carries the suggestion (``on_break``),
and the break lasts ``sitting.duration``; it ends then, when the user comes back from it, on
"End break" or a pause, and is withdrawn and counted (taken if the user was away for it).
"Take break" on a reminder starts a break of that reminder's length in the same way.

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
    day_of,
    in_working_hours,
    next_day_start,
    next_working_start,
    quiet_until,
)
from breakd.core.checkin import CheckinPlan
from breakd.core.checkin import question as checkin_question
from breakd.core.rules import RuleSettings, build_rules
from breakd.core.types import (
    HELD_SEPARATOR,
    Action,
    AskCheckin,
    BreakNow,
    Carryover,
    Command,
    EndBreak,
    EngineState,
    InputKind,
    Kind,
    KindCarry,
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
from breakd.core.words import ENGLISH, N_, Translator

_NEVER = math.inf
# Outcomes settled at a moment the engine is sure to look at (a show, a repeat running out, a
# command), after which the action count starts over. Breaks are settled whenever the engine
# next looks, so resetting the count then would depend on timing: the window ages out instead.
_ANSWERED_AT_ONCE = frozenset({Outcome.MERGED, Outcome.SKIPPED, Outcome.IGNORED, Outcome.PAUSED})
FULLSCREEN = N_("a fullscreen window")  # what holds reminders, as status says it
RETRY_FIRST = 2.0  # seconds before an unseen reminder is shown again; doubles each time
RETRY_MAX = 30.0
# A notification's buttons (and a click on its body, "default") as the command they mean.
_ANSWERS: dict[str, Command] = {
    "take": TakeBreak(),
    "default": TakeBreak(),
    "snooze": Snooze(None),
    "skip": Skip(),
    "end-break": EndBreak(),
}


def _english(language: str) -> Translator:
    return ENGLISH


@dataclass
class _Pending:
    """A reminder on screen, waiting to be taken, snoozed, skipped or ignored."""

    reminder: Reminder
    shown_at: float
    next_at: float  # next repeat, or when it counts as ignored once repeats have run out
    repeats: int
    snoozed: bool = False  # withdrawn by a snooze: comes back at next_at


@dataclass
class _Break:
    """A break the user asked for (break-now or "Take break")."""

    start: float
    end: float
    reminder: Reminder | None  # break-now's own notification; None after "Take break"
    taken: bool = False  # the user was away long enough for it to count


@dataclass(frozen=True)
class _Unseen:
    """A reminder no notification server could show, waiting to be shown again."""

    reminder: Reminder
    retry_at: float


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

    def __init__(
        self,
        config: Config,
        start: float,
        wall: dt.datetime,
        *,
        seed: int = 0,
        translators: Callable[[str], Translator] = _english,
        input_latency: float = 0.0,
    ) -> None:
        self._config = config
        # Input may reach the engine up to this late (X11 input is read in batches): a pause
        # in input is believed only once it has lasted this much longer, so no input still
        # on its way can prove it wrong (a reminder shown into typing, a break seen that was
        # not one). It delays such decisions by at most this much, never changes them.
        self._latency = input_latency
        # The words reminders are made of: the adapter breakd.i18n.translator reads the
        # catalog for a [notify] language ("auto": from the environment); asked again when
        # the config changes.
        self._translators = translators
        self._tr = translators(config.notify.language)
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
        self._rotation = content.Rotation(seed, exclude=config.content.exclude)
        self._next_id = 1
        self._last_shown = -_NEVER
        self._paused_until: float | None = None
        self._break_seen_at: float | None = None  # last_input of the away gap already handled
        self._break_requested = False
        self._presence_mark = 0.0  # presence at the last natural break
        self._deferring_since: float | None = None  # a due reminder waits for a typing pause
        # The desktop as it is, whatever the config says of it (it may change on a reload).
        self._desktop_dnd: str | None = None  # which do-not-disturb is on ("dunst ...")
        self._fullscreen = False  # a fullscreen window has the focus
        self._call: str | None = None  # a call or meeting going on ("microphone in use")
        self._source_active = False  # a presence source says the user is active
        self._break: _Break | None = None
        self._unseen: _Unseen | None = None
        self._failures = (0, 0)  # (reminder id, failed deliveries in a row) for the back-off
        self._last_show: Reminder | None = None  # the newest showing still standing
        self._day_end = self._anchor.t_at(next_day_start(wall, config.daily.day_starts))
        self._checkin = CheckinPlan(config)

    # --- configuration and clock -----------------------------------------------------

    @property
    def config(self) -> Config:
        return self._config

    @property
    def monitor(self) -> ActivityMonitor:
        return self._monitor

    def set_input_latency(self, seconds: float) -> None:
        """Input may arrive up to ``seconds`` late from now on (see ``__init__``)."""
        self._latency = seconds

    def reconfigure(self, config: Config, now: float) -> None:
        """Take a new config; timers, counts and pending reminders are kept. Whether the
        desktop's do-not-disturb or a fullscreen window holds reminders follows its rules from
        now on (a hold lifted by it ends: call ``advance``)."""
        if config.notify.language != self._config.notify.language:
            self._tr = self._translators(config.notify.language)
        self._config = config
        self._rules = build_rules(config)
        self._rotation.set_excluded(config.content.exclude)
        self._monitor.configure(config.activity, config.repetition, self._report_gap())
        self._checkin.configure(config)
        self._day_end = self._anchor.t_at(
            next_day_start(self._anchor.wall_at(now), config.daily.day_starts)
        )

    def activity_began(self, t: float) -> bool:
        """A presence source (no per-event input) says the user became active at ``t``.
        True: call ``advance`` now."""
        self._source_active = True
        return self._monitor.hold(t)

    def activity_ended(self, t: float, idle_for: float) -> None:
        """The presence source says the user has been idle for ``idle_for`` s at ``t``: the
        typing pause a due reminder waited for (call ``advance`` then)."""
        self._source_active = False
        if self._call is None:  # in a call the user is there, typing or not
            self._monitor.release(t, idle_for)

    def set_desktop_dnd(self, name: str | None) -> None:
        """The desktop's do-not-disturb is on (``name`` says which, for status: "dunst
        do-not-disturb"), or None: off. With ``notify.respect_dnd`` reminders are held, and
        the most important one due is shown when it ends (call ``advance`` after a change)."""
        self._desktop_dnd = name

    def set_fullscreen(self, on: bool) -> None:
        """A fullscreen window has the focus (a film, a presentation), or no longer. With
        ``notify.hold_in_fullscreen`` reminders are held as by do-not-disturb."""
        self._fullscreen = on

    def _desktop_hold(self) -> str | None:
        """What on the desktop holds reminders by the config's rules, for status (its
        do-not-disturb first); None: nothing."""
        notify = self._config.notify
        if self._desktop_dnd and notify.respect_dnd:
            return self._desktop_dnd
        if self._fullscreen and notify.hold_in_fullscreen:
            return FULLSCREEN
        return None

    def set_in_call(self, reason: str | None, t: float) -> None:
        """A call or meeting (the camera, the microphone or screen sharing in use; ``reason``
        says which, for status) or None: it ended. Reminders are held as by do-not-disturb,
        and the user counts as present throughout, typing or not: a call is sitting, never a
        natural break. When it ends the most important reminder due is shown, after the
        typing grace counted from then (call ``advance``)."""
        was, self._call = self._call, reason
        if reason is not None and was is None:
            self._monitor.hold(t)
        elif reason is None and was is not None and not self._source_active:
            self._monitor.release(t, 0.0)

    @property
    def holding(self) -> str | None:
        """What holds reminders now, do-not-disturb and calls alike, whatever else the state
        is (paused, away...); None: nothing."""
        reasons = [r for r in (self._desktop_hold(), self._call) if r is not None]
        return HELD_SEPARATOR.join(reasons) or None

    def _held(self) -> bool:
        """Reminders are held (do-not-disturb, a fullscreen window, a call)."""
        return self._call is not None or self._desktop_hold() is not None

    def set_locked(self, locked: bool, t: float) -> None:
        """Screen lock: the user counts as away while it lasts."""
        if locked:
            self._monitor.lock(t)
        else:
            self._monitor.unlock()
            if self._call is not None:  # still in the call: present again from now
                self._monitor.hold(t)

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
        break_end = None if self._break is None else self._break_end(self._break)
        if break_end is not None and now >= break_end:
            self._end_break(break_end, Outcome.IGNORED, actions)
        if self._paused_until is not None:
            if now < self._paused_until:
                return actions
            self._resume(self._paused_until)
        if self._monitor.is_away(now) or self._silent_until(now) is not None:
            return actions
        if self._held() or self._break is not None:
            return actions
        if self._unseen is not None:  # it comes first, and nothing is shown in its place
            if now >= self._unseen.retry_at:
                actions.append(self._retry(now))
            return actions
        if not self._due_kinds(now):
            if not self._checkin_waits(now):
                self._stop_deferring()  # nothing waits for a pause in typing
        elif now >= self._last_shown + self._config.notify.min_gap and not self._typing(now):
            actions.extend(self._show(now))
        actions.extend(self._ask_checkin(now))
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
            self._end_snoozes(now)  # "resume" means reminders again: a snooze ends too
        elif isinstance(cmd, BreakNow):
            actions.extend(self._break_now(now, actions))
        elif isinstance(cmd, TakeBreak):
            # Like GNOME's "Take": the break starts when the user goes idle, and counts
            # in full once idle_after has passed; coming back then restarts every timer.
            self._take_break(now, self._latest_pending())
        elif isinstance(cmd, EndBreak):
            self._end_break(now, Outcome.SKIPPED, actions)
        # Whatever the command made due now is answered now, so the next wake-up is later.
        actions.extend(self.advance(now))
        return actions

    def answer(self, reminder_id: int, key: str, now: float) -> list[Action]:
        """A button on reminder ``reminder_id``'s notification (``take``, ``snooze``,
        ``skip``, ``end-break``; ``default`` is a click on it: take). An answer from an old
        notification, or a key that means nothing for it, changes nothing: []."""
        command = _ANSWERS.get(key)
        if command is None or self.is_stale(reminder_id):
            return []
        if (reminder_id == self._break_reminder_id()) != isinstance(command, EndBreak):
            return []  # "End break" belongs to the break; the others to reminders
        target = self._pending_for(reminder_id)
        if target is None or isinstance(command, EndBreak):
            return self.command(command, now)
        actions: list[Action] = []
        self._settle_gaps(now, actions)
        if isinstance(command, Snooze):
            self._snooze_pending(target, now, self._config.notify.snooze, actions)
        elif isinstance(command, Skip):
            self._resolve(target.reminder.kind, Outcome.SKIPPED, now, actions)
        else:
            self._take_break(now, target)
        actions.extend(self.advance(now))
        return actions

    def is_stale(self, reminder_id: int) -> bool:
        """Whether an answer for ``reminder_id`` comes from an old notification: a newer
        reminder was shown since, and this one is no longer waiting for an answer."""
        if reminder_id == self._break_reminder_id():
            return False
        return reminder_id < self._next_id - 1 and not self.is_pending(reminder_id)

    def _break_reminder_id(self) -> int | None:
        brk = self._break
        return None if brk is None or brk.reminder is None else brk.reminder.id

    def delivery_failed(self, reminder_id: int, now: float) -> None:
        """No notification server could show reminder ``reminder_id`` (the newest showing):
        it waits, unseen, to be shown again (back-off doubling from ``RETRY_FIRST``). Call
        ``next_wakeup`` afterwards."""
        shown = self._last_show
        if shown is None or shown.id != reminder_id:
            return  # withdrawn or replaced meanwhile: nothing is missing from the screen
        failed_id, failures = self._failures
        failures = failures + 1 if failed_id == reminder_id else 1
        self._failures = (reminder_id, failures)
        delay = min(RETRY_FIRST * 2 ** (failures - 1), RETRY_MAX)
        self._unseen = _Unseen(shown, now + delay)

    def server_appeared(self, now: float) -> None:
        """A notification server appeared on the bus: an unseen reminder goes at once (if it
        may be shown now; call ``advance``)."""
        if self._unseen is not None:
            self._unseen = _Unseen(self._unseen.reminder, now)
            self._failures = (self._unseen.reminder.id, 0)

    @property
    def unseen(self) -> Reminder | None:
        """The reminder waiting for a notification server, if any."""
        return None if self._unseen is None else self._unseen.reminder

    def next_wakeup(self, now: float) -> float | None:
        """When ``advance`` must next be called; None while only new input can change things."""
        if self._paused_until is not None:
            return None if self._paused_until == _NEVER else self._paused_until
        # A break's notification is withdrawn when it ends, and a reminder that has had its
        # repeats when its time is up ("ignored"), whether or not the user is there.
        break_end = [] if self._break is None else [self._break_end(self._break)]
        expiring = [
            p.next_at for p in self._pendings() if self._exhausted(p) and not self._is_unseen(p)
        ]
        if self._monitor.is_away(now):
            return min(expiring + break_end, default=None)
        candidates = expiring + break_end
        if self._unseen is not None and not self._held() and self._break is None:
            at = self._unseen.retry_at
            silent_until = self._silent_until(at)
            candidates.append(at if silent_until is None else self._anchor.t_at(silent_until))
        if Kind.DAILY in self._rules:
            candidates.append(self._day_end)  # the daily count restarts then
        if self._monitor.held:
            candidates.append(self._monitor.minute_end)  # no input events to close minutes
        holding = self._held() or self._break is not None or self._unseen is not None
        shows = [] if holding else list(self._due_times(now).values())
        if shows:
            at = max(min(shows), self._last_shown + self._config.notify.min_gap, now)
            if at <= now:  # due now: it waits for a pause in typing (advance just said so)
                at = self._after_typing_grace(at)
            silent_until = self._silent_until(at)
            candidates.append(at if silent_until is None else self._anchor.t_at(silent_until))
        # Held (a break, an unseen reminder, do-not-disturb): the check-in waits with the
        # reminders, whose wake-ups above say when the hold can end; asking for "now" here
        # would wake the engine again and again for a question it cannot ask.
        checkin_at = None if holding else self._checkin_wakeup(now)
        if checkin_at is not None:
            candidates.append(checkin_at)
        return min(candidates) if candidates else None

    def status(self, now: float) -> Status:
        state = self._state(now)
        counting = state not in (EngineState.PAUSED, EngineState.ON_BREAK, EngineState.AWAY)
        due = self._due_times(now) if counting else {}  # no countdown that cannot run out
        kinds = tuple(self._kind_status(kind, due.get(kind), now) for kind in self._rules)
        paused = self._paused_until if self._paused_until not in (None, _NEVER) else None
        held_by, held_until = self._hold(state, now)
        return Status(
            state=state,
            presence=self._monitor.presence_at(now) - self._presence_mark,
            active_today=self._monitor.active_at(now),
            paused_until=paused,
            kinds=kinds,
            held_by=held_by,
            held_until=held_until,
            break_until=None if self._break is None else self._break_end(self._break),
        )

    def _state(self, now: float) -> EngineState:
        if self._paused_until is not None and now < self._paused_until:
            return EngineState.PAUSED
        if self._break is not None:
            return EngineState.ON_BREAK
        if self._monitor.is_away(now):
            return EngineState.AWAY
        if self._held():
            return EngineState.DO_NOT_DISTURB
        if self._off_hours(now):
            return EngineState.OFF_HOURS
        if self._silent_until(now) is not None:
            return EngineState.QUIET
        if self._monitor.idle_for(now) < self._config.activity.active_gap:
            return EngineState.ACTIVE
        return EngineState.IDLE

    def _hold(self, state: EngineState, now: float) -> tuple[str | None, float | None]:
        """What holds reminders in ``state``, in words, and until when if that is known."""
        if state is EngineState.DO_NOT_DISTURB:
            return self.holding, None
        if state is EngineState.AWAY and self._monitor.locked_at is not None:
            return N_("screen locked"), None
        if state in (EngineState.OFF_HOURS, EngineState.QUIET):
            until = self._silent_until(now)
            # English on the wire; status text translates them (formats.held_text).
            off_hours = state is EngineState.OFF_HOURS
            what = N_("outside working hours") if off_hours else N_("quiet hours")
            return what, None if until is None else self._anchor.t_at(until)
        return None, None

    def _kind_status(self, kind: Kind, due_at: float | None, now: float) -> KindStatus:
        state = self._states[kind]
        pending = state.pending
        unseen = self._unseen is not None and self._unseen.reminder.kind is kind
        snoozed_until = None
        if pending is not None and pending.snoozed:
            # Off the screen since the snooze; once it has run out, simply due again.
            snoozed_until = pending.next_at if pending.next_at > now else None
        elif state.not_before > now:
            snoozed_until = state.not_before
        on_screen = pending is not None and not pending.snoozed and not unseen
        reminder_id = pending.reminder.id if pending is not None else None
        if unseen and self._unseen is not None:
            reminder_id = self._unseen.reminder.id
        return KindStatus(
            kind,
            None if due_at is None else max(due_at - now, 0.0),
            on_screen,
            snoozed_until=snoozed_until,
            undelivered=unseen,
            reminder_id=reminder_id,
        )

    # --- a restart: the day carried over from the previous daemon -------------------------

    def carryover(self, now: float) -> Carryover:
        """The day so far, for the next daemon's ``restore`` (the daemon stores it)."""
        monitor = self._monitor
        last = now if monitor.held else monitor.last_input  # held: present until now
        kinds = tuple(
            self._kind_carry(kind, settings, last) for kind, settings in self._rules.items()
        )
        return Carryover(
            saved_at=now,
            last_input=last,
            active_today=monitor.active_at(last),
            presence=monitor.presence_at(last) - self._presence_mark,
            kinds=kinds,
            last_shown=None if self._last_shown == -_NEVER else self._last_shown,
            paused_until=self._paused_until,
        )

    def _kind_carry(self, kind: Kind, settings: RuleSettings, last: float) -> KindCarry:
        state = self._states[kind]
        not_before = state.not_before
        if state.pending is not None:
            # On screen or snoozed: it comes back when its repeat (or snooze) would have.
            not_before = max(not_before, state.pending.next_at)
        return KindCarry(
            kind,
            settings.rule.elapsed(last, self._monitor, state.anchor),
            state.done_today,
            None if not_before == -_NEVER else not_before,
        )

    def restore(self, day: Carryover, now: float) -> list[Action]:
        """Carry on the day a previous daemon left (see ``Carryover``). Call once, right after
        construction and before any input; breakd starting at ``now`` counts as an input.

        The time since ``day.last_input`` (the daemon was down, or the user away) is a gap like
        any other: from ``activity.natural_break`` on it is a natural break, which restarts the
        timers and clears snoozes; a shorter one counts as presence as far as ``idle_after``
        allows, and the clocks carry on. A day that has ended since starts the active time and
        the once-a-day reminder afresh. Returns what the gap settled (a natural break)."""
        day_starts = self._config.daily.day_starts
        same_day = day_of(self.wall_at(day.last_input), day_starts) == day_of(
            self.wall_at(now), day_starts
        )
        kinds = {carry.kind: carry for carry in day.kinds}
        use = kinds[Kind.REPETITION].into if Kind.REPETITION in kinds else 0.0
        active = day.active_today if same_day else 0.0
        self._monitor.carry_over(day.last_input, day.presence, active, use, day.saved_at)
        self._presence_mark = 0.0
        for kind, settings in self._rules.items():
            carry = kinds.get(kind)
            if carry is None:
                continue  # newly enabled: its interval starts now
            state = self._states[kind]
            state.anchor = settings.rule.anchor_after(carry.into, day.last_input, self._monitor)
            state.done_today = carry.done_today and same_day
            if carry.not_before is not None:
                state.not_before = carry.not_before
        if day.last_shown is not None:
            self._last_shown = day.last_shown
        self._paused_until = day.paused_until
        self._monitor.seen_at(now)
        actions: list[Action] = []
        self._settle_gaps(now, actions)
        return actions

    # --- what falls due --------------------------------------------------------------

    def _due_times(self, now: float) -> dict[Kind, float]:
        """When each kind will be due (to show or repeat) if the user stays present."""
        times: dict[Kind, float] = {}
        for kind, settings in self._rules.items():
            state = self._states[kind]
            if state.pending is not None:
                if not self._exhausted(state.pending) and not self._is_unseen(state.pending):
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
        self._stop_deferring()
        actions.append(Show(reminder))
        return actions

    def _reminder(self, kind: Kind, now: float, also: tuple[Kind, ...]) -> Reminder:
        settings = self._rules[kind]
        pending = self._states[kind].pending
        repeat = 0 if pending is None else pending.repeats + 1
        suggestion = self._rotation.next(kind)
        break_seconds = settings.rule.break_length if kind is Kind.SITTING else None
        title, body = content.compose(
            kind, suggestion, also=also, repeat=repeat, break_seconds=break_seconds, tr=self._tr
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
        self._last_show = reminder
        state.not_before = -_NEVER
        if kind is Kind.DAILY:
            state.done_today = True
        if state.pending is not None:
            state.pending.repeats += 1
            state.pending.next_at = now + settings.repeat
            state.pending.reminder = reminder
            state.pending.snoozed = False
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

    def _pending_for(self, reminder_id: int) -> _Pending | None:
        return next((p for p in self._pendings() if p.reminder.id == reminder_id), None)

    def _is_unseen(self, pending: _Pending) -> bool:
        return self._unseen is not None and self._unseen.reminder.id == pending.reminder.id

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
            self._withdrawn(reminder_id)
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

    def _withdrawn(self, reminder_id: int) -> None:
        """Reminder ``reminder_id`` is off the screen for good: nothing to show again."""
        if self._unseen is not None and self._unseen.reminder.id == reminder_id:
            self._unseen = None
        if self._last_show is not None and self._last_show.id == reminder_id:
            self._last_show = None

    def _retry(self, now: float) -> Show:
        """Show the unseen reminder again, as the same showing; its repeat clock starts now."""
        assert self._unseen is not None
        reminder = self._unseen.reminder
        self._unseen = None
        pending = self._pending_for(reminder.id)
        if pending is not None:
            pending.shown_at = now
            pending.next_at = now + self._rules[reminder.kind].repeat
        self._last_shown = now
        return Show(reminder, retry=True)

    def _settle_repeats(self, now: float, actions: list[Action]) -> None:
        for pending in self._pendings():
            if self._is_unseen(pending):
                continue  # not seen yet: it cannot have been ignored
            if self._exhausted(pending) and pending.next_at <= now:
                self._resolve(pending.reminder.kind, Outcome.IGNORED, now, actions)

    def _settle_gaps(self, now: float, actions: list[Action]) -> None:
        """Look at the pauses in input since the last call, and at the one going on now."""
        for start, end in self._monitor.take_gaps():
            self._settle_gap(start, end, ongoing=False, actions=actions)
        known = now - self._latency  # input before this has all arrived
        if self._monitor.idle_for(known) > 0.0:
            self._settle_gap(self._monitor.last_input, known, ongoing=True, actions=actions)

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
            if not ongoing and self._break is not None and self._break.taken:
                self._end_break(end, Outcome.TAKEN, actions)  # back from the break
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
        if self._break is not None and now > self._break.start:
            self._break.taken = True
        self._unseen = None  # nothing missed during a break is replayed
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
            self._snooze_pending(pending, now, seconds, actions)
            return
        kinds, first = self._next_kinds(now)
        for kind in kinds:
            self._states[kind].not_before = max(first, now) + seconds

    def _snooze_pending(
        self, pending: _Pending, now: float, seconds: float, actions: list[Action]
    ) -> None:
        pending.next_at = now + seconds
        pending.snoozed = True
        kind = pending.reminder.kind
        actions.append(Withdraw(pending.reminder.id, kind, Outcome.SNOOZED))
        actions.append(Resolved(pending.reminder.id, kind, Outcome.SNOOZED, now))
        self._withdrawn(pending.reminder.id)
        if self._exhausted(pending):  # a snoozed reminder gets one more showing
            pending.repeats -= 1

    def _end_snoozes(self, now: float) -> None:
        """Every snooze ends now: snoozed reminders come back (after ``min_gap``)."""
        for kind, state in self._states.items():
            if state.pending is not None and state.pending.snoozed:
                state.pending.next_at = min(state.pending.next_at, now)
            if kind in self._rules:
                state.not_before = -_NEVER

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
        if self._break is not None:
            self._end_break(now, Outcome.PAUSED, actions)
        for pending in self._pendings():
            # Withdrawn, not restarted: after a long meeting the sitting reminder is overdue.
            self._resolve(pending.reminder.kind, Outcome.PAUSED, now, actions, restart=False)
        # A pause replaces any snooze: when it ends, min_gap spaces what comes.
        for state in self._states.values():
            state.not_before = -_NEVER
        self._unseen = None

    def _resume(self, at: float) -> None:
        self._paused_until = None
        # Coming back from a pause never triggers an immediate reminder.
        self._last_shown = max(self._last_shown, at)

    def _break_now(self, now: float, actions: list[Action]) -> list[Action]:
        if self._break is not None:
            self._end_break(now, Outcome.SKIPPED, actions)  # a new break replaces it
        self._paused_until = None
        kind = Kind.SITTING
        suggestion = self._rotation.next(kind)
        duration = self._config.sitting.duration
        title, body = content.compose_break(suggestion, duration, self._tr)
        reminder = Reminder(
            id=self._next_id,
            kind=kind,
            title=title,
            body=body,
            urgency=Urgency.NORMAL,
            due=now,
            break_seconds=duration,
            suggestion=suggestion.key,
            on_break=True,
        )
        self._next_id += 1
        self._last_shown = now
        self._last_show = reminder
        self._start_break(now, duration, reminder)
        return [Show(reminder)]

    def _take_break(self, now: float, pending: _Pending | None) -> None:
        """A "Take break" answer to ``pending`` (or to none): a break of its suggested length."""
        length = None
        if pending is not None:
            reminder = pending.reminder
            length = reminder.break_seconds or self._rules[reminder.kind].rule.break_length
        self._start_break(now, length or self._config.activity.idle_after, None)

    def _start_break(self, now: float, length: float, reminder: Reminder | None) -> None:
        self._break_requested = True
        self._break = _Break(now, now + length, reminder)

    def _break_end(self, brk: _Break) -> float:
        """When the break is over. A break taken from a reminder ("Take break") begins when
        the user goes: typing on after the click (the end of a sentence) moves its end to
        ``idle_after`` into the idle that follows, as long as the typing stopped within the
        break. A break asked for on its own (``break-now``) keeps its length."""
        last = self._monitor.last_input
        if brk.reminder is not None or brk.taken or self._monitor.held or last >= brk.end:
            return brk.end
        return max(brk.end, last + self._config.activity.idle_after + self._latency)

    def _end_break(self, at: float, cut_short: Outcome, actions: list[Action]) -> None:
        """The break is over: its notification goes, counted as taken if the user was away
        for it, else as ``cut_short`` (IGNORED: worked through; SKIPPED: ended early)."""
        brk = self._break
        if brk is None:
            return
        self._break = None
        # Away now counts too: the idle may have begun before the break was asked for.
        idle = self._monitor.idle_for(at - self._latency)
        taken = brk.taken or idle >= self._config.activity.idle_after
        if not taken:
            self._break_requested = False
        self._last_shown = max(self._last_shown, at)  # min_gap before the next reminder
        if brk.reminder is not None:
            outcome = Outcome.TAKEN if taken else cut_short
            reminder_id = brk.reminder.id
            actions.append(Withdraw(reminder_id, brk.reminder.kind, outcome))
            actions.append(Resolved(reminder_id, brk.reminder.kind, outcome, at))
            self._withdrawn(reminder_id)

    # --- the daily check-in -------------------------------------------------------------

    def checked_in(self, day: dt.date) -> None:
        """``day`` has its check-in (the daemon read it from the store, or recorded an
        answer): it is not asked that day."""
        self._checkin.settle(day)

    def checkin_not_shown(self, day: dt.date, now: float) -> None:
        """The check-in question for ``day`` could not be shown: it is asked again later."""
        self._checkin.not_shown(day, self._anchor.wall_at(now))

    def _checkin_from(self, now: float) -> float | None:
        """When the check-in may next be asked, reminders' min_gap included (maybe now)."""
        wall = self._checkin.next_from(self._anchor.wall_at(now))
        if wall is None:
            return None
        return max(self._anchor.t_at(wall), self._last_shown + self._config.notify.min_gap)

    def _checkin_waits(self, now: float) -> bool:
        """The check-in's moment has come: it waits, like a due reminder, for a pause in
        typing. Its deferral clock runs from that moment (the wake-up next_wakeup asked for),
        whatever other wake-ups come meanwhile."""
        at = self._checkin_from(now)
        return at is not None and at <= now

    def _ask_checkin(self, now: float) -> list[Action]:
        """The check-in, when its moment has come and nothing else is due. Call only where
        reminders may be shown (advance has returned early for every hold)."""
        at = self._checkin_from(now)
        if at is None or at > now or self._due_kinds(now) or self._typing(now):
            return []
        day = self._checkin.day(self._anchor.wall_at(now))
        self._checkin.settle(day)
        self._last_shown = now  # a reminder right after it would interrupt twice
        self._stop_deferring()
        return [AskCheckin(checkin_question(day, self._tr))]

    def _checkin_wakeup(self, now: float) -> float | None:
        at = self._checkin_from(now)
        if at is None:
            return None
        if at <= now:  # due now: it waits for a pause in typing (advance just said so)
            at = self._after_typing_grace(max(at, now))
        silent_until = self._silent_until(at)
        return at if silent_until is None else self._anchor.t_at(silent_until)

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
        pause_at = self._last_typing() + notify.grace_pause + self._latency
        if at >= pause_at or self._paused_while_deferring():
            return at
        since = self._deferring_since if self._deferring_since is not None else at
        return max(at, min(pause_at, since + notify.max_deferral))

    def _typing(self, now: float) -> bool:
        """True while a due reminder waits for a pause in typing (at most max_deferral)."""
        notify = self._config.notify
        # Written as in _after_typing_grace, so a wake-up at the computed moment agrees.
        if now >= self._last_typing() + notify.grace_pause + self._latency:
            return False
        if self._deferring_since is None:
            self._deferring_since = now
            # A pause that ends before the engine looks (input read late, in batches) is
            # still a pause: the monitor reports it.
            self._monitor.watch_pauses(notify.grace_pause)
        elif self._paused_while_deferring():
            return False
        return now < self._deferring_since + notify.max_deferral

    def _paused_while_deferring(self) -> bool:
        """A pause in typing of ``grace_pause`` ended since the reminder began to wait."""
        since, pause = self._deferring_since, self._monitor.typing_pause
        return since is not None and pause is not None and pause[1] > since

    def _stop_deferring(self) -> None:
        self._deferring_since = None
        self._monitor.watch_pauses(math.inf)

    def _last_typing(self) -> float:
        # While a presence source holds the user active, the pause comes when it says idle
        # (its threshold is at least grace_pause): until then they may be typing.
        return math.inf if self._monitor.held else self._monitor.last_input

    def _report_gap(self) -> float:
        lengths = [s.rule.break_length for s in self._rules.values() if s.rule.break_length]
        return min([self._config.activity.natural_break, *lengths])
