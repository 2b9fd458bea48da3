"""The shipped user unit and `breakd install` / `uninstall`, against a temporary HOME.

`systemctl --user` cannot run in this test environment, so it is either absent from PATH
(the autostart fallback) or a stand-in script that records its calls.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from breakd import exitcodes
from breakd.service.install import (
    inspect_manager,
    install_command,
    render_unit,
    start_hint,
    uninstall_command,
)

REPO = Path(__file__).resolve().parents[1]
SHIPPED_UNIT = REPO / "systemd" / "breakd.service"
VENV_BREAKD = REPO / ".venv" / "bin" / "breakd"
CONFIG_TEXT = "# the default config\n"

needs_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)


def verify_unit(path: Path) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as runtime:
        return subprocess.run(
            ["systemd-analyze", "verify", "--user", str(path)],
            env={**os.environ, "XDG_RUNTIME_DIR": runtime},
            capture_output=True,
            text=True,
            check=False,
        )


@dataclass
class Home:
    root: Path
    bin: Path
    log: Path

    @property
    def unit(self) -> Path:
        return self.root / ".config" / "systemd" / "user" / "breakd.service"

    @property
    def autostart(self) -> Path:
        return self.root / ".config" / "autostart" / "breakd.desktop"

    @property
    def config(self) -> Path:
        return self.root / ".config" / "breakd" / "config.toml"

    def env(self, **extra: str) -> dict[str, str]:
        # PATH holds only our bin dir: no real systemctl can be found. A runtime dir of our
        # own: install and uninstall stop the breakd they find on the control socket there.
        runtime = self.root.parent / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        return {
            "HOME": str(self.root),
            "PATH": str(self.bin),
            "XDG_RUNTIME_DIR": str(runtime),
            **extra,
        }

    def fake_systemctl(self, show_env_status: int = 0) -> None:
        script = self.bin / "systemctl"
        script.write_text(
            "#!/bin/sh\n"
            f'echo "$*" >> "{self.log}"\n'
            'if [ "$2" = show-environment ]; then\n'
            f"  printf 'PATH=/usr/bin\\nDISPLAY=:0\\n'; exit {show_env_status}\n"
            "fi\n"
            "exit 0\n"
        )
        script.chmod(0o755)

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.is_file())


@pytest.fixture
def home(tmp_path: Path) -> Home:
    (tmp_path / "home").mkdir()
    (tmp_path / "bin").mkdir()
    return Home(tmp_path / "home", tmp_path / "bin", tmp_path / "systemctl.log")


def install(home: Home, dry_run: bool = False, **env: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = install_command(
        dry_run,
        env=home.env(**env),
        out=out,
        err=err,
        argv0=str(VENV_BREAKD),
        config_text=lambda: CONFIG_TEXT,
    )
    return code, out.getvalue() + err.getvalue()


def uninstall(home: Home, dry_run: bool = False, **env: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = uninstall_command(dry_run, env=home.env(**env), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


# --- the unit -------------------------------------------------------------------------------


@needs_analyze
def test_the_shipped_unit_passes_systemd_analyze_verify() -> None:
    result = verify_unit(SHIPPED_UNIT)
    assert result.returncode == 0, result.stderr


def test_the_packaged_unit_is_the_shipped_unit() -> None:
    from breakd.service.install import unit_template

    assert unit_template() == SHIPPED_UNIT.read_text()


def test_the_shipped_unit_has_the_settings_a_session_daemon_needs() -> None:
    text = SHIPPED_UNIT.read_text()
    for line in (
        "PartOf=graphical-session.target",
        "After=graphical-session.target",
        "Type=notify",
        "NotifyAccess=main",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "Restart=on-failure",
        "RestartPreventExitStatus=78 4",
        "WantedBy=graphical-session.target",
    ):
        assert line in text.splitlines()
    assert "\nWatchdogSec=" in text and "\nRestartSec=" in text


@needs_analyze
def test_the_installed_unit_passes_verify(home: Home) -> None:
    home.fake_systemctl()
    assert install(home)[0] == 0
    assert f"ExecStart={VENV_BREAKD} run" in home.unit.read_text().splitlines()
    result = verify_unit(home.unit)
    assert result.returncode == 0, result.stderr


@needs_analyze
def test_an_odd_executable_path_is_quoted_for_systemd(tmp_path: Path) -> None:
    odd = tmp_path / "my tools 100%" / "$HOME" / "breakd"
    odd.parent.mkdir(parents=True)
    odd.write_text("#!/bin/sh\n")
    odd.chmod(0o755)
    unit = tmp_path / "breakd.service"
    unit.write_text(render_unit([str(odd)]))
    result = verify_unit(unit)
    assert result.returncode == 0, result.stderr


# --- install --------------------------------------------------------------------------------


def test_install_without_systemctl_writes_an_autostart_entry(home: Home) -> None:
    code, output = install(home)
    assert code == exitcodes.OK
    assert "systemctl is not installed" in output and "autostart" in output
    assert f"Exec={VENV_BREAKD} run" in home.autostart.read_text().splitlines()
    assert home.config.read_text() == CONFIG_TEXT
    assert not home.unit.exists()


def test_install_without_a_user_manager_falls_back_to_autostart(home: Home) -> None:
    home.fake_systemctl(show_env_status=1)
    code, output = install(home)
    assert code == exitcodes.OK
    assert "`systemctl --user` failed" in output
    assert home.autostart.exists() and not home.unit.exists()
    assert home.calls() == ["--user show-environment"]


def test_install_with_systemd(home: Home) -> None:
    home.fake_systemctl()
    code, output = install(home, DISPLAY=":0", WAYLAND_DISPLAY="wayland-1")
    assert code == exitcodes.OK, output
    # DISPLAY is already in the manager's environment; WAYLAND_DISPLAY is not.
    assert home.calls() == [
        "--user show-environment",
        "--user import-environment WAYLAND_DISPLAY",
        "--user daemon-reload",
        "--user enable --now breakd.service",
    ]
    assert home.unit.exists() and not home.autostart.exists()
    assert home.config.read_text() == CONFIG_TEXT
    for word in ("breakd.service", "config.toml", "daemon-reload", "enable --now"):
        assert word in output


def test_install_with_systemd_replaces_an_old_autostart_entry(home: Home) -> None:
    install(home)  # no systemctl: autostart
    home.fake_systemctl()
    assert install(home)[0] == exitcodes.OK
    assert home.unit.exists() and not home.autostart.exists()


def test_dry_run_changes_nothing_and_prints_the_same_plan(home: Home) -> None:
    home.fake_systemctl()
    code, dry = install(home, dry_run=True, WAYLAND_DISPLAY="wayland-1")
    assert code == exitcodes.OK
    assert home.files() == []
    assert home.calls() == ["--user show-environment"]  # looking only
    assert "dry run" in dry and "enable --now" in dry and "import-environment" in dry
    _, real = install(home, WAYLAND_DISPLAY="wayland-1")
    steps = [line for line in dry.splitlines() if line[:1].isdigit()]
    assert steps == [line for line in real.splitlines() if line[:1].isdigit()]


def test_uninstall_dry_run_changes_nothing(home: Home) -> None:
    home.fake_systemctl()
    install(home)
    before = home.files()
    home.log.unlink()
    assert uninstall(home, dry_run=True)[0] == exitcodes.OK
    assert home.files() == before
    assert home.calls() == ["--user show-environment"]


def test_an_existing_config_is_never_overwritten(home: Home) -> None:
    home.config.parent.mkdir(parents=True)
    home.config.write_text("# mine\n")
    code, output = install(home)
    assert code == exitcodes.OK
    assert home.config.read_text() == "# mine\n"
    assert "keep your existing config" in output


def test_a_dangling_config_symlink_is_not_written_through(home: Home, tmp_path: Path) -> None:
    home.config.parent.mkdir(parents=True)
    target = tmp_path / "dotfiles" / "breakd.toml"
    home.config.symlink_to(target)
    assert install(home)[0] == exitcodes.OK
    assert not target.exists()


def test_uninstall_with_systemd_keeps_config(home: Home) -> None:
    home.fake_systemctl()
    install(home)
    home.log.unlink()
    code, output = uninstall(home)
    assert code == exitcodes.OK
    assert home.calls() == [
        "--user show-environment",
        "--user disable --now breakd.service",
        "--user daemon-reload",
    ]
    assert not home.unit.exists()
    assert home.config.read_text() == CONFIG_TEXT
    assert "keep your config" in output and ".local/state/breakd" in output


def test_uninstall_without_systemctl_removes_the_autostart_entry(home: Home) -> None:
    install(home)
    code, output = uninstall(home)
    assert code == exitcodes.OK
    assert not home.autostart.exists()
    assert home.config.exists() and "keep your config" in output


def test_a_failing_systemctl_step_stops_and_fails(home: Home) -> None:
    home.fake_systemctl()
    script = home.bin / "systemctl"
    script.write_text(
        script.read_text().replace(
            "exit 0\n", 'if [ "$2" = enable ]; then echo nope >&2; exit 1; fi\nexit 0\n'
        )
    )
    code, output = install(home)
    assert code == exitcodes.FAILURE
    assert "nope" in output


def test_cli_install_dry_run(
    home: Home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from breakd.cli import main

    for name, value in home.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert main(["install", "--dry-run"]) == exitcodes.OK
    assert "dry run" in capsys.readouterr().out
    assert home.files() == []
    assert stat.S_ISDIR(os.stat(home.root).st_mode)


# --- the hint when breakd is not running ---------------------------------------------------


def test_the_start_hint_fits_the_machine(home: Home) -> None:
    def hint() -> str:
        return start_hint(inspect_manager(home.env()))

    assert hint() == (
        "start it with `breakd run &`, or `breakd install` to start it with your session"
    )
    install(home)  # no systemctl: an autostart entry
    assert hint().startswith("start it with `breakd run &`; it also starts by itself")
    assert "systemctl" not in hint()
    home.fake_systemctl()
    install(home)  # a user manager: the unit
    assert hint() == "start it with `systemctl --user start breakd`"
    home.fake_systemctl(show_env_status=1)  # the unit is there, but no manager runs
    assert "systemctl" not in hint()


# --- a running breakd: upgrade, uninstall, purge -------------------------------------------

# Answers on the control socket like a daemon (ping says its pid) and stops on SIGTERM.
FAKE_DAEMON = """
import signal, threading
from breakd.control.paths import socket_path
from breakd.control.protocol import Reply
from breakd.control.server import ControlServer
server = ControlServer(socket_path(), lambda request: Reply.success({}))
server.start()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
print("ready", flush=True)
stop.wait()
server.stop()
"""


@pytest.fixture
def daemon(home: Home) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, **home.env()}
    proc = subprocess.Popen(
        [sys.executable, "-c", FAKE_DAEMON], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    yield proc
    proc.kill()
    proc.wait(10)


def test_install_over_a_running_breakd_stops_it_for_systemd_to_start(
    home: Home, daemon: subprocess.Popen[str]
) -> None:
    home.fake_systemctl()
    code, output = install(home)
    assert code == exitcodes.OK, output
    assert f"stop the running breakd (pid {daemon.pid}): it starts again" in output
    assert daemon.wait(10) == 0  # stopped cleanly: systemd does not restart an exit 0...
    assert home.calls()[-1] == "--user enable --now breakd.service"  # ...and this starts it
    assert output.rstrip().endswith("breakd is installed and restarted.")


def test_install_from_a_console_leaves_a_running_breakd_alone(
    home: Home, daemon: subprocess.Popen[str]
) -> None:
    # No user manager and no display to start a new one on: stopping it would stop reminders.
    code, output = install(home)
    assert code == exitcodes.OK, output
    assert f"breakd (pid {daemon.pid}) keeps running the old code" in output
    assert daemon.poll() is None


def test_uninstall_stops_a_running_breakd_and_says_so(
    home: Home, daemon: subprocess.Popen[str]
) -> None:
    install(home)
    code, output = uninstall(home)
    assert code == exitcodes.OK, output
    assert f"stop the running breakd (pid {daemon.pid})" in output
    assert daemon.wait(10) == 0
    assert "breakd is stopped and will no longer start with your session." in output


def fake_install_sh(home: Home) -> tuple[Path, Path]:
    """What scripts/install.sh leaves: a virtualenv and a link to its breakd."""
    venv = home.root / ".local" / "share" / "breakd" / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "breakd").write_text("#!/bin/sh\n")
    link = home.root / ".local" / "bin" / "breakd"
    link.parent.mkdir(parents=True)
    link.symlink_to(venv / "bin" / "breakd")
    return venv, link


def test_uninstall_removes_the_virtualenv_and_link_and_keeps_config_and_data(home: Home) -> None:
    venv, link = fake_install_sh(home)
    install(home)
    state = home.root / ".local" / "state" / "breakd"
    state.mkdir(parents=True)
    (state / "breakd.db").write_text("")
    code, output = uninstall(home)
    assert code == exitcodes.OK, output
    assert not link.is_symlink() and not venv.exists() and not venv.parent.exists()
    assert home.config.exists() and (state / "breakd.db").exists()
    assert "`breakd uninstall --purge` removes them too" in output
    assert home.files() == sorted([home.config, state / "breakd.db"])


def test_uninstall_purge_removes_config_and_statistics_too(home: Home) -> None:
    fake_install_sh(home)
    install(home)
    state = home.root / ".local" / "state" / "breakd"
    state.mkdir(parents=True)
    (state / "breakd.db").write_text("")
    out, err = io.StringIO(), io.StringIO()
    assert uninstall_command(False, purge=True, env=home.env(), out=out, err=err) == 0
    assert home.files() == [] and not home.config.parent.exists() and not state.exists()
    assert "remove your config ~/.config/breakd" in out.getvalue()


def test_uninstall_purge_dry_run_changes_nothing(home: Home) -> None:
    fake_install_sh(home)
    install(home)
    before = home.files()
    out = io.StringIO()
    assert uninstall_command(True, purge=True, env=home.env(), out=out, err=out) == 0
    assert home.files() == before
    assert "remove the virtualenv's folder ~/.local/share/breakd" in out.getvalue()


def test_a_link_that_is_not_ours_is_left_alone(home: Home, tmp_path: Path) -> None:
    link = home.root / ".local" / "bin" / "breakd"
    link.parent.mkdir(parents=True)
    link.symlink_to(tmp_path / "pipx" / "breakd")
    code, output = uninstall(home)
    assert code == exitcodes.OK and link.is_symlink()
    assert "the breakd program stays" in output


def test_install_without_systemd_in_a_desktop_session_starts_breakd_now(home: Home) -> None:
    # Reminders begin today, not at the next login (the autostart entry does that).
    code, output = install(home, dry_run=True, DISPLAY=":0")
    assert code == exitcodes.OK
    assert f"start `{VENV_BREAKD} run` in the background (log: ~/.local/state/breakd/" in output
    assert home.files() == []
