"""``breakd report``: one self-contained HTML page with charts of the last weeks.

What this module owns: the page. Styles are inline CSS, charts are inline SVG drawn here, and
there is no script and no network request, so the file can be opened anywhere, kept, mailed or
printed. Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in
words what it shows, every bar or point has its own ``<title>``, and each chart's numbers are
also in a table, for screen readers and for anyone who prefers them.

The words come from the translator ``tr`` (``breakd.i18n``), and the page's ``lang`` names
its language; durations (``4h05m``, German ``4 Std. 5 Min.``), dates and numbers are
written by ``breakd.core.units`` in that language.

Must not: read the store, the clock or the environment (``commands.py`` does that), or embed
anything not computed from the summary.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from breakd.core import units
from breakd.core.content import kind_name
from breakd.core.words import ENGLISH, Translator
from breakd.i18n import language_tag
from breakd.stats.chart import (
    DEFAULT_TARGETS,
    KIND_COLUMNS,
    OUTCOME_LEGEND,
    Targets,
    interval,
)
from breakd.stats.summary import DaySummary, KindCounts, PeriodSummary

HOUR = 3600.0

# Chart geometry (SVG user units); the SVG scales to the page width.
_W, _H = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 16, 16, 44

# Colours chosen to stay apart for the common colour-vision deficiencies (Okabe-Ito), and
# dark enough against white for text.
_BLUE, _GREEN, _ORANGE, _GREY, _RED = "#0072b2", "#009e73", "#d55e00", "#6b6b6b", "#cc3311"


@dataclass(frozen=True)
class Bar:
    label: str  # the x-axis label
    value: float
    tooltip: str


@dataclass(frozen=True)
class Chart:
    """One chart with its accessible name and description."""

    key: str  # unique in the page: used for element ids
    title: str
    desc: str
    svg_body: str
    table: str


# --- the page ------------------------------------------------------------------------------


def render_report(
    summary: PeriodSummary,
    *,
    generated: dt.datetime,
    advice: str | None = None,
    targets: Targets = DEFAULT_TARGETS,
    tr: Translator = ENGLISH,
) -> str:
    """The whole HTML page for ``summary``; its lines mark the configured ``targets``; its
    words in the language of ``tr``."""
    charts = [
        active_chart(summary.days, targets.daily_limit, tr),
        sitting_chart(summary.days, targets.sitting_every, tr),
        kinds_chart(summary.total.reminders, tr),
        checkin_chart(summary.days, tr),
    ]
    first, last = units.date(summary.first, tr), units.date(summary.last, tr)
    made = tr.gettext(
        "Made {time} from the statistics breakd keeps on this computer. "
        "Only counts and times are kept, never what you type."
    ).format(time=units.date_and_clock(generated, tr))
    heading = tr.gettext("breakd: your days from {first} to {last}")
    body = [
        f"<h1>{_e(heading.format(first=first, last=last))}</h1>",
        f'<p class="meta">{_e(made)}</p>',
    ]
    if not summary.has_data:
        empty = tr.gettext("No data yet: breakd records your days while it runs.")
        body.append(f'<p class="empty">{_e(empty)}</p>')
    body.append(_totals_html(summary.total, tr))
    if advice:
        body.append(_advice_html(advice, tr))
    body += [_chart_html(chart, tr) for chart in charts]
    body.append(f'<p class="legend">{_e(tr.gettext(OUTCOME_LEGEND))}</p>')
    title = tr.gettext("breakd report {first} to {last}").format(first=first, last=last)
    return _PAGE.format(lang=_e(language_tag(tr)), title=_e(title), body="\n".join(body))


def _e(text: str) -> str:
    return html.escape(text)


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
h1 {{ font-size: 1.5rem; }}
h2 {{ font-size: 1.2rem; margin-top: 2.5rem; }}
.meta, .legend {{ color: #444; font-size: 0.9rem; }}
.empty, .advice {{ border-left: 4px solid #0072b2; padding: 0.5rem 1rem; background: #eef5fb; }}
.advice {{ border-color: #d55e00; background: #fdf1ea; white-space: pre-line; }}
dl.totals {{ display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1.5rem; }}
dl.totals dt {{ color: #444; }}
dl.totals dd {{ margin: 0; font-weight: 600; }}
figure {{ margin: 0; }}
svg {{ width: 100%; height: auto; display: block; }}
svg text {{ font: 12px system-ui, sans-serif; fill: #333; }}
svg .axis {{ stroke: #999; stroke-width: 1; }}
svg .grid {{ stroke: #e3e3e3; stroke-width: 1; }}
details {{ margin-top: 0.5rem; font-size: 0.9rem; }}
table {{ border-collapse: collapse; }}
th, td {{ padding: 0.15rem 0.75rem; text-align: right; border-bottom: 1px solid #ddd; }}
th:first-child, td:first-child {{ text-align: left; }}
@media print {{ body {{ margin: 0; max-width: none; }} details {{ display: none; }}
               h2 {{ break-after: avoid; }} figure {{ break-inside: avoid; }} }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _totals_html(total: DaySummary, tr: Translator = ENGLISH) -> str:
    rate = total.compliance
    if rate is None:
        answered = tr.ngettext(
            "{taken} of {answered} answered", "{taken} of {answered} answered", total.answered
        ).format(taken=total.taken, answered=total.answered)
    else:
        answered = tr.ngettext(
            "{taken} of {answered} answered ({percent})",
            "{taken} of {answered} answered ({percent})",
            total.answered,
        ).format(taken=total.taken, answered=total.answered, percent=units.percent(rate, tr))
    items = [
        (tr.gettext("Active time"), _duration(total.active_s, tr)),
        (tr.gettext("Time at the desk"), _duration(total.present_s, tr)),
        (tr.gettext("Longest sitting stretch"), _duration(total.longest_sitting_s, tr)),
        (tr.gettext("Natural breaks"), str(total.natural_breaks)),
        (tr.gettext("Breaks taken when reminded"), answered),
    ]
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    return f'<dl class="totals">{rows}</dl>'


def _advice_html(advice: str, tr: Translator = ENGLISH) -> str:
    label = _e(tr.gettext("Advice"))
    return f'<section class="advice" aria-label="{label}">{_e(advice)}</section>'


def _chart_html(chart: Chart, tr: Translator = ENGLISH) -> str:
    title_id, desc_id = f"{chart.key}-title", f"{chart.key}-desc"
    numbers = tr.gettext("The numbers")
    return (
        f'<section aria-labelledby="{chart.key}-h">\n'
        f'<h2 id="{chart.key}-h">{html.escape(chart.title)}</h2>\n'
        f"<figure>\n"
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="chart" id="{chart.key}">\n'
        f'<title id="{title_id}">{html.escape(chart.title)}</title>\n'
        f'<desc id="{desc_id}">{html.escape(chart.desc)}</desc>\n'
        f"{chart.svg_body}\n</svg>\n"
        f"<figcaption>{html.escape(chart.desc)}</figcaption>\n</figure>\n"
        f"<details><summary>{_e(numbers)}</summary>\n{chart.table}\n"
        "</details>\n</section>"
    )


# --- the charts ----------------------------------------------------------------------------


def _duration(seconds: float, tr: Translator) -> str:
    """A day's total, to the minute: "4h05m" (German "4 Std. 5 Min.")."""
    return units.rounded_short_duration(seconds, tr)


