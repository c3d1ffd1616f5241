"""Putting a posed body into the world: on the floor, on its props, with its props around it.

The steps, for one pose:

1. The joint angles are the posture's defaults with the pose's own angles in their place.
2. The body is turned so that the posture's reference segment lies as the posture says (the
   thorax face up for lying on the back), then by the pose's `lean`.
3. Planted hands and feet are turned at the wrist or ankle until the sole or palm is flat, or
   the toes reach the floor, unless the pose gives that angle itself.
4. If the posture has balance landmarks, the body tips about the anchor (the lowest anchor
   landmark) until the lowest balance landmark rests on its support too: a bridge's shoulders
   and feet both on the floor. Steps 3 and 4 repeat a few times, as each changes the other.
5. The body is lowered onto the floor (or the prop under the anchor), and the props are placed
   against their landmarks.

Nothing here judges the result: `checks.py` does, from the gaps this module records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.body import Ball, PosedBody, pose_body
from protocol_kit.illustration.geometry import (
    IDENTITY,
    Mat,
    Vec,
    apply,
    axis_angle,
    compose,
    dot,
    frame,
    rot_z,
    transpose,
    unit,
)

DIRECTIONS: dict[str, Vec] = {
    "forwards": (1.0, 0.0, 0.0),
    "backwards": (-1.0, 0.0, 0.0),
    "up": (0.0, 1.0, 0.0),
    "down": (0.0, -1.0, 0.0),
    "right": (0.0, 0.0, 1.0),
    "left": (0.0, 0.0, -1.0),
}
_ROUNDS = 4  # planting and tipping, alternately
_TIP_RANGE = 60.0  # degrees the body may tip to rest on its balance landmark
_PLANT = {"left_foot": "left_ankle", "right_foot": "right_ankle"}
_PLANT.update({"left_hand": "left_wrist", "right_hand": "right_wrist"})
_PLANT_SEGMENT = {
    "left_ankle": ("left_shank", "left_foot"),
    "right_ankle": ("right_shank", "right_foot"),
    "left_wrist": ("left_forearm", "left_hand"),
    "right_wrist": ("right_forearm", "right_hand"),
}

Angles = dict[str, dict[str, float]]

# A limb that can keep its hand or foot in place: end segment -> (root joint, middle joint,
# root segment, middle segment, the trunk segment it hangs from, +1 when the middle joint's
# flexion turns the lower part forwards (elbow), -1 when backwards (knee)).
LIMBS = {
    "left_foot": ("left_hip", "left_knee", "left_thigh", "left_shank", "pelvis", -1),
    "right_foot": ("right_hip", "right_knee", "right_thigh", "right_shank", "pelvis", -1),
    "left_hand": ("left_shoulder", "left_elbow", "left_upper_arm", "left_forearm", "thorax", 1),
    "right_hand": (
        "right_shoulder",
        "right_elbow",
        "right_upper_arm",
        "right_forearm",
        "thorax",
        1,
    ),
}


@dataclass(frozen=True, slots=True)
class PropRequest:
    """A prop as a pose (or its posture) asks for it: which, against what, where."""

    prop: str
    at: str | None
    position: str = "under"


@dataclass(frozen=True, slots=True)
class PoseRequest:
    """What placement needs of a pose: the model's `Pose` reduced to plain values."""

    posture: str
    joints: Mapping[str, Mapping[str, float]]
    lean: float = 0.0  # degrees, positive tips the top of the body towards its front
    props: tuple[PropRequest, ...] = ()


