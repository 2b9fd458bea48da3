"""Which activity source a session gets: pure decision logic over the environment and probes.

Owns: the order of preference and the words that explain a choice. ``choose_source`` does no
I/O itself; everything it needs to know about the desktop comes from ``probes`` (``Probes``
below; ``LiveProbes`` asks the real session bus and compositor), so tests inject answers.

Must not: start any source. The daemon starts what was chosen, and exits 78 with
``Choice.explain()`` when nothing is usable.

``auto``: X11 -> pynput; Wayland -> mutter (GNOME), then wayland-idle (ext-idle-notify: pushed,
so preferred over polling), then screensaver (KDE's GetSessionIdleTime, least polling).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from breakd.adapters.presence import SCREENSAVER_NAME, PresenceSource, SourceUnavailable

SETTINGS = ("auto", "pynput", "mutter", "screensaver", "wayland-idle")
MUTTER_NAME = "org.gnome.Mutter.IdleMonitor"
EXT_IDLE = "ext_idle_notifier_v1"


class Probes(Protocol):
    def bus_name_has_owner(self, name: str) -> bool: ...

    def wayland_globals(self) -> frozenset[str]:
        """Interface names the compositor offers; ``SourceUnavailable`` if unreachable."""
        ...

    def screensaver_idle_time(self) -> bool:
        """True if org.freedesktop.ScreenSaver answers GetSessionIdleTime with a number."""
        ...


class NoProbes:
    """The answers where there is no D-Bus or Wayland to ask (macOS, Windows)."""

    def bus_name_has_owner(self, name: str) -> bool:
        return False

    def wayland_globals(self) -> frozenset[str]:
        raise SourceUnavailable("no Wayland on this platform")

    def screensaver_idle_time(self) -> bool:
        return False


def session_probes(env: Mapping[str, str], platform: str = sys.platform) -> Probes:
    """The live probes for this session (imported only here: they need jeepney, Linux only)."""
    if not platform.startswith("linux"):
        return NoProbes()
    from breakd.adapters.presence.probes import LiveProbes

    return LiveProbes(env)


@dataclass(frozen=True)
class Attempt:
    source: str
    reason: str  # why it was not taken; "" for the one chosen


@dataclass(frozen=True)
class Choice:
    source: str | None  # None: nothing usable
    tried: tuple[Attempt, ...]
    warning: str = ""  # e.g. pynput chosen by hand on Wayland

    def explain(self) -> str:
        if self.source is not None:
            return f"activity source: {self.source}" + (
                f" ({self.warning})" if self.warning else ""
            )
        lines = ["no usable activity source; tried:"]
        lines += [f"  {a.source}: {a.reason}" for a in self.tried]
        return "\n".join(lines)


def session_type(env: Mapping[str, str]) -> str:
    """ "x11", "wayland" or "" (no graphical session), from XDG_SESSION_TYPE or the displays."""
    declared = env.get("XDG_SESSION_TYPE", "").strip().lower()
    if declared in ("x11", "wayland"):
        return declared
    # A systemd user service may lack XDG_SESSION_TYPE: WAYLAND_DISPLAY wins (XWayland sets
    # DISPLAY too on a Wayland session).
    if env.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "x11" if env.get("DISPLAY") else ""


def pynput_is_blind(env: Mapping[str, str]) -> bool:
    """pynput on a Wayland session sees only XWayland clients' input: near-blind."""
    return session_type(env) == "wayland"


def choose_source(
    env: Mapping[str, str], setting: str, probes: Probes, platform: str = sys.platform
) -> Choice:
    if setting not in SETTINGS:
        raise ValueError(f"unknown activity source {setting!r}; allowed: {', '.join(SETTINGS)}")
    if not platform.startswith("linux") and setting in ("auto", "pynput"):
        # macOS and Windows: pynput's own backends see input; no X display is involved.
        return Choice("pynput", (Attempt("pynput", ""),))
    session = session_type(env)
    if setting == "auto":
        order: tuple[str, ...] = (
            ("pynput",) if session == "x11" else ("mutter", "wayland-idle", "screensaver")
        )
    else:
        order = (setting,)
    tried: list[Attempt] = []
    for source in order:
        reason = _why_not(source, env, session, probes, forced=setting != "auto")
        if not reason:
            return Choice(source, (*tried, Attempt(source, "")), _warning(source, env))
        tried.append(Attempt(source, reason))
    if not session:
        tried.insert(0, Attempt("session", "no graphical session (DISPLAY, WAYLAND_DISPLAY unset)"))
    return Choice(None, tuple(tried))


def _warning(source: str, env: Mapping[str, str]) -> str:
    if source == "pynput" and pynput_is_blind(env):
        return "Wayland session: pynput sees only XWayland windows' input"
    return ""


def _why_not(
    source: str, env: Mapping[str, str], session: str, probes: Probes, *, forced: bool
) -> str:
    """Why ``source`` cannot be used here ("" if it can)."""
    if source == "pynput":
        if not env.get("DISPLAY"):
            return "no X display (DISPLAY is not set)"
        return ""
    if not session:
        return "no graphical session (DISPLAY and WAYLAND_DISPLAY are not set)"
    if source == "mutter":
        return _why_not_mutter(env, probes, forced=forced)
    if source == "wayland-idle":
        return _why_not_wayland_idle(env, probes)
    if source == "screensaver":
        return _why_not_screensaver(probes)
    raise ValueError(source)


def _why_not_mutter(env: Mapping[str, str], probes: Probes, *, forced: bool) -> str:
    desktop = env.get("XDG_CURRENT_DESKTOP", "")
    if not forced and "GNOME" not in desktop.upper().split(":"):
        return f"not a GNOME session (XDG_CURRENT_DESKTOP={desktop!r})"
    if not probes.bus_name_has_owner(MUTTER_NAME):
        return f"{MUTTER_NAME} has no owner on the session bus"
    return ""


def _why_not_wayland_idle(env: Mapping[str, str], probes: Probes) -> str:
    if not env.get("WAYLAND_DISPLAY"):
        return "no Wayland display (WAYLAND_DISPLAY is not set)"
    try:
        offered = probes.wayland_globals()
    except SourceUnavailable as exc:
        return str(exc)
    if EXT_IDLE not in offered:
        extra = " (only org_kde_kwin_idle, not supported)" if "org_kde_kwin_idle" in offered else ""
        return f"the compositor does not offer {EXT_IDLE}{extra}"
    return ""


def _why_not_screensaver(probes: Probes) -> str:
    if not probes.bus_name_has_owner(SCREENSAVER_NAME):
        return f"{SCREENSAVER_NAME} has no owner on the session bus"
    if not probes.screensaver_idle_time():
        return f"{SCREENSAVER_NAME} does not answer GetSessionIdleTime"
    return ""


def make_source(name: str) -> PresenceSource:
    """The presence source called ``name`` ("mutter", "screensaver", "wayland-idle")."""
    if name == "mutter":
        from breakd.adapters.presence.mutter import MutterSource

        return MutterSource()
    if name == "screensaver":
        from breakd.adapters.presence.screensaver import ScreenSaverSource

        return ScreenSaverSource()
    if name == "wayland-idle":
        from breakd.adapters.presence.wayland_idle import WaylandIdleSource

        return WaylandIdleSource()
    raise ValueError(f"unknown activity source {name!r}")