def _hours_label(tr: Translator) -> Callable[[float], str]:
    """An axis tick in hours, as a duration: "2h30m"."""
    return lambda hours: _tick(hours * HOUR, tr)


def _minutes_label(tr: Translator) -> Callable[[float], str]:
    """An axis tick in minutes, as a duration: "45m", "1h20m"."""
    return lambda minutes: _tick(minutes * 60, tr)


def _tick(seconds: float, tr: Translator) -> str:
    # The axis starts at a bare 0: "0s" there would read as a unit of its own.
    return units.short_duration(seconds, tr, exact=True) if seconds else units.number(0, 0, tr)


def active_chart(
    days: Sequence[DaySummary], daily_limit: float | None = None, tr: Translator = ENGLISH
) -> Chart:
    tooltip = tr.gettext("{day}: {duration} active")
    bars = [
        Bar(
            units.day_of_month(d.day, tr),
            d.active_s / HOUR,
            tooltip.format(day=units.date(d.day, tr), duration=_duration(d.active_s, tr)),
        )
        for d in days
    ]
    busiest = max(days, key=lambda d: d.active_s, default=None)
    desc = tr.gettext("Hours of active keyboard and mouse use per day.") + " "
    if busiest and busiest.active_s:
        desc += tr.gettext("The busiest day was {day} with {duration}.").format(
            day=units.date(busiest.day, tr), duration=_duration(busiest.active_s, tr)
        )
    else:
        desc += tr.gettext("No active time recorded yet.")
    reference = None
    if daily_limit is not None:
        line = tr.gettext("The line marks {interval}, when the end-of-day reminder comes.")
        desc += " " + line.format(interval=interval(daily_limit))
        reference = (daily_limit / HOUR, interval(daily_limit))
    return Chart(
        "active",
        tr.gettext("Active time per day"),
        desc,
        bar_chart(bars, _BLUE, label=_hours_label(tr), reference=reference, tr=tr),
        _table(
            (tr.gettext("day"), tr.gettext("active"), tr.gettext("at the desk")),
            [
                (units.date(d.day, tr), _duration(d.active_s, tr), _duration(d.present_s, tr))
                for d in days
            ],
        ),
    )


