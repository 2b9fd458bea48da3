"""Line drawings of a person doing a movement: a stick figure posed by joint angles, as SVG.

What this module owns: the figure's proportions and geometry (forward kinematics from a
``Pose``, a two-joint reach for "hold this with the other hand"), the props (chair, desk and
screen, doorway, glass, tap, far tree), the arrow that marks the moving part, and the SVG text:
the end pose drawn solid, the start pose as a faint ghost, and a SMIL animation that moves the
figure from one to the other and back, so a browser shows the movement and a static renderer
(a notification server, an image viewer) shows where it ends and which way it goes.

Must not: know the catalog (``poses.py`` holds one entry per movement), read or write files, or
use anything but the standard library. Output is deterministic: numbers are rounded, so the
committed SVGs can be compared with a fresh rendering.

Conventions: SVG user units, y down. Left and right mean the viewer's: a front-view figure
faces you like a mirror image, which is what people copy. Limb angles are absolute degrees:
0 points down, 90 to the viewer's right, -90 to the left, 180 up. A side-view figure faces
right, so 90 is forward.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Literal

Point = tuple[float, float]
View = Literal["front", "side", "hand"]

# Proportions (a figure is about 80 units tall).
HEAD_R = 7.0
NECK = 3.0
TORSO = 27.0
UPPER_ARM, FOREARM, HAND = 14.0, 13.0, 4.5
THIGH, SHIN, FOOT = 17.0, 17.0, 5.5
SHOULDER_HALF = 9.0
HIP_HALF = 5.0
FLOOR = 94.0
SEAT = (42.0, 73.0)  # where a seated figure's hip rests
BED_BELOW = 12.5  # a lying figure's mattress, below its body line: room for head and pillow

INK, FAR, GHOST, ACCENT, PROP = "#222", "#777", "#c4c4c4", "#d55e00", "#8a8a8a"


@dataclass(frozen=True)
class Reach:
    """An arm that reaches a joint (``"hand_r"``, ``"elbow_l"``, ``"eyes"``...) plus an offset,
    with the elbow bent to the viewer's left (``bend=-1``) or right (``bend=1``)."""

    joint: str
    dx: float = 0.0
    dy: float = 0.0
    bend: int = 1
    hand: float = 180.0  # the hand's direction once there


Limb = tuple[float, float, float]  # upper, lower, end (hand or foot) angles


@dataclass(frozen=True)
class Pose:
    """Where every part of the figure is; numbers interpolate, so two poses animate."""

    lean: float = 0.0  # torso from vertical, + toward the viewer's right (side view: forward)
    twist: float = 0.0  # torso turned, degrees (front view: the shoulder line shortens)
    shrug: float = 0.0  # shoulders raised, units
    shoulder_dx: float = 0.0  # side view: shoulders drawn forward (+) or back (-)
    tilt: float = 0.0  # head tilt on the neck (front: ear to shoulder; side: + = chin down)
    turn: float = 0.0  # front view: face turned, -1 (viewer's left) to 1 (right)
    nod: float = 0.0  # front view: looking down, 0 to 1
    tuck: float = 0.0  # side view: head slid back, units
    arm_l: Limb | Reach = (-8.0, -4.0, -4.0)
    arm_r: Limb | Reach = (8.0, 4.0, 4.0)
    leg_l: Limb = (-3.0, 0.0, -80.0)
    leg_r: Limb = (3.0, 0.0, 80.0)
    x: float = 0.0  # the whole figure moved right
    lift: float = 0.0  # the whole figure raised (on tiptoe), units
    chest: float = 0.0  # breathing in, 0 to 1
    screen: float = 0.0  # the desk's screen raised, units
    spread: float = 0.0  # hand view: fingers spread, 0 to 1
    curl: float = 0.0  # hand view: fingers curled into a fist, 0 to 1


# Ready-made limbs, so the pose table reads as words.
SIDE_ARM_DOWN: Limb = (4.0, 10.0, 10.0)
SIDE_LEGS: Limb = (0.0, 0.0, 90.0)
SEATED_LEG: Limb = (90.0, 0.0, 90.0)  # side view: thigh on the seat, shin down
FRONT_SEATED_L: Limb = (-20.0, -2.0, -80.0)  # front view: the thigh points at you
FRONT_SEATED_R: Limb = (20.0, 2.0, 80.0)


