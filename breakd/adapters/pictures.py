"""A reminder's picture: its suggestion's drawing as a PNG, for the notification's image hint.

Owns: where the PNGs are kept (``$XDG_CACHE_HOME/breakd/figures``, made at first use and
remade when a drawing changes) and turning a suggestion key into one of them.

Why PNG and not the SVG that ships: the Desktop Notifications spec's ``image-path`` names a
file each server loads its own way. dunst (and mako, built with icons) load it with
gdk-pixbuf, which reads SVG only with librsvg's loader (``librsvg2-common``, which Debian's
dunst does not depend on); GNOME Shell makes a ``Gio.FileIcon`` of it (gdk-pixbuf again); KDE
Plasma reads it with ``QImageReader`` (SVG only with Qt's svg image plugin). Every one of them
reads PNG without plugins. 128 pixels: dunst's stock ``max_icon_size``; larger would only be
scaled down.

Must not: raise (a reminder without its picture is still a reminder: failures are logged).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger("breakd.notify")

PICTURE_SIZE = 128  # pixels, square


def cache_dir(env: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/breakd/figures``, else ``~/.cache/breakd/figures``."""
    xdg = env.get("XDG_CACHE_HOME", "")
    # The XDG spec says to ignore a relative (or empty) value.
    base = (
        Path(xdg) if xdg and os.path.isabs(xdg) else Path(env.get("HOME") or Path.home()) / ".cache"
    )
    return base / "breakd" / "figures"


def picture_for(key: str, env: Mapping[str, str] = os.environ) -> Path | None:
    """The PNG of suggestion ``key``'s drawing (its body area's when it has none of its own);
    None, logged, when there is no key or it cannot be made."""
    if not key:
        return None
    from breakd.guide.raster import drawing_png  # the rasteriser only when a picture is due

    try:
        return drawing_png(key, cache_dir(env), PICTURE_SIZE)
    except Exception as exc:  # a full disk or a broken drawing costs the picture, not the reminder
        log.warning("no picture for %r: %s: %s", key, type(exc).__name__, exc)
        return None
