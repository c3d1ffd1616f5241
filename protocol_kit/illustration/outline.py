"""Outlines in 2D: circles and the hull of two circles as closed paths of cubic Béziers.

A limb drawn as the hull of two balls is the orthographic picture of a tapered capsule from any
side, which is why the figure is built from balls: one set of shapes serves every view. All
subpaths turn the same way round, so overlapping ones fill as one shape (non-zero rule).
"""

from __future__ import annotations

import math

from protocol_kit.illustration.scene import Command

Point = tuple[float, float]


def _arc(cx: float, cy: float, r: float, start: float, sweep: float) -> list[Command]:
    """Cubic Bézier pieces of a circular arc (radians, anticlockwise for a positive sweep),
    without the initial move."""
    # Pieces of at most 120°: a cubic strays from such an arc by 0.15 % of its radius.
    pieces = max(1, math.ceil(abs(sweep) / (math.pi * 2 / 3) - 1e-9))
    step = sweep / pieces
    k = 4.0 / 3.0 * math.tan(step / 4.0)
    commands: list[Command] = []
    angle = start
    for _ in range(pieces):
        a0, a1 = angle, angle + step
        c0, s0, c1, s1 = math.cos(a0), math.sin(a0), math.cos(a1), math.sin(a1)
        commands.append(
            (
                "C",
                cx + r * (c0 - k * s0),
                cy + r * (s0 + k * c0),
                cx + r * (c1 + k * s1),
                cy + r * (s1 - k * c1),
                cx + r * c1,
                cy + r * s1,
            )
        )
        angle = a1
    return commands


def circle(c: Point, r: float) -> list[Command]:
    return [("M", c[0] + r, c[1]), *_arc(c[0], c[1], r, 0.0, 2 * math.pi), ("Z",)]


def hull(c1: Point, r1: float, c2: Point, r2: float) -> list[Command]:
    """The convex hull of two circles as one closed subpath (anticlockwise in y-up terms)."""
    dx, dy = c2[0] - c1[0], c2[1] - c1[1]
    d = math.hypot(dx, dy)
    if d + min(r1, r2) <= max(r1, r2) + 1e-9:
        return circle(c1, r1) if r1 >= r2 else circle(c2, r2)
    theta = math.atan2(dy, dx)
    alpha = math.acos(max(-1.0, min(1.0, (r1 - r2) / d)))
    start1 = theta + alpha
    commands: list[Command] = [("M", c1[0] + r1 * math.cos(start1), c1[1] + r1 * math.sin(start1))]
    commands += _arc(c1[0], c1[1], r1, start1, 2 * math.pi - 2 * alpha)
    start2 = theta - alpha
    commands.append(("L", c2[0] + r2 * math.cos(start2), c2[1] + r2 * math.sin(start2)))
    commands += _arc(c2[0], c2[1], r2, start2, 2 * alpha)
    commands.append(("Z",))
    return commands


def rounded_rect(x: float, y: float, w: float, h: float, r: float) -> list[Command]:
    """A rectangle with corners rounded by `r` (y up: (x, y) is the lower left corner)."""
    r = max(0.0, min(r, w / 2, h / 2))
    if r == 0:
        return [("M", x, y), ("L", x + w, y), ("L", x + w, y + h), ("L", x, y + h), ("Z",)]
    half = math.pi / 2
    return [
        ("M", x + r, y),
        ("L", x + w - r, y),
        *_arc(x + w - r, y + r, r, -half, half),
        ("L", x + w, y + h - r),
        *_arc(x + w - r, y + h - r, r, 0.0, half),
        ("L", x + r, y + h),
        *_arc(x + r, y + h - r, r, half, half),
        ("L", x, y + r),
        *_arc(x + r, y + r, r, math.pi, half),
        ("Z",),
    ]
