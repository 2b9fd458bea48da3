"""X11 input read in batches from the raw RECORD stream (issue 17), without an X server.

A fake RECORD stream (replies with their X server time and raw event data) goes through the
real ``RecordReader`` and ``InputWatcher`` in virtual time: a listener thread that blocks until
a reply arrives, handles what is there and rests ``TEST_DELAY`` as the reader asks. The
tests prove that batching loses no count, feeds exactly what unbatched reading feeds (same
kinds, same times: the X server's stamps), learns of each input at most ``TEST_DELAY`` late,
delays no reminder by more than that, and that no keycode reaches anything.
"""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import dataclass, field

import pytest

from breakd.adapters.input import (
    BATCH_DELAY,
    MOTION_COALESCE,
    InputWatcher,
    RecordReader,
    ServerClock,
    tally,
)
from breakd.core.types import InputKind, Show
from tests.core.conftest import make_config
from tests.core.sim import Sim

TEST_DELAY = BATCH_DELAY  # the batching these tests prove is the one breakd runs with

KEY_PRESS, KEY_RELEASE, BUTTON_PRESS, BUTTON_RELEASE, MOTION = 2, 3, 4, 5, 6
SENT = 0x80  # a SendEvent's type byte has the top bit set
CLOCK_OFFSET = 5000.25  # breakd's clock minus the X server's (they share no epoch)


def event(kind: int, rng: random.Random | None = None) -> bytes:
    """A 32-byte core event: the type byte, then bytes that stand for the keycode (byte 1),
    the time, windows and coordinates: random when ``rng`` is given."""
    rest = bytes(rng.randrange(256) for _ in range(31)) if rng else bytes(31)
    return bytes([kind]) + rest


@dataclass(frozen=True)
class Reply:
    """One RECORD reply: when it reaches the socket (breakd's clock), its X server time in
    ms (the time of its first event) and its raw data."""

    arrives: float
    server_ms: int
    data: bytes


def stream(events: list[tuple[float, int]], rng: random.Random | None = None) -> list[Reply]:
    """One reply per event, as a real X server sends them (time in s on breakd's clock)."""
    replies = []
    for t, kind in events:
        ms = round(t * 1000)  # the server counts whole milliseconds
        replies.append(Reply(ms / 1000, ms - round(CLOCK_OFFSET * 1000), event(kind, rng)))
    return replies


def same_inputs(a: list[tuple[float, InputKind]], b: list[tuple[float, InputKind]]) -> bool:
    """The same kinds at the same times (to a microsecond: the clocks' offset is a float)."""
    return [k for _, k in a] == [k for _, k in b] and [t for t, _ in a] == pytest.approx(
        [t for t, _ in b], abs=1e-6
    )


@dataclass
class Run:
    """What a listener fed, and how it spent its time."""

    fed: list[tuple[float, float, InputKind]] = field(default_factory=list)  # (at, when, kind)
    wakeups: list[float] = field(default_factory=list)  # woken by data or by a rest's end
    rests: int = 0

    def inputs(self) -> list[tuple[float, InputKind]]:
        return [(when, kind) for _at, when, kind in self.fed]


def listen(replies: list[Reply], *, batched: bool = True, count_input: bool = True) -> Run:
    """The listener thread in virtual time: block until a reply arrives, hand it to the reader
    (which may rest), go on with whatever arrived meanwhile."""
    run = Run()
    now = [0.0]

    def clock() -> float:
        return now[0]

    def rest(seconds: float) -> None:
        assert batched
        run.rests += 1
        now[0] += seconds
        run.wakeups.append(now[0])

    handling = [0]  # the index of the reply being handled

    def more_waiting() -> bool:
        following = handling[0] + 1
        return following < len(replies) and replies[following].arrives <= now[0]

    watcher = InputWatcher(
        lambda kind: pytest.fail("batched input must be fed with its time"),
        clock,
        threading.Event(),
        count_input=count_input,
        feed_at=lambda when, kind: run.fed.append((now[0], when, kind)),
    )
    reader = RecordReader(
        watcher._on_counts, clock, more_waiting if batched else lambda: True, rest, TEST_DELAY
    )
    for i, reply in enumerate(replies):
        handling[0] = i
        if reply.arrives > now[0]:  # blocked in the socket until it came
            now[0] = reply.arrives
            run.wakeups.append(now[0])
        reader.reply(0, reply.server_ms, reply.data)
    return run


def typing(start: float, seconds: float, per_s: float, kinds: tuple[int, ...]) -> list:
    """Steady input: ``per_s`` events a second, cycling through ``kinds``."""
    n = int(seconds * per_s)
    return [(start + i / per_s, kinds[i % len(kinds)]) for i in range(n)]


