"""The articulated body: joint angles -> where every outline ball is, by forward kinematics.

The body is a tree of rigid segments hanging from the pelvis (`data/body.json`). A pose's joint
angles turn each segment relative to its parent; the result is, for every segment, a rotation
and a position in the body's own frame (x forwards, y up, z to the right, origin between the hip
joints). `placement` then turns and moves the whole body into the world.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.geometry import (
    IDENTITY,
    Mat,
    Vec,
    add,
    apply,
    axis_angle,
    compose,
    rot_x,
    rot_y,
    rot_z,
)
from protocol_kit.record import Record, init

# Joint angles: joint name -> movement name -> degrees (only movements that are not zero).
Angles = Mapping[str, Mapping[str, float]]


class Ball(Record):
    """One ball of a segment's outline, where it is after posing."""

    __slots__ = ("segment", "index", "centre", "radius")
    segment: str
    index: int
    centre: Vec
    radius: float

    def __init__(self, segment: str, index: int, centre: Vec, radius: float) -> None:
        init(self, "segment", segment)
        init(self, "index", index)
        init(self, "centre", centre)
        init(self, "radius", radius)


class PosedSegment(Record):
    __slots__ = ("name", "rotation", "origin", "balls")
    name: str
    rotation: Mat
    origin: Vec
    balls: tuple[Ball, ...]

    def __init__(self, name: str, rotation: Mat, origin: Vec, balls: tuple[Ball, ...]) -> None:
        init(self, "name", name)
        init(self, "rotation", rotation)
        init(self, "origin", origin)
        init(self, "balls", balls)


class PosedBody(Record):
    """Every segment of a posed body, in segment order (parents before children)."""

    __slots__ = ("segments", "by_name")
    segments: tuple[PosedSegment, ...]
    by_name: dict[str, PosedSegment]
    _not_compared = ("by_name",)
    _not_shown = ("by_name",)

    def __init__(
        self, segments: tuple[PosedSegment, ...], by_name: dict[str, PosedSegment] | None = None
    ) -> None:
        init(self, "segments", segments)
        init(self, "by_name", {} if by_name is None else by_name)
        self.by_name.update((s.name, s) for s in segments)

    def segment(self, name: str) -> PosedSegment:
        return self.by_name[name]

    def balls(self) -> tuple[Ball, ...]:
        return tuple(ball for segment in self.segments for ball in segment.balls)

    def moved(self, rotation: Mat, offset: Vec) -> PosedBody:
        """The same body turned by `rotation` about the origin, then moved by `offset`."""
        return PosedBody(
            tuple(
                PosedSegment(
                    s.name,
                    compose(rotation, s.rotation),
                    add(apply(rotation, s.origin), offset),
                    tuple(
                        Ball(b.segment, b.index, add(apply(rotation, b.centre), offset), b.radius)
                        for b in s.balls
                    ),
                )
                for s in self.segments
            )
        )


# Which joint turns which segment: segment -> (joint name, kind of joint).
_JOINT_OF = {
    "abdomen": ("lumbar", "spine"),
    "thorax": ("thoracic", "spine"),
    "neck": ("neck", "spine"),
    "head": (None, None),
    "right_upper_arm": ("right_shoulder", "shoulder"),
    "right_forearm": ("right_elbow", "elbow"),
    "right_hand": ("right_wrist", "wrist"),
    "left_upper_arm": ("left_shoulder", "shoulder"),
    "left_forearm": ("left_elbow", "elbow"),
    "left_hand": ("left_wrist", "wrist"),
    "right_thigh": ("right_hip", "hip"),
    "right_shank": ("right_knee", "knee"),
    "right_foot": ("right_ankle", "ankle"),
    "left_thigh": ("left_hip", "hip"),
    "left_shank": ("left_knee", "knee"),
    "left_foot": ("left_ankle", "ankle"),
}


def give(segment: str) -> float:
    """Centimetres the segment's soft tissue may press into the floor or a prop."""
    return _GIVE.setdefault(
        segment,
        next(s.get("give", 2.0) for s in vocabulary.body()["segments"] if s["name"] == segment),
    )


_GIVE: dict[str, float] = {}


def joint_of(segment: str) -> str | None:
    """The joint that turns `segment` relative to its parent (None for the pelvis and head)."""
    found = _JOINT_OF.get(segment)
    return found[0] if found else None


def _net(movements: Mapping[str, float], positive: str, negative: str) -> float:
    return movements.get(positive, 0.0) - movements.get(negative, 0.0)


