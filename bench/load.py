"""Synthetic input through xdotool, paced so the rates hold whatever xdotool's own speed.

Each second of input is one xdotool process running a chain of commands (``key x sleep ...
mousemove_relative ...``) whose sleeps are a little shorter than the nominal spacing; the
driver then waits for the next whole second. So events are spread evenly within each second,
like a person's, instead of arriving in one burst, and the long-run rate is exact. Motion
alternates one pixel right and left, so the pointer stays put and every move is a real
MotionNotify.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass

TYPING_KEYS_PER_S = 10
TYPING_MOVES_PER_S = 10
HEAVY_MOVES_PER_S = 250  # a real mouse sends 125-1000 a second


@dataclass(frozen=True)
class Delivered:
    """What a driver sent: key strokes (each a press and a release), moves, and for how long."""

    keys: int
    moves: int
    seconds: float

    @property
    def x_events(self) -> int:
        """Events pynput sees: a key stroke is two (press, release)."""
        return 2 * self.keys + self.moves


def _move(i: int) -> list[str]:
    return ["mousemove_relative", "--", "1" if i % 2 == 0 else "-1", "0"]


def typing_chain(keys: int, moves: int) -> list[str]:
    """One second of steady typing and pointer moves, interleaved."""
    steps = max(keys, moves)
    gap = f"{0.8 / (2 * steps):.4f}"  # 80 % of the spacing: xdotool's own time is the rest
    chain: list[str] = []
    for i in range(steps):
        if i < keys:
            chain += ["key", "--delay", "0", "x", "sleep", gap]
        if i < moves:
            chain += [*_move(i), "sleep", gap]
    return chain


def motion_chain(moves: int) -> list[str]:
    """One second of pointer motion at ``moves`` events per second."""
    gap = f"{0.8 / moves:.4f}"
    chain: list[str] = []
    for i in range(moves):
        chain += [*_move(i), "sleep", gap]
    return chain


def drive(env: dict[str, str], chain: list[str], seconds: float) -> float:
    """Run ``chain`` once a second for ``seconds``; returns the wall time it took."""
    start = time.monotonic()
    tick = 0
    while tick < seconds:
        subprocess.run(["xdotool", *chain], env=env, check=True, stdin=subprocess.DEVNULL)
        tick += 1
        delay = start + tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    return time.monotonic() - start


def type_steadily(env: dict[str, str], seconds: int) -> Delivered:
    """~10 keys/s plus ~10 pointer moves/s."""
    took = drive(env, typing_chain(TYPING_KEYS_PER_S, TYPING_MOVES_PER_S), seconds)
    return Delivered(TYPING_KEYS_PER_S * seconds, TYPING_MOVES_PER_S * seconds, took)


def heavy_motion(env: dict[str, str], seconds: int) -> Delivered:
    """~250 motion events/s, a real mouse's rate (they send 125-1000)."""
    took = drive(env, motion_chain(HEAVY_MOVES_PER_S), seconds)
    return Delivered(0, HEAVY_MOVES_PER_S * seconds, took)


def key_now(env: dict[str, str]) -> float:
    """One key stroke, synchronously; returns the wall-clock time just before it was sent."""
    t = time.time()
    subprocess.run(["xdotool", "key", "x"], env=env, check=True, stdin=subprocess.DEVNULL)
    return t