# A morning in miniature: typing with the pointer, a pause, a burst of heavy motion (a real
# mouse at 500 events/s), clicks and scrolls, pauses long and short.
MORNING = sorted(
    typing(10.0, 30, 10, (KEY_PRESS, MOTION))
    + typing(45.0, 5, 500, (MOTION,))
    + typing(52.0, 20, 4, (BUTTON_PRESS, BUTTON_RELEASE, KEY_PRESS | SENT, MOTION))
    + typing(75.3, 0.5, 10, (KEY_PRESS,))
    + typing(200.0, 60, 12, (KEY_PRESS, KEY_PRESS, MOTION, BUTTON_PRESS))
)


def test_tally_counts_presses_clicks_and_motion_by_the_type_byte_alone():
    types = (KEY_PRESS, KEY_RELEASE, KEY_PRESS | SENT, BUTTON_PRESS, BUTTON_RELEASE)
    data = b"".join(event(k) for k in (*types, MOTION, MOTION | SENT, BUTTON_PRESS | SENT))
    assert tally(data) == (2, 2, 2)
    assert tally(memoryview(data)) == (2, 2, 2)  # python-xlib may hand over a view
    assert tally(b"") == (0, 0, 0)


def test_batching_loses_no_count_and_feeds_what_unbatched_reading_feeds():
    replies = stream(MORNING)
    batched, unbatched = listen(replies), listen(replies, batched=False)
    assert same_inputs(batched.inputs(), unbatched.inputs())
    kinds = [kind for _, kind in batched.inputs()]
    assert kinds.count(InputKind.KEY) == sum(k & 0x7F == KEY_PRESS for _, k in MORNING)
    assert kinds.count(InputKind.CLICK) == sum(k & 0x7F == BUTTON_PRESS for _, k in MORNING)


def test_inputs_keep_the_x_servers_time_and_arrive_at_most_batch_delay_late():
    replies = stream(MORNING)
    run = listen(replies)
    times = {r.server_ms: r.arrives for r in replies}
    for at, when, _kind in run.fed:
        assert when == pytest.approx(min(times.values(), key=lambda t: abs(t - when)), abs=1e-3)
        assert when - 1e-6 <= at <= when + TEST_DELAY + 1e-6


def test_motion_is_still_coalesced_to_one_a_second_by_when_it_happened():
    moves = typing(10.0, 4.2, 500, (MOTION,))  # 2100 motion events in 4.2 s
    run = listen(stream(moves))
    assert [when for when, _ in run.inputs()] == pytest.approx([10.0, 11.0, 12.0, 13.0, 14.0])
    assert {kind for _, kind in run.inputs()} == {InputKind.MOTION}
    times = [when for when, _ in run.inputs()]
    assert all(b - a >= MOTION_COALESCE for a, b in itertools.pairwise(times))


def test_presence_only_mode_feeds_only_coalesced_presence():
    run = listen(stream(typing(10.0, 3, 10, (KEY_PRESS, BUTTON_PRESS))), count_input=False)
    assert run.inputs() == [(10.0, InputKind.MOTION), (11.0, InputKind.MOTION),
                            (12.0, InputKind.MOTION)]  # fmt: skip


def test_under_load_a_listener_wakes_about_once_a_second_and_idle_not_at_all():
    load = typing(10.0, 60, 20, (KEY_PRESS, MOTION)) + typing(70.0, 30, 500, (MOTION,))
    run = listen(stream(sorted(load)))
    assert len(run.wakeups) <= 2 * 90 + 2  # ~1 data + 1 rest per second, for 90 s of input
    assert run.wakeups[-1] <= 100.0 + TEST_DELAY  # then blocked: nothing until the next input
    single = listen(stream([(10.0, KEY_PRESS)]))
    assert single.fed[0][0] == 10.0  # the first input after a quiet spell is seen at once
    assert single.wakeups == [10.0, 10.0 + TEST_DELAY]  # and one rest after it, no more


def test_a_late_reply_after_suspend_reanchors_the_server_clock():
    now = [100.0]
    stamps = ServerClock(lambda: now[0])
    assert stamps.stamp(40_000) == 100.0  # first reply: read at once
    now[0] = 105.5
    assert stamps.stamp(45_000) == 105.0  # read 0.5 s late: stamped when it happened
    now[0] = 4000.0  # suspended for an hour: breakd's clock counted it, the server's did not
    assert stamps.stamp(46_000) == 4000.0  # not an hour in the past
    now[0] = 4001.0
    assert stamps.stamp(2**32 - 1000) == pytest.approx(4001.0)  # the server's clock jumped on
    now[0] = 4002.5
    assert stamps.stamp(500) == pytest.approx(4002.5)  # its 32-bit milliseconds wrapped
    now[0] = 4003.0
    assert stamps.stamp(600) == pytest.approx(4002.6)


