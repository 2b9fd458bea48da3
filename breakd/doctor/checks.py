"""The checks of ``breakd doctor``: each looks at one thing and says, in plain words, what is
wrong and how to fix it.

Every check is a small function returning a frozen ``CheckResult``. Checks take what they
look at as parameters (the environment, paths, a systemctl runner, a bus address, an input
probe) instead of reading globals, so tests drive every failing path with fakes. Checks
never raise for a problem they are meant to find: a problem is a result.

Must not: change anything (the only side effect is the optional test notification), read
key identities (the input probe counts events through the daemon's own ``InputWatcher``),
or import pynput before the session check found a display (importing it opens an X
connection).
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from breakd import __version__
from breakd.adapters.buttons import Reach, button_reach, describe_reach
from breakd.adapters.presence.choose import Choice
from breakd.config.load import ConfigError, config_source, display_path, load_config
from breakd.core.words import ENGLISH, N_, Phrase, Translator
from breakd.doctor import INPUT_TIMEOUT

if TYPE_CHECKING:  # jeepney is imported only when a bus is to be asked
    from jeepney import Message
    from jeepney.io.blocking import DBusConnection

Status = Literal["ok", "warn", "fail", "skip"]
STATUSES: tuple[Status, ...] = ("ok", "warn", "fail", "skip")

CALL_TIMEOUT = 5.0  # seconds for one D-Bus, socket or systemctl call
UNIT = "breakd.service"


@dataclass(frozen=True)
class CheckResult:
    """One line of the doctor's report; ``fix`` is empty when there is nothing to do."""

    name: str
    status: Status
    detail: str
    fix: str = ""


# --- session and presence source ---------------------------------------------------------

SessionKind = Literal["x11", "xwayland", "wayland", "none"]


@dataclass(frozen=True)
class SessionReport:
    """What kind of session this is and which activity source breakd would use in it."""

    kind: SessionKind
    session_type: str  # XDG_SESSION_TYPE as set ("" when unset)
    desktop: str  # XDG_CURRENT_DESKTOP ("" when unset)
    display: str
    wayland_display: str
    choice: Choice  # the activity source chooser's answer for this session

    @property
    def source(self) -> str | None:
        """The chooser's pick ("pynput", "mutter", ...); None: nothing usable."""
        return self.choice.source

    def label(self, tr: Translator = ENGLISH) -> str:
        label = SOURCE_LABELS.get(self.source or "")
        return tr.gettext(label) if label else self.source or tr.gettext("none")


SOURCE_LABELS = {
    "pynput": N_("pynput (X11 key presses, clicks and pointer motion)"),
    "mutter": N_("GNOME's Mutter idle monitor (presence only, no counts)"),
    "wayland-idle": N_("the compositor's ext-idle-notify (presence only, no counts)"),
    "screensaver": N_("org.freedesktop.ScreenSaver idle time (presence only, no counts)"),
}

# (a Wayland session, an X display) -> kind
_SESSION_KINDS: dict[tuple[bool, bool], SessionKind] = {
    (False, True): "x11",
    (True, True): "xwayland",
    (True, False): "wayland",
    (False, False): "none",
}


def describe_session(env: Mapping[str, str], choice: Choice) -> SessionReport:
    """Classify the session; ``choice`` is the activity source chooser's answer for it (the
    daemon's own chooser, so the doctor says what ``breakd run`` would do)."""
    session_type = env.get("XDG_SESSION_TYPE", "")
    display = env.get("DISPLAY", "")
    wayland_display = env.get("WAYLAND_DISPLAY", "")
    wayland = session_type == "wayland" or bool(wayland_display)
    return SessionReport(
        kind=_SESSION_KINDS[wayland, bool(display)],
        session_type=session_type,
        desktop=env.get("XDG_CURRENT_DESKTOP", ""),
        display=display,
        wayland_display=wayland_display,
        choice=choice,
    )


