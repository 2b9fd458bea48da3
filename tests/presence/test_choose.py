"""choose_source: every session type and setting, with injected probe answers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from breakd.adapters.presence import SourceUnavailable
from breakd.adapters.presence.choose import (
    MUTTER_NAME,
    SCREENSAVER_NAME,
    Attempt,
    Choice,
    NoProbes,
    choose_source,
    pynput_is_blind,
    session_type,
)

X11 = {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}
GNOME = {
    "XDG_SESSION_TYPE": "wayland",
    "WAYLAND_DISPLAY": "wayland-0",
    "DISPLAY": ":0",
    "XDG_CURRENT_DESKTOP": "ubuntu:GNOME",
}
KDE = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "KDE"}
SWAY = {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "sway"}


@dataclass
class FakeProbes:
    owners: set[str] = field(default_factory=set)
    globals_: frozenset[str] | None = frozenset()  # None: the compositor cannot be reached
    idle_time: bool = False
    asked: list[str] = field(default_factory=list)

    def bus_name_has_owner(self, name: str) -> bool:
        self.asked.append(name)
        return name in self.owners

    def wayland_globals(self) -> frozenset[str]:
        self.asked.append("wayland")
        if self.globals_ is None:
            raise SourceUnavailable("cannot connect to the Wayland display 'wayland-0'")
        return self.globals_

    def screensaver_idle_time(self) -> bool:
        return self.idle_time


KWIN = FakeProbes(
    owners={SCREENSAVER_NAME},
    globals_=frozenset({"wl_seat", "ext_idle_notifier_v1", "org_kde_kwin_idle"}),
    idle_time=True,
)


@pytest.mark.parametrize(
    ("env", "probes", "expected"),
    [
        (X11, FakeProbes(), "pynput"),
        ({"DISPLAY": ":0"}, FakeProbes(), "pynput"),  # no XDG_SESSION_TYPE, no Wayland
        (GNOME, FakeProbes(owners={MUTTER_NAME}), "mutter"),
        (KDE, KWIN, "wayland-idle"),  # pushed beats polled
        (KDE, FakeProbes(owners={SCREENSAVER_NAME}, idle_time=True), "screensaver"),
        ({**SWAY, "XDG_SESSION_TYPE": "wayland"}, KWIN, "wayland-idle"),
    ],
)
def test_auto(env: dict[str, str], probes: FakeProbes, expected: str) -> None:
    choice = choose_source(env, "auto", probes)
    assert choice.source == expected, choice.explain()
    assert choice.tried[-1].source == expected and choice.tried[-1].reason == ""


def test_auto_on_x11_asks_nothing() -> None:
    probes = FakeProbes()
    assert choose_source(X11, "auto", probes).source == "pynput"
    assert probes.asked == []


def test_nothing_usable_on_sway_says_what_was_tried_and_why() -> None:
    probes = FakeProbes(globals_=frozenset({"wl_seat", "org_kde_kwin_idle"}))
    choice = choose_source(SWAY, "auto", probes)
    assert choice.source is None
    assert [a.source for a in choice.tried] == ["mutter", "wayland-idle", "screensaver"]
    text = choice.explain()
    assert "no usable activity source" in text
    assert "mutter: not a GNOME session (XDG_CURRENT_DESKTOP='sway')" in text
    assert "wayland-idle: the compositor does not offer ext_idle_notifier_v1" in text
    assert "org_kde_kwin_idle, not supported" in text
    assert f"screensaver: {SCREENSAVER_NAME} has no owner on the session bus" in text


def test_gnome_without_mutter_on_the_bus_falls_through() -> None:
    choice = choose_source(GNOME, "auto", FakeProbes(globals_=None))
    assert choice.source is None
    reasons = {a.source: a.reason for a in choice.tried}
    assert reasons["mutter"] == f"{MUTTER_NAME} has no owner on the session bus"
    assert reasons["wayland-idle"] == "cannot connect to the Wayland display 'wayland-0'"


def test_gnome_screensaver_without_idle_time_is_not_usable() -> None:
    probes = FakeProbes(owners={SCREENSAVER_NAME}, idle_time=False)
    choice = choose_source(KDE, "screensaver", probes)
    reason = f"{SCREENSAVER_NAME} does not answer GetSessionIdleTime"
    assert choice == Choice(None, (Attempt("screensaver", reason),))


def test_no_graphical_session() -> None:
    choice = choose_source({}, "auto", FakeProbes())
    assert choice.source is None
    assert "no graphical session" in choice.explain()


@pytest.mark.parametrize("setting", ["mutter", "screensaver", "wayland-idle"])
def test_forced_setting_is_checked_not_trusted(setting: str) -> None:
    choice = choose_source(KDE, setting, FakeProbes())
    assert choice.source is None
    assert [a.source for a in choice.tried] == [setting]


def test_forced_mutter_skips_the_desktop_check() -> None:
    choice = choose_source(SWAY, "mutter", FakeProbes(owners={MUTTER_NAME}))
    assert choice.source == "mutter"


def test_forced_pynput_on_wayland_warns_that_it_is_blind() -> None:
    choice = choose_source(GNOME, "pynput", FakeProbes())
    assert choice.source == "pynput"
    assert "XWayland" in choice.warning and "XWayland" in choice.explain()
    assert choose_source(KDE, "pynput", FakeProbes()).source is None  # no DISPLAY at all


def test_unknown_setting() -> None:
    with pytest.raises(ValueError, match="unknown activity source 'x11'"):
        choose_source(X11, "x11", FakeProbes())


@pytest.mark.parametrize(
    ("env", "session", "blind"),
    [
        (X11, "x11", False),
        (GNOME, "wayland", True),  # DISPLAY is XWayland's
        (SWAY, "wayland", True),  # no XDG_SESSION_TYPE: WAYLAND_DISPLAY decides
        ({"DISPLAY": ":1"}, "x11", False),
        ({"XDG_SESSION_TYPE": "tty"}, "", False),
        ({"XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}, "x11", False),
    ],
)
def test_session_type_and_pynput_blindness(env: dict[str, str], session: str, blind: bool) -> None:
    assert session_type(env) == session
    assert pynput_is_blind(env) is blind


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_use_pynputs_own_backends(platform: str) -> None:
    choice = choose_source({}, "auto", FakeProbes(), platform=platform)
    assert choice.source == "pynput" and not choice.warning
    assert choose_source({}, "mutter", NoProbes(), platform=platform).source is None
