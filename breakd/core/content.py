"""Content: what breakd says - the catalog of suggestions, the safety text and the wording.

This module owns every sentence a reminder shows: the gentle movements, eye rests, water cues
and desk-setup checks (each answering one cause of neck and shoulder spasms: posture,
repetition, sitting, stress, dehydration), which of them suit which kind of reminder, the order
they are offered in (``Rotation``), the stop-on-pain line and the warning signs, and how a
reminder's title and body are put together (``compose``).

Must not: do I/O, read a clock, use the module-level ``random``, or keep mutable state at
module level. Everything here is an immutable constant or a pure function, except a
``Rotation``, whose state belongs to whoever made it (the engine). Must not decide *when* a
reminder is due; that is the rules' and the engine's job.

Movements follow shared/notes/health.md: gentle, 10-20 s holds unless stated, never into pain,
and never full head circles or forcing the head far back. Text is plain (no markup), because
some notification servers render markup and some show it raw.
"""

from __future__ import annotations

import enum
import random
import types
from dataclasses import dataclass

from breakd.core.types import Kind


class Cause(enum.Enum):
    """The common causes of neck and shoulder spasms at a desk; every suggestion answers one."""

    POSTURE = "posture"
    REPETITION = "repetition"
    SITTING = "sitting"
    STRESS = "stress"
    DEHYDRATION = "dehydration"


@dataclass(frozen=True)
class Suggestion:
    """One concrete, safe thing to do during a reminder."""

    key: str  # stable slug, stored in Reminder.suggestion and the log
    title: str
    steps: tuple[str, ...]  # two or three short imperative steps
    seconds: int  # roughly how long it takes
    area: str  # the body part it is for: neck, shoulders, wrists, eyes...
    causes: tuple[Cause, ...]

    def __post_init__(self) -> None:
        # Fail at import, not in a popup: a malformed entry is a programming error.
        if not 2 <= len(self.steps) <= 3:
            raise ValueError(f"{self.key}: needs 2 or 3 steps, has {len(self.steps)}")
        if self.seconds <= 0:
            raise ValueError(f"{self.key}: seconds must be positive")
        if not self.causes:
            raise ValueError(f"{self.key}: must answer at least one cause")


_P, _R, _S, _T, _D = Cause.POSTURE, Cause.REPETITION, Cause.SITTING, Cause.STRESS, Cause.DEHYDRATION


def _s(
    key: str, title: str, steps: tuple[str, ...], seconds: int, area: str, *causes: Cause
) -> Suggestion:
    return Suggestion(key, title, steps, seconds, area, causes)


# --- safety -------------------------------------------------------------------------------

STOP_ON_PAIN = "Move gently; stop if anything hurts, tingles or feels numb."

# Red flags from NICE CKS (neck pain), NHS musculoskeletal self-help and Versus Arthritis, as
# summarised in shared/notes/health.md "Stop and get help".
_URGENT = (
    "neck pain after a fall, accident or other injury",
    "new or spreading numbness, tingling or weakness in your arms, hands, legs or face, "
    "or clumsy hands",
    "neck pain with a fever, or with a severe headache, light sensitivity or vomiting",
    "dizziness, fainting, double vision or other vision problems, slurred speech or "
    "trouble swallowing",
    "an electric-shock feeling down your spine when you bend your neck, or bladder or "
    "bowel changes",
)
_SEE_GP = (
    "pain lasting more than a few days, or not improving after about 2 weeks of self-help",
    "frequent or worsening spasms",
    "pins and needles, numbness or weakness in an arm or hand lasting more than a few days",
    "constant pain, pain at night, or unexplained weight loss",
    "eye strain or headaches that keep coming back",
)
_URGENT_MARK = "Urgent, same day: "
_GP_MARK = "See a GP or physiotherapist: "

WARNING_SIGNS: tuple[str, ...] = tuple(_URGENT_MARK + sign for sign in _URGENT) + tuple(
    _GP_MARK + sign for sign in _SEE_GP
)

