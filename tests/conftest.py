"""Fixtures shared by the unit tests that speak D-Bus (folders with their own bus fixture,
tests/presence and tests/calls, and test files that define one, override this one)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.desktop import SessionBus
from tests.tools import require


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[SessionBus]:
    """A private session bus for the test, stopped after it."""
    require("dbus-daemon")
    session = SessionBus(tmp_path)
    session.start()
    yield session
    session.stop()


@pytest.fixture(autouse=True)
def _restore_breakd_logging() -> Iterator[None]:
    """``breakd run`` (run_command) points breakd's logger at the stderr of its moment, which
    pytest closes after the test: a later test's log line would then fail to print."""
    logger = logging.getLogger("breakd")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved
