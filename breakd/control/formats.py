"""How ``breakd status`` shows a status result: for people, for scripts and for status bars.

Pure functions from the ``status`` result dict (``STATUS_RESULT`` in ``protocol``) to text, so
every output can be tested without a daemon and the one-shot and ``--follow`` modes cannot
drift apart. The result comes from the daemon, possibly a newer or older one, so fields are
read defensively: a missing or odd field gives a sensible default, never an exception.

Formats:

- ``text``: the multi-line human summary (``status_lines``).
- ``json``: the raw result, one line.
- ``waybar``: one JSON object per line for a Waybar ``custom`` module (``return-type: json``):
  ``text``, ``tooltip``, ``class`` and ``percentage`` (``waybar``).
- ``plain``: one short line for polybar or i3blocks (``plain``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from breakd.core import units
from breakd.core.content import display_width, kind_name, state_sentence
from breakd.core.types import HELD_SEPARATOR, EngineState
from breakd.core.words import ENGLISH, N_, Translator

FORMATS = ("text", "json", "waybar", "plain")
BAR_FORMATS = ("waybar", "plain")  # formats a status bar reads: they show "not running" too

# Waybar classes, for the user's CSS (documented in docs/status-bars.md).
CLASS_ACTIVE = "active"
CLASS_IDLE = "idle"
CLASS_PAUSED = "paused"
CLASS_OFF_HOURS = "off-hours"
CLASS_DUE = "due"
CLASS_ON_BREAK = "on-break"
CLASS_SNOOZED = "snoozed"
CLASS_STOPPED = "stopped"

ICON_BREAK = "☕"
ICON_PAUSED = "⏸"
ICON_OFF_HOURS = "🌙"
ICON_ON_BREAK = "🚶"
ICON_SNOOZED = "💤"
NOT_SHOWN = N_("not shown: no notification server")
SEPARATOR = " · "
_BAR_MAX_SECONDS = 100 * 3600
NOT_RUNNING = "breakd is not running"


@dataclass(frozen=True)
class KindView:
    """One reminder kind as the status bar sees it."""

    kind: str
    due_in: float | None  # seconds; None while not counting
    pending: bool
    snoozed_until: float | None = None  # epoch seconds
    undelivered: bool = False  # due, but no notification server could show it

    @property
    def is_due(self) -> bool:
        if self.pending or self.undelivered:
            return True
        return self.snoozed_until is None and self.due_in is not None and self.due_in <= 0


@dataclass(frozen=True)
class StatusView:
    """A status result with every field checked and defaulted, ready to render."""

    # None: a state this breakd does not know (a newer daemon's, or none at all). It counts
    # as the engine's plain state (reminders as usual, nothing held) and is said in the
    # daemon's word (``state_word``), never guessed at.
    state: EngineState | None
    presence: float | None
    active_today: float | None
    paused_until: float | None
    kinds: tuple[KindView, ...]
    off_hours: bool
    due: bool
    sitting_every: float | None
    held_by: str | None = None  # what holds reminders, in words
    held_until: float | None = None  # epoch seconds
    break_until: float | None = None  # epoch seconds: on a break until then
    state_word: str = ""  # the state as the daemon said it (for one this breakd does not know)

    @classmethod
    def from_result(cls, result: Mapping[str, Any]) -> StatusView:
        kinds = tuple(
            sorted(
                (_kind_view(k) for k in _list(result.get("kinds")) if isinstance(k, Mapping)),
                key=_due_order,
            )
        )
        word = result.get("state")
        word = word if isinstance(word, str) else "unknown"
        state = engine_state(word)
        due = result.get("due")
        return cls(
            state=state,
            presence=_number(result.get("presence")),
            active_today=_number(result.get("active_today")),
            paused_until=_number(result.get("paused_until")),
            kinds=kinds,
            off_hours=result.get("off_hours") is True or state is EngineState.OFF_HOURS,
            # Older daemons do not send "due": derive it from the kinds.
            due=due if isinstance(due, bool) else any(k.is_due for k in kinds),
            sitting_every=_positive(result.get("sitting_every")),
            held_by=_text(result.get("held_by")),
            held_until=_number(result.get("held_until")),
            break_until=_number(result.get("break_until")),
            state_word=word,
        )

    @property
    def on_break(self) -> bool:
        return self.state is EngineState.ON_BREAK

    @property
    def paused(self) -> bool:
        return self.state is EngineState.PAUSED

    @property
    def resting(self) -> bool:
        """Outside working hours or in quiet hours: reminders are held, the bar says so."""
        return self.off_hours or self.state is EngineState.QUIET

    def soonest(self) -> KindView | None:
        """The kind due first: a due one if any, else the smallest counting ``due_in``."""
        due = [k for k in self.kinds if k.is_due]
        if due:
            return due[0]
        counting = [k for k in self.kinds if k.due_in is not None]
        return min(counting, key=lambda k: k.due_in or 0.0, default=None)

    def sitting_fraction(self) -> float:
        """How much of the sitting interval is used, 0..1 (for a gauge)."""
        sitting = next((k for k in self.kinds if k.kind == "sitting"), None)
        if sitting is not None and sitting.pending:
            return 1.0
        every = self.sitting_every
        if every is None and sitting is not None and sitting.due_in is not None:
            # Older daemons do not send "sitting_every": presence + time left is the interval.
            every = _positive((self.presence or 0.0) + sitting.due_in)
        if every is None or self.presence is None:
            return 0.0
        return min(max(self.presence / every, 0.0), 1.0)


# --- the formats --------------------------------------------------------------------------


def render(
    fmt: str, result: Mapping[str, Any], now: float | None = None, tr: Translator = ENGLISH
) -> str:
    """The text ``breakd status --format fmt`` prints for ``result`` (no trailing newline).
    ``tr`` translates the ``text`` format, the one people read; the bar formats, which scripts
    and CSS read too, stay English."""
    if fmt == "json":
        return json.dumps(result, sort_keys=True)
    if fmt == "waybar":
        return waybar_line(result, now)
    if fmt == "plain":
        return plain(result, now)
    if fmt == "text":
        return "\n".join(status_lines(result, now, tr))
    raise ValueError(f"unknown status format {fmt!r}; known: {', '.join(FORMATS)}")


def render_stopped(fmt: str) -> str | None:
    """What a status bar shows while no daemon runs; None for formats people read (they get
    a message on stderr instead, and stdout stays empty as before)."""
    if fmt == "waybar":
        return _json_line({"text": "", "tooltip": NOT_RUNNING, "class": CLASS_STOPPED})
    if fmt == "plain":
        return "breakd not running"
    return None


def waybar(result: Mapping[str, Any], now: float | None = None) -> dict[str, Any]:
    """A Waybar custom-module object: short ``text``, multi-line ``tooltip``, a CSS ``class``
    and ``percentage`` (sitting interval used, for ``format-icons``)."""
    view = StatusView.from_result(result)
    return {
        "text": _bar_text(view, now),
        "tooltip": "\n".join(_tooltip_lines(view, now)),
        "class": _bar_class(view),
        "percentage": round(100 * view.sitting_fraction()),
    }


def waybar_line(result: Mapping[str, Any], now: float | None = None) -> str:
    return _json_line(waybar(result, now))


def plain(result: Mapping[str, Any], now: float | None = None) -> str:
    """One short line for polybar/i3blocks: the next reminder, then the state if it is not
    plain "active", e.g. ``sitting 12m``, ``water now``, ``paused until 10:30``."""
    view = StatusView.from_result(result)
    # Paused, nothing counts down: a countdown there would promise what cannot happen.
    upcoming = None if view.paused else _next_text(view, now)
    parts = [p for p in (upcoming, _state_text(view, now)) if p]
    return SEPARATOR.join(parts) or "no reminders"


def _bar_text(view: StatusView, now: float | None) -> str:
    if view.on_break:
        left = _time_left(view.break_until, now)
        return ICON_ON_BREAK if left is None else f"{ICON_ON_BREAK} {_short_duration(left)}"
    if view.state is EngineState.DO_NOT_DISTURB:
        return ICON_PAUSED  # held by the desktop, not by breakd: no end time to show
    if view.paused:
        until = view.paused_until
        return ICON_PAUSED if until is None else f"{ICON_PAUSED} {clock_text(until, now)}"
    if view.resting:
        return ICON_OFF_HOURS
    if view.due:
        return f"{ICON_BREAK} now"
    soonest = view.soonest()
    snoozed = _snoozed_left(view, now)
    if (soonest is None or soonest.due_in is None) and snoozed is not None:
        return f"{ICON_SNOOZED} {_short_duration(snoozed[1])}"  # away: the snooze still runs
    if soonest is None or soonest.due_in is None:
        return ICON_BREAK
    icon = ICON_SNOOZED if soonest.snoozed_until is not None else ICON_BREAK
    return f"{icon} {_short_duration(soonest.due_in)}"


def _bar_class(view: StatusView) -> str:
    # Most telling first: a paused or resting breakd shows that even with a reminder pending.
    if view.paused or view.state is EngineState.DO_NOT_DISTURB:
        return CLASS_PAUSED
    if view.on_break:
        return CLASS_ON_BREAK
    if view.resting:
        return CLASS_OFF_HOURS
    if view.due:
        return CLASS_DUE
    soonest = view.soonest()
    if soonest is not None and soonest.snoozed_until is not None:
        return CLASS_SNOOZED
    if view.state in (EngineState.IDLE, EngineState.AWAY):
        return CLASS_IDLE
    return CLASS_ACTIVE


def _tooltip_lines(view: StatusView, now: float | None) -> list[str]:
    lines = [_state_line(view, now)]
    if view.off_hours and view.held_by is None:
        lines.append("outside working hours")
    if view.presence is not None:
        lines.append(f"present for {units.short_duration(view.presence)}")
    if view.active_today is not None:
        lines.append(f"active today: {units.short_duration(view.active_today)}")
    lines.extend(f"{k.kind}: {_due_text(k, now)}" for k in view.kinds)
    if not view.kinds:
        lines.append("no reminders enabled")
    return lines


def _snoozed_left(view: StatusView, now: float | None) -> tuple[str, float] | None:
    """The kind whose snooze ends first and the time left, when nothing else counts down."""
    snoozed = [(k.kind, k.snoozed_until) for k in view.kinds if k.snoozed_until is not None]
    if not snoozed:
        return None
    kind, until = min(snoozed, key=lambda ks: ks[1])
    left = _time_left(until, now)
    return None if left is None else (kind, left)


def _next_text(view: StatusView, now: float | None = None) -> str | None:
    soonest = view.soonest()
    snoozed = _snoozed_left(view, now)
    if (soonest is None or soonest.due_in is None) and snoozed is not None:
        return f"{snoozed[0]} snoozed {_short_duration(snoozed[1])}"
    if soonest is None:
        return None
    if soonest.undelivered:
        return f"{soonest.kind} not shown"
    if soonest.is_due:
        return f"{soonest.kind} now"
    if soonest.due_in is None:
        return None
    marker = " snoozed" if soonest.snoozed_until is not None else ""
    return f"{soonest.kind}{marker} {_short_duration(soonest.due_in)}"


def _state_text(view: StatusView, now: float | None) -> str | None:
    if view.paused:
        return "paused" + ("" if view.paused_until is None else _paused_suffix(view, now))
    if view.on_break:
        left = _time_left(view.break_until, now)
        return "on a break" + ("" if left is None else f" {_short_duration(left)}")
    if view.off_hours:
        return "off hours"
    if view.state is EngineState.QUIET:
        return "quiet hours"
    if view.state is EngineState.ACTIVE:
        return None
    if view.held_by == "screen locked":
        return "locked"
    return view.state_word


# --- the human text (``breakd status``) ---------------------------------------------------


def status_lines(
    result: Mapping[str, Any], now: float | None = None, tr: Translator = ENGLISH
) -> list[str]:
    """The human-readable ``breakd status``: state, presence, then one line per reminder."""
    view = StatusView.from_result(result)
    lines = [_state_line(view, now, tr)]
    presence = result.get("presence")
    if isinstance(presence, (int, float)):
        text = tr.gettext("present for {duration} since the last natural break")
        lines.append(text.format(duration=units.short_duration(presence, tr)))
    active = result.get("active_today")
    if isinstance(active, (int, float)):
        text = tr.gettext("active today: {duration}")
        lines.append(text.format(duration=units.short_duration(active, tr)))
    warning = result.get("warning")
    if isinstance(warning, str) and warning:
        lines.append(tr.gettext("warning: {warning}").format(warning=warning))
    if result.get("counting") is False:
        source = result.get("source", "?")
        text = tr.gettext(
            "presence only ({source}): no key or click counts, so micro-breaks come from "
            "continuous use"
        )
        lines.append(text.format(source=source))
    names = [kind_name(k.kind, tr) for k in view.kinds]
    width = max((display_width(name) for name in names), default=0)
    for name, kind in zip(names, view.kinds, strict=True):
        padding = " " * (width - display_width(name))
        lines.append(f"  {name}{padding}  {_due_text(kind, now, tr)}")
    return lines


def _state_line(view: StatusView, now: float | None, tr: Translator = ENGLISH) -> str:
    """The first line: the state and, when something holds reminders, what and until when."""
    if view.on_break:
        left = _time_left(view.break_until, now)
        if left is None:
            return state_sentence(EngineState.ON_BREAK, tr)
        until = clock_text(view.break_until, now, tr) if view.break_until is not None else ""
        text = tr.gettext("breakd: you are on a break, {duration} left (until {time})")
        return text.format(duration=units.short_duration(left, tr), time=until)
    held = None if view.held_by is None else held_text(view.held_by, tr)
    if held is not None and view.state is not EngineState.AWAY:
        if view.held_until is None:
            return tr.gettext("breakd is holding reminders: {reason}").format(reason=held)
        text = tr.gettext("breakd is holding reminders: {reason} until {time}")
        return text.format(reason=held, time=clock_text(view.held_until, now, tr))
    if held is not None:  # away: the screen is locked, say
        return state_sentence(EngineState.AWAY, tr) + f" ({held})"
    if view.paused and view.paused_until is not None:
        text = tr.gettext("breakd is paused until {time}")
        return text.format(time=clock_text(view.paused_until, now, tr))
    if view.state is None:  # a newer daemon's state: in its word, which has no translation
        return f"breakd is {view.state_word}"
    return state_sentence(view.state, tr)


def _time_left(until: float | None, now: float | None) -> float | None:
    if until is None:
        return None
    return max(until - (dt.datetime.now().timestamp() if now is None else now), 0.0)


def _short_duration(seconds: float) -> str:
    """The English countdown ("12m") with a cap, so a bar never grows with a far-off (or
    bogus) time."""
    return units.short_duration(seconds) if seconds < _BAR_MAX_SECONDS else "99h+"


def _paused_suffix(view: StatusView, now: float | None) -> str:
    if not view.paused:
        return ""
    if view.paused_until is None:
        return " until you resume it"
    return f" until {clock_text(view.paused_until, now)}"


def _due_text(kind: KindView, now: float | None = None, tr: Translator = ENGLISH) -> str:
    if kind.undelivered:
        return tr.gettext(NOT_SHOWN)
    if kind.pending:
        return tr.gettext("due now (waiting for your break)")
    if kind.snoozed_until is not None:
        text = tr.gettext("snoozed until {time}")
        return text.format(time=clock_text(kind.snoozed_until, now, tr))
    if kind.due_in is None:
        return tr.gettext("on hold")
    if kind.due_in <= 0:
        return tr.gettext("due now")
    return tr.gettext("in {duration}").format(duration=units.short_duration(kind.due_in, tr))


def clock_text(epoch: float, now: float | None, tr: Translator = ENGLISH) -> str:
    """A time as a 24-hour clock, with the weekday when it is not today."""
    when = dt.datetime.fromtimestamp(epoch)
    today = dt.datetime.fromtimestamp(dt.datetime.now().timestamp() if now is None else now)
    if when.date() == today.date():
        return units.clock(when, tr)
    return units.weekday_and_clock(when, tr)


def held_text(held_by: str, tr: Translator = ENGLISH) -> str:
    """What holds reminders (the status's ``held_by``, English on the wire) in the user's
    language. It may list several reasons, as the engine joins them ("screen sharing, camera
    in use"); each one breakd names (marked ``N_`` where it is made) is translated, and one
    the desktop names ("dunst do-not-disturb") is left as the desktop says it."""
    reasons = [tr.gettext(reason) for reason in held_by.split(HELD_SEPARATOR)]
    # TRANSLATORS: the separator of a list ("walk, eye rest, water").
    return tr.gettext(", ").join(reasons)


# --- reading the result defensively -------------------------------------------------------
def engine_state(word: str) -> EngineState | None:
    """The state a status result names (its wire value, ``"on-break"``), or None for one this
    breakd does not know: a newer daemon's, which must not stop an older client."""
    try:
        return EngineState(word)
    except ValueError:
        return None


def _due_order(kind: KindView) -> tuple[int, float]:
    """Kinds in the order they fall due: due ones first, then by time left, then those not
    counting (sorted() is stable, so ties keep the daemon's order)."""
    if kind.is_due:
        return (0, 0.0)
    if kind.due_in is None:
        return (2, 0.0)
    return (1, kind.due_in)


def _kind_view(kind: Mapping[str, Any]) -> KindView:
    return KindView(
        kind=str(kind.get("kind", "?")),
        due_in=_number(kind.get("due_in")),
        pending=kind.get("pending") is True,
        snoozed_until=_number(kind.get("snoozed_until")),
        undelivered=kind.get("undelivered") is True,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _positive(value: Any) -> float | None:
    number = _number(value)
    return number if number is not None and number > 0 else None


def _list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else []


def _json_line(obj: Mapping[str, Any]) -> str:
    # Raw UTF-8 rather than \u escapes: what Waybar's examples print, and easier to read.
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
