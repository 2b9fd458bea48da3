"""Values that cross the boundary of the core: inputs, commands, reminders and actions.

Everything here is a frozen dataclass or an enum, so the core's answers can be compared,
logged and stored without aliasing surprises. No key identity exists in any of these types:
the core learns only *that* a key was pressed, never *which*.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class InputKind(enum.IntEnum):
    """What kind of input happened (never which key or button)."""

    KEY = 0  # a key press (releases are not counted)
    CLICK = 1  # a mouse button press or a scroll step
    MOTION = 2  # the pointer moved


class Kind(enum.Enum):
    """The kinds of reminder, in order of priority when several are due together."""

    DAILY = "daily"
    SITTING = "sitting"
    REPETITION = "repetition"
    POSTURE = "posture"
    WATER = "water"

    @property
    def priority(self) -> int:
        return _PRIORITY[self]


_PRIORITY = {kind: rank for rank, kind in enumerate(reversed(list(Kind)))}


class Urgency(enum.IntEnum):
    """Matches the freedesktop notification urgency levels."""

    LOW = 0
    NORMAL = 1
    CRITICAL = 2


class Outcome(enum.Enum):
    """How a shown reminder ended."""

    TAKEN = "taken"  # a long enough break followed the reminder
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    IGNORED = "ignored"  # input went on through every repeat
    MERGED = "merged"  # served as part of another reminder
    PAUSED = "paused"  # withdrawn because the user paused breakd


@dataclass(frozen=True)
class Reminder:
    """One notification's worth of advice."""

    id: int
    kind: Kind
    title: str
    body: str
    urgency: Urgency
    due: float  # engine time at which it fell due
    repeat: int = 0  # 0 for the first showing, 1..max_repeats for repeats
    also: tuple[Kind, ...] = ()  # kinds merged into this reminder
    break_seconds: float | None = None  # suggested length of the break, if it is one
    suggestion: str = ""  # key of the catalog suggestion used


# --- actions: what the core asks its adapters to do -------------------------------------


@dataclass(frozen=True)
class Show:
    reminder: Reminder


@dataclass(frozen=True)
class Withdraw:
    """A reminder on screen is no longer due (a break was taken, it was snoozed...)."""

    reminder_id: int
    kind: Kind
    outcome: Outcome


@dataclass(frozen=True)
class Resolved:
    """A reminder's outcome is known (for statistics and the log)."""

    reminder_id: int
    kind: Kind
    outcome: Outcome
    at: float


@dataclass(frozen=True)
class NaturalBreak:
    """The user was away for at least ``activity.natural_break``."""

    start: float
    end: float | None  # None while the break is still going on


@dataclass(frozen=True)
class CheckinChoice:
    """One answer to the daily check-in: a button and the 0-10 score it records."""

    key: str  # the notification action key
    label: str
    score: int


@dataclass(frozen=True)
class CheckinQuestion:
    """The daily check-in, ready to show: how do the neck and shoulders feel on ``day``?"""

    day: dt.date  # the day the answer is recorded for (days roll over at daily.day_starts)
    title: str
    body: str  # where the buttons are on screen
    choices: tuple[CheckinChoice, ...]
    command_hint: str  # the body where the buttons are not drawn


@dataclass(frozen=True)
class AskCheckin:
    """Ask the daily check-in now (the engine asks once a day, never while held)."""

    question: CheckinQuestion


Action = Show | Withdraw | Resolved | NaturalBreak | AskCheckin


# --- commands: what the user asks of the core (through the CLI or a notification) ---------


@dataclass(frozen=True)
class Snooze:
    seconds: float | None = None  # None: the configured notify.snooze


@dataclass(frozen=True)
class Pause:
    until: float | None = None  # engine time; None: until resumed


@dataclass(frozen=True)
class Resume:
    pass


@dataclass(frozen=True)
class Skip:
    pass


@dataclass(frozen=True)
class BreakNow:
    pass


@dataclass(frozen=True)
class TakeBreak:
    """The user answered a reminder with "Take break": the idle that follows is the break."""


Command = Snooze | Pause | Resume | Skip | BreakNow | TakeBreak


@dataclass(frozen=True)
class MinuteSample:
    """What one minute of input amounted to: counts only, never which key."""

    start: float  # engine time at the start of the minute
    present: float  # seconds, at most 60
    active: float  # seconds, at most 60
    keys: int
    clicks: int
    motions: int


@dataclass(frozen=True)
class KindStatus:
    kind: Kind
    due_in: float | None  # seconds of presence (or use) until due; None: not counting now
    pending: bool = False  # shown and waiting for a break or a repeat


@dataclass(frozen=True)
class Status:
    """A snapshot for ``breakd status`` and status bars."""

    state: str  # "active", "idle", "away", "paused", "quiet"
    presence: float  # seconds of presence since the last natural break
    active_today: float
    paused_until: float | None
    kinds: tuple[KindStatus, ...] = field(default_factory=tuple)
