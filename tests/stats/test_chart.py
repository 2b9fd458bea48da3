"""``breakd stats`` text: empty, one-day and three-month data, 80 columns, ASCII fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from breakd.stats.chart import ASCII, UNICODE, WIDTH, bar, breaks_bar, render
from breakd.stats.summary import PeriodSummary, period, summarize
from breakd.store.sqlite import History
from tests.stats.days import DAY, DayBuilder, at, months, present, reminder

FOUR = dt.time(4, 0)


def three_months(which: str) -> PeriodSummary:
    return summarize(months(DAY).history(*period(which, DAY)), FOUR)


def check_lines(text: str, *, ascii_only: bool) -> list[str]:
    lines = text.splitlines()
    too_long = [line for line in lines if len(line) > WIDTH]
    assert too_long == []
    assert [line for line in lines if line != line.rstrip()] == []
    if ascii_only:
        text.encode("ascii")
    return lines


@pytest.mark.parametrize("which", ["today", "week", "month"])
@pytest.mark.parametrize("unicode", [True, False])
def test_three_months_fit_80_columns(which: str, unicode: bool) -> None:
    text = render(three_months(which), which, unicode=unicode, advice="x " * 200)
    lines = check_lines(text, ascii_only=not unicode)
    if which != "today":
        days = len(three_months(which).days)
        chart = [line for line in lines if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri")]
        assert len(chart) >= days * 5 // 7 - 1
        assert any(("█" in line) == unicode for line in chart)


def test_empty_data_renders() -> None:
    summary = summarize(History(*period("week", DAY)), FOUR)
    text = render(summary, "week", unicode=True)
    check_lines(text, ascii_only=False)
    assert "no reminders shown" in text


def test_one_day() -> None:
    b = DayBuilder()
    b.minutes += present(at(DAY, 9), 95, active=30)
    b.events += reminder(at(DAY, 9, 30), 1, "sitting", "taken")
    b.events += reminder(at(DAY, 10, 30), 2, "sitting", "ignored", repeats=2)
    text = render(summarize(b.history(DAY, DAY), FOUR), "today", unicode=False)
    check_lines(text, ascii_only=True)
    assert "1h35m" in text  # presence
    assert "1 of 2 answered: 50%" in text
    assert "ignored: input went on" in text


def test_bars() -> None:
    assert bar(4, 8, 10, UNICODE) == "█████"
    assert bar(1, 8, 10, UNICODE) == "█▎"  # 1.25 cells
    assert bar(1, 8, 10, ASCII) == "#"
    assert bar(20, 8, 10, UNICODE) == "█" * 10  # capped
    assert bar(0, 8, 10, UNICODE) == ""
    assert breaks_bar(2, 5, UNICODE) == "■■□□□"
    assert len(breaks_bar(10, 40, ASCII)) == 10


def test_the_snoozed_column_counts_every_snooze() -> None:
    b = DayBuilder()
    b.events += reminder(at(DAY, 9, 30), 1, "sitting", "snoozed", "snoozed", "taken")
    text = render(summarize(b.history(DAY, DAY), FOUR), "today", unicode=False)
    lines = [line.split() for line in text.splitlines()]
    header = next(line for line in lines if line[:1] == ["reminders"])
    sitting = next(line for line in lines if line[:1] == ["sitting"])
    assert sitting[header.index("snoozed")] == "2"
