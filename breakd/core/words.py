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

import math
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


@dataclass(frozen=True)
class Phrase:
    """Words to be said later, in whichever language: an English source text (marked ``N_``
    where it is written) and the values of its ``{placeholders}``, which may be phrases too.
    For text made where the reader's language is not known yet (a config error, raised the
    same for the daemon's English log and for ``breakd check-config``'s reader); ``str()``
    is the English.

    ``joined`` phrases are clauses said one after the other ("not a duration; use e.g. ...")
    with the language's separator; ``translated=False`` is text quoted as it is (a file name,
    another program's message).
    """

    text: str = ""
    values: tuple[tuple[str, object], ...] = ()
    joined: tuple[Phrase, ...] = ()
    translated: bool = True
    plural: str = ""  # with ``count``: the English plural, looked up with ngettext
    count: int = 0

    def say(self, tr: Translator = ENGLISH) -> str:
        if self.joined:
            # TRANSLATORS: between two clauses of one message ("not a duration; use e.g. ...").
            return tr.pgettext("between clauses", "; ").join(p.say(tr) for p in self.joined)
        if not self.translated:
            text = self.text
        elif self.plural:
            text = tr.ngettext(self.text, self.plural, self.count)
        else:
            text = tr.gettext(self.text)
        if not self.values:
            return text
        return text.format(**{k: v.say(tr) if isinstance(v, Phrase) else v for k, v in self.values})

    def __str__(self) -> str:
        return self.say()

    @classmethod
    def of(cls, error: Exception) -> Phrase:
        """What an exception says: its phrase when raised with one, else its text as is."""
        found = error.args[0] if error.args else None
        return found if isinstance(found, Phrase) else verbatim(str(error))


def phrase(text: str, /, **values: object) -> Phrase:
    """A phrase; ``text`` is its English source, marked ``N_`` where it is written."""
    return Phrase(text, tuple(values.items()))


def phrases(singular: str, plural: str, count: int, /, **values: object) -> Phrase:
    """A phrase whose words follow a count (ngettext); both forms marked where written."""
    return Phrase(singular, tuple(values.items()), plural=plural, count=count)


def verbatim(text: str) -> Phrase:
    """Text said as it is, in every language."""
    return Phrase(text, translated=False)


def clauses(*parts: Phrase) -> Phrase:
    """Clauses said one after the other, with the language's separator ("; ")."""
    return Phrase(joined=tuple(parts))


# --- on the wire ----------------------------------------------------------------------------
# A phrase travels as JSON (a refused `breakd reload`: the daemon's config problems, said by
# the client in its user's language). Keys at their default are left out:
#   {"text": str, "values": {name: value}, "joined": [phrase...], "verbatim": true,
#    "plural": str, "count": int}
# A value is a JSON string, number, boolean or null, or an object: a phrase. Any other value
# travels as its text, and a number that JSON cannot carry (NaN, infinity) as well.

Wire = dict[str, object]


def to_wire(said: Phrase) -> Wire:
    """A phrase as a JSON-ready object (``from_wire`` reads it back)."""
    wire: Wire = {}
    if said.text:
        wire["text"] = said.text
    if said.values:
        wire["values"] = {name: _value_to_wire(value) for name, value in said.values}
    if said.joined:
        wire["joined"] = [to_wire(p) for p in said.joined]
    if not said.translated:
        wire["verbatim"] = True
    if said.plural:
        wire["plural"] = said.plural
    if said.count:
        wire["count"] = said.count
    return wire


def from_wire(wire: object) -> Phrase:
    """The phrase ``to_wire`` made; ValueError for anything else (a newer or broken sender)."""
    if not isinstance(wire, dict):
        raise ValueError("a phrase is an object")
    text, plural = wire.get("text", ""), wire.get("plural", "")
    values, joined = wire.get("values", {}), wire.get("joined", [])
    count, verbatim = wire.get("count", 0), wire.get("verbatim", False)
    if not (isinstance(text, str) and isinstance(plural, str)):
        raise ValueError("a phrase's text is a string")
    if not (isinstance(values, dict) and isinstance(joined, list)):
        raise ValueError("a phrase's values are an object, its clauses a list")
    if isinstance(count, bool) or not isinstance(count, int) or not isinstance(verbatim, bool):
        raise ValueError("a phrase's count is a whole number")
    return Phrase(
        text,
        tuple((str(name), _value_from_wire(value)) for name, value in values.items()),
        tuple(from_wire(p) for p in joined),
        translated=not verbatim,
        plural=plural,
        count=count,
    )


def _value_to_wire(value: object) -> object:
    if isinstance(value, Phrase):
        return to_wire(value)
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return str(value)


def _value_from_wire(value: object) -> object:
    if isinstance(value, dict):
        return from_wire(value)
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise ValueError("a phrase's value is a string, a number, true, false, null or a phrase")
