"""Content: what breakd says - the catalog of suggestions, the safety text and the wording.

This module owns every sentence a reminder shows: the gentle movements, eye rests, water cues,
desk-setup checks and end-of-day tips (each answering one cause of neck and shoulder spasms:
posture, repetition, sitting, stress, dehydration, sleep, cold, overexertion, injury), which of
them suit which kind of reminder, the order they are offered in (``Rotation``), the
stop-on-pain note and the warning signs, and how a reminder's title and body are put together
(``compose``).

Theory of the layout. A reminder must work at a glance: GNOME Shell shows the title and the
first body line of a collapsed notification, and about six lines of roughly 45 characters
expanded; dunst cuts long bodies. So a body is at most ``MAX_BODY_LINES`` lines once wrapped
at ``LINE_CHARS`` (``wrap`` models that), and it is built in this order:

1. the lead: one line that alone says what to do now (``Suggestion.lead``);
2. how: the detail, in one or two lines;
3. the stop-on-pain note, on stretches and exercises only: in the middle of the body, never
   the part that gets cut;
4. also: one line naming the reminders merged into this one;
5. the kind's closing line: the stand-up break's length, the micro-break's look-away cue, a
   repeat's nudge, or (end of day) the urgent warning sign and where the full list is.

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
import textwrap
import types
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from breakd.core import units
from breakd.core.types import EngineState, Kind
from breakd.core.words import ENGLISH, N_, Translator

# GNOME Shell wraps a notification body at about 45 characters and shows about six lines
# expanded, one collapsed; five leaves room for dunst's and others' smaller boxes.
LINE_CHARS = 45
MAX_BODY_LINES = 5

# The command that prints the warning signs in full (breakd/content_commands.py).
WARNING_SIGNS_COMMAND = "breakd warning-signs"


class Cause(enum.Enum):
    """The causes of neck and shoulder spasms a desk program can answer; every suggestion
    answers at least one. (Chronic conditions get a line beside the warning signs, not
    prompts.)"""

    POSTURE = "posture"
    REPETITION = "repetition"
    SITTING = "sitting"
    STRESS = "stress"
    DEHYDRATION = "dehydration"
    SLEEP = "sleep"  # pillow height, sleeping on the front
    COLD = "cold"  # draughts on the neck: fan, air-conditioning vent, open window
    OVEREXERTION = "overexertion"  # a new workout or sport, done too hard too soon
    INJURY = "injury"  # coming back after one


@dataclass(frozen=True)
class Suggestion:
    """One concrete, safe thing to do during a reminder."""

    key: str  # stable slug, stored in Reminder.suggestion, the log and [content] exclude
    title: str  # a short name, for `breakd movements`
    lead: str  # the body's first line: alone says what to do now; one line at LINE_CHARS
    how: str  # the detail: one line for a movement (the note follows), else at most two
    seconds: int  # roughly how long it takes
    area: str  # the body part it is for: neck, shoulders, wrists, eyes...
    causes: tuple[Cause, ...]
    movement: bool = False  # a stretch or exercise: the body says to stop if it hurts

    def __post_init__(self) -> None:
        # Fail at import, not in a popup: a malformed entry is a programming error.
        if len(self.lead) > LINE_CHARS:
            raise ValueError(f"{self.key}: the lead must fit one line of {LINE_CHARS}")
        if not self.how:
            raise ValueError(f"{self.key}: needs a how")
        if self.movement and len(self.how) > LINE_CHARS:
            raise ValueError(f"{self.key}: a movement's how must fit one line (the note follows)")
        if self.seconds <= 0:
            raise ValueError(f"{self.key}: seconds must be positive")
        if not self.causes:
            raise ValueError(f"{self.key}: must answer at least one cause")


_P, _R, _S, _T, _D = Cause.POSTURE, Cause.REPETITION, Cause.SITTING, Cause.STRESS, Cause.DEHYDRATION


def _s(
    key: str, title: str, lead: str, how: str, seconds: int, area: str, *causes: Cause
) -> Suggestion:
    return Suggestion(key, title, lead, how, seconds, area, causes)


def _m(
    key: str, title: str, lead: str, how: str, seconds: int, area: str, *causes: Cause
) -> Suggestion:
    """A stretch or exercise: carries the stop-on-pain note."""
    return Suggestion(key, title, lead, how, seconds, area, causes, movement=True)


# --- safety -------------------------------------------------------------------------------

# Short, on every stretch and exercise, inside the body (see the layout in the docstring).
# TRANSLATORS: one line of 45 characters, on every stretch and exercise.
STOP_ON_PAIN = N_("Stop if it hurts, tingles or goes numb.")

# One duration everywhere: "more than a few days" matches the check-in advice, which speaks
# up after pain on more than three days in a row (breakd/stats/checkin.py). It is written out
# in each sign (not pasted in) so that each is one whole sentence to translate.
HOW_LONG = "more than a few days"

# Red flags from NICE CKS (neck pain), NHS musculoskeletal self-help and Versus Arthritis, as
# summarised in shared/notes/health.md "Stop and get help". New or spreading numbness or
# weakness is urgent in every version, long and short.
_URGENT = (
    N_("neck pain after a fall, accident or other injury"),
    N_(
        "new or spreading numbness or weakness in your arms, hands, legs or face, clumsy hands "
        "or new unsteadiness"
    ),
    N_("neck pain with a fever, or with a severe headache, light sensitivity or vomiting"),
    N_(
        "dizziness, fainting, double vision or other vision problems, slurred speech or "
        "trouble swallowing"
    ),
    N_(
        "an electric-shock feeling down your spine when you bend your neck, or bladder or "
        "bowel changes"
    ),
)
_SEE_PROFESSIONAL = (
    N_("neck or shoulder pain lasting more than a few days, or getting worse"),
    N_("pins and needles in an arm or hand lasting more than a few days"),
    N_("frequent or worsening spasms"),
    N_("constant pain, pain at night, or unexplained weight loss"),
    N_("eye strain or headaches that keep coming back"),
)
_URGENT_MARK = "Urgent: "
_PROFESSIONAL_MARK = "See a doctor or physiotherapist: "
_URGENT_HEAD = N_("Urgent: call your local emergency number or get medical help today for:")
_PROFESSIONAL_HEAD = N_("See a doctor or physiotherapist for:")

# English, for tests and the docs.
WARNING_SIGNS: tuple[str, ...] = tuple(_URGENT_MARK + sign for sign in _URGENT) + tuple(
    _PROFESSIONAL_MARK + sign for sign in _SEE_PROFESSIONAL
)

# The lines beside the warning signs: a long-term condition and nutrition get a word here,
# never a prompt.
_BESIDE_THE_SIGNS = (
    N_(
        "If you have a long-term condition such as arthritis, follow the advice of whoever "
        "treats it; breakd's movements are general, not a treatment."
    ),
    N_(
        "Regular meals and drinking when thirsty help muscles; if cramps or spasms keep coming "
        "back, ask a doctor rather than guessing at supplements."
    ),
)

# The short version, in notifications: two lines at LINE_CHARS.
# TRANSLATORS: at most two lines of 45 characters with the command; keep it no weaker than
# the English: urgent, and both "new" and "spreading" (or "getting worse").
_WARNING_BRIEF = N_("Urgent: new or spreading numbness or weakness. Warning signs: {command}")


def warning_signs_text(*, brief: bool = False, tr: Translator = ENGLISH) -> str:
    """The warning signs as plain text: the full list (``breakd warning-signs``), or the two
    lines a notification carries."""
    if brief:
        return tr.gettext(_WARNING_BRIEF).format(command=WARNING_SIGNS_COMMAND)
    lines = [tr.gettext("Stop the movements and get help if you notice any of these."), ""]
    lines.append(tr.gettext(_URGENT_HEAD))
    lines.extend(f"- {tr.gettext(sign)}" for sign in _URGENT)
    lines.append("")
    lines.append(tr.gettext(_PROFESSIONAL_HEAD))
    lines.extend(f"- {tr.gettext(sign)}" for sign in _SEE_PROFESSIONAL)
    lines.append("")
    lines.extend(tr.gettext(line) for line in _BESIDE_THE_SIGNS)
    lines.append("(NICE CKS neck pain; NHS musculoskeletal self-help; Versus Arthritis.)")
    return "\n".join(lines)


# --- the catalog --------------------------------------------------------------------------

# Neck, shoulders and upper back: the spasm-prone muscles. Seated stretches, for micro-breaks
# and posture checks; the stand-up reminder gets things done on your feet.
_NECK_SHOULDERS = (
    _m(
        "chin-tuck",
        N_("Chin glide"),
        N_("Do 5 slow chin glides."),
        N_("Slide your chin straight back; hold 3-5 s."),
        30,
        N_("neck"),
        _P,
    ),
    _m(
        "side-tilt",
        N_("Ear to shoulder"),
        N_("Tilt your ear gently toward your shoulder."),
        N_("Hold 15 s, then do the other side."),
        40,
        N_("neck"),
        _P,
        _T,
    ),
    _m(
        "levator-stretch",
        N_("Nose to armpit stretch"),
        N_("Tip your nose gently toward your armpit."),
        N_("Turn your head a little first; 15 s a side."),
        40,
        N_("neck"),
        _P,
        _R,
    ),
    _m(
        "look-over-shoulder",
        N_("Look over your shoulder"),
        N_("Look slowly over one shoulder."),
        N_("Hold 10 s, then look over the other one."),
        30,
        N_("neck"),
        _P,
        _S,
    ),
    _m(
        "chin-to-chest",
        N_("Chin to chest"),
        N_("Lower your chin slowly toward your chest."),
        N_("Hold 15 s; lift it back to level, no further."),
        25,
        N_("neck"),
        _P,
        _T,
    ),
    _m(
        "upper-trap-stretch",
        N_("Upper-shoulder stretch"),
        N_("Tilt your head to one side and forward."),
        N_("Hold your seat with the other hand; 15 s."),
        40,
        N_("shoulders"),
        _T,
        _R,
    ),
    _m(
        "shrug-and-drop",
        N_("Shrug and drop"),
        N_("Shrug your shoulders up, then let them drop."),
        N_("Breathe out as they drop; 5 times."),
        25,
        N_("shoulders"),
        _T,
        _R,
    ),
    _m(
        "shoulder-rolls",
        N_("Shoulder rolls"),
        N_("Roll your shoulders slowly backwards."),
        N_("5 times back, 5 forwards; head still."),
        30,
        N_("shoulders"),
        _R,
        _S,
        _T,
    ),
    _m(
        "arm-across-chest",
        N_("Arm across the chest"),
        N_("Hug one arm gently across your chest."),
        N_("Hold 15 s, then switch arms."),
        35,
        N_("shoulders"),
        _R,
    ),
    _m(
        "blade-squeeze",
        N_("Shoulder-blade squeeze"),
        N_("Squeeze your shoulder blades back and down."),
        N_("Hold 5 s and release; 5 times."),
        30,
        N_("upper back"),
        _P,
        _S,
    ),
    _m(
        "chest-opener-door",
        N_("Doorway chest opener"),
        N_("Stand up and open your chest in a doorway."),
        N_("Forearms on the frame, step forward; 15 s."),
        60,
        N_("upper back"),
        _P,
        _S,
    ),
    _m(
        "chest-opener-hands",
        N_("Hands-behind-back chest opener"),
        N_("Clasp your hands loosely behind your back."),
        N_("Lift your chest a little; hold 15 s."),
        25,
        N_("upper back"),
        _P,
        _S,
    ),
    _m(
        "overhead-reach",
        N_("Overhead reach"),
        N_("Stand up and reach both arms overhead."),
        N_("Lean gently to each side; 10 s a side."),
        30,
        N_("upper back"),
        _S,
        _P,
    ),
    _m(
        "seated-twist",
        N_("Gentle twist"),
        N_("Turn your upper body gently to one side."),
        N_("Hold 15 s, then turn to the other side."),
        40,
        N_("upper back"),
        _S,
        _P,
    ),
)

_WRISTS_HANDS = (
    _m(
        "wrist-extensor",
        N_("Back-of-wrist stretch"),
        N_("Stretch the backs of your wrists."),
        N_("Arm out, palm down, ease the hand down; 15 s."),
        35,
        N_("wrists"),
        _R,
    ),
    _m(
        "wrist-flexor",
        N_("Palm-side wrist stretch"),
        N_("Stretch the palm side of your wrists."),
        N_("Arm out, palm up, ease fingers back; 15 s."),
        35,
        N_("wrists"),
        _R,
    ),
    _m(
        "fan-and-fist",
        N_("Fan and fist"),
        N_("Spread your fingers wide, then make a fist."),
        N_("Slowly, 3 s each; 5 times."),
        30,
        N_("hands"),
        _R,
    ),
)

_EYES_BREATH = (
    _s(
        "far-focus",
        N_("Far focus and blink"),
        N_("Look at something 6 metres away for 20 s."),
        N_("Blink slowly a few times."),
        20,
        N_("eyes"),
        _P,
        _T,
    ),
    _s(
        "eye-palming",
        N_("Rest your eyes"),
        N_("Close your eyes; cup your palms over them."),
        N_("Do not press; breathe slowly for 20 s."),
        20,
        N_("eyes"),
        _T,
    ),
    _s(
        "slow-breath",
        N_("Slow breathing"),
        N_("Breathe slowly: in for 4, out for 6."),
        N_("Let your shoulders drop; 5 breaths."),
        50,
        N_("whole body"),
        _T,
    ),
)

# The stand-up reminder: every lead starts with standing up (the evidence behind the 30-minute
# default is light walking: Dunstan et al. 2012, Duran et al. 2023).
_ON_YOUR_FEET = (
    _s(
        "walk",
        N_("Short walk"),
        N_("Stand up and walk for a few minutes."),
        N_("Down the corridor, to a window or outside."),
        180,
        N_("whole body"),
        _S,
        _T,
    ),
    _s(
        "stairs",
        N_("Take the stairs"),
        N_("Stand up and take the stairs."),
        N_("One flight up and down, at an easy pace."),
        120,
        N_("legs"),
        _S,
    ),
    _s(
        "water-walk",
        N_("Walk to refill your water"),
        N_("Stand up and walk to refill your water."),
        N_("Have a few sips before you sit down again."),
        120,
        N_("whole body"),
        _S,
        _D,
    ),
    _m(
        "march",
        N_("March on the spot"),
        N_("Stand up and march on the spot."),
        N_("Knees up, arms swinging, for a minute."),
        60,
        N_("legs"),
        _S,
    ),
    _m(
        "calf-raises",
        N_("Calf raises"),
        N_("Stand up and do 10-15 calf raises."),
        N_("Hold the desk edge, not a rolling chair."),
        40,
        N_("legs"),
        _S,
    ),
    _s(
        "stand-breath",
        N_("Stand and breathe"),
        N_("Stand up and breathe slowly for a minute."),
        N_("In for 4, out for 6; let your shoulders drop."),
        60,
        N_("whole body"),
        _S,
        _T,
    ),
)

# Thirst is a fine guide for healthy adults (Valtin 2002), so water cues stay short, varied
# and never preachy.
_WATER = (
    _s(
        "water-sip",
        N_("Have a sip"),
        N_("Have a few sips of water."),
        N_("Then put the glass back within reach."),
        10,
        N_("whole body"),
        _D,
    ),
    _s(
        "water-refill",
        N_("Refill your glass"),
        N_("Check your glass or bottle."),
        N_("If it is nearly empty, refill it now."),
        60,
        N_("whole body"),
        _D,
    ),
    _s(
        "water-in-reach",
        N_("Keep water in reach"),
        N_("Put a glass of water where you can see it."),
        N_("Drink when you feel thirsty."),
        10,
        N_("whole body"),
        _D,
    ),
)

# The setup check. Framed as "change position and check your setup", not "sit up straight":
# no single posture is proven to cause pain (Slater et al. 2019), while posture shifts and
# active breaks cut new neck pain (Waongenngarm et al. 2021).
_POSTURE = (
    _s(
        "posture-screen",
        N_("Check your screen"),
        N_("Check your screen height."),
        N_("Top at or just below eye level, an arm's length away."),
        20,
        N_("neck"),
        _P,
    ),
    _s(
        "posture-shoulders",
        N_("Check your shoulders"),
        N_("Let your shoulders drop and relax."),
        N_("Ears roughly over your shoulders."),
        15,
        N_("shoulders"),
        _P,
        _T,
    ),
    _s(
        "posture-arms",
        N_("Check your arms and wrists"),
        N_("Check your elbows and wrists."),
        N_("Elbows near 90 degrees, close in; wrists straight."),
        15,
        N_("wrists"),
        _P,
        _R,
    ),
    _s(
        "posture-seat",
        N_("Check your seat"),
        N_("Check your seat and feet."),
        N_("Feet flat on the floor or a footrest; back supported."),
        15,
        N_("back"),
        _P,
    ),
    _s(
        "posture-shift",
        N_("Change position"),
        N_("Change position: lean back, shift or stand."),
        N_("Any new position helps; none is right for hours."),
        20,
        N_("whole body"),
        _P,
        _S,
    ),
    _s(
        "posture-draught",
        N_("Keep draughts off your neck"),
        N_("Check for a draught on your neck."),
        N_("Move out of the path of a fan, air vent or open window."),
        15,
        N_("neck"),
        Cause.COLD,
    ),
)

# The end-of-day reminder: step away, and the causes that live outside working hours.
_DAILY = (
    _s(
        "day-long-walk",
        N_("Longer walk"),
        N_("Go for an easy 10-20 minute walk."),
        N_("Save your work and step away from the screen."),
        900,
        N_("whole body"),
        _S,
        _T,
    ),
    _s(
        "day-wrap-up",
        N_("Wrap up"),
        N_("Start wrapping up for today."),
        N_("Note where to pick up tomorrow, then log off."),
        120,
        N_("whole body"),
        _T,
    ),
    _s(
        "day-sleep-setup",
        N_("Sleep setup"),
        N_("Sleep on your back or side tonight."),
        N_("Use a pillow that keeps your neck level."),
        10,
        N_("neck"),
        Cause.SLEEP,
    ),
    _s(
        "day-build-up",
        N_("Build up gently"),
        N_("Build up new workouts gently."),
        N_("After an injury too: add a little at a time."),
        10,
        N_("whole body"),
        Cause.OVEREXERTION,
        Cause.INJURY,
    ),
)

CATALOG: tuple[Suggestion, ...] = (
    _NECK_SHOULDERS + _WRISTS_HANDS + _EYES_BREATH + _ON_YOUR_FEET + _WATER + _POSTURE + _DAILY
)
_BY_KEY = types.MappingProxyType({s.key: s for s in CATALOG})
KEYS: tuple[str, ...] = tuple(_BY_KEY)


def by_key(key: str) -> Suggestion:
    """The catalog entry with this key (raises KeyError for an unknown key)."""
    return _BY_KEY[key]


def _pick(*keys: str) -> tuple[Suggestion, ...]:
    return tuple(_BY_KEY[key] for key in keys)


# Which suggestions suit which reminder. SITTING gets things done on your feet; REPETITION
# (a micro-break: the title already says "rest your hands") gets one short seated hand, neck,
# eye or breathing movement; POSTURE gets a setup check, a position change, a seated stretch
# or slow breathing; DAILY gets stepping away and the causes outside working hours.
_FOR_KIND = types.MappingProxyType(
    {
        Kind.SITTING: _ON_YOUR_FEET + _pick("overhead-reach", "chest-opener-door"),
        Kind.REPETITION: _WRISTS_HANDS
        + _pick(
            "shrug-and-drop",
            "shoulder-rolls",
            "chin-tuck",
            "levator-stretch",
            "chin-to-chest",
            "side-tilt",
            "look-over-shoulder",
            "upper-trap-stretch",
            "arm-across-chest",
            "chest-opener-hands",
            "far-focus",
            "eye-palming",
            "slow-breath",
        ),
        Kind.POSTURE: _POSTURE + _pick("chin-tuck", "blade-squeeze", "seated-twist", "slow-breath"),
        Kind.WATER: _WATER,
        Kind.DAILY: _DAILY,
    }
)

# What each kind of reminder is called in `breakd movements` and the docs.
# The kinds by their config and status names ("sitting"), as `breakd status`, the tray and the
# statistics name them (the wire and the store keep the English key).
STATUS_NAMES = types.MappingProxyType(
    {
        "sitting": N_("sitting"),
        "repetition": N_("repetition"),
        "posture": N_("posture"),
        "water": N_("water"),
        "daily": N_("daily"),
    }
)


def kind_name(kind: str, tr: Translator = ENGLISH) -> str:
    """A kind's status name in the user's language; an unknown one as it is."""
    name = STATUS_NAMES.get(kind)
    return kind if name is None else tr.gettext(name)


# Each engine state as a whole sentence, as `breakd status` and the tray say it (the wire keeps
# the English key, "on-break"). The state alone: where a pause's or a break's end is known,
# they say a longer sentence with it.
STATE_SENTENCES = types.MappingProxyType(
    {
        EngineState.PAUSED: N_("breakd is paused until you resume it"),
        EngineState.ON_BREAK: N_("breakd: you are on a break"),
        EngineState.AWAY: N_("breakd is on; you are away"),
        EngineState.DO_NOT_DISTURB: N_(
            "breakd is holding reminders (do not disturb, or a fullscreen window)"
        ),
        EngineState.OFF_HOURS: N_("breakd is off-hours"),
        EngineState.QUIET: N_("breakd is quiet"),
        EngineState.ACTIVE: N_("breakd is on; you are active"),
        EngineState.IDLE: N_("breakd is on; a pause in your input"),
    }
)


def state_sentence(state: EngineState, tr: Translator = ENGLISH) -> str:
    """A state as a whole sentence in the user's language ("breakd is on; you are away")."""
    return tr.gettext(STATE_SENTENCES[state])


