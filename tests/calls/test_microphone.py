"""The microphone watcher against a real PulseAudio with a real recording client."""

from __future__ import annotations

import pytest

from breakd.adapters.calls.microphone import (
    MicrophoneUnavailable,
    MicrophoneWatcher,
    recording,
    server_name,
)
from tests.calls.conftest import Reports
from tests.calls.soundserver import SINK, SoundServer
from tests.e2e.desktop import terminate, wait_until


def test_a_recording_stream_is_in_use_until_it_stops(sound_server: SoundServer, reports: Reports):
    watcher = MicrophoneWatcher(reports, sound_server.env)
    watcher.start()
    try:
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


def test_a_german_desktop_is_watched_too(sound_server: SoundServer, reports: Reports):
    """pactl speaks the user's language ("Ereignis »new« auf source-output #3"), and its
    events are matched by their English words: breakd runs it in the C locale."""
    german = {**sound_server.env, "LANGUAGE": "de", "LANG": "C.UTF-8", "LC_ALL": ""}
    watcher = MicrophoneWatcher(reports, german)
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
