"""The PNG of a drawing (for notification servers that show no SVG): the still end pose."""

from __future__ import annotations

import pytest

from breakd.core.content import CATALOG
from breakd.guide.drawings import drawing_svg, picture_path
from breakd.guide.raster import PICTURE_SIZE, rasterize
from tests.stats.test_report_browser import decode_png

ORANGE = (0xD5, 0x5E, 0x00)  # figures.ACCENT: the arrow


@pytest.mark.parametrize("key", [s.key for s in CATALOG])
def test_every_drawing_rasterizes_with_its_figure_and_arrow(key: str) -> None:
    width, height, pixels = decode_png(rasterize(drawing_svg(key), 96))
    assert (width, height) == (96, 96)
    assert sum(1 for r, g, b in pixels if r + g + b < 150) > 150, "no figure"
    assert ORANGE in pixels, "no arrow"
    assert pixels[0] == (255, 255, 255)  # opaque white: readable on a dark theme too


@pytest.mark.parametrize("key", [s.key for s in CATALOG])
def test_every_movement_ships_its_picture(key: str) -> None:
    width, height, _ = decode_png(picture_path(key).read_bytes())
    assert (width, height) == (PICTURE_SIZE, PICTURE_SIZE)