KIND_NAMES = types.MappingProxyType(
    {
        Kind.SITTING: N_("stand-up"),
        Kind.REPETITION: N_("micro-break"),
        Kind.POSTURE: N_("posture"),
        Kind.WATER: N_("water"),
        Kind.DAILY: N_("end-of-day"),
    }
)


def suggestions_for(kind: Kind) -> tuple[Suggestion, ...]:
    """The suggestions that suit a kind of reminder, in catalog order."""
    return _FOR_KIND[kind]


def kinds_using(suggestion: Suggestion) -> tuple[Kind, ...]:
    """The kinds of reminder that offer this suggestion, in priority order."""
    return tuple(kind for kind in Kind if suggestion in _FOR_KIND[kind])


def offered(kind: Kind, exclude: Iterable[str] = ()) -> tuple[Suggestion, ...]:
    """The suggestions a kind offers with ``exclude`` (keys) left out.

    Excluding all of a kind's suggestions would leave its reminder with nothing to say, so
    then the kind offers its full list again: exclusions never switch a reminder off (its
    ``enabled = false`` does that)."""
    left_out = frozenset(exclude)
    pool = suggestions_for(kind)
    kept = tuple(s for s in pool if s.key not in left_out)
    return kept or pool


def fully_excluded(exclude: Iterable[str]) -> tuple[Kind, ...]:
    """The kinds whose every suggestion is in ``exclude`` (they offer their full list)."""
    left_out = frozenset(exclude)
    return tuple(kind for kind in Kind if all(s.key in left_out for s in suggestions_for(kind)))


