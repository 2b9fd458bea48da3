"""``breakd stats`` as text: the summary and, for a week or month, a chart of each day.

What this module owns: the terminal layout. Every line fits in ``WIDTH`` (80) columns. Bars use
Unicode block characters (eighths of a cell) when the output can encode them, and plain ASCII
otherwise, since a terminal set to a non-UTF-8 locale would print question marks or fail.

Must not: read the store, the clock or the environment; the caller says whether Unicode is
available and passes the summary and the advice text.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from breakd.config.durations import format_duration
from breakd.config.model import Config
from breakd.stats.summary import DaySummary, PeriodSummary

WIDTH = 80
ACTIVE_BAR = 30  # cells for the active-time bar
BREAK_BAR = 10  # cells for the breaks bar
MIN_SCALE_S = 8 * 3600.0  # an 8 h day fills the bar unless some day was longer

OUTCOME_LEGEND = (
    "taken: a long enough break followed the reminder; natural: a break you took before "
    "being asked; snoozed or skipped: you put it off (every snooze counts, also of a reminder "
    "you then took); ignored: input went on through every repeat."
)


@dataclass(frozen=True)
class Targets:
    """The configured intervals the charts mark (None: that reminder is off)."""

    sitting_every: float | None  # the stand-up reminder comes after this much sitting
    daily_limit: float | None  # the end-of-day reminder comes after this much active time

    @classmethod
    def from_config(cls, config: Config) -> Targets:
        return cls(
            config.sitting.every if config.sitting.enabled else None,
            config.daily.limit if config.daily.enabled else None,
        )


DEFAULT_TARGETS = Targets.from_config(Config())


@dataclass(frozen=True)
class Glyphs:
    eighths: str  # partial cells, one eighth to seven eighths
    full: str
    taken: str
    missed: str
    dash: str
    mark: str  # the day's limit on the active-time bar


UNICODE = Glyphs("▏▎▍▌▋▊▉", "█", "■", "□", "—", "│")
ASCII = Glyphs("", "#", "#", ".", "-", "|")


def duration(seconds: float) -> str:
    """``4h05m``, ``35m`` or ``0m``: minutes are enough for a day's statistics."""
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


def interval(seconds: float) -> str:
    """A configured interval as the config writes it (``45m``, ``1h30m``, ``20s``)."""
    return format_duration(max(round(seconds), 0))


def bar(value: float, maximum: float, cells: int, glyphs: Glyphs) -> str:
    """A bar of at most ``cells`` characters, in eighths of a cell when Unicode allows."""
    if maximum <= 0 or value <= 0:
        return ""
    fraction = min(value / maximum, 1.0)
    if not glyphs.eighths:
        return glyphs.full * round(fraction * cells)
    eighths = round(fraction * cells * 8)
    full, part = divmod(eighths, 8)
    return glyphs.full * full + (glyphs.eighths[part - 1] if part else "")


def breaks_bar(taken: int, due: int, glyphs: Glyphs) -> str:
    """Taken breaks as filled marks, the rest of those due as empty ones (scaled to fit)."""
    if due <= 0:
        return ""
    cells = min(due, BREAK_BAR)
    filled = round(taken / due * cells)
    return glyphs.taken * filled + glyphs.missed * (cells - filled)


# --- the text ------------------------------------------------------------------------------


def render(
    summary: PeriodSummary,
    which: str,
    *,
    unicode: bool,
    advice: str | None = None,
    targets: Targets = DEFAULT_TARGETS,
) -> str:
    """The whole ``breakd stats`` output for ``which`` ("today", "week" or "month")."""
    glyphs = UNICODE if unicode else ASCII
    lines = [_heading(summary, which, glyphs), ""]
    lines += _totals(summary.total, glyphs, single_day=which == "today", targets=targets)
    if which != "today":
        lines += ["", *day_chart(summary.days, glyphs, targets)]
    lines += ["", *_wrap(OUTCOME_LEGEND)]
    if advice:
        lines += ["", *(w for paragraph in advice.splitlines() for w in _wrap(paragraph))]
    return "\n".join(lines) + "\n"


def _heading(summary: PeriodSummary, which: str, glyphs: Glyphs) -> str:
    if which == "today":
        return f"breakd {glyphs.dash} today, {_day(summary.last, long=True)}"
    label = "last 7 days" if which == "week" else f"last {len(summary.days)} days"
    first, last = _day(summary.first, long=True), _day(summary.last, long=True)
    return f"breakd {glyphs.dash} {label}, {first} to {last}"


