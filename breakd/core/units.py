"""Durations, clock times, dates and numbers in the user's language.

Every convention comes from the catalog through the translator ``tr``, never from the C
library's locale (breakd never calls ``setlocale``, and most systems have few locales
generated): the decimal and thousands separators are looked up with ``pgettext`` under a
context that says what they are; a time, a date or a short duration is a pattern with named
``{placeholders}``; the units that take a count go through ``ngettext``. A ``{minute:02}``
field keeps two digits, and a translator may drop the ``:02``: those patterns are marked
``no-python-brace-format``, since msgfmt would refuse a changed field (tests/test_i18n.py
checks them instead). English (``ENGLISH``) keeps breakd's established forms: ``14:05``,
``Mon 14:05``, ``3.5``, and the compact ``12m`` / ``1h05m`` that the status bars
(``waybar``, ``plain``) print and their users' CSS and scripts expect.

Two forms of a duration:

- ``duration``: for a sentence, in words, rounded to what matters ("20 seconds",
  "5 minutes", "1 hour 5 minutes");
- ``short_duration``: for a status line, rounded down as a countdown is ("45s", "12m",
  "1h05m", "2h"; German "12 Min.", Japanese "12分"), or ``exact`` to the second under an
  hour ("1m30s", for a movement's length); ``rounded_short_duration`` is the same form to
  the nearest minute, for the statistics' totals ("0m", "4h05m").

No clock is read here: the caller passes the ``datetime`` or ``date`` to show.
"""

from __future__ import annotations

import datetime as dt
import math

from breakd.core.words import ENGLISH, N_, Translator

# Weekdays and months as English abbreviates them, Monday and January first; translated
# where shown (the catalog's "Mon" is also what ``breakd status`` has always used).
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)
# Thousands are grouped from five digits on (10 000): four-digit numbers read well bare in
# every language, and Spanish and Polish group them only from there.
_GROUP_FROM = 10_000


# --- durations ----------------------------------------------------------------------------


def duration(seconds: float, tr: Translator = ENGLISH) -> str:
    """A length of time for a sentence: "20 seconds", "1 minute", "5 minutes", "2 hours",
    "1 hour 5 minutes". Rounded to the nearest second under a minute, else to the nearest
    minute; at least one second."""
    whole = max(round(seconds), 1)
    if whole < 60:
        return tr.ngettext("{n} second", "{n} seconds", whole).format(n=whole)
    hours, minutes = divmod(round(whole / 60), 60)
    minutes_text = tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    if hours == 0:
        return minutes_text
    hours_text = tr.ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    if minutes == 0:
        return hours_text
    # TRANSLATORS: a duration of hours and minutes, e.g. "1 hour 5 minutes".
    text = tr.pgettext("duration", "{hours} {minutes}")
    return text.format(hours=hours_text, minutes=minutes_text)


def short_duration(seconds: float, tr: Translator = ENGLISH, *, exact: bool = False) -> str:
    """A length of time for a status line, rounded down as a countdown is: "45s", "12m",
    "1h05m", "2h" in English (the status bars' form); negative counts as zero. ``exact``
    keeps the seconds of a length under an hour ("1m30s"): a movement's or a hold's length."""
    total = max(0, int(seconds))
    if total < 60:
        return seconds_pattern(tr).format(seconds=total)
    minutes, rest = divmod(total, 60)
    if exact and rest and minutes < 60:
        # TRANSLATORS: a short duration in minutes and seconds, e.g. "1m30s" (German
        # "1 Min. 30 Sek."); {seconds:02} writes the seconds with two digits (05).
        # xgettext: no-python-brace-format
        text = tr.pgettext("short duration", "{minutes}m{seconds:02}s")
        return text.format(minutes=minutes, seconds=rest)
    return _short_minutes(minutes, tr)


def rounded_short_duration(seconds: float, tr: Translator = ENGLISH) -> str:
    """A day's total in the short form, to the nearest minute: "0m", "35m", "4h05m" (a
    statistic, where seconds would only be noise)."""
    return _short_minutes(max(0, round(seconds / 60)), tr)


def seconds_pattern(tr: Translator = ENGLISH) -> str:
    """The short form of a number of seconds, with its ``{seconds}`` field: "{seconds}s"
    (for a countdown drawn elsewhere, such as the guide page's script)."""
    # TRANSLATORS: a short duration in seconds, e.g. "45s" (German "45 Sek.").
    return tr.pgettext("short duration", "{seconds}s")