# --- rotation -----------------------------------------------------------------------------


class Rotation:
    """Offers each kind's suggestions in a shuffled cycle, deterministic for a seed.

    Every suggestion of a kind is offered once before any is offered again, and none twice
    in a row, even across cycles or across kinds (a movement some kinds share is not offered
    again by the next reminder of another kind): varied content is what people keep using
    (Morris et al. 2008). Each kind has its own generator, seeded from ``seed`` and the kind,
    so one kind's shuffle does not depend on other kinds; only the pick from it may skip
    ahead past a movement another kind just offered. Suggestions whose keys are in
    ``exclude`` are left out (see ``offered`` for a kind with all of them excluded).
    """

    def __init__(self, seed: int, exclude: Iterable[str] = ()) -> None:
        self._seed = seed
        self._exclude = frozenset(exclude)
        self._rngs: dict[Kind, random.Random] = {}
        self._queues: dict[Kind, list[Suggestion]] = {}
        self._last: dict[Kind, Suggestion] = {}
        self._previous: Suggestion | None = None  # the last one offered, of any kind

    def set_excluded(self, exclude: Iterable[str]) -> None:
        """Leave out these keys from now on (a reloaded config): cycles start afresh, and
        the no-twice-in-a-row rule still holds across the change."""
        keys = frozenset(exclude)
        if keys != self._exclude:
            self._exclude = keys
            self._queues.clear()

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
        cycle = list(offered(kind, self._exclude))
        rng.shuffle(cycle)
        # Items are popped from the end; move last cycle's final pick away from there.
        last = self._last.get(kind)
        if len(cycle) > 1 and cycle[-1] is last:
            swap = rng.randrange(len(cycle) - 1)
            cycle[-1], cycle[swap] = cycle[swap], cycle[-1]
        return cycle


