"""The statistics store: one SQLite file of counts and times, written by the daemon.

This module owns the file's schema, its migrations, and every SQL statement breakd runs. The
daemon writes batches (``Store.write``) at most about once a minute; ``breakd stats`` and
``breakd report`` read with ``Store.open(path, readonly=True)`` while the daemon keeps writing
(WAL mode lets readers and the one writer work at the same time). With each batch the daemon
also saves the day so far (``SavedDay``: its clocks, snoozes and a pause), which the next daemon
reads at start (``Store.saved_day``) to carry the day over a restart.

Must not: store key identity, window titles, reminder texts or anything typed. The row types
below carry only counts, times and the reminder kind and outcome, so there is nothing else to
store; a test checks the schema's column names and scans a written file for a secret string.
Must not compute statistics either: that is ``breakd.stats``, which reads ``History``.

Durability: every ``write`` is one transaction. ``synchronous=NORMAL`` in WAL mode keeps every
committed transaction through a crash or SIGKILL of the process (a power cut may lose the last
few, which for statistics is fine and saves a disk flush a minute on a laptop).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from breakd.core.words import N_, phrase
from breakd.store.rollup import day_rows_from_minutes
from breakd.store.rows import BreakRow, DayRow, MinuteRow

_T = TypeVar("_T")

SCHEMA_VERSION = 3
DEFAULT_DAY_STARTS = dt.time(4, 0)  # matches DailyConfig.day_starts

KINDS = ("sitting", "repetition", "posture", "water", "daily")
EVENTS = ("shown", "repeated", "taken", "snoozed", "skipped", "ignored", "merged", "paused")

# How long a second connection waits for the writer's lock before giving up; batches are tiny.
_BUSY_TIMEOUT_S = 10.0


class StoreError(Exception):
    """The statistics file cannot be used (from a newer breakd, not a database, ...); raised
    with a ``Phrase`` (``str()`` is its English), which the commands say in their user's
    language."""


# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderEvent:
    """Something that happened to a reminder: shown, repeated, or how it ended."""

    at: dt.datetime  # local naive
    reminder_id: int
    kind: str  # one of KINDS
    event: str  # one of EVENTS
    repeat: int = 0


@dataclass(frozen=True)
class Checkin:
    """How the neck and shoulders felt on a day: 0 = no pain, 10 = the worst imaginable."""

    day: dt.date
    score: int
    note: str | None = None


@dataclass(frozen=True)
class KindClock:
    """One reminder kind's clock when the day was last saved (see ``SavedDay``)."""

    kind: str  # one of KINDS
    into_s: float  # seconds of presence (or continuous use) into its interval
    done_today: bool = False
    not_before: float | None = None  # Unix time: snoozed (or due to repeat) until then


@dataclass(frozen=True)
class SavedDay:
    """The day so far, saved by the daemon so that the next one carries it on after a restart
    or a reboot. Times are Unix times: the engine's clock does not survive a reboot."""

    saved_at: float
    last_input: float
    active_s: float  # active today, up to last_input
    presence_s: float  # presence since the last natural break, up to last_input
    kinds: tuple[KindClock, ...] = ()
    last_shown: float | None = None
    paused: bool = False
    paused_until: float | None = None  # None while paused: until resumed


@dataclass(frozen=True)
class History:
    """Everything stored for a range of days, as ``breakd.stats`` needs it."""

    first: dt.date
    last: dt.date
    minutes: tuple[MinuteRow, ...] = ()
    days: tuple[DayRow, ...] = ()
    events: tuple[ReminderEvent, ...] = ()
    breaks: tuple[BreakRow, ...] = ()
    checkins: tuple[Checkin, ...] = ()


# --- schema and migrations -----------------------------------------------------------------

# Version 1, kept verbatim: the migration test builds a file from it.
SCHEMA_V1 = """
CREATE TABLE minute (
    start TEXT PRIMARY KEY,
    present_s REAL NOT NULL CHECK (present_s >= 0),
    active_s REAL NOT NULL CHECK (active_s >= 0),
    keys INTEGER NOT NULL CHECK (keys >= 0),
    clicks INTEGER NOT NULL CHECK (clicks >= 0),
    motions INTEGER NOT NULL CHECK (motions >= 0)
) WITHOUT ROWID;
CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    reminder_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    event TEXT NOT NULL,
    repeat INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_at ON event (at);
CREATE TABLE natural_break (
    start TEXT PRIMARY KEY,
    "end" TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE checkin (
    day TEXT PRIMARY KEY,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    at TEXT NOT NULL
) WITHOUT ROWID;
"""

