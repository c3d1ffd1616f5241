"""Small 3D vector and rotation arithmetic on tuples: all the figure needs, in plain Python.

Rotations are 3x3 matrices stored row by row in a 9-tuple. Angles are in degrees at the edges
(the pose data) and in radians inside.
"""

from __future__ import annotations

import math

Vec = tuple[float, float, float]
Mat = tuple[float, float, float, float, float, float, float, float, float]

IDENTITY: Mat = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def length(a: Vec) -> float:
    return math.sqrt(dot(a, a))


def unit(a: Vec) -> Vec:
    n = length(a)
    return scale(a, 1.0 / n) if n > 1e-12 else (0.0, 0.0, 0.0)


def apply(m: Mat, v: Vec) -> Vec:
    return (
        m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
        m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
        m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
    )


def compose(a: Mat, b: Mat) -> Mat:
    """The rotation `a` after `b` (the matrix product a.b)."""
    return (
        a[0] * b[0] + a[1] * b[3] + a[2] * b[6],
        a[0] * b[1] + a[1] * b[4] + a[2] * b[7],
        a[0] * b[2] + a[1] * b[5] + a[2] * b[8],
        a[3] * b[0] + a[4] * b[3] + a[5] * b[6],
        a[3] * b[1] + a[4] * b[4] + a[5] * b[7],
        a[3] * b[2] + a[4] * b[5] + a[5] * b[8],
        a[6] * b[0] + a[7] * b[3] + a[8] * b[6],
        a[6] * b[1] + a[7] * b[4] + a[8] * b[7],
        a[6] * b[2] + a[7] * b[5] + a[8] * b[8],
    )


def transpose(m: Mat) -> Mat:
    return (m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8])


def axis_angle(axis: Vec, degrees: float) -> Mat:
    """The rotation by `degrees` about `axis` (right-hand rule), by Rodrigues' formula."""
    if degrees == 0:
        return IDENTITY
    x, y, z = unit(axis)
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    k = 1.0 - c
    return (
        c + x * x * k,
        x * y * k - z * s,
        x * z * k + y * s,
        y * x * k + z * s,
        c + y * y * k,
        y * z * k - x * s,
        z * x * k - y * s,
        z * y * k + x * s,
        c + z * z * k,
    )


X_AXIS: Vec = (1.0, 0.0, 0.0)
Y_AXIS: Vec = (0.0, 1.0, 0.0)
Z_AXIS: Vec = (0.0, 0.0, 1.0)


def rot_x(degrees: float) -> Mat:
    return axis_angle(X_AXIS, degrees)


def rot_y(degrees: float) -> Mat:
    return axis_angle(Y_AXIS, degrees)


def rot_z(degrees: float) -> Mat:
    return axis_angle(Z_AXIS, degrees)


def frame(x_axis: Vec, y_axis: Vec) -> Mat:
    """The rotation taking the body's x and y axes to the given (orthogonal) directions."""
    x, y = unit(x_axis), unit(y_axis)
    z = cross(x, y)
    return (x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2])
