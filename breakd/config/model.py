"""The configuration as typed values, with breakd's defaults.

Durations are float seconds. The defaults here are the single source of truth; the shipped
``config/breakd.toml`` documents them (with the evidence behind each) and a test checks the
two agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

MINUTE = 60.0
HOUR = 3600.0

# How reminders reach the screen: "dbus" talks to the notification server directly (buttons,
# replacing repeats, withdrawing), "plyer" works on other platforms, "auto" picks.
ActivitySource = Literal["auto", "pynput", "mutter", "screensaver", "wayland-idle"]
NotifyBackend = Literal["auto", "dbus", "plyer"]


@dataclass(frozen=True)
class TimeRange:
    """A daily time-of-day range; crosses midnight when ``end <= start``."""

    start: dt.time
    end: dt.time

    def contains(self, t: dt.time) -> bool:
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class ActivityConfig:
    idle_after: float = 2 * MINUTE
    natural_break: float = 5 * MINUTE
    active_gap: float = 15.0
    count_input: bool = True
    source: ActivitySource = "auto"


@dataclass(frozen=True)
class SittingConfig:
    enabled: bool = True
    every: float = 30 * MINUTE
    duration: float = 5 * MINUTE
    repeat: float = 10 * MINUTE
    max_repeats: int = 2


@dataclass(frozen=True)
class RepetitionConfig:
    enabled: bool = True
    every: float = 20 * MINUTE
    pause: float = 30.0
    window: float = 10 * MINUTE
    max_actions: int = 3000
    repeat: float = 5 * MINUTE
    max_repeats: int = 1


@dataclass(frozen=True)
class WaterConfig:
    enabled: bool = True
    every: float = 60 * MINUTE
    repeat: float = 15 * MINUTE
    max_repeats: int = 0


@dataclass(frozen=True)
class PostureConfig:
    enabled: bool = True
    every: float = 40 * MINUTE
    repeat: float = 10 * MINUTE
    max_repeats: int = 0


@dataclass(frozen=True)
class DailyConfig:
    enabled: bool = True
    limit: float = 6 * HOUR
    day_starts: dt.time = dt.time(4, 0)
    repeat: float = 30 * MINUTE
    max_repeats: int = 0


@dataclass(frozen=True)
class NotifyConfig:
    min_gap: float = 5 * MINUTE
    snooze: float = 5 * MINUTE
    quiet_hours: tuple[TimeRange, ...] = ()
    backend: NotifyBackend = "auto"
    grace_pause: float = 3.0
    max_deferral: float = 60.0
    respect_dnd: bool = True
    hold_in_fullscreen: bool = True
    sound: str = "off"  # or a freedesktop sound-theme name, e.g. "message-new-instant"
    # "auto": from LANGUAGE / LC_ALL / LC_MESSAGES / LANG; else a language code ("de", "pt_BR")
    language: str = "auto"


@dataclass(frozen=True)
class ScheduleConfig:
    """Working hours per weekday. With no day set, reminders may come at any time; once any
    day is set, a day left empty has no reminders."""

    mon: tuple[TimeRange, ...] = ()
    tue: tuple[TimeRange, ...] = ()
    wed: tuple[TimeRange, ...] = ()
    thu: tuple[TimeRange, ...] = ()
    fri: tuple[TimeRange, ...] = ()
    sat: tuple[TimeRange, ...] = ()
    sun: tuple[TimeRange, ...] = ()

    @property
    def week(self) -> tuple[tuple[TimeRange, ...], ...]:
        """Monday first, as ``datetime.weekday()`` counts."""
        return (self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun)

    @property
    def active(self) -> bool:
        return any(self.week)


@dataclass(frozen=True)
class CheckinConfig:
    """The daily check-in notification (see ``breakd.core.checkin``)."""

    enabled: bool = True
    # A time of day, or None for "end": half an hour before the day's work ends.
    at: dt.time | None = None


@dataclass(frozen=True)
class StatsConfig:
    keep_minutes_days: int = 90


@dataclass(frozen=True)
class ContentConfig:
    """What reminders say. ``exclude`` lists catalog keys (``breakd movements``) to leave out;
    a kind whose every suggestion is excluded offers its full list again."""

    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallsConfig:
    """What counts as a call or meeting, during which reminders are held."""

    camera: bool = True
    microphone: bool = True
    screen_sharing: bool = True


# A hook's command: a list is the program and its arguments; a string is split like a shell
# would, and run by ``sh -c`` only with ``[hooks] shell = true``; "" or [] is no hook.
HookCommand = str | tuple[str, ...]


@dataclass(frozen=True)
class HooksConfig:
    """Commands run on breakd's events (see ``breakd.core.hooks``)."""

    shown: HookCommand = ""
    break_started: HookCommand = ""
    break_ended: HookCommand = ""
    paused: HookCommand = ""
    resumed: HookCommand = ""
    held: HookCommand = ""
    released: HookCommand = ""
    shell: bool = False
    timeout: float = 30.0


@dataclass(frozen=True)
class TrayConfig:
    """The tray icon (a StatusNotifierItem): "auto" shows it where a tray host runs and says
    so once in the log where none does; true also warns then; false never connects."""

    enabled: bool | Literal["auto"] = "auto"


@dataclass(frozen=True)
class Config:
    activity: ActivityConfig = field(default_factory=ActivityConfig)
    sitting: SittingConfig = field(default_factory=SittingConfig)
    repetition: RepetitionConfig = field(default_factory=RepetitionConfig)
    water: WaterConfig = field(default_factory=WaterConfig)
    posture: PostureConfig = field(default_factory=PostureConfig)
    daily: DailyConfig = field(default_factory=DailyConfig)
    checkin: CheckinConfig = field(default_factory=CheckinConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    stats: StatsConfig = field(default_factory=StatsConfig)
    content: ContentConfig = field(default_factory=ContentConfig)
    calls: CallsConfig = field(default_factory=CallsConfig)
    hooks: HooksConfig = field(default_factory=HooksConfig)
    tray: TrayConfig = field(default_factory=TrayConfig)
