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

from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.body import (
    Ball,
    PosedBody,
    PosedSegment,
    give,
    pose_body,
    reposed,
)
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
from protocol_kit.record import Record, init

DIRECTIONS: dict[str, Vec] = {
    "forwards": (1.0, 0.0, 0.0),
    "backwards": (-1.0, 0.0, 0.0),
    "up": (0.0, 1.0, 0.0),
    "down": (0.0, -1.0, 0.0),
    "right": (0.0, 0.0, 1.0),
    "left": (0.0, 0.0, -1.0),
}
_ROUNDS = 4  # planting and tipping, alternately
_NEAR_SUPPORT = 8.0  # cm: a planted hand or foot further off the floor is held elsewhere
_TOUCHING = 1.5  # cm: a hand or foot this close to the floor rests on it
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


class PropRequest(Record):
    """A prop as a pose (or its posture) asks for it: which, against what, where, and (behind
    or in front) how far from the landmark."""

    __slots__ = ("prop", "at", "position", "gap")
    prop: str
    at: str | None
    position: str
    gap: float

    def __init__(
        self, prop: str, at: str | None, position: str = "under", gap: float = 0.0
    ) -> None:
        init(self, "prop", prop)
        init(self, "at", at)
        init(self, "position", position)
        init(self, "gap", gap)


class PoseRequest(Record):
    """What placement needs of a pose: the model's `Pose` reduced to plain values.

    `joints` are the angles to draw over the posture's; `own` names the joints the pose itself
    gives (an end position takes the start's angles and changes some: only those it changes
    are its own, and only limbs it leaves alone keep their hand or foot in place)."""

    __slots__ = ("posture", "joints", "lean", "props", "own")
    posture: str
    joints: Mapping[str, Mapping[str, float]]
    lean: float  # degrees, positive tips the top of the body towards its front
    props: tuple[PropRequest, ...]
    own: frozenset[str] | None  # None: every joint in `joints`

    def __init__(
        self,
        posture: str,
        joints: Mapping[str, Mapping[str, float]],
        lean: float = 0.0,
        props: tuple[PropRequest, ...] = (),
        own: frozenset[str] | None = None,
    ) -> None:
        init(self, "posture", posture)
        init(self, "joints", joints)
        init(self, "lean", lean)
        init(self, "props", props)
        init(self, "own", own)

    def gives(self, joint: str) -> bool:
        return joint in (self.joints if self.own is None else self.own)


class Solid(Record):
    """A prop's volume: a box (`low`, `high` corners), a ball (`centre`, `radius`), or a
    cylinder along z (`centre`, `radius`, `half_length`)."""

    __slots__ = ("kind", "low", "high", "centre", "radius", "half_length", "axis")
    kind: str  # "box", "ball" or "cylinder"
    low: Vec
    high: Vec
    centre: Vec
    radius: float
    half_length: float
    axis: Vec  # a cylinder's, level with the floor

    def __init__(
        self,
        kind: str,
        low: Vec = (0.0, 0.0, 0.0),
        high: Vec = (0.0, 0.0, 0.0),
        centre: Vec = (0.0, 0.0, 0.0),
        radius: float = 0.0,
        half_length: float = 0.0,
        axis: Vec = (0.0, 0.0, 1.0),
    ) -> None:
        init(self, "kind", kind)
        init(self, "low", low)
        init(self, "high", high)
        init(self, "centre", centre)
        init(self, "radius", radius)
        init(self, "half_length", half_length)
        init(self, "axis", axis)

    def distance(self, p: Vec) -> float:
        """Signed distance from `p` to the surface (negative inside)."""
        if self.kind == "ball":
            return math.dist(p, self.centre) - self.radius
        if self.kind == "cylinder":
            offset = (p[0] - self.centre[0], p[1] - self.centre[1], p[2] - self.centre[2])
            along = dot(offset, self.axis)
            radial = math.sqrt(max(0.0, dot(offset, offset) - along * along)) - self.radius
            return _box_like(radial, abs(along) - self.half_length)
        outside = [max(self.low[i] - p[i], p[i] - self.high[i]) for i in range(3)]
        return _box_like(*outside)


