"""The command line's parser in the user's language: ``--help`` and argparse's errors.

argparse writes its own words ("usage:", "options", "invalid choice: ...") with the C
library's gettext domain, which breakd has no catalog for, and takes help texts as given. So
``ArgumentParser`` here hands argparse a help formatter that looks every heading, description
and help text up in breakd's catalog when it is shown, and ``error`` translates argparse's
English messages by their patterns (``ERRORS``, as Python 3.11's argparse.py spells them; a
message no pattern matches stays English). Help texts are marked ``N_`` where they are
written and looked up only when help is printed: parsing alone reads no catalog.

The translator is the user's (``breakd.i18n.user_translator``: the environment, then
``[notify] language`` of the config), found the first time a word is needed, so a command
that parses fine never reads the config for it.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from dataclasses import dataclass, field
from typing import Any, NoReturn, cast

from breakd import exitcodes
from breakd.core.words import N_, Translator

# argparse's own words, looked up in breakd's catalog (argparse spells them so in 3.11).
USAGE = N_("usage: ")
SECTIONS = (N_("positional arguments"), N_("options"))
HELP = N_("show this help message and exit")
VERSION = N_("show program's version number and exit")
ERROR = N_("{prog}: error: {message}")

# (argparse's English message, with its printf fields; the same in breakd's words)
ERRORS: tuple[tuple[str, str], ...] = (
    ("argument %(argument_name)s: %(message)s", N_("argument {argument_name}: {message}")),
    (
        "invalid choice: %(value)r (choose from %(choices)s)",
        N_("invalid choice: {value} (choose from {choices})"),
    ),
    ("unrecognized arguments: %s", N_("unrecognized arguments: {arguments}")),
    (
        "the following arguments are required: %s",
        N_("the following arguments are required: {arguments}"),
    ),
    ("expected one argument", N_("expected one argument")),
    ("expected at most one argument", N_("expected at most one argument")),
    ("expected at least one argument", N_("expected at least one argument")),
    ("invalid %(type)s value: %(value)r", N_("invalid {type} value: {value}")),
    ("not allowed with argument %s", N_("not allowed with argument {argument}")),
    ("ignored explicit argument %r", N_("ignored explicit argument {value}")),
    (
        "ambiguous option: %(option)s could match %(matches)s",
        N_("ambiguous option: {option} could match {matches}"),
    ),
)
# The names of argparse's positional %s / %r fields, in the order of ERRORS' placeholders.
_POSITIONAL_NAMES = ("arguments", "argument", "value")


def _pattern(english: str, translated: str) -> re.Pattern[str]:
    """A regex with one named group per field of argparse's message."""
    names = re.findall(r"\{(\w+)\}", translated)
    unnamed = iter(n for n in names if n in _POSITIONAL_NAMES)
    parts = re.split(r"(%\(\w+\)[sr]|%[sr])", english)
    regex = ""
    for part in parts:
        if match := re.fullmatch(r"%\((\w+)\)[sr]", part):
            regex += f"(?P<{match.group(1)}>.+?)"
        elif part in ("%s", "%r"):
            regex += f"(?P<{next(unnamed)}>.+?)"
        else:
            regex += re.escape(part)
    return re.compile(regex, re.DOTALL)


_PATTERNS = tuple((_pattern(english, ours), ours) for english, ours in ERRORS)


def translate_error(message: str, tr: Translator) -> str:
    """argparse's English ``message`` in the user's words; breakd's own messages (say, from a
    ``type=`` function, marked ``N_``) are looked up as they are; anything else stays."""
    for pattern, ours in _PATTERNS:
        if match := pattern.fullmatch(message):
            values = match.groupdict()
            if "message" in values:
                values["message"] = translate_error(values["message"], tr)
            return tr.gettext(ours).format(**values)
    return tr.gettext(message)


@dataclass
class UserTranslator:
    """The user's translator, read the first time a word is asked for."""

    _found: Translator | None = field(default=None, repr=False)

    def _translator(self) -> Translator:
        if self._found is None:
            from breakd.i18n import user_translator

            self._found = user_translator()
        return self._found

    def gettext(self, message: str, /) -> str:
        return self._translator().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return self._translator().ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str, /) -> str:
        return self._translator().pgettext(context, message)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, every word it shows looked up in breakd's catalog."""

    def __init__(self, prog: str, *, tr: Translator, **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self._tr = tr

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(
            usage, actions, groups, self._tr.gettext(USAGE) if prefix is None else prefix
        )

    def start_section(self, heading: str | None) -> None:
        super().start_section(self._words(heading))

    def add_text(self, text: str | None) -> None:
        super().add_text(self._words(text))

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return self._words(action.help)

    def _words(self, text: str | None) -> str | None:
        if not text or text == argparse.SUPPRESS:
            return text
        return self._tr.gettext(text)


class ArgumentParser(argparse.ArgumentParser):
    """An ``argparse.ArgumentParser`` that speaks through ``tr`` (default: the user's
    translator, found when first needed); its subcommands' parsers share it."""

    def __init__(self, *args: Any, tr: Translator | None = None, **kwargs: Any) -> None:
        self.tr: Translator = UserTranslator() if tr is None else tr
        kwargs.setdefault("formatter_class", functools.partial(HelpFormatter, tr=self.tr))
        super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction:
        # argparse only calls parser_class, so a partial carrying the translator will do.
        parser_class = functools.partial(type(self), tr=self.tr)
        kwargs.setdefault("parser_class", cast("type[ArgumentParser]", parser_class))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        words = self.tr.gettext(ERROR).format(
            prog=self.prog, message=translate_error(message, self.tr)
        )
        self.exit(exitcodes.USAGE, words + "\n")
