"""Open a page breakd wrote in the user's default browser.

What this module owns: turning a file (and an optional anchor) into a URL and handing it to
the desktop's opener through ``webbrowser`` (which uses xdg-open, the desktop's default browser
or $BROWSER). For ``breakd guide`` now; ``breakd report`` and a notification's "Show me" action
can use the same function.

Must not: wait for the browser, or treat a failure to open as fatal: the page is written
either way, and the caller prints its path.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

Opener = Callable[[str], bool]


def page_url(path: Path, anchor: str | None = None) -> str:
    """The file URI of ``path``, ending in ``#anchor`` when one is given."""
    uri = path.resolve().as_uri()
    return f"{uri}#{anchor}" if anchor else uri


def open_page(path: Path, anchor: str | None = None, *, opener: Opener | None = None) -> bool:
    """Ask the default browser to show ``path`` (at ``anchor``); False if nothing could."""
    url = page_url(path, anchor)
    try:
        return bool((opener or webbrowser.open)(url))
    except (OSError, webbrowser.Error):
        return False
