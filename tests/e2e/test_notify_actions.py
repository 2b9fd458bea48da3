"""DBusNotifier against the real dunst: buttons on the wire, replacing, withdrawing, clicking.

The recorder (``dbus-monitor``) reads back exactly what was sent; dunst's own count says what
is on screen. dunst draws no buttons: a middle click on the notification (a real xdotool click)
invokes its ``default`` action, and the others live in dunst's context menu: ``dunstctl
context`` opens it through dunst's ``dmenu`` setting, here a tiny script that picks one
action, so the choice travels dunst's real path (menu -> ActionInvoked signal -> breakd).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.dbus_notify import DBusNotifier
from breakd.adapters.notify import CLI_HINT
from breakd.core.types import Kind, Reminder, Urgency

from .desktop import (
    DUNSTRC,
    NOTIFICATIONS_NAME,
    URGENCY_CRITICAL,
    URGENCY_NORMAL,
    Desktop,
    matching,
    require_tool,
    wait_until,
)

# dunst offers actions only in a menu: no separate Take break, a click on it takes the break.
BUTTONS = ("default", "Take break", "snooze", "Snooze 5 min", "skip", "Skip")

# dunst writes one "#<label> (<summary>) [<id>,<action key>]" line per action to the menu's
# stdin and invokes the line the menu prints. Pick the action named in the file "choice".
PICKER = """#!/bin/sh
menu=$(cat)
printf '%s\\n' "$menu" > "{dir}/menu.txt"
printf '%s\\n' "$menu" | grep ",$(cat "{dir}/choice")]\\$"
"""


class Answers:
    def __init__(self) -> None:
        self.got: list[tuple[int, str]] = []
        self._arrived = threading.Condition()

    def __call__(self, reminder_id: int, key: str) -> None:
        with self._arrived:
            self.got.append((reminder_id, key))
            self._arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[int, str]]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.got) >= count, timeout):
                raise TimeoutError(f"expected {count} answers, got {self.got!r}")
            return list(self.got)


def reminder(rid: int, urgency: Urgency = Urgency.NORMAL, repeat: int = 0) -> Reminder:
    return Reminder(
        id=rid,
        kind=Kind.SITTING,
        title=f"Stand up ({rid})",
        body="Walk to the window and back.",
        urgency=urgency,
        due=0.0,
        repeat=repeat,
    )


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def notifier(desktop: Desktop, answers: Answers) -> Iterator[DBusNotifier]:
    n = DBusNotifier(
        on_action=answers, snooze_label="Snooze 5 min", bus_address=desktop.bus.address
    )
    yield n
    n.close()


def test_dunst_gets_the_three_answers_and_the_commands(
    desktop: Desktop, notifier: DBusNotifier
) -> None:
    assert notifier.show(reminder(1))
    sent = desktop.notifications.wait_for(matching(app_name="breakd", summary="Stand up (1)"))
    assert sent.actions == BUTTONS
    # The menu needs dmenu, which many dunst users lack: the commands stay in the body.
    assert sent.body == "Walk to the window and back.\n" + CLI_HINT
    assert sent.urgency == URGENCY_NORMAL
    assert sent.hints.get("category") == "presence"
    wait_until(lambda: desktop.server.displayed_count() == 1, what="one notification shown")


def test_a_repeat_replaces_and_withdraw_closes(desktop: Desktop, notifier: DBusNotifier) -> None:
    assert notifier.show(reminder(1))
    first = desktop.notifications.wait_for(matching(summary="Stand up (1)"))
    mark = desktop.notifications.mark()
    assert notifier.show(reminder(1, urgency=Urgency.CRITICAL, repeat=1))
    repeat = desktop.notifications.wait_for(matching(summary="Stand up (1)"), since=mark)
    assert first.replaces_id == 0
    assert repeat.replaces_id != 0
    assert repeat.urgency == URGENCY_CRITICAL
    assert repeat.expire_timeout == 0  # critical stays until answered
    wait_until(lambda: desktop.server.displayed_count() == 1, what="still one notification")
    notifier.withdraw(1)
    wait_until(lambda: desktop.server.displayed_count() == 0, what="the reminder withdrawn")
    # dunst emitted NotificationClosed: nothing left to replace, the next showing is new.
    mark = desktop.notifications.mark()
    assert notifier.show(reminder(1))
    assert desktop.notifications.wait_for(since=mark).replaces_id == 0


@pytest.fixture
def dunst_with_picker(desktop: Desktop) -> Path:
    """Replace the harness's dunst with one whose context menu is the PICKER script."""
    require_tool("sh")
    folder = desktop.root / "picker"
    folder.mkdir()
    script = folder / "pick"
    script.write_text(PICKER.format(dir=folder))
    script.chmod(0o755)
    config = folder / "dunstrc"
    config.write_text(DUNSTRC.replace("[global]\n", f"[global]\n    dmenu = {script}\n", 1))
    desktop.server.stop()
    wait_until(lambda: not desktop.bus.name_has_owner(NOTIFICATIONS_NAME), what="dunst gone")
    desktop.spawn([require_tool("dunst"), "-conf", str(config)], log_name="dunst-picker")
    wait_until(lambda: desktop.bus.name_has_owner(NOTIFICATIONS_NAME), what="dunst with picker")
    return folder


@pytest.mark.parametrize(
    ("key", "answer"), [("default", "take"), ("snooze", "snooze"), ("skip", "skip")]
)
def test_picking_an_answer_in_dunsts_menu_reaches_on_action(
    desktop: Desktop,
    dunst_with_picker: Path,
    notifier: DBusNotifier,
    answers: Answers,
    key: str,
    answer: str,
) -> None:
    assert notifier.show(reminder(7))
    desktop.notifications.wait_for(matching(summary="Stand up (7)"))
    (dunst_with_picker / "choice").write_text(key)
    desktop.run([require_tool("dunstctl"), "context"])
    assert answers.wait_for(1) == [(7, answer)]
    menu = (dunst_with_picker / "menu.txt").read_text()
    for label in ("Take break", "Snooze 5 min", "Skip"):
        assert f"#{label} (Stand up (7))" in menu


def test_a_middle_click_on_the_reminder_in_dunst_takes_the_break(
    desktop: Desktop, notifier: DBusNotifier, answers: Answers
) -> None:
    assert notifier.show(reminder(8))
    desktop.notifications.wait_for(matching(summary="Stand up (8)"))
    wait_until(lambda: desktop.server.displayed_count() == 1, what="the reminder on screen")
    desktop.server.click(2)  # stock dunst: the middle button invokes the default action
    assert answers.wait_for(1) == [(8, "take")]