_NO_SOURCE_FIX = N_(
    "on GNOME, KDE, sway or Hyprland breakd uses the desktop's idle monitor by itself: run "
    "breakd inside the desktop session (WAYLAND_DISPLAY and DBUS_SESSION_BUS_ADDRESS set); "
    "elsewhere log in to an X11 session, or enable XWayland and set [activity] source = "
    '"pynput" (it sees only XWayland windows)'
)
# (session kind, a desktop named) -> where breakd runs
_WHERE = {
    ("x11", True): N_("X11 session ({desktop}) on {display}"),
    ("x11", False): N_("X11 session on {display}"),
    ("xwayland", True): N_("Wayland session ({desktop}) with XWayland on {display}"),
    ("xwayland", False): N_("Wayland session with XWayland on {display}"),
    ("wayland", True): N_("Wayland session ({desktop})"),
    ("wayland", False): N_("Wayland session"),
}


def check_session(report: SessionReport, tr: Translator = ENGLISH) -> CheckResult:
    if report.kind == "none":
        return CheckResult(
            "session",
            "fail",
            tr.gettext("no graphical session: neither DISPLAY nor WAYLAND_DISPLAY is set"),
            tr.gettext(
                "run breakd and `breakd doctor` inside your desktop session (a terminal "
                "there); a service needs the session's variables: "
                "`systemctl --user import-environment DISPLAY XAUTHORITY`"
            ),
        )
    where = tr.gettext(_WHERE[report.kind, bool(report.desktop)]).format(
        desktop=report.desktop, display=report.display
    )
    if report.source is None:
        tried = [f"  {a.source}: {a.reason}" for a in report.choice.tried]
        detail = tr.gettext("{where}: no usable activity source; tried:").format(where=where)
        return CheckResult(
            "session", "fail", "\n".join([detail, *tried]), tr.gettext(_NO_SOURCE_FIX)
        )
    if report.choice.warning:
        return CheckResult(
            "session",
            "warn",
            tr.gettext(
                "{where}; activity source: {source}: {warning}, so breakd is nearly blind "
                "here and may think you are away while you type"
            ).format(where=where, source=report.label(tr), warning=report.choice.warning),
            tr.gettext(
                'set [activity] source = "auto" so breakd uses your desktop\'s idle '
                "monitor, or log in to an X11 session"
            ),
        )
    detail = tr.gettext("{where}; activity source: {source}")
    return CheckResult("session", "ok", detail.format(where=where, source=report.label(tr)))


# --- input seen ------------------------------------------------------------------------------

# (timeout, on_ready) -> how many input events the source saw; on_ready is called once it
# listens, so the prompt appears only when input would really be seen.
InputProbe = Callable[[float, Callable[[], None]], int]


PRESENCE_PROBE_THRESHOLD = 2.0  # seconds of idle before a presence source says "idle"


class ProbeError(RuntimeError):
    """The input source could not be started or stopped working."""


def input_prompt(timeout: float, tr: Translator = ENGLISH) -> str:
    words = tr.ngettext(
        "Move the mouse or press Shift within {seconds} second…",
        "Move the mouse or press Shift within {seconds} seconds…",
        _plural_count(timeout),
    )
    return words.format(seconds=f"{timeout:g}")


def _plural_count(seconds: float) -> int:
    # ngettext wants a whole number; a fraction such as 2.5 reads as "many" (2 would too).
    return int(seconds) if seconds == int(seconds) else 2


