"""Status bars: the waybar/plain formats (pure), the ``subscribe`` push over the control
socket, and ``breakd status --follow`` as a real subprocess against a real ControlServer."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakd import exitcodes
from breakd.cli import _STATUS_FORMATS, build_parser, main
from breakd.control import client, commands, formats
from breakd.control.commands import Options, follow_status, status_lines
from breakd.control.paths import socket_path
from breakd.control.protocol import (
    Event,
    Reply,
    Request,
    parse_message,
    parse_reply,
    parse_request,
)
from breakd.control.server import ControlServer
from breakd.core.content import state_sentence
from breakd.core.types import EngineState
from breakd.i18n import translator

NOW = dt.datetime(2025, 3, 4, 10, 0).timestamp()
WAYBAR_CLASSES = {"active", "idle", "paused", "off-hours", "due", "on-break", "snoozed"}


def result(**fields: Any) -> dict[str, Any]:
    """A status result like the daemon's, with ``fields`` replaced."""
    base: dict[str, Any] = {
        "state": "active",
        "presence": 1080.0,
        "active_today": 7500.0,
        "paused_until": None,
        "kinds": [
            {"kind": "sitting", "due_in": 720.0, "pending": False},
            {"kind": "repetition", "due_in": 900.0, "pending": False},
            {"kind": "water", "due_in": None, "pending": False},
        ],
        "source": "pynput",
        "pid": 4242,
        "version": "test",
    }
    base.update(fields)
    return base


def kinds(*specs: tuple[str, float | None, bool]) -> list[dict[str, Any]]:
    return [{"kind": k, "due_in": d, "pending": p} for k, d, p in specs]


def assert_waybar_object(obj: Any) -> None:
    """The fields Waybar's custom module reads from a ``return-type: json`` line."""
    assert isinstance(obj, dict)
    assert set(obj) <= {"text", "alt", "tooltip", "class", "percentage"}
    assert isinstance(obj["text"], str)
    assert isinstance(obj["tooltip"], str)
    assert isinstance(obj["class"], str) or all(isinstance(c, str) for c in obj["class"])
    if "percentage" in obj:
        assert isinstance(obj["percentage"], int) and not isinstance(obj["percentage"], bool)
        assert 0 <= obj["percentage"] <= 100


# --- the order of the kinds ---------------------------------------------------------------


def test_kinds_are_listed_in_the_order_they_fall_due() -> None:
    # The daemon lists kinds in its own order; people read them as a queue.
    res = result(
        kinds=kinds(
            ("sitting", 1500.0, False),
            ("repetition", None, False),
            ("water", 300.0, False),
            ("posture", None, True),
            ("daily", 900.0, False),
        )
    )
    lines = status_lines(res, now=NOW)
    listed = [line.split()[0] for line in lines if line.startswith("  ")]
    assert listed == ["posture", "water", "daily", "sitting", "repetition"]
    tooltip = formats.waybar(res, now=NOW)["tooltip"].split("\n")
    assert [line.split(":")[0] for line in tooltip[-5:]] == listed


# --- formats: waybar ----------------------------------------------------------------------


def test_waybar_active_shows_the_soonest_reminder() -> None:
    out = formats.waybar(result(), now=NOW)
    assert_waybar_object(out)
    assert out["text"] == "☕ 12m"
    assert out["class"] == "active"
    # presence 18m of (18m + 12m left): 60 %
    assert out["percentage"] == 60


def test_waybar_tooltip_has_state_presence_and_one_line_per_kind() -> None:
    lines = formats.waybar(result(), now=NOW)["tooltip"].split("\n")
    assert lines[0] == "breakd is on; you are active"
    assert "present for 18m" in lines
    assert "active today: 2h05m" in lines
    assert lines[-3:] == ["sitting: in 12m", "repetition: in 15m", "water: on hold"]


