"""Wiring and life cycle: build the daemon's parts, start them, stop them.

Owns: which parts there are and how they find each other; the order they start and stop in
(the tray icon and the config file's watcher too); signals (SIGTERM/SIGINT stop, SIGHUP
reloads); reading the config anew; ``breakd run``.
Must not: drive the engine beyond a reload, carry out effects, or watch sources itself (see
the package's map in ``breakd/daemon/__init__.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from breakd import __version__, exitcodes
from breakd.adapters.clock import Clock, engine_clock
from breakd.adapters.input import NoDisplay, check_display
from breakd.adapters.notifiers import ManagedNotifier, NotifierUnavailable, make_notifier
from breakd.adapters.systemd_notify import sd_notify
from breakd.config.load import ConfigError, Loaded, load
from breakd.config.model import Config
from breakd.control.paths import socket_path
from breakd.control.server import AlreadyRunning, ControlServer
from breakd.core.engine import Engine
from breakd.daemon.effects import Effects, snooze_label
from breakd.daemon.host import EngineHost
from breakd.daemon.requests import Requests
from breakd.daemon.supervise import Sources
from breakd.i18n import translator
from breakd.store.sqlite import Store, default_db_path

if TYPE_CHECKING:  # imported where it runs: inotify and D-Bus are Linux-only
    from breakd.adapters.config_watch import ConfigWatcher
    from breakd.adapters.tray import TrayIcon

log = logging.getLogger("breakd")


class Daemon:
    def __init__(
        self,
        config: Config,
        *,
        config_path: str | None = None,
        clock: Clock | None = None,
        notifier: ManagedNotifier | None = None,
        store: Store | None = None,
        source: str = "pynput",
        source_warning: str = "",
    ) -> None:
        self._config_path = config_path
        clock = clock or engine_clock()
        self._stopping = threading.Event()
        self._main_wake = threading.Event()
        self._reload_requested = False
        # One reload at a time, whichever thread asks (`breakd reload` on the control thread,
        # SIGHUP and the config file's watcher on the main thread).
        self._reloading = threading.Lock()
        # What a reload leaves for the main thread: the tray icon and the call watchers, which
        # connect to D-Bus and start threads (see ``reload``).
        self._desktop_due = False
        self._main_thread: int | None = None  # set by ``run``; before it, callers do it all
        self._stopped_by = ""  # the signal that asked, said in the log
        engine = Engine(config, clock(), dt.datetime.now(), translators=translator)
        self.host = host = EngineHost(engine, clock)
        self.effects = effects = Effects(host, self._make_notifier, notifier, store)
        host.effects = effects
        self.requests = Requests(
            host, effects, self.reload, source=source, source_warning=source_warning
        )
        self.sources = Sources(host, effects, self._stopping, source)
        effects.status = self.requests.status
        self.on_input = host.input  # the hot path, for those who hold a daemon (bench)
        self.on_input_at = host.input_at
        self._control: ControlServer | None = None
        self._config_watch: ConfigWatcher | None = None  # Linux only
        # The tray icon as the config wants it (main thread; the effects worker gets it in
        # turn, so a status is never shown on a tray that is being stopped). Only a running
        # daemon has one: a reload before ``run`` (tests) starts none.
        self._tray: TrayIcon | None = None
        self._tray_follows_config = False

    def run(self) -> int:
        self._main_thread = threading.get_ident()
        self.effects.start()  # first: from here on, one thread carries out every effect
        try:
            self._control = ControlServer(socket_path(), self.requests.handle, version=__version__)
            self.effects.control = self._control  # before the first subscriber can come
            self._control.start()
        except AlreadyRunning as err:
            who = f"pid {err.pid}" if err.pid else "another process"
            log.error("breakd is already running (%s, control socket %s)", who, err.path)
            self.effects.stop()
            return exitcodes.ALREADY_RUNNING
        self._install_signal_handlers()
        threading.excepthook = _log_thread_death
        if self.effects.store is None:
            self.effects.store = _open_store()
        with self.host.turn() as turn:  # start steps, in the queue like the rest
            turn.then(self.effects.restore_day)
            turn.then(self.effects.new_day_if_needed)
        self.host.timer.start()
        self.sources.start()
        self._tray_follows_config = True
        self._apply_tray(self.host.engine.config)
        self._watch_config()
        with self.host.turn() as turn:
            self.host.reschedule(turn.now)
        log.info("breakd %s running; reminders: %s", __version__, self._enabled_kinds())
        self._main_loop()
        # Which signal: a daemon that stops unasked is then told from one stopped by systemctl.
        log.info("stopping%s", f" on {self._stopped_by}" if self._stopped_by else "")
        self._shutdown()
        return exitcodes.OK

    def _main_loop(self) -> None:
        """The main thread's wait, until stopped: a reload asked for by SIGHUP or the config
        file, and the desktop's part of a reload the control thread took."""
        while not self._stopping.is_set():
            self._main_wake.wait()
            self._main_wake.clear()
            if self._reload_requested:
                self._reload_requested = False
                self.reload()
            if self._desktop_due:
                self._apply_desktop()

    def request_stop(self, by: str = "") -> None:
        self._stopped_by = self._stopped_by or by
        self._stopping.set()
        self._main_wake.set()
        self.sources.stop_waiting()

    def request_reload(self) -> None:
        self._reload_requested = True
        self._main_wake.set()

    def reload(self) -> ConfigError | None:
        """Take the config file anew, from any thread, one reload at a time; a bad one is
        logged and returned, and the running config stays. A new notifier is made on the
        notification lane, in turn. The tray icon and the call watchers follow on the main
        thread: they wait on D-Bus, and `breakd reload` is answered without waiting for them."""
        with self._reloading:
            error = self._take_config()
        if error is not None:
            return error
        self._desktop_due = True  # after the engine has the new config: the step reads it
        if self._main_thread in (None, threading.get_ident()):
            self._apply_desktop()  # the main thread itself, or a daemon not running (tests)
        else:
            self._main_wake.set()
        return None

    def _take_config(self) -> ConfigError | None:
        """The file read and given to the engine, hooks and input sources (no D-Bus)."""
        try:
            loaded = load(self._config_path)
        except ConfigError as err:
            log.error("config not reloaded, keeping the running one:\n%s", err)
            return err
        _log_loaded(loaded)
        config = loaded.config
        self.requests.config_read = loaded.read_from()
        engine, effects = self.host.engine, self.effects
        with self.host.turn() as turn:
            old_notify = engine.config.notify
            engine.reconfigure(config, turn.now)
            self.host.reschedule(turn.now)
            self.sources.set_counting(config.activity.count_input)
            # The engine's holds follow the new rules: one they lift ends now, and status
            # bars hear whether reminders are still held.
            self.host.timer.wake_now()
            turn.then(effects.publish)
            turn.then(effects.renotify, old_notify, config)
        effects.hooks.runner.configure(config.hooks)
        log.info(
            "config reloaded (%s); reminders: %s",
            loaded.describe_source(),
            self._enabled_kinds(),
        )
        return None

    def _apply_desktop(self) -> None:
        """The reload's desktop part (main thread), for the config the engine has now: the
        newest, when reloads came one after another."""
        self._desktop_due = False
        config = self.host.engine.config
        try:
            self.sources.configure_calls(config.calls)
            self._apply_tray(config)
        except Exception:  # the main thread must live on: it is what stops the daemon
            log.exception("internal error while applying the reloaded config")

    def _shutdown(self) -> None:
        sd_notify("STOPPING=1")
        self.requests.close()  # a tray click or an answer from now on is not carried out
        if self._control is not None:
            self._control.stop()
        self.host.timer.stop()
        self.sources.stop()
        if self._config_watch is not None:
            self._config_watch.stop()
        with self.host.turn() as turn:
            self.host.engine.monitor.close_partial_minute(turn.now)
            turn.then(self.effects.record, (), self.host.engine.take_minutes())
        self.effects.stop()  # carries out all that was asked for, the last record too
        if self.effects.tray is not None:
            self.effects.tray.stop()  # after the last status it was given
        self.effects.close()
        log.info("stopped")

    def _apply_tray(self, config: Config) -> None:
        """The tray icon as ``[tray] enabled`` says, at start and on each reload: started
        (it registers with its first status), stopped (the host drops it), or told the new
        language. Starting connects here, on the main thread; the rest is the effects
        worker's, in turn, as every status the tray is shown."""
        enabled = config.tray.enabled
        if not self._tray_follows_config or not sys.platform.startswith("linux"):
            return  # a StatusNotifierItem lives on D-Bus (jeepney is Linux-only)
        tr = translator(config.notify.language)
        old = self._tray
        if enabled is False:
            if old is None:
                return
            self._tray = None
            log.info("tray icon removed ([tray] enabled = false)")
        elif old is not None:
            with self.host.turn() as turn:
                turn.then(functools.partial(old.configure, insist=enabled is True, tr=tr))
            return
        else:
            from breakd.adapters.tray import start_tray

            self._tray = start_tray(
                enabled,
                self.requests.handle,
                version=__version__,
                config_path=self._config_path,
                tr=tr,
            )
            if self._tray is None:
                return
        with self.host.turn() as turn:
            turn.then(self.effects.set_tray, self._tray)

    def _watch_config(self) -> None:
        """A saved config file is applied, as `breakd reload` would (the tray's Edit settings
        opens it in an editor)."""
        if not sys.platform.startswith("linux"):
            return  # inotify
        from breakd.adapters.config_watch import ConfigWatcher
        from breakd.config.load import user_config_path

        path = Path(self._config_path) if self._config_path else user_config_path()
        self._config_watch = ConfigWatcher(path, self.request_reload)
        self._config_watch.start()

    def _install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, lambda *_: self.request_stop("SIGTERM"))
        signal.signal(signal.SIGINT, lambda *_: self.request_stop("SIGINT"))
        signal.signal(signal.SIGHUP, lambda *_: self.request_reload())

    def _make_notifier(self, config: Config) -> ManagedNotifier:
        return make_notifier(
            config.notify.backend,
            # Through self: the notifier is made before the requests it answers to.
            on_action=lambda reminder_id, key: self.requests.on_answer(reminder_id, key),
            snooze_label=snooze_label(config),
            on_checkin=lambda day, score: self.requests.on_checkin(day, score),
            sound=config.notify.sound,
            tr=translator(config.notify.language),
        )

    def _enabled_kinds(self) -> str:
        config = self.host.engine.config
        kinds = [
            name
            for name in ("sitting", "repetition", "posture", "water", "daily")
            if getattr(config, name).enabled
        ]
        return ", ".join(kinds) or "none (all disabled)"