def check_input(
    report: SessionReport,
    probe: InputProbe,
    *,
    timeout: float = INPUT_TIMEOUT,
    say: Callable[[str], None] = print,
    tr: Translator = ENGLISH,
) -> CheckResult:
    """Ask the user for input and count (only count) what the presence source sees."""
    if report.source is None:
        detail = tr.gettext("no presence source to test (see the session check)")
        return CheckResult("input", "skip", detail)
    try:
        seen = probe(timeout, lambda: say(input_prompt(timeout, tr)))
    except Exception as exc:  # pynput/Xlib/D-Bus raise many kinds; any of them means "blind"
        fix = (
            N_(
                "check that DISPLAY names your running X server (`xdpyinfo` should work) and "
                "that it has the RECORD extension (`xdpyinfo -queryExtensions | grep RECORD`)"
            )
            if report.source == "pynput"
            else N_(
                "run `breakd doctor` inside the desktop session (WAYLAND_DISPLAY and "
                "DBUS_SESSION_BUS_ADDRESS set), where the desktop's idle monitor answers"
            )
        )
        return CheckResult(
            "input",
            "fail",
            tr.gettext("{source} could not watch input: {error}").format(
                source=report.source, error=_said(exc, tr)
            ),
            tr.gettext(fix),
        )
    if seen:
        detail = tr.ngettext(
            "{source} saw your input ({n} event; counted, not read)",
            "{source} saw your input ({n} events; counted, not read)",
            seen,
        )
        return CheckResult("input", "ok", detail.format(source=report.source, n=seen))
    seconds = f"{timeout:g}"
    if report.source == "pynput" and report.kind == "xwayland":
        return CheckResult(
            "input",
            "warn",
            tr.gettext("no input seen in {seconds} s: {source} sees only XWayland windows").format(
                seconds=seconds, source=report.source
            ),
            tr.gettext(
                "try again with an X11 window focused (e.g. xterm) to confirm pynput "
                'works; set [activity] source = "auto" to use your desktop\'s idle '
                "monitor instead"
            ),
        )
    return CheckResult(
        "input",
        "fail",
        tr.gettext("no keyboard or mouse input seen in {seconds} s").format(seconds=seconds),
        tr.gettext(
            "run `breakd doctor` again and move the mouse while it waits; if it still sees "
            "nothing, the X server may lack the RECORD extension "
            "(`xdpyinfo -queryExtensions | grep RECORD`)"
        ),
    )


# Why the input check did not run (``skipped_input``'s reasons).
NOT_ASKED = N_("not tested (--no-input-check)")
NO_TERMINAL = N_("not tested (stdin is not a terminal; run `breakd doctor` in one to test it)")


def skipped_input(reason: str, tr: Translator = ENGLISH) -> CheckResult:
    """``reason``: NOT_ASKED or NO_TERMINAL."""
    return CheckResult("input", "skip", tr.gettext(reason))


@dataclass
class _Counter:
    """Counts events from the watcher's threads and wakes the waiting one at the first."""

    wake: threading.Event
    lock: threading.Lock
    count: int = 0

    def feed(self, _kind: object) -> None:  # the kind is all the watcher passes on
        with self.lock:
            self.count += 1
        self.wake.set()


def pynput_probe(timeout: float, on_ready: Callable[[], None]) -> int:
    """The real probe: the daemon's own ``InputWatcher``, so the same code is tested."""
    from breakd.adapters.input import InputWatcher  # pynput only after the display check

    wake = threading.Event()
    counter = _Counter(wake, threading.Lock())
    # The watcher sets the same event when a listener dies, so a lost X connection ends
    # the wait at once instead of after the whole timeout.
    watcher = InputWatcher(counter.feed, time.monotonic, wake)
    try:
        watcher.start()
        if not watcher.alive():
            raise ProbeError("the input listeners stopped right after starting")
        on_ready()
        wake.wait(timeout)
        with counter.lock:
            seen = counter.count
        if not seen and not watcher.alive():
            raise ProbeError("the input listeners stopped (the X connection was lost)")
        return seen
    finally:
        watcher.stop()


def presence_probe(name: str) -> InputProbe:
    """A probe for a presence source: it only says "active", so one report is "seen"."""

    def probe(timeout: float, on_ready: Callable[[], None]) -> int:
        from breakd.adapters.presence.choose import make_source

        wake = threading.Event()
        counter = _Counter(wake, threading.Lock())

        class Listener:
            def active(self) -> None:
                counter.feed(None)

            def idle(self, idle_for: float) -> None:
                pass

        source = make_source(name)
        source.start(Listener(), PRESENCE_PROBE_THRESHOLD)  # SourceUnavailable: a failure
        try:
            on_ready()
            wake.wait(timeout)
            with counter.lock:
                return counter.count
        finally:
            source.stop()

    return probe


