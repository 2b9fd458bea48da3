"""The microphone watcher against a real PulseAudio with a real recording client."""

from __future__ import annotations

import os
import sys

import pytest

from breakd.adapters.calls.microphone import (
    MicrophoneUnavailable,
    MicrophoneWatcher,
    recording,
    server_name,
    server_socket,
)
from tests.calls.conftest import Reports
from tests.calls.soundserver import SINK, SoundServer
from tests.e2e.desktop import require_tool, terminate, wait_until

# pactl speaks the user's language ("Ereignis »new« auf source-output #3"), and its events are
# matched by their English words: breakd runs it in the C locale, so a German desktop is watched.
GERMAN = {"LANGUAGE": "de", "LANG": "C.UTF-8", "LC_ALL": ""}


@pytest.mark.parametrize("locale", [{}, GERMAN], ids=["as-is", "german"])
def test_a_recording_stream_is_in_use_until_it_stops(
    sound_server: SoundServer, reports: Reports, locale: dict[str, str]
):
    watcher = MicrophoneWatcher(reports, {**sound_server.env, **locale})
    watcher.start()
    try:
        reports.wait_for()  # the first look: nothing records
        recorder = sound_server.record()
        wait_until(lambda: sound_server.recording_streams() == 1, what="parecord recording")
        reports.wait_for(True)
        terminate(recorder)
        reports.wait_for(True, False)
    finally:
        watcher.stop()


def test_a_stream_recording_before_the_start_is_seen(sound_server: SoundServer, reports: Reports):
    sound_server.record()
    wait_until(lambda: sound_server.recording_streams() == 1, what="parecord recording")
    watcher = MicrophoneWatcher(reports, sound_server.env)
    watcher.start()
    try:
        reports.wait_for(True)
    finally:
        watcher.stop()


def test_recording_a_monitor_of_the_speakers_is_no_call(
    sound_server: SoundServer, reports: Reports
):
    watcher = MicrophoneWatcher(reports, sound_server.env)
    watcher.start()
    try:
        sound_server.record(f"{SINK}.monitor")
        wait_until(lambda: sound_server.recording_streams() == 1, what="the monitor recorded")
        microphone = sound_server.record()
        reports.wait_for(True)
        terminate(microphone)  # the monitor still records: that is no call
        reports.wait_for(True, False)
    finally:
        watcher.stop()


def test_the_server_going_away_ends_the_call(sound_server: SoundServer, reports: Reports):
    watcher = MicrophoneWatcher(reports, sound_server.env)
    watcher.start()
    try:
        sound_server.record()
        reports.wait_for(True)
        terminate(sound_server.proc)
        reports.wait_for(True, False)
    finally:
        watcher.stop()


def test_server_name_and_no_server(sound_server: SoundServer, tmp_path):
    assert server_name(sound_server.env) == "pulseaudio"
    missing = {**sound_server.env, "PULSE_SERVER": f"unix:{tmp_path}/none"}
    with pytest.raises(MicrophoneUnavailable, match="no sound server"):
        server_name(missing)


MONITOR = {"index": 0, "monitor_source": "speakers", "properties": {"device.class": "monitor"}}
MIC = {"index": 1, "monitor_source": "", "properties": {"device.class": "sound"}}
PIPEWIRE_MONITOR = {"index": 2, "properties": {"device.class": "monitor"}}


@pytest.mark.parametrize(
    ("outputs", "in_use"),
    [
        ([], False),
        ([{"source": 1, "corked": False}], True),
        ([{"source": 1, "corked": True}], False),  # paused: not recording
        ([{"source": 0, "corked": False}], False),  # a monitor of the speakers
        ([{"source": 2}], False),
        ([{"source": 0}, {"source": 1}], True),
    ],
)
def test_what_counts_as_recording(outputs, in_use):
    assert recording(outputs, [MONITOR, MIC, PIPEWIRE_MONITOR]) is in_use


def test_a_pactl_without_json_output_is_named(tmp_path, monkeypatch):
    """pactl before PulseAudio 16 has no -f json (Ubuntu 22.04's): said, not misread."""
    old = tmp_path / "bin" / "pactl"
    old.parent.mkdir()
    old.write_text(
        '#!/bin/sh\n[ "$1" = info ] && echo "Server Name: pulseaudio" && exit 0\nexit 1\n'
    )
    old.chmod(0o755)
    monkeypatch.setenv("PATH", str(old.parent))
    with pytest.raises(MicrophoneUnavailable, match="no JSON output"):
        server_name({})


def test_a_sound_server_that_comes_later_is_waited_for_without_asking_again(
    tmp_path, reports: Reports, monkeypatch
):
    """No sound server: the watcher asks once and then waits for its socket to appear
    (inotify), starting no pactl meanwhile; a server that starts then is watched."""
    calls = tmp_path / "pactl-calls"
    wrapper = tmp_path / "bin" / "pactl"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$1" >> {calls}\nexec {require_tool("pactl")} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    server = SoundServer(tmp_path / "later")  # its socket's directory does not exist yet
    watcher = MicrophoneWatcher(reports, server.env)
    watcher.start()
    try:
        wait_until(lambda: _waiting_for_a_socket(watcher), what="the watcher waiting")
        asked = calls.read_text()
        assert _waiting_for_a_socket(watcher) and calls.read_text() == asked  # still waiting
        server.start()
        server.record()
        reports.wait_for(True)
    finally:
        watcher.stop()
        server.stop()


def _waiting_for_a_socket(watcher: MicrophoneWatcher) -> bool:
    """The watcher's thread is blocked in the socket's inotify wait."""
    thread = watcher._thread
    frame = sys._current_frames().get(thread.ident) if thread is not None else None
    while frame is not None:
        if frame.f_code.co_name == "wait" and "inotify" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def test_where_the_sound_servers_socket_is():
    assert server_socket({"PULSE_SERVER": "tcp:host unix:/run/a/native"}) == "/run/a/native"
    assert server_socket({"PULSE_SERVER": "/run/b"}) == "/run/b"
    assert server_socket({"PULSE_SERVER": "tcp:host:4713"}) is None
    assert server_socket({"XDG_RUNTIME_DIR": "/run/user/1000"}) == "/run/user/1000/pulse/native"
    assert server_socket({"PULSE_RUNTIME_PATH": "/p", "XDG_RUNTIME_DIR": "/r"}) == "/p/native"
    assert server_socket({}) is None


def test_stop_ends_the_wait_for_a_socket(tmp_path, reports: Reports):
    watcher = MicrophoneWatcher(reports, {"PULSE_SERVER": f"unix:{tmp_path}/none/native"})
    watcher.start()
    wait_until(lambda: _waiting_for_a_socket(watcher), what="the watcher waiting")
    watcher.stop()
    assert watcher._thread is not None and not watcher._thread.is_alive()