@dataclass(frozen=True, slots=True)
class Solid:
    """A prop's volume: a box (`low`, `high` corners), a ball (`centre`, `radius`), or a
    cylinder along z (`centre`, `radius`, `half_length`)."""

    kind: str  # "box", "ball" or "cylinder"
    low: Vec = (0.0, 0.0, 0.0)
    high: Vec = (0.0, 0.0, 0.0)
    centre: Vec = (0.0, 0.0, 0.0)
    radius: float = 0.0
    half_length: float = 0.0

    def distance(self, p: Vec) -> float:
        """Signed distance from `p` to the surface (negative inside)."""
        if self.kind == "ball":
            return math.dist(p, self.centre) - self.radius
        if self.kind == "cylinder":
            radial = math.hypot(p[0] - self.centre[0], p[1] - self.centre[1]) - self.radius
            along = abs(p[2] - self.centre[2]) - self.half_length
            return _box_like(radial, along)
        outside = [max(self.low[i] - p[i], p[i] - self.high[i]) for i in range(3)]
        return _box_like(*outside)


def _box_like(*excess: float) -> float:
    positive = [e for e in excess if e > 0]
    if positive:
        return math.sqrt(sum(e * e for e in positive))
    return max(excess)


@dataclass(frozen=True, slots=True)
class PlacedProp:
    prop: str
    at: str | None
    position: str
    solids: tuple[Solid, ...]  # the drawing and the checks use the same volumes
    gap: float  # landmark to prop surface: positive floats above it, negative presses in
    height: float  # the prop's working height (seat, top, diameter)
    fits: bool  # False when an adjustable prop could not reach its landmark


@dataclass(frozen=True, slots=True)
class Placement:
    body: PosedBody
    angles: Angles  # the angles drawn, planted wrists and ankles included
    floor: float  # height of the surface the body lies on (a mat's top, else 0)
    props: tuple[PlacedProp, ...]
    anchor: str
    balance: str | None  # the balance landmark the body rests on, if any
    balanced: bool  # False when no tip brought a balance landmark to rest
    forwards: Vec  # the body's front, along the floor (for walls and chairs)


# ---------------------------------------------------------------------------------------------
# Angles


def merged_angles(posture: str, joints: Mapping[str, Mapping[str, float]]) -> Angles:
    """The posture's default angles with the pose's in their place, axis by axis: a pose's
    `extension` replaces the default `flexion` of the same joint, and leaves its other axes."""
    table = vocabulary.joints()
    angles: Angles = {}
    defaults = vocabulary.postures()[posture]["angles"]
    for joint in table:
        default = dict(defaults.get(joint, {}))
        given = joints.get(joint)
        if given:
            for axis in table[joint]["axes"]:
                if any(m in given for m in axis):
                    for movement in axis:
                        default.pop(movement, None)
                        if movement in given:
                            default[movement] = float(given[movement])
        values = {m: v for m, v in default.items() if v}
        if values:
            angles[joint] = values
    return angles


# ---------------------------------------------------------------------------------------------
# Orientation


def _reference_rotation(posture: Mapping, body: PosedBody) -> Mat:
    """The world rotation that lays the posture's reference segment as the posture says."""
    reference = posture["reference"]
    wanted = frame(DIRECTIONS[reference["anterior"]], DIRECTIONS[reference["superior"]])
    current = body.segment(reference["segment"]).rotation
    return compose(wanted, transpose(current))


def _lean_rotation(orientation: Mat, lean: float) -> Mat:
    """Tip the whole body: positive brings its top towards its front."""
    if not lean:
        return IDENTITY
    sideways = apply(orientation, (0.0, 0.0, 1.0))
    return axis_angle(sideways, -lean)


# ---------------------------------------------------------------------------------------------
# Landmarks and supports


def landmark_balls(body: PosedBody, name: str) -> list[Ball]:
    wanted = {(segment, index) for segment, index in vocabulary.landmarks()[name]["balls"]}
    return [b for b in body.balls() if (b.segment, b.index) in wanted]


def lowest(balls: Iterable[Ball]) -> float:
    return min(b.centre[1] - b.radius for b in balls)


def _fixed_height(prop: str) -> float | None:
    """The height a prop holds a landmark at when it cannot adjust (a roller, a ball)."""
    spec = vocabulary.props()[prop]
    if spec["shape"] == "cylinder" or spec["shape"] == "sphere":
        return float(spec["diameter"])
    return None


