"""``breakd stats`` as text: the summary and, for a week or month, a chart of each day.

What this module owns: the terminal layout. Every line fits in ``WIDTH`` (80) columns. Bars use
Unicode block characters (eighths of a cell) when the output can encode them, and plain ASCII
otherwise, since a terminal set to a non-UTF-8 locale would print question marks or fail.

Words come from the translator ``tr`` (``breakd.i18n``), and the columns are measured in
display columns (``breakd.core.content.display_width``), so they line up also where a label
is Japanese or longer than the English one.

Must not: read the store, the clock or the environment; the caller says whether Unicode is
available and passes the summary, the advice text and the translator.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from breakd.config.durations import format_duration
from breakd.config.model import Config
from breakd.core import units
from breakd.core.content import display_width, kind_name, wrap
from breakd.core.words import ENGLISH, N_, Translator
from breakd.stats.summary import DaySummary, PeriodSummary

WIDTH = 80
ACTIVE_BAR = 30  # cells for the active-time bar
MIN_ACTIVE_BAR = 20  # it gives way down to this for a language's longer durations
BREAK_BAR = 10  # cells for the breaks bar
MIN_SCALE_S = 8 * 3600.0  # an 8 h day fills the bar unless some day was longer

OUTCOME_LEGEND = N_(
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
    tr: Translator = ENGLISH,
) -> str:
    """The whole ``breakd stats`` output for ``which`` ("today", "week" or "month"), in the
    language of ``tr``."""
    glyphs = UNICODE if unicode else ASCII
    lines = [_heading(summary, which, glyphs, tr), ""]
    lines += _totals(summary.total, glyphs, single_day=which == "today", targets=targets, tr=tr)
    if which != "today":
        lines += ["", *day_chart(summary.days, glyphs, targets, tr)]
    lines += ["", *_wrap(tr.gettext(OUTCOME_LEGEND))]
    if advice:
        lines += ["", *(w for paragraph in advice.splitlines() for w in _wrap(paragraph))]
    return "\n".join(lines) + "\n"


def _heading(summary: PeriodSummary, which: str, glyphs: Glyphs, tr: Translator) -> str:
    if which == "today":
        text = tr.gettext("breakd {dash} today, {date}")
        return text.format(dash=glyphs.dash, date=units.date(summary.last, tr))
    days = len(summary.days)
    text = tr.ngettext(
        "breakd {dash} last {n} day, {first} to {last}",
        "breakd {dash} last {n} days, {first} to {last}",
        days,
    )
    first, last = units.date(summary.first, tr), units.date(summary.last, tr)
    return text.format(dash=glyphs.dash, n=days, first=first, last=last)


LABEL_COLUMNS = 24  # the totals' labels, at least


def _totals(
    total: DaySummary,
    glyphs: Glyphs,
    *,
    single_day: bool,
    targets: Targets = DEFAULT_TARGETS,
    tr: Translator = ENGLISH,
) -> list[str]:
    rate = total.compliance
    if rate is None:
        answered = tr.gettext("none answered yet")
    else:
        answered = tr.ngettext(
            "{taken} of {answered} answered: {percent}",
            "{taken} of {answered} answered: {percent}",
            total.answered,
        ).format(taken=total.taken, answered=total.answered, percent=units.percent(rate, tr))
    present = units.rounded_short_duration(total.present_s, tr)
    if targets.daily_limit is None:
        desk = tr.gettext("(at the desk {present})").format(present=present)
    else:
        desk = tr.gettext("(at the desk {present}, day's limit {limit})")
        desk = desk.format(present=present, limit=interval(targets.daily_limit))
    every = targets.sitting_every
    after = None
    if every is not None:
        after = tr.gettext("(stand-up reminder after {interval})").format(interval=interval(every))
    # (label, value, a note in parentheses after the value)
    rows: list[tuple[str, str, str | None]] = [
        (tr.gettext("active time"), units.rounded_short_duration(total.active_s, tr), desk),
        (
            tr.gettext("longest sitting stretch"),
            units.rounded_short_duration(total.longest_sitting_s, tr),
            after,
        ),
        (tr.gettext("natural breaks"), str(total.natural_breaks), None),
        (tr.gettext("breaks when reminded"), answered, None),
    ]
    if total.checkin is not None:
        what = tr.gettext("check-in") if single_day else tr.gettext("worst check-in")
        score = tr.gettext("{score}/10 (0 = no pain)").format(score=total.checkin)
        rows.append((what, score, None))
    width = max(LABEL_COLUMNS, *(display_width(label) + 1 for label, _, _ in rows))
    lines = []
    for label, value, note in rows:
        line = f"  {_left(label, width)}{value}"
        if note is None:
            lines.append(line)
        elif display_width(line) + 3 + display_width(note) <= WIDTH:
            lines.append(f"{line}   {note}")
        else:  # longer durations ("18 Std. 28 Min."): the note under the value
            lines += [line, " " * (2 + width) + note]
    return [*lines, "", *_kind_table(total, tr)]


def _kind_table(total: DaySummary, tr: Translator = ENGLISH) -> list[str]:
    if not total.reminders:
        return ["  " + tr.gettext("no reminders shown")]
    headers = [tr.gettext(column) for column, _ in KIND_COLUMNS]
    widths = [max(9, display_width(h) + 1) for h in headers]
    names = [kind_name(k.kind, tr) for k in total.reminders]
    label = tr.gettext("reminders")
    first = max(13, *(display_width(n) + 1 for n in [label, *names]))
    cells = "".join(_right(h, w) for h, w in zip(headers, widths, strict=True))
    lines = [f"  {_left(label, first)}{cells}"]
    for name, kinds in zip(names, total.reminders, strict=True):
        counts = (str(getattr(kinds, a)) for _, a in KIND_COLUMNS)
        lines.append(
            f"  {_left(name, first)}"
            + "".join(_right(c, w) for c, w in zip(counts, widths, strict=True))
        )
    return lines


# The per-kind table's columns and the counts they show: "snoozed" is every snooze.
KIND_COLUMNS = (
    (N_("shown"), "shown"),
    (N_("taken"), "taken"),
    (N_("snoozed"), "snoozes"),
    (N_("skipped"), "skipped"),
    (N_("ignored"), "ignored"),
    (N_("merged"), "merged"),
)


def day_chart(
    days: Sequence[DaySummary],
    glyphs: Glyphs,
    targets: Targets = DEFAULT_TARGETS,
    tr: Translator = ENGLISH,
) -> list[str]:
    """One line per day: active time as a bar (a mark at the day's limit), then breaks taken
    of the reminders answered."""
    scale = max(MIN_SCALE_S, *(d.active_s for d in days)) if days else MIN_SCALE_S
    labels = [units.day_of_month(day.day, tr) for day in days]
    spent = [units.rounded_short_duration(d.active_s, tr) if d.active_s else "" for d in days]
    # TRANSLATORS: the day chart's column headings in `breakd stats --week`; the line has 80
    # columns, so keep them short: "day" at most 9, "active time (...)" 36, "taken/answered"
    # 16, "natural" 9 and "pain" 6 (abbreviate if you must).
    head_day = tr.gettext("day")
    head_active = tr.gettext("active time (full bar = {duration})").format(
        duration=units.rounded_short_duration(scale, tr)
    )
    head_breaks = tr.gettext("taken/answered")
    head_natural, head_pain = tr.gettext("natural"), tr.gettext("pain")
    # Each column as wide as the English layout, or wider for a longer heading; the day
    # column gives way first when that would not fit in WIDTH, then the bar (to a longer
    # duration, such as German "10 Std. 5 Min.").
    spent_w = max(6, *(display_width(text) for text in spent)) if spent else 6
    breaks_w = max(BREAK_BAR + 1 + 6, display_width(head_breaks) + 1)
    natural_w, pain_w = max(7, display_width(head_natural)), max(5, display_width(head_pain) + 1)
    label_w = max(display_width(label) + 1 for label in [head_day, *labels])
    cells = ACTIVE_BAR - max(
        0, label_w + ACTIVE_BAR + 1 + spent_w + 2 + breaks_w + natural_w + pain_w - WIDTH
    )
    cells = max(cells, MIN_ACTIVE_BAR)
    active_w = max(cells + 1 + spent_w, display_width(head_active) + 1)
    rest = active_w + 2 + breaks_w + natural_w + pain_w
    day_w = max(min(10, WIDTH - rest), label_w)
    header = (
        f"{_left(head_day, day_w)}{_left(head_active, active_w)}  {_left(head_breaks, breaks_w)}"
        f"{_right(head_natural, natural_w)}{_right(head_pain, pain_w)}"
    )
    lines = [header.rstrip()]
    if targets.daily_limit is not None:
        at = _mark_cell(targets.daily_limit, scale, cells)
        limit = tr.gettext("the day's limit, {interval}").format(
            interval=interval(targets.daily_limit)
        )
        lines.append(f"{' ' * day_w}{' ' * at}{glyphs.mark} {limit}")
    for label, day, time in zip(labels, days, spent, strict=True):
        breaks = breaks_bar(day.taken, day.answered, glyphs)
        counts = f"{day.taken}/{day.answered}" if day.answered else ""
        pain = "" if day.checkin is None else str(day.checkin)
        active = bar(day.active_s, scale, cells, glyphs)
        active = _marked(active, targets, scale, cells, glyphs)
        lines.append(
            f"{_left(label, day_w)}"
            f"{_left(_left(active, cells + 1) + _right(time, spent_w), active_w)}  "
            f"{_left(f'{breaks:<{BREAK_BAR}} {counts}', breaks_w)}"
            f"{_right(str(day.natural_breaks or ''), natural_w)}{_right(pain, pain_w)}".rstrip()
        )
    return lines


def _left(text: str, width: int) -> str:
    """``text`` padded to ``width`` display columns."""
    return text + " " * (width - display_width(text))


def _right(text: str, width: int) -> str:
    return " " * (width - display_width(text)) + text


def _mark_cell(seconds: float, scale: float, cells: int = ACTIVE_BAR) -> int:
    return min(round(seconds / scale * cells), cells - 1)


def _marked(active: str, targets: Targets, scale: float, cells: int, glyphs: Glyphs) -> str:
    """The bar with the day's limit marked where the bar does not reach it."""
    if targets.daily_limit is None:
        return active
    at = _mark_cell(targets.daily_limit, scale, cells)
    if len(active) > at:
        return active
    return active.ljust(at) + glyphs.mark


def _wrap(text: str) -> list[str]:
    indent = "  " if text.startswith("- ") else ""  # list items from warning_signs_text()
    if any(display_width(c) > 1 for c in text):  # Japanese: breaks between any two characters
        lines = wrap(text, WIDTH - 1 - len(indent)) or [""]
        return [lines[0], *(indent + line for line in lines[1:])]
    return textwrap.wrap(text, WIDTH - 1, subsequent_indent=indent) or [""]
