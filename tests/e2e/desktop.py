"""A real, private X11 desktop for end-to-end tests.

Everything here is plain Python (no pytest), so the helpers can also be used from a REPL
when debugging a failing e2e test. The pieces:

* :class:`Xvfb` - a virtual X server (has the RECORD and XTEST extensions pynput and xdotool need).
* :class:`SessionBus` - a private ``dbus-daemon``; children get its address explicitly so
  nothing auto-launches a stray bus or talks to the developer's real session.
* :class:`NotificationServer` - dunst on that bus and display, configured so notifications
  never expire, are never stacked/merged, and stay in its history.
* :class:`NotificationRecorder` - ``dbus-monitor --binary`` decoded with a small D-Bus
  unmarshaller: every ``Notify`` call with exact, typed arguments (the primary read-back).
* :class:`Input` - xdotool bound to the display (keys, typing, mouse).
* :class:`PynputProbe` - a tiny pynput listener in a subprocess that counts events, to prove
  synthetic input is visible to pynput (never records which keys).
* :class:`Desktop` - all of the above as one context manager, plus ``env()`` for children and
  ``spawn()`` for processes (e.g. the daemon) that must die with the desktop.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

NOTIFICATIONS_NAME = "org.freedesktop.Notifications"

DCONF_SERVICE = "/usr/libexec/dconf-service"

#: binary -> Debian package that ships it (for the "please install" message).
TOOL_PACKAGES: dict[str, str] = {
    "Xvfb": "xvfb",
    "xdpyinfo": "x11-utils",
    "xdotool": "xdotool",
    "dbus-daemon": "dbus-daemon",
    "dbus-send": "dbus-bin",
    "dbus-monitor": "dbus-bin",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "notify-send": "libnotify-bin",
    "gsettings": "libglib2.0-bin",
    DCONF_SERVICE: "dconf-service",
    "pulseaudio": "pulseaudio",  # the sound server of the calls tests
    "pactl": "pulseaudio-utils",
    "parecord": "pulseaudio-utils",
}

#: The tools a :class:`Desktop` needs (notify-send is only used by tests, checked separately).
DESKTOP_TOOLS: tuple[str, ...] = (
    "Xvfb",
    "xdpyinfo",
    "xdotool",
    "dbus-daemon",
    "dbus-send",
    "dbus-monitor",
    "dunst",
    "dunstctl",
)

#: Session variables of the developer's real desktop that must not leak into children.
_SCRUBBED_ENV = (
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "XAUTHORITY",
    "DBUS_SESSION_BUS_ADDRESS",
    "DBUS_STARTER_ADDRESS",
    "DBUS_STARTER_BUS_TYPE",
    "XDG_CURRENT_DESKTOP",
    "XDG_SESSION_DESKTOP",
    "DESKTOP_SESSION",
    "SWAYSOCK",
    "I3SOCK",
)

DEFAULT_TIMEOUT = 10.0
_POLL = 0.02


class DesktopError(RuntimeError):
    """A harness component failed to start or misbehaved (message includes its log)."""


class MissingToolError(DesktopError):
    """A required binary is not installed; ``package`` names the Debian package."""

    def __init__(self, tool: str, package: str) -> None:
        super().__init__(f"{tool} not found on PATH: install the Debian package '{package}'")
        self.tool = tool
        self.package = package


def require_tool(name: str) -> str:
    """Return the path of ``name`` or raise :class:`MissingToolError` naming its package."""
    path = shutil.which(name)
    if path is None:
        raise MissingToolError(name, TOOL_PACKAGES.get(name, name))
    return path


def require_tools(names: Sequence[str] = DESKTOP_TOOLS) -> None:
    """Check all tools at once so the error names the first missing one before any start."""
    for name in names:
        require_tool(name)


def wait_until(
    condition: Callable[[], bool], timeout: float = DEFAULT_TIMEOUT, what: str = "condition"
) -> None:
    """Poll ``condition`` with short sleeps: generous timeout, but returns as soon as it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")
        time.sleep(_POLL)


# --------------------------------------------------------------------------------------------
# process handling