# Version 2: check-in notes, per-day rows for rolled-up minutes, and the notices already given.
_V1_TO_V2 = """
ALTER TABLE checkin ADD COLUMN note TEXT;
CREATE TABLE day (
    day TEXT PRIMARY KEY,
    present_s REAL NOT NULL,
    active_s REAL NOT NULL,
    keys INTEGER NOT NULL,
    clicks INTEGER NOT NULL,
    motions INTEGER NOT NULL,
    longest_sitting_s REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE notice (
    key TEXT PRIMARY KEY,
    at TEXT NOT NULL
) WITHOUT ROWID;
"""

# Version 3: the day so far (one row, replaced at each save) and each kind's clock, so a
# restarted daemon carries on the clocks, snoozes and a pause (times are Unix times).
_V2_TO_V3 = """
CREATE TABLE saved_day (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    saved_at REAL NOT NULL,
    last_input REAL NOT NULL,
    active_s REAL NOT NULL CHECK (active_s >= 0),
    presence_s REAL NOT NULL CHECK (presence_s >= 0),
    last_shown REAL,
    paused INTEGER NOT NULL CHECK (paused IN (0, 1)),
    paused_until REAL
);
CREATE TABLE kind_clock (
    kind TEXT PRIMARY KEY,
    into_s REAL NOT NULL,
    done_today INTEGER NOT NULL CHECK (done_today IN (0, 1)),
    not_before REAL
) WITHOUT ROWID;
"""

# MIGRATIONS[n] takes a file from version n to n + 1; version 0 is an empty file.
MIGRATIONS: Mapping[int, str] = MappingProxyType({0: SCHEMA_V1, 1: _V1_TO_V2, 2: _V2_TO_V3})
assert len(MIGRATIONS) == SCHEMA_VERSION