def _default_height(prop: str, landmark: str | None) -> float:
    spec = vocabulary.props()[prop]
    fixed = _fixed_height(prop)
    if fixed is not None:
        return fixed
    hand = landmark is not None and landmark.endswith("-hand")
    return float(spec["back_default" if spec["shape"] == "chair" and hand else "default"])


def _height_range(spec: Mapping, landmark: str | None) -> tuple[float, float]:
    if spec["shape"] == "chair":
        hand = landmark is not None and landmark.endswith("-hand")
        return tuple(spec["back_height" if hand else "seat_height"])
    return tuple(spec["height"])


def _support(requests: Iterable[PropRequest], floor: float) -> dict[str, float]:
    """Landmark -> the height it rests at when a prop is under it (default heights)."""
    heights: dict[str, float] = {}
    for request in requests:
        if request.position == "under" and request.at is not None:
            heights[request.at] = floor + _default_height(request.prop, request.at)
    return heights


# ---------------------------------------------------------------------------------------------
# Solving


def nearest_root(f: Callable[[float], float], limit: float, step: float = 1.0) -> float | None:
    """The x nearest 0 in [-limit, limit] where f(x) = 0 (f continuous), or None.

    Scans outwards from 0 in `step`s, alternating sides, then bisects: deterministic, and it
    finds the solution closest to the starting pose rather than any solution."""
    f0 = f(0.0)
    if f0 == 0:
        return 0.0
    previous = {1: (0.0, f0), -1: (0.0, f0)}
    k = 1
    while k * step <= limit + 1e-9:
        for sign in (1, -1):
            x = sign * k * step
            fx = f(x)
            x_prev, f_prev = previous[sign]
            if fx == 0:
                return x
            if (fx > 0) != (f_prev > 0):
                return _bisect(f, x_prev, f_prev, x)
            previous[sign] = (x, fx)
        k += 1
    return None


def _bisect(f: Callable[[float], float], a: float, fa: float, b: float) -> float:
    for _ in range(30):
        m = (a + b) / 2
        fm = f(m)
        if (fm > 0) == (fa > 0):
            a, fa = m, fm
        else:
            b = m
    return (a + b) / 2


def _net(values: Mapping[str, float], positive: str, negative: str) -> float:
    return values.get(positive, 0.0) - values.get(negative, 0.0)


def _set_net(angles: Angles, joint: str, positive: str, negative: str, net: float) -> None:
    values = {m: v for m, v in angles.get(joint, {}).items() if m not in (positive, negative)}
    if net > 0:
        values[positive] = net
    elif net < 0:
        values[negative] = -net
    if values:
        angles[joint] = values
    else:
        angles.pop(joint, None)


_PLANT_AXIS = {"ankle": ("dorsiflexion", "plantarflexion"), "wrist": ("flexion", "extension")}