# Short enough for the end-of-day popup; the full list is in ``breakd help``.
_WARNING_BRIEF = (
    "See a GP or physio if pain lasts more than a few days, spasms are frequent or "
    "worsening, or arms or hands feel numb, tingly or weak. "
    "Urgent: pain after an injury, a severe headache or dizziness."
)


def warning_signs_text(*, brief: bool = False) -> str:
    """The warning signs as plain text: a list for ``breakd help``, or one short paragraph."""
    if brief:
        return _WARNING_BRIEF
    lines = ["Stop and get help if you notice any of these."]
    lines.append("Same day (urgent):")
    lines.extend(f"- {sign}" for sign in _URGENT)
    lines.append("See a GP or physiotherapist:")
    lines.extend(f"- {sign}" for sign in _SEE_GP)
    return "\n".join(lines)


# --- the catalog --------------------------------------------------------------------------

# Neck, shoulders and upper back: the spasm-prone muscles. Written so they work seated or
# standing, since the sitting reminder offers them as standing stretches.
_NECK_SHOULDERS = (
    _s(
        "chin-tuck",
        "Chin glide",
        (
            "Look straight ahead with your shoulders relaxed.",
            "Slide your chin straight back into a gentle double chin; hold 3-5 seconds.",
            "Relax, then repeat 5 times.",
        ),
        30,
        "neck",
        _P,
    ),
    _s(
        "side-tilt",
        "Ear to shoulder",
        (
            "Let both shoulders drop.",
            "Tilt your right ear gently toward your right shoulder; hold 15 seconds.",
            "Come back to the middle and do the left side.",
        ),
        40,
        "neck",
        _P,
        _T,
    ),
    _s(
        "levator-stretch",
        "Nose to armpit stretch",
        (
            "Turn your head a little to the right.",
            "Tip your nose gently down toward your right armpit; hold 15 seconds.",
            "Come back slowly and do the other side.",
        ),
        40,
        "neck",
        _P,
        _R,
    ),
    _s(
        "look-over-shoulder",
        "Look over your shoulder",
        (
            "Keep your shoulders facing forward.",
            "Turn your head slowly to look over your right shoulder; hold 10 seconds.",
            "Turn back, then look over your left shoulder.",
        ),
        30,
        "neck",
        _P,
        _S,
    ),
    _s(
        "chin-to-chest",
        "Chin to chest",
        (
            "Sit or stand tall with your shoulders relaxed.",
            "Lower your chin slowly toward your chest; hold 15 seconds.",
            "Lift your chin back to level, and no further.",
        ),
        25,
        "neck",
        _P,
        _T,
    ),
    _s(
        "upper-trap-stretch",
        "Upper-shoulder stretch",
        (
            "Let your right arm hang, or hold the edge of your seat.",
            "Tilt your head to the left and slightly forward; hold 15 seconds.",
            "Come back slowly and switch sides.",
        ),
        40,
        "shoulders",
        _T,
        _R,
    ),
    _s(
        "shrug-and-drop",
        "Shrug and drop",
        (
            "Lift both shoulders up toward your ears; hold 3 seconds.",
            "Let them drop and breathe out slowly.",
            "Repeat 5 times.",
        ),
        25,
        "shoulders",
        _T,
        _R,
    ),
    _s(
        "shoulder-rolls",
        "Shoulder rolls",
        (
            "Roll your shoulders slowly backwards 5 times.",
            "Now roll them forwards 5 times.",
            "Keep your head still and your breathing easy.",
        ),
        30,
        "shoulders",
        _R,
        _S,
        _T,
    ),
    _s(
        "arm-across-chest",
        "Arm across the chest",
        (
            "Bring your right arm across your chest.",
            "Hug it gently closer with your left arm; hold 15 seconds.",
            "Switch arms.",
        ),
        35,
        "shoulders",
        _R,
    ),
    _s(
        "blade-squeeze",
        "Shoulder-blade squeeze",
        (
            "Sit or stand tall with your arms relaxed.",
            "Draw your shoulder blades gently back and down; hold 5 seconds.",
            "Release, then repeat 5 times.",
        ),
        30,
        "upper back",
        _P,
        _S,
    ),
    _s(
        "chest-opener-door",
        "Doorway chest opener",
        (
            "Stand in a doorway, forearms on the frame at shoulder height.",
            "Step one foot forward until you feel a gentle stretch; hold 15-20 seconds.",
            "Step back and let your arms relax.",
        ),
        30,
        "upper back",
        _P,
        _S,
    ),
    _s(
        "chest-opener-hands",
        "Hands-behind-back chest opener",
        (
            "Clasp your hands loosely behind your back.",
            "Draw your shoulders back and lift your chest a little; hold 15 seconds.",
            "Let go slowly.",
        ),
        25,
        "upper back",
        _P,
        _S,
    ),
    _s(
        "overhead-reach",
        "Overhead reach",
        (
            "Stand up and reach both arms overhead.",
            "Stretch tall, then lean gently to one side; hold 10 seconds.",
            "Come back to the middle and lean to the other side.",
        ),
        30,
        "upper back",
        _S,
        _P,
    ),
    _s(
        "seated-twist",
        "Gentle twist",
        (
            "Sit tall with your feet flat on the floor.",
            "Turn your upper body to the right, one hand on the chair back; hold 15 seconds.",
            "Come back to the middle and turn to the left.",
        ),
        40,
        "upper back",
        _S,
        _P,
    ),
)