# --- composing a notification -------------------------------------------------------------

# Titles fit one line too, "(reminder 11)" included.
_TITLES = types.MappingProxyType(
    {
        Kind.DAILY: N_("That's a long day"),
        Kind.SITTING: N_("Time to stand up and move"),
        Kind.REPETITION: N_("Micro-break: rest your hands"),
        Kind.POSTURE: N_("Posture check"),
        Kind.WATER: N_("Water break"),
    }
)

# Repeats escalate gently: a friendlier nudge, never a scolding.
_REPEAT_TITLES = types.MappingProxyType(
    {
        Kind.DAILY: N_("Still here? A long day"),
        Kind.SITTING: N_("Still sitting? Time to move"),
        Kind.REPETITION: N_("Still typing? Rest your hands"),
        Kind.POSTURE: N_("Posture check: change position"),
        Kind.WATER: N_("Water break"),
    }
)
# TRANSLATORS: a reminder shown again; {number} is 2, 3... The whole title fits 45 columns.
_REPEAT_TITLE = N_("{title} (reminder {number})")

# A merged kind in words: the full phrase while the line fits, else the short one.
_ALSO = types.MappingProxyType(
    {
        Kind.DAILY: N_("wrap up for today"),
        Kind.SITTING: N_("stand up and move"),
        Kind.REPETITION: N_("rest your hands and eyes"),
        Kind.POSTURE: N_("check your setup"),
        Kind.WATER: N_("refill your water"),
    }
)
_ALSO_SHORT = types.MappingProxyType(
    {
        Kind.DAILY: N_("wrap up"),
        Kind.SITTING: N_("walk"),
        Kind.REPETITION: N_("eye rest"),
        Kind.POSTURE: N_("posture check"),
        Kind.WATER: N_("water"),
    }
)
# A merged kind goes unsaid when the suggestion already does it (a walk to refill your water
# needs no "also: refill your water").
_ALSO_DONE_BY = types.MappingProxyType({Kind.WATER: Cause.DEHYDRATION, Kind.SITTING: _S})

