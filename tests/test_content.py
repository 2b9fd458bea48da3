"""Tests for breakd.core.content: the catalog, the rotation, the wording and the safety text."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakd.core import content
from breakd.core.content import (
    CATALOG,
    KEYS,
    LINE_CHARS,
    MAX_BODY_LINES,
    STOP_ON_PAIN,
    WARNING_SIGNS,
    WARNING_SIGNS_COMMAND,
    Cause,
    Rotation,
    Suggestion,
    by_key,
    catalog_table,
    compose,
    compose_break,
    fully_excluded,
    kinds_using,
    offered,
    suggestions_for,
    warning_signs_text,
    wrap,
)
from breakd.core.types import Kind

NECK_AREAS = {"neck", "shoulders", "upper back"}
KNOWN_AREAS = NECK_AREAS | {"wrists", "hands", "eyes", "legs", "back", "whole body"}
FORBIDDEN = re.compile(
    r"head circle|circle your head|roll your head|head roll|neck roll|head back|"
    r"sit up straight",
    re.IGNORECASE,
)
# The first word of every lead: an imperative that says what to do.
VERBS = {
    "Breathe", "Build", "Change", "Check", "Clasp", "Close", "Do", "Go", "Have", "Hug", "Let",
    "Look", "Lower", "Put", "Roll", "Shrug", "Sleep", "Spread", "Squeeze", "Stand", "Start",
    "Stretch", "Tilt", "Tip", "Turn",
}  # fmt: skip
UK_ONLY = re.compile(r"\bGP\b|\bphysio\b|\bA&E\b|\b999\b|\bNHS 111\b")


def all_texts() -> list[str]:
    texts = [STOP_ON_PAIN, *WARNING_SIGNS, warning_signs_text(), warning_signs_text(brief=True)]
    for suggestion in CATALOG:
        texts += [suggestion.title, suggestion.lead, suggestion.how]
    for kind in Kind:
        for suggestion in suggestions_for(kind):
            for repeat in (0, 1):
                texts += compose(kind, suggestion, also=tuple(Kind), repeat=repeat)
    return texts


def break_seconds_for(kind: Kind) -> float | None:
    return 300.0 if kind is Kind.SITTING else None


def merges(kind: Kind) -> list[tuple[Kind, ...]]:
    """Every set of kinds the engine can merge into a reminder led by ``kind``: any of the
    lower-priority kinds, highest first (engine._show)."""
    lower = sorted((k for k in Kind if k.priority < kind.priority), key=lambda k: -k.priority)
    return [c for n in range(len(lower) + 1) for c in itertools.combinations(lower, n)]


# --- catalog ------------------------------------------------------------------------------


def test_at_least_twelve_neck_shoulder_upper_back_items() -> None:
    assert sum(s.area in NECK_AREAS for s in CATALOG) >= 12


def test_every_kind_has_suggestions_from_the_catalog() -> None:
    for kind in Kind:
        found = suggestions_for(kind)
        assert found, kind
        assert all(s in CATALOG for s in found)


def test_every_catalog_entry_is_offered_by_some_reminder() -> None:
    for suggestion in CATALOG:
        assert kinds_using(suggestion), suggestion.key


@pytest.mark.parametrize("suggestion", CATALOG, ids=lambda s: s.key)
def test_every_suggestion_is_well_formed(suggestion: Suggestion) -> None:
    assert suggestion.seconds > 0
    assert suggestion.causes
    assert suggestion.area in KNOWN_AREAS
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", suggestion.key)
    # The lead alone says what to do: one line, an imperative, a sentence.
    assert len(suggestion.lead) <= LINE_CHARS
    assert suggestion.lead.split()[0].rstrip(":,") in VERBS, suggestion.lead
    for text in (suggestion.lead, suggestion.how):
        assert text.endswith("."), text
    assert len(wrap(suggestion.how)) <= (1 if suggestion.movement else 2), suggestion.how


def test_keys_are_unique_and_looked_up() -> None:
    assert len(KEYS) == len(set(KEYS)) == len(CATALOG)
    for suggestion in CATALOG:
        assert by_key(suggestion.key) is suggestion
    with pytest.raises(KeyError):
        by_key("head-circles")


def test_malformed_suggestions_are_rejected() -> None:
    long = "Stand up and walk for a few minutes, then some more."
    with pytest.raises(ValueError, match="lead"):
        Suggestion("x", "X", long, "How.", 10, "neck", (Cause.POSTURE,))
    with pytest.raises(ValueError, match="how"):
        Suggestion("x", "X", "Do it.", "", 10, "neck", (Cause.POSTURE,))
    with pytest.raises(ValueError, match="one line"):
        Suggestion("x", "X", "Do it.", long, 10, "neck", (Cause.POSTURE,), movement=True)
    with pytest.raises(ValueError, match="seconds"):
        Suggestion("x", "X", "Do it.", "How.", 0, "neck", (Cause.POSTURE,))
    with pytest.raises(ValueError, match="cause"):
        Suggestion("x", "X", "Do it.", "How.", 10, "neck", ())


def test_suggestions_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATALOG[0].seconds = 1  # type: ignore[misc]


def test_no_forbidden_movements_or_scolding() -> None:
    for text in all_texts():
        assert not FORBIDDEN.search(text), text


def test_plain_text_only() -> None:
    for text in all_texts():
        assert not re.search(r"[<>&]", text), text


def test_words_that_work_outside_the_uk() -> None:
    for text in all_texts():
        assert not UK_ONLY.search(text), text


def test_every_cause_is_answered_by_a_reminder() -> None:
    # The catalog answering a cause is useless if no reminder ever offers the suggestion.
    offered_causes = {c for kind in Kind for s in suggestions_for(kind) for c in s.causes}
    assert offered_causes == set(Cause)


def test_the_article_causes_a_desk_program_can_answer() -> None:
    # Sleep setup and the return from injury or a new workout rotate through the end-of-day
    # reminder; draughts through the posture checks; stress (breathing) through the stand-up
    # and posture reminders too.
    daily = {c for s in suggestions_for(Kind.DAILY) for c in s.causes}
    assert {Cause.SLEEP, Cause.OVEREXERTION, Cause.INJURY} <= daily
    sleep = " ".join(s.lead + " " + s.how for s in CATALOG if Cause.SLEEP in s.causes).lower()
    assert "pillow" in sleep and "back or side" in sleep
    cold = [s for s in suggestions_for(Kind.POSTURE) if Cause.COLD in s.causes]
    assert cold
    cold_text = " ".join(s.how for s in cold).lower()
    assert "fan" in cold_text and "vent" in cold_text and "window" in cold_text
    build_up = " ".join(s.lead + s.how for s in CATALOG if Cause.INJURY in s.causes).lower()
    assert "gently" in build_up and "injury" in build_up
    for kind in (Kind.SITTING, Kind.POSTURE, Kind.REPETITION):
        assert any("breathe" in s.lead.lower() for s in suggestions_for(kind)), kind


def test_stand_up_reminders_lead_with_standing_up_and_moving() -> None:
    sitting = suggestions_for(Kind.SITTING)
    for suggestion in sitting:
        assert suggestion.lead.startswith("Stand up"), suggestion.lead
    keys = {s.key for s in sitting}
    assert {"walk", "stairs", "water-walk", "calf-raises", "march"} <= keys
    # Mostly moving, not holding a stretch (the evidence is light walking).
    moving = [s for s in sitting if s.area in {"whole body", "legs"}]
    assert len(moving) > len(sitting) / 2


def test_seated_stretches_belong_to_micro_breaks_and_posture_checks() -> None:
    seated = {"seated-twist", "side-tilt", "look-over-shoulder", "chin-tuck", "upper-trap-stretch"}
    sitting = {s.key for s in suggestions_for(Kind.SITTING)}
    assert not seated & sitting
    elsewhere = {s.key for k in (Kind.REPETITION, Kind.POSTURE) for s in suggestions_for(k)}
    assert seated <= elsewhere


def test_calf_raises_hold_the_desk_not_a_rolling_chair() -> None:
    text = (by_key("calf-raises").lead + by_key("calf-raises").how).lower()
    assert "desk" in text
    assert not re.search(r"hold (the back of )?(your|the) chair", text)


def test_repetition_rests_hands_and_neck_or_eyes() -> None:
    areas = {s.area for s in suggestions_for(Kind.REPETITION)}
    assert areas & {"wrists", "hands"}
    assert areas & {"neck", "shoulders"}
    assert "eyes" in areas
    # Micro-breaks are short: nothing that needs leaving the desk.
    assert all(s.seconds <= 60 for s in suggestions_for(Kind.REPETITION))
    assert not any(s.lead.startswith("Stand") for s in suggestions_for(Kind.REPETITION))


def test_posture_gets_setup_checks_and_a_position_change() -> None:
    keys = {s.key for s in suggestions_for(Kind.POSTURE)}
    assert {"posture-screen", "posture-shoulders", "posture-arms", "posture-seat"} <= keys
    assert "posture-shift" in keys
    text = " ".join(s.lead + " " + s.how for s in suggestions_for(Kind.POSTURE)).lower()
    for item in (
        "eye level",
        "arm's length",
        "shoulders drop",
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
    assert not any(s.movement for s in water)


def test_eye_rest_is_twenty_seconds_at_six_metres() -> None:
    text = by_key("far-focus").lead
    assert "6 metres" in text
    assert "20 s" in text


def test_only_stretches_and_exercises_carry_the_stop_on_pain_note() -> None:
    exercises = {"march", "calf-raises"}
    for suggestion in CATALOG:
        stretch = suggestion.area in NECK_AREAS | {"wrists", "hands"} and not (
            suggestion.key.startswith(("posture-", "day-"))
        )
        assert suggestion.movement == (stretch or suggestion.key in exercises), suggestion.key


# --- exclusions ---------------------------------------------------------------------------


def test_offered_leaves_out_excluded_keys() -> None:
    pool = offered(Kind.SITTING, ["march", "stairs", "not-a-key"])
    assert {s.key for s in pool} == {s.key for s in suggestions_for(Kind.SITTING)} - {
        "march",
        "stairs",
    }


def test_excluding_a_whole_kind_falls_back_to_its_full_list() -> None:
    water = [s.key for s in suggestions_for(Kind.WATER)]
    assert offered(Kind.WATER, water) == suggestions_for(Kind.WATER)
    assert fully_excluded(water) == (Kind.WATER,)
    assert fully_excluded(water[:-1]) == ()
    assert fully_excluded(KEYS) == tuple(Kind)


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


def test_rotation_leaves_out_excluded_suggestions() -> None:
    rotation = Rotation(5, exclude=["walk", "stairs", "chin-tuck"])
    keys = draw(rotation, Kind.SITTING, 30) + draw(rotation, Kind.REPETITION, 30)
    assert not {"walk", "stairs", "chin-tuck"} & set(keys)


def test_rotation_takes_new_exclusions_and_keeps_no_twice_in_a_row() -> None:
    rotation = Rotation(2)
    before = draw(rotation, Kind.SITTING, 3)
    rotation.set_excluded([before[-1], "march"])
    after = draw(rotation, Kind.SITTING, 20)
    assert not {before[-1], "march"} & set(after)
    rotation.set_excluded([s.key for s in suggestions_for(Kind.WATER)])
    assert len(set(draw(rotation, Kind.WATER, 3))) == 3  # everything excluded: the full list


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    exclude=st.lists(st.sampled_from(KEYS), unique=True),
    calls=st.lists(st.sampled_from(list(Kind)), max_size=80),
)
def test_rotation_with_exclusions_keeps_its_guarantees(
    seed: int, exclude: list[str], calls: list[Kind]
) -> None:
    rotation = Rotation(seed, exclude=exclude)
    per_kind: dict[Kind, list[Suggestion]] = defaultdict(list)
    for kind in calls:
        per_kind[kind].append(rotation.next(kind))
    for kind, seq in per_kind.items():
        pool = offered(kind, exclude)
        assert all(s in pool for s in seq)
        if kind not in fully_excluded(exclude):
            assert not {s.key for s in seq} & set(exclude)
        if len(pool) > 1:
            assert all(a is not b for a, b in itertools.pairwise(seq))
        for start in range(0, len(seq), len(pool)):
            cycle = seq[start : start + len(pool)]
            assert len({s.key for s in cycle}) == len(cycle)


# --- compose ------------------------------------------------------------------------------

COMPOSE_CASES = [
    (kind, suggestion, also, repeat)
    for kind in Kind
    for suggestion in suggestions_for(kind)
    for also in merges(kind)
    for repeat in (0, 1, 10)
]


def first_line_names_the_action(kind: Kind, suggestion: Suggestion, body: str) -> None:
    first = wrap(body)[0]
    assert first == suggestion.lead  # the lead is whole on the first line
    assert first.split()[0].rstrip(":,") in VERBS
    if kind is Kind.SITTING:
        assert first.startswith("Stand up")


@pytest.mark.parametrize(
    ("kind", "suggestion", "also", "repeat"),
    COMPOSE_CASES,
    ids=[f"{k.value}-{s.key}-{'+'.join(a.value for a in a)}-{r}" for k, s, a, r in COMPOSE_CASES],
)
def test_compose_every_kind_suggestion_merge_and_repeat(
    kind: Kind, suggestion: Suggestion, also: tuple[Kind, ...], repeat: int
) -> None:
    title, body = compose(
        kind, suggestion, also=also, repeat=repeat, break_seconds=break_seconds_for(kind)
    )
    lines = wrap(body)
    assert len(lines) <= MAX_BODY_LINES, "\n".join(lines)
    first_line_names_the_action(kind, suggestion, body)
    assert "\n" not in title
    assert len(title) <= LINE_CHARS
    assert suggestion.how in body
    if repeat:
        assert f"reminder {repeat + 1}" in title
    else:
        assert "reminder" not in title
    # The stop-on-pain note: on movements only, never the last line (what gets cut).
    if suggestion.movement:
        assert STOP_ON_PAIN in body.splitlines()
        # Right after the movement, inside the budget: nothing after it can push it out.
        assert body.splitlines().index(STOP_ON_PAIN) == 2
    else:
        assert STOP_ON_PAIN not in body
        assert "hurts" not in body
    # No line said twice.
    sentences = [s.strip().lower() for s in re.split(r"[.;:]", body) if s.strip()]
    assert len(sentences) == len(set(sentences)), body
    assert len([line for line in body.splitlines() if line.startswith("Also:")]) <= 1


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    kind=st.sampled_from(list(Kind)),
    repeat=st.integers(0, 10),
    break_seconds=st.none() | st.floats(1, 24 * 3600),
)
def test_compose_property_fits_at_a_glance(
    data: st.DataObject, kind: Kind, repeat: int, break_seconds: float | None
) -> None:
    suggestion = data.draw(st.sampled_from(suggestions_for(kind)))
    also = data.draw(st.sampled_from(merges(kind)))
    # The engine passes a break length for the stand-up reminder only.
    seconds = break_seconds if kind is Kind.SITTING else None
    title, body = compose(kind, suggestion, also=also, repeat=repeat, break_seconds=seconds)
    assert len(wrap(body)) <= MAX_BODY_LINES
    first_line_names_the_action(kind, suggestion, body)
    assert len(title) <= LINE_CHARS


def test_wrap_models_gnome() -> None:
    assert wrap("a\n\nb") == ["a", "", "b"]
    line = "Urgent: new or spreading numbness or weakness. Warning signs: breakd warning-signs"
    assert wrap(line) == [
        "Urgent: new or spreading numbness or",
        "weakness. Warning signs: breakd warning-signs",
    ]
    assert all(len(part) <= LINE_CHARS for part in wrap("word " * 40))


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
    first, _ = compose(Kind.SITTING, suggestion, break_seconds=300)
    second, body = compose(Kind.SITTING, suggestion, repeat=1, break_seconds=300)
    assert second != first
    assert second.startswith("Still sitting?")
    assert "(reminder 2)" in second
    assert body.splitlines()[-1] == "Even two minutes on your feet helps."
    assert "!" not in second + body  # nudge, don't shout


def test_compose_states_the_break_length() -> None:
    walk = by_key("walk")
    body = compose(Kind.SITTING, walk, break_seconds=300)[1]
    assert body.splitlines()[-1] == "Take 5 minutes away from the desk."
    assert "Take 1 minute away from the desk." in compose(Kind.SITTING, walk, break_seconds=60)[1]
    assert "minutes away" not in compose(Kind.SITTING, walk)[1]


def test_compose_stand_up_reminder_reads_right() -> None:
    title, body = compose(
        Kind.SITTING, by_key("calf-raises"), also=(Kind.WATER,), break_seconds=300
    )
    assert title == "Time to stand up and move"
    assert body.splitlines() == [
        "Stand up and do 10-15 calf raises.",
        "Hold the desk edge, not a rolling chair.",
        STOP_ON_PAIN,
        "Also: refill your water.",
        "Take 5 minutes away from the desk.",
    ]


@pytest.mark.parametrize("suggestion", suggestions_for(Kind.REPETITION), ids=lambda s: s.key)
def test_every_micro_break_carries_the_look_away_cue_once(suggestion: Suggestion) -> None:
    for repeat in (0, 1):
        body = compose(Kind.REPETITION, suggestion, repeat=repeat)[1]
        assert len(re.findall(r"6 m(etres)? away", body)) == 1, body


def test_micro_break_does_not_say_shoulder_rolls_twice() -> None:
    body = compose(Kind.REPETITION, by_key("shoulder-rolls"))[1].lower()
    assert body.count("roll") == 1


def test_compose_also_lines() -> None:
    _, body = compose(Kind.SITTING, by_key("walk"), also=(Kind.WATER, Kind.POSTURE, Kind.WATER))
    assert "Also: refill your water and check your setup." in body.splitlines()
    # The lead kind is never repeated as an "also" line.
    _, body = compose(Kind.WATER, by_key("water-sip"), also=(Kind.WATER,))
    assert "Also:" not in body
    # Nor what the suggestion already does.
    _, body = compose(Kind.SITTING, by_key("water-walk"), also=(Kind.WATER,))
    assert "Also:" not in body
    _, body = compose(Kind.DAILY, by_key("day-long-walk"), also=(Kind.SITTING,))
    assert "Also:" not in body
    # Too many for the full words: the short ones, still one line.
    _, body = compose(Kind.DAILY, by_key("day-sleep-setup"), also=merges(Kind.DAILY)[-1])
    assert "Also: walk, eye rest, posture check, water." in body.splitlines()


def test_no_pain_line_on_water() -> None:
    for suggestion in suggestions_for(Kind.WATER):
        for also in merges(Kind.WATER):
            body = compose(Kind.WATER, suggestion, also=also)[1].lower()
            assert "hurt" not in body and "pain" not in body and "numb" not in body


def test_compose_daily_carries_the_urgent_sign_and_the_command() -> None:
    for suggestion in suggestions_for(Kind.DAILY):
        title, body = compose(Kind.DAILY, suggestion, also=merges(Kind.DAILY)[-1])
        assert title == "That's a long day"
        assert body.endswith(warning_signs_text(brief=True))
        assert WARNING_SIGNS_COMMAND in body
    # The other kinds stay short and do not carry the warning signs.
    _, sitting = compose(Kind.SITTING, by_key("walk"))
    assert warning_signs_text(brief=True) not in sitting


def test_compose_is_pure() -> None:
    args = (Kind.SITTING, by_key("march"))
    kwargs = {"also": (Kind.WATER,), "repeat": 1, "break_seconds": 120.0}
    assert compose(*args, **kwargs) == compose(*args, **kwargs)


# --- safety text --------------------------------------------------------------------------


def test_stop_on_pain_is_short_and_complete() -> None:
    assert len(STOP_ON_PAIN) <= LINE_CHARS
    for word in ("hurts", "tingles", "numb"):
        assert word in STOP_ON_PAIN


@pytest.mark.parametrize(
    "pattern",
    [
        r"more than a few days",
        r"frequent or worsening spasms",
        r"numbness",
        r"pins and needles",
        r"weakness in your arms, hands",
        r"injury",
        r"severe headache",
        r"dizziness",
        r"fever",
        r"vision",
        r"bladder or bowel",
    ],
)
def test_warning_signs_cover(pattern: str) -> None:
    assert any(re.search(pattern, sign) for sign in WARNING_SIGNS), pattern


def test_one_duration_throughout() -> None:
    texts = [*WARNING_SIGNS, warning_signs_text(), warning_signs_text(brief=True)]
    for text in texts:
        assert not re.search(r"\bweeks?\b", text), text
    durations = set(re.findall(r"(more than [a-z ]+? days)", warning_signs_text()))
    assert durations == {"more than a few days"}


def test_urgent_warning_signs_are_marked() -> None:
    for word in ("injury", "severe headache", "dizziness", "fever", "numbness", "weakness"):
        signs = [sign for sign in WARNING_SIGNS if word in sign]
        assert signs, word
        assert all(sign.startswith("Urgent") for sign in signs), signs
    assert any("spasms" in s and not s.startswith("Urgent") for s in WARNING_SIGNS)


def test_warning_signs_text_lists_every_sign() -> None:
    text = warning_signs_text()
    for sign in WARNING_SIGNS:
        assert sign.split(": ", 1)[1] in text
    assert "call your local emergency number" in text
    assert "See a doctor or physiotherapist" in text
    # A long-term condition and nutrition get a line beside the signs, nothing more.
    assert "arthritis" in text
    assert len(re.findall(r"meals|supplements", text)) == 2


def test_brief_warning_signs_keep_numbness_and_weakness_urgent() -> None:
    brief = warning_signs_text(brief=True)
    assert "\n" not in brief
    assert len(wrap(brief)) == 2
    assert re.search(r"Urgent: new or spreading numbness or weakness", brief)
    assert brief.endswith(WARNING_SIGNS_COMMAND)


# --- the catalog as a table ---------------------------------------------------------------


def test_catalog_table_lists_every_key_with_its_facts() -> None:
    lines = catalog_table(["march"])
    assert lines[0].split() == ["KEY", "TITLE", "AREA", "TIME", "OFFERED", "BY"]
    rows = {line.split()[1] if line.startswith("x") else line.split()[0]: line for line in lines}
    for suggestion in CATALOG:
        row = rows[suggestion.key]
        assert suggestion.title in row and suggestion.area in row
    assert rows["march"].startswith("x ")
    assert rows["walk"].startswith("  ")
    assert "micro-break, posture" in rows["chin-tuck"]
    assert " 1m " in rows["march"] and " 30s " in rows["chin-tuck"]


def test_the_readme_shows_a_real_reminder() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    title, body = compose(
        Kind.SITTING, by_key("calf-raises"), also=(Kind.WATER,), break_seconds=300
    )
    shown = "\n".join(f"    {line}" for line in [title, "-" * len(title), *body.splitlines()])
    assert shown + "\n" in readme


@pytest.mark.parametrize("suggestion", suggestions_for(Kind.SITTING), ids=lambda s: s.key)
def test_a_break_asked_for_says_how_long_and_what_to_do_with_it(
    suggestion: Suggestion,
) -> None:
    title, body = compose_break(suggestion, 300)
    assert title == "Your break: 5 minutes"
    assert len(wrap(body)) <= MAX_BODY_LINES
    assert body.splitlines()[0] == suggestion.lead
    assert "timers restart" in body.splitlines()[-1]
    assert (STOP_ON_PAIN in body) == suggestion.movement
