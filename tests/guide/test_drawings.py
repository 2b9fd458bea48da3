"""Every movement in the catalog has its own drawing: a small, valid, animated SVG.

The committed files in breakd/data/figures must equal a fresh rendering of the pose table
(`python -m breakd.guide.drawings` rewrites them), so the table is the one source.
"""

from __future__ import annotations

import fnmatch
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from breakd.core.content import CATALOG
from breakd.guide.drawings import (
    FIGURES_DIR,
    drawing_path,
    drawing_svg,
    expected_files,
    expected_pictures,
)
from breakd.guide.figures import Figure, Pose, render_svg
from breakd.guide.poses import FALLBACK_BY_AREA, FIGURES, figure_for

SVG = "{http://www.w3.org/2000/svg}"
KEYS = [s.key for s in CATALOG]
MAX_BYTES = 8_000


@pytest.mark.parametrize("key", KEYS)
def test_every_catalog_entry_has_its_own_drawing(key: str) -> None:
    # Not the generic one for its body area: add an entry to breakd/guide/poses.py FIGURES.
    assert key in FIGURES, f"no drawing for {key!r}: add it to FIGURES in breakd/guide/poses.py"
    assert not FIGURES[key].fallback
    assert drawing_path(key) == FIGURES_DIR / f"{key}.svg"


@pytest.mark.parametrize("key", KEYS)
def test_each_drawing_is_a_small_valid_svg_that_moves(key: str) -> None:
    path = drawing_path(key)
    assert path.stat().st_size <= MAX_BYTES
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{SVG}svg"
    assert len(root.get("viewBox", "").split()) == 4
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title") is not None
    animations = list(root.iter(f"{SVG}animate"))
    assert animations, "the drawing does not move"
    assert all(len(set(a.get("values", "").split(";"))) > 1 for a in animations)
    # Nothing in it refers outside the file, and no ids to clash on a page of many.
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"""\b(href|src)\s*=|url\(|\bid=""", text)


def test_the_committed_drawings_match_the_pose_table() -> None:
    expected = expected_files()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in FIGURES_DIR.glob("*.svg")}
    assert sorted(on_disk) == sorted(expected), "run: python -m breakd.guide.drawings"
    stale = [name for name, text in expected.items() if on_disk[name] != text]
    assert stale == [], "run: python -m breakd.guide.drawings"
    pictures = expected_pictures(expected)
    shipped = {p.name: p.read_bytes() for p in FIGURES_DIR.glob("*.png")}
    assert sorted(shipped) == sorted(pictures), "run: python -m breakd.guide.drawings"
    stale = [name for name, png in pictures.items() if shipped[name] != png]
    assert stale == [], "run: python -m breakd.guide.drawings"


def test_a_key_without_a_drawing_gets_its_areas_generic_one() -> None:
    # So a reminder never lacks a picture between a catalog change and its drawing.
    assert drawing_path("no-such-movement") == FIGURES_DIR / "area-whole-body.svg"
    for area in {s.area for s in CATALOG}:
        figure = figure_for("no-such-movement", area)
        assert figure.fallback
        assert figure is FALLBACK_BY_AREA.get(area, FALLBACK_BY_AREA["whole body"])
    assert drawing_svg("no-such-movement").startswith("<svg")


def test_rendering_is_deterministic() -> None:
    figure = FIGURES["chin-tuck"]
    assert render_svg(figure) == render_svg(figure)


def test_the_end_pose_is_what_a_static_renderer_shows() -> None:
    # A notification server shows the SVG without running its animation: the static
    # attributes must be the end pose, and the ghost the start pose.
    still = Figure("front", Pose(), Pose())
    moving = Figure("front", Pose(), Pose(tilt=-24.0))
    assert "<animate" not in render_svg(still)
    root = ET.fromstring(render_svg(moving))
    head = next(c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}animate") is not None)
    values = head.find(f"{SVG}animate").get("values", "").split(";")  # type: ignore[union-attr]
    assert head.get("cx") == values[len(values) // 2]  # the middle of the cycle: the end pose
    assert values[0] != head.get("cx")


def test_the_drawings_are_package_data() -> None:
    pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["breakd"]
    for suffix in (".svg", ".png"):
        name = f"data/figures/{KEYS[0]}{suffix}"
        assert any(fnmatch.fnmatch(name, g) and "/" in g.removeprefix("data/") for g in globs)
