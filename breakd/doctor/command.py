"""``breakd doctor``: run the checks in order, print one line each, and pick the exit code.

Text output prints each result as soon as it is known (the input check waits for the user,
so the lines before it should already be on screen); ``--json`` prints one object at the
end, and then the input prompt goes to stderr so stdout stays parseable. Marks are ✓ / ! / ✗
on a UTF-8 stdout and ``ok`` / ``warn`` / ``FAIL`` elsewhere, where anything that does not
encode is replaced rather than crashing the report.

The text is in the user's language (``[notify] language`` of the config checked, else the
environment's); ``--json`` stays English, names and words alike, for scripts.

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
from breakd.core.words import ENGLISH, N_, Translator
from breakd.doctor import INPUT_TIMEOUT

# The checks (and the config loader they import) load only when doctor runs: every other
# command builds this parser too, and must stay fast.
if TYPE_CHECKING:
    from breakd.adapters.presence.choose import Choice
    from breakd.doctor.checks import CheckResult, InputProbe, SessionReport, Status

STATUSES: tuple[Status, ...] = ("ok", "warn", "fail", "skip")  # as breakd.doctor.checks

UNICODE_MARKS: Mapping[Status, str] = {"ok": "✓", "warn": "!", "fail": "✗", "skip": "-"}
ASCII_MARKS: Mapping[Status, str] = {"ok": "ok", "warn": "warn", "fail": "FAIL", "skip": "skip"}
# The checks' names as the text report shows them (``--json`` keeps the English keys).
CHECK_NAMES: Mapping[str, str] = {
    # TRANSLATORS: the names of breakd doctor's checks, a column of short words.
    "session": N_("session"),
    "input": N_("input"),
    "notifications": N_("notifications"),
    "config": N_("config"),
    "service": N_("service"),
    "socket": N_("socket"),
    "database": N_("database"),
    "tray": N_("tray"),
    "calls": N_("calls"),
}


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
    tr: Translator | None = None,
) -> int:
    """Run every check, print as we go (text) or at the end (JSON); return the exit code.

    ``probe`` watches the process's own display (pynput reads ``os.environ``), so callers
    passing another ``env`` should pass a probe to match. ``tr``: the words of the text
    report (default: the user's language; ``--json`` is always English).
    """
    if options.json:
        tr = ENGLISH
    elif tr is None:
        from breakd.i18n import user_translator

        tr = user_translator(env, options.config)
    unicode = uses_utf8(out)
    marks = UNICODE_MARKS if unicode else ASCII_MARKS
    results: list[CheckResult] = []
    prompt_to = err if options.json else out
    say = _sayer(prompt_to, unicode)
    for result in _run_checks(options, env, interactive, probe, say, tr):
        results.append(result)
        if not options.json:
            _write(out, format_result(result, marks, tr) + "\n", unicode)
    if options.json:
        out.write(json.dumps(to_json(results), indent=2, ensure_ascii=not unicode) + "\n")
    else:
        _write(out, summary(results, tr) + "\n", unicode)
    out.flush()
    return exitcodes.FAILURE if any(r.status == "fail" for r in results) else exitcodes.OK


def _run_checks(
    options: Options,
    env: Mapping[str, str],
    interactive: bool,
    probe: InputProbe | None,
    say: Callable[[str], None],
    tr: Translator,
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
    bus = env.get("DBUS_SESSION_BUS_ADDRESS")
    yield check_session(session, tr)
    yield _input_check(options, session, interactive, probe, say, tr)
    yield check_notifications(bus, send_test=options.notify, tr=tr)
    yield check_config(options.config, env, tr)
    yield check_service(env, systemctl_runner(env), tr)
    yield socket_check_for(env, tr=tr)
    yield check_database(default_db_path(env), env, tr)
    from breakd.doctor.tray_check import check_tray

    yield check_tray(bus, env, options.config, tr)
    yield _calls_check(options, env, tr)


def _calls_check(options: Options, env: Mapping[str, str], tr: Translator) -> CheckResult:
    from breakd.config.load import ConfigError, load_config
    from breakd.config.model import CallsConfig
    from breakd.doctor.calls import check_calls

    try:
        calls = load_config(options.config, env=env).calls
    except (ConfigError, OSError):  # the config check says what is wrong with it
        calls = CallsConfig()
    return check_calls(env, calls, tr=tr)


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
    tr: Translator,
) -> CheckResult:
    from breakd.doctor.checks import (
        NO_TERMINAL,
        NOT_ASKED,
        check_input,
        presence_probe,
        pynput_probe,
        skipped_input,
    )

    if probe is None and session.source is not None:
        probe = pynput_probe if session.source == "pynput" else presence_probe(session.source)
    probe = probe or pynput_probe

    if session.source is None:  # nothing to test: check_input says so without waiting
        return check_input(session, probe, timeout=options.timeout, say=say, tr=tr)
    if not options.input_check:
        return skipped_input(NOT_ASKED, tr)
    if not interactive:
        # Nobody may be there to move the mouse (a script, a pipe): do not wait for nothing.
        return skipped_input(NO_TERMINAL, tr)
    return check_input(session, probe, timeout=options.timeout, say=say, tr=tr)


# --- output ------------------------------------------------------------------------------------


def uses_utf8(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def format_result(
    result: CheckResult, marks: Mapping[Status, str], tr: Translator = ENGLISH
) -> str:
    """``<mark> <name> <detail>``, continuation lines and ``fix:`` indented under the detail."""
    from breakd.core.content import display_width  # columns: a Japanese name takes two each

    width = max(len(mark) for mark in marks.values())
    names = {key: tr.gettext(name) for key, name in CHECK_NAMES.items()}
    name_width = max(display_width(name) for name in names.values())
    name = names.get(result.name, result.name)
    name += " " * (name_width - display_width(name))
    first, *rest = result.detail.splitlines() or [""]
    lines = [f"{marks[result.status]:<{width}} {name} {first}"]
    indent = " " * (width + 1 + name_width + 1)
    lines.extend(f"{indent}{line}" for line in rest)
    if result.fix:
        fix = tr.gettext("fix: {fix}").format(fix=result.fix)
        lines.append(f"{' ' * (width + 1)}  {fix}")
    return "\n".join(lines)


def counts(results: Sequence[CheckResult]) -> dict[str, int]:
    return {status: sum(r.status == status for r in results) for status in STATUSES}


def summary(results: Sequence[CheckResult], tr: Translator = ENGLISH) -> str:
    n = counts(results)
    tally = tr.ngettext(
        "{ok} ok, {warn} warning, {fail} failed, {skip} skipped",
        "{ok} ok, {warn} warnings, {fail} failed, {skip} skipped",
        n["warn"],
    ).format(**n)
    if n["fail"]:
        verdict = N_("{tally}: breakd will not work right until the failed checks are fixed.")
    elif n["warn"]:
        verdict = N_("{tally}: breakd should work; the warnings say what could be better.")
    else:
        verdict = N_("{tally}: all is well.")
    return tr.gettext(verdict).format(tally=tally)


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
