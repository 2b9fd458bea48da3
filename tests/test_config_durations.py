"""Durations, clock times and time ranges as written in the config file."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breakd.config.durations import (
    format_duration,
    parse_clock,
    parse_duration,
    parse_duration_text,
    parse_time_range,
)
from breakd.config.model import TimeRange


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("45m", 45 * 60),
        ("2h", 7200),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("1h30m15s", 5415),
        ("1m30s", 90),
        ("90m", 5400),
        (" 5m ", 300),
        ("05m", 300),
        ("1s", 1),
        ("24h", 86400),
        ("23h59m60s", 86400),
        (1, 1),
        (90, 90),
        (86400, 86400),
    ],
)
def test_parse_duration_accepts(text: str | int, seconds: int) -> None:
    result = parse_duration(text)
    assert result == seconds
    assert isinstance(result, float)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        " ",
        "5x",
        "1.5h",
        "30M",
        "m",
        "h30m",
        "30m1h",  # parts out of order
        "1h1h",
        "1h30",
        "5 minutes",
        "1d",
        "٣m",  # a non-ASCII digit
        True,
        False,
        1.5,
        90.0,
        None,
        ["5m"],
        {"m": 5},
        dt.time(0, 5),
    ],
)
def test_parse_duration_refuses_junk(junk: object) -> None:
    with pytest.raises(ValueError, match=r'not a duration; use e\.g\. "90s", "45m", "1h30m"'):
        parse_duration(junk)


@pytest.mark.parametrize("text", ["90", " 90 "])
def test_a_number_in_a_string_is_refused_naming_both_units(text: str) -> None:
    # Seconds or minutes? Refused, not guessed; the message says how to write either.
    for parse in (parse_duration, parse_duration_text):
        with pytest.raises(ValueError, match='write "90s" for seconds or "90m" for minutes'):
            parse(text)


@pytest.mark.parametrize("text", ["-5m", "-90s", " -1h"])
def test_a_negative_duration_is_named_as_such(text: str) -> None:
    for parse in (parse_duration, parse_duration_text):
        with pytest.raises(ValueError, match="a duration cannot be negative"):
            parse(text)


@pytest.mark.parametrize("text", ["0", "00"])
def test_a_bare_zero_is_refused_without_suggesting_another_zero(text: str) -> None:
    for parse in (parse_duration, parse_duration_text):
        with pytest.raises(ValueError, match="at least 1s") as caught:
            parse(text)
        assert '"0s"' not in str(caught.value)


@pytest.mark.parametrize("text", ["5x", "soon", "1.5h"])
def test_typed_durations_do_not_offer_whole_seconds(text: str) -> None:
    # The command line takes text, where "whole seconds" (a TOML integer) cannot be written.
    with pytest.raises(ValueError) as info:
        parse_duration_text(text)
    assert str(info.value) == 'not a duration; use e.g. "90s", "10m", "1h30m", from 1s to 24h'


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("10m", 600), ("1h 30m", 5400)])
def test_typed_durations(text: str, seconds: float) -> None:
    assert parse_duration_text(text) == seconds


@pytest.mark.parametrize("text", ["0s", "25h"])
def test_typed_durations_out_of_range(text: str) -> None:
    with pytest.raises(ValueError, match=r"out of range; use e\.g\."):
        parse_duration_text(text)


@pytest.mark.parametrize("value", [0, -1, 86401, "0s", "0m", "24h1s", "25h", "99999999h"])
def test_parse_duration_bounds(value: object) -> None:
    with pytest.raises(ValueError, match=r"out of range; use a duration from 1s to 24h"):
        parse_duration(value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(90, "1m30s"), (5400, "1h30m"), (2700, "45m"), (3600, "1h"), (15.0, "15s"), (0, "0s")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("bad", [1.5, -1])
def test_format_duration_refuses_what_cannot_round_trip(bad: float) -> None:
    with pytest.raises(ValueError):
        format_duration(bad)


@given(st.integers(min_value=1, max_value=86400))
def test_format_then_parse_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@given(
    st.integers(0, 24),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(["", " "]),
)
def test_parse_then_format_is_canonical(h: int, m: int, s: int, sep: str) -> None:
    total = h * 3600 + m * 60 + s
    parts = [f"{n}{u}" for n, u in ((h, "h"), (m, "m"), (s, "s")) if n]
    text = sep.join(parts)
    if not 1 <= total <= 86400:
        with pytest.raises(ValueError):
            parse_duration(text)
        return
    canonical = format_duration(parse_duration(text))
    assert parse_duration(canonical) == total
    assert format_duration(parse_duration(canonical)) == canonical


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("04:00", dt.time(4, 0)),
        ("4:00", dt.time(4, 0)),
        ("00:00", dt.time(0, 0)),
        ("23:59", dt.time(23, 59)),
        (dt.time(4, 0), dt.time(4, 0)),
    ],
)
def test_parse_clock(value: object, expected: dt.time) -> None:
    assert parse_clock(value) == expected


@pytest.mark.parametrize(
    "bad", ["24:00", "12:60", "4", "04:00:00", "4am", "", "0400", 400, dt.time(4, 0, 30)]
)
def test_parse_clock_refuses(bad: object) -> None:
    with pytest.raises(ValueError, match=r'use "HH:MM" from "00:00" to "23:59"'):
        parse_clock(bad)


def test_parse_time_range() -> None:
    assert parse_time_range("22:00-07:00") == TimeRange(dt.time(22), dt.time(7))
    assert parse_time_range("12:30 - 13:30") == TimeRange(dt.time(12, 30), dt.time(13, 30))


@pytest.mark.parametrize("bad", ["22:00", "22:00-", "-07:00", "22:00-07:00-08:00", "a-b", 5, []])
def test_parse_time_range_refuses(bad: object) -> None:
    with pytest.raises(ValueError, match=r'not a time range; use "HH:MM-HH:MM"'):
        parse_time_range(bad)


def test_parse_time_range_refuses_empty_range() -> None:
    with pytest.raises(ValueError, match="start and end are the same"):
        parse_time_range("08:00-08:00")
