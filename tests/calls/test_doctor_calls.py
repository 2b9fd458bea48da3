"""``breakd doctor``'s calls line: what can be watched here, tried for real."""

from __future__ import annotations

from pathlib import Path

from breakd.config.model import CallsConfig
from breakd.doctor.calls import check_calls
from tests.calls.soundserver import SoundServer
from tests.e2e.desktop import SessionBus


def test_all_three_watched(tmp_path: Path, sound_server: SoundServer, bus: SessionBus):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "video0").write_bytes(b"")
    env = {**sound_server.env, "DBUS_SESSION_BUS_ADDRESS": bus.address, "XDG_SESSION_TYPE": "x11"}
    result = check_calls(env, CallsConfig(), device_dir=str(dev))
    assert result.status == "ok", result.detail
    lines = result.detail.splitlines()
    assert lines[1] == f"camera: watched ({dev}/video0, through inotify)"
    assert lines[2].startswith("microphone: watched (recording streams of pulseaudio")
    assert lines[3].startswith("screen sharing: watched (ScreenCast sessions")
    assert "on X11 a program may also capture the screen directly" in lines[4]


def test_what_cannot_be_watched_says_why(tmp_path: Path):
    env = {"PULSE_SERVER": f"unix:{tmp_path}/none", "DBUS_SESSION_BUS_ADDRESS": ""}
    result = check_calls(env, CallsConfig(camera=False), device_dir=str(tmp_path))
    assert result.status == "warn" and "(0 of 2 watched)" in result.detail
    assert "microphone: not watched: no sound server answers pactl" in result.detail
    assert "screen sharing: not watched: no session bus" in result.detail
    assert "off in [calls]: camera" in result.detail
    assert "[calls]" in result.fix


def test_all_off_is_skipped():
    result = check_calls({}, CallsConfig(camera=False, microphone=False, screen_sharing=False))
    assert result.status == "skip"


def test_what_is_not_watched_is_said_in_the_readers_words(tmp_path: Path):
    """The sources' own reasons (no sound server, no session bus) in the reader's language,
    with what another program said quoted as it said it."""
    from breakd import i18n

    env = {"PULSE_SERVER": f"unix:{tmp_path}/none", "DBUS_SESSION_BUS_ADDRESS": ""}
    german = i18n.translator("de", {})
    result = check_calls(env, CallsConfig(camera=False), device_dir=str(tmp_path), tr=german)
    assert "kein Soundserver antwortet pactl" in result.detail
    assert "kein Sitzungsbus" in result.detail
    assert "no sound server" not in result.detail and "no session bus" not in result.detail
