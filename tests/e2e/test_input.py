"""The input adapter on a real X server: what reaches the engine for real xdotool input.

The watcher runs in a subprocess (pynput opens its X connection at import, from DISPLAY)
that feeds a counter and reports the counts by InputKind, never more.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from .desktop import Desktop, wait_until

WATCHER_SCRIPT = r"""
import json, sys, threading, time
from collections import Counter
from breakd.adapters.input import InputWatcher

counts = Counter()
seen = []  # every argument the feed was given, to prove only InputKinds arrive

def feed(kind):
    counts[kind.name.lower()] += 1
    seen.append(type(kind).__name__)

watcher = InputWatcher(feed, time.monotonic, threading.Event(), count_input=sys.argv[1] == "1")
watcher.start()
print(json.dumps({"classes": [type(l).__name__ for l in watcher._listeners],
                  "events": [list(l._EVENTS) for l in watcher._listeners]}), flush=True)
for line in sys.stdin:
    if line.strip() == "reset":
        counts.clear()
    print(json.dumps({"counts": counts, "types": sorted(set(seen)), "alive": watcher.alive()}),
          flush=True)
"""


class WatcherProbe:
    def __init__(self, desktop: Desktop, count_input: bool = True) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WATCHER_SCRIPT, "1" if count_input else "0"],
            env=desktop.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.started = json.loads(self.proc.stdout.readline())
        self.input = desktop.input
        # pynput says "ready" just before RECORD is enabled: tap until something arrives.
        try:
            wait_until(self._primed, 10, "the watcher to see input")
        except BaseException:
            self.close()
            raise
        time.sleep(0.1)
        self.ask("reset")

    def _primed(self) -> bool:
        self.input.key("shift", delay_ms=1)
        time.sleep(0.05)
        return sum(self.ask()["counts"].values()) > 0

    def ask(self, command: str = "") -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def counts_when(self, condition, what: str) -> dict[str, int]:
        last: dict = {}

        def check() -> bool:
            last.update(self.ask())
            return condition(last["counts"])

        wait_until(check, 10, f"{what} (last {last})")
        time.sleep(0.3)  # and nothing more comes
        return self.ask()["counts"]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def probe(shared_desktop: Desktop) -> Iterator[WatcherProbe]:
    p = WatcherProbe(shared_desktop)
    yield p
    p.close()


def test_only_key_presses_count_and_the_key_is_never_translated(probe):
    # One RECORD listener (issue 17: one wake-up a second under load, not two), for X event
    # types KeyPress = 2 .. MotionNotify = 6: no enter/leave; releases are read past.
    assert probe.started["classes"] == ["KeysAndPointer"]
    assert probe.started["events"] == [[2, 6]]
    probe.input.type_text("hello", delay_ms=20)
    counts = probe.counts_when(lambda c: c.get("key", 0) >= 5, "5 key presses")
    assert counts == {"key": 5}  # 5 presses; the 5 releases are not counted
    assert probe.ask()["types"] == ["InputKind"]


def test_a_click_counts_once_and_a_scroll_counts_as_a_click(probe):
    probe.input.click(1)
    assert probe.counts_when(lambda c: c.get("click", 0) >= 1, "a click") == {"click": 1}
    probe.ask("reset")
    probe.input.click(4)  # scroll up
    assert probe.counts_when(lambda c: c.get("click", 0) >= 1, "a scroll") == {"click": 1}


def test_pointer_motion_is_coalesced_to_one_event_a_second(probe):
    for i in range(20):
        probe.input.move_mouse(200 + i * 5, 300)
    counts = probe.counts_when(lambda c: c.get("motion", 0) >= 1, "motion")
    assert counts == {"motion": 1}


def test_presence_only_mode_feeds_keys_and_clicks_as_mere_presence(shared_desktop):
    p = WatcherProbe(shared_desktop, count_input=False)
    try:
        p.ask("reset")
        time.sleep(1.1)  # past the motion coalescing of the priming taps
        p.input.type_text("ab", delay_ms=20)
        counts = p.counts_when(lambda c: c.get("motion", 0) >= 1, "presence")
        assert set(counts) == {"motion"}
    finally:
        p.close()
