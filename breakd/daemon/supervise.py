"""Supervision of what tells the engine about the user and the desktop: keyboard and mouse
listeners (pynput) or a presence source (Wayland), the fullscreen watcher, the desktop watcher
(do-not-disturb, the screen lock, a notification server appearing) and systemd's watchdog.

Owns: starting, watching and restarting those sources (with backoff), and what they report,
turned into engine inputs; the readiness and status lines sent to systemd.
Must not: show or store anything (a change asks for a status push through the turn); decide
anything (whether do-not-disturb or a fullscreen window holds reminders is the engine's, by
its config: the desktop's state goes to it as is).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import TYPE_CHECKING

from breakd.adapters.fullscreen import FullscreenWatcher
from breakd.adapters.input import InputWatcher
from breakd.adapters.presence import PresenceSource, SourceUnavailable
from breakd.adapters.presence.choose import make_source
from breakd.adapters.systemd_notify import sd_notify, watchdog_interval
from breakd.config.durations import format_duration
from breakd.daemon.effects import Effects
from breakd.daemon.host import EngineHost, Turn

if TYPE_CHECKING:  # imported where it runs: D-Bus (jeepney) exists on Linux only
    from breakd.adapters.calls import CallWatch
    from breakd.adapters.desktop_state import DesktopWatcher
    from breakd.config.model import CallsConfig

log = logging.getLogger("breakd")

RESTART_FIRST = 1.0  # seconds before recreating dead input listeners; doubles each time
RESTART_MAX = 30.0
SOURCE_CHECK_EVERY = 60.0  # presence sources: how often their liveness is looked at


class Sources:
    def __init__(
        self, host: EngineHost, effects: Effects, stopping: threading.Event, source: str
    ) -> None:
        self._host = host
        self._effects = effects
        self._stopping = stopping
        self.name = source  # "pynput" or a presence source
        self._wake = threading.Event()  # a listener died, or we stop
        self._watcher: InputWatcher | None = None
        self._presence: PresenceSource | None = None
        self._fullscreen_watcher: FullscreenWatcher | None = None
        self._desktop: DesktopWatcher | None = None  # Linux only
        self._calls: CallWatch | None = None  # Linux only
        self._ready_sent = False

    def start(self) -> None:
        self._watch_desktop()
        self._watch_calls()
        threading.Thread(
            target=self._supervise_input, name="breakd-input-supervisor", daemon=True
        ).start()

    def stop_waiting(self) -> None:
        """Stopping: the supervisor's wait ends (``stopping`` is set first)."""
        self._wake.set()

    def stop(self) -> None:
        self._wake.set()
        if self._desktop is not None:
            self._desktop.stop()
        if self._calls is not None:
            self._calls.stop()
        if self._fullscreen_watcher is not None:
            self._fullscreen_watcher.stop()
        if self._watcher is not None:
            self._watcher.stop()  # returns at once; pynput's threads are daemons

    def set_counting(self, count_input: bool) -> None:
        if self._watcher is not None:
            self._watcher.set_counting(count_input)

    # --- input listeners ------------------------------------------------------------------

    def _supervise_input(self) -> None:
        """Run the supervision; a bug in it is logged loudly and it starts over (with
        backoff), since a daemon that sees no activity is useless."""
        delay = RESTART_FIRST
        while not self._stopping.is_set():
            try:
                self._supervise()
                return
            except Exception:  # a blind daemon must say so loudly, not in a debug line
                log.exception(
                    "input supervision failed: no activity is seen; starting it again in %s",
                    format_duration(round(delay)),
                )
            self._drop_sources()
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, RESTART_MAX)

    def _drop_sources(self) -> None:
        """Stop whatever input listeners or presence source a failed supervision left."""
        watcher, presence = self._watcher, self._presence
        self._watcher = self._presence = None
        for part in (watcher, presence):
            if part is not None:
                try:
                    part.stop()
                except Exception:
                    log.exception("stopping a failed activity source")

    def _supervise(self) -> None:
        if self.name != "pynput":
            self._supervise_presence()
            return
        delay = RESTART_FIRST
        had_input = False
        while not self._stopping.is_set():
            self._wake.clear()
            watcher = InputWatcher(
                self._host.input,
                self._host.clock,
                self._wake,
                count_input=self._host.engine.config.activity.count_input,
                feed_at=self._host.input_at,
            )
            try:
                watcher.start()
            except Exception as exc:
                log.warning("input listeners failed to start: %s", exc)
            with self._host.turn():  # the engine must know how late this input may come
                self._host.engine.set_input_latency(watcher.latency)
            if watcher.alive():
                self._watcher = watcher
                self._watch_fullscreen()
                log.info(
                    "%s keyboard and mouse activity (pynput, %s)",
                    "watching again:" if had_input else "watching",
                    f"X display {os.environ.get('DISPLAY', '')}"
                    if sys.platform.startswith("linux")
                    else sys.platform,
                )
                had_input, delay = True, RESTART_FIRST
                self._notify_ready("watching keyboard and mouse")
                self._wake.wait()  # blocks until a listener dies or we stop
                if self._stopping.is_set():
                    return
                watcher.stop()
                log.warning("input listeners stopped (X server gone?); no activity is seen")
            sd_notify("STATUS=no input listeners: retrying")  # not READY: input is not up
            log.info("retrying input listeners in %s", format_duration(delay))
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, RESTART_MAX)

    def _watch_fullscreen(self) -> None:
        """A new fullscreen watcher with each new set of listeners (a new X server)."""
        if self._fullscreen_watcher is not None:
            self._fullscreen_watcher.stop()
        self._fullscreen_watcher = FullscreenWatcher(self.on_fullscreen)
        self._fullscreen_watcher.start()

    def input_alive(self) -> bool:
        if self._presence is not None:
            return self._presence.alive()
        return self._watcher is not None and self._watcher.alive()

    # --- presence sources (Wayland): activity as "active" / "idle for n s" -----------------

    def _supervise_presence(self) -> None:
        """Start the presence source and restart it with backoff when it is lost. Sources
        have no death signal yet, so liveness is looked at once a minute, in this mode only."""
        delay = RESTART_FIRST
        while not self._stopping.is_set():
            source = make_source(self.name)
            try:
                source.start(self, self._presence_threshold())
            except SourceUnavailable as exc:
                log.warning("activity source %s unavailable: %s", self.name, exc)
            else:
                self._presence, delay = source, RESTART_FIRST
                log.info("watching activity through %s (presence only)", self.name)
                self._notify_ready(f"watching activity through {self.name}")
                while source.alive():
                    if self._stopping.wait(SOURCE_CHECK_EVERY):
                        source.stop()
                        return
                log.warning("activity source %s lost; no activity is seen", self.name)
                source.stop()
                self.idle(0.0)  # nobody can say the user is still there
            sd_notify("STATUS=no activity source: retrying")
            log.info("retrying the activity source in %s", format_duration(delay))
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, RESTART_MAX)

    def _presence_threshold(self) -> float:
        # Short enough for the typing grace to see pauses, long enough not to flap.
        config = self._host.engine.config
        return min(config.activity.active_gap, max(config.notify.grace_pause, 5.0))

    def active(self) -> None:
        """A presence source (on its own thread): the user is active."""
        with self._host.turn() as turn:
            if self._host.engine.activity_began(turn.now):
                self._host.timer.wake_now()

    def idle(self, idle_for: float) -> None:
        """A presence source (on its own thread): the user has been idle ``idle_for`` s."""
        with self._host.turn() as turn:
            self._host.engine.activity_ended(turn.now, idle_for)
            # The pause a reminder held back by the typing grace waited for: look now.
            self._host.timer.wake_now()

    def _notify_ready(self, state: str) -> None:
        """Tell systemd (Type=notify) we are up, once; then keep STATUS current."""
        if not self._ready_sent:
            self._ready_sent = True
            sd_notify(f"READY=1\nSTATUS={state}")
            interval = watchdog_interval()
            if interval is not None:
                threading.Thread(
                    target=self._watchdog, args=(interval / 2,), name="breakd-watchdog", daemon=True
                ).start()
        else:
            sd_notify(f"STATUS={state}")

    def _watchdog(self, every: float) -> None:
        """Pet systemd's watchdog only while input is seen, so a daemon blind to input for
        long is restarted. Runs only when the unit asks for a watchdog."""
        while not self._stopping.wait(every):
            if self.input_alive():
                sd_notify("WATCHDOG=1")

    # --- desktop etiquette: do-not-disturb, fullscreen windows, the screen lock -----------

    def _watch_desktop(self) -> None:
        if not sys.platform.startswith("linux"):
            return  # do-not-disturb and the lock come over D-Bus (jeepney is Linux-only)
        from breakd.adapters.desktop_state import DesktopWatcher

        self._desktop = DesktopWatcher(
            self.on_desktop_dnd,
            self.on_screen_lock,
            on_dnd_by=self.on_desktop_dnd_by,
            on_notification_server=self.on_notification_server,
        )
        self._desktop.start()

    def _watch_calls(self) -> None:
        if not sys.platform.startswith("linux"):
            return  # inotify, pactl and the session bus: Linux only
        from breakd.adapters.calls import CallWatch

        self._calls = CallWatch(self.on_call)
        self._calls.configure(self._host.engine.config.calls)

    def configure_calls(self, config: CallsConfig) -> None:
        if self._calls is not None:
            self._calls.configure(config)

    def on_call(self, reason: str | None) -> None:
        """A call or meeting ("microphone in use"...), or None: it ended (see ``CallWatch``)."""
        with self._host.turn() as turn:
            self._host.engine.set_in_call(reason, turn.now)
            self._host.timer.wake_now()  # advance(): shows what was held, or reschedules
            turn.then(self._effects.publish)

    def on_desktop_dnd(self, on: bool) -> None:
        self.on_desktop_dnd_by("do-not-disturb" if on else None)

    def on_desktop_dnd_by(self, by: str | None) -> None:
        """Which do-not-disturb is on ("dunst do-not-disturb"...), or None: none."""
        with self._host.turn() as turn:
            self._host.engine.set_desktop_dnd(by)
            self._desktop_changed(turn)

    def on_notification_server(self) -> None:
        """A notification server appeared on the bus: a reminder it missed is shown now."""
        engine = self._host.engine
        with self._host.turn() as turn:
            unseen = engine.unseen
            engine.server_appeared(turn.now)
            self._host.timer.wake_now()
        if unseen is not None:
            log.info("a notification server appeared: showing reminder %d", unseen.id)

    def on_fullscreen(self, on: bool) -> None:
        with self._host.turn() as turn:
            self._host.engine.set_fullscreen(on)
            self._desktop_changed(turn)

    def on_screen_lock(self, locked: bool) -> None:
        with self._host.turn() as turn:
            self._host.engine.set_locked(locked, turn.now)
            self._host.reschedule(turn.now)
            turn.then(self._effects.publish)
        log.info("screen %s", "locked: counted as away" if locked else "unlocked")

    def _desktop_changed(self, turn: Turn) -> None:
        """The desktop's do-not-disturb or fullscreen changed: the engine looks now (a hold
        that ended shows the most important reminder due) and status bars hear whether it
        holds reminders. Within a turn."""
        self._host.timer.wake_now()  # advance(): shows what was held, or reschedules
        turn.then(self._effects.publish)
