"""The README's install command, for real: ``bash scripts/install.sh`` in a fresh HOME on a
desktop without a systemd user manager (as here) installs breakd into its own virtualenv,
writes the autostart entry and the default config, and leaves breakd running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

from .desktop import Desktop, wait_until

REPO = Path(__file__).resolve().parents[2]


def test_install_sh_installs_and_starts_breakd_with_the_default_config(desktop: Desktop):
    env = desktop.env()
    home = Path(env["HOME"])
    try:
        _install_and_check(env, home)
    finally:  # whatever failed, no breakd of this test outlives it
        subprocess.run(["pkill", "-f", str(home / ".local/share/breakd/venv")], check=False)


def _install_and_check(env: dict[str, str], home: Path) -> None:
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "install.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    breakd = home / ".local" / "bin" / "breakd"
    assert breakd.resolve() == home / ".local/share/breakd/venv/bin/breakd"
    config = Path(env["XDG_CONFIG_HOME"]) / "breakd" / "config.toml"
    assert config.read_text() == (REPO / "config" / "breakd.toml").read_text()
    assert (Path(env["XDG_CONFIG_HOME"]) / "autostart" / "breakd.desktop").is_file()
    assert "breakd is active" in done.stdout, done.stdout  # the script's last word: status

    status = subprocess.run(
        [str(breakd), "status", "--json"], env=env, capture_output=True, text=True, timeout=30
    )
    assert status.returncode == 0, status.stderr
    pid = json.loads(status.stdout)["pid"]
    assert os.readlink(f"/proc/{pid}/exe").startswith("/")  # a live process
    assert "venv/bin/breakd" in Path(f"/proc/{pid}/cmdline").read_text()
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not Path(f"/proc/{pid}").exists(), 10, "breakd to stop")
