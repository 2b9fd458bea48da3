"""The client side of ``breakd status|pause|resume|snooze|skip|break-now|reload``.

Each command becomes one request to the running daemon; this module turns CLI arguments into
request arguments and replies into a few plain lines. It never talks to the engine: the
daemon's handler does. Exit codes: 0 done, 1 the daemon refused or misbehaved, 2 bad
arguments, 3 (``exitcodes.NOT_RUNNING``) no daemon.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TextIO

from breakd import exitcodes, i18n
from breakd.control import answers, client, formats, protocol
from breakd.control.formats import status_lines
from breakd.control.paths import UnsafeDirectory, socket_path
from breakd.control.protocol import ProtocolError
from breakd.core.words import ENGLISH, N_, Phrase, Translator, clauses, from_wire, phrase

__all__ = ["CONTROL_COMMANDS", "Options", "control_command", "status_lines"]

UNTIL_TOMORROW = "until-tomorrow"
NOT_RUNNING = N_("breakd is not running")


class UsageError(ValueError):
    """A command-line argument the daemon would not understand; raised with a ``Phrase``."""


@dataclass(frozen=True)
class Options:
    """What the CLI parsed for a control command (only the fields a command uses matter)."""

    duration: str | None = None
    json: bool = False  # kept for callers from before --format: same as format="json"
    format: str = "text"  # status: one of formats.FORMATS
    follow: bool = False  # status: keep printing each status the daemon pushes

    @property
    def status_format(self) -> str:
        return "json" if self.json else self.format


ArgsBuilder = Callable[[Options], dict[str, Any]]
Printer = Callable[[Any, Options, TextIO], None]


def control_command(
    command: str,
    options: Options,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
    timeout: float = 5.0,
) -> int:
    """Run one control command against the daemon; returns the process exit code."""
    # Resolved at call time, not as defaults, so redirected streams (tests, callers) are used.
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    if command == "status" and options.follow:
        return follow_status(options, env=env, out=out, err=err, timeout=timeout)
    build_args, print_result = _COMMANDS[command]
    try:
        args = build_args(options)
    except UsageError as exc:
        tr = i18n.user_translator(env)
        text = tr.gettext("breakd {command}: {value}: {problem}")
        value, problem = exc.args
        print(text.format(command=command, value=value, problem=problem.say(tr)), file=err)
        return exitcodes.USAGE
    try:
        reply = client.request(socket_path(env), command, args, timeout=timeout)
    except client.NotRunning:
        if command == "status":
            _print_stopped(options.status_format, out)
        tr = i18n.user_translator(env)
        hint = tr.gettext("hint: {hint}").format(hint=_start_hint(env, tr))
        print(f"{tr.gettext(NOT_RUNNING)}\n{hint}", file=err)
        return exitcodes.NOT_RUNNING
    except UnsafeDirectory as exc:
        _unsafe_directory(command, exc, err, i18n.user_translator(env))
        return exitcodes.FAILURE
    except (OSError, ProtocolError) as exc:  # timeouts and resets are OSErrors too
        _no_usable_answer(command, exc, err, i18n.user_translator(env))
        return exitcodes.FAILURE
    if not reply.ok:
        print(f"breakd {command}: {_refusal(reply, env)}", file=err)
        return exitcodes.FAILURE
    print_result(reply.result, options, out)
    return exitcodes.OK


def _refusal(reply: protocol.Reply, env: Mapping[str, str]) -> str:
    """Why the daemon refused, in the user's words: a reload's config problems, the file, key
    and value as written (as ``breakd check-config`` says them), or the phrase it sent
    (``said``: an unknown command, a failure inside breakd); anything else, or what this
    client cannot read (an older or newer daemon), as the daemon wrote it in English."""
    error = reply.error or ""
    if not reply.problems and reply.said is None:
        return error
    tr = i18n.user_translator(env)
    try:
        if reply.problems:
            from breakd.config.load import Problem  # only a refused reload needs these words

            problems = [Problem.from_wire(wire).say(tr) for wire in reply.problems]
            return "\n".join([tr.gettext(answers.NOT_RELOADED), *problems])
        return from_wire(reply.said).say(tr)
    # A phrase from a newer or broken daemon that cannot be said (str.format's errors).
    except (ValueError, LookupError, AttributeError, TypeError, RecursionError):
        return error


def _unsafe_directory(command: str, exc: UnsafeDirectory, err: TextIO, tr: Translator) -> None:
    print(f"breakd {command}: {Phrase.of(exc).say(tr)}", file=err)


# --- status --follow -----------------------------------------------------------------------

# Reconnecting after the daemon went away is the one timer in the client: nothing can tell
# a process that a Unix socket has appeared, short of inotify on the runtime directory. The
# backoff keeps a bar with no daemon to one connect() every 30 s; a live daemon pushes.
RETRY_FIRST = 2.0
RETRY_MAX = 30.0


class _OutputClosed(Exception):
    """Whoever reads our stdout (the status bar) is gone: time to exit quietly."""


def follow_status(
    options: Options,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
    timeout: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """``breakd status --follow``: print each status the daemon pushes, one line (or block)
    each; keep waiting, and retrying, while it is not running. Returns only when stdout is
    closed (0), on Ctrl-C (130) or when the daemon refuses to be followed (1)."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    fmt = options.status_format
    try:
        path = socket_path(env)
    except UnsafeDirectory as exc:
        _unsafe_directory("status", exc, err, i18n.user_translator(env))
        return exitcodes.FAILURE
    try:
        _follow(path, fmt, out, err, timeout, sleep)
    except _OutputClosed:
        _silence(out)
        return exitcodes.OK
    except client.Refused as exc:
        print(f"breakd status --follow: {_refusal(exc.reply, env)}", file=err)
        return exitcodes.FAILURE
    except KeyboardInterrupt:
        return 130