def _totals(
    total: DaySummary, glyphs: Glyphs, *, single_day: bool, targets: Targets = DEFAULT_TARGETS
) -> list[str]:
    rate = total.compliance
    answered = (
        "none answered yet"
        if rate is None
        else f"{total.taken} of {total.answered} answered: {rate:.0%}"
    )
    limit = "" if targets.daily_limit is None else f", day's limit {interval(targets.daily_limit)}"
    every = targets.sitting_every
    lines = [
        f"  active time             {duration(total.active_s)}"
        f"   (at the desk {duration(total.present_s)}{limit})",
        f"  longest sitting stretch {duration(total.longest_sitting_s)}"
        + ("" if every is None else f"   (stand-up reminder after {interval(every)})"),
        f"  natural breaks          {total.natural_breaks}",
        f"  breaks when reminded    {answered}",
    ]
    if total.checkin is not None:
        what = "check-in" if single_day else "worst check-in"
        lines.append(f"  {what:<24}{total.checkin}/10 (0 = no pain)")
    return [*lines, "", *_kind_table(total)]


def _kind_table(total: DaySummary) -> list[str]:
    if not total.reminders:
        return ["  no reminders shown"]
    lines = ["  reminders    " + "".join(f"{c:>9}" for c, _ in KIND_COLUMNS)]
    for kinds in total.reminders:
        lines.append(
            f"  {kinds.kind:<13}" + "".join(f"{getattr(kinds, a):>9}" for _, a in KIND_COLUMNS)
        )
    return lines


# The per-kind table's columns and the counts they show: "snoozed" is every snooze.
KIND_COLUMNS = (
    ("shown", "shown"),
    ("taken", "taken"),
    ("snoozed", "snoozes"),
    ("skipped", "skipped"),
    ("ignored", "ignored"),
    ("merged", "merged"),
)


def day_chart(
    days: Sequence[DaySummary], glyphs: Glyphs, targets: Targets = DEFAULT_TARGETS
) -> list[str]:
    """One line per day: active time as a bar (a mark at the day's limit), then breaks taken
    of the reminders answered."""
    scale = max(MIN_SCALE_S, *(d.active_s for d in days)) if days else MIN_SCALE_S
    header = (
        f"{'day':<10}{'active time (full bar = ' + duration(scale) + ')':<{ACTIVE_BAR + 1}}"
        f"{'':>6}  {'taken/answered':<17}natural pain"
    )
    lines = [header]
    if targets.daily_limit is not None:
        at = _mark_cell(targets.daily_limit, scale)
        lines.append(
            f"{'':<10}{' ' * at}{glyphs.mark} the day's limit, {interval(targets.daily_limit)}"
        )
    for day in days:
        breaks = breaks_bar(day.taken, day.answered, glyphs)
        counts = f"{day.taken}/{day.answered}" if day.answered else ""
        pain = "" if day.checkin is None else str(day.checkin)
        active = _marked(bar(day.active_s, scale, ACTIVE_BAR, glyphs), targets, scale, glyphs)
        lines.append(
            f"{_day(day.day):<10}{active:<{ACTIVE_BAR + 1}}"
            f"{duration(day.active_s) if day.active_s else '':>6}  "
            f"{breaks:<{BREAK_BAR}} {counts:<6}{day.natural_breaks or '':>7}{pain:>5}".rstrip()
        )
    return lines


def _mark_cell(seconds: float, scale: float) -> int:
    return min(round(seconds / scale * ACTIVE_BAR), ACTIVE_BAR - 1)


def _marked(active: str, targets: Targets, scale: float, glyphs: Glyphs) -> str:
    """The bar with the day's limit marked where the bar does not reach it."""
    if targets.daily_limit is None:
        return active
    at = _mark_cell(targets.daily_limit, scale)
    if len(active) > at:
        return active
    return active.ljust(at) + glyphs.mark


def _day(day: dt.date, *, long: bool = False) -> str:
    # Built by hand, not strftime("%a"), so the text does not depend on the locale.
    name = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
    if not long:
        return f"{name} {day.day:02d}"
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{name} {day.day} {month[day.month - 1]} {day.year}"


def _wrap(text: str) -> list[str]:
    indent = "  " if text.startswith("- ") else ""  # list items from warning_signs_text()
    return textwrap.wrap(text, WIDTH - 1, subsequent_indent=indent) or [""]
