"""Phrases on the wire: what the daemon sends is the phrase the client says (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breakd import i18n
from breakd.config.durations import parse_duration
from breakd.core.words import Phrase, clauses, from_wire, phrase, phrases, to_wire, verbatim

texts = st.text(max_size=20)
names = st.text(max_size=6)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
)


def _phrases(
    values: st.SearchStrategy[object], joined: st.SearchStrategy[list[Phrase]]
) -> st.SearchStrategy[Phrase]:
    return st.builds(
        lambda text, values, joined, translated, plural, count: Phrase(
            text, tuple(values.items()), tuple(joined), translated, plural, count
        ),
        texts,
        st.dictionaries(names, values, max_size=3),
        joined,
        st.booleans(),
        texts,
        st.integers(-(2**40), 2**40),
    )


any_phrase = st.recursive(
    _phrases(scalars, st.just([])),
    lambda children: _phrases(scalars | children, st.lists(children, max_size=3)),
    max_leaves=12,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=12,
)


def over_the_wire(said: Phrase) -> Phrase:
    return from_wire(json.loads(json.dumps(to_wire(said), allow_nan=False)))


@given(any_phrase)
def test_a_phrase_comes_back_from_the_wire_as_it_was_sent(said: Phrase) -> None:
    assert over_the_wire(said) == said


@given(json_values)
def test_anything_else_on_the_wire_is_refused_with_a_value_error(wire: object) -> None:
    try:
        said = from_wire(wire)
    except ValueError:
        return
    assert isinstance(said, Phrase)


def test_a_config_error_says_the_same_after_the_wire_in_every_language() -> None:
    with pytest.raises(ValueError) as raised:
        parse_duration("45 minutes")
    said = clauses(
        Phrase.of(raised.value),
        phrases("{n} second", "{n} seconds", 15, n=15),
        phrase("cannot read the file: {error}", error=verbatim("Permission denied")),
    )
    for language in ("en", "de", "ja", "pl"):
        tr = i18n.translator(language, {})
        assert over_the_wire(said).say(tr) == said.say(tr)
    assert over_the_wire(said).say(i18n.translator("de", {})).startswith("keine Dauer")


def test_a_value_that_json_cannot_carry_travels_as_its_text() -> None:
    said = phrase("{a} {b}", a=float("inf"), b=(1, 2))
    assert over_the_wire(said) == phrase("{a} {b}", a="inf", b="(1, 2)")
    assert over_the_wire(said).say() == said.say()
