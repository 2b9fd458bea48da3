"""Crash safety: a writer killed with SIGKILL at random moments never loses a committed batch."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from breakd.store.sqlite import Store

REPO = Path(__file__).resolve().parents[2]
ROWS_PER_BATCH = 5
START = dt.datetime(2025, 6, 3, 9, 0)

# Batch n writes ROWS_PER_BATCH new minutes (minute n*5 .. n*5+4 after START), one event and
# adds 1 to the keys of a shared counter minute (an upsert), then prints n once committed.
WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from breakd.store.sqlite import MinuteRow, ReminderEvent, Store

    path, first = Path(sys.argv[1]), int(sys.argv[2])
    start = dt.datetime(2025, 6, 3, 9, 0)
    counter = dt.datetime(2025, 6, 2, 9, 0)
    store = Store.open(path)
    n = first
    while True:
        minutes = [
            MinuteRow(start + dt.timedelta(minutes=n * 5 + i), 60.0, 30.0, n, 1, 1)
            for i in range(5)
        ]
        minutes.append(MinuteRow(counter, 0.0, 0.0, 1, 0, 0))
        event = ReminderEvent(start + dt.timedelta(minutes=n * 5), n, "sitting", "shown")
        store.write(minutes, [event])
        print(n, flush=True)
        n += 1
    """
)


def _run_and_kill(path: Path, first: int, rng: random.Random) -> int:
    """Start a writer, kill it with SIGKILL after a random while; the last batch it reported."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(first)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    # Wait until it writes at all (the interpreter starting is not the interesting part),
    # then let it run a random time so the kill lands at a random point of a batch.
    line = proc.stdout.readline()
    assert line.strip() == str(first), line
    time.sleep(rng.uniform(0.0, 0.3))
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read()
    proc.wait(timeout=10)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    reported = [int(x) for x in (line + rest).split()]
    return reported[-1]


def _check(path: Path, last_reported: int) -> int:
    """The file is intact and holds every batch up to the last reported; returns batch count."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    with Store.open(path, readonly=True) as store:
        history = store.history(
            START.date() - dt.timedelta(days=2), START.date() + dt.timedelta(days=3650)
        )
    counter = [m for m in history.minutes if m.start.date() < START.date()]
    batch_minutes = [m for m in history.minutes if m.start.date() >= START.date()]
    batches = len(history.events)
    # Each batch is all there or not at all, and batches are contiguous from 0.
    assert len(batch_minutes) == batches * ROWS_PER_BATCH
    assert sorted(e.reminder_id for e in history.events) == list(range(batches))
    assert counter[0].keys == batches
    # Every batch reported committed is there; at most the one being reported may be extra.
    assert last_reported + 1 <= batches <= last_reported + 2
    return batches


def test_sigkill_never_loses_a_committed_batch(tmp_path: Path) -> None:
    path = tmp_path / "breakd.db"
    rng = random.Random(int(os.environ.get("BREAKD_CRASH_SEED", "20250603")))
    batches = 0
    for _ in range(6):
        last = _run_and_kill(path, batches, rng)
        batches = _check(path, last)
    assert batches > 6