def _box_like(*excess: float) -> float:
    positive = [e for e in excess if e > 0]
    if positive:
        return math.sqrt(sum(e * e for e in positive))
    return max(excess)


class PlacedProp(Record):
    __slots__ = ("prop", "at", "position", "solids", "gap", "height", "fits")
    prop: str
    at: str | None
    position: str
    solids: tuple[Solid, ...]  # the drawing and the checks use the same volumes
    gap: float  # landmark to prop surface: positive floats above it, negative presses in
    height: float  # the prop's working height (seat, top, diameter)
    fits: bool  # False when an adjustable prop could not reach its landmark

    def __init__(
        self,
        prop: str,
        at: str | None,
        position: str,
        solids: tuple[Solid, ...],
        gap: float,
        height: float,
        fits: bool,
    ) -> None:
        init(self, "prop", prop)
        init(self, "at", at)
        init(self, "position", position)
        init(self, "solids", solids)
        init(self, "gap", gap)
        init(self, "height", height)
        init(self, "fits", fits)


class Placement(Record):
    __slots__ = ("body", "angles", "floor", "props", "anchor", "balance", "balanced", "forwards")
    body: PosedBody
    angles: Angles  # the angles drawn, planted wrists and ankles included
    floor: float  # height of the surface the body lies on (a mat's top, else 0)
    props: tuple[PlacedProp, ...]
    anchor: str
    balance: str | None  # the balance landmark the body rests on, if any
    balanced: bool  # False when no tip brought a balance landmark to rest
    forwards: Vec  # the body's front, along the floor (for walls and chairs)

    def __init__(
        self,
        body: PosedBody,
        angles: Angles,
        floor: float,
        props: tuple[PlacedProp, ...],
        anchor: str,
        balance: str | None,
        balanced: bool,
        forwards: Vec,
    ) -> None:
        init(self, "body", body)
        init(self, "angles", angles)
        init(self, "floor", floor)
        init(self, "props", props)
        init(self, "anchor", anchor)
        init(self, "balance", balance)
        init(self, "balanced", balanced)
        init(self, "forwards", forwards)


# ---------------------------------------------------------------------------------------------
# Angles


def merged_angles(
    posture: str,
    joints: Mapping[str, Mapping[str, float]],
    base: Mapping[str, Mapping[str, float]] | None = None,
) -> Angles:
    """The posture's default angles (or `base`) with the pose's in their place, axis by axis: a
    pose's `extension` replaces the default `flexion` of the same joint, and leaves its other
    axes."""
    table = vocabulary.joints()
    angles: Angles = {}
    defaults = vocabulary.postures()[posture]["angles"] if base is None else base
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
        if default:
            angles[joint] = default  # zeros kept: a pose's 0 replaces the posture's angle
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
    return [
        body.segment(segment).balls[index]
        for segment, index in vocabulary.landmarks()[name]["balls"]
    ]


def _lowest_turned(body: PosedBody, rotation: Mat, name: str) -> float:
    """The lowest point of a landmark once the body is turned by `rotation`."""
    return min(apply(rotation, b.centre)[1] - b.radius for b in landmark_balls(body, name))


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
        under = request.position == "under" and request.at is not None
        if under and vocabulary.props()[request.prop]["shape"] not in ("wall", "mat"):
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


def _turn_roots(axis: Vec, v: Vec, target: float) -> tuple[list[float], float, float]:
    """Turning the world vector `v` about the unit `axis` by e degrees moves its height to
    P cos e + Q sin e + R. The turns (degrees, in (-180, 180]) that bring it to `target`, with
    the turns of its lowest and highest height."""
    along = dot(axis, v)
    r = axis[1] * along
    p = v[1] - r
    q = axis[2] * v[0] - axis[0] * v[2]  # (axis x v), its height
    m = math.hypot(p, q)
    phi = math.degrees(math.atan2(q, p))
    lowest_at, highest_at = _wrap(phi + 180.0), _wrap(phi)
    if m < 1e-9 or abs(target - r) > m:
        return [], lowest_at, highest_at
    delta = math.degrees(math.acos((target - r) / m))
    return sorted({_wrap(phi + delta), _wrap(phi - delta)}), lowest_at, highest_at