# --- notifications -------------------------------------------------------------------------

TEST_SUMMARY = N_("breakd doctor: notifications work")
TEST_BODY = N_("A test from `breakd doctor`: breakd's reminders will appear like this.")
TEST_EXPIRE_MS = 10_000
_SERVER_NAME = "org.freedesktop.Notifications"


@dataclass(frozen=True)
class ServerInfo:
    name: str
    vendor: str
    version: str
    capabilities: frozenset[str]

    def describe(self) -> str:
        return f"{self.name} {self.version} ({self.vendor})"


class _BusProblem(Exception):
    """A D-Bus step failed; carries the result to report."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.detail)
        self.result = result


def check_notifications(
    bus_address: str | None,
    *,
    send_test: bool = True,
    timeout: float = CALL_TIMEOUT,
    tr: Translator = ENGLISH,
) -> CheckResult:
    """A notification server on the session bus, its buttons, and a test notification."""
    if not bus_address:
        return CheckResult(
            "notifications",
            "fail",
            tr.gettext("no session bus: DBUS_SESSION_BUS_ADDRESS is not set"),
            tr.gettext(
                "run breakd inside your desktop session; a service needs the variable: "
                "`systemctl --user import-environment DBUS_SESSION_BUS_ADDRESS`"
            ),
        )
    from jeepney.io.blocking import open_dbus_connection  # only where a bus is to be asked

    try:
        conn = open_dbus_connection(bus=bus_address, auth_timeout=timeout)
    # Refused or missing socket, a bad address or failed auth (ValueError), no Hello reply.
    except (OSError, RuntimeError, ValueError, concurrent.futures.TimeoutError) as exc:
        return CheckResult(
            "notifications",
            "fail",
            tr.gettext("cannot connect to the session bus ({address}): {error}").format(
                address=bus_address, error=exc
            ),
            tr.gettext(
                "the session's D-Bus daemon is not reachable: log out and in again, or "
                "check that DBUS_SESSION_BUS_ADDRESS is your session's"
            ),
        )
    try:
        return _check_server(conn, send_test, timeout, tr)
    except _BusProblem as problem:
        return problem.result
    finally:
        conn.close()


def _check_server(
    conn: DBusConnection, send_test: bool, timeout: float, tr: Translator
) -> CheckResult:
    from jeepney.bus_messages import message_bus

    (owned,) = _call(conn, message_bus.NameHasOwner(_SERVER_NAME), timeout, tr)
    on_demand = False
    if not owned:
        (activatable,) = _call(conn, message_bus.ListActivatableNames(), timeout, tr)
        on_demand = _SERVER_NAME in activatable
        if not on_demand:
            raise _BusProblem(
                CheckResult(
                    "notifications",
                    "fail",
                    tr.gettext(
                        "no notification server on the session bus (nobody owns {name})"
                    ).format(name=_SERVER_NAME),
                    tr.gettext(
                        "start your desktop's notification server, or a standalone one: "
                        "dunst (X11), mako (Wayland) or xfce4-notifyd"
                    ),
                )
            )
    info = _server_info(conn, timeout, tr)
    reach = button_reach(info.name, info.capabilities)
    buttons = reach is not Reach.NONE
    # The server, then what was seen of it: "; " between the parts, in every language.
    parts = [
        tr.gettext("{server}, {buttons}").format(
            server=info.describe(), buttons=describe_reach(reach, info.name, tr)
        )
    ]
    if on_demand:
        parts.append(tr.gettext("started on demand by the bus"))
    if send_test:
        server_id = _send_test(conn, timeout, tr)
        shown = tr.gettext('test notification shown (id {id}): "{summary}"')
        parts.append(shown.format(id=server_id, summary=tr.gettext(TEST_SUMMARY)))
    else:
        parts.append(tr.gettext("test notification skipped (--no-notify)"))
    detail = "; ".join(parts)
    if buttons:
        return CheckResult("notifications", "ok", detail)
    return CheckResult(
        "notifications",
        "warn",
        detail,
        tr.gettext(
            "reminders will name the command to type (breakd snooze, breakd skip) instead "
            "of Take break / Snooze / Skip buttons; for buttons use a server with actions: "
            "GNOME, KDE Plasma or xfce4-notifyd draw them, dunst and mako offer them in a "
            "menu"
        ),
    )


def _server_info(conn: DBusConnection, timeout: float, tr: Translator) -> ServerInfo:
    from jeepney import DBusAddress, new_method_call

    server = DBusAddress(
        "/org/freedesktop/Notifications", bus_name=_SERVER_NAME, interface=_SERVER_NAME
    )
    name, vendor, version, _spec = _call(
        conn, new_method_call(server, "GetServerInformation"), timeout, tr
    )
    (capabilities,) = _call(conn, new_method_call(server, "GetCapabilities"), timeout, tr)
    return ServerInfo(str(name), str(vendor), str(version), frozenset(map(str, capabilities)))


def _send_test(conn: DBusConnection, timeout: float, tr: Translator) -> int:
    from jeepney import DBusAddress, new_method_call

    from breakd.adapters.notify import APP_NAME, icon_path

    server = DBusAddress(
        "/org/freedesktop/Notifications", bus_name=_SERVER_NAME, interface=_SERVER_NAME
    )
    hints = {"urgency": ("y", 1)}
    args: tuple[object, ...] = (
        APP_NAME,
        0,
        icon_path(),
        tr.gettext(TEST_SUMMARY),
        tr.gettext(TEST_BODY),
        [],
        hints,
        TEST_EXPIRE_MS,
    )
    notify = new_method_call(server, "Notify", "susssasa{sv}i", args)
    (server_id,) = _call(conn, notify, timeout, tr)
    return int(server_id)


def _call(conn: DBusConnection, msg: Message, timeout: float, tr: Translator) -> tuple[Any, ...]:
    """One method call; any failure becomes a ``_BusProblem`` naming what went wrong."""
    from jeepney import HeaderFields
    from jeepney.wrappers import DBusErrorResponse, unwrap_msg

    member = msg.header.fields.get(HeaderFields.member, "a call")
    try:
        reply = conn.send_and_get_reply(msg, timeout=timeout)
        return tuple(unwrap_msg(reply))
    except DBusErrorResponse as exc:
        detail = exc.data[0] if exc.data else ""
        what = tr.gettext("the notification server answered {call} with {error}").format(
            call=member, error=f"{exc.name}: {detail}"
        )
    except (OSError, TimeoutError, concurrent.futures.TimeoutError) as exc:
        what = tr.gettext("{call} got no answer: {error}").format(
            call=member, error=f"{type(exc).__name__}: {exc}"
        )
    raise _BusProblem(
        CheckResult(
            "notifications",
            "fail",
            what,
            tr.gettext("the notification server misbehaves: restart it (or log out and in again)"),
        )
    )


def _said(error: Exception, tr: Translator) -> str:
    """What a source said, in the reader's words; an unexpected error with its type."""
    if error.args and isinstance(error.args[0], Phrase):
        return error.args[0].say(tr)
    return f"{type(error).__name__}: {error}"


