"""The desktop's do-not-disturb and a fullscreen window as inputs of the engine: it decides
by the config (``notify.respect_dnd``, ``notify.hold_in_fullscreen``) whether they hold
reminders, and decides again when the config changes."""

from __future__ import annotations

import pytest

from breakd.core.engine import FULLSCREEN
from breakd.core.types import EngineState, Kind
from tests.core.conftest import make_config
from tests.core.sim import Sim

MIN = 60.0
DUNST = "dunst do-not-disturb"


def config(**notify: object):
    return make_config(
        only=("sitting",),
        sitting={"every": 10 * MIN, "max_repeats": 0},
        notify={"grace_pause": 1.0, **notify},
    )


def held_through_the_due_time(sim: Sim) -> bool:
    """Type past the sitting reminder's due time: True if it was held, False if shown."""
    sim.type(sim.t, sim.t + 11 * MIN, every=5)
    status = sim.engine.status(sim.t)
    held = status.state is EngineState.DO_NOT_DISTURB
    assert held == (sim.shown == [])
    assert held == (status.held_by is not None) == (sim.engine.holding is not None)
    return held


@pytest.mark.parametrize("respect_dnd", [True, False])
def test_do_not_disturb_holds_reminders_only_when_the_config_respects_it(respect_dnd):
    sim = Sim(config(respect_dnd=respect_dnd))
    sim.do_not_disturb(True, DUNST)
    assert held_through_the_due_time(sim) is respect_dnd
    if respect_dnd:
        assert sim.engine.status(sim.t).held_by == DUNST  # as the desktop names it


@pytest.mark.parametrize("hold_in_fullscreen", [True, False])
def test_a_fullscreen_window_holds_reminders_only_when_the_config_says_so(hold_in_fullscreen):
    sim = Sim(config(hold_in_fullscreen=hold_in_fullscreen))
    sim.fullscreen(True)
    assert held_through_the_due_time(sim) is hold_in_fullscreen
    if hold_in_fullscreen:
        assert sim.engine.status(sim.t).held_by == FULLSCREEN == "a fullscreen window"


def test_do_not_disturb_names_the_hold_before_a_fullscreen_window():
    sim = Sim(config())
    sim.fullscreen(True)
    sim.do_not_disturb(True, DUNST)
    assert sim.engine.holding == DUNST
    sim.do_not_disturb(False)
    assert sim.engine.holding == FULLSCREEN  # still held, now by the window
    sim.fullscreen(False)
    assert sim.engine.holding is None


def test_a_fullscreen_window_names_the_hold_when_do_not_disturb_is_not_respected():
    sim = Sim(config(respect_dnd=False))
    sim.do_not_disturb(True, DUNST)
    sim.fullscreen(True)
    assert sim.engine.holding == FULLSCREEN


def test_a_call_is_named_after_the_desktops_hold():
    sim = Sim(config())
    sim.fullscreen(True)
    sim.call("microphone in use")
    assert sim.engine.holding == f"{FULLSCREEN}, microphone in use"


@pytest.mark.parametrize(
    ("switch", "key"), [("do_not_disturb", "respect_dnd"), ("fullscreen", "hold_in_fullscreen")]
)
def test_a_reload_decides_the_hold_again_both_ways(switch, key):
    sim = Sim(config())
    getattr(sim, switch)(True)
    assert held_through_the_due_time(sim)
    reloaded = sim.t  # also the last keystroke
    sim.reconfigure(config(**{key: False}))  # the desktop is as it was: the rule changed
    assert sim.engine.holding is None
    sim.idle(sim.t + 5)
    (shown,) = sim.shown  # what was held goes, after the typing grace
    assert shown.kind is Kind.SITTING and shown.t == pytest.approx(reloaded + 1.0)
    sim.reconfigure(config(**{key: True}))
    assert sim.engine.holding is not None
    assert sim.engine.status(sim.t).state is EngineState.DO_NOT_DISTURB
    shown = len(sim.shown)
    sim.type(sim.t, sim.t + 11 * MIN, every=5)  # the next reminder falls due: held again
    assert len(sim.shown) == shown
