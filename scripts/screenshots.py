"""The README's pictures, made from real renders: ``python scripts/screenshots.py [DIR]``.

- ``reminder-dunst.png``: the README's stand-up reminder (calf raises, water merged) as dunst
  1.9 draws it with its stock config (``/etc/xdg/dunst/dunstrc``), sent by breakd's own
  ``DBusNotifier`` on a private desktop (Xvfb, session bus, dunst: the e2e harness), picture
  and all; the screenshot is of dunst's window alone (``import -window``).
- ``guide.png``: ``breakd guide``'s page in headless chromium (the browser tests' harness) at a
  laptop's width, a second and a half into its animations.

DIR defaults to ``docs``. Needs the e2e tools (xvfb, dbus, dunst, xdotool), ImageMagick's
``import`` and chromium; ``bash scripts/test.sh`` installs all but ImageMagick
(``apt-get install imagemagick``), which only this script needs.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from breakd.adapters.dbus_notify import DBusNotifier  # noqa: E402
from breakd.core.content import by_key, compose  # noqa: E402
from breakd.core.types import Kind, Reminder, Urgency  # noqa: E402
from breakd.guide.page import guide_path, write_guide  # noqa: E402
from tests.e2e.desktop import Desktop, require_tool, wait_until  # noqa: E402

STOCK_DUNSTRC = Path("/etc/xdg/dunst/dunstrc")
GUIDE_WINDOW = (1000, 700)


def readme_reminder() -> Reminder:
    """The reminder the README prints (tests/test_content.py keeps that text real)."""
    suggestion = by_key("calf-raises")
    title, body = compose(Kind.SITTING, suggestion, also=(Kind.WATER,), break_seconds=300)
    return Reminder(
        id=1,
        kind=Kind.SITTING,
        title=title,
        body=body,
        urgency=Urgency.NORMAL,
        due=0.0,
        also=(Kind.WATER,),
        break_seconds=300,
        suggestion=suggestion.key,
    )


def dunst_window(desktop: Desktop) -> str:
    """The X window id of dunst's notification."""
    found = desktop.run([require_tool("xdotool"), "search", "--classname", "dunst"], check=False)
    ids = found.stdout.split()
    if not ids:
        raise RuntimeError("dunst shows no window")
    return ids[-1]


def reminder_shot(target: Path) -> None:
    with Desktop(dunstrc=STOCK_DUNSTRC.read_text(encoding="utf-8")) as desktop:
        # The picture is made where breakd would make it: the desktop's private cache.
        os.environ["XDG_CACHE_HOME"] = str(desktop.home / ".cache")
        notifier = DBusNotifier(
            on_action=lambda reminder_id, key: None,
            on_show_me=lambda key: None,  # with Show me, as the daemon sends it
            snooze_label="Snooze 5m",
            bus_address=desktop.bus.address,
        )
        try:
            if not notifier.show(readme_reminder()):
                raise RuntimeError("dunst did not take the reminder")
            wait_until(lambda: desktop.server.displayed_count() >= 1, what="the reminder")
            time.sleep(0.5)  # drawn, not only counted
            window = dunst_window(desktop)
            desktop.run([require_tool("import"), "-window", window, str(target)])
        finally:
            notifier.close()


def guide_shot(target: Path) -> None:
    from tests.stats.test_report_browser import run_chromium

    with tempfile.TemporaryDirectory(prefix="breakd-shot-") as tmp:
        page = guide_path({"XDG_STATE_HOME": tmp})
        write_guide(page)
        shot = Path(tmp) / "guide.png"
        result = run_chromium(
            page,
            Path(tmp),
            f"--screenshot={shot}",
            f"--window-size={GUIDE_WINDOW[0]},{GUIDE_WINDOW[1]}",
            "--hide-scrollbars",
            "--virtual-time-budget=1500",
        )
        if result.returncode != 0 or not shot.exists():
            raise RuntimeError(f"chromium made no screenshot:\n{result.stderr[-2000:]}")
        shutil.copyfile(shot, target)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs"
    if shutil.which("chromium") is None:
        print("screenshots: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for name, make in (("reminder-dunst.png", reminder_shot), ("guide.png", guide_shot)):
        make(out / name)
        print(f"wrote {out / name} ({(out / name).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
