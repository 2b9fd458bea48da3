"""Test helpers shared by unit and end-to-end tests."""

from __future__ import annotations

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
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"CI: {exc}", pytrace=False)
        pytest.skip(str(exc))
