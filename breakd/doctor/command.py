"""``breakd doctor``: run the checks in order, print one line each, and pick the exit code.

Text output prints each result as soon as it is known (the input check waits for the user,
so the lines before it should already be on screen); ``--json`` prints one object at the
end, and then the input prompt goes to stderr so stdout stays parseable. Marks are ✓ / ! / ✗
on a UTF-8 stdout and ``ok`` / ``warn`` / ``FAIL`` elsewhere, where anything that does not
encode is replaced rather than crashing the report.

Exit status: 0 when no check failed (warnings and skips allowed), 1 when any did.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, TextIO

from breakd import __version__, exitcodes
from breakd.core.words import N_
from breakd.doctor import INPUT_TIMEOUT

# The checks (and the config loader they import) load only when doctor runs: every other
# command builds this parser too, and must stay fast.
if TYPE_CHECKING:
    from breakd.adapters.presence.choose import Choice
    from breakd.doctor.checks import CheckResult, InputProbe, SessionReport, Status

STATUSES: tuple[Status, ...] = ("ok", "warn", "fail", "skip")  # as breakd.doctor.checks

UNICODE_MARKS: Mapping[Status, str] = {"ok": "✓", "warn": "!", "fail": "✗", "skip": "-"}
ASCII_MARKS: Mapping[Status, str] = {"ok": "ok", "warn": "warn", "fail": "FAIL", "skip": "skip"}
_NAME_WIDTH = 13  # the longest check name ("notifications") lines the details up


@dataclass(frozen=True)
class Options:
    json: bool = False
    input_check: bool = True
    timeout: float = INPUT_TIMEOUT
    notify: bool = True
    config: str | None = None


def add_doctor_parser(subparsers: argparse._SubParsersAction) -> None:
    doctor = subparsers.add_parser(
        "doctor",
        help=N_(
            "check that breakd can work here (session, input, notifications, config, "
            "service, daemon, statistics, calls) and say how to fix what does not"
        ),
    )
    doctor.add_argument("--json", action="store_true", help=N_("print the results as JSON"))
    doctor.add_argument(
        "--no-input-check",
        dest="input_check",
        action="store_false",
        help=N_("do not ask for a mouse move or key press to test the input source"),
    )
    doctor.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=INPUT_TIMEOUT,
        metavar="SECONDS",
        help=N_("how long to wait for input in the input check (default %(default)g)"),
    )
    doctor.add_argument(
        "--no-notify",
        dest="notify",
        action="store_false",
        help=N_("do not send a test notification"),
    )
    doctor.add_argument(
        "--config", metavar="PATH", help=N_("check this config file instead of the user's")
    )


# Said by the parser in the user's words (breakd.arguments looks them up).
NOT_SECONDS = N_("not a number of seconds")
OUT_OF_RANGE = N_("give between 0 and 600 seconds")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(NOT_SECONDS) from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(OUT_OF_RANGE)
    return value


def doctor_command(args: argparse.Namespace) -> int:
    options = Options(
        json=args.json,
        input_check=args.input_check,
        timeout=args.timeout,
        notify=args.notify,
        config=args.config,
    )
    return run_doctor(
        options,
        env=os.environ,
        out=sys.stdout,
        err=sys.stderr,
        interactive=_is_terminal(sys.stdin),
    )


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # a closed stdin
        return False


def run_doctor(
    options: Options,
    *,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    interactive: bool,
    probe: InputProbe | None = None,
) -> int:
    """Run every check, print as we go (text) or at the end (JSON); return the exit code.

    ``probe`` watches the process's own display (pynput reads ``os.environ``), so callers
    passing another ``env`` should pass a probe to match.
    """
    unicode = uses_utf8(out)
    marks = UNICODE_MARKS if unicode else ASCII_MARKS
    results: list[CheckResult] = []
    prompt_to = err if options.json else out
    for result in _run_checks(options, env, interactive, probe, _sayer(prompt_to, unicode)):
        results.append(result)
        if not options.json:
            _write(out, format_result(result, marks) + "\n", unicode)
    if options.json:
        out.write(json.dumps(to_json(results), indent=2, ensure_ascii=not unicode) + "\n")
    else:
        _write(out, summary(results) + "\n", unicode)
    out.flush()
    return exitcodes.FAILURE if any(r.status == "fail" for r in results) else exitcodes.OK


def _run_checks(
    options: Options,
    env: Mapping[str, str],
    interactive: bool,
    probe: InputProbe | None,
    say: Callable[[str], None],
) -> Iterator[CheckResult]:
    from breakd.doctor.checks import (
        check_config,
        check_database,
        check_notifications,
        check_service,
        check_session,
        describe_session,
        socket_check_for,
        systemctl_runner,
    )
    from breakd.store.sqlite import default_db_path

    session = describe_session(env, _choose_source(options, env))
    yield check_session(session)
    yield _input_check(options, session, interactive, probe, say)
    yield check_notifications(env.get("DBUS_SESSION_BUS_ADDRESS"), send_test=options.notify)
    yield check_config(options.config, env)
    yield check_service(env, systemctl_runner(env))
    yield socket_check_for(env)
    yield check_database(default_db_path(env), env)
    from breakd.doctor.tray_check import check_tray

    yield check_tray(env.get("DBUS_SESSION_BUS_ADDRESS"), env, options.config)
    yield _calls_check(options, env)


def _calls_check(options: Options, env: Mapping[str, str]) -> CheckResult:
    from breakd.config.load import ConfigError, load_config
    from breakd.config.model import CallsConfig
    from breakd.doctor.calls import check_calls

    try:
        calls = load_config(options.config, env=env).calls
    except (ConfigError, OSError):  # the config check says what is wrong with it
        calls = CallsConfig()
    return check_calls(env, calls)


def _choose_source(options: Options, env: Mapping[str, str]) -> Choice:
    """What ``breakd run`` would watch, by the same chooser and the config's setting."""
    from breakd.adapters.presence.choose import choose_source, session_probes
    from breakd.config.load import ConfigError, load_config

    try:
        setting = load_config(options.config, env=env).activity.source
    except (ConfigError, OSError):  # the config check says what is wrong with it
        setting = "auto"
    return choose_source(env, setting, session_probes(env))