_WRISTS_HANDS = (
    _s(
        "wrist-extensor",
        "Back-of-wrist stretch",
        (
            "Hold your right arm out in front, palm down.",
            "With your left hand, ease the right hand gently down; hold 15 seconds.",
            "Switch hands.",
        ),
        35,
        "wrists",
        _R,
    ),
    _s(
        "wrist-flexor",
        "Palm-side wrist stretch",
        (
            "Hold your right arm out in front, palm up.",
            "With your left hand, ease the fingers gently back and down; hold 15 seconds.",
            "Switch hands.",
        ),
        35,
        "wrists",
        _R,
    ),
    _s(
        "fan-and-fist",
        "Fan and fist",
        (
            "Spread your fingers wide; hold 3 seconds.",
            "Curl them into a loose fist; hold 3 seconds.",
            "Repeat 5 times.",
        ),
        30,
        "hands",
        _R,
    ),
)

_EYES_BREATH = (
    _s(
        "far-focus",
        "Far focus and blink",
        (
            "Look at something at least 6 metres away for 20 seconds.",
            "Blink slowly a few times.",
        ),
        20,
        "eyes",
        _P,
        _T,
    ),
    _s(
        "eye-palming",
        "Rest your eyes",
        (
            "Close your eyes and cup your palms over them without pressing.",
            "Breathe slowly for about 20 seconds.",
        ),
        20,
        "eyes",
        _T,
    ),
    _s(
        "slow-breath",
        "Slow breathing",
        (
            "Sit back and let your shoulders drop.",
            "Breathe in through your nose for 4, then out slowly for 6.",
            "Repeat 5 times.",
        ),
        50,
        "whole body",
        _T,
    ),
)

_MOVEMENT = (
    _s(
        "walk",
        "Short walk",
        (
            "Stand up and walk: down the corridor, up the stairs or outside.",
            "Let your arms swing and your shoulders loosen.",
        ),
        180,
        "whole body",
        _S,
        _T,
    ),
    _s(
        "march",
        "March on the spot",
        (
            "Stand up and march on the spot, lifting your knees.",
            "Swing your arms gently and keep going for a minute.",
        ),
        60,
        "legs",
        _S,
    ),
    _s(
        "calf-raises",
        "Calf raises",
        (
            "Stand behind your chair and hold its back.",
            "Rise slowly onto your toes, then lower your heels.",
            "Repeat 10 to 15 times.",
        ),
        40,
        "legs",
        _S,
    ),
    _s(
        "water-walk",
        "Walk to refill your water",
        (
            "Stand up and walk to the kitchen or the tap.",
            "Refill your glass and have a few sips before you sit down.",
        ),
        120,
        "whole body",
        _S,
        _D,
    ),
)

