"""The control socket: protocol parsing (incl. hostile input), the server and client over a
real Unix socket in a private runtime dir, and the CLI commands built on them."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd import __version__, exitcodes
from breakd.cli import main
from breakd.control import client
from breakd.control.commands import Options, control_command, status_lines
from breakd.control.paths import runtime_dir, socket_path
from breakd.control.protocol import (
    CLI_COMMANDS,
    COMMANDS,
    CONTROL_COMMANDS,
    ENGINE_COMMANDS,
    MAX_MESSAGE,
    ProtocolError,
    Reply,
    Request,
    parse_reply,
    parse_request,
    status_result,
)
from breakd.control.server import AlreadyRunning, ControlServer
from breakd.core.types import EngineState, Kind, KindStatus, Status

STATUS = {
    "state": "active",
    "presence": 1500.0,
    "active_today": 7500.0,
    "paused_until": None,
    "kinds": [
        {"kind": "sitting", "due_in": 720.0, "pending": False},
        {"kind": "repetition", "due_in": None, "pending": True},
        {"kind": "water", "due_in": None, "pending": False},
    ],
    "source": "pynput",
    "pid": 4242,
    "version": __version__,
}


class FakeHandler:
    """Records requests; answers status with STATUS, fails on "skip" to exercise errors."""

    def __init__(self) -> None:
        self.calls: list[Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        with self._lock:
            self.calls.append(request)
        if request.cmd == "status":
            return Reply.success(STATUS)
        if request.cmd == "skip":
            raise RuntimeError("boom")
        return Reply.success({"echo": dict(request.args)})


@pytest.fixture
def env() -> Iterator[dict[str, str]]:
    # A short directory: AF_UNIX paths are limited to 108 bytes, pytest's tmp_path can be longer.
    base = tempfile.mkdtemp(prefix="bkd")
    os.chmod(base, 0o700)
    yield {"XDG_RUNTIME_DIR": base}
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def handler() -> FakeHandler:
    return FakeHandler()


@pytest.fixture
def server(env: dict[str, str], handler: FakeHandler) -> Iterator[ControlServer]:
    srv = ControlServer(socket_path(env), handler)
    srv.start()
    yield srv
    srv.stop()


def raw_exchange(path: Path, payload: bytes, timeout: float = 5.0) -> list[bytes]:
    """Send bytes, half-close, read every reply line until the server hangs up."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(path))
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        data = bytearray()
        while chunk := sock.recv(65536):
            data += chunk
    return bytes(data).splitlines()