def test_waybar_due_when_a_reminder_is_pending_or_overdue() -> None:
    pending = result(kinds=kinds(("sitting", None, True), ("water", 300.0, False)))
    overdue = result(kinds=kinds(("sitting", -5.0, False), ("water", 300.0, False)))
    for res in (pending, overdue):
        out = formats.waybar(res, now=NOW)
        assert (out["text"], out["class"]) == ("☕ now", "due")
    assert formats.waybar(pending)["percentage"] == 100  # the sitting interval is used up


def test_an_explicit_due_field_wins() -> None:
    assert formats.waybar(result(due=True))["class"] == "due"
    not_due = result(due=False, kinds=kinds(("sitting", None, True)))
    assert formats.waybar(not_due)["class"] == "active"


def test_waybar_paused_until_a_time_today_and_indefinitely() -> None:
    until = NOW + 90 * 60
    out = formats.waybar(result(state="paused", paused_until=until), now=NOW)
    assert out["text"] == "⏸ 11:30"
    assert out["class"] == "paused"
    assert "breakd is paused until 11:30" in out["tooltip"]
    forever = formats.waybar(result(state="paused", paused_until=None), now=NOW)
    assert forever["text"] == "⏸"
    assert "until you resume it" in forever["tooltip"]
    tomorrow = formats.waybar(result(state="paused", paused_until=NOW + 86400), now=NOW)
    assert tomorrow["text"] == "⏸ Wed 10:00"


def test_paused_beats_due_and_off_hours() -> None:
    res = result(state="paused", off_hours=True, due=True)
    assert formats.waybar(res, now=NOW)["class"] == "paused"


@pytest.mark.parametrize(
    "fields", [{"off_hours": True}, {"state": "off-hours"}, {"state": "quiet"}]
)
def test_waybar_off_hours_and_quiet_hours_show_a_moon(fields: dict[str, Any]) -> None:
    out = formats.waybar(result(**fields, due=True), now=NOW)
    assert (out["text"], out["class"]) == ("🌙", "off-hours")


@pytest.mark.parametrize("state", ["idle", "away"])
def test_waybar_idle_and_away_are_idle(state: str) -> None:
    assert formats.waybar(result(state=state))["class"] == "idle"


@pytest.mark.parametrize(
    "res",
    [
        result(kinds=[]),
        result(kinds=kinds(("sitting", None, False), ("water", None, False))),
        {},
        {"state": None, "kinds": "nonsense", "presence": "1h", "paused_until": True},
        {"kinds": [1, None, {"kind": 3, "due_in": float("nan")}]},
    ],
)
def test_waybar_copes_with_no_kinds_null_due_in_and_junk(res: dict[str, Any]) -> None:
    out = formats.waybar(res, now=NOW)
    assert_waybar_object(out)
    assert out["text"] == "☕"
    assert out["percentage"] == 0


def test_no_kinds_enabled_says_so() -> None:
    assert "no reminders enabled" in formats.waybar(result(kinds=[]))["tooltip"]
    assert formats.plain(result(kinds=[])) == "no reminders"


@pytest.mark.parametrize(
    ("presence", "every", "expected"),
    [(0.0, 1800, 0), (900.0, 1800, 50), (1800.0, 1800, 100), (9999.0, 1800, 100), (-5.0, 1800, 0)],
)
def test_percentage_is_presence_over_sitting_every_clamped(
    presence: float, every: float, expected: int
) -> None:
    out = formats.waybar(result(presence=presence, sitting_every=every))
    assert out["percentage"] == expected


def test_percentage_without_sitting_every_or_a_sitting_kind() -> None:
    assert formats.waybar(result(sitting_every=0))["percentage"] == 60  # 0: use the kinds
    no_sitting = result(kinds=kinds(("water", 100.0, False)))
    assert formats.waybar(no_sitting)["percentage"] == 0


def test_waybar_line_is_one_line_of_json() -> None:
    line = formats.render("waybar", result(), now=NOW)
    assert "\n" not in line
    assert json.loads(line) == formats.waybar(result(), now=NOW)


