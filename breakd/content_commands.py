"""``breakd warning-signs`` and ``breakd movements``: what reminders say, on demand.

What this module owns: the two commands' parsers and their output. The texts and the catalog
are ``breakd.core.content``'s; this module only prints them (and reads the user's config to
mark the movements it leaves out).

Must not: need a running daemon or a display; both commands work anywhere.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TextIO

from breakd import exitcodes, i18n
from breakd.core import content


def add_content_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``warning-signs`` and ``movements`` subcommands to ``breakd``'s parser."""
    sub.add_parser(
        "warning-signs",
        help="print the warning signs that mean: stop the movements and get help",
    )
    movements = sub.add_parser(
        "movements",
        help="list the movements and tips reminders suggest (keys for [content] exclude)",
    )
    movements.add_argument(
        "--config", metavar="PATH", help="mark the exclusions of this config file instead"
    )


TERMINAL_WIDTH = 79


def warning_signs_command(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    text = content.warning_signs_text(tr=i18n.user_translator())
    for line in text.splitlines():
        # List items wrap under their text, not under the dash.
        indent = "  " if line.startswith("- ") else ""
        if any(content.display_width(c) > 1 for c in line):  # Japanese: break anywhere
            wrapped = content.wrap(line, TERMINAL_WIDTH - len(indent))
            wrapped = [wrapped[0], *(indent + rest for rest in wrapped[1:])]
        else:
            wrapped = textwrap.wrap(line, TERMINAL_WIDTH, subsequent_indent=indent) or [""]
        print("\n".join(wrapped), file=out or sys.stdout)
    return exitcodes.OK


def movements_command(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    exclude = _excluded(getattr(args, "config", None), err)
    for line in content.catalog_table(exclude):
        print(line, file=out)
    print(
        '\nLeave any out with [content] exclude = ["key", ...] in your config (x marks them).',
        file=out,
    )
    for kind in content.fully_excluded(exclude):
        name = content.KIND_NAMES[kind]
        print(
            f"Every {name} suggestion is excluded, so {name} reminders offer them all.",
            file=out,
        )
    return exitcodes.OK


def _excluded(path: str | None, err: TextIO) -> tuple[str, ...]:
    """The config's exclusions; none (and a note on ``err``) if the config has problems."""
    from breakd.config.load import ConfigError, load_config

    try:
        return load_config(path).content.exclude
    except ConfigError as exc:
        print(f"breakd: the config has problems (breakd check-config): {exc}", file=err)
        return ()