def _wrap(degrees: float) -> float:
    return (degrees + 180.0) % 360.0 - 180.0


def _plant(
    body: PosedBody,
    rotation: Mat,
    angles: Angles,
    segment: str,
    mode: str,
    floor_y: float,
) -> None:
    """Turn the ankle or wrist of a planted hand or foot (in `angles`) so that the sole or palm
    is flat, or the toes reach `floor_y`; within the joint's range. Solved exactly: the height
    of a point turning about an axis is a sine curve."""
    joint = _PLANT[segment]
    parent_name, _ = _PLANT_SEGMENT[joint]
    positive, negative = _PLANT_AXIS[joint.split("_")[1]]
    hand_or_foot = body.segment(segment)
    axis = apply(rotation, apply(body.segment(parent_name).rotation, (0.0, 0.0, 1.0)))
    current = compose(rotation, hand_or_foot.rotation)
    pivot = apply(rotation, hand_or_foot.origin)
    balls = _segment_balls(segment)
    lowest_now = min(pivot[1] + apply(current, b[:3])[1] - b[3] for b in balls)
    if lowest_now - floor_y > _NEAR_SUPPORT:
        return  # held somewhere else (hands behind the head): nothing to plant
    spec = vocabulary.joints()[joint]["movements"]
    net = _net(angles.get(joint, {}), positive, negative)
    low, high = -spec[negative]["max"] - net, spec[positive]["max"] - net

    def best(roots: list[float], fallback: float | None = None) -> float | None:
        """The root the joint can reach nearest the angle given; else the fallback."""
        inside = [r for r in roots if low - 0.5 <= r <= high + 0.5]
        return min(inside, key=abs) if inside else fallback

    if mode == "sole":
        roots, _, _ = _turn_roots(axis, apply(current, (1.0, 0.0, 0.0)), 0.0)
        eps = best(roots)
    elif mode == "palm":  # resting flat, fingers on from the forearm
        roots, _, _ = _turn_roots(axis, apply(current, (0.0, -1.0, 0.0)), 0.0)
        eps = best(roots)
    elif mode == "palm-forwards":  # bearing weight: fingers towards the head end
        eps = _palm_turn(axis, current, rotation, body)
    else:  # toes: the tip of the foot down to the floor
        tip = balls[-1]
        roots, lowest_at, _ = _turn_roots(
            axis, apply(current, tip[:3]), floor_y + tip[3] - pivot[1]
        )
        eps = best(roots, lowest_at)
    if eps is None:
        return
    eps = max(low, min(high, eps))
    _set_net(angles, joint, positive, negative, net + eps)


def _segment_balls(segment: str) -> list[list[float]]:
    return next(s for s in vocabulary.body()["segments"] if s["name"] == segment)["balls"]


def _palm_turn(axis: Vec, current: Mat, rotation: Mat, body: PosedBody) -> float | None:
    """The wrist turn that lays the hand flat with the fingers pointing the way the body
    faces along the floor (its head end on hands and knees), of the two that lay it flat."""
    fingers = apply(current, (0.0, -1.0, 0.0))
    roots, _, _ = _turn_roots(axis, fingers, 0.0)
    if not roots:
        return None
    ahead = apply(compose(rotation, body.segment("thorax").rotation), (0.0, 1.0, 0.0))

    def reach(eps: float) -> float:
        turned = apply(axis_angle(axis, eps), fingers)
        return turned[0] * ahead[0] + turned[2] * ahead[2]

    return max(roots, key=lambda r: (reach(r), -abs(r)))


def kept_limbs(request: PoseRequest, planted: Iterable[str], angles: Angles) -> list[str]:
    """The planted hands and feet whose limb the pose leaves alone: they stay where they were
    at the start (a pose that moves the hips keeps the hands on the floor). A limb turned out
    of the body's front-to-back plane (an arm out to the side) is left as it is."""
    kept = []
    for segment in planted:
        root, middle = LIMBS[segment][0], LIMBS[segment][1]
        if request.gives(root) or request.gives(middle):
            continue
        sideways = {m: v for m, v in angles.get(root, {}).items() if m not in _IN_PLANE and v}
        if not sideways:
            kept.append(segment)
    return kept