@dataclass(frozen=True)
class Arrow:
    """The movement's direction, next to a joint of the end pose: a straight line from
    (dx, dy) by (to_x, to_y), or an arc of ``radius`` from angle ``start`` to ``end``
    (degrees, 0 = up, clockwise) around the joint plus (dx, dy)."""

    joint: str
    dx: float = 0.0
    dy: float = 0.0
    to_x: float = 0.0
    to_y: float = 0.0
    radius: float = 0.0
    start: float = 0.0
    end: float = 0.0
    both: bool = False  # a head at each end (back and forth)


@dataclass(frozen=True)
class Figure:
    """One movement's drawing: a view, props, the start and end pose, and the arrows."""

    view: View
    start: Pose
    end: Pose
    arrows: tuple[Arrow, ...] = ()
    seated: bool = False
    props: tuple[str, ...] = ()  # chair, desk, door, glass_l, glass_r, tap, tree, sight, floor
    upper: bool = False  # frame only the upper body (neck, shoulders and arm movements)
    seconds: float = 4.0  # one cycle of the animation
    label: str = ""  # the accessible name (the movement's title)
    fallback: bool = False  # a generic pose for the body area, not drawn for this movement


# --- geometry ------------------------------------------------------------------------------


def _up(angle: float, length: float) -> Point:
    """A vector of ``length`` at ``angle`` degrees from straight up, clockwise."""
    a = math.radians(angle)
    return length * math.sin(a), -length * math.cos(a)


def _down(angle: float, length: float) -> Point:
    """A vector at a limb angle: 0 down, 90 right, 180 up."""
    a = math.radians(angle)
    return length * math.sin(a), length * math.cos(a)


def _add(p: Point, v: Point) -> Point:
    return p[0] + v[0], p[1] + v[1]


def _rot(v: Point, angle: float) -> Point:
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    return v[0] * c - v[1] * s, v[0] * s + v[1] * c


def _limb(start: Point, angles: Limb, lengths: Sequence[float]) -> list[Point]:
    points = [start]
    for angle, length in zip(angles, lengths, strict=True):
        points.append(_add(points[-1], _down(angle, length)))
    return points


def _angle_to(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))


def _reach(shoulder: Point, target: Point, bend: int) -> tuple[float, float]:
    """Upper-arm and forearm angles that put the wrist on ``target`` (or as near as it goes)."""
    dist = min(math.dist(shoulder, target), UPPER_ARM + FOREARM - 0.01)
    dist = max(dist, abs(UPPER_ARM - FOREARM) + 0.01)
    towards = _angle_to(shoulder, target)
    cos_inner = (UPPER_ARM**2 + dist**2 - FOREARM**2) / (2 * UPPER_ARM * dist)
    inner = math.degrees(math.acos(max(-1.0, min(1.0, cos_inner))))
    upper = towards - bend * inner
    elbow = _add(shoulder, _down(upper, UPPER_ARM))
    return upper, _angle_to(elbow, target)


@dataclass(frozen=True)
class Body:
    """The joints of a posed figure and the polylines that draw it."""

    joints: dict[str, Point]
    lines: list[list[Point]]
    head: Point
    face: list[list[Point]]  # eye dots and the nose, thinner
    chest: tuple[Point, float] | None = None  # centre and radius of the breathing ribcage
    far: list[list[Point]] = field(default_factory=list)  # side view: the far arm and leg
    over: list[list[Point]] = field(default_factory=list)  # the near arms, drawn over the head


def place(figure: Figure, pose: Pose) -> Body:
    """The figure in ``pose``: joints, limbs and face, standing on the floor or on the seat."""
    if figure.view == "hand":
        return _hand(pose)
    body = _pose_at(figure, pose, (0.0, 0.0))
    if figure.seated:
        hip = SEAT
    else:
        lowest = max(y for line in body.lines + body.far for _, y in line)
        hip = (50.0, FLOOR - 1.5 - lowest - pose.lift)
    return _pose_at(figure, pose, (hip[0] + pose.x, hip[1]))


