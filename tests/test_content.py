"""Tests for breakd.core.content: the catalog, the rotation, the wording and the safety text."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakd.core import content
from breakd.core.content import (
    CATALOG,
    POSTURE_CHECKLIST,
    STOP_ON_PAIN,
    WARNING_SIGNS,
    Cause,
    Rotation,
    Suggestion,
    by_key,
    compose,
    suggestions_for,
    warning_signs_text,
)
from breakd.core.types import Kind

NECK_AREAS = {"neck", "shoulders", "upper back"}
KNOWN_AREAS = NECK_AREAS | {"wrists", "hands", "eyes", "legs", "back", "whole body"}
FORBIDDEN = re.compile(
    r"head circle|circle your head|roll your head|head roll|neck roll|head back|"
    r"sit up straight",
    re.IGNORECASE,
)


def all_texts() -> list[str]:
    texts = [STOP_ON_PAIN, *WARNING_SIGNS, *POSTURE_CHECKLIST, warning_signs_text()]
    for suggestion in CATALOG:
        texts += [suggestion.title, *suggestion.steps]
    for kind in Kind:
        for suggestion in suggestions_for(kind):
            for repeat in (0, 1):
                texts += compose(kind, suggestion, also=tuple(Kind), repeat=repeat)
    return texts


def break_seconds_for(kind: Kind) -> float | None:
    return 300.0 if kind is Kind.SITTING else None


# --- catalog ------------------------------------------------------------------------------


def test_at_least_twelve_neck_shoulder_upper_back_items() -> None:
    assert sum(s.area in NECK_AREAS for s in CATALOG) >= 12


def test_every_kind_has_suggestions_from_the_catalog() -> None:
    for kind in Kind:
        found = suggestions_for(kind)
        assert found, kind
        assert all(s in CATALOG for s in found)


@pytest.mark.parametrize("suggestion", CATALOG, ids=lambda s: s.key)
def test_every_suggestion_is_well_formed(suggestion: Suggestion) -> None:
    assert 2 <= len(suggestion.steps) <= 3
    assert suggestion.seconds > 0
    assert suggestion.causes
    assert suggestion.area in KNOWN_AREAS
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", suggestion.key)
    for step in suggestion.steps:
        assert step.endswith("."), step
        assert len(step) <= 90, step  # short enough to read at a glance


def test_keys_are_unique_and_looked_up() -> None:
    keys = [s.key for s in CATALOG]
    assert len(keys) == len(set(keys))
    for suggestion in CATALOG:
        assert by_key(suggestion.key) is suggestion
    with pytest.raises(KeyError):
        by_key("head-circles")


def test_malformed_suggestions_are_rejected() -> None:
    with pytest.raises(ValueError):
        Suggestion("x", "X", ("Only one step.",), 10, "neck", (Cause.POSTURE,))
    with pytest.raises(ValueError):
        Suggestion("x", "X", ("A.", "B."), 0, "neck", (Cause.POSTURE,))
    with pytest.raises(ValueError):
        Suggestion("x", "X", ("A.", "B."), 10, "neck", ())


def test_suggestions_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATALOG[0].seconds = 1  # type: ignore[misc]


def test_no_forbidden_movements_or_scolding() -> None:
    for text in all_texts():
        assert not FORBIDDEN.search(text), text


def test_plain_text_only() -> None:
    for text in all_texts():
        assert not re.search(r"[<>&]", text), text


def test_every_cause_is_answered() -> None:
    answered = {cause for s in CATALOG for cause in s.causes}
    assert answered == set(Cause)


def test_every_cause_is_answered_by_a_reminder() -> None:
    # The catalog answering a cause is useless if no reminder ever offers the suggestion.
    offered = {cause for kind in Kind for s in suggestions_for(kind) for cause in s.causes}
    assert offered == set(Cause)


def test_sitting_gets_stand_up_and_move_suggestions() -> None:
    keys = {s.key for s in suggestions_for(Kind.SITTING)}
    assert {"walk", "march", "calf-raises", "overhead-reach", "water-walk"} <= keys
    assert any(key.startswith("chest-opener") for key in keys)
    assert any(by_key(key).area in {"neck", "shoulders"} for key in keys)


def test_repetition_rests_hands_and_neck_or_eyes() -> None:
    areas = {s.area for s in suggestions_for(Kind.REPETITION)}
    assert areas & {"wrists", "hands"}
    assert areas & {"neck", "shoulders"}
    assert "eyes" in areas
    # Micro-breaks are short: nothing that needs leaving the desk.
    assert all(s.seconds <= 60 for s in suggestions_for(Kind.REPETITION))


def test_posture_gets_checklist_items_and_a_position_change() -> None:
    keys = {s.key for s in suggestions_for(Kind.POSTURE)}
    assert {"posture-screen", "posture-shoulders", "posture-arms", "posture-seat"} <= keys
    assert "posture-shift" in keys
    assert all(Cause.POSTURE in s.causes for s in suggestions_for(Kind.POSTURE))


def test_posture_checklist_covers_the_setup() -> None:
    text = " ".join(POSTURE_CHECKLIST).lower()
    for item in (
        "eye level",
        "arm's length",
        "shoulders down",
        "ears",
        "90 degrees",
        "wrists straight",
        "feet flat",
        "back supported",
        "change position",
    ):
        assert item in text, item


def test_water_cues_are_short_and_varied() -> None:
    water = suggestions_for(Kind.WATER)
    assert len(water) >= 3
    assert all(Cause.DEHYDRATION in s.causes for s in water)
    assert all(s.seconds <= 60 for s in water)
    assert 6 <= content.MAX_WATER_PROMPTS_PER_DAY <= 8


def test_eye_rest_is_twenty_seconds_at_six_metres() -> None:
    steps = " ".join(by_key("far-focus").steps)
    assert "6 metres" in steps
    assert "20 seconds" in steps


# --- rotation -----------------------------------------------------------------------------


def draw(rotation: Rotation, kind: Kind, n: int) -> list[str]:
    return [rotation.next(kind).key for _ in range(n)]


def test_rotation_is_deterministic_for_a_seed() -> None:
    for kind in Kind:
        n = 3 * len(suggestions_for(kind))
        assert draw(Rotation(7), kind, n) == draw(Rotation(7), kind, n)


def test_rotation_depends_on_the_seed() -> None:
    kind = Kind.SITTING
    n = len(suggestions_for(kind))
    orders = {tuple(draw(Rotation(seed), kind, n)) for seed in range(5)}
    assert len(orders) > 1


def test_rotation_does_not_use_the_global_random(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("module-level random used")

    for name in ("shuffle", "random", "randrange", "choice", "seed"):
        monkeypatch.setattr(random, name, forbidden)
    rotation = Rotation(1)
    for kind in Kind:
        draw(rotation, kind, 2 * len(suggestions_for(kind)) + 1)


@pytest.mark.parametrize("kind", list(Kind))
def test_rotation_cycles_without_back_to_back_repeats(kind: Kind) -> None:
    n = len(suggestions_for(kind))
    for seed in range(30):
        keys = draw(Rotation(seed), kind, 4 * n)
        for cycle in range(4):
            assert sorted(keys[cycle * n : (cycle + 1) * n]) == sorted(
                s.key for s in suggestions_for(kind)
            )
        assert all(a != b for a, b in itertools.pairwise(keys)), keys


@pytest.mark.parametrize("suggestion", suggestions_for(Kind.REPETITION), ids=lambda s: s.key)
def test_every_micro_break_rests_the_hands_and_moves_the_shoulders(suggestion) -> None:
    body = compose(Kind.REPETITION, suggestion)[1].lower()
    assert "hands" in body and "shoulders" in body


def test_rotation_with_a_single_suggestion_repeats_it(monkeypatch: pytest.MonkeyPatch) -> None:
    only = by_key("water-sip")
    monkeypatch.setattr(content, "suggestions_for", lambda kind: (only,))
    rotation = Rotation(3)
    assert [rotation.next(Kind.WATER) for _ in range(3)] == [only, only, only]


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(min_value=-(2**63), max_value=2**63),
    calls=st.lists(st.sampled_from(list(Kind)), max_size=120),
)
def test_rotation_properties(seed: int, calls: list[Kind]) -> None:
    rotation = Rotation(seed)
    got = [rotation.next(kind) for kind in calls]

    # Deterministic: a fresh rotation with the same seed answers the same calls alike.
    again = Rotation(seed)
    assert [again.next(kind) for kind in calls] == got

    per_kind: dict[Kind, list[Suggestion]] = defaultdict(list)
    for kind, suggestion in zip(calls, got, strict=True):
        per_kind[kind].append(suggestion)

    for kind, seq in per_kind.items():
        pool = suggestions_for(kind)
        n = len(pool)
        assert all(s in pool for s in seq)
        if n > 1:
            assert all(a is not b for a, b in itertools.pairwise(seq))
        # Each full or partial cycle holds distinct suggestions; full cycles hold them all.
        for start in range(0, len(seq), n):
            cycle = seq[start : start + n]
            assert len({s.key for s in cycle}) == len(cycle)
    # Across kinds too, the same movement never comes twice in a row, except when it is the
    # one left to close its kind's cycle (each cycle offers every suggestion once).
    drawn: dict[Kind, int] = defaultdict(int)
    for i, kind in enumerate(calls):
        if i and got[i] is got[i - 1]:
            assert drawn[kind] % len(suggestions_for(kind)) == len(suggestions_for(kind)) - 1
        drawn[kind] += 1


# --- compose ------------------------------------------------------------------------------

COMPOSE_CASES = [
    (kind, suggestion, also, repeat)
    for kind in Kind
    for suggestion in suggestions_for(kind)
    for also in ((), (Kind.WATER,), tuple(k for k in Kind if k is not kind))
    for repeat in (0, 1, 2)
]


@pytest.mark.parametrize(
    ("kind", "suggestion", "also", "repeat"),
    COMPOSE_CASES,
    ids=[f"{k.value}-{s.key}-{len(a)}-{r}" for k, s, a, r in COMPOSE_CASES],
)
def test_compose_every_kind(
    kind: Kind, suggestion: Suggestion, also: tuple[Kind, ...], repeat: int
) -> None:
    title, body = compose(
        kind, suggestion, also=also, repeat=repeat, break_seconds=break_seconds_for(kind)
    )
    assert title
    assert "\n" not in title
    assert len(title) <= 50
    assert STOP_ON_PAIN in body
    assert body.endswith(STOP_ON_PAIN)
    assert suggestion.title in body
    for step in suggestion.steps:
        assert step in body
    if repeat:
        assert f"reminder {repeat + 1}" in title
    else:
        assert "reminder" not in title

    also_lines = [line for line in body.splitlines() if line.startswith("Also:")]
    assert len(also_lines) == len(set(also) - {kind})

    if kind is Kind.DAILY:
        assert len(body) <= 700
    elif not also:
        assert len(body) <= 400
    elif len(also) == 1:
        assert len(body) <= 430
    else:
        assert len(body) <= 600


def test_compose_titles_are_kind_specific() -> None:
    titles = {kind: compose(kind, suggestions_for(kind)[0])[0] for kind in Kind}
    assert len(set(titles.values())) == len(Kind)
    assert "stand up" in titles[Kind.SITTING].lower()
    assert "hands" in titles[Kind.REPETITION].lower()
    assert "posture" in titles[Kind.POSTURE].lower()
    assert "water" in titles[Kind.WATER].lower()
    assert "long day" in titles[Kind.DAILY].lower()


def test_compose_repeat_escalates_gently() -> None:
    suggestion = by_key("walk")
    first, _ = compose(Kind.SITTING, suggestion)
    second, body = compose(Kind.SITTING, suggestion, repeat=1)
    assert second != first
    assert second.startswith("Still sitting?")
    assert "(reminder 2)" in second
    assert "helps" in body
    assert "!" not in second + body  # nudge, don't shout


def test_compose_states_the_break_length() -> None:
    walk = by_key("walk")
    assert "Take 5 minutes away from the desk." in compose(Kind.SITTING, walk, break_seconds=300)[1]
    assert "Take 1 minute away from the desk." in compose(Kind.SITTING, walk, break_seconds=60)[1]
    fan = by_key("fan-and-fist")
    body = compose(Kind.REPETITION, fan, break_seconds=30)[1]
    assert body.startswith("Rest your hands for 30 seconds; let your shoulders drop")
    assert "minutes away" not in compose(Kind.SITTING, walk)[1]


def test_compose_shows_the_suggestion_duration() -> None:
    _, body = compose(Kind.REPETITION, by_key("far-focus"))
    assert "Far focus and blink (20 seconds):" in body
    _, body = compose(Kind.SITTING, by_key("walk"))
    assert "Short walk (3 minutes):" in body


def test_compose_also_lines() -> None:
    _, body = compose(Kind.SITTING, by_key("walk"), also=(Kind.WATER, Kind.POSTURE, Kind.WATER))
    assert "Also: refill your water." in body
    assert "Also: check your posture: shoulders down, screen at eye level." in body
    assert body.count("Also: refill your water.") == 1
    # The lead kind is never repeated as an "also" line.
    _, body = compose(Kind.WATER, by_key("water-sip"), also=(Kind.WATER,))
    assert "Also:" not in body


def test_compose_posture_frames_as_change_and_check() -> None:
    _, body = compose(Kind.POSTURE, by_key("posture-screen"))
    assert "Change position and check your setup." in body


def test_compose_daily_includes_warning_signs() -> None:
    title, body = compose(Kind.DAILY, suggestions_for(Kind.DAILY)[0])
    assert title == "That's a long day"
    assert "long time today" in body
    assert warning_signs_text(brief=True) in body
    # The other kinds stay short and do not carry the warning signs.
    _, sitting = compose(Kind.SITTING, by_key("walk"))
    assert warning_signs_text(brief=True) not in sitting


def test_compose_is_pure() -> None:
    args = (Kind.SITTING, by_key("march"))
    kwargs = {"also": (Kind.WATER,), "repeat": 1, "break_seconds": 120.0}
    assert compose(*args, **kwargs) == compose(*args, **kwargs)


# --- safety text --------------------------------------------------------------------------


def test_stop_on_pain_is_short_and_complete() -> None:
    assert len(STOP_ON_PAIN) <= 80
    for word in ("gently", "hurts", "tingles", "numb"):
        assert word in STOP_ON_PAIN


@pytest.mark.parametrize(
    "pattern",
    [
        r"more than a few days",
        r"2 weeks",
        r"frequent or worsening spasms",
        r"numbness",
        r"tingling",
        r"weakness in .*arms?.*hands?|weakness in an arm or hand",
        r"injury",
        r"severe headache",
        r"dizziness",
        r"fever",
        r"vision",
    ],
)
def test_warning_signs_cover(pattern: str) -> None:
    assert any(re.search(pattern, sign) for sign in WARNING_SIGNS), pattern


def test_urgent_warning_signs_are_marked() -> None:
    for word in ("injury", "severe headache", "dizziness", "fever"):
        signs = [sign for sign in WARNING_SIGNS if word in sign]
        assert signs, word
        assert all(sign.lower().startswith("urgent") for sign in signs), signs
    assert any("spasms" in s and not s.lower().startswith("urgent") for s in WARNING_SIGNS)


def test_warning_signs_text_lists_every_sign() -> None:
    text = warning_signs_text()
    for sign in WARNING_SIGNS:
        assert sign.split(": ", 1)[1] in text
    assert "Same day" in text
    assert "GP or physiotherapist" in text


def test_brief_warning_signs_cover_the_essentials() -> None:
    brief = warning_signs_text(brief=True)
    assert len(brief) <= 250
    assert "\n" not in brief
    for item in ("few days", "frequent or worsening", "numb", "tingly", "weak", "injury"):
        assert item in brief, item
    assert "headache" in brief
    assert "dizziness" in brief
