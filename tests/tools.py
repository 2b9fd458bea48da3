"""Test helpers shared by unit and end-to-end tests."""

from __future__ import annotations

import glob
import os

import pytest

from tests.e2e.desktop import MissingToolError, require_tool


def require(*tools: str) -> None:
    """Skip (locally) or fail (CI=true) when a system tool is missing: in CI a missing tool
    must fail the run, never turn a test green by skipping it."""
    try:
        for tool in tools:
            require_tool(tool)
    except MissingToolError as exc:
        _missing(str(exc))


def require_file(pattern: str, package: str) -> None:
    """As :func:`require`, for a file no command names (a plugin): ``pattern`` is a glob."""
    if not glob.glob(pattern):
        _missing(f"{pattern} not found: install the Debian package '{package}'")


def _missing(message: str) -> None:
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)