def spawn(
    args: Sequence[str],
    env: dict[str, str],
    log: Path | None = None,
    *,
    pass_fds: Sequence[int] = (),
    stdout: int | IO[Any] | None = None,
    stdin: int | IO[Any] | None = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """Start ``args`` in its own process group so teardown can kill it with all descendants."""
    log_file = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(
            list(args),
            env=env,
            stdin=stdin,
            stdout=stdout if stdout is not None else log_file,
            stderr=log_file,
            pass_fds=tuple(pass_fds),
            start_new_session=True,
        )
    finally:
        if log is not None:
            log_file.close()  # type: ignore[union-attr]


def terminate(proc: subprocess.Popen[Any] | None, grace: float = 3.0) -> None:
    """SIGTERM the process group, SIGKILL it after ``grace`` seconds; always reap the leader.

    Killing the group (not just the pid) is what guarantees no helper survives a test. The
    leader is reaped only after the last signal to its group: until then its pid (the
    group's id) stays taken, and cannot have been handed to another process. A run spawns
    tens of thousands of processes and pid_max is often 32768, so a signal sent to a pid that
    was already reaped can stop an unrelated process: another test's daemon.
    """
    if proc is None or proc.returncode is not None:
        return  # reaped already: its pid may be someone else's now
    _signal_group(proc, signal.SIGTERM)
    _wait_unreaped(proc, grace)
    # The group may still hold children of the leader even after the leader exited.
    _signal_group(proc, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)


def _wait_unreaped(proc: subprocess.Popen[Any], timeout: float) -> None:
    """Until the leader has exited (or ``timeout``), leaving it a zombie that holds its pid."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere: poll() records that, and no signal follows
            proc.poll()
            return
        if info is not None:
            return
        time.sleep(0.02)


def _signal_group(proc: subprocess.Popen[Any], sig: int) -> None:
    if proc.returncode is not None:
        return  # reaped: see terminate()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _read_line_from_fd(fd: int, timeout: float, what: str) -> str:
    """Read one ``\\n``-terminated line from a pipe, failing cleanly on EOF or timeout."""
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 256)
        if not chunk:
            raise DesktopError(f"{what}: process exited before reporting (got {data!r})")
        data += chunk
    return data.decode().strip()


def _tail(path: Path, limit: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-limit:]
    except OSError:
        return ""


# --------------------------------------------------------------------------------------------
# Xvfb


@dataclass
class Xvfb:
    """A virtual X server. ``display=None`` picks a free number via ``-displayfd``.

    ``-displayfd`` is the race-free way to choose a display (the server itself finds a free
    one and reports it) and it doubles as the readiness signal: the number is written only
    once the server accepts connections. With an explicit number it still signals readiness.
    """

    workdir: Path
    display: int | None = None
    screen: str = "1280x1024x24"
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        """The DISPLAY value, e.g. ``":3"``."""
        if self.display is None:
            raise DesktopError("Xvfb not started yet")
        return f":{self.display}"

    @property
    def log(self) -> Path:
        return self.workdir / "xvfb.log"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def launch(self, env: dict[str, str]) -> Callable[[float], None]:
        """Start the server; return a function that waits for readiness (to overlap startups)."""
        read_fd, write_fd = os.pipe()
        args = [require_tool("Xvfb")]
        if self.display is not None:
            args.append(f":{self.display}")
        args += ["-displayfd", str(write_fd), "-screen", "0", self.screen, "-nolisten", "tcp"]
        args += ["-noreset"]  # keep running when the last client (e.g. the daemon) disconnects
        try:
            self.proc = spawn(args, env, self.log, pass_fds=(write_fd,))
        finally:
            os.close(write_fd)

        def wait_ready(timeout: float = DEFAULT_TIMEOUT) -> None:
            try:
                line = _read_line_from_fd(read_fd, timeout, "Xvfb -displayfd")
            except (TimeoutError, DesktopError) as exc:
                terminate(self.proc)
                raise DesktopError(f"{exc}\n--- xvfb.log ---\n{_tail(self.log)}") from exc
            finally:
                os.close(read_fd)
            self.display = int(line)

        return wait_ready

    def start(self, env: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Start and wait until the server accepts connections."""
        self.launch(env if env is not None else dict(os.environ))(timeout)

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """Orderly shutdown (SIGTERM): the server removes its socket and lock file."""
        terminate(self.proc)

    def kill(self) -> None:
        """Crash the server (SIGKILL), as when X dies under a running client."""
        if self.proc is not None:
            _signal_group(self.proc, signal.SIGKILL)
            self.proc.wait(timeout=DEFAULT_TIMEOUT)

    def restart_same_display(
        self, env: dict[str, str] | None = None, *, crash: bool = True
    ) -> None:
        """Kill (or stop) the server and start a NEW one on the same display number."""
        if crash:
            self.kill()
        else:
            self.stop()
        self.start(env)

    def query_extensions(self, env: dict[str, str]) -> str:
        """``xdpyinfo -queryExtensions`` output (lists RECORD, XTEST, ...)."""
        result = subprocess.run(
            [require_tool("xdpyinfo"), "-display", self.name, "-queryExtensions"],
            env=env,
            capture_output=True,
            text=True,
            timeout=DEFAULT_TIMEOUT,
            check=True,
        )
        return result.stdout


# --------------------------------------------------------------------------------------------
# session bus


#: A session bus WITHOUT service activation. The stock session.conf would let any Notify
#: call (dunstctl, notify-send, the daemon) auto-start /usr/share/dbus-1/services/
#: org.knopwob.dunst.service whenever our dunst is down (e.g. after kill_x()): a stray dunst
#: outside our process groups. Without activation, Notify fails with ServiceUnknown as on a
#: desktop with no notification server, which is what daemon tests want to see.
BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass
class SessionBus:
    """A private session ``dbus-daemon`` listening on a socket in ``workdir``."""

    workdir: Path
    address: str = field(default="", init=False)
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def log(self) -> Path:
        return self.workdir / "dbus-daemon.log"

    @property
    def config(self) -> Path:
        return self.workdir / "bus.conf"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def launch(self, env: dict[str, str]) -> Callable[[float], None]:
        """Start the daemon; return a function that waits until it prints its address."""
        read_fd, write_fd = os.pipe()
        self.config.write_text(BUS_CONFIG.format(dir=self.workdir))
        args = [
            require_tool("dbus-daemon"),
            f"--config-file={self.config}",
            "--nofork",
            "--nosyslog",
            f"--print-address={write_fd}",
        ]
        try:
            self.proc = spawn(args, env, self.log, pass_fds=(write_fd,))
        finally:
            os.close(write_fd)

        def wait_ready(timeout: float = DEFAULT_TIMEOUT) -> None:
            try:
                self.address = _read_line_from_fd(read_fd, timeout, "dbus-daemon address")
            except (TimeoutError, DesktopError) as exc:
                terminate(self.proc)
                raise DesktopError(f"{exc}\n--- dbus-daemon.log ---\n{_tail(self.log)}") from exc
            finally:
                os.close(read_fd)

        return wait_ready

    def start(self, env: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.launch(env if env is not None else dict(os.environ))(timeout)

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def name_has_owner(self, name: str) -> bool:
        """Ask the bus whether ``name`` is owned (e.g. the notification server is up)."""
        result = subprocess.run(
            [
                require_tool("dbus-send"),
                f"--bus={self.address}",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                f"string:{name}",
            ],
            env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address},
            capture_output=True,
            text=True,
            timeout=DEFAULT_TIMEOUT,
        )
        return result.returncode == 0 and "boolean true" in result.stdout

    def stop(self) -> None:
        terminate(self.proc)


# --------------------------------------------------------------------------------------------
# D-Bus wire format (just enough to decode messages from `dbus-monitor --binary`)

_FIXED: dict[str, tuple[str, int]] = {
    "y": ("B", 1),
    "b": ("I", 4),
    "n": ("h", 2),
    "q": ("H", 2),
    "i": ("i", 4),
    "u": ("I", 4),
    "x": ("q", 8),
    "t": ("Q", 8),
    "d": ("d", 8),
    "h": ("I", 4),
}
_ALIGN: dict[str, int] = {"s": 4, "o": 4, "g": 1, "v": 1, "a": 4, "(": 8, "{": 8}


def split_signature(sig: str) -> list[str]:
    """Split a D-Bus signature into complete types: ``"susa{sv}"`` -> ``["s","u","s","a{sv}"]``."""
    types: list[str] = []
    i = 0
    while i < len(sig):
        end = _complete_type_end(sig, i)
        types.append(sig[i:end])
        i = end
    return types


def _complete_type_end(sig: str, i: int) -> int:
    if sig[i] == "a":
        return _complete_type_end(sig, i + 1)
    if sig[i] in "({":
        closing = ")" if sig[i] == "(" else "}"
        depth, j = 0, i
        while True:
            if sig[j] in "({":
                depth += 1
            elif sig[j] in ")}":
                depth -= 1
                if depth == 0 and sig[j] == closing:
                    return j + 1
            j += 1
    return i + 1


class _Unmarshaller:
    """Decodes D-Bus marshalled values; offsets are relative to the message start."""

    def __init__(self, data: bytes, little_endian: bool) -> None:
        self.data = data
        self.pos = 0
        self.order = "<" if little_endian else ">"

    def align(self, n: int) -> None:
        self.pos += (-self.pos) % n

    def _unpack(self, fmt: str, size: int) -> Any:
        self.align(size)
        (value,) = struct.unpack_from(self.order + fmt, self.data, self.pos)
        self.pos += size
        return value

    def read(self, t: str) -> Any:
        if t in _FIXED:
            value = self._unpack(*_FIXED[t])
            return bool(value) if t == "b" else value
        if t in ("s", "o"):
            length = self._unpack("I", 4)
            return self._bytes(length).decode("utf-8", errors="replace")
        if t == "g":
            length = self._unpack("B", 1)
            return self._bytes(length).decode()
        if t == "v":
            (inner,) = split_signature(self.read("g"))
            return self.read(inner)
        if t[0] == "a":
            return self._read_array(t[1:])
        if t[0] in "({":
            self.align(8)
            return tuple(self.read(sub) for sub in split_signature(t[1:-1]))
        raise DesktopError(f"unsupported D-Bus type {t!r}")

    def _bytes(self, length: int) -> bytes:
        value = self.data[self.pos : self.pos + length]
        self.pos += length + 1  # trailing NUL
        return value

    def _read_array(self, elem: str) -> Any:
        length = self._unpack("I", 4)
        self.align(_FIXED[elem][1] if elem in _FIXED else _ALIGN[elem[0]])
        end = self.pos + length
        if elem == "y":
            self.pos = end
            return self.data[end - length : end]
        items = []
        while self.pos < end:
            items.append(self.read(elem))
        return dict(items) if elem.startswith("{") else items


@dataclass(frozen=True)
class DBusMessage:
    """One decoded D-Bus message (header fields we care about + body values)."""

    type: int
    member: str | None
    interface: str | None
    path: str | None
    sender: str | None
    destination: str | None
    signature: str
    body: tuple[Any, ...]

    METHOD_CALL = 1
    SIGNAL = 4


def read_message(stream: IO[bytes]) -> DBusMessage | None:
    """Read and decode one message from a ``dbus-monitor --binary`` stream (None at EOF)."""
    fixed = _read_exact(stream, 16)
    if fixed is None:
        return None
    little = fixed[0:1] == b"l"
    order = "<" if little else ">"
    body_len, _serial, fields_len = struct.unpack_from(order + "III", fixed, 4)
    header_len = 16 + fields_len + (-(16 + fields_len)) % 8
    rest = _read_exact(stream, header_len - 16 + body_len)
    if rest is None:
        return None
    reader = _Unmarshaller(fixed + rest, little)
    reader.pos = 12
    fields = {code: value for code, value in reader.read("a(yv)")}
    reader.pos = header_len
    sig = fields.get(8, "")
    body = tuple(reader.read(t) for t in split_signature(sig))
    return DBusMessage(
        type=fixed[1],
        member=fields.get(3),
        interface=fields.get(2),
        path=fields.get(1),
        sender=fields.get(7),
        destination=fields.get(6),
        signature=sig,
        body=body,
    )


def _read_exact(stream: IO[bytes], n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


# --------------------------------------------------------------------------------------------
# notifications

URGENCY_LOW, URGENCY_NORMAL, URGENCY_CRITICAL = 0, 1, 2


@dataclass(frozen=True)
class Notification:
    """One ``org.freedesktop.Notifications.Notify`` call, exactly as the client sent it."""

    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: tuple[str, ...]
    hints: dict[str, Any]
    expire_timeout: int
    sender: str | None = None
    received_at: float = 0.0  # time.monotonic() when the recorder decoded it

    @property
    def title(self) -> str:
        return self.summary

    @property
    def urgency(self) -> int | None:
        """0 low, 1 normal, 2 critical; None when the client sent no urgency hint."""
        value = self.hints.get("urgency")
        return int(value) if value is not None else None

    @classmethod
    def from_message(cls, msg: DBusMessage) -> Notification:
        app_name, replaces_id, app_icon, summary, body, actions, hints, timeout = msg.body
        return cls(
            app_name=app_name,
            replaces_id=replaces_id,
            app_icon=app_icon,
            summary=summary,
            body=body,
            actions=tuple(actions),
            hints=dict(hints),
            expire_timeout=timeout,
            sender=msg.sender,
            received_at=time.monotonic(),
        )


@dataclass(frozen=True)
class ShownNotification:
    """A notification as dunst displayed it (from ``dunstctl history``; no urgency there)."""

    id: int
    app_name: str
    summary: str
    body: str
    timeout: int
    icon_path: str = ""  # the image it loaded (image-path or the app icon), as a file path

    @property
    def title(self) -> str:
        return self.summary


NotificationPredicate = Callable[[Notification], bool]


def matching(
    app_name: str | None = None,
    summary: str | None = None,
    body_contains: str | None = None,
    urgency: int | None = None,
) -> NotificationPredicate:
    """Build a predicate for :meth:`NotificationRecorder.wait_for` from the usual fields."""

    def predicate(n: Notification) -> bool:
        return (
            (app_name is None or n.app_name == app_name)
            and (summary is None or n.summary == summary)
            and (body_contains is None or body_contains in n.body)
            and (urgency is None or n.urgency == urgency)
        )

    return predicate


class NotificationRecorder:
    """Records every ``Notify`` call on the bus via ``dbus-monitor --binary``.

    Binary mode plus our own unmarshaller is exact: the text mode of dbus-monitor prints
    strings without escaping, so quotes and newlines in a body make it ambiguous. The monitor
    uses BecomeMonitor (dbus >= 1.10), so it sees calls regardless of the client or server.
    It sees only calls the bus delivers: with no notification server (after ``kill_x()``) the
    bus rejects Notify with ServiceUnknown and nothing is recorded.
    """

    MATCH = "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"

    def __init__(self, bus_address: str, workdir: Path) -> None:
        self.bus_address = bus_address
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self._items: list[Notification] = []
        self._cond = threading.Condition()
        self._active = False
        self._thread: threading.Thread | None = None
        self.decode_errors: list[str] = []

    @property
    def log(self) -> Path:
        return self.workdir / "dbus-monitor.log"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Start the monitor and wait until the bus has made it a monitor (no missed calls)."""
        args = [
            require_tool("dbus-monitor"),
            "--binary",
            "--address",
            self.bus_address,
            self.MATCH,
        ]
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.bus_address}
        self.proc = spawn(args, env, self.log, stdout=subprocess.PIPE)
        self._thread = threading.Thread(target=self._pump, name="notify-recorder", daemon=True)
        self._thread.start()
        try:
            self._wait(lambda: self._active, timeout, "dbus-monitor to become a monitor")
        except TimeoutError as exc:
            self.stop()
            raise DesktopError(f"{exc}\n--- dbus-monitor.log ---\n{_tail(self.log)}") from exc

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        stream = self.proc.stdout
        while True:
            try:
                msg = read_message(stream)
            except Exception as exc:  # keep recording; surface it in failure messages
                self.decode_errors.append(repr(exc))
                continue
            if msg is None:
                return
            with self._cond:
                # BecomeMonitor drops the monitor's names: NameLost proves monitoring is live.
                if msg.type == DBusMessage.SIGNAL and msg.member == "NameLost":
                    self._active = True
                elif msg.member == "Notify" and msg.signature == "susssasa{sv}i":
                    self._items.append(Notification.from_message(msg))
                self._cond.notify_all()

    def _wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        with self._cond:
            if not self._cond.wait_for(condition, timeout):
                raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")

    def all(self) -> list[Notification]:
        """Every Notify call seen since start (or the last :meth:`clear`), oldest first."""
        with self._cond:
            return list(self._items)

    def mark(self) -> int:
        """A position to pass as ``since=`` so only later notifications count."""
        with self._cond:
            return len(self._items)

    def clear(self) -> None:
        with self._cond:
            self._items.clear()

    def wait_for(
        self,
        predicate: NotificationPredicate | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        since: int = 0,
    ) -> Notification:
        """Return the first notification (at index >= ``since``) matching ``predicate``.

        Returns as soon as one arrives; raises TimeoutError listing what was seen instead.
        """
        pred = predicate or (lambda _n: True)
        found: list[Notification] = []

        def check() -> bool:
            found[:] = [n for n in self._items[since:] if pred(n)][:1]
            return bool(found)

        try:
            self._wait(check, timeout, "a matching notification")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; seen: {self.all()!r}") from None
        return found[0]

    def wait_for_count(self, count: int, timeout: float = DEFAULT_TIMEOUT) -> list[Notification]:
        """Wait until at least ``count`` notifications were recorded; return them all."""
        try:
            self._wait(lambda: len(self._items) >= count, timeout, f"{count} notifications")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; seen: {self.all()!r}") from None
        return self.all()

    def assert_none(
        self, predicate: NotificationPredicate | None = None, duration: float = 1.0, since: int = 0
    ) -> None:
        """Fail if a matching notification shows up within ``duration`` seconds."""
        try:
            hit = self.wait_for(predicate, duration, since)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected notification: {hit!r}")

    def stop(self) -> None:
        terminate(self.proc)
        if self._thread is not None:
            self._thread.join(timeout=DEFAULT_TIMEOUT)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()


DUNSTRC = """\
# Written by tests/e2e/desktop.py: keep every notification, unmerged, forever.
[global]
    monitor = 0
    follow = none
    notification_limit = 0
    stack_duplicates = false
    hide_duplicate_count = true
    sticky_history = true
    history_length = 1000
    idle_threshold = 0
    show_age_threshold = -1
    markup = no
    font = Monospace 8

[urgency_low]
    timeout = 0

[urgency_normal]
    timeout = 0

[urgency_critical]
    timeout = 0
"""


@dataclass
class NotificationServer:
    """dunst on the private bus and display; notifications never expire on their own."""

    workdir: Path
    env: dict[str, str]
    dunstrc: str = DUNSTRC  # the config it runs with (scripts/screenshots.py: dunst's stock one)
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _baseline_id: int = field(default=0, init=False, repr=False)

    @property
    def log(self) -> Path:
        return self.workdir / "dunst.log"

    @property
    def config(self) -> Path:
        return self.workdir / "dunstrc"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def launch(self) -> Callable[[float], None]:
        """Start dunst; return a function that waits until it owns the Notifications name."""
        self.config.write_text(self.dunstrc)
        self._baseline_id = 0  # a new dunst process numbers from scratch
        # Debian's dunst 1.9 accepts -conf/-config (not --config).
        self.proc = spawn([require_tool("dunst"), "-conf", str(self.config)], self.env, self.log)

        def wait_ready(timeout: float = DEFAULT_TIMEOUT) -> None:
            try:
                wait_until(self._owns_name, timeout, f"{NOTIFICATIONS_NAME} to have an owner")
            except TimeoutError as exc:
                terminate(self.proc)
                raise DesktopError(f"{exc}\n--- dunst.log ---\n{_tail(self.log)}") from exc

        return wait_ready

    def start(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.launch()(timeout)

    def _owns_name(self) -> bool:
        if not self.is_running():
            raise DesktopError(f"dunst exited early\n--- dunst.log ---\n{_tail(self.log)}")
        return self._dunstctl("count").returncode == 0

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _dunstctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [require_tool("dunstctl"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=DEFAULT_TIMEOUT,
        )

    def click(self, button: int = 1) -> None:
        """Click the topmost notification on screen with the mouse, as a user would (dunst's
        stock config: 1 closes it, 2 invokes its ``default`` action, 3 closes all)."""
        xdotool = require_tool("xdotool")
        found = subprocess.run(
            [xdotool, "search", "--onlyvisible", "--class", "Dunst"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=DEFAULT_TIMEOUT,
        )
        windows = found.stdout.split()
        if not windows:
            raise DesktopError(f"no dunst window on screen to click: {found.stderr.strip()}")
        # A few pixels in from the corner: the first notification, whatever its size.
        click = [xdotool, "mousemove", "--window", windows[-1], "20", "10", "click", str(button)]
        subprocess.run(click, env=self.env, check=True, timeout=DEFAULT_TIMEOUT)

    def displayed_count(self) -> int:
        """How many notifications are on screen right now."""
        result = self._dunstctl("count", "displayed")
        result.check_returncode()
        return int(result.stdout.strip())

    def history(self) -> list[ShownNotification]:
        """What dunst showed since start or :meth:`clear`, oldest first.

        Side effect: closes the displayed ones first, because ``dunstctl history`` lists only
        closed or expired notifications.
        """
        return [n for n in self._full_history() if n.id > self._baseline_id]

    def _full_history(self) -> list[ShownNotification]:
        self._dunstctl("close-all").check_returncode()
        result = self._dunstctl("history")
        result.check_returncode()
        entries = json.loads(result.stdout)["data"][0]
        shown = [
            ShownNotification(
                id=e["id"]["data"],
                app_name=e["appname"]["data"],
                summary=e["summary"]["data"],
                body=e["body"]["data"],
                timeout=e["timeout"]["data"],
                icon_path=e.get("icon_path", {}).get("data", ""),
            )
            for e in entries
        ]
        return sorted(shown, key=lambda n: n.id)

    def clear(self) -> None:
        """Close everything and hide the history so far from :meth:`history`.

        dunst 1.9 has no ``history-clear`` (``history-pop`` would re-display), so remember the
        highest id seen; ids only grow within one dunst process.
        """
        self._baseline_id = max((n.id for n in self._full_history()), default=self._baseline_id)

    def stop(self) -> None:
        terminate(self.proc)


# --------------------------------------------------------------------------------------------
# input


@dataclass
class Input:
    """Synthetic input through XTEST (xdotool) on one display.

    No window manager and no focused window is needed: events go to the root window, which
    is harmless, and pynput's RECORD-based listener sees them regardless of focus.
    """

    env: dict[str, str]
    #: characters typed by keys_for(): present in the default US keymap, no side effects.
    filler: str = "asdfjkl "

    def _xdotool(self, *args: str, timeout: float = 60.0) -> None:
        subprocess.run(
            [require_tool("xdotool"), *args],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def type_text(self, text: str, delay_ms: int = 12) -> None:
        self._xdotool("type", "--delay", str(delay_ms), "--", text)

    def key(self, *keys: str, delay_ms: int = 12) -> None:
        """Press and release keysyms, e.g. ``key("ctrl+a", "Return")``."""
        self._xdotool("key", "--delay", str(delay_ms), "--", *keys)

    def _filler_text(self, seconds: float, rate_per_s: float) -> tuple[str, int]:
        count = max(1, round(seconds * rate_per_s))
        text = (self.filler * (count // len(self.filler) + 1))[:count]
        # xdotool type spends --delay/2 per key (half after press, half after release).
        return text, max(1, round(2000 / rate_per_s))

    def keys_for(self, seconds: float, rate_per_s: float = 8.0) -> int:
        """Type harmless characters for about ``seconds`` at ``rate_per_s``; return key count.

        Blocks. Each key is a press and a release (2 pynput events).
        """
        text, delay = self._filler_text(seconds, rate_per_s)
        self._xdotool("type", "--delay", str(delay), "--", text, timeout=seconds * 3 + 30)
        return len(text)

    def start_keys_for(self, seconds: float, rate_per_s: float = 8.0) -> subprocess.Popen[bytes]:
        """Like :meth:`keys_for` but in the background; the caller waits on or kills it.

        Killing the X server under it makes it fail; that is fine for crash tests.
        """
        text, delay = self._filler_text(seconds, rate_per_s)
        return spawn([require_tool("xdotool"), "type", "--delay", str(delay), "--", text], self.env)

    def move_mouse(self, x: int, y: int) -> None:
        self._xdotool("mousemove", str(x), str(y))

    def move_mouse_relative(self, dx: int, dy: int) -> None:
        self._xdotool("mousemove_relative", "--", str(dx), str(dy))

    def click(self, button: int = 1) -> None:
        self._xdotool("click", str(button))

    def mouse_for(self, seconds: float, rate_per_s: float = 10.0) -> int:
        """Move the mouse back and forth for about ``seconds``; return the number of moves."""
        count = max(1, round(seconds * rate_per_s))
        for i in range(count):
            self.move_mouse(100 + (i % 2) * 50, 100 + (i % 3) * 40)
            time.sleep(1 / rate_per_s)
        return count


# --------------------------------------------------------------------------------------------
# pynput probe

_PROBE_SCRIPT = r"""
import json, sys
from pynput import keyboard, mouse

NAMES = ("key_press", "key_release", "click", "move", "scroll")
counts = dict.fromkeys(NAMES, 0)

def bump(name):
    def cb(*_args):
        counts[name] += 1
    return cb

kl = keyboard.Listener(on_press=bump("key_press"), on_release=bump("key_release"))
ml = mouse.Listener(on_move=bump("move"), on_click=bump("click"), on_scroll=bump("scroll"))
kl.start(); ml.start(); kl.wait(); ml.wait()
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "reset":
        counts.update(dict.fromkeys(NAMES, 0))
    report = {**counts, "alive": kl.is_alive() and ml.is_alive()}
    print(json.dumps(report), flush=True)
"""


class PynputProbe:
    """A pynput listener in a subprocess that reports event COUNTS (never key identities).

    Proves synthetic input reaches a RECORD-based listener like the daemon's.

    pynput marks a listener ready just BEFORE it enables its RECORD context, so events sent
    right after ``wait()`` can be lost. With ``sync_with`` the probe injects harmless events
    (Shift taps, 1-px mouse moves) until both listeners count them, then zeroes the counters.
    The daemon's own listener has the same race: prime it the same way before measuring.
    """

    def __init__(
        self,
        env: dict[str, str],
        sync_with: Input | None = None,
        python: str = sys.executable,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.proc: subprocess.Popen[str] = subprocess.Popen(
            [python, "-c", _PROBE_SCRIPT],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            self.close()
            raise DesktopError(f"pynput probe failed to start: {line!r}\n{self.stderr()}")
        if sync_with is not None:
            self.sync(sync_with, timeout)

    def _ask(self, command: str = "") -> dict[str, int]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise DesktopError(f"pynput probe died\n{self.stderr()}")
        return json.loads(line)

    def counts(self) -> dict[str, int]:
        """Event counts so far, plus ``alive`` (both listener threads still running)."""
        return self._ask()

    def reset(self) -> None:
        self._ask("reset")

    def sync(self, inp: Input, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Inject harmless events until both listeners see them, then zero the counters."""

        def seen() -> bool:
            inp.key("shift", delay_ms=1)
            inp.move_mouse_relative(1, 0)
            time.sleep(0.05)
            counts = self.counts()
            return counts["key_release"] > 0 and counts["move"] > 0

        wait_until(seen, timeout, "pynput listeners to see synthetic input")
        time.sleep(0.05)  # let stragglers of the last round arrive before zeroing
        self.reset()

    def wait_for(self, key: str, at_least: int, timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
        """Poll the counts until ``counts[key] >= at_least``; return the last counts."""
        last: dict[str, int] = {}

        def check() -> bool:
            last.update(self.counts())
            return last[key] >= at_least

        wait_until(check, timeout, f"pynput {key} >= {at_least} (last {last})")
        return last

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-2000:]

    def close(self) -> None:
        terminate(self.proc)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()

    def __enter__(self) -> PynputProbe:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------------------------
# the bundle


class Desktop:
    """Xvfb + private session bus + dunst + Notify recorder + xdotool, as one context manager.

    Runtime files live in a short ``/tmp/breakd-e2e-*`` dir (unix socket paths are limited to
    108 bytes, pytest's tmp_path can be longer); it is removed on exit.
    """

    def __init__(
        self, screen: str = "1280x1024x24", keep_dir: bool = False, dunstrc: str = DUNSTRC
    ) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="breakd-e2e-"))
        self.keep_dir = keep_dir
        self.dunstrc = dunstrc
        self.home = self.root / "home"
        self.runtime_dir = self.root / "runtime"
        self.logs = self.root / "logs"
        for d in (self.home, self.logs, self.config_home, self.state_home, self.data_home):
            d.mkdir(parents=True, exist_ok=True)
        self.runtime_dir.mkdir(mode=0o700)
        self.x = Xvfb(self.logs, screen=screen)
        self.bus = SessionBus(self.runtime_dir)
        self._server: NotificationServer | None = None
        self._recorder: NotificationRecorder | None = None
        self._children: list[subprocess.Popen[bytes]] = []

    # dirs -------------------------------------------------------------------------------
    @property
    def config_home(self) -> Path:
        return self.home / ".config"

    @property
    def state_home(self) -> Path:
        return self.home / ".local" / "state"

    @property
    def data_home(self) -> Path:
        return self.home / ".local" / "share"

    @property
    def server(self) -> NotificationServer:
        """The dunst wrapper (history(), displayed_count(), clear())."""
        if self._server is None:
            raise DesktopError("desktop not started")
        return self._server

    @property
    def notifications(self) -> NotificationRecorder:
        """The Notify-call recorder (wait_for(), all(), mark(), assert_none())."""
        if self._recorder is None:
            raise DesktopError("desktop not started")
        return self._recorder

    # lifecycle ----------------------------------------------------------------------------
    def start(self, timeout: float = DEFAULT_TIMEOUT) -> Desktop:
        """Bring everything up; X and the bus start in parallel, then dunst and the recorder."""
        base = self._base_env()
        try:
            require_tools()
            wait_x = self.x.launch(base)
            wait_bus = self.bus.launch(base)
            wait_x(timeout)
            wait_bus(timeout)
            self._recorder = NotificationRecorder(self.bus.address, self.logs)
            self._server = NotificationServer(self.logs, self.env(), self.dunstrc)
            wait_dunst = self._server.launch()
            self._recorder.start(timeout)
            wait_dunst(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Kill everything this desktop started (process groups), then remove the temp dir."""
        for child in reversed(self._children):
            terminate(child)
        self._children.clear()
        if self._recorder is not None:
            self._recorder.stop()
        if self._server is not None:
            self._server.stop()
        self.x.stop()
        self.bus.stop()
        if not self.keep_dir:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Desktop:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def kill_x(self, *, crash: bool = True) -> None:
        """Take the X server away (SIGKILL by default, SIGTERM with ``crash=False``).

        dunst dies with its X connection, so it is stopped too; the bus and the recorder stay.
        Processes from :meth:`spawn` (the daemon) are left running: that is the point.
        """
        if crash:
            self.x.kill()
        else:
            self.x.stop()
        self.server.stop()

    def start_x(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Start a NEW X server on the same display number, and dunst on it."""
        self.x.start(self._base_env(), timeout)
        self.server.start(timeout)

    def restart_x(self, *, crash: bool = True, timeout: float = DEFAULT_TIMEOUT) -> None:
        """:meth:`kill_x` then :meth:`start_x`; the recorder keeps its list."""
        self.kill_x(crash=crash)
        self.start_x(timeout)

    def reset(self) -> None:
        """Make a reused desktop look fresh: X and dunst running, no notifications recorded."""
        for child in reversed(self._children):
            terminate(child)
        self._children.clear()
        if not self.x.is_running():
            self.x.start(self._base_env())
        if not self.server.is_running():
            self.server.start()
        self.server.clear()
        self.notifications.clear()

    # environment and children -------------------------------------------------------------
    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        env.update(
            HOME=str(self.home),
            XDG_RUNTIME_DIR=str(self.runtime_dir),
            XDG_CONFIG_HOME=str(self.config_home),
            XDG_STATE_HOME=str(self.state_home),
            XDG_DATA_HOME=str(self.data_home),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XDG_SESSION_TYPE="x11",
            # breakd speaks the user's language: English unless a test asks for another.
            LANGUAGE="en",
        )
        return env

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for child processes: this desktop's DISPLAY and bus, private XDG dirs."""
        env = self._base_env()
        env["DISPLAY"] = self.x.name
        env["DBUS_SESSION_BUS_ADDRESS"] = self.bus.address
        env.update(extra)
        return env

    @property
    def input(self) -> Input:
        return Input(self.env())

    def pynput_probe(self) -> PynputProbe:
        """A synced :class:`PynputProbe` on this display (close it, or use ``with``)."""
        return PynputProbe(self.env(), sync_with=self.input)

    def spawn(
        self, args: Sequence[str], *, log_name: str | None = None, **extra_env: str
    ) -> subprocess.Popen[bytes]:
        """Start a process (e.g. ``breakd run``) that is killed with the desktop.

        stdout+stderr go to ``logs/<log_name>.log`` (read them with :meth:`log_text`).
        """
        log = self.logs / f"{log_name or Path(args[0]).name}.log"
        proc = spawn(args, self.env(**extra_env), log)
        self._children.append(proc)
        return proc

    def run(
        self, args: Sequence[str], timeout: float = 30.0, check: bool = True, **extra_env: str
    ) -> subprocess.CompletedProcess[str]:
        """Run a short command with this desktop's environment."""
        return subprocess.run(
            list(args),
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def log_text(self, name: str) -> str:
        """Contents of ``logs/<name>.log`` (e.g. "dunst", "xvfb", or a spawn()ed process)."""
        return _tail(self.logs / f"{name}.log", limit=1_000_000)

    def pids(self) -> list[int]:
        """PIDs of the harness processes currently started (for leak checks)."""
        parts: list[Any] = [self.x, self.bus, self._server, self._recorder]
        pids = [p.pid for p in parts if p is not None and p.pid is not None]
        return pids + [c.pid for c in self._children]


def processes_mentioning(needle: str) -> Iterator[int]:
    """PIDs whose command line or environment contains ``needle`` (leak detection).

    Zombies are skipped: they are dead, just not reaped by a parent that is not ours.
    """
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if " Z " in (entry / "stat").read_text().split(")", 1)[1][:3]:
                continue
            blob = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle.encode() in blob:
            yield int(entry.name)
