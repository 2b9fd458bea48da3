"""The ``breakd`` command line: parses arguments and hands each command to its module.

Imports are lazy per command so that ``breakd status`` stays fast and ``breakd check-config``
works on a machine with no display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from breakd import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breakd",
        description="An ergonomic break reminder: watches keyboard and mouse activity and "
        "reminds you to stand up, rest your hands, drink and check your posture.",
    )
    parser.add_argument("--version", action="version", version=f"breakd {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run the daemon in the foreground")
    run.add_argument("--config", metavar="PATH", help="read this config file instead of the user's")
    run.add_argument("-v", "--verbose", action="store_true", help="log more detail")

    check = sub.add_parser(
        "check-config", help="validate a config file and print the effective config"
    )
    check.add_argument("path", nargs="?", help="config file (default: the user's config file)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "check-config":
        from breakd.config.load import check_config_command

        return check_config_command(args.path, out=sys.stdout, err=sys.stderr)
    if args.command == "run":
        from breakd.daemon import run_command

        return run_command(config_path=args.config, verbose=args.verbose)
    parser.print_help()
    return 2
