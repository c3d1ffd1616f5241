"""One picture of an exercise: the start and end positions, overlaid or side by side.

Overlaid (the default when both positions are seen from the same side), the start is drawn as
a pale dashed ghost under the solid end position, and an arrow follows the part that moves most.
Side by side, both are solid, start on the left, with an arrow between them. The working parts
are filled in the highlight colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.body import PosedBody
from protocol_kit.illustration.camera import Camera, view_camera
from protocol_kit.illustration.figure import figure_paths
from protocol_kit.illustration.placement import (
    Placement,
    PoseRequest,
    kept_places,
    landmark_balls,
    place,
)
from protocol_kit.illustration.scene import Circle, Path, Primitive, Scene, q
from protocol_kit.illustration.scenery import (
    arc_arrow,
    curved_arrow,
    floor_paths,
    floor_plane,
    prop_paths,
    solid_outline,
)

# The parts whose travel the arrow follows, with the segments that move them: the arrow
# follows a working part when one moves enough, else any part.
_MOVERS = (
    ("right-hand", ("right_upper_arm", "right_forearm", "right_hand")),
    ("left-hand", ("left_upper_arm", "left_forearm", "left_hand")),
    ("right-knee", ("right_thigh", "right_shank")),
    ("left-knee", ("left_thigh", "left_shank")),
    ("right-foot", ("right_shank", "right_foot")),
    ("left-foot", ("left_shank", "left_foot")),
    ("pelvis", ("pelvis", "abdomen")),
    ("chest", ("thorax",)),
    ("head", ("neck", "head")),
)
_SMALL_MOVE = 7.0  # cm: below this, the arrow turns around the part that rotates most instead
_ROTATING = ("pelvis", "thorax", "abdomen", "neck", "right_thigh", "left_thigh")


@dataclass(frozen=True, slots=True)
class Picture:
    """What to draw: one or two positions, how, and which segments work."""

    start: PoseRequest
    start_view: str
    end: PoseRequest | None = None
    end_view: str | None = None
    side: str = "both"
    layout: str = "overlay"
    working: tuple[str, ...] = ()


@dataclass
class _Panel:
    placement: Placement
    camera: Camera
    items: list[Primitive]
    also: tuple[Placement, ...] = ()  # other bodies drawn in the panel (the pale start)

    def bounds(self) -> tuple[float, float, float, float]:
        """The box around the panel's bodies and props, from their balls and volumes (much
        cheaper than walking every path)."""
        cam = self.camera
        xs: list[float] = []
        ys: list[float] = []
        for placement in (self.placement, *self.also):
            for ball in placement.body.balls():
                x, y = cam.project(ball.centre)
                xs += (x - ball.radius, x + ball.radius)
                ys += (y - ball.radius, y + ball.radius)
        for prop in self.placement.props:
            for x, y in solid_outline(prop, cam):
                xs.append(x)
                ys.append(y)
        return min(xs), min(ys), max(xs), max(ys)


def draw(picture: Picture) -> Scene:
    start = place(picture.start)
    start_cam = view_camera(picture.start_view, picture.side)
    if picture.end is None:
        panel = _Panel(start, start_cam, _solid(start, start_cam, picture.working))
        return _frame([(panel, 0.0)], [])
    same = picture.end.posture == picture.start.posture
    end = place(picture.end, keep=kept_places(start) if same else None, align=start.anchor)
    end_cam = view_camera(picture.end_view or picture.start_view, picture.side)
    overlay = picture.layout == "overlay" and (picture.end_view or picture.start_view) == (
        picture.start_view
    )
    if overlay:
        items = _props(end, end_cam)
        items += figure_paths(start.body, start_cam, ghost=True)
        items += figure_paths(end.body, end_cam, working=picture.working)
        items += _movement_arrow(start.body, end.body, end_cam, picture.working)
        return _frame([(_Panel(end, end_cam, items, (start,)), 0.0)], [])
    first = _Panel(start, start_cam, _solid(start, start_cam, picture.working))
    second = _Panel(end, end_cam, _solid(end, end_cam, picture.working))
    return _side_by_side(first, second)


def _solid(placement: Placement, cam: Camera, working: Iterable[str]) -> list[Primitive]:
    return _props(placement, cam) + figure_paths(placement.body, cam, working=working)


def _props(placement: Placement, cam: Camera) -> list[Primitive]:
    """Props behind the figure, far to near: the body rests on them and reads on top."""
    layers: list[tuple[float, int, list]] = []
    for order, prop in enumerate(placement.props):
        bias = -1000.0 if prop.prop == "mat" else 0.0
        for depth, shapes in prop_paths(prop, cam):
            layers.append((depth + bias, order, shapes))
    layers.sort(key=lambda layer: (layer[0], layer[1]))
    return [shape for _, _, shapes in layers for shape in shapes]


def _centre(body: PosedBody, landmark: str, cam: Camera) -> tuple[float, float]:
    points = [cam.project(b.centre) for b in landmark_balls(body, landmark)]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _body_centre(body: PosedBody, cam: Camera) -> tuple[float, float]:
    points = [cam.project(b.centre) for b in body.balls()]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _movement_arrow(
    start: PosedBody, end: PosedBody, cam: Camera, working: Iterable[str]
) -> list[Primitive]:
    """An arrow along the travel of the working part that moves most (or of any part, when no
    working part moves enough); for a movement too small to show that way (a pelvic tilt), a
    turning arrow around the part that rotates most."""
    working = set(working)
    travels = []
    for order, (landmark, segments) in enumerate(_MOVERS):
        a, b = _centre(start, landmark, cam), _centre(end, landmark, cam)
        travels.append((math.dist(a, b), -order, landmark, bool(working & set(segments))))
    own = [t for t in travels if t[3] and t[0] >= _SMALL_MOVE]
    travel, _, landmark, _ = max(own or travels)
    if travel < _SMALL_MOVE:
        return _turning_arrow(start, end, cam)
    a, b = _centre(start, landmark, cam), _centre(end, landmark, cam)
    centre = _body_centre(end, cam)
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    normal = (-(b[1] - a[1]) / travel, (b[0] - a[0]) / travel)
    away = (mid[0] - centre[0]) * normal[0] + (mid[1] - centre[1]) * normal[1]
    if away < 0:
        normal = (-normal[0], -normal[1])
    # From the pale start to the edge of the solid end, so the arrow lies in the gap between.
    stop = max(ball.radius for ball in landmark_balls(end, landmark)) + 3.0
    if travel - stop < _SMALL_MOVE * 0.6:
        stop = max(0.0, travel - _SMALL_MOVE * 0.6)
    ux, uy = (b[0] - a[0]) / travel, (b[1] - a[1]) / travel
    tip = (b[0] - ux * stop, b[1] - uy * stop)
    return curved_arrow(a, tip, normal)


def _turning_arrow(start: PosedBody, end: PosedBody, cam: Camera) -> list[Primitive]:
    best: tuple[float, str, float] | None = None
    for name in _ROTATING:
        turn = _picture_angle(end, name, cam) - _picture_angle(start, name, cam)
        turn = (turn + 180.0) % 360.0 - 180.0
        if best is None or abs(turn) > abs(best[2]) + 0.5:
            best = (abs(turn), name, turn)
    if best is None or best[0] < 2.0:
        return []
    _, name, turn = best
    segment = end.segment(name)
    points = [cam.project(b.centre) for b in segment.balls]
    centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    radius = max(b.radius for b in segment.balls) + 7.0
    sweep = 70.0 if turn > 0 else -70.0
    return arc_arrow(centre, radius, 90.0 - sweep / 2, sweep)


def _picture_angle(body: PosedBody, segment: str, cam: Camera) -> float:
    """The direction, on the picture, of a segment's long axis (degrees)."""
    rotation = body.segment(segment).rotation
    up = (rotation[1], rotation[4], rotation[7])  # the segment's y axis in the world
    x, y = cam.project(up)
    return math.degrees(math.atan2(y, x))