def _pose_at(figure: Figure, pose: Pose, hip: Point) -> Body:
    front = figure.view == "front"
    neck = _add(hip, _up(pose.lean, TORSO))
    half = SHOULDER_HALF * math.cos(math.radians(pose.twist)) if front else 0.0
    dx = 0.0 if front else pose.shoulder_dx
    shoulder_l = _add(neck, _rot((-half + dx, 3.0 - pose.shrug), pose.lean))
    shoulder_r = _add(neck, _rot((half + dx, 3.0 - pose.shrug), pose.lean))
    head_angle = pose.lean + pose.tilt
    head = _add(neck, _up(head_angle, NECK + HEAD_R))
    # A side-view head slides back (a chin glide); a front-view head dips as it looks down.
    head = _add(head, (0.0, pose.nod * 1.5) if front else (-pose.tuck, 0.0))
    joints: dict[str, Point] = {"hip": hip, "neck": neck, "head": head}
    joints["shoulder_l"], joints["shoulder_r"] = shoulder_l, shoulder_r
    joints["chest"] = _add(hip, _up(pose.lean, TORSO * 0.62))
    joints["eyes"] = _add(head, _rot((3.0 if not front else 0.0, -0.8), head_angle))
    joints["mouth"] = _add(head, _rot((4.0 if not front else 0.0, 3.5), head_angle))
    # Fixed points of the props, for arms that reach them.
    joints["desk_glass"], joints["chair_ahead"] = (73.0, 55.0), (67.0, 58.0)
    joints["screen"] = (84.0, 44.0 - pose.screen)

    hip_l = _add(hip, (-HIP_HALF, 0.0)) if front else hip
    hip_r = _add(hip, (HIP_HALF, 0.0)) if front else hip
    seated_front = front and figure.seated
    thigh = THIGH * (0.3 if seated_front else 1.0)
    leg_l = _limb(hip_l, pose.leg_l, (thigh, SHIN, FOOT))
    leg_r = _limb(hip_r, pose.leg_r, (thigh, SHIN, FOOT))
    for side, leg in (("l", leg_l), ("r", leg_r)):
        joints[f"knee_{side}"], joints[f"ankle_{side}"], joints[f"toe_{side}"] = leg[1:]

    arms: dict[str, list[Point]] = {}
    # Angles first, then reaches, which may point at the other arm's joints.
    order = sorted((("l", pose.arm_l), ("r", pose.arm_r)), key=lambda a: isinstance(a[1], Reach))
    for side, arm in order:
        shoulder = shoulder_l if side == "l" else shoulder_r
        if isinstance(arm, Reach):
            target = _add(joints[arm.joint], (arm.dx, arm.dy))
            upper, fore = _reach(shoulder, target, arm.bend)
            arm = (upper, fore, arm.hand)
        points = _limb(shoulder, arm, (UPPER_ARM, FOREARM, HAND))
        arms[side] = points
        joints[f"elbow_{side}"], joints[f"wrist_{side}"], joints[f"hand_{side}"] = points[1:]

    lines = [[hip, neck]]
    if front:
        lines += [[shoulder_l, neck, shoulder_r], [hip_l, hip_r]]
    else:
        lines += [[neck, shoulder_l]]
    if front:  # the arms come last: drawn over the head, so hands can cover the eyes
        lines += [leg_l, leg_r]
        far: list[list[Point]] = []
        over = [arms["l"], arms["r"]]
    else:  # the far arm and leg, drawn lighter, behind the body
        lines += [leg_r]
        far = [leg_l, arms["l"]]
        over = [arms["r"]]
    chest = None
    if pose.chest:
        chest = (joints["chest"], 4.0 + 3.0 * pose.chest)
    return Body(joints, lines, head, _face(front, head, head_angle, pose), chest, far, over)


def _face(front: bool, head: Point, angle: float, pose: Pose) -> list[list[Point]]:
    def at(x: float, y: float) -> Point:
        return _add(head, _rot((x, y), angle))

    if not front:
        return [[at(3.2, -1.2), at(3.2, -1.1)], [at(6.8, 0.0), at(8.4, 2.0), at(6.7, 2.6)]]
    look, down = pose.turn * 3.2, pose.nod * 3.0
    eyes = [[at(x + look, -0.8 + down), at(x + look, -0.7 + down)] for x in (-2.6, 2.6)]
    # The nose moves toward the turned side and, turned far, sticks out past the outline.
    nose_x, tip = pose.turn * 5.2, pose.turn * (5.2 + 3.6 * abs(pose.turn))
    nose = [at(nose_x, 0.6 + down), at(tip, 2.4 + down), at(nose_x, 3.0 + down)]
    return [*eyes, nose]