# Thirst is a fine guide for healthy adults (Valtin 2002), so water cues stay short, varied
# and never preachy.
_WATER = (
    _s(
        "water-sip",
        "Have a sip",
        ("Take a few sips of water.", "Put the glass back within reach."),
        10,
        "whole body",
        _D,
    ),
    _s(
        "water-refill",
        "Refill your glass",
        ("Check your glass or bottle.", "If it is nearly empty, refill it now."),
        60,
        "whole body",
        _D,
    ),
    _s(
        "water-in-reach",
        "Keep water in reach",
        (
            "Put a glass or bottle of water where you can see it.",
            "Drink when you feel thirsty.",
        ),
        10,
        "whole body",
        _D,
    ),
)

# The setup check. Framed as "change position and check your setup", not "sit up straight":
# no single posture is proven to cause pain (Slater et al. 2019), while posture shifts and
# active breaks cut new neck pain (Waongenngarm et al. 2021).
POSTURE_CHECKLIST: tuple[str, ...] = (
    "Screen top at or slightly below eye level, about an arm's length away.",
    "Shoulders down and relaxed, ears roughly over your shoulders.",
    "Elbows at about 90 degrees, close to your body.",
    "Wrists straight, not bent up or down.",
    "Feet flat on the floor, back supported by the chair.",
    "Change position often: the best posture is the next one.",
)

_POSTURE = (
    _s(
        "posture-screen",
        "Check your screen",
        (
            "Set the top of the screen at or slightly below eye level.",
            "Keep it about an arm's length away.",
        ),
        20,
        "neck",
        _P,
    ),
    _s(
        "posture-shoulders",
        "Check your shoulders",
        (
            "Let your shoulders drop and relax.",
            "Let your ears rest roughly over your shoulders.",
        ),
        15,
        "shoulders",
        _P,
        _T,
    ),
    _s(
        "posture-arms",
        "Check your arms and wrists",
        (
            "Keep your elbows at about 90 degrees, close to your body.",
            "Keep your wrists straight, not bent up or down.",
        ),
        15,
        "wrists",
        _P,
        _R,
    ),
    _s(
        "posture-seat",
        "Check your seat",
        (
            "Put your feet flat on the floor or on a footrest.",
            "Sit back so the chair supports your back.",
        ),
        15,
        "back",
        _P,
    ),
    _s(
        "posture-shift",
        "Change position",
        (
            "Shift how you sit: lean back, move forward, or stand for a while.",
            "Any new position helps; none is right for hours.",
        ),
        20,
        "whole body",
        _P,
        _S,
    ),
)

_DAILY = (
    _s(
        "day-long-walk",
        "Longer walk",
        (
            "Save your work and step away from the screen.",
            "Go for a 10 to 20 minute walk, at an easy pace.",
        ),
        900,
        "whole body",
        _S,
        _T,
    ),
    _s(
        "day-wrap-up",
        "Wrap up and loosen up",
        (
            "Note where to pick up tomorrow, then close the laptop.",
            "Roll your shoulders and reach tall a few times.",
            "Do something away from screens for the evening.",
        ),
        120,
        "whole body",
        _S,
        _T,
    ),
)

CATALOG: tuple[Suggestion, ...] = (
    _NECK_SHOULDERS + _WRISTS_HANDS + _EYES_BREATH + _MOVEMENT + _WATER + _POSTURE + _DAILY
)
_BY_KEY = types.MappingProxyType({s.key: s for s in CATALOG})

# At most this many water prompts a day; more is nagging, and thirst is a fine guide for
# healthy adults (shared/notes/health.md; EFSA 2010; Valtin 2002).
MAX_WATER_PROMPTS_PER_DAY = 8