def _follow(
    path: Path,
    fmt: str,
    out: TextIO,
    err: TextIO,
    timeout: float,
    sleep: Callable[[float], None],
) -> NoReturn:
    delays = _backoff()
    down_shown = False
    tr = _status_translator(fmt)
    while True:
        got_any = False
        problem: Phrase | None = None
        started = time.monotonic()
        try:
            for result in client.subscribe(path, timeout=timeout, watch_fd=_fileno(out)):
                _emit(formats.render(fmt, result, tr=tr), fmt, out)
                got_any, down_shown = True, False
        except client.Hangup:
            raise _OutputClosed from None
        except client.NotRunning:
            pass
        except (OSError, ProtocolError) as exc:  # a daemon dying or misbehaving: retry
            problem = Phrase.of(exc)
        if got_any and time.monotonic() - started >= RETRY_FIRST:
            # It was up a moment ago: try again at once (a restart?). A daemon that hangs up
            # sooner than that is flapping and gets the backoff like a missing one.
            delays = _backoff()
            continue
        if not got_any and not down_shown:
            _show_down(fmt, out, err, problem)
            down_shown = True
        sleep(next(delays))


def _backoff() -> Iterator[float]:
    delay = RETRY_FIRST
    while True:
        yield delay
        delay = min(delay * 2, RETRY_MAX)


def _emit(text: str, fmt: str, out: TextIO) -> None:
    if fmt == "text":
        text += "\n"  # a blank line between the blocks of a followed human status
    try:
        print(text, file=out, flush=True)
    except BrokenPipeError:
        raise _OutputClosed from None


def _show_down(fmt: str, out: TextIO, err: TextIO, problem: Phrase | None) -> None:
    if problem is not None:
        _no_usable_answer("status", problem, err, i18n.user_translator())
    line = formats.render_stopped(fmt)
    if line is None:
        waiting = i18n.user_translator().gettext(
            N_("breakd is not running; waiting for it to start")
        )
        print(waiting, file=err, flush=True)
    else:
        _emit(line, fmt, out)


def _no_usable_answer(
    command: str, problem: Exception | Phrase, err: TextIO, tr: Translator
) -> None:
    """What went wrong talking to the daemon: breakd's own words in the user's language,
    the system's (a reset connection) as it says them."""
    said = problem if isinstance(problem, Phrase) else Phrase.of(problem)
    words = tr.gettext("breakd {command}: no usable answer from the daemon: {error}")
    print(words.format(command=command, error=said.say(tr)), file=err)


def _print_stopped(fmt: str, out: TextIO) -> None:
    """A status bar gets a "not running" line on stdout, not only the message on stderr."""
    line = formats.render_stopped(fmt)
    if line is not None:
        print(line, file=out)