def _hand(pose: Pose) -> Body:
    """A right hand seen from the palm side, fingers up: spread them, or curl them in."""
    wrist = (50.0, 80.0)
    palm_top = (50.0, 56.0)
    lines: list[list[Point]] = [[(43.0, 96.0), (43.0, 78.0)], [(57.0, 96.0), (57.0, 78.0)]]
    # The palm outline and the fingers, each finger two joints that fold toward you.
    lines.append([(43.0, 78.0), (41.0, 62.0), (43.5, 56.0)])
    lines.append([(57.0, 78.0), (59.0, 62.0), (56.5, 56.0)])
    joints: dict[str, Point] = {"wrist": wrist, "palm": palm_top}
    for i in range(4):
        base = (43.5 + i * 4.3, 56.0 - (1.5 if i in (1, 2) else 0.0))
        fan = (i - 1.5) * 9.0 * pose.spread
        length = (13.0 if i in (1, 2) else 11.0) * (1.0 - 0.62 * pose.curl)
        first = _add(base, _down(180 + fan, length * 0.55))
        bend = 180 + fan + 150 * pose.curl
        tip = _add(first, _down(bend, length * 0.45 * (1.0 - 0.3 * pose.curl)))
        lines.append([base, first, tip])
        joints[f"finger_{i}"] = tip
    thumb_base = (41.0, 70.0)
    thumb_angle = -130 + 40 * pose.spread * (1 - pose.curl) + 95 * pose.curl
    thumb_mid = _add(thumb_base, _down(thumb_angle, 8.0))
    thumb_tip = _add(thumb_mid, _down(thumb_angle + 25 + 60 * pose.curl, 6.5))
    lines.append([thumb_base, thumb_mid, thumb_tip])
    joints["thumb"] = thumb_tip
    return Body(joints, lines, (0.0, 0.0), [])


# --- props ---------------------------------------------------------------------------------


