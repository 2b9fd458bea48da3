"""The README's install command, for real: ``bash scripts/install.sh`` in a fresh HOME on a
desktop without a systemd user manager (as here) installs breakd into its own virtualenv,
writes the autostart entry and the default config, and leaves breakd running. Run again from
a newer checkout it upgrades: the running breakd is stopped and started on the new code.
``breakd uninstall`` then stops it and removes the program, keeping config and statistics;
``--purge`` removes those too."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .desktop import Desktop, wait_until

REPO = Path(__file__).resolve().parents[2]
NEW_VERSION = "99.0.0+upgrade"


def test_install_sh_installs_upgrades_and_uninstall_removes_it(desktop: Desktop, tmp_path: Path):
    env = desktop.env()
    home = Path(env["HOME"])
    try:
        first = _install_and_check(env, home, REPO)
        second = _upgrade_and_check(env, home, _newer_checkout(tmp_path), first)
        _uninstall_and_check(env, home, second)
    finally:  # whatever failed, no breakd of this test outlives it
        subprocess.run(["pkill", "-f", str(home / ".local/share/breakd/venv")], check=False)


def _install_sh(checkout: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["bash", str(checkout / "scripts" / "install.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _running(env: dict[str, str], home: Path) -> dict[str, object]:
    breakd = home / ".local" / "bin" / "breakd"
    status = subprocess.run(
        [str(breakd), "status", "--json"], env=env, capture_output=True, text=True, timeout=30
    )
    assert status.returncode == 0, status.stderr
    result = json.loads(status.stdout)
    cmdline = Path(f"/proc/{result['pid']}/cmdline").read_text()
    assert "venv/bin/breakd" in cmdline and "run" in cmdline  # a live process of the install
    return result


def _gone(pid: object) -> None:
    wait_until(lambda: not Path(f"/proc/{pid}").exists(), 15, f"pid {pid} to exit")


def _install_and_check(env: dict[str, str], home: Path, checkout: Path) -> dict[str, object]:
    done = _install_sh(checkout, env)
    breakd = home / ".local" / "bin" / "breakd"
    assert breakd.resolve() == home / ".local/share/breakd/venv/bin/breakd"
    config = Path(env["XDG_CONFIG_HOME"]) / "breakd" / "config.toml"
    assert config.read_text() == (REPO / "config" / "breakd.toml").read_text()
    assert (Path(env["XDG_CONFIG_HOME"]) / "autostart" / "breakd.desktop").is_file()
    # The script's last word: status.
    assert "breakd is on; you are active" in done.stdout, done.stdout
    # Only what pynput's evdev needs is compiled: no dbus-python and its headers.
    venv = home / ".local/share/breakd/venv"
    assert not list(venv.glob("lib/python*/site-packages/dbus"))
    assert list(venv.glob("lib/python*/site-packages/evdev"))
    return _running(env, home)


def _newer_checkout(tmp_path: Path) -> Path:
    """The working tree as it is, with a new version number: the "git pull" of an upgrade."""
    checkout = tmp_path / "breakd"
    shutil.copytree(
        REPO,
        checkout,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    init = checkout / "breakd" / "__init__.py"
    lines = init.read_text().splitlines()
    lines = [
        f'__version__ = "{NEW_VERSION}"' if ln.startswith("__version__") else ln for ln in lines
    ]
    init.write_text("\n".join(lines) + "\n")
    return checkout


def _upgrade_and_check(
    env: dict[str, str], home: Path, checkout: Path, old: dict[str, object]
) -> dict[str, object]:
    done = _install_sh(checkout, env)
    assert f"stop the running breakd (pid {old['pid']})" in done.stdout, done.stdout
    assert "breakd is installed and restarted." in done.stdout
    _gone(old["pid"])
    new = _running(env, home)
    assert new["pid"] != old["pid"] and new["version"] == NEW_VERSION
    return new


def _uninstall_and_check(env: dict[str, str], home: Path, running: dict[str, object]) -> None:
    breakd = home / ".local" / "bin" / "breakd"
    done = subprocess.run(
        [str(breakd), "uninstall"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""  # removing its own virtualenv last leaves nothing to complain
    assert f"stop the running breakd (pid {running['pid']})" in done.stdout
    assert "breakd is stopped and will no longer start with your session." in done.stdout
    _gone(running["pid"])
    config_dir = Path(env["XDG_CONFIG_HOME"]) / "breakd"
    state_dir = Path(env["XDG_STATE_HOME"]) / "breakd"
    assert not breakd.is_symlink() and not (home / ".local/share/breakd").exists()
    assert not (Path(env["XDG_CONFIG_HOME"]) / "autostart" / "breakd.desktop").exists()
    assert (config_dir / "config.toml").is_file() and (state_dir / "breakd.db").is_file()

    # --purge, from another breakd (the one under test): config and statistics go too.
    purge = subprocess.run(
        [sys.executable, "-m", "breakd", "uninstall", "--purge"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert purge.returncode == 0, purge.stdout + purge.stderr
    assert not config_dir.exists() and not state_dir.exists()