def by_key(key: str) -> Suggestion:
    """The catalog entry with this key (raises KeyError for an unknown key)."""
    return _BY_KEY[key]


def _pick(*keys: str) -> tuple[Suggestion, ...]:
    return tuple(_BY_KEY[key] for key in keys)


# Which suggestions suit which reminder. SITTING gets things done on your feet; REPETITION
# (a micro-break: the body already says "rest your hands") gets one short hand, neck or eye
# movement; POSTURE gets a setup check or a position change.
_FOR_KIND = types.MappingProxyType(
    {
        Kind.SITTING: _MOVEMENT
        + _pick(
            "overhead-reach",
            "chest-opener-door",
            "chest-opener-hands",
            "shoulder-rolls",
            "blade-squeeze",
            "look-over-shoulder",
            "side-tilt",
            "upper-trap-stretch",
            "arm-across-chest",
            "seated-twist",
        ),
        Kind.REPETITION: _WRISTS_HANDS
        + _pick(
            "shrug-and-drop",
            "shoulder-rolls",
            "chin-tuck",
            "levator-stretch",
            "chin-to-chest",
            "far-focus",
            "eye-palming",
            "slow-breath",
        ),
        Kind.POSTURE: _POSTURE + _pick("chin-tuck", "blade-squeeze", "seated-twist"),
        Kind.WATER: _WATER,
        Kind.DAILY: _DAILY,
    }
)


def suggestions_for(kind: Kind) -> tuple[Suggestion, ...]:
    """The suggestions that suit a kind of reminder, in catalog order."""
    return _FOR_KIND[kind]


# --- rotation -----------------------------------------------------------------------------


class Rotation:
    """Offers each kind's suggestions in a shuffled cycle, deterministic for a seed.

    Every suggestion of a kind is offered once before any is offered again, and none twice
    in a row, even across cycles or across kinds (a movement some kinds share is not offered
    again by the next reminder of another kind): varied content is what people keep using
    (Morris et al. 2008). Each kind has its own generator, seeded from ``seed`` and the kind,
    so one kind's shuffle does not depend on other kinds; only the pick from it may skip
    ahead past a movement another kind just offered.
    """

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._rngs: dict[Kind, random.Random] = {}
        self._queues: dict[Kind, list[Suggestion]] = {}
        self._last: dict[Kind, Suggestion] = {}
        self._previous: Suggestion | None = None  # the last one offered, of any kind

    def next(self, kind: Kind) -> Suggestion:
        """The next suggestion for ``kind``."""
        queue = self._queues.get(kind)
        if not queue:
            queue = self._queues[kind] = self._new_cycle(kind)
        avoid = (self._previous, self._last.get(kind))
        # The cycle's next one, unless it was just offered: then the nearest one that was not.
        index = next((i for i in range(len(queue) - 1, -1, -1) if queue[i] not in avoid), -1)
        suggestion = queue.pop(index)
        self._last[kind] = self._previous = suggestion
        return suggestion

    def _new_cycle(self, kind: Kind) -> list[Suggestion]:
        rng = self._rngs.get(kind)
        if rng is None:
            # A string seed is hashed with SHA-512, so this is stable across runs and
            # unaffected by PYTHONHASHSEED.
            rng = self._rngs[kind] = random.Random(f"breakd:{self._seed}:{kind.value}")
        cycle = list(suggestions_for(kind))
        rng.shuffle(cycle)
        # Items are popped from the end; move last cycle's final pick away from there.
        last = self._last.get(kind)
        if len(cycle) > 1 and cycle[-1] is last:
            swap = rng.randrange(len(cycle) - 1)
            cycle[-1], cycle[swap] = cycle[swap], cycle[-1]
        return cycle


# --- composing a notification -------------------------------------------------------------

_TITLES = types.MappingProxyType(
    {
        Kind.DAILY: "That's a long day",
        Kind.SITTING: "Time to stand up and move",
        Kind.REPETITION: "Micro-break: rest your hands",
        Kind.POSTURE: "Posture check",
        Kind.WATER: "Water break",
    }
)