def _prop_lines(figure: Figure, name: str, body: Body, pose: Pose) -> list[list[Point]]:
    """A prop's polylines; props that follow the body (a glass in the hand) use ``body``."""
    j = body.joints
    side = figure.view == "side"
    if name == "floor":
        return [[(8.0, FLOOR), (92.0, FLOOR)]]
    if name == "chair" and side:
        x, y = SEAT[0], SEAT[1] + 2.5
        return [
            [(x - 9, y - 26), (x - 9, y), (x + 12, y)],
            [(x - 7, y), (x - 7, FLOOR)],
            [(x + 10, y), (x + 10, FLOOR)],
        ]
    if name == "chair":
        x, y = SEAT[0] + pose.x, SEAT[1] + 2.5
        return [
            [(x - 14, y), (x + 14, y)],
            [(x - 12, y), (x - 12, FLOOR)],
            [(x + 12, y), (x + 12, FLOOR)],
        ]
    if name == "chair_back":  # front view: the back rest behind the torso
        x, y = SEAT[0] + pose.x, SEAT[1] + 2.5
        return [[(x - 11, y), (x - 11, y - 24), (x + 11, y - 24), (x + 11, y)]]
    if name == "desk":
        top = 62.0
        screen_top = 44.0 - pose.screen
        return [
            [(62.0, top), (98.0, top)],
            [(94.0, top), (94.0, FLOOR)],
            [(86.0, top), (86.0, screen_top + 16.0)],
            [(84.0, screen_top), (84.0, screen_top + 18.0)],
        ]
    if name == "door":
        return [[(30.0, FLOOR), (30.0, 10.0), (36.0, 10.0)]]
    if name in ("glass_l", "glass_r"):
        hx, hy = j["hand_" + name[-1]]
        return [
            [(hx - 2.5, hy - 5.0), (hx - 2.0, hy + 2.0), (hx + 2.0, hy + 2.0), (hx + 2.5, hy - 5.0)]
        ]
    if name == "glass_desk":
        return [[(70.5, 54.0), (71.0, 61.0), (75.0, 61.0), (75.5, 54.0)]]
    if name == "tap":
        return [[(96.0, 20.0), (78.0, 20.0), (78.0, 26.0)]]
    if name == "water":
        return [[(78.0, 29.0), (78.0, 31.0)], [(78.0, 34.0), (78.0, 36.0)]]
    if name == "tree":
        return [
            [(92.0, FLOOR - 18.0), (92.0, FLOOR)],
            [
                (86.0, FLOOR - 14.0),
                (92.0, FLOOR - 30.0),
                (98.0, FLOOR - 14.0),
                (86.0, FLOOR - 14.0),
            ],
        ]
    if name == "far_tree":
        return [
            [(108.0, 64.0), (108.0, 74.0)],
            [(104.5, 66.0), (108.0, 56.0), (111.5, 66.0), (104.5, 66.0)],
        ]
    if name == "sight":  # drawn dashed: where the eyes look
        return [[_add(j["eyes"], (3.0, 0.0)), (104.0, 62.0)]]
    if name == "chair_ahead":  # a chair in front of a standing figure, its back toward them
        x, y = 67.0, 76.0
        return [[(x, y - 18), (x, FLOOR)], [(x, y), (x + 18, y), (x + 18, FLOOR)]]
    if name == "stairs":
        steps: list[Point] = [(10.0, FLOOR)]
        for i, x in enumerate((46.0, 58.0, 70.0)):  # three steps, 7 high and 12 deep
            steps += [(x, FLOOR - 7 * i), (x, FLOOR - 7 * (i + 1))]
        return [[*steps, (94.0, FLOOR - 21)]]
    if name == "draught":  # wavy air from the right, at neck height
        return [
            [(x, y + (1.6 if i % 2 else -1.6)) for i, x in enumerate(range(68, 90, 4))]
            for y in (26.0, 31.0, 36.0)
        ]
    if name == "bed":  # a mattress a little below the body line (a stick figure has no depth)
        top = j["hip"][1] + 10.0
        return [
            [(4.0, top), (96.0, top)],
            [(4.0, top - 10), (4.0, FLOOR)],
            [(96.0, top), (96.0, FLOOR)],
        ]
    if name == "pillow":  # under the head, as high as the head is held
        nx, _ = j["neck"]
        top, bottom = j["head"][1] + HEAD_R + 1.4, j["hip"][1] + BED_BELOW
        return [[(nx - 2, bottom), (nx - 2, top), (nx - 22, top), (nx - 22, bottom)]]
    if name == "weights":
        return [[(x - 3.5, y), (x + 3.5, y)] for x, y in (j["hand_l"], j["hand_r"])] + [
            [(x + dx, y - 2), (x + dx, y + 2)]
            for x, y in (j["hand_l"], j["hand_r"])
            for dx in (-3.5, 3.5)
        ]
    if name == "bars":  # a little more each time
        return [[(x, FLOOR), (x, FLOOR - h)] for x, h in ((80.0, 6.0), (86.0, 12.0), (92.0, 18.0))]
    if name == "path":
        return [[(60.0, FLOOR + 0.0), (66.0, FLOOR)], [(74.0, FLOOR), (80.0, FLOOR)]]
    raise ValueError(f"unknown prop {name!r}")


# --- arrows ---------------------------------------------------------------------------------


def _arrow_lines(arrow: Arrow, body: Body) -> list[list[Point]]:
    origin = _add(body.joints[arrow.joint], (arrow.dx, arrow.dy))
    if arrow.radius:
        steps = max(4, int(abs(arrow.end - arrow.start) / 12))
        shaft = [
            _add(origin, _up(arrow.start + (arrow.end - arrow.start) * i / steps, arrow.radius))
            for i in range(steps + 1)
        ]
    else:
        shaft = [origin, _add(origin, (arrow.to_x, arrow.to_y))]
    lines = [shaft, _arrowhead(shaft[-2], shaft[-1])]
    if arrow.both:
        lines.append(_arrowhead(shaft[1], shaft[0]))
    return lines


def _arrowhead(before: Point, tip: Point) -> list[Point]:
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    size, spread = 3.6, math.radians(28)
    left = (tip[0] - size * math.cos(angle - spread), tip[1] - size * math.sin(angle - spread))
    right = (tip[0] - size * math.cos(angle + spread), tip[1] - size * math.sin(angle + spread))
    return [left, tip, right]


