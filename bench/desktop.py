"""A private desktop for the benchmark: Xvfb, a session bus, dunst, and a Notify recorder.

Every process is started in a session of its own, so stopping one kills its whole group and
nothing the benchmark started outlives it. Nothing here touches the caller's real desktop:
children get DISPLAY and DBUS_SESSION_BUS_ADDRESS explicitly, and the caller's are dropped.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# binary -> Debian package that ships it, for the "please install" message
TOOLS = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "dbus-daemon": "dbus-daemon",
    "dbus-send": "dbus-bin",
    "dbus-monitor": "dbus-bin",
    "dunst": "dunst",
}
_SCRUB = ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "NOTIFY_SOCKET")
_SCRUB += ("WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM")
NOTIFICATIONS = "org.freedesktop.Notifications"


class DesktopError(RuntimeError):
    """A piece of the private desktop did not start."""


def missing_tools() -> list[str]:
    """Debian packages to install for the tools not on PATH (empty when all are there)."""
    return sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})


def spawn(args: Sequence[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen[bytes]:
    """Start a process in a new session (its own process group), stdin closed."""
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    kwargs.setdefault("stderr", subprocess.DEVNULL)
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        list(args), env=env, stdin=subprocess.DEVNULL, start_new_session=True, **kwargs
    )


def stop(proc: subprocess.Popen[bytes] | None, grace: float = 3.0) -> None:
    """SIGTERM the process group, SIGKILL what is left after ``grace``; reap the leader."""
    if proc is None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)


def _read_line(fd: int, timeout: float, what: str) -> str:
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise DesktopError(f"timed out waiting for {what}")
        chunk = os.read(fd, 512)
        if not chunk:
            raise DesktopError(f"{what}: the process exited early")
        data += chunk
    return data.decode().strip()


@dataclass
class Desktop:
    """Xvfb + dbus-daemon + dunst (+ dbus-monitor), started by ``start`` and undone by ``close``."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="breakd-bench-")))
    display: str = ""
    bus: str = ""
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    recorder: NotifyRecorder | None = None

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for a child: this desktop's display and bus, nothing of the caller's."""
        env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
        env.update(DISPLAY=self.display, DBUS_SESSION_BUS_ADDRESS=self.bus, **extra)
        return env

    def start(self) -> None:
        self.display = self._start_fd_reporter(
            ["Xvfb", "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"],
            "-displayfd",
            "Xvfb",
        )
        self.display = f":{self.display}"
        self.bus = self._start_fd_reporter(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile"], "--print-address=", "dbus"
        )
        self.procs.append(spawn(["dunst"], self.env(), stderr=self._log("dunst")))
        self._wait_for_name(NOTIFICATIONS, 10.0)
        self.recorder = NotifyRecorder(self)
        self.recorder.start()

    def close(self) -> None:
        for proc in reversed(self.procs):
            stop(proc)
        self.procs.clear()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Desktop:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _log(self, name: str) -> int:
        return os.open(self.workdir / f"{name}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)

    def _start_fd_reporter(self, args: list[str], flag: str, what: str) -> str:
        """Start a server that writes its address to a file descriptor once it serves."""
        read_fd, write_fd = os.pipe()
        fd_arg = [flag, str(write_fd)] if not flag.endswith("=") else [f"{flag}{write_fd}"]
        try:
            self.procs.append(
                spawn([*args, *fd_arg], self.env(), pass_fds=(write_fd,), stderr=self._log(what))
            )
        finally:
            os.close(write_fd)
        try:
            return _read_line(read_fd, 10.0, what)
        finally:
            os.close(read_fd)

    def _wait_for_name(self, name: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.name_has_owner(name):
                return
            time.sleep(0.05)
        raise DesktopError(f"{name} got no owner within {timeout:.0f} s (see dunst.log)")

    def name_has_owner(self, name: str) -> bool:
        out = self.bus_call("NameHasOwner", f"string:{name}")
        return out.endswith("true")

    def bus_call(self, method: str, *args: str) -> str:
        """Call a method of the bus itself; its reply's last line, stripped."""
        result = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                f"org.freedesktop.DBus.{method}",
                *args,
            ],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        lines = result.stdout.strip().splitlines()
        return lines[-1].strip() if lines else ""


_CALL = re.compile(r"^method call time=(?P<t>[\d.]+) sender=(?P<sender>\S+) .*member=Notify")


@dataclass(frozen=True)
class NotifyCall:
    """A Notify call seen on the bus: wall-clock time (dbus-monitor's stamp) and sender PID."""

    wall: float
    pid: int | None


class NotifyRecorder:
    """Every org.freedesktop.Notifications.Notify call on the private bus, as it arrives.

    dbus-monitor stamps each message with the wall-clock time it saw it, so buffering of its
    output does not blur the times. Senders are mapped to PIDs through the bus, so reminders
    from different daemons on the same bus are told apart.
    """

    def __init__(self, desktop: Desktop) -> None:
        self._desktop = desktop
        self._pids: dict[str, int | None] = {}
        self._calls: list[NotifyCall] = []
        self._cond = threading.Condition()
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        rule = f"type='method_call',interface='{NOTIFICATIONS}',member='Notify'"
        self._proc = spawn(
            ["dbus-monitor", "--session", rule], self._desktop.env(), stdout=subprocess.PIPE
        )
        self._desktop.procs.append(self._proc)
        threading.Thread(target=self._read, name="notify-recorder", daemon=True).start()

    def calls(self, pid: int | None = None) -> list[NotifyCall]:
        with self._cond:
            return [c for c in self._calls if pid is None or c.pid == pid]

    def wait_for(self, pid: int, count: int, timeout: float) -> bool:
        """Wait until ``pid`` has made ``count`` Notify calls in all."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.calls(pid)) >= count, timeout)

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for raw in self._proc.stdout:
            match = _CALL.match(raw.decode(errors="replace"))
            if match:
                call = NotifyCall(float(match["t"]), self._pid_of(match["sender"]))
                with self._cond:
                    self._calls.append(call)
                    self._cond.notify_all()

    def _pid_of(self, sender: str) -> int | None:
        if sender not in self._pids:
            out = self._desktop.bus_call("GetConnectionUnixProcessID", f"string:{sender}")
            self._pids[sender] = int(out.split()[-1]) if out.startswith("uint32") else None
        return self._pids[sender]


@contextlib.contextmanager
def desktop() -> Iterator[Desktop]:
    """A started private desktop, closed (every process stopped) on the way out."""
    with Desktop() as d:
        yield d