# --- config ------------------------------------------------------------------------------------


def check_config(path: str | None, env: Mapping[str, str], tr: Translator = ENGLISH) -> CheckResult:
    """The config loads: the same loader and messages as ``breakd check-config``, in the
    reader's words (file, key and value as written)."""
    source = config_source(path, env)
    where = display_path(source, env) if source is not None else None
    try:
        load_config(source, env=env)
    except ConfigError as exc:
        count = len(exc.problems)
        problems = tr.ngettext("{n} problem in the config:", "{n} problems in the config:", count)
        fix = (
            N_(
                "edit {file}, then `breakd check-config` checks it again (the daemon refuses "
                "to start on a wrong config)"
            )
            if where
            else N_(
                "edit the config file, then `breakd check-config` checks it again (the "
                "daemon refuses to start on a wrong config)"
            )
        )
        return CheckResult(
            "config",
            "fail",
            f"{problems.format(n=count)}\n{exc.say(tr)}",
            tr.gettext(fix).format(file=where),
        )
    if where is None:
        from breakd.config.load import user_config_path

        default = display_path(user_config_path(env), env)
        detail = tr.gettext("no file at {file}; defaults only").format(file=default)
        return CheckResult("config", "ok", detail)
    return CheckResult("config", "ok", tr.gettext("{file} is valid").format(file=where))