def sitting_chart(
    days: Sequence[DaySummary], sitting_every: float | None = None, tr: Translator = ENGLISH
) -> Chart:
    tooltip = tr.gettext("{day}: longest stretch {duration}")
    bars = [
        Bar(
            units.day_of_month(d.day, tr),
            d.longest_sitting_s / 60,
            tooltip.format(day=units.date(d.day, tr), duration=_duration(d.longest_sitting_s, tr)),
        )
        for d in days
    ]
    desc = tr.gettext(
        "The longest time per day spent at the desk without a natural break, in minutes."
    )
    reference = None
    if sitting_every is not None:
        over = sum(1 for d in days if d.longest_sitting_s > sitting_every)
        line = tr.ngettext(
            "The line marks {interval}, when your stand-up reminder comes; {over} of {n} day "
            "had a longer stretch.",
            "The line marks {interval}, when your stand-up reminder comes; {over} of {n} days "
            "had a longer stretch.",
            len(days),
        )
        desc += " " + line.format(interval=interval(sitting_every), over=over, n=len(days))
        reference = (sitting_every / 60, interval(sitting_every))
    return Chart(
        "sitting",
        tr.gettext("Longest sitting stretch per day"),
        desc,
        bar_chart(bars, _ORANGE, label=_minutes_label(tr), reference=reference, tr=tr),
        _table(
            (
                tr.gettext("day"),
                tr.gettext("longest sitting stretch"),
                tr.gettext("natural breaks"),
            ),
            [
                (units.date(d.day, tr), _duration(d.longest_sitting_s, tr), str(d.natural_breaks))
                for d in days
            ],
        ),
    )


def kinds_chart(kinds: Sequence[KindCounts], tr: Translator = ENGLISH) -> Chart:
    series = (
        (tr.gettext("taken"), _GREEN),
        (tr.gettext("put off"), _ORANGE),
        (tr.gettext("ignored"), _GREY),
    )

    def values(k: KindCounts) -> tuple[int, int, int]:
        return k.taken, k.snoozes + k.skipped, k.ignored

    each = tr.gettext("{kind}: {taken} taken, {put_off} put off, {ignored} ignored")
    counted = [
        each.format(kind=kind_name(k.kind, tr), taken=t, put_off=p, ignored=i)
        for k in kinds
        for t, p, i in [values(k)]
    ]
    desc = tr.gettext(
        "For each kind of reminder: how many were followed by a break (taken), put off "
        "(each snooze or skip) or ignored."
    )
    # TRANSLATORS: the separator between the kinds' counts in a chart's description.
    desc += " " + (tr.gettext("; ").join(counted) or tr.gettext("No reminders answered yet."))
    return Chart(
        "kinds",
        tr.gettext("Reminders taken and ignored, by kind"),
        desc,
        grouped_bars(
            [(kind_name(k.kind, tr), values(k)) for k in kinds if k.answered or k.snoozes],
            series,
            tr,
        ),
        _table(
            (tr.gettext("kind"), *(tr.gettext(header) for header, _ in KIND_COLUMNS)),
            [
                (kind_name(k.kind, tr), *(str(getattr(k, a)) for _, a in KIND_COLUMNS))
                for k in kinds
            ],
        ),
    )


