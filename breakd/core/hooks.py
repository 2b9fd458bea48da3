"""What the user's hooks hear: the engine's actions and status changes as hook events.

``HookFeed`` is fed what the daemon already has - the actions it carries out and the status
it publishes - and answers with the events for ``[hooks]``: a reminder shown, a break started
or ended (break-now, "Take break"; a natural break or a reminder's short break is told
when it ends), paused and
resumed, held and released (do-not-disturb, a fullscreen window, a call). Each event knows
its environment for the hook's process (``HookEvent.environment``).

Pure: no I/O, no clock reads (``now`` is passed in), no threads.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from breakd.core.types import (
    Action,
    EngineState,
    NaturalBreak,
    Outcome,
    Resolved,
    Show,
    Status,
)


class Hook(enum.Enum):
    """The hooks, by their key in ``[hooks]`` (values are ``BREAKD_EVENT``)."""

    SHOWN = "shown"
    BREAK_STARTED = "break_started"
    BREAK_ENDED = "break_ended"
    PAUSED = "paused"
    RESUMED = "resumed"
    HELD = "held"
    RELEASED = "released"


class BreakType(enum.Enum):
    NATURAL = "natural"  # away from the computer for activity.natural_break
    BREAK_NOW = "break-now"  # `breakd break-now`
    TAKE_BREAK = "take-break"  # "Take break" on a reminder
    REMINDER = "reminder"  # a reminder's own short break (the eyes' 20 s) was taken


@dataclass(frozen=True)
class HookEvent:
    hook: Hook
    kind: str = ""  # the reminder's kind ("sitting"...)
    reminder_id: int | None = None
    repeat: int | None = None  # 0: first showing
    break_type: BreakType | None = None
    outcome: str = ""  # how the break ended: taken, skipped, ignored, paused, ended
    duration: float | None = None  # seconds the break or the hold lasted (so far)
    break_seconds: float | None = None  # the suggested or planned length of the break
    held_by: str = ""
    pause_seconds: float | None = None  # paused for this long; None: until resumed

    def environment(self) -> dict[str, str]:
        """The ``BREAKD_*`` variables; each is set, empty when it does not apply."""
        return {
            "BREAKD_EVENT": self.hook.value,
            "BREAKD_KIND": self.kind,
            "BREAKD_REMINDER_ID": _text(self.reminder_id),
            "BREAKD_REPEAT": _text(self.repeat),
            "BREAKD_BREAK": "" if self.break_type is None else self.break_type.value,
            "BREAKD_OUTCOME": self.outcome,
            "BREAKD_DURATION": _seconds(self.duration),
            "BREAKD_BREAK_SECONDS": _seconds(self.break_seconds),
            "BREAKD_HELD_BY": self.held_by,
            "BREAKD_PAUSE_SECONDS": _seconds(self.pause_seconds),
        }


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def _seconds(value: float | None) -> str:
    return "" if value is None else str(max(round(value), 0))


@dataclass
class _Break:
    """The break-now or "Take break" break going on, as the hooks were told of it."""

    started: float
    type: BreakType
    reminder_id: int | None = None
    kind: str = ""
    outcome: str = ""  # from its Resolved action, when it has a notification
    away: bool = False  # a natural break happened inside it: it was taken


class HookFeed:
    """Remembers what the hooks were last told, so each change is told once."""

    def __init__(self) -> None:
        self._paused = False
        self._holding: str | None = None
        self._held_since = 0.0
        self._break: _Break | None = None
        self._break_show: Show | None = None  # break-now's notification, before its status
        self._inside_break: set[float] = set()  # natural breaks inside break-now / take-break

    def actions(self, actions: Iterable[Action]) -> list[HookEvent]:
        events: list[HookEvent] = []
        natural = any(isinstance(a, NaturalBreak) for a in actions)
        for action in actions:
            if isinstance(action, Show):
                events.extend(self._shown(action))
            elif isinstance(action, NaturalBreak):
                events.extend(self._natural(action))
            elif isinstance(action, Resolved):
                events.extend(self._resolved(action, natural))
        return events

    def status(self, status: Status, holding: str | None, now: float) -> list[HookEvent]:
        events = self._held(holding, now)
        paused = status.state is EngineState.PAUSED
        if paused != self._paused:
            self._paused = paused
            if paused:
                until = status.paused_until
                left = None if until is None else until - now
                events.append(HookEvent(Hook.PAUSED, pause_seconds=left))
            else:
                events.append(HookEvent(Hook.RESUMED))
        on_break = status.break_until is not None
        if on_break and self._break is None:
            events.append(self._break_started(status.break_until or now, now))
        elif not on_break and self._break is not None:
            events.append(self._break_ended(now))
        return events

    # --- actions ---------------------------------------------------------------------

    def _shown(self, show: Show) -> list[HookEvent]:
        reminder = show.reminder
        if reminder.on_break:
            self._break_show = show  # told as break_started when the status says so
            return []
        if show.retry:
            return []  # the same showing again (the first could not be delivered)
        return [
            HookEvent(
                Hook.SHOWN,
                kind=reminder.kind.value,
                reminder_id=reminder.id,
                repeat=reminder.repeat,
                break_seconds=reminder.break_seconds,
            )
        ]

    def _natural(self, brk: NaturalBreak) -> list[HookEvent]:
        """Told when it ends: the engine learns of most natural breaks only at the return."""
        if self._break is not None:
            self._break.away = True
            self._inside_break.add(brk.start)
        if brk.start in self._inside_break:  # told as the break-now / take-break it was
            if brk.end is not None:
                self._inside_break.discard(brk.start)
            return []
        if brk.end is None:
            return []
        return [
            HookEvent(
                Hook.BREAK_ENDED,
                break_type=BreakType.NATURAL,
                outcome=Outcome.TAKEN.value,
                duration=brk.end - brk.start,
            )
        ]

    def _resolved(self, resolved: Resolved, natural: bool) -> list[HookEvent]:
        brk = self._break
        if brk is not None and resolved.reminder_id == brk.reminder_id:
            brk.outcome = resolved.outcome.value
            return []
        if resolved.outcome is not Outcome.TAKEN or natural:
            return []  # a natural break's own event says it
        return [
            HookEvent(
                Hook.BREAK_ENDED,
                kind=resolved.kind.value,
                reminder_id=resolved.reminder_id,
                break_type=BreakType.REMINDER,
                outcome=resolved.outcome.value,
            )
        ]

    # --- status changes ----------------------------------------------------------------

    def _held(self, holding: str | None, now: float) -> list[HookEvent]:
        if holding == self._holding:
            return []
        was, self._holding = self._holding, holding
        if holding is None:
            return [HookEvent(Hook.RELEASED, held_by=was or "", duration=now - self._held_since)]
        if was is None:
            self._held_since = now
        return [HookEvent(Hook.HELD, held_by=holding)]

    def _break_started(self, until: float, now: float) -> HookEvent:
        show, self._break_show = self._break_show, None
        if show is not None:
            reminder = show.reminder
            self._break = _Break(now, BreakType.BREAK_NOW, reminder.id, reminder.kind.value)
        else:
            self._break = _Break(now, BreakType.TAKE_BREAK)
        return HookEvent(
            Hook.BREAK_STARTED,
            kind=self._break.kind,
            reminder_id=self._break.reminder_id,
            break_type=self._break.type,
            break_seconds=until - now,
        )

    def _break_ended(self, now: float) -> HookEvent:
        brk, self._break = self._break, None
        assert brk is not None
        outcome = brk.outcome or (Outcome.TAKEN.value if brk.away else "ended")
        return HookEvent(
            Hook.BREAK_ENDED,
            kind=brk.kind,
            reminder_id=brk.reminder_id,
            break_type=brk.type,
            outcome=outcome,
            duration=now - brk.started,
        )
