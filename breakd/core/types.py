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


class EngineState(str, enum.Enum):
    """What the engine is doing, most telling first when several hold (``Engine.status``).

    A ``str`` enum so the wire format (``"on-break"``) and comparisons with plain strings
    from older code keep working."""

    PAUSED = "paused"  # the user paused breakd
    ON_BREAK = "on-break"  # break-now, or "Take break" on a reminder: time left in status
    AWAY = "away"  # no input for idle_after, or the screen is locked
    DO_NOT_DISTURB = "do-not-disturb"  # the desktop's do-not-disturb, a fullscreen window, a call
    OFF_HOURS = "off-hours"  # outside the working hours
    QUIET = "quiet"  # quiet hours
    ACTIVE = "active"
    IDLE = "idle"

    def __str__(self) -> str:  # Python 3.11 changed str() and format() of mixed-in enums
        return self.value

    @property
    def holds_reminders(self) -> bool:
        """No reminder is shown (nor an unseen one retried) in this state."""
        return self not in (EngineState.ACTIVE, EngineState.IDLE)


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
    on_break: bool = False  # the break itself (break-now): no Take/Snooze/Skip, "End break"


# --- actions: what the core asks its adapters to do -------------------------------------


@dataclass(frozen=True)
class Show:
    reminder: Reminder
    retry: bool = False  # the same reminder again: its last showing could not be delivered


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


@dataclass(frozen=True)
class EndBreak:
    """The user ended the break early ("End break" on the break's notification)."""


Command = Snooze | Pause | Resume | Skip | BreakNow | TakeBreak | EndBreak


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
    snoozed_until: float | None = None  # engine time; None: not snoozed
    undelivered: bool = False  # due, but no notification server could show it (retried)
    reminder_id: int | None = None  # the reminder on screen (or unseen), if any


# Between the reasons in ``Status.held_by`` when more than one holds reminders ("screen
# sharing, camera in use"): what shows the status splits there to translate each.
HELD_SEPARATOR = ", "


@dataclass(frozen=True)
class Status:
    """A snapshot for ``breakd status`` and status bars."""

    state: EngineState
    presence: float  # seconds of presence since the last natural break
    active_today: float
    paused_until: float | None
    kinds: tuple[KindStatus, ...] = field(default_factory=tuple)
    held_by: str | None = None  # what holds reminders, in English words ("screen locked"...)
    held_until: float | None = None  # engine time the hold ends, when known (quiet hours...)
    break_until: float | None = None  # on a break: engine time it ends


# --- the day so far: what a restarted daemon carries over ---------------------------------


@dataclass(frozen=True)
class KindCarry:
    """One reminder kind's clock, as far as it can be carried over a restart."""

    kind: Kind
    # Seconds into the kind's interval at the last input: presence since it last restarted
    # (continuous use for the micro-break; unused for the daily limit).
    into: float
    done_today: bool = False  # the once-a-day reminder was already given
    # Engine time before which it may not come: a snooze, or the repeat of a reminder that
    # was on screen (it comes back then as a first showing).
    not_before: float | None = None


@dataclass(frozen=True)
class Carryover:
    """The day so far, as one daemon leaves it and the next one takes it up.

    Times are engine times of the daemon that restores it: the daemon stores wall times and
    converts them, since the engine clock does not survive a reboot. Readings in seconds of
    presence or use carry over as they are."""

    saved_at: float  # when it was taken (the store's copy may be up to a minute old)
    last_input: float  # the last input seen before then
    active_today: float  # seconds of active use today, up to ``last_input``
    presence: float  # seconds of presence since the last natural break, up to ``last_input``
    kinds: tuple[KindCarry, ...] = ()
    last_shown: float | None = None  # the last reminder shown (min_gap counts from it)
    paused_until: float | None = None  # math.inf: paused until resumed