# --- SVG ------------------------------------------------------------------------------------

FRAMES = 5  # poses per half cycle, easing included (the browser interpolates between them)


def lerp(a: Pose, b: Pose, t: float) -> Pose:
    """The pose ``t`` of the way from ``a`` to ``b`` (limbs given as reaches jump at 1/2)."""
    changes: dict[str, object] = {}
    for f in fields(Pose):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, float) and isinstance(y, float):
            changes[f.name] = x + (y - x) * t
        elif isinstance(x, tuple) and isinstance(y, tuple):
            changes[f.name] = tuple(p + (q - p) * t for p, q in zip(x, y, strict=True))
        else:
            changes[f.name] = x if t < 0.5 else y
    return replace(a, **changes)  # type: ignore[arg-type]


def resolve(figure: Figure, pose: Pose) -> Pose:
    """``pose`` with reaches turned into angles, so that two poses interpolate smoothly."""
    if figure.view == "hand":
        return pose
    changes = {}
    body = place(figure, pose)
    for side in ("l", "r"):
        if isinstance(getattr(pose, f"arm_{side}"), Reach):
            j = body.joints
            shoulder, elbow, wrist, hand = (
                j[f"{p}_{side}"] for p in ("shoulder", "elbow", "wrist", "hand")
            )
            changes[f"arm_{side}"] = (
                _angle_to(shoulder, elbow),
                _angle_to(elbow, wrist),
                _angle_to(wrist, hand),
            )
    return replace(pose, **changes)  # type: ignore[arg-type]


def _cycle(figure: Figure) -> list[Pose]:
    """The animation's key poses: ease out to the end pose, hold, ease back, hold."""
    start, end = resolve(figure, figure.start), resolve(figure, figure.end)
    ease = [(1 - math.cos(math.pi * i / (FRAMES - 1))) / 2 for i in range(FRAMES)]
    there = [lerp(start, end, t) for t in ease]
    return [*there, end, *reversed(there), start]


def _fmt(v: float) -> str:
    text = f"{v:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def _d(lines: Iterable[Sequence[Point]]) -> str:
    parts = []
    for line in lines:
        head, *rest = line
        parts.append(f"M{_fmt(head[0])} {_fmt(head[1])}")
        parts.extend(f"L{_fmt(x)} {_fmt(y)}" for x, y in rest)
    return "".join(parts)