# Repeats escalate gently: a friendlier nudge, never a scolding.
_REPEAT_TITLES = types.MappingProxyType(
    {
        Kind.DAILY: "Still at it? That's a long day",
        Kind.SITTING: "Still sitting? Time to move",
        Kind.REPETITION: "Still typing? Rest your hands",
        Kind.POSTURE: "Posture check: change position",
        Kind.WATER: "Water break",
    }
)

_ALSO = types.MappingProxyType(
    {
        Kind.DAILY: "Also: it's been a long day; start wrapping up.",
        Kind.SITTING: "Also: stand up and move for a few minutes.",
        Kind.REPETITION: "Also: rest your hands and look far away.",
        Kind.POSTURE: "Also: check your posture: shoulders down, screen at eye level.",
        Kind.WATER: "Also: refill your water.",
    }
)

# Added to a repeat's first line: make the break feel small enough to take now.
_REPEAT_NUDGE = types.MappingProxyType(
    {
        Kind.SITTING: "Even two minutes on your feet helps.",
        Kind.REPETITION: "Even 20 seconds helps.",
        Kind.POSTURE: "A small shift is enough.",
    }
)


def _duration(seconds: float) -> str:
    """'20 seconds', '1 minute', '5 minutes': rounded, never more precise than useful."""
    whole = max(round(seconds), 1)
    if whole < 60:
        return "1 second" if whole == 1 else f"{whole} seconds"
    minutes = round(whole / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _intro(kind: Kind, break_seconds: float | None) -> str:
    """The kind's lead-in line, with the suggested break length when there is one."""
    length = None if break_seconds is None else _duration(break_seconds)
    if kind is Kind.SITTING:
        if length is None:
            return "Stand up and move for a few minutes."
        return f"Take {length} away from the desk."
    if kind is Kind.REPETITION:
        # Every micro-break eases the neck and shoulders too, whatever its suggestion.
        hands = "Take your hands off the keyboard and mouse"
        if length is not None:
            hands = f"Rest your hands for {length}"
        return f"{hands}; let your shoulders drop and roll them back slowly a few times."
    if kind is Kind.POSTURE:
        return "Change position and check your setup."
    if kind is Kind.DAILY:
        return "You have been active for a long time today."
    if length is not None:
        return f"Take {length}."
    return ""


def _suggestion_lines(suggestion: Suggestion) -> list[str]:
    head = f"{suggestion.title} ({_duration(suggestion.seconds)}):"
    return [head, *(f"- {step}" for step in suggestion.steps)]


def _also_lines(kind: Kind, also: tuple[Kind, ...]) -> list[str]:
    seen = {kind}
    lines = []
    for other in also:
        if other not in seen:  # the lead kind and duplicates add nothing
            seen.add(other)
            lines.append(_ALSO[other])
    return lines


def compose(
    kind: Kind,
    suggestion: Suggestion,
    *,
    also: tuple[Kind, ...] = (),
    repeat: int = 0,
    break_seconds: float | None = None,
) -> tuple[str, str]:
    """A notification's (title, body): plain text, short enough for a popup.

    ``also`` lists kinds merged into this reminder (one line each), ``repeat`` is 0 for the
    first showing, and ``break_seconds`` the suggested break length, if this is a break.
    """
    title = f"{_REPEAT_TITLES[kind]} (reminder {repeat + 1})" if repeat > 0 else _TITLES[kind]
    lines = [_intro(kind, break_seconds)]
    if repeat > 0 and kind in _REPEAT_NUDGE:
        lines[0] = f"{lines[0]} {_REPEAT_NUDGE[kind]}".strip()
    lines.extend(_suggestion_lines(suggestion))
    lines.extend(_also_lines(kind, also))
    if kind is Kind.DAILY:
        lines.append(warning_signs_text(brief=True))
    lines.append(STOP_ON_PAIN)
    body = "\n".join(line for line in lines if line)
    return title, body