def checkin_chart(days: Sequence[DaySummary], tr: Translator = ENGLISH) -> Chart:
    tooltip = tr.gettext("{day}: {score}/10 after {duration} at the desk")
    points = [
        (
            d.present_s / HOUR,
            d.checkin,
            tooltip.format(
                day=units.date(d.day, tr), score=d.checkin, duration=_duration(d.present_s, tr)
            ),
        )
        for d in days
        if d.checkin is not None
    ]
    desc = tr.gettext(
        "Each dot is a day with a check-in: how your neck and shoulders felt (0 = no pain, "
        "10 = worst) against the hours you spent at the desk that day."
    )
    if points:
        count = tr.ngettext("{n} check-in.", "{n} check-ins.", len(points))
        desc += " " + count.format(n=len(points))
    else:
        desc += " " + tr.gettext("No check-ins yet: `breakd checkin 0-10`.")
    return Chart(
        "checkins",
        tr.gettext("Check-in scores against sitting time"),
        desc,
        scatter(points, tr),
        _table(
            (tr.gettext("day"), tr.gettext("score"), tr.gettext("at the desk")),
            [
                (units.date(d.day, tr), str(d.checkin), _duration(d.present_s, tr))
                for d in days
                if d.checkin is not None
            ],
        ),
    )


# --- SVG drawing ---------------------------------------------------------------------------


def bar_chart(
    bars: Sequence[Bar],
    colour: str,
    *,
    label: Callable[[float], str],
    reference: tuple[float, str] | None = None,
    tr: Translator = ENGLISH,
) -> str:
    """Vertical bars, one per item, with a y axis whose ticks ``label`` writes (as hours,
    say) and an optional reference line."""
    top = max([b.value for b in bars] + [reference[0] if reference else 0.0, 1.0])
    ticks = _ticks(top)
    y = _scale(0, ticks[-1], _H - _BOTTOM, _TOP)
    parts = _y_axis(ticks, y, label)
    if not bars:
        return "\n".join([*parts, _no_data(tr)])
    slot = (_W - _LEFT - _RIGHT) / len(bars)
    every = max(1, math.ceil(len(bars) / 14))  # at most 14 labels, so they never overlap
    for i, item in enumerate(bars):
        x = _LEFT + i * slot
        height = y(0) - y(item.value)
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{y(item.value):.1f}" width="{slot * 0.7:.1f}" '
            f'height="{height:.1f}" fill="{colour}"><title>{html.escape(item.tooltip)}</title>'
            "</rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{_H - _BOTTOM + 16}" text-anchor="middle">'
                f"{html.escape(item.label)}</text>"
            )
    if reference:
        value, marked = reference
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{_RED}" stroke-dasharray="6 4" stroke-width="1.5"/>'
            f'<text x="{_W - _RIGHT}" y="{y(value) - 4:.1f}" text-anchor="end">'
            f"{html.escape(marked)}</text>"
        )
    if not any(b.value for b in bars):
        parts.append(_no_data(tr))
    return "\n".join(parts)