def _plant(
    body: PosedBody,
    rotation: Mat,
    angles: Angles,
    segment: str,
    mode: str,
    floor_y: float,
) -> None:
    """Turn the ankle or wrist of a planted hand or foot (in `angles`) so that the sole or palm
    is flat, or the toes reach `floor_y`; within the joint's range."""
    joint = _PLANT[segment]
    parent_name, _ = _PLANT_SEGMENT[joint]
    positive, negative = _PLANT_AXIS[joint.split("_")[1]]
    parent = body.segment(parent_name)
    hand_or_foot = body.segment(segment)
    axis = apply(rotation, apply(parent.rotation, (0.0, 0.0, 1.0)))
    current = compose(rotation, hand_or_foot.rotation)
    pivot = apply(rotation, hand_or_foot.origin)
    spec = vocabulary.joints()[joint]["movements"]
    net = _net(angles.get(joint, {}), positive, negative)
    low, high = -spec[negative]["max"] - net, spec[positive]["max"] - net

    def turned(eps: float) -> Mat:
        return compose(axis_angle(axis, eps), current)

    if mode == "sole":

        def f(eps: float) -> float:
            return apply(turned(eps), (1.0, 0.0, 0.0))[1]  # the toes' direction, up or down

    elif mode == "palm":

        def f(eps: float) -> float:
            return apply(turned(eps), (0.0, -1.0, 0.0))[1]  # the fingers' direction

    else:  # toes
        tip = next(b for b in vocabulary.body()["segments"] if b["name"] == segment)["balls"][-1]

        def f(eps: float) -> float:
            centre = apply(turned(eps), (tip[0], tip[1], tip[2]))
            return pivot[1] + centre[1] - tip[3] - floor_y

    eps = _palm_turn(f, turned, rotation, body) if mode == "palm" else nearest_root(f, 90.0)
    if eps is None:
        if mode != "toes":
            return
        eps = min((k * 1.0 for k in range(-90, 91)), key=lambda e: (abs(f(e)), abs(e)))
    eps = max(low, min(high, eps))
    _set_net(angles, joint, positive, negative, net + eps)


def _palm_turn(
    f: Callable[[float], float], turned: Callable[[float], Mat], rotation: Mat, body: PosedBody
) -> float | None:
    """The wrist turn that lays the hand flat with the fingers pointing the way the body
    faces along the floor (its head end on hands and knees), of the two that lay it flat."""
    thorax = compose(rotation, body.segment("thorax").rotation)
    ahead = apply(thorax, (0.0, 1.0, 0.0))
    roots = [r for r in (_root_towards(f, 1), _root_towards(f, -1)) if r is not None]
    if not roots:
        return None

    def reach(eps: float) -> float:
        fingers = apply(turned(eps), (0.0, -1.0, 0.0))
        return fingers[0] * ahead[0] + fingers[2] * ahead[2]

    return max(roots, key=lambda r: (reach(r), -abs(r)))


def _root_towards(f: Callable[[float], float], sign: int, limit: float = 100.0) -> float | None:
    """The first root of f scanning from 0 towards `sign` infinity, within `limit` degrees."""
    x_prev, f_prev = 0.0, f(0.0)
    k = 1
    while k <= limit:
        x = sign * float(k)
        fx = f(x)
        if fx == 0 or (fx > 0) != (f_prev > 0):
            return x if fx == 0 else _bisect(f, x_prev, f_prev, x)
        x_prev, f_prev = x, fx
        k += 1
    return None


def kept_limbs(request: PoseRequest, planted: Iterable[str]) -> list[str]:
    """The planted hands and feet whose limb the pose leaves alone: they stay where they were
    at the start (a pose that moves the hips keeps the hands on the floor)."""
    kept = []
    for segment in planted:
        root, middle = LIMBS[segment][0], LIMBS[segment][1]
        if root not in request.joints and middle not in request.joints:
            kept.append(segment)
    return kept


