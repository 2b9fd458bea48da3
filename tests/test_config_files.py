"""The shipped default config file, its packaged copy, and ``breakd check-config`` as a
command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from breakd import __version__, exitcodes
from breakd.config.load import SCHEMA, default_config_text, load_config
from breakd.config.model import Config

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO / "config" / "breakd.toml"

_SECTION_RE = re.compile(r"^\[(\w+)\]$")
_KEY_RE = re.compile(r"^(\w+) = ")


def _keys_with_comment_above(text: str) -> dict[str, bool]:
    """``section.key`` -> whether the line right above it is a comment."""
    found: dict[str, bool] = {}
    section = ""
    previous = ""
    for line in text.splitlines():
        if match := _SECTION_RE.match(line):
            section = match[1]
        elif match := _KEY_RE.match(line):
            found[f"{section}.{match[1]}"] = previous.startswith("#")
        previous = line
    return found


def test_default_file_loads_to_exactly_the_defaults() -> None:
    assert load_config(DEFAULT_FILE, env={}) == Config()


def test_default_file_sets_every_key_and_comments_each() -> None:
    found = _keys_with_comment_above(DEFAULT_FILE.read_text(encoding="utf-8"))
    expected = {f"{name}.{key}" for name, section in SCHEMA.items() for key in section.keys}
    assert set(found) == expected
    assert [key for key, commented in found.items() if not commented] == []


def test_default_file_has_a_comment_above_each_section() -> None:
    lines = DEFAULT_FILE.read_text(encoding="utf-8").splitlines()
    headers = [i for i, line in enumerate(lines) if _SECTION_RE.match(line)]
    assert [lines[i][1:-1] for i in headers] == list(SCHEMA)
    assert all(lines[i - 1].startswith("#") for i in headers)


def test_default_file_explains_the_rules() -> None:
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    for phrase in [
        "~/.config/breakd/config.toml",
        "only needs the keys you change",
        "reading a page or thinking at the desk is still",
        "sitting absorbs posture and water",
        "max_repeats",
        '["22:00-07:00"]',
        "Duran et al. 2023, Med Sci Sports Exerc",
    ]:
        assert phrase in text


def test_packaged_copy_is_the_default_file() -> None:
    link = REPO / "breakd" / "data" / "breakd.toml"
    assert link.is_symlink()
    assert os.readlink(link) == "../../config/breakd.toml"
    assert default_config_text() == DEFAULT_FILE.read_text(encoding="utf-8")


def _breakd(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PYTHONPATH": str(REPO),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [sys.executable, "-m", "breakd", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_config_command_on_default_file(tmp_path: Path) -> None:
    result = _breakd("check-config", str(DEFAULT_FILE), home=tmp_path)
    assert result.returncode == exitcodes.OK, result.stderr
    assert f"read {DEFAULT_FILE}" in result.stdout
    assert "[notify]" in result.stdout


def test_check_config_command_without_a_user_file(tmp_path: Path) -> None:
    result = _breakd("check-config", home=tmp_path)
    assert result.returncode == exitcodes.OK, result.stderr
    assert "defaults only" in result.stdout


def test_check_config_command_on_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[sitting]\nevery = "5x"\n[notify]\nquiet_hours = ["9:00-9:00"]\n')
    result = _breakd("check-config", str(bad), home=tmp_path / "home")
    assert result.returncode == exitcodes.CONFIG == 78
    assert result.stdout == ""
    assert f'{bad}: sitting.every = "5x": not a duration' in result.stderr
    assert f'{bad}: notify.quiet_hours = ["9:00-9:00"]: item 1' in result.stderr


def test_check_config_command_on_missing_file(tmp_path: Path) -> None:
    result = _breakd("check-config", str(tmp_path / "nope.toml"), home=tmp_path)
    assert result.returncode == exitcodes.CONFIG
    assert "nope.toml: no such file" in result.stderr


@pytest.mark.parametrize("flag", ["--version"])
def test_version(tmp_path: Path, flag: str) -> None:
    result = _breakd(flag, home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"breakd {__version__}"