def _choose_source(config: Config) -> tuple[str | None, str]:
    """The activity source for this session and a warning about it ("" if none), both
    logged; (None, "") when nothing is usable (logged: what was tried)."""
    from breakd.adapters.presence.choose import choose_source, session_probes

    choice = choose_source(os.environ, config.activity.source, session_probes(os.environ))
    if choice.source is None:
        hint = ""
        if os.environ.get("DISPLAY"):
            hint = (
                "\nto use pynput anyway (it sees only XWayland windows), set [activity] "
                'source = "pynput"'
            )
        log.error("cannot watch activity: %s%s", choice.explain(), hint)
        return None, ""
    if choice.warning:
        log.warning("%s", choice.warning)
    return choice.source, choice.warning


def _log_thread_death(args: threading.ExceptHookArgs) -> None:
    """A thread that dies of an exception is a bug or a lost part: logged as an error with
    its traceback. One exception: pynput's listener threads end with ConnectionClosedError
    whenever the X server goes away, and the input supervisor says that in words (and
    restarts them), so that is one debug line."""
    name = args.thread.name if args.thread is not None else "a thread"
    if args.exc_type.__name__ == "ConnectionClosedError":  # Xlib.error, imported lazily
        log.debug("%s ended: %s: %s", name, args.exc_type.__name__, args.exc_value)
        return
    # The exception carries its traceback (exc_value is None only for a bare class raised).
    log.error("thread %s died: %s", name, args.exc_type.__name__, exc_info=args.exc_value)