# Every micro-break carries the look-away cue, unless its suggestion is looking away.
_LOOK_AWAY = N_("Then look 6 m away for 20 s and blink.")
_LOOK_AWAY_AGAIN = N_("Even 20 s helps; then look 6 m away, blink.")
_LOOKS_AWAY = frozenset({"far-focus"})

# A repeat's closing line: make the break feel small enough to take now.
_REPEAT_NUDGE = types.MappingProxyType(
    {
        Kind.SITTING: N_("Even two minutes on your feet helps."),
        Kind.REPETITION: N_("Even 20 seconds helps."),
        Kind.POSTURE: N_("A small shift is enough."),
    }
)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a notification: a wide or full-width character (Japanese,
    Chinese, Korean) takes two, as in a terminal; near enough for a proportional font."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(body: str, width: int = LINE_CHARS) -> list[str]:
    """The body's lines as a notification server shows them: each paragraph wrapped at
    ``width`` columns, breaking at spaces and after hyphens as Pango does, and between any
    two wide characters (Japanese has no spaces; Pango breaks there too)."""
    lines: list[str] = []
    for paragraph in body.split("\n"):
        if any(unicodedata.east_asian_width(c) in "WF" for c in paragraph):
            lines.extend(_wrap_wide(paragraph, width) or [""])
        else:
            lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