_number = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**9), 10**9)
)
_kind = st.fixed_dictionaries(
    {"kind": st.sampled_from(["sitting", "repetition", "posture", "water", "daily"])},
    optional={
        "due_in": _number,
        "pending": st.booleans(),
        "snoozed_until": st.one_of(st.none(), st.floats(NOW - 1e6, NOW + 1e6)),
        "undelivered": st.booleans(),
    },
)
_result = st.fixed_dictionaries(
    {},
    optional={
        "state": st.sampled_from(
            ["active", "idle", "away", "paused", "quiet", "off-hours", "on-break", "new-state"]
        ),
        "held_by": st.one_of(st.none(), st.sampled_from(["dunst do-not-disturb", "quiet hours"])),
        "held_until": st.one_of(st.none(), st.floats(NOW - 1e6, NOW + 1e6)),
        "break_until": st.one_of(st.none(), st.floats(NOW - 1e6, NOW + 1e6)),
        "presence": _number,
        "active_today": _number,
        "paused_until": st.one_of(st.none(), st.floats(NOW - 1e6, NOW + 1e6)),
        "kinds": st.lists(_kind, max_size=5),
        "off_hours": st.booleans(),
        "due": st.booleans(),
        "sitting_every": _number,
    },
)


@settings(max_examples=300, deadline=None)
@given(_result)
def test_any_result_gives_valid_short_waybar_and_plain_output(res: dict[str, Any]) -> None:
    out = formats.waybar(res, now=NOW)
    assert_waybar_object(out)
    assert out["class"] in WAYBAR_CLASSES
    assert 1 <= len(out["text"]) <= 12
    json.loads(formats.waybar_line(res, now=NOW))
    line = formats.plain(res, now=NOW)
    assert line and "\n" not in line and len(line) <= 48


# --- formats: plain, json, text -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "sitting 12m"),
        ({"state": "paused"}, "paused"),  # no countdown that cannot happen
        ({"state": "paused", "kinds": [], "paused_until": NOW + 1800}, "paused until 10:30"),
        ({"kinds": kinds(("sitting", 60.0, False), ("water", None, True))}, "water now"),
        ({"state": "idle"}, "sitting 12m · idle"),
        ({"off_hours": True, "kinds": kinds(("sitting", None, False))}, "off hours"),
        ({"state": "off-hours", "kinds": kinds(("sitting", None, False))}, "off hours"),
        ({"state": "quiet"}, "sitting 12m · quiet hours"),
        ({"kinds": kinds(("sitting", None, False))}, "no reminders"),
    ],
)
def test_plain_is_one_short_line(fields: dict[str, Any], expected: str) -> None:
    assert formats.plain(result(**fields), now=NOW) == expected


def test_json_format_is_the_raw_result_sorted() -> None:
    assert formats.render("json", result()) == json.dumps(result(), sort_keys=True)


def test_the_human_text_is_unchanged() -> None:
    assert status_lines(result()) == [
        "breakd is on; you are active",
        "present for 18m since the last natural break",
        "active today: 2h05m",
        "  sitting     in 12m",
        "  repetition  in 15m",
        "  water       on hold",
    ]
    assert formats.render("text", result()) == "\n".join(status_lines(result()))


def test_unknown_format_is_an_error_and_the_cli_knows_every_format() -> None:
    with pytest.raises(ValueError, match="unknown status format"):
        formats.render("xml", result())
    assert formats.FORMATS == _STATUS_FORMATS


def test_stopped_lines() -> None:
    stopped = json.loads(formats.render_stopped("waybar") or "")
    assert stopped == {"text": "", "tooltip": "breakd is not running", "class": "stopped"}
    assert formats.render_stopped("plain") == "breakd not running"
    assert formats.render_stopped("text") is None and formats.render_stopped("json") is None


# --- CLI parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "fmt", "follow"),
    [
        (["status"], "text", False),
        (["status", "--json"], "json", False),
        (["status", "--format", "waybar", "--follow"], "waybar", True),
        (["status", "--format", "plain"], "plain", False),
    ],
)
def test_status_options_parse(argv: list[str], fmt: str, follow: bool) -> None:
    args = build_parser().parse_args(argv)
    assert (args.format, args.follow) == (fmt, follow)