def _side_by_side(first: _Panel, second: _Panel) -> Scene:
    gap = vocabulary.style()["gap"]
    left_box = first.bounds()
    right_box = second.bounds()
    shift = left_box[2] - right_box[0] + gap * 2
    y_mid = max(left_box[3], right_box[3]) * 0.5
    arrow = curved_arrow(
        (left_box[2] + gap * 0.35, y_mid), (left_box[2] + gap * 1.65, y_mid), (0.0, 1.0)
    )
    return _frame([(first, 0.0), (second, shift)], arrow)


def _frame(panels: Sequence[tuple[_Panel, float]], extra: list[Primitive]) -> Scene:
    """Panels moved side by side onto one floor, framed with a margin."""
    items: list[Primitive] = []
    boxes = []
    for panel, shift in panels:
        items += [_moved(p, shift, 0.0) for p in panel.items] if shift else panel.items
        x0, y0, x1, y1 = panel.bounds()
        boxes.append((x0 + shift, y0, x1 + shift, y1))
    items += extra
    if extra:
        boxes.append(_bounds(extra))
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    margin = vocabulary.style()["margin"]
    ground: list[Primitive] = []
    if all(panel.camera.up[1] > 0.999 for panel, _ in panels):  # the floor is seen edge on
        ground = floor_paths(x0 - margin * 0.6, x1 + margin * 0.6, 0.0)
        y0 = min(y0, -vocabulary.style()["floor"]["band_depth"])
    else:  # seen from above: the floor is a plane under everything
        for panel, shift in panels:
            ground += [_moved(p, shift, 0.0) for p in floor_plane(panel.placement, panel.camera)]
        if ground:
            gx0, gy0, gx1, gy1 = _bounds(ground)
            x0, y0, x1, y1 = min(x0, gx0), min(y0, gy0), max(x1, gx1), max(y1, gy1)
    return Scene(
        q(x1 - x0 + 2 * margin),
        q(y1 - y0 + 2 * margin),
        tuple(ground + items),
        x0=q(x0 - margin),
        y0=q(y0 - margin),
    )


def _points(primitive: Primitive) -> list[tuple[float, float]]:
    if isinstance(primitive, Path):
        return [(c[i], c[i + 1]) for c in primitive.commands for i in range(1, len(c) - 1, 2)]
    if isinstance(primitive, Circle):
        return [
            (primitive.cx - primitive.r, primitive.cy - primitive.r),
            (primitive.cx + primitive.r, primitive.cy + primitive.r),
        ]
    return list(primitive.points)


def _bounds(items: Iterable[Primitive]) -> tuple[float, float, float, float]:
    """The box around the primitives (a Bézier curve's end points: its bulge past them is
    within the margin)."""
    points = [p for item in items for p in _points(item)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _moved(primitive: Primitive, dx: float, dy: float) -> Primitive:
    if isinstance(primitive, Path):
        commands = tuple(
            (c[0], *[v + (dx if i % 2 == 0 else dy) for i, v in enumerate(c[1:])])
            for c in primitive.commands
        )
        return Path(commands, primitive.paint)
    if isinstance(primitive, Circle):
        return Circle(primitive.cx + dx, primitive.cy + dy, primitive.r, primitive.paint)
    points = tuple((x + dx, y + dy) for x, y in primitive.points)
    return type(primitive)(points, primitive.paint)