# The default typing grace, and one as short as the batch delay (the e2e config's 1 s):
# the engine must not take the time between two batches for a pause in typing.
@pytest.mark.parametrize(("grace_pause", "max_deferral"), [(3.0, 30.0), (1.0, 2.0)])
def test_batching_delays_no_reminder_by_more_than_the_batch_delay(grace_pause, max_deferral):
    config = make_config(
        ("sitting", "repetition", "posture"),
        sitting={"every": 120.0, "duration": 20.0},
        repetition={"max_actions": 600, "window": 120.0, "pause": 10.0, "repeat": 60.0},
        posture={"every": 300.0},
        activity={"active_gap": 2.0, "idle_after": 8.0, "natural_break": 20.0},
        notify={"grace_pause": grace_pause, "max_deferral": max_deferral, "min_gap": 1.0},
    )
    rng = random.Random(17)
    events: list[tuple[float, int]] = []
    t = 5.0
    while t < 1800.0:  # half an hour of bursts of typing and pointing with pauses between
        burst = rng.uniform(5, 90)
        events += typing(t, burst, rng.choice((4, 8, 12)), (KEY_PRESS, MOTION, BUTTON_PRESS))
        # Pauses of every length that matters, among them pauses just longer than a grace
        # pause (0.7, 1.3, 3.4 s): they end before the engine, reading input up to a batch
        # late, could see them as pauses going on.
        t += burst + rng.choice((0.5, 0.7, 1.3, 2.0, 3.4, 4.0, 9.0, 25.0))
    run = listen(stream(sorted(events)))
    shown = {}
    for name, deliveries, latency in (
        ("unbatched", [(when, when, kind) for _at, when, kind in run.fed], 0.0),
        ("batched", run.fed, TEST_DELAY),
    ):
        sim = Sim(config=config, input_latency=latency)
        for at, when, kind in deliveries:
            sim.run_until(at)
            sim.t = at
            if sim.engine.input(when, kind):
                sim._tick(at)
        sim.run_until(1900.0)
        shown[name] = [(t, a.reminder.kind) for t, a in sim.actions if isinstance(a, Show)]
    assert len(shown["unbatched"]) >= 10
    assert [k for _, k in shown["batched"]] == [k for _, k in shown["unbatched"]]
    for (late, _), (on_time, _) in zip(shown["batched"], shown["unbatched"], strict=True):
        # Later by at most the delay. Earlier only by a knock-on effect: a reminder shown
        # later is answered later, which moves the sliding count's buckets, so a later
        # micro-break can fall due a little sooner (the count is exact to one bucket).
        assert on_time - TEST_DELAY - 1e-6 <= late <= on_time + TEST_DELAY + 1e-6


def test_no_keycode_reaches_anything():
    """Two streams that differ in every byte but the type byte (keycodes, times, windows,
    coordinates): everything breakd feeds, and every attribute the watcher and the reader
    keep, is the same. So no keycode can reach the engine, a log or a store."""
    outcomes = []
    for seed in (1, 2):
        rng = random.Random(seed)
        replies = stream(MORNING, rng)
        assert len({r.data[1] for r in replies}) > 200  # the keycodes really differ
        run = listen(replies)
        outcomes.append(run.fed)
    assert outcomes[0] == outcomes[1]  # exactly: the same bytes where it matters
    assert {type(x).__name__ for row in outcomes[0] for x in row} == {"float", "InputKind"}


def test_nothing_of_the_raw_data_is_kept():
    rng = random.Random(3)
    data = b"".join(event(KEY_PRESS, rng) for _ in range(50))
    fed: list[tuple[float, InputKind]] = []
    watcher = InputWatcher(
        lambda kind: None, lambda: 1.0, threading.Event(), feed_at=lambda t, k: fed.append((t, k))
    )
    reader = RecordReader(watcher._on_counts, lambda: 1.0, lambda: True)
    reader.reply(0, 1000, data)
    assert len(fed) == 50
    kept = [*vars(watcher).values(), *vars(reader).values(), *vars(reader._stamps).values()]
    assert not any(isinstance(v, bytes | bytearray | memoryview) for v in kept)


def test_recording_is_known_from_the_servers_first_reply():
    # pynput says it is ready before it asks the server to record: the daemon says it
    # watches input only once the server's StartOfData reply came.
    counted: list[tuple[float, int, int, int]] = []
    reader = RecordReader(lambda *c: counted.append(c), lambda: 1.0, lambda: True)
    assert not reader.recording.is_set()
    reader.reply(4, 0, b"")  # StartOfData
    assert reader.recording.is_set()
    assert counted == []