def joint_rotation(kind: str, side: str | None, movements: Mapping[str, float]) -> Mat:
    """The rotation of a segment relative to its parent for one joint's movements.

    Signs follow from the body frame (x forwards, y up, z right): a leg or arm hanging down
    swings forwards for a positive turn about z; the right limb swings outwards for a negative
    turn about x, the left for a positive one.
    """
    outward = -1.0 if side == "right" else 1.0  # turn about x that takes the limb outwards
    inward_turn = 1.0 if side == "right" else -1.0  # turn about y that rotates it inwards
    if kind == "hip":
        return compose(
            rot_z(_net(movements, "flexion", "extension")),
            compose(
                rot_x(outward * _net(movements, "abduction", "adduction")),
                rot_y(inward_turn * _net(movements, "internal_rotation", "external_rotation")),
            ),
        )
    if kind == "knee":
        return rot_z(-movements.get("flexion", 0.0))
    if kind == "ankle":
        return rot_z(_net(movements, "dorsiflexion", "plantarflexion"))
    if kind == "elbow":
        return rot_z(movements.get("flexion", 0.0))
    if kind == "wrist":
        return rot_z(_net(movements, "flexion", "extension"))
    if kind == "shoulder":
        return _shoulder(movements, outward, inward_turn)
    if kind == "spine":
        return compose(
            rot_z(_net(movements, "extension", "flexion")),
            compose(
                rot_x(_net(movements, "side_bend_right", "side_bend_left")),
                rot_y(_net(movements, "rotation_left", "rotation_right")),
            ),
        )
    raise ValueError(f"unknown joint kind {kind!r}")


def _shoulder(movements: Mapping[str, float], outward: float, inward_turn: float) -> Mat:
    """The arm raised in a plane: flexion raises it forwards, abduction sideways, both together
    in the plane between; horizontal abduction turns that plane further back."""
    forwards = _net(movements, "flexion", "extension")
    sideways = _net(movements, "abduction", "adduction")
    elevation = math.hypot(forwards, sideways)
    plane = math.degrees(math.atan2(sideways, forwards)) if elevation else 0.0
    plane += _net(movements, "horizontal_abduction", "horizontal_adduction")
    # The axis that swings a hanging arm towards the plane's direction.
    p = math.radians(plane)
    axis = (outward * math.sin(p), 0.0, math.cos(p))
    swing = axis_angle(axis, elevation) if elevation else IDENTITY
    twist = rot_y(inward_turn * _net(movements, "internal_rotation", "external_rotation"))
    return compose(swing, twist)


def pose_body(angles: Angles) -> PosedBody:
    """Every segment placed by forward kinematics from the pelvis, in the body's frame.

    Placement asks for the same angles several times while it settles a pose, and a library
    is drawn again for every sheet: the result (immutable) is kept for angles seen before."""
    key = tuple((joint, tuple(sorted(values.items()))) for joint, values in sorted(angles.items()))
    found = _POSED.get(key)
    if found is None:
        if len(_POSED) >= _POSED_LIMIT:
            _POSED.clear()  # bounded: a long batch run does not grow without end
        found = _POSED[key] = _pose_body(angles)
    return found


_POSED: dict[tuple, PosedBody] = {}
_POSED_LIMIT = 2048


def _pose_body(angles: Angles, base: PosedBody | None = None, changed: frozenset = frozenset()):
    """Forward kinematics. With `base`, only the segments turned by a `changed` joint (and
    the segments below them) are worked out again; the others are taken from `base`."""
    segments: list[PosedSegment] = []
    done: dict[str, PosedSegment] = {}
    redone: set[str] = set()
    for spec in vocabulary.body()["segments"]:
        name = spec["name"]
        parent = spec["parent"]
        joint, kind = _JOINT_OF.get(name, (None, None))
        if base is not None and parent not in redone and joint not in changed:
            kept = done[name] = base.segment(name)
            segments.append(kept)
            continue
        redone.add(name)
        if parent is None:
            rotation, origin = IDENTITY, (0.0, 0.0, 0.0)
        else:
            above = done[parent]
            local = (
                joint_rotation(kind, spec.get("side"), angles.get(joint, {}))
                if joint is not None
                else IDENTITY
            )
            rotation = compose(above.rotation, local)
            offset = apply(above.rotation, (spec["joint"][0], spec["joint"][1], spec["joint"][2]))
            origin = (
                above.origin[0] + offset[0],
                above.origin[1] + offset[1],
                above.origin[2] + offset[2],
            )
        balls = []
        for i, b in enumerate(spec["balls"]):
            c = apply(rotation, (b[0], b[1], b[2]))
            balls.append(
                Ball(name, i, (origin[0] + c[0], origin[1] + c[1], origin[2] + c[2]), b[3])
            )
        posed = done[name] = PosedSegment(name, rotation, origin, tuple(balls))
        segments.append(posed)
    return PosedBody(tuple(segments))


def reposed(body: PosedBody, angles: Angles, joints: frozenset[str]) -> PosedBody:
    """`body` with new angles for `joints` only: the segments those joints turn, and those
    below them, worked out again (a turned ankle moves only the foot)."""
    return _pose_body(angles, body, joints)
