"""The command line in the user's language: ``--help``, argparse's own words and errors, the
control commands' messages and ``breakd doctor`` (docs/translating.md)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from pathlib import Path

import pytest

from breakd import exitcodes, i18n
from breakd.arguments import ArgumentParser, translate_error
from breakd.cli import build_parser, main
from breakd.control.commands import Options, control_command
from breakd.core.words import ENGLISH, Translator
from breakd.doctor.command import Options as DoctorOptions
from breakd.doctor.command import run_doctor
from tests.test_i18n import POT, read_po

# Every subcommand: all their help texts are in the catalog.
OWN = ("run", "check-config", "status", "pause", "resume", "snooze", "skip", "break-now")
OWN += ("reload", "install", "uninstall", "doctor", "checkin", "stats", "report", "guide")
OWN += ("warning-signs", "movements")


def german() -> Translator:
    return i18n.translator("de")


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def help_of(argv: list[str], tr: Translator) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        build_parser(tr).parse_args(argv)
    assert exit_.value.code == 0
    return out.getvalue()


def error_of(argv: list[str], tr: Translator) -> str:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_:
        build_parser(tr).parse_args(argv)
    assert exit_.value.code == exitcodes.USAGE
    return err.getvalue()


# --- --help ---------------------------------------------------------------------------------


def test_every_help_text_of_every_command_is_in_the_catalog() -> None:
    template = {e.msgid for e in read_po(POT)[1:]}
    parser = build_parser(ENGLISH)
    assert set(subparsers(parser)) == set(OWN)  # a new command is checked too
    texts = [parser.description]
    choices = {a.dest: a.help for a in parser._subparsers._group_actions[0]._choices_actions}  # type: ignore[union-attr]
    texts += [choices[name] for name in OWN]
    for name in OWN:
        sub = subparsers(parser)[name]
        texts += [a.help for a in sub._actions if a.help != argparse.SUPPRESS]
    missing = [text for text in texts if text not in template]
    assert not missing


def test_breakd_help_speaks_german() -> None:
    text = help_of(["--help"], german())
    assert text.startswith("Aufruf: breakd ")
    assert "Positionsargumente:" in text and "Optionen:" in text
    assert "diese Hilfe zeigen und beenden" in text
    assert "Erinnerungen nach einer Pause fortsetzen" in text  # resume, from CONTROL_COMMANDS
    assert "show this help" not in text and "usage:" not in text


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_each_owned_subcommand_helps_in_every_language(language: str) -> None:
    tr = i18n.translator(language)
    for name in OWN:
        english, translated = help_of([name, "--help"], ENGLISH), help_of([name, "--help"], tr)
        assert translated != english, name
        assert "show this help message and exit" not in translated, name


def test_checkin_refuses_a_score_in_the_users_words() -> None:
    text = error_of(["checkin", "11"], german())
    assert "gib eine ganze Zahl von 0 (kein Schmerz) bis 10" in text
    assert "use a whole number" not in text


def test_help_defaults_are_filled_in_after_the_lookup() -> None:
    text = help_of(["doctor", "--help"], german())
    assert "(Vorgabe 10)" in " ".join(text.split())


def test_help_reads_the_language_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no config: the environment decides
    monkeypatch.setenv("LANGUAGE", "fr")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert capsys.readouterr().out.startswith("utilisation\u00a0: breakd ")


def test_the_config_language_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "breakd" / "config.toml"
    config.parent.mkdir()
    config.write_text('[notify]\nlanguage = "nl"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("LANGUAGE", "fr")
    with pytest.raises(SystemExit):
        main(["pause", "--help"])
    assert capsys.readouterr().out.startswith("gebruik: breakd pause")


# --- argparse's errors ----------------------------------------------------------------------


def real_errors() -> list[str]:
    """One message of each kind argparse makes, caught as it hands it to ``error``."""
    caught: list[str] = []

    class Catching(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            caught.append(message)
            raise SystemExit(2)

    parser = Catching(prog="p")
    parser.add_argument("--count", type=int)
    parser.add_argument("--flag", action="store_true")
    parser.add_argument("--fleet")
    parser.add_argument("--one")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--week", action="store_true")
    group.add_argument("--month", action="store_true")
    parser.add_argument("--opt", nargs="?")
    parser.add_argument("--many", nargs="+")
    parser.add_argument("kind", choices=["a", "b"])
    attempts = [
        ["c"],
        ["a", "extra"],
        [],
        ["a", "--one"],
        ["a", "--many"],
        ["a", "--count", "x"],
        ["a", "--week", "--month"],
        ["a", "--flag=yes"],
        ["a", "--fl", "1"],
    ]
    for argv in attempts:
        with pytest.raises(SystemExit):
            parser.parse_args(argv)
    return caught


def test_every_argparse_error_is_recognised_and_translated() -> None:
    errors = real_errors()
    assert len(errors) == 9
    for message in errors:
        # Read back with the English words, each message is rebuilt exactly: its pattern matched.
        assert translate_error(message, ENGLISH) == message
        assert translate_error(message, german()) != message, message


def test_an_unknown_command_is_refused_in_german() -> None:
    err = error_of(["frob"], german())
    assert "Aufruf: breakd" in err
    assert "breakd: Fehler: Argument COMMAND: ungültige Auswahl: 'frob' (möglich sind " in err


def test_breakd_own_argument_messages_are_translated() -> None:
    err = error_of(["doctor", "--timeout", "soon"], german())
    assert err.endswith("breakd doctor: Fehler: Argument --timeout: keine Anzahl Sekunden\n")


def test_an_unknown_message_stays_as_it_is() -> None:
    assert translate_error("something argparse says one day", german()) == (
        "something argparse says one day"
    )


def test_a_parser_without_a_translator_takes_the_users_lazily(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("LANGUAGE", "es")
    parser = ArgumentParser(prog="x")
    monkeypatch.setenv("LANGUAGE", "it")  # read when the words are first needed, not before
    assert parser.format_usage().startswith("uso: x")
    assert "mostra questo aiuto ed esci" in parser.format_help()


# --- control messages -----------------------------------------------------------------------


def test_no_daemon_is_said_in_the_users_language(tmp_path: Path) -> None:
    env = {
        "XDG_RUNTIME_DIR": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PATH": str(tmp_path),  # no systemctl: no user manager
        "HOME": str(tmp_path),
        "LANGUAGE": "de",
    }
    tmp_path.chmod(0o700)
    out, err = io.StringIO(), io.StringIO()
    code = control_command("pause", Options(), env=env, out=out, err=err)
    assert code == exitcodes.NOT_RUNNING
    assert err.getvalue() == (
        "breakd läuft nicht\nTipp: starte es mit `breakd run &`, oder mit `breakd install`, "
        "damit es mit deiner Sitzung startet\n"
    )


# --- breakd doctor --------------------------------------------------------------------------


def doctor_env(tmp_path: Path, language: str) -> dict[str, str]:
    """No display, no bus: a few checks fail, each with its words."""
    tmp_path.chmod(0o700)
    return {
        "HOME": str(tmp_path),
        "PATH": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "LANGUAGE": language,
    }


def run(env: dict[str, str], **options: object) -> str:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    run_doctor(
        DoctorOptions(notify=False, **options),  # type: ignore[arg-type]
        env=env,
        out=out,
        err=io.StringIO(),
        interactive=False,
    )
    out.flush()
    return raw.getvalue().decode("utf-8")


def test_doctor_speaks_french(tmp_path: Path) -> None:
    text = run(doctor_env(tmp_path, "fr"))
    assert "pas de session graphique\u00a0: ni DISPLAY ni WAYLAND_DISPLAY n'est définie" in text
    assert "correctif\u00a0: " in text
    assert " base de données " in text  # a check's name, its column as wide as the longest
    assert text.splitlines()[-1].endswith(
        "breakd ne fonctionnera pas bien tant que les vérifications en échec ne sont pas corrigées."
    )
    assert "no graphical session" not in text and "fix:" not in text


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_doctor_leaves_no_english_sentence_behind(tmp_path: Path, language: str) -> None:
    english = run(doctor_env(tmp_path, "en")).splitlines()
    translated = set(run(doctor_env(tmp_path, language)).splitlines())
    # Lines made only of names, paths and commands may read the same; sentences may not.
    same = [line for line in english if line in translated and len(line.split()) > 4]
    assert not same


def test_doctor_json_stays_english(tmp_path: Path) -> None:
    data = json.loads(run(doctor_env(tmp_path, "de"), json=True))
    session = next(c for c in data["checks"] if c["name"] == "session")
    assert session["detail"] == "no graphical session: neither DISPLAY nor WAYLAND_DISPLAY is set"


def test_doctor_reads_the_language_of_the_config_it_checks(tmp_path: Path) -> None:
    config = tmp_path / "other.toml"
    config.write_text('[notify]\nlanguage = "pl"\n')
    text = run(doctor_env(tmp_path, "fr"), config=str(config))
    assert "brak sesji graficznej" in text


def test_the_doctor_says_a_config_problem_in_the_readers_words(tmp_path) -> None:
    from breakd.doctor.checks import check_config

    config = tmp_path / "c.toml"
    config.write_text('[notify]\ngrace_pause = "3m"\n')
    result = check_config(str(config), {"HOME": str(tmp_path)}, i18n.translator("fr"))
    assert result.status == "fail"
    assert 'notify.grace_pause = "3m"' in result.detail  # key and value as written
    assert "must be shorter" not in result.detail and "doit être plus court" in result.detail
