"""A reminder's picture: its suggestion's drawing as a PNG, for the notification's image hint.

Owns: turning a suggestion key into the PNG that ships beside its SVG (``breakd/data/figures``;
written with the SVGs by ``python -m breakd.guide.drawings``).

Why PNG and not the SVG: the Desktop Notifications spec's ``image-path`` names a file each
server loads its own way. dunst (and mako, built with icons) load it with gdk-pixbuf, which
reads SVG only with librsvg's loader (``librsvg2-common``, which Debian's dunst does not depend
on); GNOME Shell makes a ``Gio.FileIcon`` of it (gdk-pixbuf again); KDE Plasma reads it with
``QImageReader`` (SVG only with Qt's svg image plugin). Every one of them reads PNG without
plugins. Why shipped, not made at first use: making one in the daemon loaded a rasteriser,
XML parsing and OpenSSL's hashing for good, about 4 MB.

Must not: raise (a reminder without its picture is still a reminder: failures are logged).
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("breakd.notify")


def picture_for(key: str) -> Path | None:
    """The PNG of suggestion ``key``'s drawing (its body area's when it has none of its own);
    None, logged, when there is no key or the file is missing."""
    if not key:
        return None
    from breakd.guide.drawings import picture_path

    path = picture_path(key)
    if not path.exists():  # a broken install costs the picture, not the reminder
        log.warning("no picture for %r: %s is missing", key, path)
        return None
    return path
