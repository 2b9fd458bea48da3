"""The processes under test: breakd itself and the two baselines, and their start-up time.

Ready means "listening to input". breakd says so with READY=1 on $NOTIFY_SOCKET (as under
systemd's Type=notify) and with the log line "watching keyboard and mouse activity"; the
baselines print ``ready``. Each line and datagram is stamped with the monotonic clock when it
arrives (the log's own timestamps have only whole seconds), and start-up time is measured
from just before the spawn, so it includes the interpreter's own start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.desktop import Desktop, spawn, stop

READY_LINE = "watching keyboard and mouse activity"
WITH_TRAY = "breakd+tray"  # the default config, with a tray host on the bus (bench/tray.py)
PEER_SETTLE_S = 8.0  # the peers print no ready signal: measured after this long
REPO = Path(__file__).resolve().parent.parent


def breakd_command() -> list[str]:
    """``breakd run`` from the same environment as this interpreter (the console script)."""
    script = Path(sys.executable).with_name("breakd")
    return [str(script)] if script.exists() else [sys.executable, "-m", "breakd"]


@dataclass
class Subject:
    """One process under test, with its output watched by a thread."""

    name: str
    args: list[str]
    ready_text: str
    config_dirs: tuple[str, ...] = ()  # made under XDG_CONFIG_HOME (Safe Eyes cannot)
    system_bus: bool = False  # refuses to start without a system bus (Safe Eyes: logind)
    proc: subprocess.Popen[bytes] | None = None
    spawned_at: float = 0.0
    ready_at: float | None = None  # first of: ready line, READY=1
    ready_via: str = ""
    marks: dict[str, float] = field(default_factory=dict)  # ready signal -> seconds after spawn
    lines: list[tuple[float, str]] = field(default_factory=list)
    _ready: threading.Event = field(default_factory=threading.Event)
    _sock: socket.socket | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def ready_s(self) -> float | None:
        return None if self.ready_at is None else self.ready_at - self.spawned_at

    def start(self, desktop: Desktop, home: Path, *, notify_socket: bool = False) -> None:
        """Spawn with a private HOME and XDG dirs (one daemon per runtime dir may run)."""
        env = self._private_env(desktop, home)
        if notify_socket:
            env["NOTIFY_SOCKET"] = self._bind_notify_socket(home)
        self.spawned_at = time.monotonic()
        self.proc = spawn(
            self.args, env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=str(REPO)
        )
        threading.Thread(target=self._read_output, daemon=True, name=f"{self.name}-out").start()

    def wait_ready(self, timeout: float = 30.0) -> float:
        """Wait for the ready signal; fail at once (with its output) if the process exits."""
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            exited = self.proc is not None and self.proc.poll() is not None
            if exited or time.monotonic() > deadline:
                break
        if not self._ready.is_set():
            time.sleep(0.2)  # let the reader thread collect the last lines
            tail = "\n".join(text for _, text in self.lines[-15:])
            code = None if self.proc is None else self.proc.poll()
            why = f"exited with {code}" if code is not None else f"not ready after {timeout:.0f} s"
            raise RuntimeError(f"{self.name} {why}; output:\n{tail}")
        assert self.ready_s is not None
        return self.ready_s

    def wait_for_line(self, text: str, timeout: float) -> bool:
        """Whether the process printed ``text`` within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for _, line in self.lines):
                return True
            time.sleep(0.05)
        return False

    def errors(self) -> list[str]:
        """Output lines that report a problem (log ERROR/WARNING, tracebacks), in order."""
        bad = (" ERROR ", " WARNING ", "Traceback", "Error:")
        return [text for _, text in self.lines if any(b in text for b in bad)]

    def stop(self) -> None:
        stop(self.proc)
        if self._sock is not None:
            self._sock.close()

    def _private_env(self, desktop: Desktop, home: Path) -> dict[str, str]:
        dirs = {k: home / k.lower() for k in ("XDG_CONFIG_HOME", "XDG_RUNTIME_DIR")}
        dirs["XDG_STATE_HOME"] = home / "state"
        dirs["XDG_DATA_HOME"] = home / "data"
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        for sub in self.config_dirs:
            (dirs["XDG_CONFIG_HOME"] / sub).mkdir(parents=True, exist_ok=True)
        extra = {k: str(v) for k, v in dirs.items()}
        if self.system_bus and not os.path.exists(SYSTEM_BUS_SOCKET):
            # A machine without one (a container): the benchmark's private bus stands in.
            # It answers like a system bus without logind, so suspend is never reported.
            extra["DBUS_SYSTEM_BUS_ADDRESS"] = desktop.bus
        return desktop.env(HOME=str(home), PYTHONPATH=str(REPO), **extra)

    def _bind_notify_socket(self, home: Path) -> str:
        path = home / "notify.sock"
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(str(path))
        threading.Thread(target=self._read_notify, daemon=True, name=f"{self.name}-sd").start()
        return str(path)

    def _mark_ready(self, t: float, via: str) -> None:
        self.marks.setdefault(via, t - self.spawned_at)
        if self.ready_at is None or t < self.ready_at:
            self.ready_at, self.ready_via = t, via
        self._ready.set()

    def _read_output(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for raw in self.proc.stdout:
            t = time.monotonic()
            text = raw.decode(errors="replace").rstrip("\n")
            self.lines.append((t, text))
            if self.ready_text in text:
                self._mark_ready(t, "log line" if self.ready_text == READY_LINE else "stdout")

    def _read_notify(self) -> None:
        assert self._sock is not None
        while True:
            try:
                data = self._sock.recv(4096)
            except OSError:
                return
            t = time.monotonic()
            if b"READY=1" in data.split(b"\n"):
                self._mark_ready(t, "READY=1")


def breakd(name: str = "breakd", config: Path | None = None) -> Subject:
    args = [*breakd_command(), "run"]
    if config is not None:
        args += ["--config", str(config)]
    return Subject(name, args, READY_LINE)


def bare_pynput() -> Subject:
    return Subject("bare pynput", [sys.executable, "-m", "bench.bare"], "ready")


def bare_stack() -> Subject:
    return Subject("bare stack", [sys.executable, "-m", "bench.bare", "--stack"], "ready")


# The programs breakd means to replace, from Debian's packages, when installed: measured side by
# side with breakd under the same input (issue 17). They say nothing when ready, so their
# ready_text is empty and start_all waits PEER_SETTLE_S instead; they have no start-up figure.
PEERS = (
    ("workrave", ["workrave"], (), False),
    ("safe eyes", ["safeeyes"], ("safeeyes/style",), True),
)
SYSTEM_BUS_SOCKET = "/run/dbus/system_bus_socket"


def peers() -> list[Subject]:
    """The peers installed on this machine (``apt-get install workrave safeeyes``)."""
    return [
        Subject(name, args, "", config_dirs=config, system_bus=system_bus)
        for name, args, config, system_bus in PEERS
        if shutil.which(args[0])
    ]


def start_all(desktop: Desktop, subjects: list[Subject], home: Path) -> list[Subject]:
    """Start one at a time, each alone on the CPU, so start-up times do not compete.
    Returns those running: a peer that fails to start is left out (and its output shown)."""
    running = []
    for subject in subjects:
        is_breakd = subject.ready_text == READY_LINE
        subject.start(desktop, home / subject.name.replace(" ", "-"), notify_socket=is_breakd)
        if subject.ready_text:
            subject.wait_ready()
        else:
            time.sleep(PEER_SETTLE_S)
            crashed = any("Traceback" in text for _, text in subject.lines)
            if crashed or not is_alive(subject):
                # e.g. Safe Eyes without a system bus: alive, but its timers never started
                subject.stop()
                tail = "\n".join(text for _, text in subject.lines[-6:])
                why = "failed to start" if crashed else "exited"
                print(f"  {subject.name} {why}; left out. It said:\n{tail}", flush=True)
                continue
        running.append(subject)
    return running


def stop_all(subjects: list[Subject]) -> None:
    for subject in subjects:
        subject.stop()


def is_alive(subject: Subject) -> bool:
    return (
        subject.proc is not None
        and subject.proc.poll() is None
        and os.path.exists(f"/proc/{subject.pid}")
    )
