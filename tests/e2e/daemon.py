"""Running the real ``breakd run`` on a test desktop, and reading back what it did."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .desktop import Desktop, wait_until

READY_LINE = "watching keyboard and mouse activity"

# Seconds-scale defaults: every reminder kind (and the check-in) off but the ones a test turns on.
QUIET_BASE = """
[activity]
idle_after = "3s"
natural_break = "6s"
active_gap = "2s"
[sitting]
enabled = false
[repetition]
enabled = false
[water]
enabled = false
[posture]
enabled = false
[daily]
enabled = false
[checkin]
enabled = false
[notify]
min_gap = "2s"
grace_pause = "1s"
max_deferral = "2s"
"""


def config_text(**sections: dict[str, object]) -> str:
    """QUIET_BASE with some sections' keys replaced; a reminder kind named is enabled."""
    blocks: dict[str, dict[str, str]] = {}
    current = ""
    for line in QUIET_BASE.strip().splitlines():
        if line.startswith("["):
            current = line.strip("[]")
            blocks[current] = {}
        else:
            key, value = (part.strip() for part in line.split("=", 1))
            blocks[current][key] = value
    for name, keys in sections.items():
        if "enabled" in blocks.get(name, {}):
            keys = {"enabled": True, **keys}  # naming a reminder kind turns it on
        for key, value in keys.items():
            blocks.setdefault(name, {})[key] = _toml(value)
    return "\n".join(
        f"[{name}]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items())
        for name, keys in blocks.items()
    )


def checkin_due(**sections: dict[str, object]) -> str:
    """``config_text`` with the check-in due a minute ago, in a day that began two hours ago
    (so it is asked at once, whatever the time of day the test runs)."""
    now = dt.datetime.now()
    return config_text(
        daily={"enabled": False, "day_starts": f"{now - dt.timedelta(hours=2):%H:%M}"},
        checkin={"at": f"{now - dt.timedelta(minutes=1):%H:%M}"},
        **sections,
    )


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):  # of strings, e.g. [content] exclude
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return f'"{value}"'


@dataclass
class RunningDaemon:
    desktop: Desktop
    proc: subprocess.Popen[bytes]
    log_name: str
    started: float

    @property
    def log(self) -> str:
        return self.desktop.log_text(self.log_name)

    def wait_log(self, text: str, timeout: float = 15.0) -> None:
        wait_until(lambda: text in self.log, timeout, f"{text!r} in the breakd log:\n{self.log}")

    def cli(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return self.desktop.run([sys.executable, "-m", "breakd", *args], check=check)

    def stop(self, timeout: float = 5.0) -> float:
        """SIGTERM; returns how long the daemon took to exit."""
        t0 = time.monotonic()
        self.proc.terminate()
        self.proc.wait(timeout)
        return time.monotonic() - t0


def start_daemon(
    desktop: Desktop,
    config: str,
    *,
    verbose: bool = True,
    log_name: str = "breakd",
    wait_ready: bool = True,
    **extra_env: str,
) -> RunningDaemon:
    path = desktop.home / f"{log_name}.toml"
    path.write_text(config)
    args = [sys.executable, "-m", "breakd", "run", "--config", str(path)]
    if verbose:
        args.append("-v")
    started = time.monotonic()
    proc = desktop.spawn(args, log_name=log_name, **extra_env)
    daemon = RunningDaemon(desktop, proc, log_name, started)
    if not wait_ready:
        return daemon
    daemon.wait_log(READY_LINE)  # said once the X server records input
    return daemon


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]
