"""WaylandIdleSource against a real compositor: KWin headless, with synthetic input.

KWin 5.27 (``kwin_wayland --virtual``) offers ext_idle_notifier_v1; input is injected through
``org_kde_kwin_fake_input`` (bindings generated here with pywayland-scanner from
plasma-wayland-protocols' fake-input.xml; allowed by KWIN_WAYLAND_NO_PERMISSION_CHECKS=1).
The binary is run from a copy: the installed one carries a file capability that the test
container refuses to exec.

KWin is ready when its registry advertises what the tests use, not when its socket exists
(on a fresh machine the socket comes seconds before the globals: Qt builds its caches first).
Timeouts only bound a failure; no assertion measures real time to a tolerance.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from breakd.adapters.presence import SourceUnavailable
from breakd.adapters.presence.choose import choose_source
from breakd.adapters.presence.probes import LiveProbes
from breakd.adapters.presence.wayland_idle import (
    NOTIFIER,
    SEAT,
    WaylandIdleSource,
    connect,
    list_globals,
)
from tests.e2e.desktop import SessionBus, spawn, terminate, wait_until

from .conftest import Recorder, require

pywayland_client = pytest.importorskip("pywayland.client")

FAKE_INPUT_XML = "/usr/share/plasma-wayland-protocols/fake-input.xml"
FAKE_INPUT = "org_kde_kwin_fake_input"
READY_GLOBALS = frozenset({NOTIFIER, SEAT, FAKE_INPUT})
THRESHOLD = 1.0
EVENTS = 30.0  # seconds to wait for a presence event before failing: only bounds a failure


@dataclass
class KWin:
    proc: subprocess.Popen[bytes]
    socket: Path  # an absolute path: libwayland connects to it without WAYLAND_DISPLAY
    log: Path


def _fake_input_module(workdir: Path) -> ModuleType:
    xml = require(FAKE_INPUT_XML, "plasma-wayland-protocols")
    scanner = [sys.executable, "-m", "pywayland.scanner"]  # ships with pywayland
    subprocess.run([*scanner, "-i", xml, "-o", str(workdir)], check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("fake_input", workdir / "fake_input.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kwin() -> Iterator[KWin]:
    installed = require("kwin_wayland", "kwin-wayland")
    require("dbus-daemon", "dbus-daemon")
    root = Path(tempfile.mkdtemp(prefix="breakd-kwin-"))
    runtime = root / "rt"
    runtime.mkdir(mode=0o700)
    binary = root / "kwin_wayland"  # a copy without the file capability (see the docstring)
    shutil.copy(installed, binary)
    bus = SessionBus(root)
    bus.start()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "XDG_RUNTIME_DIR": str(runtime),
        "DBUS_SESSION_BUS_ADDRESS": bus.address,
        "KWIN_WAYLAND_NO_PERMISSION_CHECKS": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    log = root / "kwin.log"
    args = [str(binary), "--virtual", "--no-lockscreen", "--socket", "breakd-kwin"]
    proc = spawn(args, env, log)
    socket = runtime / "breakd-kwin"
    try:
        wait_until(lambda: _advertises(socket, READY_GLOBALS), 60, f"KWin ready ({log})")
        yield KWin(proc, socket, log)
    finally:
        terminate(proc)
        bus.stop()
        shutil.rmtree(root, ignore_errors=True)


def _advertises(socket: Path, wanted: frozenset[str]) -> bool:
    """Whether the compositor behind ``socket`` answers and lists every global in ``wanted``."""
    if not socket.exists():
        return False
    try:
        display = connect(str(socket))
    except SourceUnavailable:  # the socket is there, nobody accepts on it yet
        return False
    try:
        _registry, found = list_globals(display)
    finally:
        display.disconnect()
    return wanted <= found.keys()


@pytest.fixture
def fake_input(kwin: KWin, tmp_path: Path) -> Iterator[Any]:
    """A connection that moves the pointer / presses keys through org_kde_kwin_fake_input."""
    module = _fake_input_module(tmp_path)
    display = pywayland_client.Display(str(kwin.socket))
    display.connect()
    registry = display.get_registry()
    names: dict[str, int] = {}
    registry.dispatcher["global"] = lambda _r, n, i, _v: names.setdefault(i, n)
    display.roundtrip()
    device = registry.bind(names[FAKE_INPUT], module.OrgKdeKwinFakeInput, 4)
    device.authenticate("breakd tests", "synthetic input for presence tests")
    display.roundtrip()

    class Input:
        def move(self) -> None:
            device.pointer_motion(3.0, 3.0)
            display.roundtrip()

        def key(self) -> None:
            device.keyboard_key(30, 1)  # evdev KEY_A; never read by breakd
            device.keyboard_key(30, 0)
            display.roundtrip()

    yield Input()
    display.disconnect()


@pytest.fixture
def source(kwin: KWin) -> Iterator[WaylandIdleSource]:
    src = WaylandIdleSource(display_name=str(kwin.socket))
    yield src
    src.stop()


def test_idled_and_resumed_from_kwin(
    source: WaylandIdleSource, fake_input: Any, recorder: Recorder
) -> None:
    fake_input.move()
    last_input = time.monotonic()
    source.start(recorder, THRESHOLD)
    assert recorder.kinds() == ["active"]
    idle = recorder.wait_for(2, timeout=EVENTS)[-1]
    assert (idle.kind, idle.idle_for) == ("idle", THRESHOLD)
    # Not at once: the compositor counts the threshold (half of it: its timers are coarse).
    assert idle.at - last_input >= THRESHOLD / 2
    fake_input.move()
    assert recorder.wait_for(3, timeout=EVENTS)[-1].kind == "active"
    recorder.wait_for(4, timeout=EVENTS)
    fake_input.key()
    recorder.wait_for(5, timeout=EVENTS)
    assert recorder.kinds() == ["active", "idle", "active", "idle", "active"]
    assert all(e.thread == "breakd-presence-wayland" for e in recorder.events[1:])
    assert source.alive()


def test_input_before_the_threshold_keeps_it_active(
    source: WaylandIdleSource, fake_input: Any, recorder: Recorder
) -> None:
    threshold = 3.0  # input every 0.25 s: a stall of almost 3 s would be needed to fail
    source.start(recorder, threshold)
    for _ in range(8):
        time.sleep(0.25)
        fake_input.move()
    assert recorder.kinds() == ["active"]
    source.stop()
    assert not source.alive()
    time.sleep(threshold + 0.5)  # long enough for the idle that would have come
    assert recorder.kinds() == ["active"]  # nothing after stop


def test_probes_and_chooser_pick_it_on_kwin(kwin: KWin) -> None:
    env = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": str(kwin.socket)}
    probes = LiveProbes(env)
    assert "ext_idle_notifier_v1" in probes.wayland_globals()
    choice = choose_source({**env, "XDG_CURRENT_DESKTOP": "KDE"}, "auto", probes)
    assert choice.source == "wayland-idle", choice.explain()


def test_unavailable_without_a_compositor(recorder: Recorder, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match="cannot connect to the Wayland display"):
        WaylandIdleSource(display_name=str(tmp_path / "none")).start(recorder, THRESHOLD)