def _reach(body: PosedBody, angles: Angles, segment: str, target: Vec) -> None:
    """Bend the limb of `segment` (in its trunk segment's front-to-back plane) so that its
    wrist or ankle reaches `target`: two-link inverse kinematics, knee or elbow bending the
    way it can."""
    root, middle, upper_name, lower_name, trunk_name, bend = LIMBS[segment]
    upper, lower = body.segment(upper_name), body.segment(lower_name)
    end = body.segment(segment)
    trunk = body.segment(trunk_name).rotation
    side_axis = apply(trunk, (0.0, 0.0, 1.0))
    l1 = math.dist(upper.origin, lower.origin)
    l2 = math.dist(lower.origin, end.origin)

    def flat(v: Vec) -> Vec:
        k = dot(v, side_axis)
        return (v[0] - k * side_axis[0], v[1] - k * side_axis[1], v[2] - k * side_axis[2])

    offset = flat(
        (target[0] - upper.origin[0], target[1] - upper.origin[1], target[2] - upper.origin[2])
    )
    d = max(abs(l1 - l2) + 0.1, min(l1 + l2 - 0.1, math.sqrt(dot(offset, offset))))
    u = unit(offset)
    v = (
        side_axis[1] * u[2] - side_axis[2] * u[1],
        side_axis[2] * u[0] - side_axis[0] * u[2],
        side_axis[0] * u[1] - side_axis[1] * u[0],
    )
    alpha = math.acos(max(-1.0, min(1.0, (l1 * l1 + d * d - l2 * l2) / (2 * l1 * d))))
    inverse = transpose(trunk)
    best: tuple[float, float] | None = None
    for sign in (1.0, -1.0):
        c, s_ = math.cos(alpha), sign * math.sin(alpha)
        knee = tuple(upper.origin[i] + l1 * (c * u[i] + s_ * v[i]) for i in range(3))
        far = tuple(upper.origin[i] + d * u[i] for i in range(3))
        a = apply(inverse, unit(tuple(knee[i] - upper.origin[i] for i in range(3))))
        b = apply(inverse, unit(tuple(far[i] - knee[i] for i in range(3))))
        swing = math.degrees(math.atan2(a[0], -a[1]))
        bent = bend * (math.degrees(math.atan2(b[0], -b[1])) - swing)
        bent = (bent + 180.0) % 360.0 - 180.0
        if bent >= -0.5 and (best is None or bent < best[1]):
            best = (swing, max(0.0, bent))
    if best is None:
        return
    swing, bent = best
    _set_net(angles, root, "flexion", "extension", swing)
    if bent > 0:
        angles[middle] = {"flexion": bent}
    else:
        angles.pop(middle, None)


def _tip_to_reach(
    body: PosedBody, rotation: Mat, shift: Vec, segment: str, target: Vec, angles: Angles
) -> float | None:
    """Degrees to tip the body about its resting anchor so that the kept hand or foot can
    reach `target` with its knee or elbow as it is (arms straight on hands and knees): the body
    moves, not the limb."""
    root, middle, upper_name, lower_name, _, _ = LIMBS[segment]
    upper, lower, end = (body.segment(n) for n in (upper_name, lower_name, segment))
    l1 = math.dist(upper.origin, lower.origin)
    l2 = math.dist(lower.origin, end.origin)
    bent = math.radians(angles.get(middle, {}).get("flexion", 0.0))
    reach = math.sqrt(l1 * l1 + l2 * l2 + 2 * l1 * l2 * math.cos(bent))
    root_at = tuple(apply(rotation, upper.origin)[i] + shift[i] for i in range(3))
    pivot = (
        0.0,
        shift[1] + min(apply(rotation, b.centre)[1] - b.radius for b in body.balls()),
        0.0,
    )  # the anchor rests at x = 0 on the floor

    def gap(step: float) -> float:
        turned = apply(rot_z(step), tuple(root_at[i] - pivot[i] for i in range(3)))
        moved = tuple(turned[i] + pivot[i] for i in range(3))
        return math.dist(moved, target) - reach

    return nearest_root(gap, 45.0, 0.5)


