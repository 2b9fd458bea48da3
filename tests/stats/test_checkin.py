"""When check-ins call for a professional: four pain days in a row, rising, not one bad day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breakd.core.content import MAX_BODY_LINES, warning_signs_text, wrap
from breakd.stats.checkin import assess, needs_professional, professional_notice
from breakd.store.sqlite import Checkin, Store
from tests.stats.days import DAY


def series(*scores: int | None, last: dt.date = DAY) -> list[Checkin]:
    """Check-ins on consecutive days ending ``last``; None is a day without one."""
    start = last - dt.timedelta(days=len(scores) - 1)
    return [Checkin(start + dt.timedelta(days=i), s) for i, s in enumerate(scores) if s is not None]


@pytest.mark.parametrize(
    "scores",
    [
        (),
        (0, 0, 0, 0, 0),
        (9,),  # one bad day
        (0, 0, 0, 0, 8),  # one bad day after good ones
        (0, 1, 8),  # a jump, but not rising pain
        (3, 3, 3),  # three days in a row is not more than three
        (5, 5, 5, 1),  # better today
        (2, 2, 2, 2, 2, 2),  # a niggle, below the pain threshold
        (4, 4, None, None, None, None, 4, 4),  # a gap of four days breaks the run
        (7, 6, 5),  # falling
    ],
)
def test_not_triggered(scores: tuple[int | None, ...]) -> None:
    assert needs_professional(series(*scores), today=DAY) is None


def test_more_than_three_days_in_a_row() -> None:
    message = needs_professional(series(3, 4, 3, 5), today=DAY)
    assert message is not None
    assert "4 days in a row" in message
    assert "doctor or physiotherapist" in message
    assert warning_signs_text() in message


def test_a_weekend_without_checkins_does_not_break_the_run() -> None:
    # Thursday, Friday, (Saturday, Sunday), Monday, Tuesday.
    advice = assess(series(4, 4, None, None, 5, 4), today=DAY)
    assert advice is not None
    assert advice.reason == "streak"
    assert advice.days == 4
    assert advice.since == DAY - dt.timedelta(days=5)


def test_rising_over_the_last_days() -> None:
    advice = assess(series(0, 2, 4, 6), today=DAY)
    assert advice is not None
    assert advice.reason == "rising"
    assert advice.since == DAY - dt.timedelta(days=2)
    assert "6/10" in advice.text()


def test_old_pain_that_has_passed_is_not_raised() -> None:
    old = series(5, 5, 5, 5, last=DAY - dt.timedelta(days=20))
    assert needs_professional(old, today=DAY) is None
    assert needs_professional(old) is not None  # without today, only the pattern counts


def test_brief_text_for_the_notification() -> None:
    advice = assess(series(5, 5, 5, 5), today=DAY)
    assert advice is not None
    assert warning_signs_text(brief=True) in advice.text(brief=True)
    assert len(advice.text(brief=True)) < len(advice.text())
    # A notification: at most 5 lines as GNOME wraps it, the first one saying what to do.
    for found in (advice, assess(series(0, 2, 4, 10), today=DAY)):
        assert found is not None
        lines = wrap(found.text(brief=True))
        assert len(lines) <= MAX_BODY_LINES, lines
        assert "doctor or physiotherapist" in found.text(brief=True).splitlines()[0]


def test_the_daemon_notices_each_episode_once(tmp_path: Path) -> None:
    with Store.open(tmp_path / "b.db") as store:
        for c in series(4, 4, 4):
            store.add_checkin(c.day, c.score, None)
        assert professional_notice(store, DAY) is None
        store.add_checkin(DAY + dt.timedelta(days=1), 5, None)
        advice = professional_notice(store, DAY + dt.timedelta(days=1))
        assert advice is not None
        assert store.record_notice(advice.key, dt.datetime(2025, 6, 4, 9)) is True
        # The same episode the next day: already given.
        store.add_checkin(DAY + dt.timedelta(days=2), 5, None)
        assert professional_notice(store, DAY + dt.timedelta(days=2)) is None
