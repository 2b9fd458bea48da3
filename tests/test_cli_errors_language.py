"""What the command line says when something goes wrong, in the user's language (issue #18).

Each case below drives one error path of a command a person runs (a daemon that fails, refuses
or does not answer, an unsafe runtime directory, a broken statistics file or config, a page
that cannot be written, a movement that does not exist) once in English and once in each
language. A sentence printed the same in both is English left behind: a new error message
printed from an f-string, not looked up in the catalog, fails here.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from breakd import i18n
from breakd.cli import build_parser
from breakd.content_commands import movements_command
from breakd.control import commands, paths
from breakd.control.commands import Options, control_command, follow_status
from breakd.control.protocol import MAX_MESSAGE, Reply, Request
from breakd.control.server import ControlServer
from breakd.guide.page import guide_command
from breakd.stats.commands import checkin_command, report_command, stats_command


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user with nothing: a short runtime directory (AF_UNIX paths are limited to 108
    bytes), no config, no statistics."""
    base = Path(tempfile.mkdtemp(prefix="bkd"))
    base.chmod(0o700)
    for name, sub in [("HOME", ""), ("XDG_RUNTIME_DIR", "run"), ("XDG_CONFIG_HOME", "config")]:
        (base / sub).mkdir(mode=0o700, exist_ok=True)
        monkeypatch.setenv(name, str(base / sub))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "state"))
    monkeypatch.setenv("PATH", str(base))  # no systemctl
    yield base
    shutil.rmtree(base, ignore_errors=True)


Case = Callable[[Path, pytest.MonkeyPatch], str]  # what the command printed on stderr


def _control(command: str, handler: Callable[[Request], Reply], **server: object) -> Case:
    def case(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
        err = io.StringIO()
        with ControlServer(paths.socket_path(), handler, **server):  # type: ignore[arg-type]
            code = control_command(command, Options(), out=io.StringIO(), err=err)
        assert code != 0
        return err.getvalue()

    return case


def _fails(request: Request) -> Reply:
    raise RuntimeError("boom")


def _too_long(request: Request) -> Reply:
    return Reply.success({"message": "x" * MAX_MESSAGE})


def _follow_refused(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    err = io.StringIO()
    with ControlServer(paths.socket_path(), _fails):
        code = follow_status(Options(follow=True), out=io.StringIO(), err=err)
    assert code != 0
    return err.getvalue()


def _no_answer(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # Listening, never accepting: the connection is made and nothing ever comes back.
    path = paths.socket_path()
    path.parent.mkdir(mode=0o700, exist_ok=True)
    path.unlink(missing_ok=True)  # the English run's
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
        sock.listen()
        err = io.StringIO()
        control_command("skip", Options(), out=io.StringIO(), err=err, timeout=0.1)
    return err.getvalue()


def _unsafe_directory(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    planted = home / "planted"
    planted.write_text("")

    def unsafe(env: object = None) -> Path:
        paths.ensure_private_dir(planted)
        raise AssertionError("a file is not a directory")

    monkeypatch.setattr(commands, "socket_path", unsafe)
    err = io.StringIO()
    control_command("status", Options(), out=io.StringIO(), err=err)
    follow_status(Options(follow=True), out=io.StringIO(), err=err)
    return err.getvalue().replace(str(planted), "PATH")


def _parsed(*argv: str) -> object:
    return build_parser().parse_args(list(argv))


def _broken_statistics(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    db = home / "state" / "breakd" / "breakd.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_text("not a database " * 100)
    err = io.StringIO()
    for command, argv in [(stats_command, ["stats"]), (report_command, ["report"])]:
        command(_parsed(*argv), out=io.StringIO(), err=err)  # type: ignore[operator]
    checkin_command(_parsed("checkin", "3"), out=io.StringIO(), err=err)  # type: ignore[arg-type]
    return err.getvalue()


def _broken_config(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    config = home / "config" / "breakd" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text('[sitting]\nevery = "soon"\n')
    err = io.StringIO()
    stats_command(_parsed("stats"), out=io.StringIO(), err=err)  # type: ignore[arg-type]
    movements_command(_parsed("movements"), out=io.StringIO(), err=err)  # type: ignore[arg-type]
    return err.getvalue()


def _pages(home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (home / "a-file").write_text("")
    nowhere = str(home / "a-file" / "page.html")  # under a file: cannot be written
    err = io.StringIO()
    report_command(_parsed("report", "--out", nowhere), out=io.StringIO(), err=err)  # type: ignore[arg-type]
    guide_command(_parsed("guide", "--out", nowhere), out=io.StringIO(), err=err)  # type: ignore[arg-type]
    guide_command(_parsed("guide", "no-such-movement"), out=io.StringIO(), err=err)  # type: ignore[arg-type]
    return err.getvalue()


CASES: dict[str, Case] = {
    "failed inside breakd": _control("pause", _fails),
    "reply too long": _control("status", _too_long),
    "another user's breakd": _control("skip", _fails, allowed_uid=os.getuid() + 1),
    "too many connections": _control("resume", _fails, max_clients=0),
    "status --follow refused": _follow_refused,
    "no answer in time": _no_answer,
    "unsafe runtime directory": _unsafe_directory,
    "broken statistics": _broken_statistics,
    "broken config": _broken_config,
    "pages": _pages,
}


def said(case: Case, language: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("LANGUAGE", language)
    return case(home, monkeypatch).splitlines()


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("name", CASES)
def test_no_error_message_is_left_in_english(
    name: str, language: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = said(CASES[name], "en", home, monkeypatch)
    translated = set(said(CASES[name], language, home, monkeypatch))
    assert english, "the case printed nothing: it no longer reaches an error"
    # A line of names, paths and values may read the same in both; a sentence may not.
    same = [line for line in english if line in translated and len(line.split()) > 3]
    assert not same


def test_the_daemons_failure_is_said_in_german(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    assert said(CASES["failed inside breakd"], "de", home, monkeypatch) == [
        "breakd pause: pause ist in breakd fehlgeschlagen: boom"
    ]


def test_an_older_clients_english_stays_in_the_reply() -> None:
    """A client from before ``said`` prints ``error``: still the whole English sentence."""
    from breakd.control.protocol import parse_reply
    from breakd.core.words import N_, phrase

    line = Reply.refusal(phrase(N_("{command}: reply too long"), command="status")).encode()
    reply = parse_reply(line)
    assert reply.error == "status: reply too long"
    assert reply.said == {"text": "{command}: reply too long", "values": {"command": "status"}}


def test_an_unknown_command_is_refused_with_a_phrase_the_client_says_in_german(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer ``breakd`` asking an older daemon for a command it does not know."""
    from breakd.control import client

    monkeypatch.setenv("LANGUAGE", "de")
    with ControlServer(paths.socket_path(), _fails):
        reply = client.request(paths.socket_path(), "frobnicate")
    assert reply.error is not None and reply.error.startswith("unknown command 'frobnicate'")
    assert commands._refusal(reply, os.environ).startswith(
        "unbekannter Befehl 'frobnicate'; bekannte Befehle: break-now, "
    )