def place(request: PoseRequest, keep: Mapping[str, Vec] | None = None) -> Placement:
    """The pose in the world: on the floor or its props, props beside it. `keep` gives, for
    planted hands and feet that should stay where they were (the start position's wrists and
    ankles), their place; limbs the pose itself moves are not kept."""
    posture = vocabulary.postures()[request.posture]
    angles = merged_angles(request.posture, request.joints)
    requests = _prop_requests(posture, request.props)
    floor = sum(vocabulary.props()[r.prop]["thickness"] for r in requests if r.prop == "mat")
    supports = _support(requests, floor)
    planted = {
        segment: mode
        for segment, mode in posture.get("planted", {}).items()
        if _PLANT[segment] not in request.joints
    }
    anchors = posture["anchor"]
    kept = [seg for seg in kept_limbs(request, posture.get("planted", {})) if seg in (keep or {})]
    kept_landmarks = {seg.replace("_", "-") for seg in kept}
    balance = [b for b in posture.get("balance", []) if b not in kept_landmarks]
    body = pose_body(angles)
    orientation = _reference_rotation(posture, body)
    rotation = compose(_lean_rotation(orientation, request.lean), orientation)
    tip = 0.0
    balanced = True
    for _ in range(_ROUNDS):
        world = body.moved(rotation, (0.0, 0.0, 0.0))
        anchor, anchor_y = _lowest_landmark(world, anchors, supports, floor)
        floor_y = anchor_y - (supports.get(anchor, floor) - floor)
        if kept:
            shift = _resting_shift(world, anchors, supports, floor)
            if posture.get("keep") == "tip":
                step = _tip_to_reach(body, rotation, shift, kept[0], keep[kept[0]], angles)
                if step:
                    rotation = compose(rot_z(step), rotation)
                    world = body.moved(rotation, (0.0, 0.0, 0.0))
                    shift = _resting_shift(world, anchors, supports, floor)
            inverse = transpose(rotation)
            for segment in kept:
                target = keep[segment]  # type: ignore[index]
                local = apply(inverse, tuple(target[i] - shift[i] for i in range(3)))
                _reach(body, angles, segment, local)
            body = pose_body(angles)
        for segment, mode in planted.items():
            _plant(body, rotation, angles, segment, mode, floor_y)
        body = pose_body(angles)
        if not balance:
            continue
        step = _tip(body, rotation, anchors, balance, supports, floor)
        balanced = step is not None
        if step:
            tip += step
            rotation = compose(rot_z(step), rotation)
    world = body.moved(rotation, (0.0, 0.0, 0.0))
    world = world.moved(IDENTITY, _resting_shift(world, anchors, supports, floor))
    anchor, _ = _lowest_landmark(world, anchors, supports, floor)
    resting = None
    if balance:
        resting, _ = _lowest_landmark(world, balance, supports, floor)
    forwards = apply(
        rotation, apply(body.segment(posture["reference"]["segment"]).rotation, (1.0, 0.0, 0.0))
    )
    flat = unit((forwards[0], 0.0, forwards[2]))
    if flat == (0.0, 0.0, 0.0):
        flat = (1.0, 0.0, 0.0)
    props = tuple(_place_props(world, requests, floor, flat))
    return Placement(world, angles, floor, props, anchor, resting, balanced, flat)


def _resting_shift(
    world: PosedBody, anchors: Iterable[str], supports: Mapping[str, float], floor: float
) -> Vec:
    """The move that rests the anchor on its support, its middle at x = 0 (so that a start
    and an end position resting on the same anchor line up)."""
    anchor, anchor_y = _lowest_landmark(world, anchors, supports, floor)
    balls = landmark_balls(world, anchor)
    middle = sum(b.centre[0] for b in balls) / len(balls)
    return (-middle, supports.get(anchor, floor) - anchor_y, 0.0)


def _lowest_landmark(
    body: PosedBody, names: Iterable[str], supports: Mapping[str, float], floor: float
) -> tuple[str, float]:
    """The landmark that rests first (lowest above its support), and its lowest point."""
    best: tuple[float, str, float] | None = None
    for name in names:
        y = lowest(landmark_balls(body, name))
        clearance = y - supports.get(name, floor)
        if best is None or clearance < best[0] - 1e-9:
            best = (clearance, name, y)
    assert best is not None
    return best[1], best[2]


