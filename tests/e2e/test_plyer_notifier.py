"""``notify.backend = "plyer"`` end to end: plyer (through dbus-python, which the test extra
installs) shows the reminder in the real dunst with breakd's name, its drawing and the commands
to answer it; without dbus-python (the default install) through notify-send, and the log says
what that path cannot report. (A missing notification server, for plyer too:
tests/e2e/test_daemon.py; that one needs dbus-python, the only plyer path that notices.)"""

from __future__ import annotations

from pathlib import Path

from breakd.guide.drawings import FIGURES_DIR

from .daemon import checkin_due, config_text, start_daemon
from .desktop import matching

BREAKD = matching(app_name="breakd")
PLYER = config_text(
    sitting={"every": "6s", "duration": "4s", "max_repeats": 0}, notify={"backend": "plyer"}
)


def test_plyer_shows_the_reminder_with_name_picture_and_commands(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, PLYER)
    desktop.input.start_keys_for(10, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    assert note.summary == "Time to stand up and move"
    # Its icon is the suggestion's drawing (plyer has no other way to show it), also sent as
    # the image-path hint.
    picture = Path(note.app_icon)
    assert picture.parent == FIGURES_DIR and picture.exists()
    assert note.hints["image-path"] == picture.as_uri()
    assert note.body.startswith("Stand up") and "breakd snooze" in note.body
    assert note.actions == ()  # plyer has no buttons: the body says what to type
    daemon.wait_log("reminder 1 shown: sitting")
    assert any(n.app_name == "breakd" for n in desktop.server.history())


def test_plyer_without_dbus_python_shows_the_reminder_through_notify_send(desktop):
    # A dbus package that fails to import hides the installed one, as in a default install.
    hide = Path(desktop.home) / "no-dbus-python" / "dbus"
    hide.mkdir(parents=True)
    (hide / "__init__.py").write_text('raise ImportError("hidden by the test")\n')
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, PLYER, PYTHONPATH=str(hide.parent))
    daemon.wait_log("plyer shows reminders through notify-send here")
    desktop.input.start_keys_for(10, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    assert note.summary == "Time to stand up and move"
    assert "breakd snooze" in note.body
    daemon.wait_log("reminder 1 shown: sitting")
    assert "Traceback" not in daemon.log and "dbus package is not installed" not in daemon.log


def test_plyer_asks_the_check_in_naming_the_command(desktop):
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, checkin_due(notify={"backend": "plyer"}))
    note = desktop.notifications.wait_for(BREAKD, timeout=20, since=mark)
    assert note.summary == "How do your neck and shoulders feel today?"
    assert "breakd checkin 0-10" in note.body
    assert note.actions == ()
    daemon.wait_log("check-in asked for")
