"""A reminder's picture: its suggestion's drawing as a PNG, for the notification's image hint.

Owns: turning a suggestion key into the PNG that ships beside its SVG (``breakd/data/figures``;
written with the SVGs by ``python -m breakd.guide.drawings``).

Why PNG and not the SVG: the Desktop Notifications spec's ``image-path`` names a file each
server loads its own way. dunst (and mako, built with icons) load it with gdk-pixbuf, which
reads SVG only with librsvg's loader (``librsvg2-common``, which Debian's dunst does not depend
on); GNOME Shell makes a ``Gio.FileIcon`` of it (gdk-pixbuf again); KDE Plasma reads it with
``QImageReader`` (SVG only with Qt's svg image plugin). Every one of them reads PNG without
plugins. Why shipped, not made at first use: making one in the daemon loaded a rasteriser,
XML parsing and OpenSSL's hashing for good, about 4 MB. Why found here by file name rather
than with ``breakd.guide.drawings.picture_path`` (the same answer, checked by
tests/test_pictures.py): that module loads the pose tables and the SVG renderer, about 0.7 MB
of the daemon's memory at its first reminder, to pick a file name.

Must not: raise (a reminder without its picture is still a reminder: failures are logged).
"""

from __future__ import annotations

import logging
from pathlib import Path

from breakd.core.content import by_key

log = logging.getLogger("breakd.notify")

FIGURES_DIR = Path(__file__).resolve().parent.parent / "data" / "figures"


def picture_for(key: str) -> Path | None:
    """The PNG of suggestion ``key``'s drawing (its body area's when it has none of its own);
    None, logged, when there is no key or the file is missing."""
    if not key:
        return None
    path = _picture_path(key)
    if not path.exists():  # a broken install costs the picture, not the reminder
        log.warning("no picture for %r: %s is missing", key, path)
        return None
    return path


def _picture_path(key: str) -> Path:
    """The movement's own PNG, else its body area's, else the whole body's."""
    own = FIGURES_DIR / f"{key}.png"
    if own.exists():
        return own
    try:
        area = by_key(key).area
    except KeyError:
        area = "whole body"
    for name in (area, "whole body"):
        fallback = FIGURES_DIR / f"area-{name.replace(' ', '-')}.png"
        if fallback.exists():
            return fallback
    return fallback  # missing: the caller says so
