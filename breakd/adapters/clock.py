"""The engine's clock: seconds that never jump and keep counting through system suspend.

CLOCK_BOOTTIME does both on Linux, so a laptop that slept through lunch shows the engine a
long gap in input: a natural break. Elsewhere CLOCK_MONOTONIC is the closest there is.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

Clock = Callable[[], float]


def engine_clock() -> Clock:
    clock_id = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)
    # A partial of a C function: the cheapest call for the input hot path.
    return functools.partial(time.clock_gettime, clock_id)
