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

from breakd.stats.summary import DaySummary, PeriodSummary

WIDTH = 80
ACTIVE_BAR = 30  # cells for the active-time bar
BREAK_BAR = 10  # cells for the breaks bar
MIN_SCALE_S = 8 * 3600.0  # an 8 h day fills the bar unless some day was longer

OUTCOME_LEGEND = (
    "taken: a long enough break followed the reminder; natural: a break you took before "
    "being asked; snoozed or skipped: you put it off; ignored: input went on through every "
    "repeat."
)


@dataclass(frozen=True)
class Glyphs:
    eighths: str  # partial cells, one eighth to seven eighths
    full: str
    taken: str
    missed: str
    dash: str


UNICODE = Glyphs("▏▎▍▌▋▊▉", "█", "■", "□", "—")
ASCII = Glyphs("", "#", "#", ".", "-")


def duration(seconds: float) -> str:
    """``4h05m``, ``35m`` or ``0m``: minutes are enough for a day's statistics."""
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


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


def render(summary: PeriodSummary, which: str, *, unicode: bool, advice: str | None = None) -> str:
    """The whole ``breakd stats`` output for ``which`` ("today", "week" or "month")."""
    glyphs = UNICODE if unicode else ASCII
    lines = [_heading(summary, which, glyphs), ""]
    lines += _totals(summary.total, glyphs, single_day=which == "today")
    if which != "today":
        lines += ["", *day_chart(summary.days, glyphs)]
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


def _totals(total: DaySummary, glyphs: Glyphs, *, single_day: bool) -> list[str]:
    rate = total.compliance
    answered = (
        "none answered yet"
        if rate is None
        else f"{total.taken} of {total.answered} answered: {rate:.0%}"
    )
    lines = [
        f"  active time             {duration(total.active_s)}"
        f"   (at the desk {duration(total.present_s)})",
        f"  longest sitting stretch {duration(total.longest_sitting_s)}",
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
    columns = ("shown", "taken", "snoozed", "skipped", "ignored", "merged")
    lines = ["  reminders    " + "".join(f"{c:>9}" for c in columns)]
    for kinds in total.reminders:
        lines.append(f"  {kinds.kind:<13}" + "".join(f"{getattr(kinds, c):>9}" for c in columns))
    return lines


def day_chart(days: Sequence[DaySummary], glyphs: Glyphs) -> list[str]:
    """One line per day: active time as a bar, then breaks taken of the reminders answered."""
    scale = max(MIN_SCALE_S, *(d.active_s for d in days)) if days else MIN_SCALE_S
    header = (
        f"{'day':<10}{'active time (full bar = ' + duration(scale) + ')':<{ACTIVE_BAR + 1}}"
        f"{'':>6}  {'taken/answered':<17}natural pain"
    )
    lines = [header]
    for day in days:
        breaks = breaks_bar(day.taken, day.answered, glyphs)
        counts = f"{day.taken}/{day.answered}" if day.answered else ""
        pain = "" if day.checkin is None else str(day.checkin)
        lines.append(
            f"{_day(day.day):<10}{bar(day.active_s, scale, ACTIVE_BAR, glyphs):<{ACTIVE_BAR + 1}}"
            f"{duration(day.active_s) if day.active_s else '':>6}  "
            f"{breaks:<{BREAK_BAR}} {counts:<6}{day.natural_breaks or '':>7}{pain:>5}".rstrip()
        )
    return lines


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
