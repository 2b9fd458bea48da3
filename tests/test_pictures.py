"""A reminder's picture: the PNG that ships beside its drawing, found without the daemon
loading a rasteriser, XML parsing or OpenSSL's hashing."""

from __future__ import annotations

import subprocess
import sys

from breakd.adapters.pictures import picture_for
from breakd.core.content import CATALOG
from breakd.guide.drawings import FIGURES_DIR, picture_path


def test_a_movement_has_its_shipped_png() -> None:
    picture = picture_for("march")
    assert picture is not None and picture.parent == FIGURES_DIR
    assert picture.name == "march.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_movement_gets_the_png_the_guide_names() -> None:
    # Found by file name in the daemon; the guide's tables decide which drawing is whose.
    for suggestion in CATALOG:
        assert picture_for(suggestion.key) == picture_path(suggestion.key), suggestion.key
    assert picture_for("no-such-movement") == picture_path("no-such-movement")


def test_no_key_no_picture() -> None:
    assert picture_for("") is None


def test_finding_a_picture_loads_nothing_heavy() -> None:
    # Making PNGs in the daemon once cost ~4 MB for good (zlib, xml.etree, _hashlib/OpenSSL).
    code = (
        "import sys\n"
        "from breakd.adapters.pictures import picture_for\n"
        "assert picture_for('walk') is not None\n"
        "heavy = ('breakd.guide.raster', 'breakd.guide.poses', 'xml.etree.ElementTree',"
        " '_hashlib')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
