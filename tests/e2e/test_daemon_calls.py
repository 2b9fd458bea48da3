"""``breakd run`` during calls, end to end: a real sound server with a real recording client,
and a screen-cast session on the desktop's bus, hold the reminder until they end; the
hooks of ``[hooks]`` hear of it with the event in their environment."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.io.threading import open_dbus_connection

from tests.calls.soundserver import SoundServer
from tests.calls.test_screencast import MUTTER, MUTTER_PATH, MutterStandIn, call
from tests.tools import require

from .daemon import config_text, start_daemon
from .desktop import Desktop, matching
from .hook_recorder import hooks_into, told

BREAKD = matching(app_name="breakd")


@pytest.fixture
def sound_server(desktop: Desktop) -> Iterator[SoundServer]:
    require("pulseaudio", "pactl", "parecord")
    server = SoundServer(desktop.home / "pulse").start()
    yield server
    server.stop()


def test_recording_from_the_microphone_holds_the_reminder_until_it_stops(
    desktop: Desktop, sound_server: SoundServer
):
    hooks = desktop.home / "hooks"
    config = config_text(
        sitting={"every": "6s", "duration": "4s", "max_repeats": 0},
        calls={"camera": False, "screen_sharing": False},
        hooks=hooks_into(hooks, "held", "released", "shown"),
    )
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, config, PULSE_SERVER=sound_server.env["PULSE_SERVER"])
    recorder = sound_server.record()
    daemon.wait_log("in a call: microphone in use")
    assert told(hooks, "held")["BREAKD_HELD_BY"] == "microphone in use"
    desktop.input.start_keys_for(16, rate_per_s=6)  # present all along: only the call holds
    desktop.notifications.assert_none(BREAKD, duration=10, since=mark)
    status = json.loads(daemon.cli("status", "--json").stdout)
    assert (status["state"], status["held_by"]) == ("do-not-disturb", "microphone in use")
    said = daemon.cli("status").stdout
    assert said.startswith("breakd is holding reminders: microphone in use"), said
    recorder.terminate()
    desktop.notifications.wait_for(BREAKD, timeout=15, since=mark)
    daemon.wait_log("reminder 1 shown: sitting")
    released = told(hooks, "released")
    assert released["BREAKD_HELD_BY"] == "microphone in use"
    assert int(released["BREAKD_DURATION"]) >= 10  # it held through the 10 s watched above
    shown = told(hooks, "shown")
    assert (shown["BREAKD_KIND"], shown["BREAKD_REMINDER_ID"]) == ("sitting", "1")


def test_a_screen_cast_session_holds_the_reminder_until_it_stops(desktop: Desktop):
    mutter = MutterStandIn(desktop.bus.address, MUTTER).start()
    app = open_dbus_connection(bus=desktop.bus.address)
    try:
        config = config_text(
            sitting={"every": "6s", "duration": "4s", "max_repeats": 0},
            calls={"camera": False, "microphone": False},
        )
        mark = desktop.notifications.mark()
        daemon = start_daemon(desktop, config)
        screencast = DBusAddress(MUTTER_PATH, bus_name=MUTTER, interface=MUTTER)
        (path,) = call(app, new_method_call(screencast, "CreateSession", "a{sv}", ({},)))
        session = DBusAddress(str(path), bus_name=MUTTER, interface=f"{MUTTER}.Session")
        call(app, new_method_call(session, "Start"))
        daemon.wait_log("in a call: screen sharing")
        desktop.input.start_keys_for(16, rate_per_s=6)
        desktop.notifications.assert_none(BREAKD, duration=10, since=mark)
        status = json.loads(daemon.cli("status", "--json").stdout)
        assert status["held_by"] == "screen sharing"
        call(app, new_method_call(session, "Stop"))
        desktop.notifications.wait_for(BREAKD, timeout=15, since=mark)
        daemon.wait_log("the call ended")
    finally:
        app.close()
        mutter.stop()