def _open_store() -> Store | None:
    path = default_db_path()
    try:
        store = Store.open(path)
    except Exception as exc:  # statistics are a bonus: reminders work without them
        log.warning("statistics disabled: cannot open %s: %s: %s", path, type(exc).__name__, exc)
        return None
    log.info("statistics in %s", path)
    return store


def _log_loaded(loaded: Loaded) -> None:
    """Where the config came from, and what in it the user should look at again."""
    log.info("config: %s", loaded.describe_source())
    for warning in loaded.warnings:
        log.warning("config: %s", warning)
    for note in loaded.notes:
        log.info("config: %s", note)


def run_command(config_path: str | None, verbose: bool) -> int:
    """``breakd run``: check the config and the session, then run until stopped."""
    from breakd.logs import setup_logging

    setup_logging(verbose)
    try:
        loaded = load(config_path)
    except ConfigError as err:
        log.error("%s", err)
        return exitcodes.CONFIG
    _log_loaded(loaded)
    config = loaded.config
    source, warning = _choose_source(config)
    if source is None:
        return exitcodes.CONFIG
    if source == "pynput" and sys.platform.startswith("linux"):
        try:
            check_display()
        except NoDisplay as err:
            log.error("cannot watch input: %s", err)
            return exitcodes.CONFIG
    try:
        daemon = Daemon(config, config_path=config_path, source=source, source_warning=warning)
    except NotifierUnavailable as err:
        log.error("cannot show reminders: %s", err)
        return exitcodes.CONFIG
    return daemon.run()
