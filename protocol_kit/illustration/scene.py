"""The neutral scene: what a picture is made of, independent of any output format.

A scene is a list of primitives, drawn in order, in one coordinate system: x to the right and
y up (as on paper and in PDF), in centimetres of the drawn 170 cm figure. The picture is the box
from (`x0`, `y0`) (its lower left corner), `width` wide and `height` high. Writers (`svg.py`,
and `protocol_kit/render/illustration.py` for the PDF) only translate primitives; they make no
drawing decisions of their own.

Every number comes from the same arithmetic on the same input, in a fixed order (no set or
unordered iteration), so identical input gives identical bytes; writers print numbers with a
fixed format.
"""

from __future__ import annotations

from dataclasses import dataclass

# Path commands: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y), ("Z",).
Command = tuple


# Writers print coordinates as whole tenths of a scene unit (a millimetre of the drawn body):
# integers are exact, short and quick to print, and finer than any printer or screen shows.
TENTHS = 10


def tenths(values) -> str:
    """Numbers as whole tenths of a unit, separated by spaces (the writers scale by 1/10)."""
    return " ".join([str(round(v * TENTHS)) for v in values])


def number(value: float) -> str:
    """A coordinate as every writer prints it: at most two decimals, no trailing zeros, never
    `-0`."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def q(value: float) -> float:
    """A size rounded to the scene's precision (1/100 of a unit), never `-0.0`."""
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
    x0: float = 0.0  # the picture's lower left corner, in scene coordinates
    y0: float = 0.0
    background: str | None = None

    @property
    def aspect(self) -> float:
        """Height over width."""
        return self.height / self.width
