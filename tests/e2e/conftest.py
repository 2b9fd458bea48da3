"""Fixtures for end-to-end tests: a real private X11 desktop per test (or per module).

Every test under tests/e2e gets the ``e2e`` marker, so ``pytest -m "not e2e"`` skips them.
Missing system tools skip the tests locally (naming the Debian package) but FAIL them in CI
(``CI=true``), so a broken CI image cannot silently turn the e2e suite green.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

from tests.tools import require

from .desktop import DESKTOP_TOOLS, Desktop

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(_HERE):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test's own desktop keeps its directory (every log: breakd's, dunst's, X's),
    and the report says where: a failure that shows once in a whole run can be read after."""
    report: pytest.TestReport = yield
    desktop = getattr(item, "funcargs", {}).get("desktop")
    if report.failed and isinstance(desktop, Desktop):
        desktop.keep_dir = True
        report.sections.append(("desktop", f"logs kept in {desktop.logs}"))
    return report


@pytest.fixture(name="require")
def require_fixture() -> Callable[..., None]:
    """``require("notify-send", ...)`` inside a test: skip locally / fail in CI if missing."""
    return require


@pytest.fixture
def desktop() -> Iterator[Desktop]:
    """A fresh desktop for one test (use this when the test kills X or changes dunst)."""
    require(*DESKTOP_TOOLS)
    with Desktop() as d:
        yield d


@pytest.fixture(scope="module")
def _module_desktop() -> Iterator[Desktop]:
    require(*DESKTOP_TOOLS)
    with Desktop() as d:
        yield d


@pytest.fixture
def shared_desktop(_module_desktop: Desktop) -> Desktop:
    """One desktop per test module, reset before each test (recorder and dunst emptied,
    spawn()ed children of the previous test killed, X and dunst restarted if dead)."""
    _module_desktop.reset()
    return _module_desktop
