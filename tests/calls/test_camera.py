"""The camera watcher: inotify on device nodes in a directory the test makes (these machines
have no camera; a plain file named like one gets the same open and close events)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from breakd.adapters.calls.camera import CameraWatcher, open_by_anyone, video_devices
from tests.calls.conftest import Reports


@pytest.fixture
def devices(tmp_path: Path) -> Path:
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "video0").write_bytes(b"")
    (dev / "null0").write_bytes(b"")  # not a camera: opening it changes nothing
    return dev


def test_opening_a_camera_is_in_use_until_the_last_closes(devices: Path, reports: Reports):
    watcher = CameraWatcher(reports, str(devices))
    watcher.start()
    try:
        with open(devices / "null0", "rb"):
            pass
        first = open(devices / "video0", "rb")  # noqa: SIM115 - closed below, out of order
        reports.wait_for(True)
        second = os.open(devices / "video0", os.O_RDONLY)
        first.close()  # the other one is still open: still in use
        os.close(second)
        reports.wait_for(True, False)
    finally:
        watcher.stop()


def test_a_camera_open_before_the_start_is_seen(devices: Path, reports: Reports):
    with open(devices / "video0", "rb"):
        watcher = CameraWatcher(reports, str(devices))
        watcher.start()
        try:
            reports.wait_for(True)
        finally:
            watcher.stop()


def test_a_camera_plugged_in_later_is_watched(devices: Path, reports: Reports):
    watcher = CameraWatcher(reports, str(devices))
    watcher.start()
    try:
        (devices / "video1").write_bytes(b"")  # created and closed: no report
        with open(devices / "video1", "rb"):
            reports.wait_for(True)
        reports.wait_for(True, False)
    finally:
        watcher.stop()


def test_devices_and_who_holds_them(devices: Path):
    (devices / "video12").write_bytes(b"")
    (devices / "videox").write_bytes(b"")
    found = video_devices(str(devices))
    assert found == [str(devices / "video0"), str(devices / "video12")]
    assert not open_by_anyone(found)
    with open(devices / "video12", "rb"):
        assert open_by_anyone(found)
    assert video_devices(str(devices / "missing")) == []