# --- service -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completed:
    """What one ``systemctl --user`` call answered."""

    returncode: int
    stdout: str
    stderr: str = ""


# runner("is-active", "breakd.service") runs ``systemctl --user is-active breakd.service``.
SystemctlRunner = Callable[..., Completed]


def systemctl_runner(env: Mapping[str, str]) -> SystemctlRunner | None:
    """A runner for the ``systemctl`` on the environment's PATH; None if there is none."""
    exe = shutil.which("systemctl", path=env.get("PATH", os.defpath))
    if exe is None:
        return None
    child_env = dict(env)

    def run(*args: str) -> Completed:
        proc = subprocess.run(
            [exe, "--user", *args],
            env=child_env,
            capture_output=True,
            text=True,
            timeout=CALL_TIMEOUT,
            check=False,
        )
        return Completed(proc.returncode, proc.stdout, proc.stderr)

    return run


# is-enabled answers these for a unit file systemd knows; anything else: not installed.
_KNOWN_UNIT_STATES = frozenset(
    {
        *("enabled", "enabled-runtime", "linked", "linked-runtime", "alias", "static"),
        *("masked", "masked-runtime", "indirect", "disabled", "generated", "transient"),
    }
)
_ENABLED_STATES = frozenset({"enabled", "enabled-runtime", "static", "indirect", "generated"})
_RUNNING_STATES = frozenset({"active", "reloading", "activating"})
_IMPORTED = ("DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")


def check_service(
    env: Mapping[str, str], systemctl: SystemctlRunner | None, tr: Translator = ENGLISH
) -> CheckResult:
    """Installed as a systemd user service (enabled, running) or as an autostart entry."""
    manager, why_not = _user_manager(systemctl, tr)
    if systemctl is None or manager is None:
        return _service_without_manager(env, why_not, tr)
    enabled = _first_word(systemctl, "is-enabled", UNIT)
    active = _first_word(systemctl, "is-active", UNIT)
    missing = [name for name in _IMPORTED if env.get(name) and name not in manager]
    if enabled not in _KNOWN_UNIT_STATES:
        return CheckResult(
            "service",
            "warn",
            tr.gettext(
                "not installed: the systemd user manager has no {unit}, so breakd will not "
                "start with your session"
            ).format(unit=UNIT),
            "`breakd install`",
        )
    # systemd's own words for the states (enabled, active...) stay as systemctl says them.
    detail = tr.gettext("systemd user service {unit}: {enabled}, {active}").format(
        unit=UNIT, enabled=enabled, active=active
    )
    status: Status = "ok"
    fixes: list[str] = []
    if enabled.startswith("masked"):
        status = "fail"
        fixes.append(
            tr.gettext("`systemctl --user unmask {unit}`, then `breakd install`").format(unit=UNIT)
        )
    elif enabled not in _ENABLED_STATES:
        status = "warn"
        fixes.append(
            tr.gettext("`systemctl --user enable {unit}` so it starts with your session").format(
                unit=UNIT
            )
        )
    if missing:
        # Without these the service starts blind or cannot show notifications.
        status = "fail" if active not in _RUNNING_STATES else _worse(status, "warn")
        lacks = tr.gettext("{detail}; the user manager lacks {names}")
        detail = lacks.format(detail=detail, names=", ".join(missing))
        fixes.append(f"`systemctl --user import-environment {' '.join(missing)}`")
    if active == "failed":
        status = "fail"
        fixes.append(
            tr.gettext(
                "see why: `journalctl --user -u breakd -e`; then `systemctl --user restart breakd`"
            )
        )
    elif active not in _RUNNING_STATES:
        status = "fail"
        fixes.append("`systemctl --user start breakd`")
    return CheckResult("service", status, detail, "; ".join(fixes))