# A line never starts with these (the Japanese line-breaking rule, kinsoku shori).
_NO_LINE_START = frozenset("、。，．・：；？！）」』】〕ー…")  # noqa: RUF001


def _wrap_wide(paragraph: str, columns: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for char in paragraph:
        if not line or display_width(line + char) <= columns:
            line += char
        elif char in _NO_LINE_START and len(line) > 1:
            # The mark may not start a line: the character before it goes down with it.
            lines.append(line[:-1].rstrip())
            line = line[-1] + char
        else:
            lines.append(line.rstrip())
            line = char.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _away_for(seconds: float, tr: Translator) -> str:
    """The stand-up break's closing line: a whole sentence per unit, so each language can
    put the count in its own case."""
    whole = max(round(seconds), 1)
    if whole < 60:
        text = tr.ngettext(
            "Take {n} second away from the desk.", "Take {n} seconds away from the desk.", whole
        )
        return text.format(n=whole)
    minutes = round(whole / 60)
    text = tr.ngettext(
        "Take {n} minute away from the desk.", "Take {n} minutes away from the desk.", minutes
    )
    return text.format(n=minutes)


def _also_line(kind: Kind, suggestion: Suggestion, also: tuple[Kind, ...], tr: Translator) -> str:
    kinds = []
    for other in also:
        done = _ALSO_DONE_BY.get(other)
        # The lead kind, duplicates and what the suggestion already does add nothing.
        if other is not kind and other not in kinds and done not in suggestion.causes:
            kinds.append(other)
    if not kinds:
        return ""
    # TRANSLATORS: the other reminders merged into this one; {things} lists phrases such as
    # "stand up and move" (or the short ones, "walk", when the line would not fit).
    line = tr.gettext("Also: {things}.").format(
        things=_join([tr.gettext(_ALSO[k]) for k in kinds], tr)
    )
    if display_width(line) > LINE_CHARS:
        line = tr.gettext("Also: {things}.").format(
            things=_join([tr.gettext(_ALSO_SHORT[k]) for k in kinds], tr, short=True)
        )
    return line


def _join(phrases: list[str], tr: Translator, *, short: bool = False) -> str:
    """'a, b and c' in the user's language (the short form: 'a, b, c')."""
    # TRANSLATORS: the separator of a list ("walk, eye rest, water").
    comma = tr.gettext(", ")  # a list's separator: Japanese uses its own comma
    if short or len(phrases) == 1:
        return comma.join(phrases)
    # TRANSLATORS: the last item of a list; {things} is the items before it, joined by ", ".
    return tr.gettext("{things} and {last}").format(
        things=comma.join(phrases[:-1]), last=phrases[-1]
    )


def _closing(
    kind: Kind, suggestion: Suggestion, repeat: int, break_seconds: float | None, tr: Translator
) -> str:
    """The kind's last line (see the layout in the module docstring)."""
    if kind is Kind.REPETITION:
        if suggestion.key in _LOOKS_AWAY:
            return tr.gettext(_REPEAT_NUDGE[kind]) if repeat else ""
        return tr.gettext(_LOOK_AWAY_AGAIN if repeat else _LOOK_AWAY)
    if kind is Kind.DAILY:
        return warning_signs_text(brief=True, tr=tr)
    if repeat and kind in _REPEAT_NUDGE:
        return tr.gettext(_REPEAT_NUDGE[kind])
    if kind is Kind.SITTING and break_seconds is not None:
        return _away_for(break_seconds, tr)
    return ""


def compose(
    kind: Kind,
    suggestion: Suggestion,
    *,
    also: tuple[Kind, ...] = (),
    repeat: int = 0,
    break_seconds: float | None = None,
    tr: Translator = ENGLISH,
) -> tuple[str, str]:
    """A notification's (title, body): plain text that fits at a glance.

    ``also`` lists kinds merged into this reminder (one line for all), ``repeat`` is 0 for
    the first showing, and ``break_seconds`` the stand-up break's length, if this is one;
    ``tr`` gives the words in the user's language.
    The body wraps to at most ``MAX_BODY_LINES`` lines of ``LINE_CHARS``; its first line
    alone says what to do now.
    """
    if repeat > 0:
        title = tr.gettext(_REPEAT_TITLE).format(
            title=tr.gettext(_REPEAT_TITLES[kind]), number=repeat + 1
        )
    else:
        title = tr.gettext(_TITLES[kind])
    paragraphs = (
        tr.gettext(suggestion.lead),
        tr.gettext(suggestion.how),
        tr.gettext(STOP_ON_PAIN) if suggestion.movement else "",
        _also_line(kind, suggestion, also, tr),
        _closing(kind, suggestion, repeat, break_seconds, tr),
    )
    body = "\n".join(p for p in paragraphs if p)
    return title, body


def compose_break(
    suggestion: Suggestion, break_seconds: float, tr: Translator = ENGLISH
) -> tuple[str, str]:
    """The notification of a break the user asked for (``breakd break-now``): no "time to
    stand up" title, since they already decided to; what to do with it, and when it ends."""
    title = tr.gettext("Your break: {duration}").format(duration=units.duration(break_seconds, tr))
    paragraphs = (
        tr.gettext(suggestion.lead),
        tr.gettext(suggestion.how),
        tr.gettext(STOP_ON_PAIN) if suggestion.movement else "",
        tr.gettext("Step away; the timers restart when you come back."),
    )
    return title, "\n".join(p for p in paragraphs if p)


# --- the catalog as a table ---------------------------------------------------------------


def catalog_table(exclude: Iterable[str] = (), tr: Translator = ENGLISH) -> list[str]:
    """``breakd movements``: one line per suggestion (key, title, body area, duration, the
    reminders that offer it), marking the excluded ones; the words in ``tr``'s language (the
    keys stay: they are what ``[content] exclude`` takes)."""
    left_out = frozenset(exclude)
    # TRANSLATORS: the column headings of `breakd movements`; KEY is the movement's key,
    # which stays English in the table.
    header = (
        tr.gettext("KEY"),
        tr.gettext("TITLE"),
        tr.gettext("AREA"),
        tr.gettext("TIME"),
        tr.gettext("OFFERED BY"),
    )
    rows = [header]
    for s in CATALOG:
        used = tr.gettext(", ").join(tr.gettext(KIND_NAMES[k]) for k in kinds_using(s))
        title, area = tr.gettext(s.title), tr.gettext(s.area)
        rows.append((s.key, title, area, units.short_duration(s.seconds, tr), used))
    widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        mark = "x" if row[0] in left_out else " "
        # Padded by display width, so the columns line up also with Japanese titles.
        text = "  ".join(
            cell + " " * (width - display_width(cell))
            for cell, width in zip(row, widths, strict=False)
        )
        lines.append(f"{mark} {text}  {row[4]}".rstrip())
    return lines