def test_an_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["status", "--format", "xml"])
    assert info.value.code == 2


# --- protocol -------------------------------------------------------------------------------


def test_subscribe_and_events_on_the_wire() -> None:
    assert parse_request(b'{"cmd": "subscribe"}') == Request("subscribe", {})
    line = Event("status", {"state": "idle"}).encode()
    assert line == b'{"event":"status","result":{"state":"idle"}}\n'
    assert parse_message(line) == Event("status", {"state": "idle"})
    assert parse_message(Reply.success(1).encode()) == Reply.success(1)


# --- the server: subscribe and publish ------------------------------------------------------


class StatusHandler:
    """Answers status with ``current``; counts calls; ``fail`` makes status fail."""

    def __init__(self) -> None:
        self.current: dict[str, Any] = result()
        self.calls: list[Request] = []
        self.fail = False

    def __call__(self, request: Request) -> Reply:
        self.calls.append(request)
        if request.cmd == "status" and self.fail:
            return Reply.failure("unknown command 'status'")
        if request.cmd == "status":
            return Reply.success(self.current)
        return Reply.success({"message": "ok"})


@pytest.fixture
def env() -> Iterator[dict[str, str]]:
    base = tempfile.mkdtemp(prefix="bkd")  # short: AF_UNIX paths are limited to 108 bytes
    os.chmod(base, 0o700)
    yield {"XDG_RUNTIME_DIR": base}
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def handler() -> StatusHandler:
    return StatusHandler()


@pytest.fixture
def server(env: dict[str, str], handler: StatusHandler) -> Iterator[ControlServer]:
    with ControlServer(socket_path(env), handler) as srv:
        yield srv


