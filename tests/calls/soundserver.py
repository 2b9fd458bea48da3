"""A real sound server for the calls tests: PulseAudio with a null source and a null sink.

PulseAudio runs as the test's user (as root too: it warns and carries on) with HOME and
XDG_RUNTIME_DIR in the test's directory, no D-Bus, no autospawn, anonymous access on its own
socket; ``env`` is what a client (pactl, parecord, breakd) needs to reach it. ``record()``
starts a real recording client (parecord) on a source.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.desktop import require_tool, spawn, terminate, wait_until

SOURCE = "breakd_test_mic"
SINK = "breakd_test_speakers"

_DEFAULT_PA = """\
load-module module-native-protocol-unix socket={socket} auth-anonymous=1
load-module module-null-sink sink_name={sink}
load-module module-null-source source_name={source}
"""


@dataclass
class SoundServer:
    workdir: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    recorders: list[subprocess.Popen[bytes]] = field(default_factory=list, init=False)

    @property
    def socket(self) -> Path:
        return self.workdir / "native"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_")}
        env.update(
            PULSE_SERVER=f"unix:{self.socket}",
            PULSE_CLIENTCONFIG=str(self.workdir / "client.conf"),
        )
        return env

    def start(self) -> SoundServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "run").mkdir(exist_ok=True)
        config = self.workdir / "default.pa"
        config.write_text(_DEFAULT_PA.format(socket=self.socket, sink=SINK, source=SOURCE))
        (self.workdir / "client.conf").write_text("autospawn = no\n")
        env = {
            **self.env,
            "HOME": str(self.workdir),
            "XDG_RUNTIME_DIR": str(self.workdir / "run"),
            "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        }
        args = [
            require_tool("pulseaudio"),
            "-n",  # no default.pa of the system: only ours
            f"--file={config}",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disallow-exit",
            "--log-target=stderr",
        ]
        self.proc = spawn(args, env, self.workdir / "pulseaudio.log")
        wait_until(self.answers, timeout=15, what="PulseAudio to answer pactl")
        return self

    def answers(self) -> bool:
        done = subprocess.run(
            [require_tool("pactl"), "info"], env=self.env, capture_output=True, check=False
        )
        return done.returncode == 0

    def record(self, device: str = SOURCE) -> subprocess.Popen[bytes]:
        """A real recording client on ``device`` (the null source, or a sink's monitor)."""
        log = self.workdir / f"parecord-{len(self.recorders)}.log"
        args = [require_tool("parecord"), "-v", f"--device={device}", os.devnull]
        proc = spawn(args, self.env, log)
        self.recorders.append(proc)
        return proc

    def recording_streams(self) -> int:
        out = subprocess.run(
            [require_tool("pactl"), "list", "short", "source-outputs"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return len(out.splitlines())

    def stop(self) -> None:
        for proc in self.recorders:
            terminate(proc)
        terminate(self.proc)
