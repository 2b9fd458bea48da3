"""A reminder's picture: where the PNG is cached, and that it is made once."""

from __future__ import annotations

from pathlib import Path

from breakd.adapters.pictures import PICTURE_SIZE, cache_dir, picture_for


def test_the_cache_follows_xdg_and_ignores_a_relative_value(tmp_path: Path) -> None:
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "breakd" / "figures"
    home = {"XDG_CACHE_HOME": "relative", "HOME": str(tmp_path)}
    assert cache_dir(home) == tmp_path / ".cache" / "breakd" / "figures"


def test_a_picture_is_made_once_and_kept(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    first = picture_for("march", env)
    assert first is not None and first.parent == cache_dir(env)
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(first.read_bytes()[16:20], "big") == PICTURE_SIZE  # IHDR width
    made = first.stat().st_mtime_ns
    assert picture_for("march", env) == first and first.stat().st_mtime_ns == made


def test_no_key_no_picture(tmp_path: Path) -> None:
    assert picture_for("", {"XDG_CACHE_HOME": str(tmp_path)}) is None
    assert not (tmp_path / "breakd").exists()
