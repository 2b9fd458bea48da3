"""Presence from the ``ext-idle-notify-v1`` Wayland protocol (KWin 5.27+, newer wlroots).

Owns: one Wayland client connection (pywayland, which bundles libwayland), the bound
``ext_idle_notifier_v1`` and ``wl_seat``, one idle notification with the threshold as its
timeout, and ONE thread that blocks in ``select()`` on the display fd and a stop pipe, and
dispatches whatever the compositor sent: no timeout, no polling.

Must not: send requests from any thread but the caller of ``start``/``stop`` before/after the
thread runs (libwayland proxies are not shared between threads here), or poll.

Events: ``idled`` (no input for the timeout) -> ``idle(threshold)``; ``resumed`` (input) ->
``active()``. The protocol starts every notification "not idle" and counts the timeout from its
creation, so ``start`` reports ``active()`` and a user already away at start is reported idle
``threshold`` seconds later (as ``idle(threshold)``, an underestimate of the real idle time).
With notifier version 2 the input-only notification is used (idle inhibitors, e.g. a playing
video, must not make breakd think the user is typing); version 1 has only the plain one, which
an idle inhibitor keeps from firing.

Not supported: ``org_kde_kwin_idle`` (what sway 1.7 offers): pywayland ships no bindings for
it and generating them needs ``idle.xml`` plus the core ``wayland.xml``, neither in the package.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from breakd.adapters.presence import PresenceListener, SourceUnavailable
from breakd.core.words import N_, phrase, verbatim

log = logging.getLogger("breakd.presence")

NOTIFIER = "ext_idle_notifier_v1"
SEAT = "wl_seat"
KDE_IDLE = "org_kde_kwin_idle"
JOIN_TIMEOUT = 5.0


@dataclass(frozen=True)
class Global:
    """One global the compositor announced."""

    name: int
    interface: str
    version: int


def list_globals(display: Any) -> tuple[Any, dict[str, Global]]:
    """The registry and the compositor's globals by interface (the first of each: one seat)."""
    found: dict[str, Global] = {}
    registry = display.get_registry()

    def on_global(_registry: Any, name: int, interface: str, version: int) -> None:
        found.setdefault(interface, Global(name, interface, version))

    registry.dispatcher["global"] = on_global
    display.roundtrip()
    return registry, found


def connect(display_name: str | None) -> Any:
    """A connected pywayland ``Display`` (lazily imported: optional off Linux)."""
    try:
        from pywayland.client import Display
    except ImportError as exc:  # pragma: no cover - a dependency on Linux
        text = N_("pywayland is not installed ({error})")
        raise SourceUnavailable(phrase(text, error=verbatim(str(exc)))) from None
    display = Display(display_name)
    try:
        display.connect()
    except ValueError:
        where = display_name or os.environ.get("WAYLAND_DISPLAY") or "wayland-0"
        text = N_("cannot connect to the Wayland display {display}")
        raise SourceUnavailable(phrase(text, display=repr(where))) from None
    return display


class WaylandIdleSource:
    name = "wayland-idle"
    counts_input = False

    def __init__(
        self, display_name: str | None = None, connect: Callable[[str | None], Any] = connect
    ) -> None:
        self._display_name = display_name
        self._connect = connect
        self._display: Any = None
        self._thread: threading.Thread | None = None
        self._stop_r = self._stop_w = -1
        self._dead: str | None = None

    def start(self, listener: PresenceListener, idle_threshold: float) -> None:
        display = self._connect(self._display_name)
        try:
            self._subscribe(display, listener, idle_threshold)
        except BaseException:
            display.disconnect()
            raise
        self._display, self._dead = display, None
        self._stop_r, self._stop_w = os.pipe()
        listener.active()  # every notification starts "not idle" (see the module docstring)
        self._thread = threading.Thread(
            target=self._run, name="breakd-presence-wayland", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        thread, display = self._thread, self._display
        if thread is not None:
            with contextlib.suppress(OSError):
                os.write(self._stop_w, b"x")
            thread.join(JOIN_TIMEOUT)
            if thread.is_alive():
                # Still inside libwayland: freeing the display under it would crash the
                # process. A daemon thread and one connection left behind cost far less.
                log.warning("wayland-idle presence source did not stop; its connection is kept")
                self._thread = self._display = None
                return
            os.close(self._stop_r)
            os.close(self._stop_w)
        if display is not None:
            display.disconnect()  # destroys every proxy first, then closes the socket
        self._thread = self._display = None

    def alive(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive() and self._dead is None

    # --- setting up, on the caller's thread ---------------------------------------------------

    @staticmethod
    def _subscribe(display: Any, listener: PresenceListener, threshold: float) -> None:
        from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1
        from pywayland.protocol.wayland import WlSeat

        registry, found = list_globals(display)
        missing = [name for name in (NOTIFIER, SEAT) if name not in found]
        if missing:
            names = " or ".join(missing)
            if KDE_IDLE in found:
                text = N_(
                    "the compositor does not offer {names} (only org_kde_kwin_idle, not supported)"
                )
            else:
                text = N_("the compositor does not offer {names}")
            raise SourceUnavailable(phrase(text, names=names))
        notifier_global = found[NOTIFIER]
        version = min(notifier_global.version, 2)
        seat = registry.bind(found[SEAT].name, WlSeat, 1)
        notifier = registry.bind(notifier_global.name, ExtIdleNotifierV1, version)
        timeout_ms = max(1, round(threshold * 1000))
        if version >= 2:
            notification = notifier.get_input_idle_notification(timeout_ms, seat)
        else:
            notification = notifier.get_idle_notification(timeout_ms, seat)
        notification.dispatcher["idled"] = lambda _n: _safely(listener.idle, threshold)
        notification.dispatcher["resumed"] = lambda _n: _safely(listener.active)
        display.roundtrip()  # the compositor has the notification before start() returns

    # --- the thread -----------------------------------------------------------------------------

    def _run(self) -> None:
        display = self._display
        fd = display.get_fd()
        try:
            while True:
                display.flush()
                ready, _, _ = select.select([fd, self._stop_r], [], [])  # no timeout: no polling
                if self._stop_r in ready:
                    return
                # Data is waiting, so this reads it without blocking and runs the handlers.
                if display.dispatch(block=True) < 0:
                    raise RuntimeError("the compositor closed the connection")
        except Exception as exc:  # the compositor went away or sent garbage: this source is dead
            self._dead = f"{type(exc).__name__}: {exc}"
            log.warning("wayland-idle presence source stopped: %s", self._dead)


def _safely(call: Callable[..., None], *args: float) -> None:
    # Called from libwayland through cffi: an exception would be printed and lost there.
    try:
        call(*args)
    except Exception:
        log.exception("presence listener failed")
