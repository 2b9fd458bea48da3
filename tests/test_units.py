"""Durations, clock times, dates and numbers in each language (breakd/core/units.py): the
conventions come from the catalogs, English keeps breakd's established forms."""

from __future__ import annotations

import datetime as dt

import pytest

from breakd import i18n
from breakd.core import units
from breakd.core.words import ENGLISH, Translator


def tr(language: str) -> Translator:
    found = i18n.translator(language, {})
    assert found is not ENGLISH or language == "en"
    return found


AFTERNOON = dt.datetime(2026, 1, 5, 14, 5)  # a Monday
MORNING = dt.datetime(2026, 3, 4, 9, 30)  # a Wednesday


# --- English: the forms breakd has always written ------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "1 second"),
        (1, "1 second"),
        (20, "20 seconds"),
        (59.4, "59 seconds"),
        (60, "1 minute"),
        (89, "1 minute"),
        (90, "2 minutes"),
        (300, "5 minutes"),
        (3600, "1 hour"),
        (3900, "1 hour 5 minutes"),
        (7200, "2 hours"),
        (86400, "24 hours"),
    ],
)
def test_an_english_duration_for_a_sentence(seconds: float, text: str) -> None:
    assert units.duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "0s"),
        (45.9, "45s"),
        (60, "1m"),
        (719, "11m"),
        (3599, "59m"),
        (3600, "1h"),
        (3900, "1h05m"),
        (7500, "2h05m"),
        (36000, "10h"),
    ],
)
def test_an_english_duration_for_a_status_line_is_the_compact_countdown(
    seconds: float, text: str
) -> None:
    assert units.short_duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "exact", "rounded"),
    [
        (0, "0s", "0m"),  # a day's statistics count minutes: nothing is "0m"
        (29, "29s", "0m"),
        (31, "31s", "1m"),
        (90, "1m30s", "2m"),
        (125, "2m05s", "2m"),
        (900, "15m", "15m"),
        (3629, "1h", "1h"),  # the seconds of an hour or more are noise
        (3600 * 4 + 300, "4h05m", "4h05m"),
        (-5, "0s", "0m"),
    ],
)
def test_the_exact_and_the_rounded_short_forms(seconds: float, exact: str, rounded: str) -> None:
    assert units.short_duration(seconds, exact=True) == exact
    assert units.rounded_short_duration(seconds) == rounded


@pytest.mark.parametrize(
    ("language", "exact", "rounded", "moment"),
    [
        ("de", "1 Min. 30 Sek.", "4 Std. 5 Min.", "Mo, 5. Jan. 2026, 14:05"),
        ("fr", "1 min 30 s", "4 h 05", "lun. 5 janv. 2026 à 14:05"),
        ("ja", "1分30秒", "4時間5分", "2026年1月5日(月) 14:05"),
    ],
)
def test_the_other_short_forms_and_a_moment_in_a_language(
    language: str, exact: str, rounded: str, moment: str
) -> None:
    words = tr(language)
    assert units.short_duration(90, words, exact=True) == exact
    assert units.rounded_short_duration(4 * 3600 + 299, words) == rounded
    assert units.date_and_clock(AFTERNOON, words) == moment
    assert units.seconds_pattern(words).format(seconds=7) == units.short_duration(7, words)


def test_english_times_dates_and_numbers() -> None:
    assert units.clock(AFTERNOON) == "14:05"
    assert units.clock(MORNING.time()) == "09:30"
    assert units.weekday_and_clock(AFTERNOON) == "Mon 14:05"
    assert units.day_of_month(AFTERNOON.date()) == "Mon 05"
    assert units.date(MORNING.date()) == "Wed 4 Mar 2026"
    assert units.date_and_clock(AFTERNOON) == "Mon 5 Jan 2026 14:05"
    assert units.number(3.5, 1) == "3.5"
    assert units.number(1234) == "1234"  # four digits stay bare
    assert units.number(12345.678, 2) == "12,345.68"
    assert units.number(1234567) == "1,234,567"
    assert units.number(-0.04, 1) == "0.0"
    assert units.number(-12.5, 1) == "-12.5"
    assert units.percent(0.834) == "83%"
    assert units.number(float("nan")) == "nan"


# --- each language --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "minutes"),
    [
        ("de", ["1 Minute", "2 Minuten", "5 Minuten", "22 Minuten"]),
        ("fr", ["1 minute", "2 minutes", "5 minutes", "22 minutes"]),
        ("es", ["1 minuto", "2 minutos", "5 minutos", "22 minutos"]),
        ("pt_BR", ["1 minuto", "2 minutos", "5 minutos", "22 minutos"]),
        ("it", ["1 minuto", "2 minuti", "5 minuti", "22 minuti"]),
        ("nl", ["1 minuut", "2 minuten", "5 minuten", "22 minuten"]),
        ("pl", ["1 minuta", "2 minuty", "5 minut", "22 minuty"]),
        ("ja", ["1分", "2分", "5分", "22分"]),
    ],
)
def test_minutes_take_each_language_s_plural_forms(language: str, minutes: list[str]) -> None:
    assert [units.duration(n * 60, tr(language)) for n in (1, 2, 5, 22)] == minutes