_IN_PLANE = ("flexion", "extension")


def touching(placement: Placement, segment: str) -> bool:
    """Whether a hand or foot rests on the floor (or the mat)."""
    balls = placement.body.segment(segment).balls
    return min(b.centre[1] - b.radius for b in balls) - placement.floor <= _TOUCHING


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

    return nearest_root(gap, 45.0, 2.0)


def place(
    request: PoseRequest, keep: Mapping[str, Vec] | None = None, align: str | None = None
) -> Placement:
    """The pose in the world: on the floor or its props, props beside it. `keep` gives, for
    planted hands and feet that should stay where they were (the start position's wrists and
    ankles), their place; limbs the pose itself moves are not kept. `align` names the landmark
    whose middle is at x = 0 (the start's anchor, so that an end position resting on another
    part still lines up with the start); by default the anchor."""
    posture = vocabulary.postures()[request.posture]
    angles = merged_angles(request.posture, request.joints)
    requests = _prop_requests(posture, request.props)
    floor = sum(vocabulary.props()[r.prop]["thickness"] for r in requests if r.prop == "mat")
    supports = _support(requests, floor)
    modes = posture.get("planted", {})
    planted = {seg: mode for seg, mode in modes.items() if not request.gives(_PLANT[seg])}
    anchors = posture["anchor"]
    free = kept_limbs(request, modes, angles)
    kept = [seg for seg in free if seg in (keep or {})]
    # Standing and kneeling, a balance foot the pose leaves alone reaches the floor by bending
    # its leg (the trunk stays upright); lying and on all fours, the body tips to rest on it.
    bending = posture.get("balance_by") == "bend"
    body = pose_body(angles)
    orientation = _reference_rotation(posture, body)
    rotation = compose(_lean_rotation(orientation, request.lean), orientation)
    # Lying with the chest still and the back turned (knee rolls), the pelvis rolls onto its
    # side: see `_lift_rolled_pelvis`.
    rolls = posture["reference"]["segment"] == "thorax" and any(
        angles.get(j, {}).get(m) for j in ("lumbar", "thoracic") for m in _TURNS
    )
    balanced = True
    reached: set[str] = set()
    for _ in range(_ROUNDS):
        rotation_before, angles_before = rotation, repr(angles)
        anchor, anchor_y = _lowest_landmark(body, rotation, anchors, supports, floor)
        floor_y = anchor_y - (supports.get(anchor, floor) - floor)
        shift = _resting_shift(body, rotation, anchors, supports, floor)
        targets: dict[str, Vec] = {}
        if kept:
            if posture.get("keep") == "tip":
                step = _tip_to_reach(body, rotation, shift, kept[0], keep[kept[0]], angles)
                if step:
                    rotation = compose(rot_z(step), rotation)
                    shift = _resting_shift(body, rotation, anchors, supports, floor)
            targets.update((seg, keep[seg]) for seg in kept)  # type: ignore[index]
        if bending:
            for name in posture.get("balance", []):
                seg = _LIMB_OF_LANDMARK.get(name)
                if seg in free and seg not in targets:
                    ankle = apply(rotation, body.segment(seg).origin)
                    rest = floor + _REST_HEIGHT[modes.get(seg, "sole")]
                    targets[seg] = (ankle[0] + shift[0], rest, ankle[2] + shift[2])
        if targets:
            body, reached = _reach_targets(body, angles, rotation, shift, targets)
        for segment, mode in planted.items():
            _plant(body, rotation, angles, segment, mode, floor_y)
        body = reposed(body, angles, frozenset(_PLANT[s] for s in planted))
        balance = [b for b in posture.get("balance", []) if _LIMB_OF_LANDMARK.get(b) not in reached]
        if balance:
            step = _tip(body, rotation, anchors, balance, supports, floor, rolls)
            balanced = step is not None
            if step:
                rotation = compose(rot_z(step), rotation)
        if rotation == rotation_before and (not targets or repr(angles) == angles_before):
            # Nothing tipped (and no limb had to reach again): planting worked from where the
            # body already was, so another round would find the same.
            break
    shift = _resting_shift(body, rotation, anchors, supports, floor)
    if align is not None:
        balls = landmark_balls(body, align)
        shift = (-sum(apply(rotation, b.centre)[0] for b in balls) / len(balls), *shift[1:])
    world = body.moved(rotation, shift)
    if rolls:
        world = _lift_rolled_pelvis(world, floor)
    anchor, _ = _lowest_landmark(world, IDENTITY, anchors, supports, floor)
    resting = None
    balance = [b for b in posture.get("balance", []) if _LIMB_OF_LANDMARK.get(b) not in reached]
    if balance:
        resting, _ = _lowest_landmark(world, IDENTITY, balance, supports, floor)
    forwards = apply(
        rotation, apply(body.segment(posture["reference"]["segment"]).rotation, (1.0, 0.0, 0.0))
    )
    flat = unit((forwards[0], 0.0, forwards[2]))
    if flat == (0.0, 0.0, 0.0):
        flat = (1.0, 0.0, 0.0)
    props = tuple(_place_props(world, requests, floor, flat))
    return Placement(world, angles, floor, props, anchor, resting, balanced, flat)


