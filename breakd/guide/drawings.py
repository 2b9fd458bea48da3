"""Where each movement's drawing lives: committed SVGs in ``breakd/data/figures``.

What this module owns: the file names, reading a drawing, and writing them all from the pose
table (``python -m breakd.guide.drawings`` after changing ``poses.py`` or ``figures.py``; a
test fails while the committed files differ from a fresh rendering). Each drawing ships as a
PNG too (``picture_path``), rasterised here, not in the daemon: a notification's image hint
names it, and the daemon never loads the rasteriser, XML parsing or hashing for it.

Must not: draw (``figures.py`` does), or fail for a key without its own drawing: that key
gets its body area's generic drawing, so a reminder still shows a picture.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import replace
from pathlib import Path

from breakd.core.content import CATALOG, Suggestion, by_key
from breakd.guide.figures import render_svg
from breakd.guide.poses import FALLBACK_BY_AREA, FIGURES, figure_for

FIGURES_DIR = Path(__file__).resolve().parent.parent / "data" / "figures"


def drawing_path(key: str) -> Path:
    """The SVG file of the movement ``key``, or of its body area when it has none yet."""
    own = FIGURES_DIR / f"{key}.svg"
    if own.exists():
        return own
    try:
        area = by_key(key).area
    except KeyError:
        area = "whole body"
    name = area if area in FALLBACK_BY_AREA else "whole body"
    return FIGURES_DIR / f"area-{name.replace(' ', '-')}.svg"


def picture_path(key: str) -> Path:
    """The PNG of the movement's drawing (its body area's when it has none of its own)."""
    return drawing_path(key).with_suffix(".png")


def drawing_svg(key: str, label: str | None = None) -> str:
    """The movement's drawing as SVG text; ``label`` (the title in the reader's language)
    replaces the English one the file carries, what a screen reader says and a hover shows."""
    svg = drawing_path(key).read_text(encoding="utf-8")
    return svg if label is None else relabelled(svg, label)


def relabelled(svg: str, label: str) -> str:
    """``svg`` (as ``render_svg`` writes it) with its ``aria-label`` and ``<title>`` set."""
    text = html.escape(label, quote=True)
    svg = re.sub(r'aria-label="[^"]*"', lambda _: f'aria-label="{text}"', svg, count=1)
    return re.sub(r"<title>[^<]*</title>", lambda _: f"<title>{text}</title>", svg, count=1)


def rendered(suggestion: Suggestion) -> str:
    """A fresh rendering of the movement's drawing, labelled with its title."""
    return render_svg(replace(figure_for(suggestion.key, suggestion.area), label=suggestion.title))


def expected_files() -> dict[str, str]:
    """File name -> SVG text of every drawing that should be in ``FIGURES_DIR``."""
    files = {f"{s.key}.svg": rendered(s) for s in CATALOG if s.key in FIGURES}
    for area, figure in FALLBACK_BY_AREA.items():
        label = f"A movement for the {area}"
        files[f"area-{area.replace(' ', '-')}.svg"] = render_svg(replace(figure, label=label))
    return files


def expected_pictures(svgs: dict[str, str]) -> dict[str, bytes]:
    """File name -> PNG bytes of each drawing in ``svgs`` (file name -> SVG text)."""
    from breakd.guide.raster import PICTURE_SIZE, rasterize

    return {
        Path(name).with_suffix(".png").name: rasterize(text, PICTURE_SIZE)
        for name, text in svgs.items()
    }


def write_all(directory: Path = FIGURES_DIR) -> list[Path]:
    """(Re)write every drawing, SVG and PNG, and remove stale ones; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    svgs = expected_files()
    wanted: dict[str, str | bytes] = {**svgs, **expected_pictures(svgs)}
    for stale in [*directory.glob("*.svg"), *directory.glob("*.png")]:
        if stale.name not in wanted:
            stale.unlink()
    written = []
    for name, content in wanted.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    paths = write_all()
    print(f"wrote {len(paths)} drawings to {FIGURES_DIR}", file=sys.stderr)
