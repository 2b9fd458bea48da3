"""A reminder in the user's language, end to end: ``breakd run`` under LANGUAGE=de shows a
German micro-break through the real notification server (dunst)."""

from __future__ import annotations

from breakd import i18n
from breakd.core import content
from breakd.core.types import Kind

from .daemon import config_text, start_daemon
from .desktop import matching

BREAKD = matching(app_name="breakd")
MICRO_BREAK = config_text(repetition={"every": "5s", "pause": "2s", "max_repeats": 0})


def test_a_reminder_in_german_from_the_environment(desktop):
    german = i18n.translator("de", {})
    leads = {german.gettext(s.lead) for s in content.suggestions_for(Kind.REPETITION)}
    mark = desktop.notifications.mark()
    daemon = start_daemon(desktop, MICRO_BREAK, LANGUAGE="de", LANG="de_DE.UTF-8")
    desktop.input.start_keys_for(9, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=15, since=mark)
    assert note.summary == "Mikropause: Hände ausruhen", note
    assert note.body.splitlines()[0] in leads, note.body
    # dunst draws no buttons: a click takes the break, the rest sit in its menu, and the body
    # names the commands, all in German.
    assert note.actions[:6] == (
        *("default", "Pause machen", "snooze", "Später (5 Min.)", "skip", "Auslassen"),
    ), note.actions
    assert "Später: breakd snooze, Auslassen: breakd skip" in note.body
    daemon.wait_log("reminder 1 shown: repetition")  # log lines stay English
    shown = [n for n in desktop.server.history() if n.app_name == "breakd"]
    assert shown and shown[-1].summary == "Mikropause: Hände ausruhen"
    assert shown[-1].body.splitlines()[0] in leads


def test_notify_language_overrides_the_environment(desktop):
    config = config_text(
        repetition={"every": "5s", "pause": "2s", "max_repeats": 0}, notify={"language": "ja"}
    )
    mark = desktop.notifications.mark()
    start_daemon(desktop, config, LANGUAGE="de")
    desktop.input.start_keys_for(9, rate_per_s=6)
    note = desktop.notifications.wait_for(BREAKD, timeout=15, since=mark)
    assert note.summary == i18n.translator("ja", {}).gettext("Micro-break: rest your hands")
    assert note.summary.startswith("マイクロ休憩"), note