_TURNS = ("rotation_left", "rotation_right")
_BELOW_PELVIS = (
    "pelvis",
    "left_thigh",
    "left_shank",
    "left_foot",
    "right_thigh",
    "right_shank",
    "right_foot",
)


def _lift_rolled_pelvis(world: PosedBody, floor: float) -> PosedBody:
    """Lying with the chest still, a pelvis turned on its side (knee rolls) rests on its side:
    the spine turns about the back, not about its middle, so the pelvis and legs rise by what
    the turn would push them into the floor beyond the buttocks' give."""
    pelvis = world.segment("pelvis")
    sink = floor - min(b.centre[1] - b.radius for b in pelvis.balls) - give("pelvis")
    if sink <= 0:
        return world
    lift = sink + give("pelvis")
    segments = tuple(
        s
        if s.name not in _BELOW_PELVIS
        else PosedSegment(
            s.name,
            s.rotation,
            (s.origin[0], s.origin[1] + lift, s.origin[2]),
            tuple(
                Ball(b.segment, b.index, (b.centre[0], b.centre[1] + lift, b.centre[2]), b.radius)
                for b in s.balls
            ),
        )
        for s in world.segments
    )
    return PosedBody(segments)


# The limb whose hand or foot a landmark is on, and the height of the wrist or ankle above the
# floor when that hand or foot rests as planted.
_LIMB_OF_LANDMARK = {
    f"{side}-{part}": f"{side}_{limb}"
    for side in ("left", "right")
    for part, limb in (("foot", "foot"), ("toes", "foot"), ("heel", "foot"), ("hand", "hand"))
}
_REST_HEIGHT = {"sole": 6.7, "toes": 11.0, "palm": 2.8, "palm-forwards": 2.8}


def _reach_targets(
    body: PosedBody, angles: Angles, rotation: Mat, shift: Vec, targets: Mapping[str, Vec]
) -> tuple[PosedBody, set[str]]:
    """Bend each limb so that its wrist or ankle reaches its target (world); a limb that
    cannot (out of reach in its plane: the pelvis rolled) is left as it was."""
    inverse = transpose(rotation)
    reached: set[str] = set()
    for segment, target in targets.items():
        local = apply(inverse, (target[0] - shift[0], target[1] - shift[1], target[2] - shift[2]))
        joints = LIMBS[segment][:2]
        before = {j: dict(angles.get(j, {})) for j in joints}
        _reach(body, angles, segment, local)
        moved = reposed(body, angles, frozenset(joints))
        if math.dist(moved.segment(segment).origin, local) > _TOUCHING * 2:
            for joint, values in before.items():
                if values:
                    angles[joint] = values
                else:
                    angles.pop(joint, None)
            continue
        body = moved
        reached.add(segment)
    return body, reached


