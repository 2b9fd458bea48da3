"""What a control command did, as a value, and in words (``breakd pause``, ``snooze``, ...).

The daemon decides what a command did (``Answer``) and sends it in the reply's ``"answer"``
beside its English ``"message"``; the client words the answer in the user's language. The
daemon cannot do the wording for the client: the language is the client's (its environment,
its config), and the daemon logs the same answer in English. An older client prints the
``"message"``; a newer client meeting an older daemon (no ``"answer"``), or an answer it does
not know (a newer daemon), prints the ``"message"`` as well: nothing is lost either way.

Pure: no I/O; times are epoch seconds on the wire and shown through ``breakd.core.units``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from breakd.control.formats import clock_text, kind_name
from breakd.core import units
from breakd.core.words import ENGLISH, N_, Translator

# What an answer says (its "said" on the wire).
PAUSED = "paused"
SNOOZED = "snoozed"
SNOOZE_MOVED = "snooze-moved"  # nothing was due: the next reminder moved instead
NOTHING_TO_SNOOZE = "nothing-to-snooze"
RESUMED = "resumed"
NOT_PAUSED = "not-paused"  # not paused, but a snooze ended
NOTHING_TO_RESUME = "nothing-to-resume"
ON_BREAK = "on-break"
SKIPPED = "skipped"  # with ``ended``: the waiting reminder's kinds (none: an older daemon)
SKIPPED_NEXT = "skipped-next"  # nothing waited: the next one's timer starts over
RELOADED = "reloaded"
# A refused reload's heading, before the config's problems (in English in the reply's
# "error", in the user's language where the client prints them).
NOT_RELOADED = N_("config not reloaded, the running config stays:")
SAID = frozenset(
    {
        PAUSED,
        SNOOZED,
        SNOOZE_MOVED,
        NOTHING_TO_SNOOZE,
        RESUMED,
        NOT_PAUSED,
        NOTHING_TO_RESUME,
        ON_BREAK,
        SKIPPED,
        SKIPPED_NEXT,
        RELOADED,
    }
)


@dataclass(frozen=True)
class Snoozed:
    """One reminder kind a snooze moved: until when (epoch seconds), and which reminder."""

    kind: str
    until: float
    reminder: int | None = None


@dataclass(frozen=True)
class Answer:
    """What a command did. Only the fields its ``said`` uses are set."""

    said: str
    until: float | None = None  # paused, on-break: epoch seconds; None: until resumed/open
    length: float | None = None  # snoozed, snooze-moved: seconds
    snoozed: tuple[Snoozed, ...] = ()  # snoozed, snooze-moved
    ended: tuple[str, ...] = ()  # resumed, not-paused: snoozes ended; skipped(-next): kinds
    source: str = ""  # reloaded: the file read (as the user writes it: ~/...)
    defaults: bool = False  # reloaded: there was no file there; the defaults apply

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"said": self.said}
        if self.until is not None:
            wire["until"] = self.until
        if self.length is not None:
            wire["length"] = self.length
        if self.snoozed:
            wire["snoozed"] = [
                {"kind": s.kind, "until": s.until, "reminder": s.reminder} for s in self.snoozed
            ]
        if self.ended:
            wire["ended"] = list(self.ended)
        if self.source:
            wire["source"] = self.source
        if self.defaults:
            wire["defaults"] = True
        return wire

    @classmethod
    def from_wire(cls, wire: object) -> Answer | None:
        """The answer in a reply, or None when there is none this client understands."""
        if not isinstance(wire, Mapping) or wire.get("said") not in SAID:
            return None
        try:
            return cls(
                said=str(wire["said"]),
                until=_number(wire.get("until")),
                length=_number(wire.get("length")),
                snoozed=tuple(_snoozed(s) for s in _list(wire.get("snoozed"))),
                ended=tuple(str(k) for k in _list(wire.get("ended"))),
                source=str(wire.get("source", "")),
                defaults=wire.get("defaults") is True,
            )
        except (KeyError, TypeError, ValueError):
            return None


def words(answer: Answer, tr: Translator = ENGLISH, now: float | None = None) -> str:
    """The answer as a sentence; ``now`` (epoch seconds) decides whether a time needs its
    weekday (default: the clock's)."""
    said = answer.said
    if said == PAUSED:
        if answer.until is None:
            return tr.gettext("paused until you resume (breakd resume)")
        return tr.gettext("paused until {time}").format(time=clock_text(answer.until, now, tr))
    if said in (SNOOZED, SNOOZE_MOVED):
        length = units.duration(answer.length or 0, tr)
        reminders = _snoozed_list(answer.snoozed, tr, now)
        if said == SNOOZED:
            # TRANSLATORS: {reminders} lists "{kind} until {time}" items; {duration} is
            # "10 minutes".
            text = tr.gettext("snoozed for {duration}: {reminders}")
        else:
            text = tr.gettext("nothing is due; the next reminder is {duration} later: {reminders}")
        return text.format(duration=length, reminders=reminders)
    if said == NOTHING_TO_SNOOZE:
        return tr.gettext("nothing to snooze: no reminder is due or counting down")
    if said in (RESUMED, NOT_PAUSED):
        ended = _kinds(answer.ended, tr)
        if said == NOT_PAUSED:
            return tr.gettext("not paused; snooze ended for {reminders}").format(reminders=ended)
        if ended:
            return tr.gettext("resumed; snooze ended for {reminders}").format(reminders=ended)
        return tr.gettext("resumed")
    if said == NOTHING_TO_RESUME:
        return tr.gettext("nothing to resume: breakd is not paused")
    if said == ON_BREAK:
        if answer.until is None:
            return tr.gettext("on a break: step away, the timers restart when you come back")
        text = tr.gettext(
            "on a break until {time}: step away, the timers restart when you come back"
        )
        return text.format(time=clock_text(answer.until, now, tr))
    if said == RELOADED:
        if answer.defaults:
            text = tr.gettext("config reloaded: no config file at {file}; using the defaults")
        else:
            text = tr.gettext("config reloaded: read {file}")
        return text.format(file=answer.source)
    if said == SKIPPED_NEXT and answer.ended:
        # TRANSLATORS: {reminders} lists reminder kinds as `breakd status` names them.
        text = tr.gettext("nothing was waiting; skipped the next reminder: {reminders}")
        return text.format(reminders=_kinds(answer.ended, tr))
    if said == SKIPPED and answer.ended:
        # TRANSLATORS: {reminders} lists reminder kinds as `breakd status` names them.
        text = tr.gettext("skipped the waiting reminder: {reminders}")
        return text.format(reminders=_kinds(answer.ended, tr))
    return tr.gettext("skipped the next reminder")


def _kinds(kinds: Sequence[str], tr: Translator) -> str:
    return tr.gettext(", ").join(kind_name(k, tr) for k in kinds)


def _snoozed_list(snoozed: Sequence[Snoozed], tr: Translator, now: float | None) -> str:
    items = []
    for s in snoozed:
        time = clock_text(s.until, now, tr)
        if s.reminder is None:
            # TRANSLATORS: a reminder kind ("sitting", as `breakd status` names it) snoozed
            # until a time; one item of the list in "snoozed for {duration}: {reminders}".
            text = tr.gettext("{kind} until {time}").format(kind=kind_name(s.kind, tr), time=time)
        else:
            text = tr.gettext("{kind} (reminder {number}) until {time}").format(
                kind=kind_name(s.kind, tr), number=s.reminder, time=time
            )
        items.append(text)
    return tr.gettext(", ").join(items)


def _snoozed(wire: object) -> Snoozed:
    if not isinstance(wire, Mapping):
        raise TypeError("not an object")
    until = _number(wire.get("until"))
    reminder = wire.get("reminder")
    if until is None or not (reminder is None or isinstance(reminder, int)):
        raise ValueError("a snoozed reminder needs its time")
    return Snoozed(str(wire["kind"]), until, reminder)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
