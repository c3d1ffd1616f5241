"""Everything drawn that is not the body: props, the floor, the movement arrow.

Props are drawn from the same volumes the checks use (`placement.Solid`), so a prop is where the
checks think it is. Everything here works in picture coordinates with y up, like `figure.py`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from protocol_kit.illustration import outline, vocabulary
from protocol_kit.illustration.camera import Camera
from protocol_kit.illustration.placement import PlacedProp, Solid
from protocol_kit.illustration.scene import Command, Paint, Path, Polygon

Point = tuple[float, float]


def _hull(points: Sequence[Point]) -> list[Point]:
    """Convex hull, anticlockwise (Andrew's monotone chain); deterministic for equal input."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def turn(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 1e-9:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 1e-9:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _box_outline(solid: Solid, cam: Camera) -> list[Point]:
    corners = [
        (x, y, z)
        for x in (solid.low[0], solid.high[0])
        for y in (solid.low[1], solid.high[1])
        for z in (solid.low[2], solid.high[2])
    ]
    return _hull([cam.project(c) for c in corners])


def cylinder_ends(solid: Solid) -> tuple[tuple[float, float, float], ...]:
    c, a, h = solid.centre, solid.axis, solid.half_length
    return (
        (c[0] - a[0] * h, c[1] - a[1] * h, c[2] - a[2] * h),
        (c[0] + a[0] * h, c[1] + a[1] * h, c[2] + a[2] * h),
    )


def solid_outline(prop: PlacedProp, cam: Camera) -> list[Point]:
    """Points around the prop's picture, for the picture's frame."""
    points: list[Point] = []
    for solid in prop.solids:
        if solid.kind == "box":
            points += _box_outline(solid, cam)
            continue
        ends = list(cylinder_ends(solid)) if solid.kind == "cylinder" else [solid.centre]
        for end in ends:
            x, y = cam.project(end)
            points += [(x - solid.radius, y - solid.radius), (x + solid.radius, y + solid.radius)]
    return points


def solid_depth(solid: Solid, cam: Camera) -> float:
    if solid.kind == "box":
        centre = tuple((solid.low[i] + solid.high[i]) / 2 for i in range(3))
        return cam.depth(centre)  # type: ignore[arg-type]
    return cam.depth(solid.centre)


def prop_paths(prop: PlacedProp, cam: Camera, ghost: bool = False) -> list[tuple[float, list]]:
    """The prop's shapes as (depth, primitives), one entry per volume."""
    style = vocabulary.style()
    colours = style["prop"]
    ghost_style = style["body"]["ghost"]
    fill = ghost_style["fill"] if ghost else colours["fill"]
    stroke = ghost_style["stroke"] if ghost else colours["stroke"]
    paint = Paint(fill, stroke, colours["width"])
    detail = Paint(None, ghost_style["stroke"] if ghost else colours["detail"], colours["width"])
    if prop.prop == "mat":
        paint = Paint(style["mat"]["fill"], stroke, colours["width"])
    elif prop.prop == "wall":
        paint = Paint(style["wall"]["fill"], stroke, colours["width"])
    out: list[tuple[float, list]] = []
    for solid in prop.solids:
        shapes: list = []
        if solid.kind == "box":
            shapes.append(Polygon(tuple(_box_outline(solid, cam)), paint))
        elif solid.kind == "ball":
            c = cam.project(solid.centre)
            shapes.append(Path(tuple(outline.circle(c, solid.radius)), paint))
            shapes.append(_seam(c, solid.radius, detail))
        else:
            a, b = cylinder_ends(solid)
            pa, pb = cam.project(a), cam.project(b)
            if math.dist(pa, pb) < 1.0:  # seen end on: a disc with its core
                shapes.append(Path(tuple(outline.circle(pa, solid.radius)), paint))
                shapes.append(Path(tuple(outline.circle(pa, solid.radius * 0.3)), detail))
            else:
                shapes.append(Path(tuple(_roller_side(pa, pb, solid.radius)), paint))
        out.append((solid_depth(solid, cam), shapes))
    return out


def _seam(c: Point, r: float, paint: Paint) -> Path:
    """The curved seam that makes a circle read as a ball."""
    k = r * 0.55
    commands: tuple[Command, ...] = (
        ("M", c[0] - r * 0.7, c[1] + r * 0.7),
        (
            "C",
            c[0] - k * 0.2,
            c[1] + k * 0.2,
            c[0] + k * 0.2,
            c[1] - k * 0.2,
            c[0] + r * 0.7,
            c[1] - r * 0.7,
        ),
    )
    return Path(commands, paint)


def _roller_side(a: Point, b: Point, r: float) -> list[Command]:
    """A roller seen from the side: a band with rounded ends."""
    return outline.hull(a, r, b, r)


def floor_paths(left: float, right: float, y: float) -> list:
    style = vocabulary.style()["floor"]
    band = Polygon(
        ((left, y), (right, y), (right, y - style["band_depth"]), (left, y - style["band_depth"])),
        Paint(style["band"], None, 0.0),
    )
    line = Path((("M", left, y), ("L", right, y)), Paint(None, style["stroke"], style["width"]))
    return [band, line]


def floor_plane(placement: PlacedProp | object, cam: Camera) -> list:
    """The floor under a body seen from above: a pale patch a little larger than the body and
    its props, so the body reads as lying or standing on something."""
    style = vocabulary.style()["floor"]
    body = placement.body  # type: ignore[attr-defined]
    xs = [b.centre[0] for b in body.balls()]
    zs = [b.centre[2] for b in body.balls()]
    for prop in placement.props:  # type: ignore[attr-defined]
        for solid in prop.solids:
            if solid.kind == "box":
                xs += [solid.low[0], solid.high[0]]
                zs += [solid.low[2], solid.high[2]]
            else:
                xs.append(solid.centre[0])
                zs.append(solid.centre[2])
    pad = 12.0
    corners = [
        (x, 0.0, z) for x in (min(xs) - pad, max(xs) + pad) for z in (min(zs) - pad, max(zs) + pad)
    ]
    outline = _hull([cam.project(c) for c in corners])
    return [Polygon(tuple(outline), Paint(style["band"], None, 0.0))]


def curved_arrow(start: Point, end: Point, bulge: Point) -> list:
    """An arrow from `start` to `end` along a curve bowed towards `bulge` (a direction)."""
    style = vocabulary.style()["arrow"]
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    chord = math.dist(start, end)
    control = (mid[0] + bulge[0] * chord * 0.3, mid[1] + bulge[1] * chord * 0.3)
    return _arrow_along(start, control, end, style)


def arc_arrow(centre: Point, radius: float, start_deg: float, sweep_deg: float) -> list:
    """An arrow along a circular arc (anticlockwise for a positive sweep, y up)."""
    style = vocabulary.style()["arrow"]
    a0, a1 = math.radians(start_deg), math.radians(start_deg + sweep_deg)
    start = (centre[0] + radius * math.cos(a0), centre[1] + radius * math.sin(a0))
    end = (centre[0] + radius * math.cos(a1), centre[1] + radius * math.sin(a1))
    mid_angle = (a0 + a1) / 2
    # A quadratic through the arc's middle: control twice as far out as the chord's middle.
    far = radius / math.cos((a1 - a0) / 2) if abs(a1 - a0) < math.pi * 0.9 else radius * 2
    control = (centre[0] + far * math.cos(mid_angle), centre[1] + far * math.sin(mid_angle))
    return _arrow_along(start, control, end, style)


def _arrow_along(start: Point, control: Point, end: Point, style: dict) -> list:
    head = style["head"]
    tangent = (end[0] - control[0], end[1] - control[1])
    n = math.hypot(*tangent) or 1.0
    ux, uy = tangent[0] / n, tangent[1] / n
    # The line stops inside the head, so its round cap does not show past the tip.
    base = (end[0] - ux * head, end[1] - uy * head)
    c1 = (start[0] + (control[0] - start[0]) * 2 / 3, start[1] + (control[1] - start[1]) * 2 / 3)
    c2 = (base[0] + (control[0] - base[0]) * 2 / 3, base[1] + (control[1] - base[1]) * 2 / 3)
    curve = (("M", *start), ("C", *c1, *c2, *base))
    # A white halo under the arrow keeps it readable where it crosses the figure.
    halo = Path(curve, Paint(None, style["halo"], style["width"] + 2 * style["halo_width"]))
    line = Path(curve, Paint(None, style["stroke"], style["width"]))
    tip = (end[0] + ux * head * 0.35, end[1] + uy * head * 0.35)
    left = (base[0] - uy * head * 0.6, base[1] + ux * head * 0.6)
    right = (base[0] + uy * head * 0.6, base[1] - ux * head * 0.6)
    halo_head = Polygon(
        (tip, left, right), Paint(style["halo"], style["halo"], 2 * style["halo_width"])
    )
    arrowhead = Polygon((tip, left, right), Paint(style["stroke"], style["stroke"], 0.6))
    return [halo, halo_head, line, arrowhead]
