"""Is a pose one a person can take, resting where it says? The checks behind POSE001/POSE002.

Two kinds of problem, each located by a JSON pointer relative to the exercise's `poses`:

- `range`: joint angles the schema's per-movement limits let through but a body does not allow
  together (`limits` in `joints.json`: a straight-leg raise past 90°, the back bending more in
  total than it can), and body parts that pass through each other;
- `support`: the body not resting as its posture says (a bridge whose feet cannot reach the
  floor), a part through the floor or through a prop, a prop not touching the part it should
  carry, a standing body whose centre of mass is not over its feet.

Everything is worked out from the same placement the picture is drawn from.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.body import Ball, PosedBody, give
from protocol_kit.illustration.placement import (
    Placement,
    PoseRequest,
    kept_places,
    landmark_balls,
    place,
)
from protocol_kit.record import Record, init

THROUGH = 2.0  # cm a part may press into a prop beyond its soft tissue (body.json `give`)
GAP = 2.0  # cm a part may float above what should carry it
TIP = 3.0  # cm the centre of mass may lie beyond the feet before the body would tip
# Two parts of different limbs overlapping this much pass through each other (a capsule's
# radius is the limb's half thickness, so flesh pressed together overlaps less).
OVERLAP_SHARE = 0.6
OVERLAP_MIN = 3.0


class PoseIssue(Record):
    __slots__ = ("kind", "pointer", "message")
    kind: str  # "range" or "support"
    pointer: str  # relative to the exercise's `poses`, for example "/end/joints/right_hip"
    message: str

    def __init__(self, kind: str, pointer: str, message: str) -> None:
        init(self, "kind", kind)
        init(self, "pointer", pointer)
        init(self, "message", message)


def check(requests: Mapping[str, PoseRequest], keep_end: bool = True) -> list[PoseIssue]:
    """Problems of the named poses ("start", "end"), in that order. The end position keeps
    the start's planted hands and feet, as in the picture."""
    issues: list[PoseIssue] = []
    placed: dict[str, Placement] = {}
    for name, request in requests.items():
        issues += _range(name, request)
        keep, align = None, None
        start = placed.get("start")
        if name == "end" and start is not None:
            align = start.anchor
            if keep_end and request.posture == requests["start"].posture:
                keep = kept_places(start)
        placement = place(request, keep, align)
        placed[name] = placement
        issues += _support(name, request, placement)
    if (
        "start" in placed
        and "end" in placed
        and requests["start"].posture == requests["end"].posture
    ):
        issues += _props_stay(placed["start"], placed["end"], requests["end"])
    return issues


MOVED = 3.0  # cm a prop may seem to move between the start and the end


def _props_stay(start: Placement, end: Placement, request: PoseRequest) -> list[PoseIssue]:
    """A prop does not move during the exercise: a wall, a roller or a chair is where it was
    at the start (both positions resting on the same anchor, as the picture draws them)."""
    issues: list[PoseIssue] = []
    own = {(p.prop, p.at, p.position): i for i, p in enumerate(request.props)}
    before = {p.prop: p for p in start.props}
    for prop in end.props:
        first = before.get(prop.prop)
        if first is None or vocabulary.props()[prop.prop].get("moves"):
            continue
        shift = max(
            math.dist(_solid_point(a), _solid_point(b))
            for a, b in zip(first.solids, prop.solids, strict=True)
        )
        if shift > MOVED:
            index = own.get((prop.prop, prop.at, prop.position))
            where = f"/end/props/{index}" if index is not None else "/end"
            name = vocabulary.props()[prop.prop]["names"]["en"]
            issues.append(
                PoseIssue(
                    "support",
                    where,
                    f"the {name} is {_deg(shift)} cm from where it is at the start: a prop "
                    "stays put during an exercise; change the angles so that both positions "
                    "reach it there",
                )
            )
    return issues


def _solid_point(solid) -> tuple[float, float, float]:
    if solid.kind == "box":
        return tuple((solid.low[i] + solid.high[i]) / 2 for i in range(3))  # type: ignore
    return solid.centre


# ---------------------------------------------------------------------------------------------
# Range


def _range(pose: str, request: PoseRequest) -> list[PoseIssue]:
    from protocol_kit.illustration.placement import merged_angles

    angles = merged_angles(request.posture, request.joints)
    issues: list[PoseIssue] = []
    for limit in vocabulary.load("joints")["limits"]:
        if "sum" in limit:
            total = sum(angles.get(j, {}).get(m, 0.0) for j, m in limit["sum"])
            if total > limit["above"]:
                joint = _given_of(request, [j for j, _ in limit["sum"]])
                issues.append(
                    PoseIssue(
                        "range", _joint_pointer(pose, joint), limit["message"].format(_deg(total))
                    )
                )
            continue
        for side in ("left", "right"):
            values = []
            for joint, movement, relation, bound in limit["when"]:
                value = angles.get(joint.replace("{side}", side), {}).get(movement, 0.0)
                if (value > bound) if relation == "above" else (value < bound):
                    values.append(value)
                else:
                    break
            else:
                joints = [j.replace("{side}", side) for j, *_ in limit["when"]]
                message = limit["message"].replace("{side}", side)
                issues.append(
                    PoseIssue(
                        "range",
                        _joint_pointer(pose, _given_of(request, joints)),
                        message.format(*(_deg(v) for v in values)),
                    )
                )
    return issues


