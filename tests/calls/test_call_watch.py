"""``CallWatch``: the three watchers as one "in a call", turned on and off by [calls]."""

from __future__ import annotations

from pathlib import Path

from breakd.adapters.calls import CallWatch
from breakd.config.model import CallsConfig
from tests.calls.conftest import Reports
from tests.calls.soundserver import SoundServer
from tests.e2e.desktop import SessionBus, terminate


def test_camera_and_microphone_together_then_one_by_one(
    tmp_path: Path, sound_server: SoundServer, bus: SessionBus, reports: Reports
):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "video0").write_bytes(b"")
    watch = CallWatch(reports, device_dir=str(dev), bus_address=bus.address, env=sound_server.env)
    watch.configure(CallsConfig())
    try:
        assert watch.watching == ["screen sharing", "camera in use", "microphone in use"]
        camera = open(dev / "video0", "rb")  # noqa: SIM115 - closed in the middle
        reports.wait_for("camera in use")
        recorder = sound_server.record()
        reports.wait_for("camera in use", "camera in use, microphone in use")
        camera.close()
        reports.wait_for("camera in use", "camera in use, microphone in use", "microphone in use")
        terminate(recorder)
        reports.wait_for(
            "camera in use", "camera in use, microphone in use", "microphone in use", None
        )
    finally:
        watch.stop()


def test_a_watcher_turned_off_ends_its_part_of_the_call(tmp_path: Path, reports: Reports):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "video0").write_bytes(b"")
    watch = CallWatch(reports, device_dir=str(dev), bus_address="", env={})
    off = CallsConfig(microphone=False, screen_sharing=False)
    watch.configure(off)
    try:
        with open(dev / "video0", "rb"):
            reports.wait_for("camera in use")
            watch.configure(CallsConfig(camera=False, microphone=False, screen_sharing=False))
            assert reports.values == ["camera in use", None]
            assert watch.watching == []
    finally:
        watch.stop()


def test_what_cannot_start_is_left_out(tmp_path: Path, reports: Reports):
    watch = CallWatch(
        reports, device_dir=str(tmp_path / "missing"), bus_address="unix:path=/nonexistent"
    )
    watch.configure(CallsConfig(microphone=False))
    assert watch.watching == []
    watch.stop()
