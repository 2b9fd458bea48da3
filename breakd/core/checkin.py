"""The daily check-in: the moment of a day to ask how the neck and shoulders feel, the
question itself, and the once-a-day bookkeeping.

Theory of operation. ``[checkin] at`` names the moment of each day from which the question may
be asked: a time of day, or "end", half an hour (``END_LEAD``) before the day's last working
period in ``[schedule]`` ends (``END_WITHOUT_SCHEDULE``, 16:30, when no working hours are set).
A day is the one ``breakd checkin`` records for: it rolls over at ``daily.day_starts``. From
that moment until the day ends, the engine asks at the first chance it gets: the user present,
nothing holding reminders (paused, away, do-not-disturb, quiet hours, off-hours), a pause in
typing (waited for at most ``notify.max_deferral``, as for a reminder), and ``notify.min_gap``
after the last reminder. The engine applies those holds (they are its own rules); this module
says from when, and whether the day still needs asking.

A day is settled once it was asked, or once it has a check-in (the daemon says so: it reads
the store, which ``breakd checkin`` writes to as well). A question that could not be shown
(no notification server) leaves the day open and is asked again ``RETRY_AFTER`` later.

The buttons record on the usual 0-10 numeric rating scale, where 1-3 is mild, 4-6 moderate and
7-10 severe pain, and ``breakd.stats.checkin`` counts 3 or more as pain: Fine 0, Stiff 2 (a
niggle, not yet pain), Sore 4 (pain that gets in the way), Painful 7 (severe).

Must not: read clocks, do I/O or touch the store. Same inputs, same outputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from breakd.config.model import Config
from breakd.core.calendar import day_of, next_day_start
from breakd.core.types import CheckinChoice, CheckinQuestion
from breakd.core.words import ENGLISH, N_, Translator

END_LEAD = dt.timedelta(minutes=30)
END_WITHOUT_SCHEDULE = dt.time(16, 30)
RETRY_AFTER = dt.timedelta(minutes=10)

CHOICES = (
    CheckinChoice("checkin-fine", N_("Fine"), 0),
    CheckinChoice("checkin-stiff", N_("Stiff"), 2),
    CheckinChoice("checkin-sore", N_("Sore"), 4),
    CheckinChoice("checkin-painful", N_("Painful"), 7),
)
TITLE = N_("How do your neck and shoulders feel today?")
BODY = N_("Fine, stiff, sore or painful? One click records today's check-in.")
COMMAND_HINT = N_("To record it, type: {command} (0 = no pain, 10 = the worst)")
_COMMAND = "breakd checkin 0-10"


# Where a server draws fewer buttons than there are choices, the mildest in-between answer
# goes first: "painful" is the one that must never be lost.
_DROPPED_FIRST = ("checkin-stiff", "checkin-sore")
# The body for each set of choices kept, as whole sentences to translate.
_BODY_WITHIN = {
    ("checkin-fine", "checkin-sore", "checkin-painful"): N_(
        "Fine, sore or painful? One click records today's check-in."
    ),
    ("checkin-fine", "checkin-painful"): N_("Fine or painful? One click records today's check-in."),
}


def question(day: dt.date, tr: Translator = ENGLISH) -> CheckinQuestion:
    """The question in the user's language (the buttons' keys and scores stay as they are)."""
    choices = tuple(
        CheckinChoice(choice.key, tr.gettext(choice.label), choice.score) for choice in CHOICES
    )
    hint = tr.gettext(COMMAND_HINT).format(command=_COMMAND)
    return CheckinQuestion(day, tr.gettext(TITLE), tr.gettext(BODY), choices, hint)


def within(
    asked: CheckinQuestion, buttons: int | None, tr: Translator = ENGLISH
) -> CheckinQuestion:
    """``asked`` with at most ``buttons`` choices (None: no limit), its body naming just the
    choices kept, so that what it says is what is on screen (``tr``: in the language
    ``asked`` was made in)."""
    choices = asked.choices
    for key in _DROPPED_FIRST:
        if buttons is None or len(choices) <= buttons:
            break
        choices = tuple(c for c in choices if c.key != key)
    if choices == asked.choices:
        return asked
    body = tr.gettext(_BODY_WITHIN[tuple(c.key for c in choices)])
    return dataclasses.replace(asked, choices=choices, body=body)


def ask_from(day: dt.date, config: Config) -> dt.datetime | None:
    """The moment of ``day`` from which its check-in may be asked; None: not on that day (no
    working hours that day)."""
    at = config.checkin.at
    day_starts = config.daily.day_starts
    if at is None:
        return _end_of_work(day, config)
    moment = dt.datetime.combine(day, at)
    # A time before the day starts (say 01:00 with days from 04:00) is that night's.
    return moment + dt.timedelta(days=1) if at < day_starts else moment


def _end_of_work(day: dt.date, config: Config) -> dt.datetime | None:
    schedule = config.schedule
    if not schedule.active:
        return dt.datetime.combine(day, END_WITHOUT_SCHEDULE)
    ranges = schedule.week[day.weekday()]
    if not ranges:
        return None
    last = max(ranges, key=lambda r: r.start)
    start, end = dt.datetime.combine(day, last.start), dt.datetime.combine(day, last.end)
    if end <= start:  # runs past midnight
        end += dt.timedelta(days=1)
    return max(end - END_LEAD, start)


class CheckinPlan:
    """Which day still needs asking, and from when (all in local wall time)."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._settled: dt.date | None = None  # the latest day asked or checked in
        self._retry_from: dt.datetime | None = None

    def configure(self, config: Config) -> None:
        self._config = config

    def day(self, wall: dt.datetime) -> dt.date:
        return day_of(wall, self._config.daily.day_starts)

    def due_from(self, wall: dt.datetime) -> dt.datetime | None:
        """From when the check-in of the day ``wall`` falls in may be asked (maybe already);
        None: not this day (turned off, settled, or no working hours)."""
        if not self._config.checkin.enabled:
            return None
        day = self.day(wall)
        if self._settled is not None and day <= self._settled:
            return None
        at = ask_from(day, self._config)
        if at is None or at >= next_day_start(wall, self._config.daily.day_starts):
            return None
        if self._retry_from is not None:
            at = max(at, self._retry_from)
        return at

    def next_from(self, wall: dt.datetime) -> dt.datetime | None:
        """The next moment a check-in may be asked: this day's, or a later day's."""
        if not self._config.checkin.enabled:
            return None
        for _ in range(8):  # working hours on a single weekday: one check-in a week
            at = self.due_from(wall)
            if at is not None:
                return at
            wall = next_day_start(wall, self._config.daily.day_starts)
        return None

    def settle(self, day: dt.date) -> None:
        """``day`` was asked, or has its check-in: not asked again that day."""
        if self._settled is None or day > self._settled:
            self._settled = day
        self._retry_from = None

    def not_shown(self, day: dt.date, wall: dt.datetime) -> None:
        """The question for ``day`` could not be shown at ``wall``: ask again a little later."""
        if self._settled == day:
            self._settled = day - dt.timedelta(days=1)
        self._retry_from = wall + RETRY_AFTER