def _short_minutes(total_minutes: int, tr: Translator) -> str:
    hours, minutes = divmod(total_minutes, 60)
    if hours == 0:
        # TRANSLATORS: a short duration in minutes, e.g. "12m" (German "12 Min.").
        return tr.pgettext("short duration", "{minutes}m").format(minutes=minutes)
    if minutes == 0:
        # TRANSLATORS: a short duration in whole hours, e.g. "2h" (German "2 Std.").
        return tr.pgettext("short duration", "{hours}h").format(hours=hours)
    # TRANSLATORS: a short duration in hours and minutes, e.g. "1h05m"; {minutes:02} writes
    # the minutes with two digits (05), {minutes} as they are (5).
    # xgettext: no-python-brace-format
    text = tr.pgettext("short duration", "{hours}h{minutes:02}m")
    return text.format(hours=hours, minutes=minutes)


# --- times and dates ----------------------------------------------------------------------


def clock(when: dt.datetime | dt.time, tr: Translator = ENGLISH) -> str:
    """A time of day on a 24-hour clock: "14:05", "09:30" in English."""
    # TRANSLATORS: a time of day (24-hour clock); {hour:02} writes 09, {hour} writes 9.
    # xgettext: no-python-brace-format
    text = tr.pgettext("clock time", "{hour:02}:{minute:02}")
    return text.format(hour=when.hour, minute=when.minute)


def weekday(day: dt.date, tr: Translator = ENGLISH) -> str:
    """The day's abbreviated weekday name: "Mon"."""
    return tr.gettext(WEEKDAYS[day.weekday()])


def weekday_and_clock(when: dt.datetime, tr: Translator = ENGLISH) -> str:
    """A time later this week: "Mon 14:05"."""
    # TRANSLATORS: a time on another day this week, e.g. "Mon 14:05".
    text = tr.pgettext("weekday and clock time", "{weekday} {time}")
    return text.format(weekday=weekday(when, tr), time=clock(when, tr))


def day_of_month(day: dt.date, tr: Translator = ENGLISH) -> str:
    """A day in a list of this month's days: "Mon 05"."""
    # TRANSLATORS: a day in a chart of the last days, e.g. "Mon 05"; {day:02} writes 05,
    # {day} writes 5.
    # xgettext: no-python-brace-format
    text = tr.pgettext("weekday and day of the month", "{weekday} {day:02}")
    return text.format(weekday=weekday(day, tr), day=day.day)


def date(day: dt.date, tr: Translator = ENGLISH) -> str:
    """A whole date: "Mon 5 Jan 2026"."""
    # TRANSLATORS: a whole date, e.g. "Mon 5 Jan 2026"; {month} is the abbreviated month.
    text = tr.pgettext("date", "{weekday} {day} {month} {year}")
    month = tr.gettext(MONTHS[day.month - 1])
    return text.format(weekday=weekday(day, tr), day=day.day, month=month, year=day.year)


def date_and_clock(when: dt.datetime, tr: Translator = ENGLISH) -> str:
    """A moment on a whole date: "Wed 4 Mar 2026 14:05"."""
    # TRANSLATORS: a whole date and a time of day, e.g. "Wed 4 Mar 2026 14:05".
    text = tr.pgettext("date and clock time", "{date} {time}")
    return text.format(date=date(when.date(), tr), time=clock(when, tr))


# --- numbers ------------------------------------------------------------------------------


def number(value: float, places: int = 0, tr: Translator = ENGLISH) -> str:
    """A number with ``places`` decimals, with the language's decimal separator ("3.5",
    German "3,5") and, from 10 000 on, its thousands separator ("12,345", German "12.345")."""
    if not math.isfinite(value):
        return str(value)  # nothing to group: "nan", "inf" rather than an exception
    text = f"{abs(value):.{places}f}"
    whole, _, fraction = text.partition(".")
    if int(whole) >= _GROUP_FROM:
        # TRANSLATORS: the separator between thousands in a large number: "12,345".
        separator = tr.pgettext("thousands separator", ",")
        whole = separator.join(_groups_of_three(whole))
    if fraction:
        # TRANSLATORS: the separator between a number's whole part and its decimals: "3.5".
        whole += tr.pgettext("decimal separator", ".") + fraction
    negative = value < 0 and any(c in "123456789" for c in text)  # -0.0 shows as 0
    return f"-{whole}" if negative else whole


def percent(fraction: float, tr: Translator = ENGLISH) -> str:
    """A share as a whole percentage: "83%" (German "83 %")."""
    # TRANSLATORS: a percentage, e.g. "83%".
    text = tr.pgettext("percentage", "{number}%")
    return text.format(number=number(fraction * 100, 0, tr))


def _groups_of_three(digits: str) -> list[str]:
    head = len(digits) % 3 or 3
    return [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
