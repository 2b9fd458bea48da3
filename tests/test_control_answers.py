"""What a control command did, said in the user's language: the daemon answers with a value
(and its English message, which it logs), the client words the value; an older daemon's
message is printed as it is."""

from __future__ import annotations

import io
import logging
import re
import time
from pathlib import Path

import pytest

from breakd import i18n
from breakd.control import answers
from breakd.control.answers import Answer, Snoozed
from breakd.control.commands import _COMMANDS, Options
from breakd.control.formats import clock_text
from breakd.control.protocol import Request
from tests.test_daemon import REPEATING, make_daemon, type_for


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("LC_ALL", raising=False)


def printed(command: str, result: object, language: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """What `breakd COMMAND` prints for the daemon's result, in ``language``."""
    monkeypatch.setenv("LANGUAGE", language)
    out = io.StringIO()
    _COMMANDS[command][1](result, Options(), out)
    return out.getvalue().rstrip("\n")


def at(result: dict, language: str) -> str:
    """The time in an answer (until), as the client shows it in ``language``."""
    until = result["answer"]["until"]
    return clock_text(until, None, i18n.translator(language, {}))


def test_pause_is_said_in_german_and_japanese_and_logged_in_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    daemon, _, _ = make_daemon(tmp_path)
    with caplog.at_level(logging.INFO, logger="breakd"):
        result = daemon.requests.handle(Request("pause", {"seconds": 1800})).result
    assert abs(result["answer"]["until"] - (time.time() + 1800)) < 60
    assert result["message"] == f"paused until {at(result, 'en')}"
    assert f"paused until {at(result, 'en')}" in caplog.text  # the log stays English
    assert printed("pause", result, "de", monkeypatch) == f"pausiert bis {at(result, 'de')}"
    assert printed("pause", result, "ja", monkeypatch) == f"{at(result, 'ja')}まで一時停止しました"
    result = daemon.requests.handle(Request("pause", {})).result
    assert printed("pause", result, "de", monkeypatch) == (
        "pausiert, bis du fortsetzt (breakd resume)"
    )


def test_a_time_on_another_day_has_its_weekday(monkeypatch: pytest.MonkeyPatch) -> None:
    tomorrow = time.time() + 24 * 3600
    result = {"answer": Answer(answers.PAUSED, until=tomorrow).to_wire()}
    assert re.fullmatch(
        r"pausiert bis (Mo|Di|Mi|Do|Fr|Sa|So) \d\d:\d\d",
        printed("pause", result, "de", monkeypatch),
    )
    assert re.fullmatch(
        r"[月火水木金土日]曜 \d{1,2}:\d\dまで一時停止しました",
        printed("pause", result, "ja", monkeypatch),
    )


def test_snooze_says_which_reminder_moved_in_german_and_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, clock, _ = make_daemon(tmp_path, REPEATING)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    result = daemon.requests.handle(Request("snooze", {"seconds": 600})).result
    (snoozed,) = result["answer"]["snoozed"]
    until = {
        lang: clock_text(snoozed["until"], None, i18n.translator(lang, {})) for lang in ("de", "ja")
    }
    assert result["message"].startswith("snoozed for 10 minutes: sitting (reminder 1) until ")
    assert printed("snooze", result, "de", monkeypatch) == (
        f"um 10 Minuten verschoben: Sitzen (Erinnerung 1) bis {until['de']}"
    )
    assert printed("snooze", result, "ja", monkeypatch) == (
        f"10分あとにしました: 座りすぎ（リマインダー 1）は{until['ja']}まで"  # noqa: RUF001
    )
    # Resumed: the snooze ends; again, nothing is left to resume.
    assert printed(
        "resume", daemon.requests.handle(Request("resume", {})).result, "de", monkeypatch
    ) == ("nicht pausiert; Verschieben beendet für Sitzen")
    assert printed(
        "resume", daemon.requests.handle(Request("resume", {})).result, "ja", monkeypatch
    ) == ("再開するものはありません: breakd は一時停止していません")


def test_skip_break_now_and_reload_in_german_and_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, _, _ = make_daemon(tmp_path)
    skipped = daemon.requests.handle(Request("skip", {})).result
    assert printed("skip", skipped, "de", monkeypatch) == "nächste Erinnerung ausgelassen"
    assert printed("skip", skipped, "ja", monkeypatch) == "次のリマインダーをスキップしました"
    on_break = daemon.requests.handle(Request("break-now", {})).result
    assert printed("break-now", on_break, "de", monkeypatch).startswith(
        f"Pause bis {at(on_break, 'de')}: geh weg vom Platz"
    )
    assert printed("break-now", on_break, "ja", monkeypatch).startswith(
        f"{at(on_break, 'ja')}まで休憩"
    )
    reloaded = {"answer": Answer(answers.RELOADED, source="~/.config/breakd/config.toml").to_wire()}
    assert printed("reload", reloaded, "de", monkeypatch) == (
        "Konfiguration neu geladen: ~/.config/breakd/config.toml gelesen"
    )
    defaults = Answer(answers.RELOADED, source="~/.config/breakd/config.toml", defaults=True)
    assert printed("reload", {"answer": defaults.to_wire()}, "ja", monkeypatch) == (
        "設定を読み込み直しました: ~/.config/breakd/config.toml "
        "に設定ファイルがないため、既定値を使います"
    )


def test_an_older_or_newer_daemon_is_understood(monkeypatch: pytest.MonkeyPatch) -> None:
    # From before answers: its English message, as it is.
    old = {"message": "paused until Mon 10:00"}
    assert printed("pause", old, "de", monkeypatch) == "paused until Mon 10:00"
    # An answer this client does not know (a newer daemon's): the message again.
    newer = {"message": "paused for the rest of the meeting", "answer": {"said": "meeting"}}
    assert printed("pause", newer, "de", monkeypatch) == "paused for the rest of the meeting"
    broken = {"message": "snoozed", "answer": {"said": "snoozed", "snoozed": [{"kind": 1}]}}
    assert printed("snooze", broken, "de", monkeypatch) == "snoozed"
    # Older still (no message): the client's own confirmation, in the user's words.
    assert printed("resume", {}, "de", monkeypatch) == "fortgesetzt"


def test_an_answer_survives_the_wire() -> None:
    answer = Answer(
        answers.SNOOZE_MOVED,
        length=90.0,
        snoozed=(Snoozed("sitting", 1_700_000_000.0, None), Snoozed("water", 1_700_000_060.0, 4)),
    )
    assert Answer.from_wire(answer.to_wire()) == answer
    resumed = Answer(answers.RESUMED, ended=("sitting", "water"))
    assert Answer.from_wire(resumed.to_wire()) == resumed
    assert answers.words(resumed) == "resumed; snooze ended for sitting, water"
    assert answers.words(resumed, i18n.translator("ja", {})) == (
        "再開しました。座りすぎ、水のスヌーズを終了しました"
    )