def _user_manager(
    systemctl: SystemctlRunner | None, tr: Translator
) -> tuple[frozenset[str] | None, str]:
    """The names in the user manager's environment, or None and why there is no manager."""
    if systemctl is None:
        return None, tr.gettext("systemctl is not installed")
    try:
        answer = systemctl("show-environment")
    except (OSError, subprocess.SubprocessError) as exc:
        return None, tr.gettext("`systemctl --user` could not run: {error}").format(error=exc)
    if answer.returncode != 0:
        lines = answer.stderr.strip().splitlines()
        if lines:
            return None, lines[-1]  # systemctl's own words
        failed = tr.gettext("`systemctl --user` exit status {code}")
        return None, failed.format(code=answer.returncode)
    names = frozenset(line.partition("=")[0] for line in answer.stdout.splitlines() if "=" in line)
    return names, ""


def _first_word(systemctl: SystemctlRunner, *args: str) -> str:
    try:
        answer = systemctl(*args)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc})"
    words = answer.stdout.split()
    return words[0] if words else "unknown"


def _service_without_manager(env: Mapping[str, str], why_not: str, tr: Translator) -> CheckResult:
    from breakd.service.install import autostart_path

    entry = autostart_path(env)
    where = display_path(entry, env)
    if os.path.lexists(entry):
        detail = N_(
            "no systemd user manager ({why_not}); the autostart entry {file} starts breakd "
            "with your desktop login"
        )
        return CheckResult("service", "ok", tr.gettext(detail).format(why_not=why_not, file=where))
    detail = N_(
        "not installed: no systemd user manager ({why_not}) and no autostart entry at {file}"
    )
    return CheckResult(
        "service",
        "warn",
        tr.gettext(detail).format(why_not=why_not, file=where),
        tr.gettext(
            "`breakd install` (writes the autostart entry: breakd then starts with each "
            "desktop login)"
        ),
    )


def _worse(a: Status, b: Status) -> Status:
    order = {"skip": 0, "ok": 1, "warn": 2, "fail": 3}
    return a if order[a] >= order[b] else b


# --- control socket ----------------------------------------------------------------------------


def check_socket(
    path: Path,
    *,
    timeout: float = CALL_TIMEOUT,
    version: str = __version__,
    tr: Translator = ENGLISH,
) -> CheckResult:
    """The daemon answers ``ping`` on its control socket."""
    from breakd.control.client import NotRunning, request
    from breakd.control.protocol import ProtocolError

    try:
        reply = request(path, "ping", timeout=timeout)
    except NotRunning:
        return CheckResult(
            "socket",
            "fail",
            tr.gettext("breakd is not running (nothing listens on {path})").format(path=path),
            tr.gettext(
                "start it: `systemctl --user start breakd` where it is installed as a "
                "service, else `breakd run &`; `breakd install` makes it start with every "
                "login"
            ),
        )
    except (OSError, ProtocolError) as exc:  # TimeoutError and ConnectionError are OSErrors
        return CheckResult(
            "socket",
            "fail",
            tr.gettext("the daemon on {path} does not answer properly: {error}").format(
                path=path, error=f"{type(exc).__name__}: {exc}"
            ),
            tr.gettext(
                "restart it: `systemctl --user restart breakd`, or stop the `breakd run` "
                "process and start it again"
            ),
        )
    if not reply.ok or not isinstance(reply.result, dict):
        return CheckResult(
            "socket",
            "fail",
            tr.gettext("the daemon on {path} refused ping: {error}").format(
                path=path, error=reply.error
            ),
            tr.gettext("restart it with this version: `systemctl --user restart breakd`"),
        )
    pid, running = reply.result.get("pid"), reply.result.get("version")
    detail = tr.gettext("breakd {version} is running (pid {pid}), control socket {path}").format(
        version=running, pid=pid, path=path
    )
    if running != version:
        return CheckResult(
            "socket",
            "warn",
            tr.gettext("{detail}; this command is breakd {version}").format(
                detail=detail, version=version
            ),
            tr.gettext(
                "restart the daemon so it runs this version: `systemctl --user restart "
                "breakd` (or stop `breakd run` and start it again)"
            ),
        )
    return CheckResult("socket", "ok", detail)


