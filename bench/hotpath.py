"""The engine alone, in this process: the per-event cost of the hot path, and a simulated week.

No desktop is needed. The daemon is built as tests/test_daemon.py builds it (a fake notifier,
the scheduler never started), so ``on_input`` runs exactly the code pynput's callback runs:
the lock, a clock read, the engine's input. Loop overhead is included in every figure (it is
small next to a Python call, and excluding it would flatter the result).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from breakd.config.model import Config
from breakd.core.engine import Engine
from breakd.core.types import Action, InputKind, Reminder, Show

MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0)
EVENTS = 200_000
REPEATS = 5
WEEK_DAYS, DAY_HOURS = 5, 8


class _FakeClock:
    """A clock the benchmark moves by hand (100 ms per event: a fast typist)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        self.t += 0.1
        return self.t


class _FakeNotifier:
    def __init__(self) -> None:
        self.shown = 0

    def show(self, reminder: Reminder) -> bool:
        self.shown += 1
        return True


def _best_ns_per_call(run: Callable[[], None], calls: int) -> float:
    """Median over a few repeats, in ns per call (medians resist a noisy neighbour)."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter_ns()
        run()
        times.append((time.perf_counter_ns() - start) / calls)
    return statistics.median(times)


def engine_input_ns() -> float:
    """``Engine.input(t, kind)``: keys 100 ms apart, the common fast path."""
    engine = Engine(Config(), 0.0, MONDAY_9AM)
    inp, key = engine.input, InputKind.KEY
    stamps = [i * 0.1 for i in range(1, EVENTS + 1)]

    def run() -> None:
        for t in stamps:
            inp(t, key)

    return _best_ns_per_call(run, EVENTS)


def _daemon(clock: Callable[[], float] | None) -> object:
    from breakd.daemon import Daemon

    return Daemon(Config(), clock=clock, notifier=_FakeNotifier())


def daemon_on_input_ns(real_clock: bool) -> float:
    """``Daemon.on_input(kind)``: lock + clock + engine, with a fake or the real clock."""
    daemon = _daemon(None if real_clock else _FakeClock())
    feed, key = daemon.on_input, InputKind.KEY  # type: ignore[attr-defined]

    def run() -> None:
        for _ in range(EVENTS):
            feed(key)

    return _best_ns_per_call(run, EVENTS)


def callback_ns(which: str) -> float:
    """The pynput callbacks themselves (InputWatcher), feeding a real daemon, real clock."""
    import threading

    from breakd.adapters.clock import engine_clock
    from breakd.adapters.input import InputWatcher

    daemon = _daemon(None)
    watcher = InputWatcher(daemon.on_input, engine_clock(), threading.Event())  # type: ignore[attr-defined]
    if which == "key press":
        press = watcher._on_press

        def run() -> None:
            for _ in range(EVENTS):
                press(None)

    else:  # pointer motion, coalesced to one engine input a second
        move = watcher._on_move

        def run() -> None:
            for _ in range(EVENTS):
                move(1, 1)

    return _best_ns_per_call(run, EVENTS)


def record_reply_ns(what: str) -> float:
    """One raw RECORD reply through ``RecordReader`` (type bytes counted, stamped, fed to a
    real daemon, real clock): the per-batch cost of breakd's X11 input path, without the
    python-xlib reply parsing and the wake-up around it (those are in the process figures)."""
    import threading

    from breakd.adapters.clock import engine_clock
    from breakd.adapters.input import InputWatcher, RecordReader

    clock = engine_clock()
    daemon = _daemon(None)
    watcher = InputWatcher(daemon.on_input, clock, threading.Event(), feed_at=daemon.on_input_at)
    reader = RecordReader(watcher._on_counts, clock, lambda: True)
    event = bytes([2 if what == "key" else 6]) + bytes(31)
    data = event * (1 if what == "key" else 30)
    reply = reader.reply

    def run() -> None:
        for i in range(EVENTS // 10):
            reply(0, i, data)

    return _best_ns_per_call(run, EVENTS // 10)


def simulate_week() -> tuple[float, int, int]:
    """A 40-hour week: input every second 9:00-17:00 for 5 days, nights idle, driven like
    tests/core/sim.py (advance at next_wakeup and whenever input asks). Returns wall seconds,
    inputs and reminders shown."""
    start = time.perf_counter()
    engine = Engine(Config(), 0.0, MONDAY_9AM)
    wake = engine.next_wakeup(0.0)
    inputs = shown = 0
    for day in range(WEEK_DAYS):
        first = day * 86400.0
        for second in range(DAY_HOURS * 3600):
            t = first + second
            while wake is not None and wake <= t:
                shown += _count_shows(engine.advance(wake))
                wake = engine.next_wakeup(wake)
            inputs += 1
            if engine.input(t, InputKind.KEY):
                shown += _count_shows(engine.advance(t))
                wake = engine.next_wakeup(t)
    return time.perf_counter() - start, inputs, shown


def _count_shows(actions: list[Action]) -> int:
    return sum(isinstance(a, Show) for a in actions)


def run_all() -> dict[str, float]:
    """Every in-process figure, keyed as in the results JSON."""
    week_s, inputs, shown = simulate_week()
    return {
        "engine_input_ns": engine_input_ns(),
        "daemon_on_input_fake_clock_ns": daemon_on_input_ns(real_clock=False),
        "daemon_on_input_ns": daemon_on_input_ns(real_clock=True),
        "callback_key_press_ns": callback_ns("key press"),
        "callback_motion_ns": callback_ns("motion"),
        "record_key_reply_ns": record_reply_ns("key"),
        "record_motion_reply_ns": (motion := record_reply_ns("motion")),
        "record_motion_reply_per_event_ns": motion / 30,
        "week_40h_s": week_s,
        "week_inputs": inputs,
        "week_reminders": shown,
    }
