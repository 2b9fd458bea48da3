"""Durations, clock times and time ranges as written in the config file.

A duration is either whole seconds (a TOML integer, ``90``) or a string of up to three parts
``<n>h``, ``<n>m``, ``<n>s`` in that order, each at most once: ``"90s"``, ``"45m"``, ``"2h"``,
``"1h30m"``, ``"1h 30m"`` (spaces between the parts are allowed because people write it that
way). Units are lower case; fractions and bare numbers in strings (``"90"``) are refused,
because ``"90"`` could mean seconds or minutes and a silent guess is worse than an error.
Every duration must lie between 1 second and 24 hours inclusive.

Errors are ``ValueError`` raised with a ``Phrase`` that says what is wrong and what is
allowed, so the loader can show it to the user unchanged, in English (``str``) or in the
user's language (``Phrase.of(error).say(tr)``).
"""

from __future__ import annotations

import datetime as dt
import re

from breakd.config.model import TimeRange
from breakd.core.words import N_, Phrase, clauses, phrase

MIN_SECONDS = 1
MAX_SECONDS = 24 * 60 * 60

DURATION_ALLOWED = phrase(
    N_('use e.g. "90s", "45m", "1h30m" or whole seconds from {least} to {most}'),
    least=MIN_SECONDS,
    most=MAX_SECONDS,
)
# What a typed duration (the command line: ``breakd snooze 10m``) may be: text always needs a
# unit, so "whole seconds" (a TOML integer in the config) is not offered there.
DURATION_TEXT_ALLOWED = phrase(N_('use e.g. "90s", "10m", "1h30m", from 1s to 24h'))
CLOCK_ALLOWED = phrase(N_('use "HH:MM" from "00:00" to "23:59", e.g. "04:00"'))
RANGE_ALLOWED = phrase(N_('use "HH:MM-HH:MM" with different start and end, e.g. "22:00-07:00"'))
NOT_A_DURATION = N_("not a duration")
NOT_A_TIME_RANGE = N_("not a time range")

# Each part is optional but the whole must not be empty (checked after matching).
# [0-9], not \d: \d also matches other scripts' digits. At most 12 digits keeps int() cheap.
_DURATION_RE = re.compile(r"(?:([0-9]{1,12})h)?\s*(?:([0-9]{1,12})m)?\s*(?:([0-9]{1,12})s)?")
_CLOCK_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def parse_duration(value: object) -> float:
    """Seconds for a config duration: whole seconds (int) or a string like ``"1h30m"``."""
    # bool is a subclass of int, but ``every = true`` is a mistake, not one second.
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str):
        seconds = _parse_duration_text(value)
    else:
        raise ValueError(clauses(phrase(NOT_A_DURATION), DURATION_ALLOWED))
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ValueError(
            clauses(
                phrase(N_("out of range")),
                phrase(
                    N_("use a duration from 1s to 24h ({least} to {most} seconds)"),
                    least=MIN_SECONDS,
                    most=MAX_SECONDS,
                ),
            )
        )
    return float(seconds)


def parse_duration_text(text: str) -> float:
    """Seconds for a duration typed as text (the command line): ``"10m"``, ``"1h30m"``.

    The messages suit a person at a prompt: no TOML integers, and a bare number or a
    negative value is named as such rather than "not a duration".
    """
    seconds = _parse_duration_text(text, allowed=DURATION_TEXT_ALLOWED)
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ValueError(clauses(phrase(N_("out of range")), DURATION_TEXT_ALLOWED))
    return float(seconds)


def _parse_duration_text(text: str, allowed: Phrase = DURATION_ALLOWED) -> int:
    stripped = text.strip()
    if stripped.startswith("-"):
        raise ValueError(clauses(phrase(N_("a duration cannot be negative")), allowed))
    if stripped.isascii() and stripped.isdigit() and int(stripped) == 0:
        raise ValueError(clauses(phrase(N_("a duration must be at least 1s")), allowed))
    if stripped.isascii() and stripped.isdigit():
        # "90" could mean seconds or minutes: say both rather than guess.
        raise ValueError(
            phrase(
                N_(
                    'a number needs a unit: write "{number}s" for seconds or "{number}m" '
                    "for minutes"
                ),
                number=stripped,
            )
        )
    match = _DURATION_RE.fullmatch(stripped)
    if match is None or not any(match.groups()):
        raise ValueError(clauses(phrase(NOT_A_DURATION), allowed))
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: float) -> str:
    """The canonical short form: ``5400 -> "1h30m"``, ``90 -> "1m30s"``, ``0 -> "0s"``.

    Only whole, non-negative seconds have a canonical form; anything else raises ``ValueError``
    rather than round, so that writing a config and reading it back never changes a value.
    """
    if seconds < 0 or seconds != int(seconds):
        raise ValueError(f"only whole, non-negative seconds can be formatted, not {seconds!r}")
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts) or "0s"


def parse_clock(value: object) -> dt.time:
    """A time of day from ``"HH:MM"`` (``"4:00"`` is accepted too) or a TOML local time."""
    if isinstance(value, dt.time):
        # TOML's bare ``04:00:00`` arrives as a time; accept it if it is a plain minute.
        if value.tzinfo is None and value.second == 0 and value.microsecond == 0:
            return value
        raise ValueError(
            clauses(phrase(N_("only whole minutes without a time zone")), CLOCK_ALLOWED)
        )
    if isinstance(value, str):
        match = _CLOCK_RE.fullmatch(value.strip())
        if match is not None:
            hour, minute = int(match[1]), int(match[2])
            if hour <= 23 and minute <= 59:
                return dt.time(hour, minute)
    raise ValueError(clauses(phrase(N_("not a time of day")), CLOCK_ALLOWED))


def format_clock(value: dt.time) -> str:
    return f"{value:%H:%M}"


def parse_time_range(value: object) -> TimeRange:
    """A daily range ``"22:00-07:00"``; it crosses midnight when the end is not after the start."""
    if not isinstance(value, str) or value.count("-") != 1:
        raise ValueError(clauses(phrase(NOT_A_TIME_RANGE), RANGE_ALLOWED))
    start_text, end_text = value.split("-")
    try:
        start, end = parse_clock(start_text), parse_clock(end_text)
    except ValueError:
        raise ValueError(clauses(phrase(NOT_A_TIME_RANGE), RANGE_ALLOWED)) from None
    if start == end:
        # Ambiguous: "no time" or "all day"? Make the user say which.
        raise ValueError(
            phrase(N_('start and end are the same; use different times, e.g. "22:00-07:00"'))
        )
    return TimeRange(start, end)