def _input_check(
    options: Options,
    session: SessionReport,
    interactive: bool,
    probe: InputProbe | None,
    say: Callable[[str], None],
) -> CheckResult:
    from breakd.doctor.checks import check_input, presence_probe, pynput_probe, skipped_input

    if probe is None and session.source is not None:
        probe = pynput_probe if session.source == "pynput" else presence_probe(session.source)
    probe = probe or pynput_probe

    if session.source is None:  # nothing to test: check_input says so without waiting
        return check_input(session, probe, timeout=options.timeout, say=say)
    if not options.input_check:
        return skipped_input("--no-input-check")
    if not interactive:
        # Nobody may be there to move the mouse (a script, a pipe): do not wait for nothing.
        return skipped_input("stdin is not a terminal; run `breakd doctor` in one to test it")
    return check_input(session, probe, timeout=options.timeout, say=say)


# --- output ------------------------------------------------------------------------------------


def uses_utf8(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def format_result(result: CheckResult, marks: Mapping[Status, str]) -> str:
    """``<mark> <name> <detail>``, continuation lines and ``fix:`` indented under the detail."""
    width = max(len(mark) for mark in marks.values())
    first, *rest = result.detail.splitlines() or [""]
    lines = [f"{marks[result.status]:<{width}} {result.name:<{_NAME_WIDTH}} {first}"]
    indent = " " * (width + 1 + _NAME_WIDTH + 1)
    lines.extend(f"{indent}{line}" for line in rest)
    if result.fix:
        lines.append(f"{' ' * (width + 1)}  fix: {result.fix}")
    return "\n".join(lines)


def counts(results: Sequence[CheckResult]) -> dict[str, int]:
    return {status: sum(r.status == status for r in results) for status in STATUSES}


def summary(results: Sequence[CheckResult]) -> str:
    n = counts(results)
    tally = f"{n['ok']} ok, {n['warn']} warning{'s' if n['warn'] != 1 else ''}, "
    tally += f"{n['fail']} failed, {n['skip']} skipped"
    if n["fail"]:
        return f"{tally}: breakd will not work right until the failed checks are fixed."
    if n["warn"]:
        return f"{tally}: breakd should work; the warnings say what could be better."
    return f"{tally}: all is well."


def to_json(results: Sequence[CheckResult]) -> dict[str, object]:
    return {
        "version": __version__,
        "ok": not any(r.status == "fail" for r in results),
        "summary": counts(results),
        "checks": [asdict(r) for r in results],
    }


def _sayer(stream: TextIO, unicode: bool) -> Callable[[str], None]:
    def say(text: str) -> None:
        _write(stream, text + "\n", unicode)
        stream.flush()  # the user must see the prompt while we wait

    return say


def _write(stream: TextIO, text: str, unicode: bool) -> None:
    if not unicode:
        text = text.replace("…", "...")
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            # Replace what the terminal cannot show instead of dying mid-report.
            text = text.encode(encoding, "replace").decode(encoding)
        except LookupError:
            text = text.encode("ascii", "replace").decode("ascii")
    stream.write(text)
