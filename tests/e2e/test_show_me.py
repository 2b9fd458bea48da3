"""A movement reminder from the live daemon under the real dunst: its picture, its sound and
its Show me.

The recorder (``dbus-monitor``) reads back the Notify call: ``image-path`` names a PNG that
exists, ``sound-name`` is the configured sound. dunst's own history names the PNG as the
icon it drew. Show me is picked from dunst's context menu (the picker script of
test_notify_actions) and opens the guide at the movement through ``$BROWSER``, here a script
that writes down the URL it was given instead of starting a browser.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

from breakd.core import content
from breakd.core.types import Kind
from breakd.guide.drawings import FIGURES_DIR

from .daemon import config_text, start_daemon
from .desktop import Desktop, matching, require_tool, wait_until
from .test_notify_actions import dunst_with_picker  # noqa: F401  (a fixture)

MOVEMENT = "calf-raises"
OTHERS = [s.key for s in content.suggestions_for(Kind.SITTING) if s.key != MOVEMENT]
CONFIG = config_text(
    sitting={"every": "8s", "duration": "4s", "repeat": "30s", "max_repeats": 1},
    content={"exclude": OTHERS},
    notify={"sound": "bell"},
)

BROWSER = """#!/bin/sh
printf '%s\\n' "$1" >> "{opened}"
"""


def fake_browser(desktop: Desktop) -> tuple[Path, Path]:
    """A $BROWSER that only writes down what it was asked to open; (script, its record)."""
    opened = desktop.root / "opened.txt"
    script = desktop.root / "browser"
    script.write_text(BROWSER.format(opened=opened))
    script.chmod(0o755)
    return script, opened


def test_the_reminder_shows_its_picture_and_show_me_opens_the_guide(
    desktop: Desktop,
    dunst_with_picker: Path,  # noqa: F811
) -> None:
    browser, opened = fake_browser(desktop)
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, CONFIG, BROWSER=str(browser))
    desktop.input.start_keys_for(10, rate_per_s=6)
    note = desktop.notifications.wait_for(matching(app_name="breakd"), timeout=20, since=mark)

    picture = Path(unquote(urlparse(note.hints["image-path"]).path))
    assert note.hints["image-path"].startswith("file://")
    assert picture == FIGURES_DIR / f"{MOVEMENT}.png"  # the PNG that ships beside the SVG
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert note.hints["sound-name"] == "bell"
    assert note.actions[-2:] == ("show-me", "Show me")
    assert note.body.startswith(content.by_key(MOVEMENT).lead)

    (dunst_with_picker / "choice").write_text("show-me")
    desktop.run([require_tool("dunstctl"), "context"])
    # A whole line: the shell's `>>` creates the file before it writes.
    wait_until(
        lambda: opened.exists() and opened.read_text().endswith("\n"),
        timeout=15,
        what="the guide opened through $BROWSER",
    )
    guide = desktop.state_home / "breakd" / "guide.html"
    assert opened.read_text().split() == [guide.as_uri() + "#" + MOVEMENT]
    assert f'id="{MOVEMENT}"' in guide.read_text(encoding="utf-8")
    daemon.wait_log(f"opened the guide at {MOVEMENT}")
    # Doing the movement now is taking the break.
    daemon.wait_log("answered from the notification: take")
    status = json.loads(daemon.cli("status", "--json").stdout)
    assert status["state"] == "on-break", status
    # dunst took the picture for the icon it draws (its history names the file).
    (shown,) = desktop.server.history()
    assert shown.icon_path == str(picture)
