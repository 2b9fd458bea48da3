"""Rules: when each kind of reminder falls due.

A rule answers one question, "if the user stays at the desk from ``now`` on, when is this
reminder due?", from the activity monitor and the kind's anchor (the point its interval was
last restarted). The answer may be early, never late: input can only postpone a presence
or use timer, except where the monitor flags it (return from away, the action count), and
then the engine is woken anyway. Must not: show, merge, repeat or remember anything; that is
the engine's job.
"""

from __future__ import annotations

from dataclasses import dataclass

from breakd.config.model import Config
from breakd.core.activity import ActivityMonitor
from breakd.core.types import Kind, Urgency


@dataclass(frozen=True)
class PresenceRule:
    """Due after ``every`` seconds of presence since the anchor (a presence reading)."""

    kind: Kind
    every: float
    reset_on_natural_break: bool
    break_length: float | None  # an absence this long after the reminder means it was taken
    urgency: Urgency

    def due_at(self, now: float, monitor: ActivityMonitor, anchor: float) -> float | None:
        return now + (anchor + self.every - monitor.presence_at(now))

    def anchor_now(self, now: float, monitor: ActivityMonitor) -> float:
        return monitor.presence_at(now)

    def elapsed(self, now: float, monitor: ActivityMonitor, anchor: float) -> float:
        """Seconds into the interval at ``now`` (what a restart carries over)."""
        return monitor.presence_at(now) - anchor

    def anchor_after(self, elapsed: float, now: float, monitor: ActivityMonitor) -> float:
        """The anchor that puts ``now`` ``elapsed`` seconds into the interval."""
        return monitor.presence_at(now) - elapsed


@dataclass(frozen=True)
class ContinuousUseRule:
    """Due after ``every`` seconds of use with no rest of ``repetition.pause``, or as soon as
    the monitor counts more actions in its window than allowed. The anchor is an engine time."""

    kind: Kind
    every: float
    reset_on_natural_break: bool
    break_length: float | None
    urgency: Urgency

    def due_at(self, now: float, monitor: ActivityMonitor, anchor: float) -> float | None:
        if monitor.over_limit_at is not None:
            return monitor.over_limit_at
        if monitor.in_run(now):
            return max(monitor.run_start, anchor) + self.every
        return now + self.every  # resting now: a new run can start no earlier than now

    def anchor_now(self, now: float, monitor: ActivityMonitor) -> float:
        return now

    def elapsed(self, now: float, monitor: ActivityMonitor, anchor: float) -> float:
        return max(now - max(monitor.run_start, anchor), 0.0) if monitor.in_run(now) else 0.0

    def anchor_after(self, elapsed: float, now: float, monitor: ActivityMonitor) -> float:
        return now - elapsed


@dataclass(frozen=True)
class DailyRule:
    """Due once active time today reaches the limit. The anchor is unused."""

    kind: Kind
    limit: float
    reset_on_natural_break: bool
    break_length: float | None
    urgency: Urgency

    def due_at(self, now: float, monitor: ActivityMonitor, anchor: float) -> float | None:
        return now + (self.limit - monitor.active_at(now))

    def anchor_now(self, now: float, monitor: ActivityMonitor) -> float:
        return 0.0

    def elapsed(self, now: float, monitor: ActivityMonitor, anchor: float) -> float:
        return 0.0  # the active time today is the daily clock, carried over on its own

    def anchor_after(self, elapsed: float, now: float, monitor: ActivityMonitor) -> float:
        return 0.0


Rule = PresenceRule | ContinuousUseRule | DailyRule


@dataclass(frozen=True)
class RuleSettings:
    """The per-kind settings the engine needs beside the rule itself."""

    rule: Rule
    repeat: float
    max_repeats: int


def build_rules(config: Config) -> dict[Kind, RuleSettings]:
    """The enabled rules, keyed by kind, in priority order."""
    c = config
    table: list[tuple[bool, Rule, float, int]] = [
        (
            c.daily.enabled,
            DailyRule(Kind.DAILY, c.daily.limit, False, None, Urgency.NORMAL),
            c.daily.repeat,
            c.daily.max_repeats,
        ),
        (
            c.sitting.enabled,
            PresenceRule(Kind.SITTING, c.sitting.every, True, c.sitting.duration, Urgency.NORMAL),
            c.sitting.repeat,
            c.sitting.max_repeats,
        ),
        (
            c.repetition.enabled,
            ContinuousUseRule(
                Kind.REPETITION, c.repetition.every, True, c.repetition.pause, Urgency.NORMAL
            ),
            c.repetition.repeat,
            c.repetition.max_repeats,
        ),
        (
            c.posture.enabled,
            PresenceRule(Kind.POSTURE, c.posture.every, True, None, Urgency.LOW),
            c.posture.repeat,
            c.posture.max_repeats,
        ),
        (
            # Standing up does not mean drinking: water keeps counting through breaks.
            c.water.enabled,
            PresenceRule(Kind.WATER, c.water.every, False, None, Urgency.LOW),
            c.water.repeat,
            c.water.max_repeats,
        ),
    ]
    return {
        rule.kind: RuleSettings(rule, repeat, max_repeats)
        for enabled, rule, repeat, max_repeats in table
        if enabled
    }
