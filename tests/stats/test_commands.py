"""The commands as functions: stats (no file, read-only, JSON), report, checkin, the parsers."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from breakd.core import units
from breakd.stats.commands import (
    add_stats_parsers,
    checkin_command,
    report_command,
    stats_command,
)
from breakd.store.sqlite import Store, default_db_path
from tests.stats.days import DAY, at, months, present, reminder

NOW = dt.datetime.combine(DAY, dt.time(18, 0))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "state")}


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="breakd")
    add_stats_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def utf8() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8")


def text_of(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode(stream.encoding)  # type: ignore[attr-defined]


def fill(env: dict[str, str]) -> None:
    builder = months(DAY)
    with Store.open(default_db_path(env)) as store:
        store.write(builder.minutes, builder.events, builder.breaks)


def test_stats_without_a_database(env: dict[str, str]) -> None:
    out = utf8()
    assert stats_command(parse("stats"), out=out, env=env, now=NOW) == 0
    assert text_of(out) == "no data yet — breakd records your days while it runs\n"
    assert not default_db_path(env).exists()  # reading never creates the file


def test_stats_ascii_fallback(env: dict[str, str]) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert stats_command(parse("stats", "--week"), out=out, env=env, now=NOW) == 0
    assert text_of(out) == "no data yet - breakd records your days while it runs\n"
    fill(env)
    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    assert stats_command(parse("stats", "--month"), out=out, env=env, now=NOW) == 0
    text = text_of(out)
    text.encode("ascii")
    assert "#" in text


def test_stats_week_while_the_daemon_writes(env: dict[str, str]) -> None:
    fill(env)
    daemon = Store.open(default_db_path(env))
    daemon.write(present(at(DAY, 17), 10), reminder(at(DAY, 17), 99, "sitting", "taken"))
    daemon._conn.execute("BEGIN IMMEDIATE")  # mid-batch: holds the write lock
    out = utf8()
    assert stats_command(parse("stats", "--week"), out=out, env=env, now=NOW) == 0
    daemon._conn.execute("ROLLBACK")
    daemon.close()
    lines = text_of(out).splitlines()
    assert lines[0].startswith("breakd — last 7 days")
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("Tue 03") and "█" in line for line in lines)


def test_stats_json(env: dict[str, str]) -> None:
    fill(env)
    out = io.StringIO()
    assert stats_command(parse("stats", "--json"), out=out, env=env, now=NOW) == 0
    data = json.loads(out.getvalue())
    assert data["period"] == "today"
    assert data["first"] == data["last"] == DAY.isoformat()
    assert data["has_data"] is True
    assert data["total"]["active_s"] > 0
    assert {"compliance", "reminders", "natural_breaks", "checkin"} <= set(data["days"][0])


def test_stats_prints_the_advice(env: dict[str, str]) -> None:
    for i in range(4):
        args = parse("checkin", "5")
        now = NOW - dt.timedelta(days=3 - i)
        assert checkin_command(args, out=io.StringIO(), env=env, now=now) == 0
    out = utf8()
    stats_command(parse("stats"), out=out, env=env, now=NOW)
    assert "doctor or physiotherapist" in text_of(out)


def test_checkin_records_and_replaces(env: dict[str, str]) -> None:
    out = io.StringIO()
    assert checkin_command(parse("checkin", "6", "--note", "stiff"), out=out, env=env, now=NOW) == 0
    assert out.getvalue() == "recorded 6/10 for Tue 3 Jun 2025\n"  # the date as units writes it
    again = io.StringIO()
    assert checkin_command(parse("checkin", "2"), out=again, env=env, now=NOW) == 0
    assert again.getvalue() == "recorded 2/10 for Tue 3 Jun 2025 (was 6/10; note kept)\n"
    shown = io.StringIO()
    assert checkin_command(parse("checkin"), out=shown, env=env, now=NOW) == 0
    assert shown.getvalue() == "Tue 3 Jun 2025   2/10  stiff\n"


def test_checkin_speaks_the_users_language(env: dict[str, str]) -> None:
    env["LANGUAGE"] = "de"
    out = io.StringIO()
    assert checkin_command(parse("checkin", "6", "--note", "steif"), out=out, env=env, now=NOW) == 0
    assert out.getvalue() == "6/10 für Di, 3. Juni 2025 festgehalten\n"
    again = io.StringIO()
    assert checkin_command(parse("checkin", "2"), out=again, env=env, now=NOW) == 0
    assert again.getvalue() == (
        "2/10 für Di, 3. Juni 2025 festgehalten (vorher 6/10; Notiz behalten)\n"
    )
    shown = io.StringIO()
    assert checkin_command(parse("checkin"), out=shown, env=env, now=NOW) == 0
    assert shown.getvalue() == "Di, 3. Juni 2025   2/10  steif\n"
    err = io.StringIO()
    long_note = parse("checkin", "2", "--note", "x" * 501)
    assert checkin_command(long_note, out=io.StringIO(), err=err, env=env, now=NOW) == 2
    assert err.getvalue() == "breakd: die Notiz ist länger als 500 Zeichen\n"


def test_checkin_before_four_counts_for_yesterday(env: dict[str, str]) -> None:
    out = io.StringIO()
    late = dt.datetime.combine(DAY, dt.time(1, 30))
    checkin_command(parse("checkin", "1"), out=out, env=env, now=late)
    assert f"for {units.date(DAY - dt.timedelta(days=1))}" in out.getvalue()


@pytest.mark.parametrize("bad", ["11", "-1", "three", "2.5"])
def test_checkin_score_must_be_0_to_10(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse("checkin", bad)
    assert "from 0 (no pain) to 10" in capsys.readouterr().err


def test_report_default_path_and_no_data(env: dict[str, str]) -> None:
    out = io.StringIO()
    assert report_command(parse("report"), out=out, env=env, now=NOW) == 0
    target = Path(env["XDG_STATE_HOME"]) / "breakd" / "report.html"
    assert out.getvalue() == f"wrote the report to {target}\n"
    page = target.read_text(encoding="utf-8")
    assert "No data yet" in page
    assert page.count("<svg") == 4


def test_report_out_and_weeks(env: dict[str, str], tmp_path: Path) -> None:
    fill(env)
    target = tmp_path / "r" / "mine.html"
    args = parse("report", "--out", str(target), "--weeks", "2")
    assert report_command(args, out=io.StringIO(), env=env, now=NOW) == 0
    page = target.read_text(encoding="utf-8")
    assert f"from {units.date(DAY - dt.timedelta(days=13))} to {units.date(DAY)}" in page
    assert [p.name for p in target.parent.iterdir()] == ["mine.html"]  # no temp file left


def test_report_cannot_write(env: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    err = io.StringIO()
    args = parse("report", "--out", str(blocker / "report.html"))
    assert report_command(args, out=io.StringIO(), err=err, env=env, now=NOW) == 1
    assert "cannot write" in err.getvalue()


def test_a_broken_config_does_not_stop_stats(env: dict[str, str]) -> None:
    conf = Path(env["HOME"]) / ".config" / "breakd"
    conf.mkdir(parents=True)
    (conf / "config.toml").write_text("[sitting]\nevery = 5x\n")
    err = io.StringIO()
    assert stats_command(parse("stats"), out=io.StringIO(), err=err, env=env, now=NOW) == 0
    assert "check-config" in err.getvalue()


def test_parsers_have_help() -> None:
    parser = argparse.ArgumentParser(prog="breakd")
    sub = parser.add_subparsers(dest="command")
    add_stats_parsers(sub)
    helps = {a.dest: a.help for a in sub._choices_actions}
    assert set(helps) == {"stats", "report", "checkin"}
    assert all(helps.values())
    with pytest.raises(SystemExit):
        parser.parse_args(["stats", "--week", "--month"])


def test_checkin_help_states_the_rule_checkin_py_applies() -> None:
    from breakd.stats.checkin import PAIN_SCORE, STREAK_DAYS
    from breakd.stats.commands import CHECKIN_HELP

    assert f"pain ({PAIN_SCORE} or more)" in CHECKIN_HELP
    assert STREAK_DAYS == 4 and "more than three days in a row" in CHECKIN_HELP


def test_building_the_parsers_imports_no_sqlite() -> None:
    # `breakd status` builds every subparser; it must not pay for the statistics code.
    import subprocess
    import sys

    code = (
        "import sys, argparse; from breakd.stats.commands import add_stats_parsers; "
        "add_stats_parsers(argparse.ArgumentParser().add_subparsers()); "
        "print(sorted(m for m in sys.modules if m in ('sqlite3', 'breakd.stats.report', "
        "'breakd.stats.summary', 'breakd.store.sqlite')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_report_and_stats_mark_the_configured_intervals(env: dict[str, str]) -> None:
    config = Path(env["HOME"]) / ".config" / "breakd" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[sitting]\nevery = "45m"\n[daily]\nlimit = "4h"\n')
    fill(env)
    assert report_command(parse("report"), out=io.StringIO(), env=env, now=NOW) == 0
    page = (Path(env["XDG_STATE_HOME"]) / "breakd" / "report.html").read_text()
    assert "The line marks 45m, when your stand-up reminder comes" in page
    assert "The line marks 4h, when the end-of-day reminder comes" in page
    assert "30 min" not in page
    out = utf8()
    assert stats_command(parse("stats", "--week"), out=out, env=env, now=NOW) == 0
    text = text_of(out)
    assert "stand-up reminder after 45m" in text and "the day's limit, 4h" in text
