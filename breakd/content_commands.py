"""``breakd warning-signs`` and ``breakd movements``: what reminders say, on demand.

What this module owns: the two commands' parsers and their output. The texts and the catalog
are ``breakd.core.content``'s; this module only prints them, in the user's language (and reads
the user's config to mark the movements it leaves out).

Must not: need a running daemon or a display; both commands work anywhere.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING, TextIO

from breakd import exitcodes, i18n
from breakd.core import content
from breakd.core.words import N_

if TYPE_CHECKING:
    from breakd.config.model import Config


def add_content_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``warning-signs`` and ``movements`` subcommands to ``breakd``'s parser."""
    sub.add_parser(
        "warning-signs",
        help=N_("print the warning signs that mean: stop the movements and get help"),
    )
    movements = sub.add_parser(
        "movements",
        help=N_("list the movements and tips reminders suggest (keys for [content] exclude)"),
    )
    movements.add_argument(
        "--config", metavar="PATH", help=N_("mark the exclusions of this config file instead")
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
    config = _config(getattr(args, "config", None), err)
    # The language of the config it reads (a broken one: the user's, as other commands do).
    tr = i18n.user_translator() if config is None else i18n.translator(config.notify.language)
    exclude = () if config is None else config.content.exclude
    for line in content.catalog_table(exclude, tr):
        print(line, file=out)
    leave_out = tr.gettext(
        'Leave any out with [content] exclude = ["key", ...] in your config (x marks them).'
    )
    print("\n" + leave_out, file=out)
    for kind in content.fully_excluded(exclude):
        # TRANSLATORS: {name} is a reminder's name from the table, such as "water".
        text = tr.gettext("{name}: every suggestion is excluded, so this reminder offers them all.")
        print(text.format(name=tr.gettext(content.KIND_NAMES[kind])), file=out)
    return exitcodes.OK


def _config(path: str | None, err: TextIO) -> Config | None:
    """The config (for its exclusions and language); None (and a note on ``err``) if it has
    problems."""
    from breakd.config.load import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        tr = i18n.user_translator()
        text = tr.gettext("breakd: the config has problems (breakd check-config): {problems}")
        print(text.format(problems=exc.say(tr)), file=err)
        return None