def _given_of(request: PoseRequest, joints: list[str]) -> str | None:
    """The first of `joints` the pose itself gives (where the author can change it)."""
    return next((j for j in joints if request.gives(j)), None)


def _joint_pointer(pose: str, joint: str | None) -> str:
    return f"/{pose}/joints/{joint}" if joint else f"/{pose}"


def _deg(value: float) -> str:
    return str(int(round(value)))


# ---------------------------------------------------------------------------------------------
# Parts through each other


_PARENT = {s["name"]: s["parent"] for s in vocabulary.body()["segments"]}
_GROUP = {s["name"]: s["group"] for s in vocabulary.body()["segments"]}


def _may_touch(a: str, b: str) -> bool:
    """Segments that overlap by construction: one body part, or joined at a joint, or two
    parts of the trunk, or two limbs hanging from the same trunk segment at its top."""
    if _GROUP[a] == _GROUP[b]:
        return True
    if _PARENT.get(a) == b or _PARENT.get(b) == a:
        return True
    return _PARENT.get(a) == _PARENT.get(b) and _PARENT.get(a) in ("pelvis", "thorax")


def _crossings(body: PosedBody) -> list[tuple[str, str, float]]:
    """Pairs of segments that pass through each other, with how deep (cm)."""
    segments = body.segments
    bounds = [_bounding_ball(segment.balls) for segment in segments]
    found: list[tuple[str, str, float]] = []
    for i, first in enumerate(segments):
        for j in range(i + 1, len(segments)):
            second = segments[j]
            if _may_touch(first.name, second.name) or _apart(bounds[i], bounds[j]):
                continue
            worst = 0.0
            for a in first.balls:
                for b in second.balls:
                    depth = a.radius + b.radius - math.dist(a.centre, b.centre)
                    share = depth / min(a.radius, b.radius)
                    if depth > OVERLAP_MIN and share > OVERLAP_SHARE:
                        worst = max(worst, depth)
            if worst:
                found.append((first.name, second.name, worst))
    return found


def _bounding_ball(balls: tuple[Ball, ...]) -> tuple[tuple[float, ...], float]:
    """A ball holding all of `balls` (centre, radius): around their centres' mean."""
    count = len(balls)
    centre = tuple(sum(b.centre[k] for b in balls) / count for k in range(3))
    return centre, max(math.dist(centre, b.centre) + b.radius for b in balls)


def _apart(first: tuple[tuple[float, ...], float], second: tuple[tuple[float, ...], float]) -> bool:
    """Whether no ball inside `first` can overlap a ball inside `second` by more than
    OVERLAP_MIN: two balls inside them overlap by at most as much as they do (the triangle
    inequality), so the pair's balls need not be compared (the same answer, found sooner:
    most pairs of a body's parts are far apart). The margin is far above rounding errors."""
    (centre_a, radius_a), (centre_b, radius_b) = first, second
    return radius_a + radius_b - math.dist(centre_a, centre_b) < OVERLAP_MIN - 1e-6


def part_name(segment: str) -> str:
    """A segment as a reader names it: `right_shank` -> `right lower leg`."""
    names = {"abdomen": "belly", "thorax": "chest", "shank": "lower leg", "upper_arm": "upper arm"}
    side, _, part = segment.partition("_")
    if not part:
        return names.get(side, side)
    return f"{side} {names.get(part, part)}"


# ---------------------------------------------------------------------------------------------
# Support


def _support(pose: str, request: PoseRequest, placement: Placement) -> list[PoseIssue]:
    here = f"/{pose}"
    issues: list[PoseIssue] = []
    for a, b, depth in _crossings(placement.body):
        issues.append(
            PoseIssue(
                "range",
                here,
                f"the {part_name(a)} passes {_deg(depth)} cm into the {part_name(b)}: "
                "no body bends that way; change the joint angles",
            )
        )
    posture = vocabulary.postures()[request.posture]
    balance = posture.get("balance", [])
    if balance and not placement.balanced:
        names = ", ".join(_landmark(n) for n in balance)
        issues.append(
            PoseIssue(
                "support",
                here,
                f"'{request.posture}' rests on the {_landmark(placement.anchor)} and on one of: "
                f"{names}; no way of tipping the body brings one of those to rest with these "
                "angles (check the hip and knee angles)",
            )
        )
    below = _through_floor(placement)
    if below is not None:
        segment, depth = below
        issues.append(
            PoseIssue(
                "support",
                here,
                f"the {part_name(segment)} goes {_deg(depth)} cm through the floor: "
                "change the joint angles so that it rests on the floor or stays above it",
            )
        )
    issues += _props(pose, request, placement)
    tipping = _tips_over(placement, posture)
    if tipping:
        issues.append(PoseIssue("support", here, tipping))
    return issues


