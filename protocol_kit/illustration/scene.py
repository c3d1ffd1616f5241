"""The neutral scene: what a picture is made of, independent of any output format.

A scene is a width, a height and a list of primitives in one coordinate system (origin at the
top left, y downwards, as in SVG), drawn in order. Writers (`svg.py`, and
`protocol_kit/render/illustration.py` for the PDF) only translate primitives; they make no
drawing decisions of their own.

Numbers are rounded when a primitive is made (`_q`), so that every writer prints the same
values and identical input gives identical bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

# Path commands: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y), ("Z",).
Command = tuple


def q(value: float) -> float:
    """A coordinate rounded to the scene's precision (1/100 of a unit), never `-0.0`."""
    rounded = round(value, 2)
    return 0.0 if rounded == 0 else rounded


@dataclass(frozen=True, slots=True)
class Paint:
    """How a primitive is filled and outlined. Colours are `#rrggbb`; None draws nothing."""

    fill: str | None = None
    stroke: str | None = None
    width: float = 0.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Path:
    commands: tuple[Command, ...]
    paint: Paint


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    paint: Paint


@dataclass(frozen=True, slots=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    paint: Paint


@dataclass(frozen=True, slots=True)
class Line:
    """An open polyline (two or more points)."""

    points: tuple[tuple[float, float], ...]
    paint: Paint


Primitive = Path | Circle | Polygon | Line


@dataclass(frozen=True, slots=True)
class Scene:
    width: float
    height: float
    primitives: tuple[Primitive, ...]
    background: str | None = None

    @property
    def aspect(self) -> float:
        """Height over width."""
        return self.height / self.width
