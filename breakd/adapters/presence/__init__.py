"""Presence sources: when the user became active, and when they have been idle for a while.

On Wayland pynput sees only XWayland clients, so the daemon needs the compositor (or the
desktop shell) to say when the user is at the keyboard. Each source here asks one such
service, without polling where the service can push (see each module's docstring):

* ``mutter``        GNOME: ``org.gnome.Mutter.IdleMonitor`` watches over D-Bus.
* ``wayland-idle``  the ``ext-idle-notify-v1`` Wayland protocol (KWin, newer wlroots).
* ``screensaver``   ``org.freedesktop.ScreenSaver`` (KDE): the least polling possible.

This package owns the interface and the values; ``choose`` decides which source a session
gets, and makes it. Sources give presence, never counts (``counts_input`` is False): they
cannot tell a key from a click, and must not try to.

Threads: every source reports its initial state from within ``start()``, on the caller's
thread (``active()``, or ``idle(idle_for)`` when the user is already away); every later call
comes from a thread of the source's own (one per source, plus the bus listener for the D-Bus
ones), strictly alternating active/idle. Listener methods must return quickly and must not
call the source's ``stop()``.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["SCREENSAVER_NAME", "PresenceListener", "PresenceSource", "SourceUnavailable"]

SCREENSAVER_NAME = "org.freedesktop.ScreenSaver"  # the bus name and interface


class PresenceListener(Protocol):
    def active(self) -> None:
        """The user became active (input after idle), or is active at start."""

    def idle(self, idle_for: float) -> None:
        """No input for ``idle_for`` seconds: the last input was that long before this call.

        ``idle_for`` is at least the threshold given to ``start`` (it is more only when the
        source learned of the idle late, e.g. the user was already away at start).
        """


class PresenceSource(Protocol):
    name: str  # "mutter", "screensaver", "wayland-idle"
    counts_input: bool  # False for all of these: they give presence, not counts

    def start(self, listener: PresenceListener, idle_threshold: float) -> None:
        """Begin watching; raise ``SourceUnavailable`` saying why the source cannot work."""

    def stop(self) -> None:
        """Stop watching and release the connection; no listener call after this returns."""

    def alive(self) -> bool:
        """False once the connection behind the source is gone (the daemon re-chooses)."""


class SourceUnavailable(Exception):
    """The source cannot work here; the message says why (it goes into the exit-78 text)."""
