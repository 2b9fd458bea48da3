"""Words in the user's language: the translator the core composes text with.

The core never reads a catalog: whoever builds the engine passes a ``Translator`` (the
adapter ``breakd.i18n`` makes one from the compiled gettext catalogs), and every function
that makes text takes one as ``tr``, defaulting to ``ENGLISH``, which returns the English
source text. Text is looked up when it is made, never when a module is imported, so module
constants hold English source strings marked with ``N_`` for extraction.

Rules for translatable text (docs/translating.md): whole sentences, never fragments glued
together; counts through ``ngettext``; a short string whose words alone do not say what it
is (a separator, a pattern) through ``pgettext`` with a context; values through named
``{placeholders}`` filled in after the lookup with ``str.format``. Durations, times, dates
and numbers are written by ``breakd.core.units``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Translator(Protocol):
    """The part of ``gettext.NullTranslations`` the core uses."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...

    def pgettext(self, context: str, message: str, /) -> str: ...


@dataclass(frozen=True)
class English:
    """The source text as is, with English plural rules."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str, /) -> str:
        return message


ENGLISH: Translator = English()


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown."""
    return message