def _animated(tag: str, attrs: dict[str, str], moving: dict[str, list[str]], seconds: float) -> str:
    """An element whose ``moving`` attributes run through their values; static if they don't."""
    shown = {**attrs, **{name: values[len(values) // 2] for name, values in moving.items()}}
    text = " ".join(f'{k}="{v}"' for k, v in shown.items())
    animations = [
        f'<animate attributeName="{name}" dur="{_fmt(seconds)}s" repeatCount="indefinite" '
        f'values="{";".join(values)}"/>'
        for name, values in moving.items()
        if len(set(values)) > 1
    ]
    if not animations:
        return f"<{tag} {text}/>"
    return f"<{tag} {text}>{''.join(animations)}</{tag}>"


UPPER_FRAME, FULL_FRAME = 66.0, 100.0  # the smallest frames, so figures share one scale


def _bounds(
    points: Iterable[Point], upper: bool, hip_y: float
) -> tuple[float, float, float, float]:
    """A square frame around ``points`` (above the hips only, for an upper-body frame)."""
    pts = [p for p in points if not upper or p[1] <= hip_y + 4]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    margin = 4.0
    left, right, top, bottom = (
        min(xs) - margin,
        max(xs) + margin,
        min(ys) - margin,
        max(ys) + margin,
    )
    side = max(right - left, bottom - top, UPPER_FRAME if upper else FULL_FRAME)
    cx = (left + right) / 2
    # Upper frames hang from the top, so the head sits in the same place in each.
    cy = top + side / 2 if upper else (top + bottom) / 2
    return cx - side / 2, cy - side / 2, side, side


def _frame(figure: Figure, bodies: list[Body], poses: list[Pose], arrows: list[list[Point]]) -> str:
    """The viewBox: everything drawn in any frame of the animation, on the shared scale."""
    end, end_pose = bodies[len(bodies) // 2], poses[len(poses) // 2]
    points: list[Point] = [pt for b in bodies for line in b.lines + b.far + b.over for pt in line]
    points += [pt for line in arrows for pt in line]
    if figure.view != "hand":
        points += [_add(b.head, (dx, dy)) for b in bodies for dx, dy in _CORNERS]
    for name in figure.props:
        if name not in ("floor", "door") or not figure.upper:
            points += [pt for line in _prop_lines(figure, name, end, end_pose) for pt in line]
    hip_y = end.joints["hip"][1] if "hip" in end.joints else 200.0
    return " ".join(_fmt(v) for v in _bounds(points, figure.upper, hip_y))


_CORNERS = ((-HEAD_R, -HEAD_R), (-HEAD_R, HEAD_R), (HEAD_R, -HEAD_R), (HEAD_R, HEAD_R))


def render_svg(figure: Figure, *, size: int = 160) -> str:
    """The figure as a standalone SVG document (no ids, so many can share one page).

    Drawn back to front: props, the start pose as a grey ghost, the far limbs, the body, the
    head and face, the near arms, the arrow. Static attributes hold the end pose; the
    ``<animate>`` children run start -> end -> start in a loop.
    """
    poses = _cycle(figure)
    bodies = [place(figure, p) for p in poses]
    first, end = bodies[0], bodies[len(bodies) // 2]
    arrows = [line for a in figure.arrows for line in _arrow_lines(a, end)]
    sec = figure.seconds

    def path(stroke: str, width: str, lines: Callable[[Body], list[list[Point]]]) -> str:
        return _animated("path", _stroke(stroke, width), {"d": [_d(lines(b)) for b in bodies]}, sec)

    label = figure.label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    view_box = _frame(figure, bodies, poses, arrows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" '
        f'width="{size}" height="{size}" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">',
    ]
    for name in figure.props:
        style = _stroke(PROP, "1.6")
        if name == "sight":
            style["stroke-dasharray"] = "2 3"
        values = [_d(_prop_lines(figure, name, b, p)) for b, p in zip(bodies, poses, strict=True)]
        out.append(_animated("path", style, {"d": values}, sec))
    ghost = _d(first.lines + first.far + first.over)
    out.append(f'<path stroke="{GHOST}" stroke-width="2.6" d="{ghost}"/>')
    if figure.view != "hand":
        hx, hy = (_fmt(v) for v in first.head)
        out.append(
            f'<circle stroke="{GHOST}" stroke-width="2.2" cx="{hx}" cy="{hy}" r="{_fmt(HEAD_R)}"/>'
        )
    if end.chest is not None:
        out.append(_chest(bodies, sec))
    if end.far:
        out.append(path(FAR, "3", lambda b: b.far))
    out.append(path(INK, "3", lambda b: b.lines))
    if figure.view != "hand":
        heads = {"cx": [_fmt(b.head[0]) for b in bodies], "cy": [_fmt(b.head[1]) for b in bodies]}
        head_style = {**_stroke(INK, "2.6"), "fill": "#fff", "r": _fmt(HEAD_R)}
        out.append(_animated("circle", head_style, heads, sec))
        out.append(path(INK, "1.6", lambda b: b.face))
        out.append(path(INK, "3", lambda b: b.over))
    if arrows:
        out.append(f'<path stroke="{ACCENT}" stroke-width="2.2" d="{_d(arrows)}"/>')
    out.append("</g></svg>")
    return "".join(out) + "\n"


def _stroke(colour: str, width: str) -> dict[str, str]:
    return {"stroke": colour, "stroke-width": width}


def _chest(bodies: list[Body], seconds: float) -> str:
    """The ribcage as a dashed circle that grows on the in-breath."""
    chests = [b.chest or ((0.0, 0.0), 0.0) for b in bodies]
    values = {
        "cx": [_fmt(c[0][0]) for c in chests],
        "cy": [_fmt(c[0][1]) for c in chests],
        "r": [_fmt(c[1]) for c in chests],
    }
    style = {**_stroke(INK, "1.2"), "stroke-dasharray": "2 2"}
    return _animated("circle", style, values, seconds)