def _resting_shift(
    body: PosedBody,
    rotation: Mat,
    anchors: Iterable[str],
    supports: Mapping[str, float],
    floor: float,
) -> Vec:
    """The move that rests the turned body's anchor on its support, the anchor's middle at
    x = 0 (so that a start and an end position resting on the same anchor line up)."""
    anchor, anchor_y = _lowest_landmark(body, rotation, anchors, supports, floor)
    balls = landmark_balls(body, anchor)
    middle = sum(apply(rotation, b.centre)[0] for b in balls) / len(balls)
    return (-middle, supports.get(anchor, floor) - anchor_y, 0.0)


def _lowest_landmark(
    body: PosedBody,
    rotation: Mat,
    names: Iterable[str],
    supports: Mapping[str, float],
    floor: float,
) -> tuple[str, float]:
    """The landmark that rests first (lowest above its support) once the body is turned by
    `rotation`, and its lowest point."""
    best: tuple[float, str, float] | None = None
    for name in names:
        y = _lowest_turned(body, rotation, name)
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
    rolls: bool = False,
) -> float | None:
    """Degrees to tip the body (about the world's z axis) so that a balance landmark rests as
    the anchor does; 0 when it already does, None when no tip within range brings it to rest.
    With `rolls` (lying with the chest still), a pelvis pressing into the floor does not tip
    the body: it is lifted onto its side afterwards (`_lift_rolled_pelvis`)."""
    anchors, balance = list(anchors), list(balance)
    names = anchors + balance
    balls = {
        name: [(apply(rotation, b.centre), b.radius) for b in landmark_balls(body, name)]
        for name in names
    }

    pelvic = {n for n in names if all(b.segment == "pelvis" for b in landmark_balls(body, n))}
    floor_of_pelvis = -give("pelvis") if rolls else -math.inf

    def clearance(step: float, group: list[str]) -> float:
        c, s = math.cos(math.radians(step)), math.sin(math.radians(step))
        values = []
        for name in group:
            value = min(s * centre[0] + c * centre[1] - r for centre, r in balls[name])
            value -= supports.get(name, floor)
            if name in pelvic:
                value = max(value, floor_of_pelvis)
            values.append(value)
        return min(values)

    def gap(step: float) -> float:
        return clearance(step, balance) - clearance(step, anchors)

    press = min(give(b.segment) for name in balance for b in landmark_balls(body, name))
    if -press <= gap(0.0) < 0.05:
        return 0.0  # resting already, or pressing in no more than its soft tissue gives
    return nearest_root(gap, _TIP_RANGE, 2.0)


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
            length = max(xs) - min(xs) + 16  # under the whole body, a little longer
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
        if request.position == "under" and spec["shape"] != "wall":
            yield _under(request, spec, balls, floor, forwards)
        else:
            direction = forwards if request.position != "behind" else _neg(forwards)
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
    solids = _standing(request.prop, spec, x, z, floor, height, request.at, forwards)
    return PlacedProp(request.prop, request.at, "under", solids, gap, height, fits)


