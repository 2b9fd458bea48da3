"""Activity and presence: what the input stream means, moment to moment.

Owns: the time of the last input, presence and active time accumulated so far, the start of
the current run of continuous use, the sliding count of keystrokes and clicks, and the list of
long gaps the engine has not looked at yet. ``on_input`` is the daemon's hot path: it does a
handful of float operations and returns whether the engine must be woken now (a minute
closed, a long gap ended: the engine judges a gap at its end, not whenever it next looks).

Must not: read a clock, keep any key identity, or decide anything about reminders.

Presence is counted with a tail: after each input the user counts as present for up to
``idle_after`` more seconds (reading and thinking at the desk is still sitting). So presence at
any moment is a pure function of the last input time, and it only ever grows. A screen lock
ends the tail where it began, for good: read during the lock or after it, the time locked was
away (keys typed while locked, such as the password, add no presence either).
"""

from __future__ import annotations

import math
from collections import deque

from breakd.config.model import ActivityConfig, RepetitionConfig
from breakd.core.types import InputKind, MinuteSample

_WINDOW_BUCKETS = 30  # the sliding count is kept in this many buckets; error <= one bucket
_MOTION = InputKind.MOTION


class ActivityMonitor:
    __slots__ = (
        "_active_gap",
        "_bucket_end",
        "_bucket_len",
        "_buckets",
        "_cur_count",
        "_fast_gap",
        "_idle_after",
        "_max_actions",
        "_minute_end",
        "_natural_break",
        "_pause",
        "_pause_watch",
        "_report_gap",
        "_snapshot",
        "_tail_end",
        "active",
        "clicks",
        "gaps",
        "held",
        "keys",
        "last_input",
        "locked_at",
        "minutes",
        "motions",
        "over_limit_at",
        "presence",
        "run_start",
        "typing_pause",
        "window_total",
    )

    def __init__(
        self,
        activity: ActivityConfig,
        repetition: RepetitionConfig,
        start: float,
        report_gap: float,
    ) -> None:
        # Starting counts as an input: breakd is started when the user sits down.
        self.last_input = start
        self.presence = 0.0
        self.active = 0.0
        self.run_start = start
        self.keys = 0
        self.clicks = 0
        self.motions = 0
        self.gaps: list[tuple[float, float]] = []
        # True while a presence source (no per-event input) says the user is active, or a
        # call goes on: then every moment counts as input, as if the user typed continuously.
        self.held = False
        # Set while the screen is locked: the user counts as away from that moment.
        self.locked_at: float | None = None
        # Where the last input's presence tail ends at the latest: at a screen lock, until the
        # first input after the unlock (so the tail reads the same during the lock and after it).
        self._tail_end = math.inf
        self.over_limit_at: float | None = None
        self.window_total = 0
        self._buckets: deque[int] = deque(maxlen=_WINDOW_BUCKETS)
        self._cur_count = 0
        self._bucket_end = start
        # Per-minute samples for statistics, closed on the first input after each minute.
        self.minutes: list[MinuteSample] = []
        self._minute_end = start + 60.0
        self._snapshot = (0.0, 0.0, 0, 0, 0)
        # While a reminder waits for a pause in typing: the shortest gap that is one (inf:
        # none watched), and the last such gap seen (start, end).
        self._pause_watch = math.inf
        self.typing_pause: tuple[float, float] | None = None
        self.configure(activity, repetition, report_gap)

    def configure(
        self, activity: ActivityConfig, repetition: RepetitionConfig, report_gap: float
    ) -> None:
        """Take new thresholds; counts and times so far are kept."""
        self._idle_after = activity.idle_after
        self._natural_break = activity.natural_break
        self._active_gap = activity.active_gap
        self._pause = repetition.pause
        self._max_actions = repetition.max_actions
        self._bucket_len = repetition.window / _WINDOW_BUCKETS
        self._report_gap = min(report_gap, activity.idle_after)
        self._set_fast_gap()

    def _set_fast_gap(self) -> None:
        # Gaps shorter than all thresholds need only two additions on the hot path; none do
        # while a lock cuts the tail short (0: every gap takes the careful path).
        fast = min(
            self._active_gap, self._idle_after, self._pause, self._report_gap, self._pause_watch
        )
        self._fast_gap = fast if self._tail_end == math.inf else 0.0

    # --- the hot path -------------------------------------------------------------------

    def on_input(self, t: float, kind: InputKind) -> bool:
        """Count one input at time ``t``. True when the engine must be asked what is due now."""
        gap = t - self.last_input
        if gap < 0.0:  # two listener threads raced for the clock: treat as simultaneous
            gap = 0.0
            t = self.last_input
        # A minute closed: True asks the daemon for a wake-up, which stores the sample.
        wake = t >= self._minute_end and self._close_minute(t)
        self.last_input = t
        if gap < self._fast_gap:  # the common case: one keystroke after another
            self.presence += gap
            self.active += gap
        elif self._after_gap(t, gap):
            wake = True
        if kind is _MOTION:
            self.motions += 1
            return wake
        if kind is InputKind.KEY:
            self.keys += 1
        else:
            self.clicks += 1
        if t >= self._bucket_end:
            self._roll_window(t)
        self._cur_count += 1
        self.window_total += 1
        if self.window_total > self._max_actions and self.over_limit_at is None:
            self.over_limit_at = t
            wake = True
        return wake

    def _after_gap(self, t: float, gap: float) -> bool:
        """Account for a gap that crosses at least one threshold (or follows a screen lock)."""
        if self.held:  # present throughout (a presence source or a call says so): no gap
            self.presence += gap
            self.active += gap
            return False
        counted = max(min(gap, self._tail_end - (t - gap)), 0.0)  # nothing after a lock
        self.active += min(counted, self._active_gap)
        self.presence += min(counted, self._idle_after)
        if self.locked_at is None and self._tail_end != math.inf:
            self._tail_end = math.inf  # the first input after the unlock: tails run again
            self._set_fast_gap()
        # A reminder waits for a pause in typing: this was one, the engine must look now.
        paused = gap >= self._pause_watch
        if paused:
            self.typing_pause = (t - gap, t)
        if gap >= self._pause:
            self.run_start = t
        if gap >= self._natural_break:
            # The hands rested: the actions before the break no longer count towards a
            # micro-break. Done here, before this input counts, so the result depends on the
            # input alone, not on when the engine happens to look at the break.
            self.reset_window(t)
        if gap >= self._report_gap:
            self.gaps.append((t - gap, t))
            # The engine must look now: a break that answers a reminder restarts its timer
            # from the presence counted at this moment, not at whatever later moment it
            # would next have looked (found by the property that extra wake-ups change
            # nothing).
            return True
        # Back from away: the pending wake-up may be gone or stale.
        return paused or gap >= self._idle_after

    # --- a restart: the previous daemon's readings ---------------------------------------

    def carry_over(
        self, last_input: float, presence: float, active: float, use: float, saved_at: float
    ) -> None:
        """Take up the readings a previous daemon left at ``last_input`` (``use``: seconds of
        continuous use then), the last of its minutes stored at ``saved_at``. Call before any
        input, then ``seen_at`` for the moment this daemon starts."""
        self.presence, self.active = presence, active
        self.last_input = last_input
        self.run_start = last_input - use
        # The statistics already hold the minutes up to ``saved_at``: count on from there.
        self._snapshot = (self.presence_at(saved_at), self.active_at(saved_at), 0, 0, 0)

    def seen_at(self, t: float) -> None:
        """The user is there at ``t`` without an input event (breakd starting): the time since
        the last input is a gap like any other, though no key or click is counted."""
        if t >= self._minute_end:
            self._close_minute(t)
        gap = max(t - self.last_input, 0.0)
        self.last_input = t
        if gap < self._fast_gap:
            self.presence += gap
            self.active += gap
        else:
            self._after_gap(t, gap)

    # --- derived values (pure functions of the state and a time) -----------------------

    def presence_at(self, t: float) -> float:
        return self.presence + self._tail(t, self._idle_after)

    def active_at(self, t: float) -> float:
        return self.active + self._tail(t, self._active_gap)

    def idle_for(self, t: float) -> float:
        return 0.0 if self.held else max(t - self.last_input, 0.0)

    def is_away(self, t: float) -> bool:
        if self.locked_at is not None:
            return True
        return not self.held and t - self.last_input >= self._idle_after

    def in_run(self, t: float) -> bool:
        """True while input continues without a rest of ``repetition.pause``."""
        return self.held or t - self.last_input < self._pause

    def _tail(self, t: float, cap: float) -> float:
        """Time since the last input that still counts (all of it while held)."""
        since = max(min(t, self._tail_end) - self.last_input, 0.0)
        return since if self.held else min(since, cap)

    # --- presence sources: activity as spans, not events -------------------------------

    def hold(self, t: float) -> bool:
        """The user became active (a presence source said so). True: wake the engine."""
        if self.held:
            return False
        wake = self.on_input(t, InputKind.MOTION)
        self.held = True
        return wake

    def release(self, t: float, idle_for: float) -> None:
        """The source says the user has been idle for ``idle_for`` seconds at ``t``."""
        if not self.held:
            return
        last = max(t - idle_for, self.last_input)
        span = last - self.last_input
        self.presence += span
        self.active += span
        self.last_input = last
        self.held = False

    def lock(self, t: float) -> None:
        """The screen was locked at ``t``: whoever was there has gone."""
        if self.locked_at is None:
            self.release(t, 0.0)
            self.locked_at = t
            self._tail_end = min(self._tail_end, t)
            self._set_fast_gap()

    def unlock(self) -> None:
        # The tail stays cut at the lock: the time locked was away, whenever it is read.
        self.locked_at = None

    @property
    def minute_end(self) -> float:
        return self._minute_end

    def catch_up(self, t: float) -> None:
        """Close the minutes that ended while held (no input events arrive then)."""
        while self.held and t >= self._minute_end:
            self._sample(self._minute_end - 60.0, self._minute_end)
            self._minute_end += 60.0

    # --- resets the engine asks for ----------------------------------------------------

    def watch_pauses(self, length: float) -> None:
        """Report gaps of at least ``length`` in ``typing_pause`` from now on (inf: stop).
        Gaps that short take the careful path only while watched: the hot path stays as is."""
        self._pause_watch = length
        self.typing_pause = None
        self._set_fast_gap()

    def take_gaps(self) -> list[tuple[float, float]]:
        gaps, self.gaps = self.gaps, []
        return gaps

    def reset_window(self, t: float) -> None:
        self._buckets.clear()
        self._cur_count = 0
        self.window_total = 0
        self._bucket_end = t + self._bucket_len
        self.over_limit_at = None

    def align_minutes(self, minute_end: float) -> None:
        """Make sample minutes end where wall-clock minutes end."""
        self._minute_end = minute_end

    def take_minutes(self) -> list[MinuteSample]:
        minutes, self.minutes = self.minutes, []
        return minutes

    def close_partial_minute(self, t: float) -> None:
        """Sample the minute so far (at shutdown, and with each save of the day); the rest of
        it is sampled as usual. Minutes that ended before ``t`` are closed first."""
        if t >= self._minute_end:
            self._close_minute(t)
        self._sample(self._minute_end - 60.0, t)

    def _close_minute(self, t: float) -> bool:
        """Sample every minute that ended before ``t``; rare (at most once a minute).

        Minutes inside the presence tail of the last input (reading between keystrokes) are
        sampled one by one; past the tail nothing can have counted, so those are skipped."""
        tail_end = self.last_input + max(self._idle_after, self._active_gap)
        while self._minute_end <= t:
            if self._minute_end - 60.0 >= tail_end:  # past the tail: on to the minute of t
                self._minute_end += 60.0 * (int((t - self._minute_end) // 60.0) + 1)
                break
            self._sample(self._minute_end - 60.0, self._minute_end)
            self._minute_end += 60.0
        return True

    def _sample(self, start: float, end: float) -> None:
        # The presence/active tail after the last input is counted at the next input; the
        # part of it before ``end`` belongs to this minute.
        presence = self.presence + self._tail(end, self._idle_after)
        active = self.active + self._tail(end, self._active_gap)
        p0, a0, k0, c0, m0 = self._snapshot
        sample = MinuteSample(
            start=start,
            present=min(max(presence - p0, 0.0), 60.0),
            active=min(max(active - a0, 0.0), 60.0),
            keys=self.keys - k0,
            clicks=self.clicks - c0,
            motions=self.motions - m0,
        )
        self._snapshot = (presence, active, self.keys, self.clicks, self.motions)
        if sample.present or sample.keys or sample.clicks or sample.motions:
            self.minutes.append(sample)

    def reset_day(self) -> None:
        p0, a0, k0, c0, m0 = self._snapshot
        self._snapshot = (p0, a0 - self.active, k0, c0, m0)  # keep minute deltas right
        self.active = 0.0

    def _roll_window(self, t: float) -> None:
        """Close finished buckets; rare (once per bucket length), so it may loop."""
        elapsed = int((t - self._bucket_end) // self._bucket_len) + 1
        self._buckets.append(self._cur_count)
        for _ in range(min(elapsed - 1, _WINDOW_BUCKETS)):
            self._buckets.append(0)
        self._cur_count = 0
        self._bucket_end += elapsed * self._bucket_len
        # The deque holds the buckets before the current one; keep window-1 of them.
        while len(self._buckets) > _WINDOW_BUCKETS - 1:
            self._buckets.popleft()
        self.window_total = sum(self._buckets)