def _fileno(out: TextIO) -> int | None:
    try:
        return out.fileno()
    except (AttributeError, OSError, ValueError):  # StringIO and friends
        return None


def _silence(out: TextIO) -> None:
    """After the reader went away, point stdout at /dev/null so the interpreter's final
    flush does not print a BrokenPipeError traceback (the recipe in Python's signal docs)."""
    fd = _fileno(out)
    if fd is None:
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


# --- arguments ----------------------------------------------------------------------------


def _start_hint(env: Mapping[str, str], tr: Translator) -> str:
    """What starts breakd here: systemctl only where a user manager runs and the unit is
    installed (asked only now that breakd is found not running; it runs systemctl)."""
    from breakd.service.install import inspect_manager, start_hint

    return start_hint(inspect_manager(env), tr)


def _no_args(options: Options) -> dict[str, Any]:
    return {}


def _pause_args(options: Options) -> dict[str, Any]:
    if options.duration is None:
        return {}
    if "-".join(options.duration.lower().split()) in (UNTIL_TOMORROW, "tomorrow"):
        return {"tomorrow": True}
    until_tomorrow = phrase(N_('or "{word}" to pause until tomorrow'), word=UNTIL_TOMORROW)
    return {"seconds": _duration(options.duration, also=until_tomorrow)}


def _snooze_args(options: Options) -> dict[str, Any]:
    if options.duration is None:
        return {}
    return {"seconds": _duration(options.duration)}


def _duration(text: str, also: Phrase | None = None) -> float:
    from breakd.config.durations import parse_duration_text

    try:
        return parse_duration_text(text)
    except ValueError as exc:
        problem = Phrase.of(exc)
        raise UsageError(repr(text), problem if also is None else clauses(problem, also)) from None


# --- printing -----------------------------------------------------------------------------


def _status_translator(fmt: str) -> Translator:
    """People read the text format in their language; bars and scripts get English."""
    return i18n.user_translator() if fmt == "text" else ENGLISH


def _print_status(result: Any, options: Options, out: TextIO) -> None:
    tr = _status_translator(options.status_format)
    print(formats.render(options.status_format, result, tr=tr), file=out)


def _confirm(default: str | Callable[[Options, Translator], str]) -> Printer:
    """Print what the daemon says the command did, in the user's words: its answer, else (an
    older daemon) its English message, else (older still) ``default`` in the user's words."""

    def print_confirmation(result: Any, options: Options, out: TextIO) -> None:
        said = result if isinstance(result, dict) else {}
        answer = answers.Answer.from_wire(said.get("answer"))
        message = said.get("message")
        if answer is not None:
            message = answers.words(answer, i18n.user_translator())
        elif not isinstance(message, str):
            tr = i18n.user_translator()
            message = tr.gettext(default) if isinstance(default, str) else default(options, tr)
        print(message, file=out)

    return print_confirmation


def _pause_message(options: Options, tr: Translator) -> str:
    if options.duration is None:
        return tr.gettext("paused until you run `breakd resume`")
    if options.duration == UNTIL_TOMORROW:
        return tr.gettext("paused until tomorrow")
    return tr.gettext("paused for {duration}").format(duration=options.duration)


def _snooze_message(options: Options, tr: Translator) -> str:
    if options.duration is None:
        return tr.gettext("snoozed")
    return tr.gettext("snoozed for {duration}").format(duration=options.duration)


_COMMANDS: Mapping[str, tuple[ArgsBuilder, Printer]] = {
    "status": (_no_args, _print_status),
    "pause": (_pause_args, _confirm(_pause_message)),
    "resume": (_no_args, _confirm(N_("resumed"))),
    "snooze": (_snooze_args, _confirm(_snooze_message)),
    "skip": (_no_args, _confirm(N_("skipped the current reminder"))),
    "break-now": (_no_args, _confirm(N_("break started: step away from the screen"))),
    "reload": (_no_args, _confirm(N_("configuration reloaded"))),
}
CONTROL_COMMANDS = tuple(_COMMANDS)
assert set(CONTROL_COMMANDS) == set(protocol.CLI_COMMANDS), "a control command the client lacks"