def default_db_path(env: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_STATE_HOME/breakd/breakd.db``, else ``~/.local/state/breakd/breakd.db``."""
    return state_dir(env) / "breakd.db"


def state_dir(env: Mapping[str, str] = os.environ) -> Path:
    xdg = env.get("XDG_STATE_HOME", "")
    # The XDG spec says to ignore a relative (or empty) value.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "breakd"
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "state" / "breakd"


# --- text forms of times (ISO 8601, so that text order is time order) ----------------------


def _minute_text(start: dt.datetime) -> str:
    return start.replace(second=0, microsecond=0).isoformat(timespec="minutes")


def _time_text(at: dt.datetime) -> str:
    return at.isoformat(timespec="seconds")


def _parse_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _parse_day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- the store -----------------------------------------------------------------------------


class Store:
    """One open statistics file. Not thread-safe: use it from one thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self._conn = conn
        self.path = path
        self.readonly = readonly

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> Store:
        """Open (read-write: create and migrate) the file at ``path``.

        ``readonly`` never creates or changes anything: ``FileNotFoundError`` if there is no
        file, ``StoreError`` if it needs a migration that only the daemon may do.
        """
        path = Path(path)
        conn = _connect_readonly(path) if readonly else _connect_readwrite(path)
        try:
            if readonly:
                _check_readable(conn)
            else:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            not_ours = N_("{path}: not a breakd statistics file ({error})")
            raise StoreError(phrase(not_ours, path=str(path), error=str(exc))) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, readonly)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def write(
        self,
        minutes: Sequence[MinuteRow] = (),
        events: Sequence[ReminderEvent] = (),
        breaks: Sequence[BreakRow] = (),
        day: SavedDay | None = None,
    ) -> None:
        """Write one batch in one transaction. A minute written again is added to; ``day``
        replaces the day saved before."""

        def body() -> None:
            self._write_rows(minutes, events, breaks)
            if day is not None:
                self._save_day(day)

        self._transaction(body)

    def _save_day(self, day: SavedDay) -> None:
        for clock in day.kinds:
            if clock.kind not in KINDS:
                raise ValueError(f"unknown reminder kind {clock.kind!r}; expected one of {KINDS}")
        self._conn.execute(
            "INSERT OR REPLACE INTO saved_day (id, saved_at, last_input, active_s, presence_s,"
            " last_shown, paused, paused_until) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
            (
                day.saved_at,
                day.last_input,
                max(day.active_s, 0.0),
                max(day.presence_s, 0.0),
                day.last_shown,
                int(day.paused),
                day.paused_until,
            ),
        )
        # A kind disabled since is not carried: its clock starts afresh if enabled again.
        self._conn.execute("DELETE FROM kind_clock")
        self._conn.executemany(
            "INSERT INTO kind_clock (kind, into_s, done_today, not_before) VALUES (?, ?, ?, ?)",
            [(k.kind, k.into_s, int(k.done_today), k.not_before) for k in day.kinds],
        )

    def _write_rows(
        self,
        minutes: Sequence[MinuteRow],
        events: Sequence[ReminderEvent],
        breaks: Sequence[BreakRow],
    ) -> None:
        for event in events:
            _check_event(event)
        # Summing, because the daemon may flush part of a minute and later the rest. A minute
        # holds at most 60 s, so the sums are capped there rather than ever reading as more.
        self._conn.executemany(
            "INSERT INTO minute (start, present_s, active_s, keys, clicks, motions)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (start) DO UPDATE SET"
            " present_s = min(60.0, present_s + excluded.present_s),"
            " active_s = min(60.0, active_s + excluded.active_s),"
            " keys = keys + excluded.keys, clicks = clicks + excluded.clicks,"
            " motions = motions + excluded.motions",
            [
                (_minute_text(m.start), m.present_s, m.active_s, m.keys, m.clicks, m.motions)
                for m in minutes
            ],
        )
        self._conn.executemany(
            "INSERT INTO event (at, reminder_id, kind, event, repeat) VALUES (?, ?, ?, ?, ?)",
            [(_time_text(e.at), e.reminder_id, e.kind, e.event, e.repeat) for e in events],
        )
        # A break reported again (say, with a later end) replaces the earlier report.
        self._conn.executemany(
            'INSERT OR REPLACE INTO natural_break (start, "end") VALUES (?, ?)',
            [(_time_text(b.start), _time_text(b.end)) for b in breaks],
        )

    def add_checkin(self, day: dt.date, score: int, note: str | None) -> None:
        """Record the day's check-in; a later one for the same day replaces its score, and
        its note too if it brings one (``None`` keeps the note given earlier)."""
        if not 0 <= score <= 10:
            raise ValueError(f"check-in score {score} is not from 0 to 10")
        now = _time_text(dt.datetime.now())
        self._transaction(
            lambda: self._conn.execute(
                "INSERT INTO checkin (day, score, note, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (day) DO UPDATE SET score = excluded.score,"
                " note = coalesce(excluded.note, note), at = excluded.at",
                (day.isoformat(), score, note, now),
            )
        )

    def record_notice(self, key: str, at: dt.datetime) -> bool:
        """Remember that the notice ``key`` was given; False if it already had been."""

        def insert() -> bool:
            cursor = self._conn.execute(
                "INSERT OR IGNORE INTO notice (key, at) VALUES (?, ?)", (key, _time_text(at))
            )
            return cursor.rowcount == 1

        return self._transaction(insert)

    def rollup(
        self, keep_minutes_days: int, today: dt.date, *, day_starts: dt.time = DEFAULT_DAY_STARTS
    ) -> int:
        """Sum the minutes of days before ``today - keep_minutes_days`` into day rows.

        Whole days only (days begin at ``day_starts``, as for the daily limit), so a day's
        longest sitting stretch is computed from all of its minutes. Returns the number of
        minute rows rolled up (and deleted).
        """
        cutoff_day = today - dt.timedelta(days=keep_minutes_days)
        cutoff = _minute_text(dt.datetime.combine(cutoff_day, day_starts))
        return self._transaction(lambda: self._rollup_before(cutoff, day_starts))

    def _rollup_before(self, cutoff: str, day_starts: dt.time) -> int:
        rows = self._conn.execute(
            "SELECT start, present_s, active_s, keys, clicks, motions FROM minute"
            " WHERE start < ? ORDER BY start",
            (cutoff,),
        ).fetchall()
        if not rows:
            return 0
        minutes = [_minute_row(r) for r in rows]
        first = minutes[0].start - dt.timedelta(days=1)
        breaks = self._breaks_between(_time_text(first), cutoff)
        for day in day_rows_from_minutes(minutes, breaks, day_starts):
            self._conn.execute(
                "INSERT INTO day (day, present_s, active_s, keys, clicks, motions,"
                " longest_sitting_s) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (day) DO UPDATE SET"
                " present_s = present_s + excluded.present_s,"
                " active_s = active_s + excluded.active_s,"
                " keys = keys + excluded.keys, clicks = clicks + excluded.clicks,"
                " motions = motions + excluded.motions,"
                " longest_sitting_s = max(longest_sitting_s, excluded.longest_sitting_s)",
                (
                    day.day.isoformat(),
                    day.present_s,
                    day.active_s,
                    day.keys,
                    day.clicks,
                    day.motions,
                    day.longest_sitting_s,
                ),
            )
        self._conn.execute("DELETE FROM minute WHERE start < ?", (cutoff,))
        return len(minutes)

    def _transaction(self, body: Callable[[], _T]) -> _T:
        if self.readonly:
            raise StoreError(phrase(N_("{path}: opened read-only"), path=str(self.path)))
        # IMMEDIATE: take the write lock up front, so a reader never makes a batch fail halfway.
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            result = body()
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        return result

    # --- reading ---------------------------------------------------------------------------

    def history(
        self, first: dt.date, last: dt.date, *, day_starts: dt.time = DEFAULT_DAY_STARTS
    ) -> History:
        """Everything stored for the days ``first`` to ``last`` (inclusive)."""
        lo = dt.datetime.combine(first, day_starts)
        hi = dt.datetime.combine(last + dt.timedelta(days=1), day_starts)
        lo_text, hi_text = _time_text(lo), _time_text(hi)
        # One read transaction, so the parts agree even while the daemon writes.
        self._conn.execute("BEGIN")
        try:
            return History(
                first=first,
                last=last,
                minutes=self._minutes_between(lo_text, hi_text),
                days=self._days_between(first, last),
                events=self._events_between(lo_text, hi_text),
                # A break that began the evening before still ended today.
                breaks=self._breaks_between(_time_text(lo - dt.timedelta(days=1)), hi_text),
                checkins=self.checkins(first, last),
            )
        finally:
            self._conn.execute("COMMIT")

    def checkins(self, first: dt.date, last: dt.date) -> tuple[Checkin, ...]:
        rows = self._conn.execute(
            "SELECT day, score, note FROM checkin WHERE day BETWEEN ? AND ? ORDER BY day",
            (first.isoformat(), last.isoformat()),
        )
        return tuple(Checkin(_parse_day(d), s, n) for d, s, n in rows)

    def saved_day(self) -> SavedDay | None:
        """The day the daemon saved last, or None if it never saved one."""
        self._conn.execute("BEGIN")
        try:
            row = self._conn.execute(
                "SELECT saved_at, last_input, active_s, presence_s, last_shown, paused,"
                " paused_until FROM saved_day WHERE id = 1"
            ).fetchone()
            clocks = self._conn.execute(
                "SELECT kind, into_s, done_today, not_before FROM kind_clock"
            ).fetchall()
        finally:
            self._conn.execute("COMMIT")
        if row is None:
            return None
        saved_at, last_input, active, presence, last_shown, paused, paused_until = row
        clocks.sort(key=lambda row: KINDS.index(row[0]))  # in KINDS order, as written
        kinds = tuple(KindClock(k, into, bool(done), nb) for k, into, done, nb in clocks)
        return SavedDay(
            saved_at, last_input, active, presence, kinds, last_shown, bool(paused), paused_until
        )

    def notice_given(self, key: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM notice WHERE key = ?", (key,)).fetchone()
        return row is not None

    def _minutes_between(self, lo: str, hi: str) -> tuple[MinuteRow, ...]:
        rows = self._conn.execute(
            "SELECT start, present_s, active_s, keys, clicks, motions FROM minute"
            " WHERE start >= ? AND start < ? ORDER BY start",
            (lo, hi),
        )
        return tuple(_minute_row(r) for r in rows)

    def _days_between(self, first: dt.date, last: dt.date) -> tuple[DayRow, ...]:
        rows = self._conn.execute(
            "SELECT day, present_s, active_s, keys, clicks, motions, longest_sitting_s"
            " FROM day WHERE day BETWEEN ? AND ? ORDER BY day",
            (first.isoformat(), last.isoformat()),
        )
        return tuple(DayRow(_parse_day(r[0]), *r[1:]) for r in rows)

    def _events_between(self, lo: str, hi: str) -> tuple[ReminderEvent, ...]:
        rows = self._conn.execute(
            "SELECT at, reminder_id, kind, event, repeat FROM event"
            " WHERE at >= ? AND at < ? ORDER BY at, id",
            (lo, hi),
        )
        return tuple(ReminderEvent(_parse_time(r[0]), *r[1:]) for r in rows)

    def _breaks_between(self, lo: str, hi: str) -> tuple[BreakRow, ...]:
        rows = self._conn.execute(
            'SELECT start, "end" FROM natural_break WHERE start >= ? AND start < ? ORDER BY start',
            (lo, hi),
        )
        return tuple(BreakRow(_parse_time(s), _parse_time(e)) for s, e in rows)


def _minute_row(row: Iterable[object]) -> MinuteRow:
    start, present, active, keys, clicks, motions = row
    return MinuteRow(_parse_time(str(start)), present, active, keys, clicks, motions)  # type: ignore[arg-type]


def _check_event(event: ReminderEvent) -> None:
    # Only the closed vocabularies reach the file: a free-text field could carry a title.
    if event.kind not in KINDS:
        raise ValueError(f"unknown reminder kind {event.kind!r}; expected one of {KINDS}")
    if event.event not in EVENTS:
        raise ValueError(f"unknown reminder event {event.event!r}; expected one of {EVENTS}")


# --- connecting and migrating --------------------------------------------------------------


def _connect_readwrite(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Create the file ourselves so it is private from the start (SQLite would use the umask);
    # its -wal and -shm files get the same mode.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    # isolation_level=None: transactions are begun and ended explicitly, never implicitly.
    # check_same_thread=False: the daemon writes from its scheduler and control threads in
    # turn, under its own lock; one connection used by one thread at a time is safe.
    return sqlite3.connect(
        path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )


def _connect_readonly(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise FileNotFoundError(path)
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_S, isolation_level=None)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


_NEWER_FILE = N_(
    "the statistics file has schema version {version}, newer than this breakd's {reads}; "
    "update breakd"
)


def _check_readable(conn: sqlite3.Connection) -> None:
    version = schema_version(conn)
    if version != SCHEMA_VERSION:
        newer = version > SCHEMA_VERSION
        text = (
            _NEWER_FILE
            if newer
            else N_(
                "the statistics file has schema version {version}, this breakd reads {reads}; "
                "start the daemon once (`breakd run`) to upgrade it"
            )
        )
        raise StoreError(phrase(text, version=version, reads=SCHEMA_VERSION))


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file forward to ``SCHEMA_VERSION``, one version per transaction."""
    conn.execute("BEGIN IMMEDIATE")
    version = schema_version(conn)
    conn.execute("COMMIT")
    if version > SCHEMA_VERSION:
        raise StoreError(phrase(_NEWER_FILE, version=version, reads=SCHEMA_VERSION))
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the lock: another process may have migrated in the meantime.
            version = schema_version(conn)
            if version < SCHEMA_VERSION:
                for statement in _statements(MIGRATIONS[version]):
                    conn.execute(statement)
                version += 1
                conn.execute(f"PRAGMA user_version = {version:d}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return version


def _statements(script: str) -> list[str]:
    # executescript() would commit the open transaction; run the statements one by one.
    return [s.strip() for s in script.split(";") if s.strip()]