# --- protocol -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"cmd": "status"}', Request("status", {})),
        (b'{"cmd": "status", "args": null}\n', Request("status", {})),
        (b'{"cmd": "pause", "args": {"seconds": 1800}}', Request("pause", {"seconds": 1800})),
        (b'{"cmd": "pause", "args": {"tomorrow": true}}', Request("pause", {"tomorrow": True})),
        (b'{"cmd": "pause", "args": {"until": 1.7e9}}', Request("pause", {"until": 1.7e9})),
        (b'{"cmd": "snooze", "args": {"seconds": 2.5}}', Request("snooze", {"seconds": 2.5})),
        (b'{"cmd": "break-now", "id": 7}', Request("break-now", {})),  # unknown keys ignored
    ],
)
def test_parse_request_accepts_valid_requests(line: bytes, expected: Request) -> None:
    assert parse_request(line) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"", "not valid JSON"),
        (b"hello", "not valid JSON"),
        (b'{"cmd": "status"', "not valid JSON"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b'{"cmd": "st\xc3"}', "not valid UTF-8"),
        (b"[1, 2]", "must be a JSON object, got array"),
        (b'"status"', "must be a JSON object, got string"),
        (b"{}", 'needs a string "cmd"'),
        (b'{"cmd": 3}', 'needs a string "cmd", got number'),
        (b'{"cmd": "rm -rf"}', "unknown command 'rm -rf'"),
        (b'{"cmd": "status", "args": []}', '"args" must be an object'),
        (b'{"cmd": "status", "args": {"x": 1}}', "unknown argument 'x'"),
        (b'{"cmd": "snooze", "args": {"seconds": "5m"}}', "must be a number, got string"),
        (b'{"cmd": "snooze", "args": {"seconds": true}}', "must be a number, got boolean"),
        (b'{"cmd": "snooze", "args": {"seconds": 0}}', "more than 0"),
        (b'{"cmd": "snooze", "args": {"seconds": -5}}', "more than 0"),
        (b'{"cmd": "snooze", "args": {"seconds": 1e999}}', "must be a number, got inf"),
        (b'{"cmd": "snooze", "args": {"seconds": NaN}}', "NaN is not valid JSON"),
        (b'{"cmd": "pause", "args": {"tomorrow": 1}}', "must be true or false"),
        (b'{"cmd": "pause", "args": {"seconds": 5, "tomorrow": true}}', "at most one"),
        (b'{"cmd": "status", "n": ' + b"9" * 5000 + b"}", "too long a number"),
        (b"[" * 50_000 + b"]" * 50_000, "too long"),
        (b"[" * 30_000, "too deep"),
        (b'{"cmd": "' + b"a" * MAX_MESSAGE + b'"}', "too long"),
    ],
)
def test_parse_request_rejects_malformed_input_clearly(line: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        parse_request(line)


def test_replies_round_trip_as_single_ascii_lines() -> None:
    for reply in (Reply.success({"text": "café ☕"}), Reply.failure("nope"), Reply.success()):
        line = reply.encode()
        assert line.endswith(b"\n") and line.count(b"\n") == 1
        line.decode("ascii")
        assert parse_reply(line) == reply


def test_the_control_commands_are_defined_once_and_everyone_uses_that() -> None:
    """protocol.CONTROL_COMMANDS is the one list: the wire's arguments, the CLI's subcommands
    and the client's table come from it, and the daemon gives every engine command a meaning."""
    from breakd.cli import build_parser
    from breakd.control import commands

    names = [c.name for c in CONTROL_COMMANDS]
    assert list(COMMANDS) == names
    assert set(commands.CONTROL_COMMANDS) == set(CLI_COMMANDS)
    subcommands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert set(CLI_COMMANDS) <= set(subcommands)
    assert {"pause", "resume", "snooze", "skip", "break-now"} == ENGINE_COMMANDS


def test_the_daemon_answers_every_command_the_server_passes_on(tmp_path: Path) -> None:
    from breakd.daemon import Daemon
    from tests.test_daemon import CONFIG, FakeClock, FakeNotifier

    daemon = Daemon(
        CONFIG, config_path=str(tmp_path / "c.toml"), clock=FakeClock(), notifier=FakeNotifier()
    )
    answered_by_server = {"ping", "subscribe"}
    for name in set(COMMANDS) - answered_by_server:
        reply = daemon.requests.handle(Request(name, {}))
        assert reply.ok or "config not reloaded" in (reply.error or ""), (name, reply)
    assert not daemon.requests.handle(Request("nonsense", {})).ok


def test_status_result_has_the_documented_shape() -> None:
    status = Status(
        state=EngineState.PAUSED,
        presence=60.0,
        active_today=120.0,
        paused_until=100.0,
        kinds=(
            KindStatus(Kind.SITTING, 30.0, snoozed_until=50.0),
            KindStatus(Kind.WATER, None, pending=True, reminder_id=7),
        ),
        held_by="quiet hours",
        held_until=200.0,
    )
    result = status_result(status, to_epoch=lambda t: t + 1e9, source="pynput", pid=1, version="v")
    assert result == {
        "state": "paused",
        "presence": 60.0,
        "active_today": 120.0,
        "paused_until": 1e9 + 100.0,
        "held_by": "quiet hours",
        "held_until": 1e9 + 200.0,
        "break_until": None,
        "kinds": [
            {
                "kind": "sitting",
                "due_in": 30.0,
                "pending": False,
                "snoozed_until": 1e9 + 50.0,
                "undelivered": False,
                "reminder": None,
            },
            {
                "kind": "water",
                "due_in": None,
                "pending": True,
                "snoozed_until": None,
                "undelivered": False,
                "reminder": 7,
            },
        ],
        "source": "pynput",
        "pid": 1,
        "version": "v",
    }
    json.dumps(result, allow_nan=False)


# --- paths --------------------------------------------------------------------------------


def test_runtime_dir_uses_xdg_runtime_dir(env: dict[str, str]) -> None:
    assert runtime_dir(env) == Path(env["XDG_RUNTIME_DIR"]) / "breakd"
    assert socket_path(env) == Path(env["XDG_RUNTIME_DIR"]) / "breakd" / "control.sock"


def test_runtime_dir_falls_back_to_a_private_tmp_dir() -> None:
    path = runtime_dir({})
    assert path == Path(f"/tmp/breakd-{os.getuid()}")
    info = os.lstat(path)
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700
    assert runtime_dir({"XDG_RUNTIME_DIR": "relative/dir"}) == path


# --- server and client --------------------------------------------------------------------


def test_status_round_trip(server: ControlServer, handler: FakeHandler) -> None:
    reply = client.request(server.path, "status")
    assert reply == Reply.success(STATUS)
    assert handler.calls == [Request("status", {})]


def test_ping_is_answered_by_the_server_itself(server: ControlServer, handler: FakeHandler) -> None:
    reply = client.request(server.path, "ping")
    assert reply.ok
    assert reply.result == {"pid": os.getpid(), "version": __version__, "protocol": 1}
    assert handler.calls == []


def test_socket_is_0600_inside_a_0700_dir(server: ControlServer) -> None:
    assert stat.S_IMODE(os.stat(server.path).st_mode) == 0o600
    assert stat.S_ISSOCK(os.stat(server.path).st_mode)
    assert stat.S_IMODE(os.stat(server.path.parent).st_mode) == 0o700


def test_a_second_server_raises_already_running_with_the_pid(
    env: dict[str, str], server: ControlServer
) -> None:
    second = ControlServer(socket_path(env), FakeHandler())
    with pytest.raises(AlreadyRunning) as info:
        second.start()
    assert info.value.pid == os.getpid()
    assert client.request(server.path, "ping").ok  # the first one is untouched


def test_already_running_is_detected_by_ping_without_the_lock(
    env: dict[str, str], server: ControlServer
) -> None:
    # A daemon that does not hold the lock (say, an older version) still answers ping.
    lock = server.path.with_name(server.path.name + ".lock")
    other = ControlServer(socket_path(env), FakeHandler(), pid=999)
    os.rename(lock, lock.with_name("moved.lock"))
    try:
        with pytest.raises(AlreadyRunning) as info:
            other.start()
    finally:
        os.rename(lock.with_name("moved.lock"), lock)
    assert info.value.pid == os.getpid()


def test_a_stale_socket_file_is_replaced(env: dict[str, str], handler: FakeHandler) -> None:
    path = socket_path(env)
    path.parent.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays; connecting to it is refused, as after a crash
    with pytest.raises(client.NotRunning):
        client.request(path, "ping")
    with ControlServer(path, handler):
        assert client.request(path, "status").ok


def test_stop_unlinks_the_socket_and_joins_quickly(
    env: dict[str, str], handler: FakeHandler
) -> None:
    srv = ControlServer(socket_path(env), handler)
    srv.start()
    thread = srv.thread
    assert thread is not None
    idle_conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    idle_conn.connect(str(srv.path))  # an open connection must not hold up stop()
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 5.0  # not held until the idle client leaves
    assert not thread.is_alive()
    assert not srv.path.exists()
    assert idle_conn.recv(10) == b""
    idle_conn.close()
    with pytest.raises(client.NotRunning):
        client.request(srv.path, "ping")
    # and the name can be served again
    with ControlServer(srv.path, handler):
        assert client.request(srv.path, "ping").ok


def test_handler_exception_becomes_an_error_reply(
    server: ControlServer, caplog: pytest.LogCaptureFixture
) -> None:
    reply = client.request(server.path, "skip")
    assert not reply.ok and "boom" in (reply.error or "")
    assert "skip" in caplog.text
    assert client.request(server.path, "status").ok


def test_handler_returning_junk_becomes_an_error_reply(env: dict[str, str]) -> None:
    with ControlServer(socket_path(env), lambda r: Reply.success({1, 2})) as srv:
        assert not client.request(srv.path, "status").ok
    with ControlServer(socket_path(env), lambda r: "ok") as srv:  # type: ignore[arg-type,return-value]
        assert not client.request(srv.path, "status").ok
        assert client.request(srv.path, "ping").ok


def test_protocol_errors_are_replied_and_the_connection_kept(server: ControlServer) -> None:
    lines = raw_exchange(server.path, b'nonsense\n{"cmd": "nope"}\n\n{"cmd": "status"}\n')
    replies = [parse_reply(line) for line in lines]
    assert [r.ok for r in replies] == [False, False, True]
    assert "not valid JSON" in (replies[0].error or "")
    assert "unknown command" in (replies[1].error or "")


def test_pipelined_requests_are_answered_in_order(server: ControlServer) -> None:
    payload = b"".join(Request("pause", {"seconds": n}).encode() for n in range(1, 201))
    replies = [parse_reply(line) for line in raw_exchange(server.path, payload)]
    assert [r.result["echo"]["seconds"] for r in replies] == list(range(1, 201))


def test_a_last_request_without_newline_is_answered(server: ControlServer) -> None:
    assert parse_reply(raw_exchange(server.path, b'{"cmd": "ping"}')[0]).ok


def test_an_oversized_message_gets_an_error_and_is_closed(
    server: ControlServer, handler: FakeHandler
) -> None:
    for payload in (b"x" * (MAX_MESSAGE + 10), b'{"cmd":"status"}' + b" " * MAX_MESSAGE + b"\n"):
        lines = raw_exchange(server.path, payload + b'{"cmd": "status"}\n')
        assert len(lines) == 1
        assert "too long" in (parse_reply(lines[0]).error or "")
    assert handler.calls == []


def test_other_uids_are_rejected(env: dict[str, str], handler: FakeHandler) -> None:
    with ControlServer(socket_path(env), handler, allowed_uid=os.getuid() + 1) as srv:
        reply = client.request(srv.path, "status")
    assert not reply.ok and "permission denied" in (reply.error or "")
    assert handler.calls == []


def test_many_clients_at_once(server: ControlServer) -> None:
    socks = []
    for _ in range(40):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(str(server.path))
        socks.append(sock)
    for i, sock in enumerate(socks):
        sock.sendall(Request("pause", {"seconds": i + 1}).encode())
    for i, sock in enumerate(reversed(socks)):
        reply = parse_reply(sock.makefile("rb").readline())
        assert reply.result == {"echo": {"seconds": len(socks) - i}}
        sock.close()


def test_fuzz_hostile_clients_leave_the_server_serving(
    server: ControlServer, handler: FakeHandler
) -> None:
    rng = random.Random(20240601)
    valid = [Request(c).encode() for c in ("status", "ping", "resume", "skip", "break-now")]

    def message() -> bytes:
        pick = rng.random()
        if pick < 0.2:
            return rng.choice(valid)
        if pick < 0.4:  # random bytes, often not UTF-8
            return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200))) + b"\n"
        if pick < 0.6:  # truncated valid JSON
            line = rng.choice(valid)
            return line[: rng.randint(0, len(line) - 1)] + b"\n"
        if pick < 0.63:  # oversized (ends the connection)
            return b"{" * (MAX_MESSAGE + rng.randint(1, 5000))
        if pick < 0.85:  # wrong shapes
            obj = rng.choice([[], 1, "x", None, {"cmd": rng.random()}, {"cmd": "pause", "args": 1}])
            return json.dumps(obj).encode() + b"\n"
        return b"\xc3\x28\xa0\xa1\xf0\x28\x8c\xbc\n"  # invalid UTF-8 sequences

    sent = 0
    for _ in range(250):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(str(server.path))
        try:
            for _ in range(rng.randint(1, 50)):
                sock.sendall(message())
                sent += 1
            if rng.random() < 0.5:
                sock.shutdown(socket.SHUT_WR)
                while sock.recv(65536):
                    pass
            # else: hang up abruptly with replies unread
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed on an oversized message: allowed
        finally:
            sock.close()
    assert sent > 2000
    assert server.thread is not None and server.thread.is_alive()
    assert client.request(server.path, "ping").ok
    assert client.request(server.path, "status") == Reply.success(STATUS)


