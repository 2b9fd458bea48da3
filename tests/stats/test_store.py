"""The SQLite store: WAL, one transaction a batch, upsert, rollup, migration, read-only, privacy."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from breakd.store.sqlite import (
    SCHEMA_V1,
    SCHEMA_VERSION,
    BreakRow,
    Checkin,
    KindClock,
    MinuteRow,
    ReminderEvent,
    SavedDay,
    Store,
    StoreError,
    default_db_path,
)
from tests.stats.days import DAY, at, present, reminder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "breakd" / "breakd.db"


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def test_default_path_follows_xdg_state_home() -> None:
    assert default_db_path({"XDG_STATE_HOME": "/s", "HOME": "/h"}) == Path("/s/breakd/breakd.db")
    assert default_db_path({"HOME": "/h"}) == Path("/h/.local/state/breakd/breakd.db")
    assert default_db_path({"XDG_STATE_HOME": "rel", "HOME": "/h"}) == Path(
        "/h/.local/state/breakd/breakd.db"
    )


def test_open_creates_a_private_file_in_wal_mode(db: Path) -> None:
    with Store.open(db):
        pass
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    conn = raw(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_write_and_read_back(db: Path) -> None:
    with Store.open(db) as store:
        store.write(
            present(at(DAY, 9), 3),
            reminder(at(DAY, 9, 30), 1, "sitting", "taken"),
            [BreakRow(at(DAY, 10), at(DAY, 10, 7))],
        )
        store.add_checkin(DAY, 4, "stiff")
        history = store.history(DAY, DAY)
    assert history.minutes == tuple(present(at(DAY, 9), 3))
    assert history.events == tuple(reminder(at(DAY, 9, 30), 1, "sitting", "taken"))
    assert history.breaks == (BreakRow(at(DAY, 10), at(DAY, 10, 7)),)
    assert history.checkins == (Checkin(DAY, 4, "stiff"),)


def test_a_later_checkin_replaces_the_score_and_keeps_the_note(db: Path) -> None:
    with Store.open(db) as store:
        store.add_checkin(DAY, 7, "bad")
        store.add_checkin(DAY, 2, None)
        assert store.checkins(DAY, DAY) == (Checkin(DAY, 2, "bad"),)
        store.add_checkin(DAY, 3, "better")  # a new note replaces the old one
        assert store.checkins(DAY, DAY) == (Checkin(DAY, 3, "better"),)
        with pytest.raises(ValueError):
            store.add_checkin(DAY, 11, None)


def test_the_same_minute_written_twice_is_added_to(db: Path) -> None:
    start = at(DAY, 9, 5)
    with Store.open(db) as store:
        store.write([MinuteRow(start, 20.0, 10.0, 5, 1, 2)])
        # The rest of the minute, flushed later, with seconds that are dropped when stored.
        store.write([MinuteRow(start + dt.timedelta(seconds=20), 40.0, 30.0, 7, 2, 3)])
        store.write([MinuteRow(start, 30.0, 30.0, 0, 0, 0)])  # never more than 60 s a minute
        (row,) = store.history(DAY, DAY).minutes
    assert row == MinuteRow(start, 60.0, 60.0, 12, 3, 5)


def test_a_batch_is_one_transaction(db: Path) -> None:
    with Store.open(db) as store:
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        store.write(present(at(DAY, 9), 5), reminder(at(DAY, 9), 1, "sitting", "taken"))
        store._conn.set_trace_callback(None)
        assert [s for s in statements if s in ("BEGIN IMMEDIATE", "COMMIT")] == [
            "BEGIN IMMEDIATE",
            "COMMIT",
        ]
        # A bad row late in a batch leaves nothing of the batch behind.
        bad = MinuteRow(at(DAY, 11), -1.0, 0.0, 0, 0, 0)
        with pytest.raises(sqlite3.IntegrityError):
            store.write(
                [*present(at(DAY, 10), 5), bad], [ReminderEvent(at(DAY, 10), 2, "water", "shown")]
            )
        history = store.history(DAY, DAY)
    assert len(history.minutes) == 5
    assert len(history.events) == 2


def test_unknown_kinds_and_events_are_refused(db: Path) -> None:
    with Store.open(db) as store:
        with pytest.raises(ValueError, match="kind"):
            store.write(events=[ReminderEvent(at(DAY, 9), 1, "Stand up: a walk", "shown")])
        with pytest.raises(ValueError, match="event"):
            store.write(events=[ReminderEvent(at(DAY, 9), 1, "water", "typed hello")])


def test_a_break_reported_again_replaces_the_first_report(db: Path) -> None:
    with Store.open(db) as store:
        store.write(breaks=[BreakRow(at(DAY, 12), at(DAY, 12, 5))])
        store.write(breaks=[BreakRow(at(DAY, 12), at(DAY, 12, 40))])
        assert store.history(DAY, DAY).breaks == (BreakRow(at(DAY, 12), at(DAY, 12, 40)),)


def test_rollup_sums_old_minutes_into_days(db: Path) -> None:
    old = DAY - dt.timedelta(days=100)
    recent = DAY - dt.timedelta(days=3)
    with Store.open(db) as store:
        store.write(
            [*present(at(old, 9), 40), *present(at(old, 10), 90), *present(at(recent, 9), 10)],
            breaks=[BreakRow(at(old, 9, 40), at(old, 10))],
        )
        assert store.rollup(90, DAY) == 130
        assert store.rollup(90, DAY) == 0  # nothing left to roll up
        history = store.history(old, DAY)
    assert [m.start.date() for m in history.minutes] == [recent] * 10
    (day,) = history.days
    assert day.day == old
    assert day.present_s == 130 * 60
    assert day.keys == 130 * 50
    assert day.longest_sitting_s == 90 * 60


def test_rollup_cuts_at_day_starts(db: Path) -> None:
    cutoff_day = DAY - dt.timedelta(days=1)
    with Store.open(db) as store:
        # 02:00 on the cutoff day belongs to the day before (days begin at 04:00).
        store.write([*present(at(cutoff_day, 2), 5), *present(at(cutoff_day, 5), 5)])
        assert store.rollup(1, DAY) == 5
        history = store.history(cutoff_day - dt.timedelta(days=1), DAY)
    assert [d.day for d in history.days] == [cutoff_day - dt.timedelta(days=1)]
    assert len(history.minutes) == 5


def test_migrates_a_version_1_file(db: Path) -> None:
    # A file as the first schema left it: no check-in notes, no day rows, no notices.
    db.parent.mkdir(parents=True)
    conn = raw(db)
    conn.executescript(SCHEMA_V1)
    conn.execute("INSERT INTO checkin (day, score, at) VALUES (?, 5, ?)", (str(DAY), "x"))
    conn.execute(
        "INSERT INTO minute VALUES (?, 60, 30, 1, 2, 3)", (at(DAY, 9).isoformat("T", "minutes"),)
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        history = store.history(DAY, DAY)
        assert history.checkins == (Checkin(DAY, 5, None),)
        assert history.minutes == (MinuteRow(at(DAY, 9), 60, 30, 1, 2, 3),)
        store.add_checkin(DAY, 1, "better")  # the new column works
        store.rollup(0, DAY + dt.timedelta(days=1))  # and so does the new table
        assert store.record_notice("k", at(DAY, 9)) is True
        assert store.record_notice("k", at(DAY, 10)) is False
    assert raw(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_file_from_a_newer_breakd_is_refused(db: Path) -> None:
    with Store.open(db):
        pass
    conn = raw(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(db)
    with pytest.raises(StoreError, match="update breakd"):
        Store.open(db, readonly=True)


def test_not_a_database(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_text("hello, this is not SQLite" * 100)
    with pytest.raises(StoreError, match="not a breakd statistics file"):
        Store.open(db)


def test_readonly_needs_an_existing_file_and_refuses_writes(db: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Store.open(db, readonly=True)
    assert not db.exists()
    with Store.open(db) as store:
        store.write(present(at(DAY, 9), 2))
    with Store.open(db, readonly=True) as store:
        assert len(store.history(DAY, DAY).minutes) == 2
        with pytest.raises(StoreError, match="read-only"):
            store.write(present(at(DAY, 10), 1))


def test_readonly_reads_while_a_writer_holds_the_lock(db: Path) -> None:
    writer = Store.open(db)
    writer.write(present(at(DAY, 9), 3))
    # Another writer is in the middle of a transaction, holding the write lock.
    holder = raw(db)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO minute VALUES ('2025-06-03T12:00', 60, 60, 1, 1, 1)")
    with Store.open(db, readonly=True) as reader:
        assert len(reader.history(DAY, DAY).minutes) == 3  # the committed state, no waiting
    holder.commit()
    with Store.open(db, readonly=True) as reader:
        assert len(reader.history(DAY, DAY).minutes) == 4
    holder.close()
    writer.close()


def test_readonly_works_after_the_daemon_closed_the_file(db: Path) -> None:
    with Store.open(db) as store:
        store.write(present(at(DAY, 9), 3))
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with Store.open(db, readonly=True) as reader:
        assert len(reader.history(DAY, DAY).minutes) == 3


# --- privacy -------------------------------------------------------------------------------

ALLOWED_COLUMNS = {
    "minute": {"start", "present_s", "active_s", "keys", "clicks", "motions"},
    "day": {"day", "present_s", "active_s", "keys", "clicks", "motions", "longest_sitting_s"},
    "event": {"id", "at", "reminder_id", "kind", "event", "repeat"},
    "natural_break": {"start", "end"},
    "checkin": {"day", "score", "note", "at"},
    "notice": {"key", "at"},
    "saved_day": {
        "id",
        "saved_at",
        "last_input",
        "active_s",
        "presence_s",
        "last_shown",
        "paused",
        "paused_until",
    },
    "kind_clock": {"kind", "into_s", "done_today", "not_before"},
}


def test_the_schema_has_only_counts_and_times(db: Path) -> None:
    with Store.open(db):
        pass
    conn = raw(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    columns = {t: {r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    assert columns == ALLOWED_COLUMNS
    forbidden = ("title", "window", "text", "body", "char", "code", "typed", "app", "url")
    for table, names in columns.items():
        for name in names:
            assert not any(word in name for word in forbidden), (table, name)


def test_no_secret_reaches_the_file(db: Path) -> None:
    """Rows built from engine actions whose texts carry a secret: none of it is stored."""
    from breakd.core.types import (
        Kind,
        MinuteSample,
        NaturalBreak,
        Outcome,
        Reminder,
        Resolved,
        Show,
        Urgency,
    )
    from breakd.store.records import minute_rows, records_for

    secret = "hunter2-correct-horse-battery"
    shown = Reminder(
        7,
        Kind.SITTING,
        f"title {secret}",
        f"body {secret}",
        Urgency.NORMAL,
        0.0,
        also=(Kind.WATER,),
        suggestion=secret,
    )
    base = at(DAY, 9)
    wall = lambda t: base + dt.timedelta(seconds=t)  # noqa: E731
    records = records_for(
        [Show(shown), Resolved(7, Kind.SITTING, Outcome.TAKEN, 400.0), NaturalBreak(100, 400)],
        base,
        wall,
    )
    # One key press per character of the secret: only the count is kept.
    rows = minute_rows([MinuteSample(0.0, 60.0, 60.0, len(secret), 0, 0)], wall)
    with Store.open(db) as store:
        store.write(rows, records.events, records.breaks)
        store.add_checkin(DAY, 3, "neck stiff after the long meeting")
        history = store.history(DAY, DAY)
    assert history.minutes[0].keys == len(secret)
    files = [p for p in db.parent.iterdir() if p.is_file()]
    assert db in files
    for path in files:
        data = path.read_bytes()
        assert secret.encode() not in data, path
        assert b"hunter2" not in data, path
    assert os.path.getsize(db) > 0


# --- the day so far (for a restart) ----------------------------------------------------------

SAVED = SavedDay(
    saved_at=1_780_000_100.25,
    last_input=1_780_000_090.5,
    active_s=2_000.5,
    presence_s=1_500.0,
    kinds=(
        KindClock("sitting", 1_500.0, False, 1_780_000_400.0),
        KindClock("daily", 0.0, True),
    ),
    last_shown=1_780_000_000.0,
    paused=True,
    paused_until=None,
)


def test_no_day_saved_yet(db: Path) -> None:
    with Store.open(db) as store:
        assert store.saved_day() is None


def test_the_saved_day_comes_back_and_a_later_save_replaces_it(db: Path) -> None:
    with Store.open(db) as store:
        store.write(day=SAVED)
        assert store.saved_day() == SAVED
        later = SavedDay(1_780_000_200.0, 1_780_000_199.0, 2_100.0, 1_600.0, SAVED.kinds[1:])
        store.write([MinuteRow(at(DAY, 9), 60, 30, 1, 2, 3)], day=later)
        assert store.saved_day() == later  # the sitting clock is gone: sitting was disabled
    with Store.open(db, readonly=True) as store:  # and it survives closing the file
        assert store.saved_day() == later


def test_a_pause_with_an_end_is_kept(db: Path) -> None:
    day = SavedDay(1.0, 1.0, 0.0, 0.0, paused=True, paused_until=1_780_003_600.0)
    with Store.open(db) as store:
        store.write(day=day)
        assert store.saved_day() == day


def test_a_saved_day_with_an_unknown_kind_is_refused(db: Path) -> None:
    with Store.open(db) as store:
        with pytest.raises(ValueError, match="unknown reminder kind"):
            store.write(day=SavedDay(1.0, 1.0, 0.0, 0.0, (KindClock("nap", 1.0),)))
        assert store.saved_day() is None


def test_migrates_a_version_2_file_to_one_that_saves_the_day(db: Path) -> None:
    from breakd.store.sqlite import MIGRATIONS

    db.parent.mkdir(parents=True)
    conn = raw(db)
    for version in (0, 1):
        conn.executescript(MIGRATIONS[version])
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        assert store.saved_day() is None
        store.write(day=SAVED)
        assert store.saved_day() == SAVED
    assert raw(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
