"""A simulated daemon for the engine: drives it with virtual time exactly as the real daemon
does (input, wake-ups at ``next_wakeup``, commands), so whole workdays run in milliseconds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from breakd.config.model import Config
from breakd.core.engine import Engine
from breakd.core.types import Action, Command, InputKind, Kind, Reminder, Show

MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0)


def on_at(spans: list[tuple[int, bool]], index: int) -> bool:
    """Whether a switch recorded as (action index, on) changes was on at action ``index``."""
    state = False
    for when, on in spans:
        if when <= index:
            state = on
    return state


@dataclass
class Shown:
    t: float
    reminder: Reminder

    @property
    def kind(self) -> Kind:
        return self.reminder.kind


@dataclass
class Sim:
    config: Config = field(default_factory=Config)
    start_wall: dt.datetime = MONDAY_9AM
    seed: int = 0
    extra_wakes: tuple[float, ...] = ()  # spurious wake-ups, to prove they change nothing
    input_latency: float = 0.0  # how late input may arrive (batched X11 input)

    def __post_init__(self) -> None:
        self.t = 0.0
        self.engine = Engine(
            self.config, 0.0, self.start_wall, seed=self.seed, input_latency=self.input_latency
        )
        self.actions: list[tuple[float, Action]] = []
        self.wakeups: list[float] = []
        self.inputs: list[float] = [0.0]
        # (index into actions when it changed, on): ordered like the actions themselves
        self.dnd_spans: list[tuple[int, bool]] = []
        self.fullscreen_spans: list[tuple[int, bool]] = []
        self.call_spans: list[tuple[int, bool]] = []
        self.lock_spans: list[tuple[int, bool]] = []
        self._extra = sorted(self.extra_wakes)
        self.wake = self.engine.next_wakeup(0.0)

    # --- driving ------------------------------------------------------------------------

    def run_until(self, t_end: float) -> None:
        """Let time pass to ``t_end`` with no input, waking the engine when it asked."""
        while True:
            candidates = [w for w in (self.wake, *self._extra[:1]) if w is not None]
            nxt = min(candidates, default=None)
            if nxt is None or nxt > t_end:
                break
            if self._extra and nxt == self._extra[0]:
                self._extra.pop(0)
                nxt = max(nxt, self.t)
            self._tick(max(nxt, self.t))
        self.t = max(self.t, t_end)

    def input(self, t: float, kind: InputKind = InputKind.KEY) -> None:
        self.run_until(t)
        self.t = t
        self.inputs.append(t)
        if self.engine.input(t, kind):
            self._tick(t)

    def type(self, start: float, end: float, every: float = 1.0, kind=InputKind.KEY) -> None:
        """Steady input from ``start`` to ``end`` (inclusive of start)."""
        t = start
        while t < end:
            self.input(t, kind)
            t += every

    def began(self, t: float) -> None:
        """A presence source says the user became active at ``t``."""
        self.run_until(t)
        self.t = t
        if self.engine.activity_began(t):
            self._tick(t)
        else:
            self._reschedule(t)

    def ended(self, t: float, idle_for: float) -> None:
        """A presence source says the user has been idle ``idle_for`` s at ``t``."""
        self.run_until(t)
        self.t = t
        self.engine.activity_ended(t, idle_for)
        self._tick(t)  # as the daemon does: a reminder held back by the typing grace may go

    def do_not_disturb(self, on: bool, name: str = "do-not-disturb") -> None:
        """The desktop's do-not-disturb (``name``) changed now (the daemon then asks what is
        due). Recorded in ``dnd_spans`` as the desktop says it, whether the config respects it
        or not."""
        self.engine.set_desktop_dnd(name if on else None)
        self.dnd_spans.append((len(self.actions), on))
        self._tick(self.t)

    def fullscreen(self, on: bool) -> None:
        """A fullscreen window got or lost the focus now (the daemon then asks what is due)."""
        self.engine.set_fullscreen(on)
        self.fullscreen_spans.append((len(self.actions), on))
        self._tick(self.t)

    def reconfigure(self, config: Config) -> None:
        """A reload now: the engine takes ``config`` and the daemon asks what is due."""
        self.config = config
        self.engine.reconfigure(config, self.t)
        self._tick(self.t)

    def call(self, reason: str | None) -> None:
        """A call began now ("microphone in use"), or ended (None); the daemon then asks."""
        self.engine.set_in_call(reason, self.t)
        self.call_spans.append((len(self.actions), reason is not None))
        self._tick(self.t)

    def lock(self, locked: bool) -> None:
        self.engine.set_locked(locked, self.t)
        self.lock_spans.append((len(self.actions), locked))
        self._tick(self.t)

    def idle(self, until: float) -> None:
        self.run_until(until)

    def command(self, cmd: Command) -> list[Action]:
        actions = self.engine.command(cmd, self.t)
        self._record(self.t, actions)
        self._reschedule(self.t)
        return actions

    def _tick(self, now: float) -> None:
        self.t = now
        self.wakeups.append(now)
        self._record(now, self.engine.advance(now))
        self._reschedule(now)

    def _reschedule(self, now: float) -> None:
        wake = self.engine.next_wakeup(now)
        assert wake is None or wake > now, f"wake-up {wake} not after now {now}"
        self.wake = wake

    def _record(self, now: float, actions: list[Action]) -> None:
        self.actions.extend((now, a) for a in actions)

    # --- reading ------------------------------------------------------------------------

    @property
    def shown(self) -> list[Shown]:
        return [Shown(t, a.reminder) for t, a in self.actions if isinstance(a, Show)]

    def shown_kinds(self) -> list[Kind]:
        return [s.kind for s in self.shown]

    def of(self, action_type: type) -> list[tuple[float, Action]]:
        return [(t, a) for t, a in self.actions if isinstance(a, action_type)]
