"""The engine's seat: the engine, the one lock that guards it, the clock and the wake-up.

Owns: the engine and its lock; the wake-up timer and what a wake-up does; the order of side
effects (what a turn of the engine asks for is queued under the lock, so effects are carried
out in the order the engine produced them, whichever thread asked).
Must not: do I/O or wait on anything while holding the lock (no D-Bus, no store, no log
beyond a line); decide anything (the engine decides); carry out effects (``effects`` does).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from breakd.adapters.timer import WakeTimer
from breakd.core.engine import RETRY_MAX, Engine
from breakd.core.types import Action, InputKind, MinuteSample

log = logging.getLogger("breakd")

Effect = Callable[[], None]


class EffectsQueue(Protocol):
    """What the host needs of ``effects.Effects`` (named here, so host imports nothing of it)."""

    def submit(self, effects: Iterable[Effect]) -> None: ...
    def settle_if_inline(self) -> None: ...
    def carry_out(self, actions: Sequence[Action]) -> None: ...
    def record(self, actions: Sequence[Action], minutes: Sequence[MinuteSample]) -> None: ...
    def new_day_if_needed(self) -> None: ...
    def publish(self) -> None: ...


class Turn:
    """One turn of the engine, under its lock: the time read for it, and the effects it asked
    for, in the order asked (queued when the turn ends, still under the lock)."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.effects: list[Effect] = []

    def then(self, step: Callable[..., None], *args: object) -> None:
        self.effects.append(functools.partial(step, *args))


class EngineHost:
    def __init__(self, engine: Engine, clock: Callable[[], float]) -> None:
        self.engine = engine
        self.clock = clock
        self._lock = threading.Lock()
        self.timer = WakeTimer(self.tick)
        self._engine_input = engine.input
        self.effects: EffectsQueue  # set by the wiring: host and effects refer to each other

    # --- the hot path (pynput's listener threads) -------------------------------------------

    def input(self, kind: InputKind) -> None:
        with self._lock:
            if self._engine_input(self.clock(), kind):
                self.timer.wake_now()

    def input_at(self, t: float, kind: InputKind) -> None:
        """An input that happened at ``t`` (up to a second ago: X11 input comes in batches)."""
        with self._lock:
            if self._engine_input(t, kind):
                self.timer.wake_now()

    # --- every other way in -----------------------------------------------------------------

    @contextmanager
    def turn(self) -> Iterator[Turn]:
        """The engine to oneself: ``with host.turn() as turn:`` read or drive the engine at
        ``turn.now`` and ask for effects with ``turn.then(...)``. They are queued before the
        lock is released (that is the order), and carried out by the effects lanes."""
        with self._lock:
            turn = Turn(self.clock())
            yield turn
            if turn.effects:
                self.effects.submit(turn.effects)
        self.effects.settle_if_inline()

    def reschedule(self, now: float) -> None:
        """Arrange the next wake-up. Call within a turn."""
        wake = self.engine.next_wakeup(now)
        self.timer.wake_in(None if wake is None else wake - now)

    # --- the wake-up (APScheduler's single worker) --------------------------------------------

    def tick(self) -> None:
        effects = self.effects
        try:
            with self.turn() as turn:
                now = turn.now
                self.engine.set_wall(now, dt.datetime.now())
                actions = self.engine.advance(now)
                minutes = self.engine.take_minutes()
                self.reschedule(now)
                turn.then(effects.carry_out, actions)
                turn.then(effects.record, actions, minutes)
                turn.then(effects.new_day_if_needed)
                # A wake-up also comes when the user is back from away: status bars must hear it.
                turn.then(effects.publish)  # free when nobody listens
        except Exception:  # the wake-up must survive anything, or reminders stop for good
            log.exception("internal error while checking reminders")
            self.timer.wake_in(self.wake_after_error())

    def wake_after_error(self) -> float:
        """Seconds until the next try after a failed wake-up: the engine's own wake-up, at
        most RETRY_MAX; RETRY_MAX when even asking the engine fails (never None: nothing
        else would ever wake it again)."""
        try:
            with self._lock:
                now = self.clock()
                wake = self.engine.next_wakeup(now)
        except Exception:
            log.exception("internal error while planning the next check")
            return RETRY_MAX
        return RETRY_MAX if wake is None else min(wake - now, RETRY_MAX)
