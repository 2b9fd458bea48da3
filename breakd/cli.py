"""The ``breakd`` command line: parses arguments and hands each command to its module.

Imports are lazy per command so that ``breakd status`` stays fast and ``breakd check-config``
works on a machine with no display.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from typing import Protocol

from breakd import ABOUT, __version__, exitcodes
from breakd.arguments import ArgumentParser
from breakd.control.protocol import CLI_COMMANDS  # the control commands, defined once
from breakd.core.words import N_, Translator

_STATUS_FORMATS = ("text", "json", "waybar", "plain")  # breakd.control.formats.FORMATS
# What a shell reports for a program stopped by SIGPIPE (128 + 13), as `cat` would.
CLOSED_PIPE = 141


def build_parser(tr: Translator | None = None) -> argparse.ArgumentParser:
    """breakd's parser; its help and errors speak through ``tr`` (default: the user's
    language, breakd.arguments)."""
    parser = ArgumentParser(
        prog="breakd",
        description=ABOUT,
        tr=tr,
    )
    parser.add_argument("--version", action="version", version=f"breakd {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help=N_("run the daemon in the foreground"))
    run.add_argument(
        "--config", metavar="PATH", help=N_("read this config file instead of the user's")
    )
    run.add_argument("-v", "--verbose", action="store_true", help=N_("log more detail"))

    check = sub.add_parser(
        "check-config", help=N_("validate a config file and print the effective config")
    )
    check.add_argument("path", nargs="?", help=N_("config file (default: the user's config file)"))

    _add_control_parsers(sub)
    _add_service_parsers(sub)
    from breakd.stats.commands import add_stats_parsers

    add_stats_parsers(sub)
    from breakd.doctor.command import add_doctor_parser

    add_doctor_parser(sub)
    from breakd.content_commands import add_content_parsers

    add_content_parsers(sub)
    from breakd.guide.page import add_guide_parser

    add_guide_parser(sub)
    return parser


def _add_control_parsers(sub: argparse._SubParsersAction) -> None:
    parsers = {name: sub.add_parser(name, help=text) for name, text in CLI_COMMANDS.items()}
    status = parsers["status"]
    status.add_argument(
        "--format",
        choices=_STATUS_FORMATS,
        default="text",
        help=N_(
            "text for people (default), json (the raw status), waybar (a Waybar custom "
            "module's JSON) or plain (one short line, for polybar and i3blocks)"
        ),
    )
    status.add_argument(
        "--json",
        action="store_const",
        const="json",
        dest="format",
        help=N_("same as --format json"),
    )
    status.add_argument(
        "--follow",
        action="store_true",
        help=N_("keep running and print a new status each time it changes (for status bars)"),
    )
    parsers["pause"].add_argument(
        "duration",
        nargs="*",  # so that `breakd pause until tomorrow` reads as it is said
        metavar="DURATION",
        help=N_('how long, e.g. "30m", "1h", or "until-tomorrow" (default: until resumed)'),
    )
    parsers["snooze"].add_argument(
        "duration",
        nargs="?",
        metavar="DURATION",
        help=N_('how long, e.g. "10m" (default: notify.snooze from the config)'),
    )


def _add_service_parsers(sub: argparse._SubParsersAction) -> None:
    install = sub.add_parser(
        "install",
        help=N_("start breakd with your desktop session (systemd user unit or autostart)"),
    )
    install.add_argument(
        "--dry-run", action="store_true", help=N_("print what would be done and change nothing")
    )
    uninstall = sub.add_parser(
        "uninstall",
        help=N_("stop breakd and remove what the install put there (keeps config and data)"),
    )
    uninstall.add_argument(
        "--dry-run", action="store_true", help=N_("print what would be done and change nothing")
    )
    uninstall.add_argument(
        "--purge", action="store_true", help=N_("also remove your config and statistics")
    )


def _without_openssl() -> None:
    """The daemon opens no network connection, yet APScheduler imports asyncio (for
    ``iscoroutinefunction``) and asyncio imports ssl, which maps OpenSSL: ~4 MB of the
    daemon's resident memory for nothing. asyncio works without ssl, as on a Python built
    without it, so ``breakd run`` blocks that one import before anything else loads."""
    sys.modules.setdefault("ssl", None)  # type: ignore[arg-type]


def _one_malloc_arena() -> None:
    """glibc gives each thread that allocates its own malloc arena; breakd's dozen mostly
    sleeping threads then keep ~1.3 MB of partly used arenas resident. One arena is plenty
    for them (Python's small objects do not come from malloc anyway). Must run before the
    threads start; elsewhere than glibc, nothing to do."""
    if not sys.platform.startswith("linux"):
        return
    import contextlib
    import ctypes

    m_arena_max = -8  # glibc's M_ARENA_MAX
    # musl and others: no mallopt, and no per-thread arenas to limit either.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(m_arena_max, 1)


class _Main(Protocol):
    def __call__(self, argv: Sequence[str] | None = None) -> int: ...


def _quiet_on_closed_pipe(main: _Main) -> _Main:
    """``breakd status | head -1``: the reader closing the pipe early is normal, not a crash.

    The flush is done here, inside the ``try``, because otherwise the interpreter's own final
    flush would print "Exception ignored ... BrokenPipeError" after we returned."""

    @functools.wraps(main)
    def quiet_main(argv: Sequence[str] | None = None) -> int:
        try:
            code = main(argv)
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            from breakd.control.commands import _silence

            _silence(sys.stdout)  # the interpreter's last flush then goes to /dev/null
            return CLOSED_PIPE

    return quiet_main


def _negative_duration(argv: Sequence[str]) -> str | None:
    """The error for ``breakd pause -5m``, which argparse would take for an unknown option
    and answer with the whole usage text."""
    if len(argv) < 2 or argv[0] not in ("pause", "snooze"):
        return None
    word = argv[1]
    if not (word.startswith("-") and word[1:2].isdigit()):
        return None
    from breakd import i18n
    from breakd.config.durations import parse_duration_text
    from breakd.core.words import Phrase

    try:
        parse_duration_text(word)
    except ValueError as exc:
        tr = i18n.user_translator()
        # TRANSLATORS: a bad argument of a command: "breakd pause: '-5m': a duration cannot..."
        text = tr.gettext("breakd {command}: {value}: {problem}")
        return text.format(command=argv[0], value=repr(word), problem=Phrase.of(exc).say(tr))
    return None


@_quiet_on_closed_pipe
def main(argv: Sequence[str] | None = None) -> int:
    refused = _negative_duration(sys.argv[1:] if argv is None else list(argv))
    if refused is not None:
        print(refused, file=sys.stderr)
        return exitcodes.USAGE
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "check-config":
        from breakd.config.check import check_config_command

        return check_config_command(args.path, out=sys.stdout, err=sys.stderr)
    if args.command == "run":
        _without_openssl()
        _one_malloc_arena()
        from breakd.daemon import run_command

        return run_command(config_path=args.config, verbose=args.verbose)
    if args.command in CLI_COMMANDS:
        from breakd.control.commands import Options, control_command

        duration = getattr(args, "duration", None)
        if isinstance(duration, list):  # pause takes words
            duration = " ".join(duration) or None
        options = Options(
            duration=duration,
            format=getattr(args, "format", "text"),
            follow=getattr(args, "follow", False),
        )
        return control_command(args.command, options)
    if args.command in ("install", "uninstall"):
        from breakd.service.install import install_command, uninstall_command

        if args.command == "uninstall":
            return uninstall_command(dry_run=args.dry_run, purge=args.purge)
        return install_command(dry_run=args.dry_run)
    if args.command == "doctor":
        from breakd.doctor.command import doctor_command

        return doctor_command(args)
    if args.command in ("stats", "report", "checkin"):
        from breakd.stats import commands as stats

        handlers = {
            "stats": stats.stats_command,
            "report": stats.report_command,
            "checkin": stats.checkin_command,
        }
        return handlers[args.command](args)
    if args.command in ("warning-signs", "movements"):
        from breakd import content_commands

        if args.command == "warning-signs":
            return content_commands.warning_signs_command(args)
        return content_commands.movements_command(args)
    if args.command == "guide":
        from breakd.guide.page import guide_command

        return guide_command(args)
    parser.print_help()
    return 2