def wait_for(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for a condition")
        time.sleep(0.01)


class RawSubscriber:
    """A subscriber on a plain socket, reading lines with a timeout."""

    def __init__(self, path: Path, rcvbuf: int | None = None) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.connect(str(path))
        self.sock.sendall(b'{"cmd": "subscribe"}\n')
        self.buf = bytearray()

    def line(self, timeout: float = 2.0) -> bytes:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            self.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, _, rest = bytes(self.buf).partition(b"\n")
        self.buf = bytearray(rest)
        return line

    def close(self) -> None:
        self.sock.close()


def test_subscribe_replies_with_the_status_and_counts_the_subscriber(
    server: ControlServer, handler: StatusHandler
) -> None:
    sub = RawSubscriber(server.path)
    assert parse_reply(sub.line()) == Reply.success(handler.current)
    assert handler.calls == [Request("status", {})]
    assert server.subscribers == 1 and server.clients == 1
    server.publish(result(state="idle"))
    assert parse_message(sub.line()) == Event("status", result(state="idle"))
    sub.close()


def test_a_failed_status_refuses_the_subscription(
    server: ControlServer, handler: StatusHandler, env: dict[str, str]
) -> None:
    handler.fail = True
    sub = RawSubscriber(server.path)
    assert not parse_reply(sub.line()).ok
    assert server.subscribers == 0
    sub.close()
    err = io.StringIO()
    code = follow_status(Options(format="waybar"), env=env, out=io.StringIO(), err=err)
    assert code == exitcodes.FAILURE and "unknown command" in err.getvalue()


def test_requests_still_work_on_a_subscribed_connection(server: ControlServer) -> None:
    sub = RawSubscriber(server.path)
    sub.line()
    sub.sock.sendall(b'{"cmd": "ping"}\n')
    assert parse_reply(sub.line()).ok
    sub.close()


def test_publish_without_subscribers_does_not_wake_the_server(server: ControlServer) -> None:
    assert client.request(server.path, "ping").ok
    wait_for(lambda: server.clients == 0)
    wakeups = server.wakeups
    for _ in range(20):
        server.publish(result())
    time.sleep(0.1)
    assert server.wakeups == wakeups


def test_several_subscribers_each_get_every_change(server: ControlServer) -> None:
    subs = [RawSubscriber(server.path) for _ in range(5)]
    for sub in subs:
        sub.line()
    wait_for(lambda: server.subscribers == 5)
    for n in range(3):
        server.publish(result(presence=float(n)))
        for sub in subs:
            assert parse_message(sub.line()).result["presence"] == n  # type: ignore[union-attr]
    for sub in subs:
        sub.close()


def test_a_burst_of_publishes_is_coalesced_to_the_newest(server: ControlServer) -> None:
    sub = RawSubscriber(server.path)
    sub.line()
    wait_for(lambda: server.subscribers == 1)
    publishers = [
        threading.Thread(target=lambda: [server.publish(result(presence=-1.0)) for _ in range(50)])
        for _ in range(4)
    ]
    for thread in publishers:
        thread.start()
    for thread in publishers:
        thread.join()
    server.publish(result(presence=42.0))
    seen = []
    while not seen or seen[-1] != 42.0:
        seen.append(parse_message(sub.line()).result["presence"])  # type: ignore[union-attr]
    assert len(seen) <= 201
    sub.close()


def test_a_subscriber_that_disconnects_is_dropped(server: ControlServer) -> None:
    stays, leaves = RawSubscriber(server.path), RawSubscriber(server.path)
    stays.line()
    leaves.line()
    wait_for(lambda: server.subscribers == 2)
    leaves.close()
    wait_for(lambda: server.subscribers == 1 and server.clients == 1)
    server.publish(result(state="idle"))
    assert parse_message(stays.line()).result["state"] == "idle"  # type: ignore[union-attr]
    stays.close()


def test_an_event_that_fails_to_go_out_leaves_the_server_serving(
    server: ControlServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sub = RawSubscriber(server.path)
    sub.line()
    wait_for(lambda: server.subscribers == 1)
    deliver, failed = server._deliver, threading.Event()

    def deliver_once_broken() -> None:  # a bug in sending one event
        if not failed.is_set():
            failed.set()
            raise RuntimeError("event bug")
        deliver()

    monkeypatch.setattr(server, "_deliver", deliver_once_broken)
    server.publish(result(state="idle"))
    assert failed.wait(5)
    assert client.request(server.path, "ping").ok  # the thread lives on and answers
    server.publish(result(state="paused"))
    assert parse_message(sub.line()).result["state"] == "paused"  # type: ignore[union-attr]
    assert server.thread is not None and server.thread.is_alive()
    assert "event bug" in caplog.text and "serving on" in caplog.text
    sub.close()


def test_a_slow_subscriber_blocks_nobody_and_is_dropped(
    env: dict[str, str], handler: StatusHandler
) -> None:
    with ControlServer(socket_path(env), handler, max_backlog=128 * 1024) as srv:
        slow = RawSubscriber(srv.path, rcvbuf=4096)  # never reads
        fast = RawSubscriber(srv.path)
        fast.line()
        wait_for(lambda: srv.subscribers == 2)
        pad = "x" * 30_000
        for n in range(60):
            srv.publish(result(presence=float(n), pad=pad))
            started = time.monotonic()
            event = parse_message(fast.line(timeout=1.0))
            assert event.result["presence"] == n  # type: ignore[union-attr]
            assert time.monotonic() - started < 1.0
            if srv.subscribers == 1:
                break
        assert srv.subscribers == 1, "the slow subscriber should have been dropped"
        assert client.request(srv.path, "ping").ok
        slow.close()
        fast.close()


def test_stop_ends_subscriptions(env: dict[str, str], handler: StatusHandler) -> None:
    srv = ControlServer(socket_path(env), handler)
    srv.start()
    sub = RawSubscriber(srv.path)
    sub.line()
    srv.stop()
    with pytest.raises(EOFError):
        sub.line()
    srv.publish(result())  # after stop: harmless
    sub.close()


# --- breakd status --follow as a subprocess -------------------------------------------------


class Follower:
    """``breakd status --format FMT --follow`` in a subprocess, read line by line."""

    def __init__(self, env: dict[str, str], fmt: str = "waybar") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "breakd", "status", "--format", fmt, "--follow"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)
        self.buf = bytearray()

    def line(self, timeout: float) -> str | None:
        """The next line, or None if none arrives within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.selector.select(remaining):
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buf += chunk
        line, _, rest = bytes(self.buf).partition(b"\n")
        self.buf = bytearray(rest)
        return line.decode()

    def json_line(self, timeout: float) -> dict[str, Any]:
        line = self.line(timeout)
        assert line is not None, "no line from breakd status --follow"
        return json.loads(line)

    def cpu_ticks(self) -> int:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5)
        self.selector.close()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def followers() -> Iterator[list[Follower]]:
    started: list[Follower] = []
    yield started
    for follower in started:
        follower.close()


def test_follow_prints_at_once_then_only_on_publish(
    server: ControlServer, env: dict[str, str], followers: list[Follower]
) -> None:
    follower = Follower(env)
    followers.append(follower)
    first = follower.json_line(timeout=10)
    assert_waybar_object(first)
    assert first["text"] == "☕ 12m" and first["class"] == "active"
    wait_for(lambda: server.subscribers == 1)

    # Nothing published: no line, no server wake-up, and the client burns no CPU.
    thread = server.thread
    assert thread is not None
    wakeups, ticks = server.wakeups, follower.cpu_ticks()
    assert follower.line(timeout=0.6) is None
    assert server.wakeups == wakeups
    assert follower.cpu_ticks() - ticks <= 1
    assert thread.is_alive()

    started = time.monotonic()
    server.publish(result(state="paused", paused_until=None))
    pushed = follower.json_line(timeout=1.0)
    assert time.monotonic() - started < 1.0
    assert (pushed["text"], pushed["class"]) == ("⏸", "paused")
    assert follower.line(timeout=0.3) is None  # one publish, one line


def test_follow_plain_prints_one_line_per_change(
    server: ControlServer, env: dict[str, str], followers: list[Follower]
) -> None:
    follower = Follower(env, fmt="plain")
    followers.append(follower)
    assert follower.line(timeout=10) == "sitting 12m"
    wait_for(lambda: server.subscribers == 1)
    server.publish(result(kinds=kinds(("water", None, True))))
    assert follower.line(timeout=1.0) == "water now"


def test_several_followers(
    server: ControlServer, env: dict[str, str], followers: list[Follower]
) -> None:
    followers.extend(Follower(env) for _ in range(3))
    for follower in followers:
        follower.json_line(timeout=10)
    wait_for(lambda: server.subscribers == 3)
    server.publish(result(due=True))
    for follower in followers:
        assert follower.json_line(timeout=1.0)["class"] == "due"


def test_a_closed_bar_ends_the_follower_quietly(
    server: ControlServer, env: dict[str, str], followers: list[Follower]
) -> None:
    follower = Follower(env)
    followers.append(follower)
    follower.json_line(timeout=10)
    wait_for(lambda: server.subscribers == 1)
    assert follower.proc.stdout is not None
    follower.selector.unregister(follower.fd)
    follower.proc.stdout.close()  # the bar goes away; nothing is published
    assert follower.proc.wait(5) == 0
    assert follower.proc.stderr is not None
    assert follower.proc.stderr.read() == b""
    wait_for(lambda: server.subscribers == 0)


def test_not_running_one_shot_prints_a_stopped_line_for_bars(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
    assert main(["status", "--format", "waybar"]) == exitcodes.NOT_RUNNING
    captured = capsys.readouterr()
    stopped = json.loads(captured.out)
    assert_waybar_object(stopped)
    assert stopped["class"] == "stopped" and stopped["text"] == ""
    assert "not running" in captured.err
    assert main(["status", "--format", "plain"]) == exitcodes.NOT_RUNNING
    assert capsys.readouterr().out == "breakd not running\n"
    assert main(["status", "--json"]) == exitcodes.NOT_RUNNING
    assert capsys.readouterr().out == ""  # unchanged for scripts and people


def test_not_running_follow_announces_once_and_backs_off(env: dict[str, str]) -> None:
    delays: list[float] = []

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        if len(delays) == 7:
            raise KeyboardInterrupt

    out, err = io.StringIO(), io.StringIO()
    code = follow_status(Options(format="waybar"), env=env, out=out, err=err, sleep=sleep)
    assert code == 130
    assert [json.loads(line)["class"] for line in out.getvalue().splitlines()] == ["stopped"]
    assert delays == [2, 4, 8, 16, 30, 30, 30]
    out, err = io.StringIO(), io.StringIO()
    delays.clear()
    assert follow_status(Options(), env=env, out=out, err=err, sleep=sleep) == 130
    assert out.getvalue() == "" and err.getvalue().count("not running") == 1


def test_follow_recovers_when_the_daemon_starts_and_stops(
    env: dict[str, str], handler: StatusHandler, followers: list[Follower]
) -> None:
    follower = Follower(env)
    followers.append(follower)
    assert follower.json_line(timeout=10)["class"] == "stopped"
    with ControlServer(socket_path(env), handler) as srv:
        # The first retry comes 2 s after the first attempt; the stopped line is not repeated.
        assert follower.json_line(timeout=8)["class"] == "active"
        wait_for(lambda: srv.subscribers == 1)
        time.sleep(commands.RETRY_FIRST)  # a session this long is retried at once when cut
    assert follower.json_line(timeout=2)["class"] == "stopped"
    with ControlServer(socket_path(env), handler):
        assert follower.json_line(timeout=5)["class"] == "active"


def test_a_daemon_that_hangs_up_at_once_gets_the_backoff_not_a_busy_loop(
    env: dict[str, str],
) -> None:
    path = socket_path(env)
    path.parent.mkdir(mode=0o700)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)

    def flap() -> None:  # answer subscribe, then hang up: a crashing or confused daemon
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(1024)
                conn.sendall(Reply.success(result()).encode())

    threading.Thread(target=flap, daemon=True).start()
    delays: list[float] = []

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        if len(delays) == 3:
            raise KeyboardInterrupt

    out = io.StringIO()
    try:
        code = follow_status(
            Options(format="plain"), env=env, out=out, err=io.StringIO(), sleep=sleep
        )
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        listener.close()
    assert code == 130
    assert delays == [2, 4, 8]
    assert out.getvalue().splitlines() == ["sitting 12m"] * 3


@pytest.mark.parametrize("source", ["mutter", "pynput"])
def test_the_human_text_says_when_counts_fall_back_to_continuous_use(source: str) -> None:
    lines = status_lines(result(source=source, counting=False))
    assert f"presence only ({source}): no key or click counts" in lines[3]
    assert not any("presence only" in line for line in status_lines(result(counting=True)))


def test_held_reminders_are_said_in_words_everywhere() -> None:
    held = result(state="do-not-disturb", kinds=kinds(("sitting", 0.0, True)))
    assert status_lines(held)[0] == (
        "breakd is holding reminders (do not disturb, or a fullscreen window)"
    )
    bar = formats.waybar(held)
    assert bar["tooltip"].startswith("breakd is holding reminders")
    assert (bar["text"], bar["class"]) == ("⏸", "paused")  # even with a reminder due
    assert formats.plain(held).endswith("do-not-disturb")


def test_every_state_on_the_wire_is_read_as_the_engine_state() -> None:
    for state in EngineState:
        assert formats.StatusView.from_result(result(state=state.value)).state is state
        assert status_lines(result(state=state.value))[0] == state_sentence(state)


@pytest.mark.parametrize("state", ["in-a-meeting", 3, None])
def test_a_state_this_breakd_does_not_know_is_said_as_the_daemon_says_it(state: Any) -> None:
    """A newer daemon's state (or none): counted as the plain state, never a crash, and said
    in the daemon's word rather than guessed at."""
    word = state if isinstance(state, str) else "unknown"
    res = result(state=state)
    assert formats.StatusView.from_result(res).state is None
    text, bar, line = _every_format(res)
    assert text.splitlines()[0] == f"breakd is {word}"
    assert (bar["text"], bar["class"]) == ("☕ 12m", "active")
    assert bar["tooltip"].splitlines()[0] == f"breakd is {word}"
    assert line == f"sitting 12m · {word}"
    de = status_lines(res, now=NOW, tr=translator("de"))
    assert de[0] == f"breakd is {word}"


# --- the truth in every format: snoozed, on a break, held by what, not shown ----------------


def _every_format(res: dict[str, Any]) -> tuple[str, dict[str, Any], str]:
    return (
        "\n".join(status_lines(res, now=NOW)),
        formats.waybar(res, now=NOW),
        formats.plain(res, now=NOW),
    )


def test_a_snoozed_reminder_says_until_when_and_is_not_due() -> None:
    snoozed = {"kind": "sitting", "due_in": 600.0, "pending": False, "snoozed_until": NOW + 600}
    res = result(kinds=[snoozed], due=False)
    text, bar, line = _every_format(res)
    assert "sitting  snoozed until 10:10" in text
    assert (bar["text"], bar["class"]) == ("💤 10m", "snoozed")
    assert "sitting: snoozed until 10:10" in bar["tooltip"]
    assert line == "sitting snoozed 10m"


def test_on_a_break_shows_the_time_left_and_no_countdowns() -> None:
    res = result(
        state="on-break", break_until=NOW + 240, kinds=kinds(("sitting", None, False)), due=False
    )
    text, bar, line = _every_format(res)
    assert text.splitlines()[0] == "breakd: you are on a break, 4m left (until 10:04)"
    assert (bar["text"], bar["class"]) == ("🚶 4m", "on-break")
    assert line == "on a break 4m"


@pytest.mark.parametrize(
    ("held_by", "state", "until", "first_line"),
    [
        ("dunst do-not-disturb", "do-not-disturb", None, "holding reminders: dunst do-not-disturb"),
        ("a fullscreen window", "do-not-disturb", None, "holding reminders: a fullscreen window"),
        ("quiet hours", "quiet", NOW + 3600, "holding reminders: quiet hours until 11:00"),
        ("outside working hours", "off-hours", None, "holding reminders: outside working hours"),
        ("screen locked", "away", None, "breakd is on; you are away (screen locked)"),
    ],
)
def test_what_holds_reminders_is_named(held_by, state, until, first_line) -> None:
    res = result(state=state, held_by=held_by, held_until=until)
    text, bar, _ = _every_format(res)
    assert first_line in text.splitlines()[0]
    assert first_line in bar["tooltip"].splitlines()[0]


def test_a_reminder_no_server_could_show_says_so() -> None:
    unseen = {"kind": "sitting", "due_in": None, "pending": False, "undelivered": True}
    res = result(kinds=[unseen], due=True)
    text, bar, line = _every_format(res)
    assert "sitting  not shown: no notification server" in text
    assert "waiting for your break" not in text
    assert "sitting: not shown: no notification server" in bar["tooltip"]
    assert bar["class"] == "due" and line == "sitting not shown"


def test_paused_has_no_countdown_in_any_format() -> None:
    res = result(
        state="paused",
        paused_until=NOW + 1800,
        kinds=kinds(("sitting", None, False), ("water", None, False)),
    )
    text, bar, line = _every_format(res)
    assert text.splitlines()[0] == "breakd is paused until 10:30"
    assert "in " not in text and bar["text"] == "⏸ 10:30"
    assert line == "paused until 10:30"


def test_a_snooze_still_shows_while_nothing_counts_down() -> None:
    snoozed = {"kind": "sitting", "due_in": None, "pending": False, "snoozed_until": NOW + 300}
    res = result(state="away", kinds=[snoozed])
    assert formats.plain(res, now=NOW) == "sitting snoozed 5m · away"
    assert formats.waybar(res, now=NOW)["text"] == "💤 5m"