@pytest.mark.parametrize(
    ("language", "hours"),
    [
        ("de", ["1 Stunde", "2 Stunden 5 Minuten", "5 Stunden", "22 Stunden 1 Minute"]),
        ("fr", ["1 heure", "2 heures 5 minutes", "5 heures", "22 heures 1 minute"]),
        ("es", ["1 hora", "2 horas y 5 minutos", "5 horas", "22 horas y 1 minuto"]),
        ("pt_BR", ["1 hora", "2 horas e 5 minutos", "5 horas", "22 horas e 1 minuto"]),
        ("it", ["1 ora", "2 ore e 5 minuti", "5 ore", "22 ore e 1 minuto"]),
        ("nl", ["1 uur", "2 uur en 5 minuten", "5 uur", "22 uur en 1 minuut"]),
        ("pl", ["1 godzina", "2 godziny 5 minut", "5 godzin", "22 godziny 1 minuta"]),
        ("ja", ["1時間", "2時間5分", "5時間", "22時間1分"]),
    ],
)
def test_hours_and_minutes_in_a_sentence(language: str, hours: list[str]) -> None:
    seconds = (3600, 2 * 3600 + 300, 5 * 3600, 22 * 3600 + 60)
    assert [units.duration(s, tr(language)) for s in seconds] == hours


def test_polish_seconds_take_three_forms() -> None:
    polish = tr("pl")
    texts = [units.duration(n, polish) for n in (1, 2, 5, 22, 25)]
    assert texts == ["1 sekunda", "2 sekundy", "5 sekund", "22 sekundy", "25 sekund"]


@pytest.mark.parametrize(
    ("language", "short"),
    [
        ("de", ["45 Sek.", "12 Min.", "2 Std.", "1 Std. 5 Min."]),
        ("fr", ["45 s", "12 min", "2 h", "1 h 05"]),
        ("es", ["45 s", "12 min", "2 h", "1 h 5 min"]),
        ("pt_BR", ["45 s", "12 min", "2 h", "1 h 5 min"]),
        ("it", ["45 s", "12 min", "2 h", "1 h 5 min"]),
        ("nl", ["45 s", "12 min", "2 u", "1 u 5 min"]),
        ("pl", ["45 s", "12 min", "2 godz.", "1 godz. 5 min"]),
        ("ja", ["45秒", "12分", "2時間", "1時間5分"]),
    ],
)
def test_short_durations_for_status_lines(language: str, short: list[str]) -> None:
    got = [units.short_duration(s, tr(language)) for s in (45, 720, 7200, 3900)]
    assert got == short


@pytest.mark.parametrize(
    ("language", "clock", "later", "day", "date"),
    [
        ("de", "09:30", "Mo 14:05", "Mo 5.", "Mi, 4. März 2026"),
        ("fr", "09:30", "lun. 14:05", "lun. 5", "mer. 4 mars 2026"),
        ("es", "9:30", "lun 14:05", "lun 5", "mié, 4 mar 2026"),
        ("pt_BR", "09:30", "seg 14:05", "seg 05", "qua, 4 de mar. de 2026"),
        ("it", "09:30", "lun 14:05", "lun 5", "mer 4 mar 2026"),
        ("nl", "09:30", "ma 14:05", "ma 5", "wo 4 mrt 2026"),
        ("pl", "09:30", "pon 14:05", "pon 5", "śr, 4 mar 2026"),
        ("ja", "9:30", "月曜 14:05", "5日(月)", "2026年3月4日(水)"),
    ],
)
def test_times_and_dates(language: str, clock: str, later: str, day: str, date: str) -> None:
    words = tr(language)
    assert units.clock(MORNING, words) == clock
    assert units.clock(AFTERNOON, words) == "14:05"
    assert units.weekday_and_clock(AFTERNOON, words) == later
    assert units.day_of_month(AFTERNOON.date(), words) == day
    assert units.date(MORNING.date(), words) == date


NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("language", "decimal", "large", "share"),
    [
        ("de", "3,5", "12.345,7", f"83{NBSP}%"),
        ("fr", "3,5", f"12{NNBSP}345,7", f"83{NNBSP}%"),
        ("es", "3,5", "12.345,7", f"83{NBSP}%"),
        ("pt_BR", "3,5", "12.345,7", "83%"),
        ("it", "3,5", "12.345,7", "83%"),
        ("nl", "3,5", "12.345,7", "83%"),
        ("pl", "3,5", f"12{NBSP}345,7", "83%"),
        ("ja", "3.5", "12,345.7", "83%"),
    ],
)
def test_numbers(language: str, decimal: str, large: str, share: str) -> None:
    words = tr(language)
    assert units.number(3.5, 1, words) == decimal
    assert units.number(12345.67, 1, words) == large
    assert units.number(1234, 0, words) == "1234"
    assert units.percent(0.83, words) == share


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_month_and_weekday_is_translated(language: str) -> None:
    words = tr(language)
    months = [words.gettext(m) for m in units.MONTHS]
    weekdays = [words.gettext(d) for d in units.WEEKDAYS]
    assert len(set(months)) == 12 and len(set(weekdays)) == 7  # (Spanish "mar" is both)
    names = months + weekdays
    assert not set(names) & set(units.MONTHS + units.WEEKDAYS)