def _tip(
    body: PosedBody,
    rotation: Mat,
    anchors: Iterable[str],
    balance: Iterable[str],
    supports: Mapping[str, float],
    floor: float,
) -> float | None:
    """Degrees to tip the body (about the world's z axis) so that a balance landmark rests as
    the anchor does; 0 when it already does, None when no tip within range brings it to rest."""
    anchors, balance = list(anchors), list(balance)
    names = anchors + balance
    world = body.moved(rotation, (0.0, 0.0, 0.0))
    balls = {name: landmark_balls(world, name) for name in names}

    def clearance(step: float, group: list[str]) -> float:
        turn = rot_z(step)
        return min(
            min(apply(turn, b.centre)[1] - b.radius for b in balls[name])
            - supports.get(name, floor)
            for name in group
        )

    def gap(step: float) -> float:
        return clearance(step, balance) - clearance(step, anchors)

    if abs(gap(0.0)) < 0.05:
        return 0.0
    return nearest_root(gap, _TIP_RANGE, 0.5)


# ---------------------------------------------------------------------------------------------
# Props


def _prop_requests(posture: Mapping, own: Iterable[PropRequest]) -> list[PropRequest]:
    """The posture's props, then the pose's, each once."""
    seen: list[PropRequest] = []
    for item in posture.get("props", ()):
        request = PropRequest(item["prop"], item.get("at"), item.get("position", "under"))
        if request not in seen:
            seen.append(request)
    for request in own:
        if request not in seen:
            seen.append(request)
    return seen


def _place_props(
    body: PosedBody, requests: list[PropRequest], floor: float, forwards: Vec
) -> Iterable[PlacedProp]:
    all_balls = body.balls()
    reach: dict[tuple[str, str], float] = {}  # (landmark, direction) -> how far props stack
    for request in requests:
        spec = vocabulary.props()[request.prop]
        if request.prop == "mat":
            xs = [b.centre[0] for b in all_balls]
            zs = [b.centre[2] for b in all_balls]
            length = max(spec["length"], max(xs) - min(xs) + 20)
            middle = (max(xs) + min(xs)) / 2
            zmid = (max(zs) + min(zs)) / 2
            solid = Solid(
                "box",
                (middle - length / 2, 0.0, zmid - spec["width"] / 2),
                (middle + length / 2, floor, zmid + spec["width"] / 2),
            )
            yield PlacedProp("mat", None, "under", (solid,), 0.0, floor, True)
            continue
        balls = landmark_balls(body, request.at) if request.at else all_balls
        if request.position == "under":
            yield _under(request, spec, balls, floor, forwards)
        else:
            direction = forwards if request.position == "in-front" else _neg(forwards)
            key = (request.at or "", request.position)
            yield _beside(request, spec, balls, floor, direction, reach, key)


def _neg(v: Vec) -> Vec:
    return (-v[0], -v[1], -v[2])


def _under(
    request: PropRequest, spec: Mapping, balls: list[Ball], floor: float, forwards: Vec
) -> PlacedProp:
    bottom = min(balls, key=lambda b: b.centre[1] - b.radius)
    x, z = bottom.centre[0], bottom.centre[2]
    want = bottom.centre[1] - bottom.radius - floor  # the height that would just touch
    fixed = _fixed_height(request.prop)
    fits = True
    if fixed is not None:
        height = fixed
    else:
        low, high = _height_range(spec, request.at)
        height = max(low, min(high, want))
        fits = low - 0.5 <= want <= high + 0.5
    gap = want - height
    shape = spec["shape"]
    if shape == "cylinder":
        r = spec["diameter"] / 2
        solids = (
            Solid("cylinder", centre=(x, floor + r, z), radius=r, half_length=spec["length"] / 2),
        )
    elif shape == "sphere":
        r = spec["diameter"] / 2
        solids = (Solid("ball", centre=(x, floor + r, z), radius=r),)
    elif shape == "chair":
        solids = _chair(spec, x, z, floor, height, request.at, forwards)
    else:
        half_l, half_w = spec["length"] / 2, spec["width"] / 2
        if spec.get("edge"):  # the body sits at the edge: the bed lies behind it
            lo_x, hi_x = x - 2 * half_l + 6 * forwards[0], x + 6 * forwards[0]
            if forwards[0] < 0:
                lo_x, hi_x = x - 6, x + 2 * half_l - 6
        else:
            lo_x, hi_x = x - half_l, x + half_l
        solids = (Solid("box", (lo_x, floor, z - half_w), (hi_x, floor + height, z + half_w)),)
    return PlacedProp(request.prop, request.at, "under", solids, gap, height, fits)


