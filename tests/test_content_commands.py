"""``breakd warning-signs`` and ``breakd movements`` through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from breakd import exitcodes
from breakd.cli import build_parser, main
from breakd.core import content
from breakd.core.types import Kind


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home with no config file, so the user's real config never leaks in."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path


def test_both_commands_are_listed_in_help() -> None:
    text = build_parser().format_help()
    assert "warning-signs" in text
    assert "movements" in text


def test_warning_signs_prints_every_sign(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["warning-signs"]) == exitcodes.OK
    out = " ".join(capsys.readouterr().out.split())  # undo the terminal wrapping
    for sign in content.WARNING_SIGNS:
        assert sign.split(": ", 1)[1] in out
    assert "call your local emergency number" in out
    assert "See a doctor or physiotherapist" in out


def test_warning_signs_fit_a_terminal(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["warning-signs"])
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 79 for line in lines)
    # A list item's continuation is indented under its text.
    assert any(line.startswith("  ") for line in lines)


def test_every_pointer_names_the_command_that_exists() -> None:
    assert content.WARNING_SIGNS_COMMAND == "breakd warning-signs"
    parsed = build_parser().parse_args(content.WARNING_SIGNS_COMMAND.split()[1:])
    assert parsed.command == "warning-signs"
    assert "breakd help" not in content.warning_signs_text(brief=True)


def test_movements_lists_the_catalog(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["movements"]) == exitcodes.OK
    out = capsys.readouterr().out
    for suggestion in content.CATALOG:
        assert suggestion.key in out and suggestion.title in out
    assert "stand-up" in out and "micro-break" in out and "end-of-day" in out
    assert "[content] exclude" in out
    assert "\nx " not in out  # nothing excluded


def test_movements_marks_the_configs_exclusions(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    water = [s.key for s in content.suggestions_for(Kind.WATER)]
    config = home / ".config" / "breakd" / "config.toml"
    config.parent.mkdir(parents=True)
    keys = ", ".join(f'"{k}"' for k in [*water, "march"])
    config.write_text(f"[content]\nexclude = [{keys}]\n", encoding="utf-8")
    assert main(["movements"]) == exitcodes.OK
    lines = capsys.readouterr().out.splitlines()
    marked = {line.split()[1] for line in lines if line.startswith("x ")}
    assert marked == {*water, "march"}
    assert "water: every suggestion is excluded, so this reminder offers them all." in lines


def test_movements_with_a_broken_config_still_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[content]\nexclude = ["nope"]\n', encoding="utf-8")
    assert main(["movements", "--config", str(path)]) == exitcodes.OK
    captured = capsys.readouterr()
    assert "chin-tuck" in captured.out
    assert "content.exclude" in captured.err and "breakd check-config" in captured.err
