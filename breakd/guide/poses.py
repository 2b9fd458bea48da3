"""The drawing of every movement in the catalog: one ``Figure`` per catalog key.

What this module owns: the table ``FIGURES`` (catalog key -> view, props, start and end pose,
arrows). Adding a movement to ``breakd.core.content.CATALOG`` means adding its entry here; a
test fails until there is one. ``FALLBACK_BY_AREA`` is a generic drawing per body area for a
key the table does not know yet (so nothing crashes between the two changes), never a
substitute: the test still requires an explicit entry per key.

Must not: know how figures are drawn (``figures.py``) or where the SVGs live (``drawings.py``).

Reading an entry: left and right are the viewer's, and the figure is a mirror image, so "your
right ear" in the steps is the ear on the viewer's left. Limb angles: 0 down, 90 toward the
viewer's right (forward, in a side view), 180 up.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from breakd.guide.figures import (
    FRONT_SEATED_L,
    FRONT_SEATED_R,
    SEATED_LEG,
    SIDE_ARM_DOWN,
    SIDE_LEGS,
    Arrow,
    Figure,
    Pose,
    Reach,
)

# --- base poses ------------------------------------------------------------------------------

FRONT = Pose()
FRONT_SEATED = Pose(
    leg_l=FRONT_SEATED_L,
    leg_r=FRONT_SEATED_R,
    arm_l=(-12.0, 10.0, 10.0),
    arm_r=(12.0, -10.0, -10.0),
)
SIDE = Pose(arm_l=(-4.0, 6.0, 6.0), arm_r=SIDE_ARM_DOWN, leg_l=SIDE_LEGS, leg_r=(4.0, 0.0, 90.0))
SIDE_SEATED = replace(
    SIDE,
    arm_l=(15.0, 75.0, 90.0),
    arm_r=(20.0, 80.0, 90.0),
    leg_l=SEATED_LEG,
    leg_r=(86.0, 4.0, 90.0),
)
AT_DESK = replace(SIDE_SEATED, arm_l=(10.0, 88.0, 92.0), arm_r=(14.0, 90.0, 92.0))

# On the back, head to the left, toes up; raised so the head rests on the pillow.
LYING = replace(
    SIDE,
    lean=-90.0,
    lift=15.0,
    arm_l=(88.0, 90.0, 90.0),
    arm_r=(92.0, 90.0, 90.0),
    leg_l=(90.0, 90.0, 180.0),
    leg_r=(91.0, 90.0, 180.0),
)
ARMS_UP = replace(FRONT, arm_l=(188.0, 182.0, 180.0), arm_r=(172.0, 178.0, 180.0))

STRIDE = replace(
    SIDE,
    leg_l=(22.0, 4.0, 90.0),
    leg_r=(-20.0, -40.0, 55.0),
    arm_l=(25.0, 50.0, 50.0),
    arm_r=(-22.0, -8.0, -8.0),
)
STRIDE_OTHER = replace(
    STRIDE, leg_l=STRIDE.leg_r, leg_r=STRIDE.leg_l, arm_l=STRIDE.arm_r, arm_r=STRIDE.arm_l
)
FORWARD = Arrow("chest", dx=12.0, dy=-4.0, to_x=12.0)


def _walk(*props: str, seconds: float = 2.0) -> Figure:
    return Figure(
        "side", STRIDE, STRIDE_OTHER, (FORWARD,), props=("floor", *props), seconds=seconds
    )


# --- the table -------------------------------------------------------------------------------

FIGURES: MappingProxyType[str, Figure] = MappingProxyType(
    {
        # Neck
        "chin-tuck": Figure(
            "side", SIDE, replace(SIDE, tuck=3.5), (Arrow("mouth", dx=12.0, to_x=-6.0),), upper=True
        ),
        "side-tilt": Figure(
            "front",
            FRONT,
            replace(FRONT, tilt=-24.0),
            (Arrow("neck", radius=17.0, start=5.0, end=-40.0),),
            upper=True,
        ),
        "levator-stretch": Figure(
            "front",
            FRONT,
            replace(FRONT, tilt=-14.0, turn=-0.55, nod=1.0),
            (Arrow("neck", radius=17.0, start=-10.0, end=-60.0),),
            upper=True,
        ),
        "look-over-shoulder": Figure(
            "front",
            FRONT,
            replace(FRONT, turn=-1.0),
            (Arrow("head", radius=11.5, start=40.0, end=-40.0),),
            upper=True,
        ),
        "chin-to-chest": Figure(
            "side",
            SIDE,
            replace(SIDE, tilt=38.0),
            (Arrow("neck", radius=17.0, start=30.0, end=95.0),),
            upper=True,
        ),
        "posture-screen": Figure(
            "side",
            replace(AT_DESK, tilt=12.0),
            AT_DESK,
            (Arrow("screen", dx=6.0, dy=14.0, to_y=-12.0),),
            seated=True,
            props=("floor", "chair", "desk"),
        ),
        # Shoulders
        "upper-trap-stretch": Figure(
            "front",
            replace(FRONT, arm_l=(-6.0, -2.0, -2.0)),
            replace(FRONT, arm_l=(-6.0, -2.0, -2.0), tilt=22.0, nod=0.5),
            (Arrow("neck", radius=17.0, start=-5.0, end=40.0),),
            upper=True,
        ),
        "shrug-and-drop": Figure(
            "front",
            FRONT,
            replace(FRONT, shrug=4.5),
            (
                Arrow("shoulder_l", dx=-5.0, dy=5.0, to_y=-11.0, both=True),
                Arrow("shoulder_r", dx=5.0, dy=5.0, to_y=-11.0, both=True),
            ),
            upper=True,
            seconds=3.0,
        ),
        "shoulder-rolls": Figure(
            "side",
            SIDE,
            replace(SIDE, shrug=3.0, shoulder_dx=-3.0),
            (Arrow("shoulder_l", radius=7.0, start=80.0, end=-200.0),),
            upper=True,
            seconds=3.0,
        ),
        "arm-across-chest": Figure(
            "front",
            FRONT,
            replace(
                FRONT,
                arm_l=(78.0, 92.0, 92.0),
                arm_r=Reach("elbow_l", dx=1.0, dy=2.0, bend=-1, hand=-100.0),
            ),
            (Arrow("elbow_l", dx=-6.0, dy=-6.0, to_x=10.0),),
            upper=True,
        ),
        "posture-shoulders": Figure(
            "front",
            replace(FRONT, shrug=4.0, nod=0.4),
            FRONT,
            (
                Arrow("shoulder_l", dx=-5.0, dy=-8.0, to_y=7.0),
                Arrow("shoulder_r", dx=5.0, dy=-8.0, to_y=7.0),
            ),
            upper=True,
        ),
        # Upper back
        "blade-squeeze": Figure(
            "side",
            replace(SIDE, arm_l=(0.0, 70.0, 80.0), arm_r=(4.0, 75.0, 85.0)),
            replace(
                SIDE,
                shoulder_dx=-2.5,
                lean=-3.0,
                arm_l=(-22.0, 65.0, 75.0),
                arm_r=(-18.0, 70.0, 80.0),
            ),
            (Arrow("shoulder_l", dx=-4.0, dy=-5.0, to_x=-9.0),),
            upper=True,
        ),
        "chest-opener-door": Figure(
            "side",
            replace(SIDE, arm_l=(-92.0, 180.0, 180.0), arm_r=(-88.0, 178.0, 178.0)),
            replace(
                SIDE,
                x=5.0,
                lean=4.0,
                arm_l=(-108.0, 178.0, 178.0),
                arm_r=(-104.0, 176.0, 176.0),
                leg_l=(-6.0, 0.0, 90.0),
                leg_r=(24.0, 8.0, 90.0),
            ),
            (Arrow("chest", dx=10.0, dy=-2.0, to_x=10.0),),
            props=("floor", "door"),
        ),
        "chest-opener-hands": Figure(
            "side",
            replace(SIDE, arm_l=(-14.0, -8.0, -8.0), arm_r=(-10.0, -6.0, -6.0)),
            replace(
                SIDE,
                lean=-4.0,
                shoulder_dx=-2.0,
                arm_l=(-32.0, -26.0, -20.0),
                arm_r=(-28.0, -24.0, -18.0),
            ),
            (Arrow("hand_l", dx=-6.0, dy=4.0, radius=0.0, to_x=-3.0, to_y=-9.0),),
            upper=True,
        ),
        "overhead-reach": Figure(
            "front",
            ARMS_UP,
            replace(ARMS_UP, lean=-14.0, arm_l=(200.0, 196.0, 194.0), arm_r=(186.0, 192.0, 194.0)),
            (Arrow("neck", dy=-4.0, radius=40.0, start=8.0, end=-32.0),),
            props=("floor",),
        ),
        "seated-twist": Figure(
            "front",
            FRONT_SEATED,
            replace(
                FRONT_SEATED,
                twist=60.0,
                turn=-0.8,
                arm_l=Reach("hip", dx=-13.0, dy=-14.0, bend=-1, hand=-160.0),
                arm_r=Reach("hip", dx=-7.0, dy=1.0, bend=1, hand=-100.0),
            ),
            (Arrow("chest", dy=-22.0, radius=24.0, start=-210.0, end=-150.0),),
            seated=True,
            upper=True,
            props=("chair_back",),
        ),
        # Wrists and hands
        "wrist-extensor": Figure(
            "side",
            replace(
                SIDE,
                arm_r=(90.0, 90.0, 90.0),
                arm_l=Reach("hand_r", dx=-1.0, dy=-2.0, bend=1, hand=120.0),
            ),
            replace(
                SIDE,
                arm_r=(90.0, 90.0, 10.0),
                arm_l=Reach("hand_r", dx=1.5, dy=-1.0, bend=1, hand=120.0),
            ),
            (Arrow("wrist_r", radius=8.0, start=60.0, end=150.0),),
            upper=True,
        ),
        "wrist-flexor": Figure(
            "side",
            replace(
                SIDE,
                arm_r=(90.0, 90.0, 90.0),
                arm_l=Reach("hand_r", dx=2.0, dy=2.0, bend=1, hand=-60.0),
            ),
            replace(
                SIDE,
                arm_r=(90.0, 90.0, 160.0),
                arm_l=Reach("hand_r", dx=2.0, dy=1.0, bend=1, hand=-150.0),
            ),
            (Arrow("wrist_r", radius=8.0, start=120.0, end=30.0),),
            upper=True,
        ),
        "fan-and-fist": Figure(
            "hand",
            Pose(spread=1.0),
            Pose(curl=1.0),
            (Arrow("palm", dx=0.0, dy=8.0, radius=26.0, start=-35.0, end=35.0, both=True),),
            seconds=3.0,
            upper=True,
        ),
        "posture-arms": Figure(
            "side",
            replace(AT_DESK, arm_r=(40.0, 70.0, 115.0), lean=14.0),
            AT_DESK,
            (Arrow("elbow_r", dx=4.0, dy=5.0, to_x=-8.0),),
            seated=True,
            props=("floor", "chair", "desk"),
        ),
        # Eyes and breath
        "far-focus": Figure(
            "side",
            replace(SIDE_SEATED, tilt=14.0),
            SIDE_SEATED,
            (Arrow("eyes", dx=5.0, dy=-3.0, to_x=14.0, to_y=-1.0),),
            seated=True,
            props=("floor", "chair", "sight", "far_tree"),
        ),
        "eye-palming": Figure(
            "front",
            FRONT,
            replace(
                FRONT,
                arm_l=Reach("eyes", dx=-3.0, dy=6.0, bend=-1, hand=176.0),
                arm_r=Reach("eyes", dx=3.0, dy=6.0, bend=1, hand=184.0),
                nod=0.6,
            ),
            (Arrow("elbow_l", dx=-4.0, dy=6.0, to_y=-10.0),),
            upper=True,
        ),
        "slow-breath": Figure(
            "front",
            replace(FRONT, chest=0.1),
            replace(FRONT, chest=1.0, shrug=0.6),
            (Arrow("mouth", dx=13.0, dy=-1.0, to_x=-7.0, both=True),),
            upper=True,
            seconds=10.0,
        ),
        # Moving
        "walk": _walk(),
        "day-long-walk": _walk("tree", seconds=2.4),
        "water-walk": Figure(
            "side",
            replace(STRIDE, arm_l=(30.0, 110.0, 110.0)),
            replace(STRIDE_OTHER, arm_l=(30.0, 110.0, 110.0)),
            (FORWARD,),
            props=("floor", "glass_l"),
            seconds=2.0,
        ),
        "march": Figure(
            "side",
            replace(SIDE, arm_l=(-20.0, -10.0, -10.0), arm_r=(25.0, 60.0, 60.0)),
            replace(
                SIDE, leg_r=(88.0, 2.0, 90.0), arm_l=(30.0, 80.0, 80.0), arm_r=(-25.0, -15.0, -15.0)
            ),
            (Arrow("knee_r", dx=5.0, dy=10.0, to_y=-10.0, both=True),),
            props=("floor",),
            seconds=2.0,
        ),
        "calf-raises": Figure(
            "side",
            replace(
                SIDE,
                arm_l=Reach("chair_ahead", bend=1, hand=90.0),
                arm_r=Reach("chair_ahead", bend=1, hand=90.0),
            ),
            replace(
                SIDE,
                leg_l=(0.0, 0.0, 35.0),
                leg_r=(4.0, 0.0, 35.0),
                arm_l=Reach("chair_ahead", bend=1, hand=90.0),
                arm_r=Reach("chair_ahead", bend=1, hand=90.0),
            ),
            (Arrow("ankle_l", dx=-7.0, dy=2.0, to_y=-10.0, both=True),),
            props=("floor", "chair_ahead"),
            seconds=3.0,
        ),
        "posture-shift": Figure(
            "side",
            replace(SIDE_SEATED, lean=14.0),
            replace(SIDE_SEATED, lean=-12.0, arm_l=(0.0, 60.0, 80.0)),
            (Arrow("neck", dx=0.0, dy=6.0, radius=22.0, start=45.0, end=-20.0, both=True),),
            seated=True,
            props=("floor", "chair"),
        ),
        "posture-seat": Figure(
            "side",
            replace(
                SIDE_SEATED, x=7.0, lean=20.0, leg_l=(95.0, -25.0, 70.0), leg_r=(92.0, -20.0, 70.0)
            ),
            replace(SIDE_SEATED, lean=-3.0),
            (Arrow("chest", dx=-10.0, dy=-4.0, to_x=-8.0),),
            seated=True,
            props=("floor", "chair"),
        ),
        # Water
        "water-sip": Figure(
            "side",
            replace(SIDE_SEATED, arm_r=(15.0, 140.0, 170.0)),
            replace(
                SIDE_SEATED, arm_r=Reach("mouth", dx=3.0, dy=6.0, bend=1, hand=170.0), tilt=-8.0
            ),
            (Arrow("hand_r", dx=8.0, dy=12.0, to_y=-10.0),),
            seated=True,
            props=("floor", "chair", "glass_r"),
        ),
        "water-refill": Figure(
            "side",
            replace(SIDE, arm_r=(60.0, 150.0, 170.0)),
            replace(SIDE, arm_r=(70.0, 150.0, 170.0)),
            (Arrow("hand_r", dx=8.0, dy=-14.0, to_y=9.0),),
            props=("floor", "tap", "water", "glass_r"),
        ),
        "water-in-reach": Figure(
            "side",
            AT_DESK,
            replace(AT_DESK, arm_r=Reach("desk_glass", dx=-1.0, dy=-1.0, bend=1, hand=90.0)),
            (Arrow("desk_glass", dx=-2.0, dy=-10.0, to_x=-10.0),),
            seated=True,
            props=("floor", "chair", "desk", "glass_desk"),
        ),
        "stairs": Figure(
            "side",
            replace(
                SIDE,
                x=-6.0,
                leg_r=(50.0, -15.0, 90.0),
                arm_l=(20.0, 30.0, 30.0),
                arm_r=(-15.0, -5.0, -5.0),
            ),
            replace(
                SIDE,
                lift=7.0,
                leg_l=(50.0, -15.0, 90.0),
                arm_l=(-15.0, -5.0, -5.0),
                arm_r=(20.0, 30.0, 30.0),
            ),
            (Arrow("chest", dx=10.0, dy=-2.0, to_x=8.0, to_y=-6.0),),
            props=("stairs",),
            seconds=2.5,
        ),
        "stand-breath": Figure(
            "front",
            replace(FRONT, chest=0.1),
            replace(FRONT, chest=1.0, shrug=0.6),
            (Arrow("mouth", dx=13.0, dy=-1.0, to_x=-7.0, both=True),),
            props=("floor",),
            seconds=10.0,
        ),
        "posture-draught": Figure(
            "front",
            FRONT,
            replace(FRONT, x=-12.0, turn=-0.3),
            (Arrow("chest", dx=-12.0, dy=-6.0, to_x=-9.0),),
            props=("draught",),
            upper=True,
        ),
        "day-sleep-setup": Figure(
            "side",
            replace(LYING, tilt=28.0),
            LYING,
            (Arrow("neck", radius=17.0, start=-50.0, end=-88.0),),
            props=("bed", "pillow"),
        ),
        "day-build-up": Figure(
            "front",
            FRONT,
            replace(FRONT, arm_l=(-6.0, -168.0, -175.0), arm_r=(6.0, 168.0, 175.0)),
            (Arrow("hand_r", dx=7.0, dy=12.0, to_y=-10.0),),
            props=("floor", "weights", "bars"),
        ),
        "day-wrap-up": Figure(
            "front",
            FRONT,
            ARMS_UP,
            (
                Arrow("hand_l", dx=-6.0, dy=14.0, to_y=-12.0),
                Arrow("hand_r", dx=6.0, dy=14.0, to_y=-12.0),
            ),
            props=("floor",),
        ),
    }
)

# A generic drawing per body area, for a catalog key with no entry yet. Clearly not the
# movement itself: the guide marks it, and tests/guide fails until the key has its own entry.
FALLBACK_BY_AREA: MappingProxyType[str, Figure] = MappingProxyType(
    {
        "neck": replace(FIGURES["side-tilt"], fallback=True),
        "shoulders": replace(FIGURES["shrug-and-drop"], fallback=True),
        "upper back": replace(FIGURES["overhead-reach"], fallback=True),
        "back": replace(FIGURES["posture-seat"], fallback=True),
        "wrists": replace(FIGURES["wrist-extensor"], fallback=True),
        "hands": replace(FIGURES["fan-and-fist"], fallback=True),
        "eyes": replace(FIGURES["far-focus"], fallback=True),
        "legs": replace(FIGURES["march"], fallback=True),
        "whole body": replace(FIGURES["walk"], fallback=True),
    }
)
FALLBACK = FALLBACK_BY_AREA["whole body"]


def figure_for(key: str, area: str) -> Figure:
    """The movement's own drawing, or its body area's generic one (marked ``fallback``)."""
    return FIGURES.get(key) or FALLBACK_BY_AREA.get(area, FALLBACK)