def _standing(
    prop: str,
    spec: Mapping,
    x: float,
    z: float,
    floor: float,
    height: float,
    at: str | None,
    forwards: Vec,
) -> tuple[Solid, ...]:
    """A prop standing on the floor at (x, z), `height` tall where it carries the body."""
    shape = spec["shape"]
    if shape == "cylinder":
        r = spec["diameter"] / 2
        across = (-forwards[2], 0.0, forwards[0])  # level, square to where the body faces
        return (
            Solid(
                "cylinder",
                centre=(x, floor + r, z),
                radius=r,
                half_length=spec["length"] / 2,
                axis=across,
            ),
        )
    if shape == "sphere":
        r = spec["diameter"] / 2
        return (Solid("ball", centre=(x, floor + r, z), radius=r),)
    if shape == "chair":
        return _chair(spec, x, z, floor, height, at, forwards)
    half_l, half_w = spec["length"] / 2, spec["width"] / 2
    lo_x, hi_x = x - half_l, x + half_l
    if spec.get("edge"):  # the body is at the edge: the bed lies behind it
        lo_x, hi_x = (
            (x - 2 * half_l + 6, x + 6) if forwards[0] >= 0 else (x - 6, x + 2 * half_l - 6)
        )
    return (Solid("box", (lo_x, floor, z - half_w), (hi_x, floor + height, z + half_w)),)


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
    # Against the prop already there (a wall behind a ball), else against the landmark.
    start = reach.get(key, surface) + request.gap
    shape = spec["shape"]
    if shape == "sphere":
        r = spec["diameter"] / 2
        along = start + r
        centre = _along(extreme.centre, direction, along)
        reach[key] = along + r
        solids = (Solid("ball", centre=centre, radius=r),)
        height = centre[1]
    elif shape == "wall":
        thickness = spec["thickness"]
        near, far = start, start + thickness
        reach[key] = far
        half_w = spec["width"] / 2
        top = floor + spec["height"]
        a = _along((0.0, 0.0, extreme.centre[2]), direction, near)
        b = _along((0.0, 0.0, extreme.centre[2]), direction, far)
        lo_x, hi_x = min(a[0], b[0]), max(a[0], b[0])
        lo_z, hi_z = min(a[2], b[2]) - half_w, max(a[2], b[2]) + half_w
        if abs(direction[2]) < 0.5:
            lo_z, hi_z = extreme.centre[2] - half_w, extreme.centre[2] + half_w
        solids = (Solid("box", (lo_x, 0.0, lo_z), (hi_x, top, hi_z)),)
        height = top
    else:  # a roller, cushion, step, bed or chair standing on the floor beside the part
        x, z = extreme.centre[0], extreme.centre[2]
        height = _default_height(request.prop, request.at)
        solids = _standing(request.prop, spec, x, z, floor, height, request.at, direction)
        nearest = min(_extent(solid, direction)[0] for solid in solids)
        farthest = max(_extent(solid, direction)[1] for solid in solids)
        move = start - nearest
        solids = tuple(_shifted(solid, direction, move) for solid in solids)
        reach[key] = farthest + move
    # Placed where asked: its distance from what it touches is the one asked for.
    return PlacedProp(request.prop, request.at, request.position, solids, 0.0, height, True)


def _extent(solid: Solid, direction: Vec) -> tuple[float, float]:
    """How far a volume reaches along a level direction: its nearest and farthest."""
    if solid.kind == "box":
        values = [
            dot((x, 0.0, z), direction)
            for x in (solid.low[0], solid.high[0])
            for z in (solid.low[2], solid.high[2])
        ]
        return min(values), max(values)
    middle = dot(solid.centre, direction)
    if solid.kind == "cylinder":
        half = abs(dot(solid.axis, direction)) * solid.half_length + solid.radius
        return middle - half, middle + half
    return middle - solid.radius, middle + solid.radius


def _shifted(solid: Solid, direction: Vec, distance: float) -> Solid:
    d = (direction[0] * distance, 0.0, direction[2] * distance)
    if solid.kind == "box":
        low = (solid.low[0] + d[0], solid.low[1], solid.low[2] + d[2])
        high = (solid.high[0] + d[0], solid.high[1], solid.high[2] + d[2])
        return Solid("box", low, high)
    centre = (solid.centre[0] + d[0], solid.centre[1], solid.centre[2] + d[2])
    return Solid(
        solid.kind,
        centre=centre,
        radius=solid.radius,
        half_length=solid.half_length,
        axis=solid.axis,
    )


def _along(point: Vec, direction: Vec, distance: float) -> Vec:
    """`point` moved so that its position along `direction` is `distance`."""
    offset = distance - dot(point, direction)
    return (
        point[0] + direction[0] * offset,
        point[1] + direction[1] * offset,
        point[2] + direction[2] * offset,
    )


def kept_places(start: Placement) -> dict[str, tuple[float, float, float]]:
    """Where the start position's wrists and ankles are, for the end position to keep: those
    resting on the floor."""
    return {
        segment: start.body.segment(segment).origin for segment in LIMBS if touching(start, segment)
    }