def _in_select(thread: threading.Thread) -> bool:
    frame = sys._current_frames().get(thread.ident or -1)
    while frame is not None:
        if frame.f_code.co_name == "select" and "selectors" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def test_the_server_thread_blocks_while_nothing_happens(
    server: ControlServer, handler: FakeHandler
) -> None:
    assert client.request(server.path, "ping").ok
    thread = server.thread
    assert thread is not None
    deadline = time.monotonic() + 5
    # Wait until the ping's connection is closed on the server side too, then watch.
    while (server.clients or not _in_select(thread)) and time.monotonic() < deadline:
        time.sleep(0.01)
    wakeups = server.wakeups
    time.sleep(0.3)
    # Blocked: still in select, no further wake-up, no handler call, and alive.
    assert _in_select(thread)
    assert server.wakeups == wakeups
    assert handler.calls == []
    assert thread.is_alive()


# --- CLI commands -------------------------------------------------------------------------


def run_cli(env: dict[str, str], command: str, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = control_command(command, Options(**options), env=env, out=out, err=err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_not_running_exits_3_with_a_hint(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
    monkeypatch.setenv("PATH", env["XDG_RUNTIME_DIR"])  # no systemctl: no user manager
    assert main(["status"]) == exitcodes.NOT_RUNNING == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "breakd is not running" in captured.err
    # The hint fits the machine: no `systemctl --user start` where it cannot work
    # (tests/test_service.py has the hint for each kind of machine).
    assert "hint: start it with `breakd run &`" in captured.err
    assert "systemctl" not in captured.err


def test_status_prints_state_presence_and_each_reminder(server: ControlServer) -> None:
    code, out, _ = run_cli({"XDG_RUNTIME_DIR": str(server.path.parent.parent)}, "status")
    assert code == 0
    assert "breakd is on; you are active" in out
    assert "present for 25m" in out
    assert "sitting" in out and "in 12m" in out
    assert "repetition" in out and "due now" in out
    assert "water" in out and "on hold" in out


def test_status_json_prints_the_raw_result(server: ControlServer) -> None:
    env = {"XDG_RUNTIME_DIR": str(server.path.parent.parent)}
    code, out, _ = run_cli(env, "status", json=True)
    assert code == 0 and json.loads(out) == STATUS


def test_status_lines_when_paused() -> None:
    now = time.time()
    assert status_lines({"state": "paused", "paused_until": None})[0] == (
        "breakd is paused until you resume it"
    )
    line = status_lines({"state": "paused", "paused_until": now + 600}, now=now)[0]
    assert line.startswith("breakd is paused until ")


@pytest.mark.parametrize(
    ("command", "duration", "args"),
    [
        ("pause", None, {}),
        ("pause", "30m", {"seconds": 1800.0}),
        ("pause", "1h", {"seconds": 3600.0}),
        ("pause", "until-tomorrow", {"tomorrow": True}),
        ("pause", "until tomorrow", {"tomorrow": True}),
        ("pause", "Tomorrow", {"tomorrow": True}),
        ("snooze", None, {}),
        ("snooze", "10m", {"seconds": 600.0}),
    ],
)
def test_durations_become_request_arguments(
    server: ControlServer,
    handler: FakeHandler,
    command: str,
    duration: str | None,
    args: dict[str, object],
) -> None:
    env = {"XDG_RUNTIME_DIR": str(server.path.parent.parent)}
    code, out, _ = run_cli(env, command, duration=duration)
    assert code == 0 and out.strip()
    assert handler.calls == [Request(command, args)]


def test_a_bad_duration_is_a_usage_error_and_sends_nothing(
    server: ControlServer, handler: FakeHandler
) -> None:
    env = {"XDG_RUNTIME_DIR": str(server.path.parent.parent)}
    code, _, err = run_cli(env, "pause", duration="soon")
    assert code == exitcodes.USAGE
    assert "'soon'" in err and "until-tomorrow" in err
    assert handler.calls == []


def test_a_daemon_error_is_printed_and_exits_1(server: ControlServer) -> None:
    code, _, err = run_cli({"XDG_RUNTIME_DIR": str(server.path.parent.parent)}, "skip")
    assert code == exitcodes.FAILURE and "boom" in err


@pytest.mark.parametrize(
    ("words", "duration"), [([], None), (["30m"], "30m"), (["until", "tomorrow"], "until tomorrow")]
)
def test_pause_takes_its_duration_as_words(words: list[str], duration: str | None) -> None:
    from breakd.cli import build_parser

    args = build_parser().parse_args(["pause", *words])
    assert (" ".join(args.duration) or None) == duration


@pytest.mark.parametrize("command", ["resume", "skip", "break-now", "reload"])
def test_simple_commands_parse(command: str) -> None:
    from breakd.cli import build_parser

    assert build_parser().parse_args([command]).command == command


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["pause", "-5m"], "breakd pause: '-5m': a duration cannot be negative; use e.g."),
        (["snooze", "-90s"], "breakd snooze: '-90s': a duration cannot be negative; use e.g."),
        (["snooze", "90"], "breakd snooze: '90': a number needs a unit: write \"90s\" for sec"),
        (["snooze", "5x"], 'breakd snooze: \'5x\': not a duration; use e.g. "90s", "10m", "1h30m"'),
    ],
)
def test_a_bad_duration_on_the_command_line_says_what_is_wrong(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not argparse's usage text for "-5m", and never "whole seconds", which text cannot be.
    assert main(argv) == exitcodes.USAGE
    err = capsys.readouterr().err
    assert err.startswith(message) and "usage:" not in err and "whole seconds" not in err
