"""A movement's drawing as a PNG, for notification servers that do not render SVG.

What this module owns: a small anti-aliased rasteriser for the SVG that ``figures.py`` writes
(and only that: ``path`` elements made of M/L commands and ``circle`` elements, stroked with
round caps, at their static attributes, which are the end pose) and a PNG encoder, both pure
Python, so breakd needs no image library. ``python -m breakd.guide.drawings`` uses it to write
the PNGs that ship beside the SVGs; the daemon never loads it.

Must not: grow into a general SVG renderer. Dashes are drawn solid, and anything but paths
and circles is ignored; the drawings use nothing else.
"""

from __future__ import annotations

import math
import re
import struct
import xml.etree.ElementTree as ET
import zlib

# dunst's stock max_icon_size; GNOME and KDE scale it to their own size. Larger would only be
# scaled down.
PICTURE_SIZE = 128  # pixels, square

_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"[ML]\s*(-?[\d.]+)[ ,]+(-?[\d.]+)")

Colour = tuple[int, int, int]


def _colour(text: str | None) -> Colour | None:
    if not text or text == "none" or not text.startswith("#"):
        return None
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


class _Canvas:
    def __init__(self, size: int, view_box: tuple[float, float, float, float]) -> None:
        self.size = size
        self.pixels = [[(255, 255, 255)] * size for _ in range(size)]
        x, y, w, h = view_box
        self.scale = size / max(w, h)
        self.origin = (x, y)

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.origin[0]) * self.scale, (y - self.origin[1]) * self.scale

    def composite(self, cover: dict[tuple[int, int], float], colour: Colour) -> None:
        for (px, py), alpha in cover.items():
            r, g, b = self.pixels[py][px]
            self.pixels[py][px] = (
                round(r + (colour[0] - r) * alpha),
                round(g + (colour[1] - g) * alpha),
                round(b + (colour[2] - b) * alpha),
            )

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in self.pixels)

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.size, self.size, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def _stroke_segment(
    canvas: _Canvas,
    cover: dict[tuple[int, int], float],
    a: tuple[float, float],
    b: tuple[float, float],
    half: float,
) -> None:
    """Coverage of a round-capped line of half-width ``half`` (pixels), kept at its maximum."""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy or 1e-9
    lo_x, hi_x = max(0, int(x0 - half - 1)), min(canvas.size - 1, int(x1 + half + 1))
    lo_y, hi_y = max(0, int(y0 - half - 1)), min(canvas.size - 1, int(y1 + half + 1))
    for py in range(lo_y, hi_y + 1):
        cy = py + 0.5
        for px in range(lo_x, hi_x + 1):
            cx = px + 0.5
            t = max(0.0, min(1.0, ((cx - a[0]) * dx + (cy - a[1]) * dy) / length2))
            d = math.hypot(cx - a[0] - t * dx, cy - a[1] - t * dy)
            alpha = half + 0.5 - d
            if alpha > 0:
                key = (px, py)
                cover[key] = max(cover.get(key, 0.0), min(alpha, 1.0))


def _circle(
    canvas: _Canvas,
    centre: tuple[float, float],
    radius: float,
    half: float,
    fill: Colour | None,
    stroke: Colour | None,
) -> None:
    reach = radius + half + 1
    fill_cover: dict[tuple[int, int], float] = {}
    ring: dict[tuple[int, int], float] = {}
    for py in range(max(0, int(centre[1] - reach)), min(canvas.size, int(centre[1] + reach) + 1)):
        for px in range(
            max(0, int(centre[0] - reach)), min(canvas.size, int(centre[0] + reach) + 1)
        ):
            d = math.hypot(px + 0.5 - centre[0], py + 0.5 - centre[1])
            inside = radius + 0.5 - d
            if fill and inside > 0:
                fill_cover[(px, py)] = min(inside, 1.0)
            edge = half + 0.5 - abs(d - radius)
            if edge > 0:
                ring[(px, py)] = min(edge, 1.0)
    if fill:
        canvas.composite(fill_cover, fill)
    if stroke:
        canvas.composite(ring, stroke)


def rasterize(svg: str, size: int = 128) -> bytes:
    """The drawing's still image (its end pose) as an opaque RGB PNG of ``size`` pixels."""
    root = ET.fromstring(svg)
    view_box = tuple(float(v) for v in root.get("viewBox", "0 0 100 100").split())
    canvas = _Canvas(size, view_box)  # type: ignore[arg-type]
    for element in root.iter():
        stroke = _colour(element.get("stroke"))  # the drawings set one on every shape
        width = float(element.get("stroke-width", "1")) * canvas.scale / 2
        if element.tag == f"{_SVG}path" and stroke:
            cover: dict[tuple[int, int], float] = {}
            for subpath in re.split(r"(?=M)", element.get("d", "")):
                points = [canvas.to_px(float(x), float(y)) for x, y in _NUMBER.findall(subpath)]
                for a, b in zip(points, points[1:] or points, strict=False):  # a dot: one point
                    _stroke_segment(canvas, cover, a, b, width)
            canvas.composite(cover, stroke)
        elif element.tag == f"{_SVG}circle":
            centre = canvas.to_px(float(element.get("cx", "0")), float(element.get("cy", "0")))
            radius = float(element.get("r", "0")) * canvas.scale
            _circle(canvas, centre, radius, width, _colour(element.get("fill")), stroke)
    return canvas.png()