def grouped_bars(
    groups: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, str]],
    tr: Translator = ENGLISH,
) -> str:
    """Horizontal bars: one group per label, one bar per series, with a legend."""
    if not groups:
        return _no_data(tr)
    tooltip = tr.gettext("{kind}, {outcome}: {count}")
    top = max(max(values, default=0) for _, values in groups) or 1
    x = _scale(0, top, _LEFT + 64, _W - _RIGHT - 40)
    row_h = (_H - _TOP - _BOTTOM) / len(groups)
    bar_h = min(18.0, row_h * 0.8 / len(series))
    parts = []
    for g, (label, values) in enumerate(groups):
        y0 = _TOP + g * row_h + (row_h - bar_h * len(series)) / 2
        parts.append(
            f'<text x="{_LEFT + 56}" y="{y0 + bar_h * len(series) / 2 + 4:.1f}" '
            f'text-anchor="end">{html.escape(label)}</text>'
        )
        for s, ((name, colour), value) in enumerate(zip(series, values, strict=True)):
            yy = y0 + s * bar_h
            parts.append(
                f'<rect x="{x(0):.1f}" y="{yy:.1f}" width="{x(value) - x(0):.1f}" '
                f'height="{bar_h * 0.9:.1f}" fill="{colour}"><title>'
                f"{html.escape(tooltip.format(kind=label, outcome=name, count=value))}"
                "</title></rect>"
                f'<text x="{x(value) + 4:.1f}" y="{yy + bar_h * 0.7:.1f}">{value}</text>'
            )
    parts.append(_legend(series))
    return "\n".join(parts)


def scatter(points: Sequence[tuple[float, int, str]], tr: Translator = ENGLISH) -> str:
    """Dots of (hours at the desk, score 0-10)."""
    x_ticks = _ticks(max([p[0] for p in points] + [8.0]))
    x = _scale(0, x_ticks[-1], _LEFT, _W - _RIGHT)
    y = _scale(0, 10, _H - _BOTTOM, _TOP)
    y_label, x_label = tr.gettext("pain score (0-10)"), tr.gettext("hours at the desk that day")
    parts = _y_axis([0, 2, 4, 6, 8, 10], y, lambda score: units.number(score, 0, tr))
    parts.append(
        f'<text x="14" y="{(_TOP + _H - _BOTTOM) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(_TOP + _H - _BOTTOM) / 2})">'
        f"{html.escape(y_label)}</text>"
    )
    tick_label = _hours_label(tr)
    for tick in x_ticks:
        parts.append(
            f'<text x="{x(tick):.1f}" y="{_H - _BOTTOM + 16}" text-anchor="middle">'
            f"{html.escape(tick_label(tick))}</text>"
        )
    parts.append(
        f'<text x="{(_LEFT + _W - _RIGHT) / 2}" y="{_H - 6}" text-anchor="middle">'
        f"{html.escape(x_label)}</text>"
    )
    for hours, score, tooltip in points:
        parts.append(
            f'<circle cx="{x(hours):.1f}" cy="{y(score):.1f}" r="5" fill="{_BLUE}" '
            f'fill-opacity="0.8"><title>{html.escape(tooltip)}</title></circle>'
        )
    if not points:
        parts.append(_no_data(tr))
    return "\n".join(parts)


def _y_axis(
    ticks: Sequence[float], y: Callable[[float], float], label: Callable[[float], str]
) -> list[str]:
    parts = []
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/>'
            f'<text x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{html.escape(label(tick))}</text>"
        )
    parts.append(
        f'<line class="axis" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>'
    )
    return parts


def _legend(series: Sequence[tuple[str, str]]) -> str:
    parts = []
    for i, (name, colour) in enumerate(series):
        x = _LEFT + i * 110
        parts.append(
            f'<rect x="{x}" y="{_H - 24}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{_H - 14}">{html.escape(name)}</text>'
        )
    return "\n".join(parts)


def _no_data(tr: Translator = ENGLISH) -> str:
    nothing = html.escape(tr.gettext("no data yet"))
    return f'<text x="{_W / 2}" y="{_H / 2}" text-anchor="middle" class="nodata">{nothing}</text>'


def _scale(lo: float, hi: float, out_lo: float, out_hi: float) -> Callable[[float], float]:
    span = (hi - lo) or 1.0
    return lambda v: out_lo + (v - lo) / span * (out_hi - out_lo)


def _ticks(top: float) -> list[float]:
    """Round tick values from 0 to at least ``top``, four or five of them."""
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = math.ceil(top / step - 1e-9)
    return [step * i for i in range(count + 1)]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
