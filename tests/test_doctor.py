"""``breakd doctor``: every check's passing and failing paths, driven with fakes.

No real desktop is needed: the session is an environment mapping, the input source a fake
probe, the notification server the jeepney stand-in from test_dbus_notify on a private
``dbus-daemon``, systemctl a shell script that records its calls, the daemon a real
``ControlServer`` with a fake handler in a temporary XDG_RUNTIME_DIR, and the database a
file in tmp_path.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from breakd import __version__
from breakd.adapters.presence import SourceUnavailable
from breakd.adapters.presence.choose import MUTTER_NAME, choose_source
from breakd.cli import main
from breakd.config.check import check_config_command
from breakd.control.paths import socket_path
from breakd.control.protocol import Reply, Request
from breakd.control.server import ControlServer
from breakd.doctor.checks import (
    TEST_SUMMARY,
    CheckResult,
    Completed,
    check_config,
    check_database,
    check_input,
    check_notifications,
    check_service,
    check_session,
    check_socket,
    describe_session,
    input_prompt,
    systemctl_runner,
)
from breakd.doctor.command import (
    Options,
    format_result,
    run_doctor,
    summary,
    to_json,
)
from breakd.store.sqlite import SCHEMA_VERSION, Store
from tests.e2e.desktop import SessionBus
from tests.presence.test_choose import GNOME, KDE, KWIN, FakeProbes
from tests.test_dbus_notify import FakeServer
from tests.test_tray import start_watcher

# --- session --------------------------------------------------------------------------------


def session(env: dict[str, str], probes: FakeProbes | None = None, setting: str = "auto"):
    """The doctor's session report, with the daemon's chooser asking fake probes."""
    return describe_session(env, choose_source(env, setting, probes or FakeProbes()))


def test_x11_session_uses_pynput() -> None:
    report = session({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "XFCE"})
    assert (report.kind, report.source, report.desktop) == ("x11", "pynput", "XFCE")
    result = check_session(report)
    assert result.status == "ok" and not result.fix
    assert "X11 session (XFCE) on :0" in result.detail and "pynput (X11" in result.detail


def test_display_without_session_type_is_x11() -> None:
    # startx, or ssh -X: no logind session type, but an X display all the same.
    assert session({"DISPLAY": ":1"}).kind == "x11"


def test_gnome_wayland_uses_the_mutter_idle_monitor() -> None:
    env = {**GNOME, "DISPLAY": ":0"}
    report = session(env, FakeProbes(owners={MUTTER_NAME}))
    assert (report.kind, report.source) == ("xwayland", "mutter")
    result = check_session(report)
    assert result.status == "ok" and "Mutter idle monitor (presence only" in result.detail


def test_kde_wayland_uses_ext_idle_notify() -> None:
    report = session(KDE, KWIN)
    assert (report.kind, report.source) == ("wayland", "wayland-idle")
    assert check_session(report).status == "ok"


def test_pynput_forced_on_wayland_warns_that_breakd_is_nearly_blind() -> None:
    env = {**GNOME, "DISPLAY": ":0"}
    result = check_session(session(env, FakeProbes(owners={MUTTER_NAME}), setting="pynput"))
    assert result.status == "warn"
    assert "XWayland" in result.detail and "nearly blind" in result.detail
    assert 'source = "auto"' in result.fix


def test_wayland_without_any_source_fails_saying_what_was_tried() -> None:
    report = session({"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "weston"})
    assert report.kind == "wayland" and report.source is None
    result = check_session(report)
    assert result.status == "fail"
    assert "mutter: not a GNOME session" in result.detail
    assert "wayland-idle" in result.detail and "screensaver" in result.detail
    assert "XWayland" in result.fix and 'source = "pynput"' in result.fix


def test_no_display_fails_with_the_import_environment_fix() -> None:
    result = check_session(session({}))
    assert result.status == "fail"
    assert "neither DISPLAY nor WAYLAND_DISPLAY" in result.detail
    assert "systemctl --user import-environment DISPLAY" in result.fix


# --- input seen --------------------------------------------------------------------------------


@dataclass
class FakeProbe:
    """Stands in for the pynput probe: answers a count (or raises) after calling on_ready."""

    seen: int = 0
    error: Exception | None = None
    calls: int = 0

    def __call__(self, timeout: float, on_ready: Callable[[], None]) -> int:
        self.calls += 1
        if self.error is not None:
            raise self.error
        on_ready()
        return self.seen


X11 = session({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"})
XWAYLAND = session({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, setting="pynput")
MUTTER = session({**GNOME, "DISPLAY": ":0"}, FakeProbes(owners={MUTTER_NAME}))


def test_input_seen_is_ok_and_the_prompt_came_first() -> None:
    said: list[str] = []
    result = check_input(X11, FakeProbe(seen=3), timeout=7, say=said.append)
    assert said == [input_prompt(7)] and "within 7 seconds" in said[0]
    assert result.status == "ok" and "3 events" in result.detail


def test_no_input_seen_on_x11_fails() -> None:
    result = check_input(X11, FakeProbe(seen=0), timeout=2, say=lambda _: None)
    assert result.status == "fail" and "in 2 s" in result.detail and "RECORD" in result.fix


def test_no_input_seen_on_xwayland_warns() -> None:
    result = check_input(XWAYLAND, FakeProbe(seen=0), timeout=2, say=lambda _: None)
    assert result.status == "warn" and "XWayland" in result.detail


def test_a_presence_source_that_sees_the_user_is_ok_and_one_that_fails_says_why() -> None:
    assert check_input(MUTTER, FakeProbe(seen=1), say=lambda _: None).status == "ok"
    probe = FakeProbe(error=SourceUnavailable("org.gnome.Mutter.IdleMonitor went away"))
    result = check_input(MUTTER, probe, say=lambda _: None)
    assert result.status == "fail" and "went away" in result.detail
    assert "WAYLAND_DISPLAY" in result.fix


def test_a_probe_that_cannot_start_fails() -> None:
    probe = FakeProbe(error=ImportError("this platform is not supported"))
    result = check_input(X11, probe, say=lambda _: None)
    assert result.status == "fail" and "not supported" in result.detail and result.fix


def test_no_presence_source_skips_without_probing() -> None:
    probe = FakeProbe(seen=1)
    result = check_input(session({}), probe, say=lambda _: None)
    assert result.status == "skip" and probe.calls == 0


# --- notifications -------------------------------------------------------------------------


@pytest.fixture
def start_server(bus: SessionBus) -> Iterator[Callable[[bool], FakeServer]]:
    started: list[FakeServer] = []

    def start(actions: bool, server_name: str = "fake") -> FakeServer:
        server = FakeServer(bus.address, actions=actions, server_name=server_name).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_no_session_bus_fails() -> None:
    result = check_notifications(None)
    assert result.status == "fail" and "DBUS_SESSION_BUS_ADDRESS" in result.detail
    assert "import-environment DBUS_SESSION_BUS_ADDRESS" in result.fix


def test_unreachable_bus_fails(tmp_path: Path) -> None:
    result = check_notifications(f"unix:path={tmp_path}/no-bus", timeout=1)
    assert result.status == "fail" and "cannot connect" in result.detail and result.fix


def test_bus_without_notification_server_fails(bus: SessionBus) -> None:
    result = check_notifications(bus.address, timeout=2)
    assert result.status == "fail" and "no notification server" in result.detail
    assert "dunst" in result.fix


def test_server_with_actions_gets_a_test_notification(
    bus: SessionBus, start_server: Callable[[bool], FakeServer]
) -> None:
    server = start_server(True)
    result = check_notifications(bus.address, timeout=2)
    assert result.status == "ok", result
    assert "fake 0 (breakd-tests), with buttons" in result.detail
    assert [call.summary for call in server.notify_calls] == [TEST_SUMMARY]
    assert server.notify_calls[0].app_name == "breakd"


def test_dunst_says_how_its_buttons_are_reached(
    bus: SessionBus, start_server: Callable[..., FakeServer]
) -> None:
    start_server(True, "dunst")
    result = check_notifications(bus.address, timeout=2)
    assert result.status == "ok", result
    assert "with buttons" not in result.detail
    assert "buttons only through a menu: a middle click on a reminder takes the break" in (
        result.detail
    )
    assert "context menu (dunstctl context; needs dmenu)" in result.detail
    assert "reminders also name the commands" in result.detail


def test_server_without_actions_warns(
    bus: SessionBus, start_server: Callable[[bool], FakeServer]
) -> None:
    start_server(False)
    result = check_notifications(bus.address, timeout=2)
    assert result.status == "warn" and "without buttons" in result.detail
    assert "breakd snooze" in result.fix


def test_no_notify_sends_nothing(
    bus: SessionBus, start_server: Callable[[bool], FakeServer]
) -> None:
    server = start_server(True)
    result = check_notifications(bus.address, send_test=False, timeout=2)
    assert result.status == "ok" and "skipped (--no-notify)" in result.detail
    assert server.notify_calls == []


# --- config ------------------------------------------------------------------------------------


def config_env(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_no_config_file_means_defaults(tmp_path: Path) -> None:
    result = check_config(None, config_env(tmp_path))
    assert result.status == "ok" and "defaults only" in result.detail


def test_a_valid_config_file_is_named(tmp_path: Path) -> None:
    env = config_env(tmp_path)
    path = tmp_path / "config" / "breakd" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[sitting]\nevery = "45m"\n')
    result = check_config(None, env)
    assert result.status == "ok" and "config.toml is valid" in result.detail


def test_a_bad_config_fails_with_check_configs_messages(tmp_path: Path) -> None:
    env = config_env(tmp_path)
    path = tmp_path / "bad.toml"
    path.write_text('[sitting]\nevery = "forever"\n[nosuch]\nx = 1\n')
    result = check_config(str(path), env)
    err = io.StringIO()
    check_config_command(str(path), out=io.StringIO(), err=err, env=env)
    assert result.status == "fail" and result.detail.startswith("2 problems in the config:")
    # Every message line check-config prints is in the doctor's detail, word for word.
    for line in err.getvalue().splitlines()[1:]:
        assert line in result.detail
    assert "bad.toml" in result.fix and "breakd check-config" in result.fix


# --- service -------------------------------------------------------------------------------------


@dataclass
class FakeSystemctl:
    """A ``systemctl`` script on a private PATH: records calls, answers what it is told."""

    bin: Path
    log: Path

    def install(
        self,
        enabled: str = "enabled",
        active: str = "active",
        show_env_status: int = 0,
        manager_env: str = "DISPLAY=:0\\nDBUS_SESSION_BUS_ADDRESS=unix:path=/x\\n",
    ) -> None:
        script = self.bin / "systemctl"
        script.write_text(
            "#!/bin/sh\n"
            f'echo "$*" >> "{self.log}"\n'
            'case "$2" in\n'
            f"  show-environment) printf '{manager_env}'; echo 'no bus' >&2;"
            f" exit {show_env_status};;\n"
            f"  is-enabled) echo {enabled};;\n"
            f"  is-active) echo {active};;\n"
            "esac\n"
        )
        script.chmod(0o755)

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def systemctl(tmp_path: Path) -> FakeSystemctl:
    (tmp_path / "bin").mkdir()
    return FakeSystemctl(tmp_path / "bin", tmp_path / "systemctl.log")


def service_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # PATH holds only our bin dir: no real systemctl can be found.
    env = {"HOME": str(tmp_path / "home"), "PATH": str(tmp_path / "bin"), "DISPLAY": ":0"}
    return {**env, **extra}


def run_service_check(tmp_path: Path, **extra: str) -> CheckResult:
    env = service_env(tmp_path, **extra)
    return check_service(env, systemctl_runner(env))


def test_no_systemctl_and_no_autostart_entry_warns(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    result = run_service_check(tmp_path)
    assert result.status == "warn" and "systemctl is not installed" in result.detail
    assert "breakd install" in result.fix


def test_no_systemctl_with_an_autostart_entry_is_ok(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    entry = tmp_path / "home" / ".config" / "autostart" / "breakd.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\n")
    result = run_service_check(tmp_path)
    assert result.status == "ok" and "autostart" in result.detail


def test_a_failing_user_manager_falls_back_to_autostart(
    tmp_path: Path, systemctl: FakeSystemctl
) -> None:
    systemctl.install(show_env_status=1)
    result = run_service_check(tmp_path)
    assert result.status == "warn" and "no bus" in result.detail
    assert systemctl.calls() == ["--user show-environment"]


def test_enabled_and_active_is_ok(tmp_path: Path, systemctl: FakeSystemctl) -> None:
    systemctl.install("enabled", "active")
    result = run_service_check(tmp_path)
    assert result.status == "ok" and "breakd.service: enabled, active" in result.detail
    assert systemctl.calls() == [
        "--user show-environment",
        "--user is-enabled breakd.service",
        "--user is-active breakd.service",
    ]


def test_disabled_but_running_warns(tmp_path: Path, systemctl: FakeSystemctl) -> None:
    systemctl.install("disabled", "active")
    result = run_service_check(tmp_path)
    assert result.status == "warn" and "systemctl --user enable breakd.service" in result.fix


def test_enabled_but_inactive_fails(tmp_path: Path, systemctl: FakeSystemctl) -> None:
    systemctl.install("enabled", "inactive")
    result = run_service_check(tmp_path)
    assert result.status == "fail" and "systemctl --user start breakd" in result.fix


def test_a_failed_service_points_at_the_journal(tmp_path: Path, systemctl: FakeSystemctl) -> None:
    systemctl.install("enabled", "failed")
    result = run_service_check(tmp_path)
    assert result.status == "fail" and "journalctl --user -u breakd" in result.fix


def test_an_unknown_unit_is_not_installed(tmp_path: Path, systemctl: FakeSystemctl) -> None:
    systemctl.install("not-found", "inactive")
    result = run_service_check(tmp_path)
    assert result.status == "warn" and "not installed" in result.detail
    assert result.fix == "`breakd install`"


def test_session_variables_missing_from_the_manager(
    tmp_path: Path, systemctl: FakeSystemctl
) -> None:
    systemctl.install("enabled", "inactive", manager_env="PATH=/usr/bin\\n")
    result = run_service_check(tmp_path, DBUS_SESSION_BUS_ADDRESS="unix:path=/bus")
    assert result.status == "fail"
    assert "lacks DISPLAY, DBUS_SESSION_BUS_ADDRESS" in result.detail
    assert "import-environment DISPLAY DBUS_SESSION_BUS_ADDRESS" in result.fix


def test_a_runner_that_cannot_run_is_no_manager(tmp_path: Path) -> None:
    def broken(*_args: str) -> Completed:
        raise OSError("exec format error")

    result = check_service(service_env(tmp_path), broken)
    assert result.status == "warn" and "could not run" in result.detail


# --- socket --------------------------------------------------------------------------------


def runtime_env(tmp_path: Path) -> dict[str, str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {"XDG_RUNTIME_DIR": str(runtime)}


def refuse(_request: Request) -> Reply:
    return Reply.failure("not in this test")


def test_daemon_not_running(tmp_path: Path) -> None:
    result = check_socket(socket_path(runtime_env(tmp_path)))
    assert result.status == "fail" and "not running" in result.detail
    assert "breakd run" in result.fix and "systemctl --user start breakd" in result.fix


def test_running_daemon_answers_ping(tmp_path: Path) -> None:
    path = socket_path(runtime_env(tmp_path))
    with ControlServer(path, refuse, pid=4242):
        result = check_socket(path)
    assert result.status == "ok", result
    assert f"breakd {__version__} is running (pid 4242)" in result.detail


def test_a_daemon_of_another_version_warns(tmp_path: Path) -> None:
    path = socket_path(runtime_env(tmp_path))
    with ControlServer(path, refuse, version="0.0.1"):
        result = check_socket(path)
    assert result.status == "warn" and "breakd 0.0.1" in result.detail
    assert "restart" in result.fix


def test_a_daemon_that_does_not_answer_fails(tmp_path: Path) -> None:
    path = socket_path(runtime_env(tmp_path))
    path.parent.mkdir(mode=0o700)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as mute:
        mute.bind(str(path))
        mute.listen()  # accepts connections, never reads or answers
        result = check_socket(path, timeout=0.3)
    assert result.status == "fail" and "does not answer" in result.detail and result.fix


# --- database ------------------------------------------------------------------------------


def test_no_database_yet_is_not_a_failure(tmp_path: Path) -> None:
    result = check_database(tmp_path / "breakd.db", {})
    assert result.status == "ok" and "no data yet" in result.detail


def test_a_healthy_database(tmp_path: Path) -> None:
    path = tmp_path / "breakd.db"
    Store.open(path).close()
    result = check_database(path, {})
    assert result.status == "ok"
    assert f"schema version {SCHEMA_VERSION}, integrity ok" in result.detail
    assert str(path) in result.detail and "KiB" in result.detail


def test_a_file_that_is_not_a_database_fails(tmp_path: Path) -> None:
    path = tmp_path / "breakd.db"
    path.write_bytes(b"this is no SQLite file\n" * 100)
    result = check_database(path, {})
    assert result.status == "fail" and "cannot be read" in result.detail
    assert f"mv {path} {path}.broken" in result.fix


def test_a_damaged_database_fails_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "breakd.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("CREATE INDEX t_x ON t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i}",) for i in range(200)])
    conn.commit()
    # Make the index disagree with its table: integrity_check reports it, reads still work.
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_schema SET sql = 'CREATE INDEX t_x ON t (x DESC)' WHERE name='t_x'")
    conn.commit()
    conn.close()
    result = check_database(path, {})
    assert result.status == "fail", result
    assert "damaged" in result.detail and ".recover" in result.fix


@pytest.mark.parametrize(
    ("version", "status", "words"),
    [(SCHEMA_VERSION - 1, "warn", "upgrades"), (SCHEMA_VERSION + 1, "fail", "update breakd")],
)
def test_schema_versions(tmp_path: Path, version: int, status: str, words: str) -> None:
    path = tmp_path / "breakd.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {version:d}")
    conn.close()
    result = check_database(path, {})
    assert result.status == status and words in result.fix


# --- the command: output, JSON, exit codes ---------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str


def doctor(
    env: dict[str, str],
    *,
    probe: FakeProbe | None = None,
    encoding: str = "utf-8",
    interactive: bool = True,
    **options: object,
) -> Run:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
    err = io.StringIO()
    code = run_doctor(
        Options(**options),  # type: ignore[arg-type]
        env=env,
        out=out,
        err=err,
        interactive=interactive,
        probe=probe or FakeProbe(seen=2),
    )
    out.flush()
    return Run(code, raw.getvalue().decode(encoding), err.getvalue())


@pytest.fixture
def healthy(
    tmp_path: Path,
    bus: SessionBus,
    start_server: Callable[[bool], FakeServer],
    systemctl: FakeSystemctl,
) -> Iterator[dict[str, str]]:
    """An environment where every check passes: X11, a server with buttons, a running
    service, a daemon answering on the socket, a healthy database."""
    start_server(True)
    tray_host = start_watcher(bus)
    systemctl.install("enabled", "active")
    env = {
        **service_env(tmp_path),
        **runtime_env(tmp_path),
        "XDG_SESSION_TYPE": "x11",
        "DBUS_SESSION_BUS_ADDRESS": bus.address,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    (tmp_path / "state" / "breakd").mkdir(parents=True)
    Store.open(tmp_path / "state" / "breakd" / "breakd.db").close()
    # No sound server here (tests/calls tries the microphone against a real one).
    config = tmp_path / "config" / "breakd" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[calls]\nmicrophone = false\n")
    with ControlServer(socket_path(env), refuse):
        yield env
    tray_host.stop()


def test_all_well_exits_0_with_one_line_per_check(healthy: dict[str, str]) -> None:
    run = doctor(healthy)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    # The session line is out before the input check asks (on stdout) and waits.
    assert lines.pop(1) == input_prompt(10)
    names = ["session", "input", "notifications", "config", "service", "socket", "database"]
    names += ["tray", "calls"]
    heads = [line for line in lines[:-1] if not line.startswith(" ")]
    assert [line.split()[1] for line in heads] == names
    assert all(line.startswith("✓ ") for line in heads)
    assert "fix:" not in run.out
    assert lines[-1] == "9 ok, 0 warnings, 0 failed, 0 skipped: all is well."


def test_warnings_still_exit_0(healthy: dict[str, str], systemctl: FakeSystemctl) -> None:
    systemctl.install("disabled", "active")
    run = doctor(healthy)
    assert run.code == 0
    assert "! service" in run.out and "    fix: `systemctl --user enable" in run.out
    assert "1 warning," in run.out


def test_a_failed_check_exits_1(healthy: dict[str, str]) -> None:
    run = doctor({**healthy, "XDG_RUNTIME_DIR": healthy["HOME"]})
    assert run.code == 1
    assert "✗ socket" in run.out and "1 failed" in run.out


def test_non_interactive_stdin_skips_the_input_check(healthy: dict[str, str]) -> None:
    probe = FakeProbe(seen=1)
    run = doctor(healthy, probe=probe, interactive=False)
    assert run.code == 0 and probe.calls == 0
    assert "- input         not tested (stdin is not a terminal" in run.out


def test_no_input_check_option_skips_it(healthy: dict[str, str]) -> None:
    probe = FakeProbe(seen=1)
    run = doctor(healthy, probe=probe, input_check=False)
    assert probe.calls == 0 and "not tested (--no-input-check)" in run.out


def test_json_output(healthy: dict[str, str], systemctl: FakeSystemctl) -> None:
    systemctl.install("enabled", "failed")
    run = doctor(healthy, json=True)
    data = json.loads(run.out)  # stdout is only the JSON: the prompt went to stderr
    assert run.err.strip() == input_prompt(10)
    assert run.code == 1 and data["ok"] is False and data["version"] == __version__
    assert data["summary"] == {"ok": 8, "warn": 0, "fail": 1, "skip": 0}
    assert [set(c) for c in data["checks"]] == [{"name", "status", "detail", "fix"}] * 9
    service = next(c for c in data["checks"] if c["name"] == "service")
    assert service["status"] == "fail" and "journalctl" in service["fix"]


def test_ascii_fallback_when_stdout_is_not_utf8(healthy: dict[str, str]) -> None:
    run = doctor({**healthy, "DBUS_SESSION_BUS_ADDRESS": ""}, encoding="ascii")
    assert run.out.isascii()
    assert "ok   session" in run.out and "FAIL notifications" in run.out
    assert "Move the mouse or press Shift within 10 seconds..." in run.out
    assert "     fix: " in run.out


def test_multi_line_details_stay_under_their_check() -> None:
    text = format_result(CheckResult("config", "fail", "2 problems:\na\nb", "edit it"), {
        "ok": "✓", "warn": "!", "fail": "✗", "skip": "-"
    })  # fmt: skip
    assert text.splitlines() == [
        "✗ config        2 problems:",
        "                a",
        "                b",
        "    fix: edit it",
    ]


def test_summary_and_json_count_every_status() -> None:
    results = [CheckResult(str(i), s, "d") for i, s in enumerate(["ok", "warn", "skip", "ok"])]
    assert summary(results).startswith("2 ok, 1 warning, 0 failed, 1 skipped: breakd should")
    assert to_json(results)["ok"] is True


def test_the_cli_runs_doctor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", runtime_env(tmp_path)["XDG_RUNTIME_DIR"])
    monkeypatch.setenv("PATH", os.defpath)
    assert main(["doctor", "--json", "--no-notify", "--timeout", "1"]) == 1
    with pytest.raises(SystemExit):
        main(["doctor", "--timeout", "0"])
