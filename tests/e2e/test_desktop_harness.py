"""Smoke tests for the e2e harness itself (no breakd daemon involved)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import pytest

from .desktop import (
    DESKTOP_TOOLS,
    URGENCY_CRITICAL,
    URGENCY_LOW,
    Desktop,
    NotificationRecorder,
    matching,
    processes_mentioning,
    split_signature,
    wait_until,
)


@pytest.fixture(autouse=True)
def _needs_notify_send(require: Callable[..., None]) -> None:
    """Most smoke tests send with notify-send (libnotify-bin), a test-only dependency."""
    require("notify-send")


PLYER_NOTIFY = """
import sys
from plyer import notification
notification.notify(app_name="breakd", title=sys.argv[1], message=sys.argv[2], timeout=7)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_xvfb_has_record_and_xtest(shared_desktop: Desktop) -> None:
    extensions = shared_desktop.x.query_extensions(shared_desktop.env())
    assert "RECORD" in extensions
    assert "XTEST" in extensions


def test_env_is_private(shared_desktop: Desktop) -> None:
    env = shared_desktop.env()
    assert env["DISPLAY"] == shared_desktop.x.name
    assert env["DBUS_SESSION_BUS_ADDRESS"] == shared_desktop.bus.address
    for var in ("HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        assert env[var].startswith(str(shared_desktop.root)), var
    assert "WAYLAND_DISPLAY" not in env


def test_notify_send_is_recorded_and_shown(shared_desktop: Desktop) -> None:
    title, body = 'Time for a "break"', 'Stand up\n  string "and" stretch <b>now</b>'
    shared_desktop.run(["notify-send", "-a", "breakd", "-u", "critical", title, body])

    seen = shared_desktop.notifications.wait_for(matching(app_name="breakd"))
    assert (seen.app_name, seen.summary, seen.body) == ("breakd", title, body)
    assert seen.urgency == URGENCY_CRITICAL

    shown = shared_desktop.server.history()
    assert [(n.app_name, n.summary, n.body) for n in shown] == [("breakd", title, body)]


def test_plyer_dbus_notification_is_recorded_and_shown(shared_desktop: Desktop) -> None:
    recorder = shared_desktop.notifications
    shared_desktop.run([sys.executable, "-c", PLYER_NOTIFY, "Micro break", "Look away 20 s"])

    seen = recorder.wait_for(matching(app_name="breakd", summary="Micro break"))
    assert seen.body == "Look away 20 s"
    # plyer's dbus-python path honours timeout (notify-send path would send 0 or -1).
    assert seen.expire_timeout == 7000
    assert len(recorder.all()) == 1

    shown = shared_desktop.server.history()
    assert [(n.app_name, n.summary, n.body) for n in shown] == [
        ("breakd", "Micro break", "Look away 20 s")
    ]


def test_recorder_wait_for_since_and_assert_none(shared_desktop: Desktop) -> None:
    recorder = shared_desktop.notifications
    shared_desktop.run(["notify-send", "-a", "other", "first", "x"])
    recorder.wait_for_count(1)
    mark = recorder.mark()
    recorder.assert_none(matching(app_name="breakd"), duration=0.2, since=mark)
    shared_desktop.run(["notify-send", "-a", "breakd", "second", "y"])
    assert recorder.wait_for(since=mark).summary == "second"
    with pytest.raises(TimeoutError, match="seen"):
        recorder.wait_for(matching(summary="never"), timeout=0.2)


def test_xdotool_input_reaches_pynput(shared_desktop: Desktop) -> None:
    inp = shared_desktop.input
    with shared_desktop.pynput_probe() as probe:
        inp.type_text("hello", delay_ms=5)
        inp.key("shift+a")
        counts = probe.wait_for("key_release", 7)
        assert counts["key_press"] == 7
        inp.move_mouse(300, 200)
        inp.move_mouse_relative(10, 10)
        inp.click()
        counts = probe.wait_for("click", 2)
        assert counts["move"] >= 1
        typed = inp.keys_for(0.5, rate_per_s=20)
        counts = probe.wait_for("key_release", 7 + typed)
        assert counts["key_press"] == 7 + typed
        assert counts["alive"]


def test_kill_x_and_restart_on_same_display(desktop: Desktop) -> None:
    display = desktop.x.name
    old_pid = desktop.x.pid
    probe = desktop.pynput_probe()
    try:
        desktop.kill_x()
        assert not desktop.x.is_running()
        # A client of the dead server sees its connection closed.
        wait_until(lambda: probe.counts()["alive"] is False, what="pynput listener to die")
        # No notification server now, and the bus must not auto-activate a stray dunst.
        failed = desktop.run(["notify-send", "-a", "breakd", "nobody", "x"], check=False)
        assert failed.returncode != 0
        assert not desktop.bus.name_has_owner("org.freedesktop.Notifications")
    finally:
        probe.close()
    desktop.start_x()
    assert desktop.x.name == display
    assert desktop.x.pid != old_pid
    assert "RECORD" in desktop.x.query_extensions(desktop.env())
    with desktop.pynput_probe() as probe:
        desktop.input.type_text("ok")
        assert probe.wait_for("key_release", 2)["key_press"] == 2
    desktop.run(["notify-send", "-a", "breakd", "after restart", "b"])
    assert desktop.notifications.wait_for().summary == "after restart"
    assert [n.summary for n in desktop.server.history()] == ["after restart"]


def test_spawned_child_and_restart_x_crash_false(desktop: Desktop) -> None:
    child = desktop.spawn(["sleep", "60"], log_name="sleeper")
    desktop.restart_x(crash=False)
    assert child.poll() is None, "spawn()ed processes must survive an X restart"


def test_startup_is_fast_and_nothing_leaks(require: Callable[..., None]) -> None:
    require(*DESKTOP_TOOLS)
    started = time.monotonic()
    with Desktop() as d:
        elapsed = time.monotonic() - started
        root = str(d.root)
        child = d.spawn(["sh", "-c", "sleep 60 & sleep 60"], log_name="grandchildren")
        # a client that could auto-launch a bus if the env were wrong
        d.run(["notify-send", "-a", "breakd", "leak check", "x"])
        d.notifications.wait_for()
        pids = [*d.pids(), child.pid]
        assert all(_alive(pid) for pid in pids)
    assert elapsed < 5.0, f"desktop took {elapsed:.2f}s to start"
    leftovers = [pid for pid in pids if _alive(pid)]
    assert leftovers == []
    assert list(processes_mentioning(root)) == []
    assert not os.path.exists(root)


def test_stray_bus_is_not_autolaunched(shared_desktop: Desktop) -> None:
    before = set(processes_mentioning("dbus-launch"))
    shared_desktop.run(["notify-send", "-a", "breakd", "x", "y"])
    assert set(processes_mentioning("dbus-launch")) - before == set()


def test_split_signature() -> None:
    assert split_signature("susssasa{sv}i") == ["s", "u", "s", "s", "s", "as", "a{sv}", "i"]
    assert split_signature("a(yv)(ia{s(ii)})") == ["a(yv)", "(ia{s(ii)})"]


RAW_NOTIFY = """
import dbus
bus = dbus.SessionBus()
proxy = bus.get_object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
image = dbus.Struct(
    (2, 1, 8, True, 8, 4, dbus.ByteArray(bytes(range(8)))), signature="iiibiiay"
)
hints = {
    "urgency": dbus.Byte(0),
    "category": "break",
    "image-data": image,
    "x": dbus.Int32(-5),
    "flag": dbus.Boolean(True),
    "nested": dbus.Dictionary({"k": dbus.UInt64(2**40)}, signature="sv"),
}
proxy.Notify("breakd", 7, "icon", "s \\"q\\"", "b\\nc", ["default", "Open"], hints, 1500,
             dbus_interface="org.freedesktop.Notifications")
"""


def test_recorder_decodes_actions_and_complex_hints(shared_desktop: Desktop) -> None:
    """Hints with nested and binary variants (like image-data) must decode exactly."""
    recorder = shared_desktop.notifications
    assert isinstance(recorder, NotificationRecorder)
    shared_desktop.run([sys.executable, "-c", RAW_NOTIFY])
    seen = recorder.wait_for()
    assert seen.actions == ("default", "Open")
    assert (seen.app_icon, seen.replaces_id, seen.expire_timeout) == ("icon", 7, 1500)
    assert (seen.summary, seen.body) == ('s "q"', "b\nc")
    assert seen.urgency == URGENCY_LOW
    assert seen.hints["category"] == "break"
    assert seen.hints["image-data"] == (2, 1, 8, True, 8, 4, bytes(range(8)))
    assert (seen.hints["x"], seen.hints["flag"]) == (-5, True)
    assert seen.hints["nested"] == {"k": 2**40}
    assert recorder.decode_errors == []
