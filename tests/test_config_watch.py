"""The config file watch: inotify on the file's directory, one blocked thread, no timeout."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.config_watch import ConfigWatcher


class Changes:
    def __init__(self) -> None:
        self.count = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def wait(self) -> None:
        assert self.event.wait(5), "no change reported"
        self.event.clear()


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, Changes]]:
    path = tmp_path / "breakd" / "config.toml"  # its directory does not exist yet
    changes = Changes()
    watcher = ConfigWatcher(path, changes)
    assert watcher.start()
    yield path, changes
    watcher.stop()
    assert watcher.thread is None


def test_a_saved_file_is_reported(watched: tuple[Path, Changes]) -> None:
    path, changes = watched
    path.write_text("[sitting]\nevery = '40m'\n")  # created, then closed after writing
    changes.wait()
    path.write_text("[sitting]\nevery = '45m'\n")
    changes.wait()


def test_a_file_renamed_over_it_is_reported(watched: tuple[Path, Changes]) -> None:
    path, changes = watched
    partial = path.with_name(".config.toml.swp")
    partial.write_text("[water]\nenabled = false\n")
    os.replace(partial, path)  # how many editors save
    changes.wait()


def test_other_files_are_not_reported(watched: tuple[Path, Changes]) -> None:
    path, changes = watched
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "notes.txt").write_text("hello")
    path.write_text("")  # a change to ours after it: reported (as a create, a close or both)
    changes.wait()
    # Ours may come as two reports (a create and a close can reach us in separate reads), but
    # the other file's never: write it again, alone, and nothing is reported.
    changes.event.wait(0.2)
    changes.event.clear()
    (path.parent / "notes.txt").write_text("again")
    assert not changes.event.wait(0.5)