def socket_check_for(
    env: Mapping[str, str], *, timeout: float = CALL_TIMEOUT, tr: Translator = ENGLISH
) -> CheckResult:
    """``check_socket`` at the socket's usual place (whose /tmp fallback may be unsafe)."""
    from breakd.control.paths import UnsafeDirectory, socket_path

    try:
        path = socket_path(env)
    except (UnsafeDirectory, OSError) as exc:
        return CheckResult(
            "socket",
            "fail",
            tr.gettext("the control socket's directory cannot be used: {error}").format(
                error=Phrase.of(exc).say(tr)
            ),
            tr.gettext(
                "set XDG_RUNTIME_DIR (your login session normally does), or remove that directory"
            ),
        )
    return check_socket(path, timeout=timeout, tr=tr)


# --- state database --------------------------------------------------------------------------


def check_database(path: Path, env: Mapping[str, str], tr: Translator = ENGLISH) -> CheckResult:
    """The statistics file reads, passes SQLite's integrity check and has a current schema."""
    from breakd.store.sqlite import SCHEMA_VERSION, schema_version

    where = display_path(path, env)
    if not path.exists():
        detail = tr.gettext("no data yet ({file} will be created by the daemon)")
        return CheckResult("database", "ok", detail.format(file=where))
    try:
        uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=CALL_TIMEOUT)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            version = schema_version(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return CheckResult(
            "database",
            "fail",
            tr.gettext("{file} cannot be read: {error}").format(file=where, error=exc),
            tr.gettext(
                "move it aside (`mv {file} {file}.broken`) and restart breakd, which starts "
                "a new file (the statistics in the old one are lost)"
            ).format(file=where),
        )
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    if problems:
        damaged = tr.gettext(
            N_("{file} is damaged: {problem}")
            if len(problems) == 1
            else N_("{file} is damaged: {problem} (and {more} more)")
        )
        return CheckResult(
            "database",
            "fail",
            damaged.format(file=where, problem=problems[0], more=len(problems) - 1),
            tr.gettext(
                "save what can be saved with `sqlite3 {file} .recover > breakd.sql`, then "
                "move the file aside and restart breakd"
            ).format(file=where),
        )
    size = _file_size(path, tr)
    if version > SCHEMA_VERSION:
        return CheckResult(
            "database",
            "fail",
            tr.gettext(
                "{file} has schema version {version}, newer than this breakd's {ours}"
            ).format(file=where, version=version, ours=SCHEMA_VERSION),
            tr.gettext("update breakd (a newer one wrote this file)"),
        )
    if version < SCHEMA_VERSION:
        return CheckResult(
            "database",
            "warn",
            tr.gettext(
                "{file} ({size}) has schema version {version}, this breakd uses {ours}"
            ).format(file=where, size=size, version=version, ours=SCHEMA_VERSION),
            tr.gettext(
                "restart the daemon (`systemctl --user restart breakd`, or `breakd run`): "
                "it upgrades the file when it starts"
            ),
        )
    detail = tr.gettext("{file}: {size}, schema version {version}, integrity ok")
    return CheckResult("database", "ok", detail.format(file=where, size=size, version=version))


def _file_size(path: Path, tr: Translator = ENGLISH) -> str:
    # Recent writes may still sit in the write-ahead log: count it, it is the user's data.
    total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    if total < 1024:
        return tr.ngettext("{n} byte", "{n} bytes", total).format(n=total)
    size = total / 1024
    for unit in ("KiB", "MiB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"