def _chair(
    spec: Mapping, x: float, z: float, floor: float, height: float, at: str | None, forwards: Vec
) -> tuple[Solid, ...]:
    """Seat, back and legs. Under the buttocks the seat's centre is under them; under a hand
    the top of the back is, and the seat lies in front of it."""
    depth, half_w = spec["depth"], spec["width"] / 2
    sign = 1.0 if forwards[0] >= 0 else -1.0
    holding = at is not None and at.endswith("-hand")
    if holding:
        seat_h = sum(spec["seat_height"]) / 2
        back_h = height
        back_x = x
    else:
        seat_h = height
        back_h = seat_h + 40.0
        back_x = x - sign * (depth / 2 - 4)
    front_x = back_x + sign * depth
    lo, hi = min(back_x, front_x), max(back_x, front_x)
    seat = Solid("box", (lo, floor + seat_h - 4, z - half_w), (hi, floor + seat_h, z + half_w))
    back_lo = back_x - sign * 3 if sign > 0 else back_x
    back = Solid(
        "box",
        (min(back_lo, back_lo + 3), floor + seat_h, z - half_w),
        (max(back_lo, back_lo + 3), floor + back_h, z + half_w),
    )
    legs = tuple(
        Solid("box", (lx - 1.5, floor, lz - 1.5), (lx + 1.5, floor + seat_h - 4, lz + 1.5))
        for lx in (lo + 2, hi - 2)
        for lz in (z - half_w + 2, z + half_w - 2)
    )
    return (seat, back, *legs)


def _beside(
    request: PropRequest,
    spec: Mapping,
    balls: list[Ball],
    floor: float,
    direction: Vec,
    reach: dict[tuple[str, str], float],
    key: tuple[str, str],
) -> PlacedProp:
    """A prop behind or in front of a landmark, touching it or the prop already there."""
    extreme = max(balls, key=lambda b: dot(b.centre, direction) + b.radius)
    surface = dot(extreme.centre, direction) + extreme.radius
    start = reach.get(key, surface)
    shape = spec["shape"]
    if shape == "sphere":
        r = spec["diameter"] / 2
        along = start + r
        centre = _along(extreme.centre, direction, along)
        reach[key] = along + r
        solids = (Solid("ball", centre=centre, radius=r),)
        height = centre[1]
    else:  # a wall, or a box standing there
        thickness = spec.get("thickness", spec.get("length", 10))
        near, far = start, start + thickness
        reach[key] = far
        half_w = spec.get("width", 100) / 2
        top = floor + (
            spec["height"] if isinstance(spec["height"], (int, float)) else spec["height"][1]
        )
        a = _along((0.0, 0.0, extreme.centre[2]), direction, near)
        b = _along((0.0, 0.0, extreme.centre[2]), direction, far)
        lo_x, hi_x = min(a[0], b[0]), max(a[0], b[0])
        lo_z, hi_z = min(a[2], b[2]) - half_w, max(a[2], b[2]) + half_w
        if abs(direction[2]) < 0.5:
            lo_z, hi_z = extreme.centre[2] - half_w, extreme.centre[2] + half_w
        solids = (Solid("box", (lo_x, 0.0, lo_z), (hi_x, top, hi_z)),)
        height = top
    gap = start - surface
    return PlacedProp(request.prop, request.at, request.position, solids, gap, height, True)


def _along(point: Vec, direction: Vec, distance: float) -> Vec:
    """`point` moved so that its position along `direction` is `distance`."""
    offset = distance - dot(point, direction)
    return (
        point[0] + direction[0] * offset,
        point[1] + direction[1] * offset,
        point[2] + direction[2] * offset,
    )
