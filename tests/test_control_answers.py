"""What a control command did, said in the user's language: the daemon answers with a value
(and its English message, which it logs), the client words the value; an older daemon's
message is printed as it is."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from pathlib import Path

import pytest

from breakd import exitcodes, i18n
from breakd.control import answers, commands
from breakd.control.answers import Answer, Snoozed
from breakd.control.commands import _COMMANDS, Options
from breakd.control.formats import clock_text
from breakd.control.protocol import MAX_MESSAGE, Reply, Request, parse_reply
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


def test_skip_names_the_reminder_it_ended_or_the_timer_it_started_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, clock, notifier = make_daemon(tmp_path, config=REPEATING)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    assert notifier.shown  # the stand-up reminder waits on screen
    skipped = daemon.requests.handle(Request("skip", {})).result
    assert skipped["answer"] == {"said": "skipped", "ended": ["sitting"]}
    assert printed("skip", skipped, "en", monkeypatch) == "skipped the waiting reminder: sitting"
    assert printed("skip", skipped, "de", monkeypatch) == (
        "wartende Erinnerung ausgelassen: Sitzen"
    )
    type_for(daemon, clock, 10)  # present, typing, nothing waits: the next one starts over
    again = daemon.requests.handle(Request("skip", {})).result
    assert again["answer"] == {"said": "skipped-next", "ended": ["sitting"]}
    assert printed("skip", again, "en", monkeypatch) == (
        "nothing was waiting; skipped the next reminder: sitting"
    )
    assert again["message"] == "nothing was waiting; skipped the next reminder: sitting"


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


# --- a refused reload ----------------------------------------------------------------------

BAD_CONFIG = '[sitting]\nevery = "45 minutes"\n\n[water]\nevry = 5\n'


def refused_reload(tmp_path: Path) -> Reply:
    daemon, _, _ = make_daemon(tmp_path)
    (tmp_path / "c.toml").write_text(BAD_CONFIG)
    reply = daemon.requests.handle(Request("reload", {}))
    assert not reply.ok
    return reply


def reload_said(
    reply: Reply, language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """What `breakd reload` prints when the daemon sends ``reply`` (over the wire)."""
    line = reply.encode()
    monkeypatch.setattr(commands.client, "request", lambda *_, **__: parse_reply(line))
    env = {
        "XDG_RUNTIME_DIR": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LANGUAGE": language,
    }
    err = io.StringIO()
    code = commands.control_command("reload", Options(), env=env, out=io.StringIO(), err=err)
    assert code == exitcodes.FAILURE
    return err.getvalue()


def test_a_refused_reload_says_why_in_german_and_japanese_and_logs_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="breakd"):
        reply = refused_reload(tmp_path)
    file = str(tmp_path / "c.toml")
    assert reload_said(reply, "de", tmp_path, monkeypatch) == (
        "breakd reload: Konfiguration nicht neu geladen, die laufende Konfiguration bleibt:\n"
        f'{file}: sitting.every = "45 minutes": keine Dauer; '
        'nutze z. B. "90s", "45m", "1h30m" oder ganze Sekunden von 1 bis 86400\n'
        f"{file}: water.evry = 5: unbekannter Schlüssel in [water] (meintest du every?); "
        "die Schlüssel in [water] sind enabled, every, repeat, max_repeats\n"
    )
    assert reload_said(reply, "ja", tmp_path, monkeypatch) == (
        "breakd reload: 設定を読み込み直しませんでした。動作中の設定のままです:\n"
        f'{file}: sitting.every = "45 minutes": 時間の長さではありません。'
        '"90s"、"45m"、"1h30m" のように書くか、1から86400までの整数の秒数を使ってください\n'
        f"{file}: water.evry = 5: [water] にないキーです (every のことですか？)。"  # noqa: RUF001
        "[water] のキーは enabled, every, repeat, max_repeats です\n"
    )
    # The log and the reply's error (what older clients print) stay English.
    english = reply.error or ""
    assert english.startswith("config not reloaded, the running config stays:\n")
    assert f'{file}: sitting.every = "45 minutes": not a duration' in english
    assert 'sitting.every = "45 minutes": not a duration' in caplog.text
    assert "keine Dauer" not in caplog.text
    assert json.loads(reply.encode())["error"] == english


def test_a_refusal_without_problems_is_printed_as_the_daemon_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = refused_reload(tmp_path).error or ""
    # A daemon from before problems were sent: its English error.
    old = Reply.failure(english)
    assert reload_said(old, "de", tmp_path, monkeypatch) == f"breakd reload: {english}\n"
    # Problems this client cannot read (a newer or broken daemon): the English error too.
    for problems in ([{"file": "c.toml"}], [{"file": "", "key": "", "value": "", "said": 5}]):
        newer = Reply.failure(english, problems)
        assert reload_said(newer, "ja", tmp_path, monkeypatch) == f"breakd reload: {english}\n"
    unsayable = {"text": "{missing}", "values": {"other": 1}}  # str.format's KeyError
    newer = Reply.failure(english, [{"file": "f", "key": "", "value": "", "said": unsayable}])
    assert reload_said(newer, "ja", tmp_path, monkeypatch) == f"breakd reload: {english}\n"


def test_too_many_problems_for_one_line_are_sent_in_english_only(tmp_path: Path) -> None:
    reply = refused_reload(tmp_path)
    many = Reply.failure(reply.error or "", (reply.problems or []) * 1000)
    line = many.encode()
    assert len(line) <= MAX_MESSAGE
    assert parse_reply(line) == Reply.failure(reply.error or "")
    assert parse_reply(reply.encode()) == reply