def _landmark(name: str) -> str:
    return vocabulary.landmarks()[name]["names"]["en"]


def _through_floor(placement: Placement) -> tuple[str, float] | None:
    """The part deepest through the floor, if any goes deeper than THROUGH."""
    floor = placement.floor
    worst: tuple[float, str] | None = None
    for ball in placement.body.balls():
        depth = floor - (ball.centre[1] - ball.radius)
        if depth > give(ball.segment) and (worst is None or depth > worst[0]):
            worst = (depth, ball.segment)
    return (worst[1], worst[0]) if worst else None


def _props(pose: str, request: PoseRequest, placement: Placement) -> list[PoseIssue]:
    issues: list[PoseIssue] = []
    own = {(p.prop, p.at, p.position): i for i, p in enumerate(request.props)}
    for prop in placement.props:
        if prop.prop == "mat":
            continue
        index = own.get((prop.prop, prop.at, prop.position))
        where = f"/{pose}/props/{index}" if index is not None else f"/{pose}/posture"
        name = vocabulary.props()[prop.prop]["names"]["en"]
        if not prop.fits:
            spec = vocabulary.props()[prop.prop]
            low, high = _range_of(spec, prop.at)
            issues.append(
                PoseIssue(
                    "support",
                    where,
                    f"the {name} would have to be {_deg(prop.height + prop.gap)} cm high to "
                    f"reach the {_landmark(prop.at)} ({name}s here are {_deg(low)} to "
                    f"{_deg(high)} cm): change the pose or the prop",
                )
            )
        elif prop.gap > GAP and prop.at is not None:
            relation = {"under": "above", "behind": "in front of", "in-front": "behind"}
            issues.append(
                PoseIssue(
                    "support",
                    where,
                    f"the {_landmark(prop.at)} is {_deg(prop.gap)} cm "
                    f"{relation[prop.position]} the {name} that should carry it: change the "
                    "joint angles so that it rests on the prop",
                )
            )
        touching_parts = (
            {b.segment for b in landmark_balls(placement.body, prop.at)} if (prop.at) else set()
        )
        deepest = _into(placement.body.balls(), prop, touching_parts)
        if deepest is not None:
            segment, depth = deepest
            issues.append(
                PoseIssue(
                    "support",
                    where,
                    f"the {part_name(segment)} goes {_deg(depth)} cm into the {name}: "
                    "change the joint angles or where the prop is",
                )
            )
    return issues


def _range_of(spec: Mapping, landmark: str | None) -> tuple[float, float]:
    if spec["shape"] == "chair":
        hand = landmark is not None and landmark.endswith("-hand")
        return tuple(spec["back_height" if hand else "seat_height"])
    return tuple(spec["height"])


def _into(balls: Iterable[Ball], prop, carried: set[str]) -> tuple[str, float] | None:
    """The part deepest inside the prop (the part it carries may press in a little more)."""
    worst: tuple[float, str] | None = None
    for ball in balls:
        for solid in prop.solids:
            depth = ball.radius - solid.distance(ball.centre)
            allowed = give(ball.segment) + (THROUGH if ball.segment in carried else 0.0)
            if depth > allowed and (worst is None or depth > worst[0]):
                worst = (depth, ball.segment)
    return (worst[1], worst[0]) if worst else None


def _tips_over(placement: Placement, posture: Mapping) -> str | None:
    """For an upright posture: whether the centre of mass is over the parts resting on the
    floor. A hand on a chair or a back against a wall steadies the body."""
    if posture["reference"]["superior"] != "up":
        return None
    body = placement.body
    for prop in placement.props:
        if prop.prop != "mat" and any(
            solid.distance(b.centre) - b.radius < GAP for solid in prop.solids for b in body.balls()
        ):
            return None  # leaning on or holding something
    weights = [(b.radius**3, b.centre) for b in body.balls()]
    total = sum(w for w, _ in weights)
    mass = [sum(w * c[i] for w, c in weights) / total for i in range(3)]
    resting = [b.centre for b in body.balls() if b.centre[1] - b.radius - placement.floor < GAP]
    if not resting:
        return None  # nothing rests on the floor: the support check says so already
    for axis, (ahead, behind) in (
        (0, ("forwards", "backwards")),
        (2, ("to the right", "to the left")),
    ):
        low = min(c[axis] for c in resting) - TIP
        high = max(c[axis] for c in resting) + TIP
        if mass[axis] > high or mass[axis] < low:
            side = ahead if mass[axis] > high else behind
            beyond = mass[axis] - high if mass[axis] > high else low - mass[axis]
            if axis == 0 and placement.forwards[0] < 0:
                side = behind if side == ahead else ahead
            return (
                f"the body would tip over {side}: its centre of mass is {_deg(beyond + TIP)} cm "
                "beyond the parts resting on the floor; change the angles, or add a chair or a "
                "wall to hold"
            )
    return None
