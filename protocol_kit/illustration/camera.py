"""Views: an orthographic camera looking at the world from a direction.

World axes: x is where a standing figure faces, y is up, z is the figure's right. A view is an
azimuth (0 in front of a standing figure, 90 at its right side) and an elevation (90 from
above); `style.json` names the views a pose may choose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.geometry import Vec, cross, dot


@dataclass(frozen=True, slots=True)
class Camera:
    right: Vec  # world direction that is right on the picture
    up: Vec  # world direction that is up on the picture
    toward: Vec  # world direction towards the viewer (larger depth is nearer)

    def project(self, p: Vec) -> tuple[float, float]:
        """The picture position of a world point (y up)."""
        return (dot(p, self.right), dot(p, self.up))

    def depth(self, p: Vec) -> float:
        return dot(p, self.toward)


def camera(azimuth: float, elevation: float) -> Camera:
    a, e = math.radians(azimuth), math.radians(elevation)
    toward = (math.cos(e) * math.cos(a), math.sin(e), math.cos(e) * math.sin(a))
    right = (math.sin(a), 0.0, -math.cos(a))
    up = cross(toward, right)
    return Camera(right, up, toward)


def view_camera(view: str, side: str) -> Camera:
    """The camera of a named view. Side-on views look from the working side (the right when
    both sides work), so that the side that works is the near one."""
    spec = vocabulary.style()["views"][view]
    azimuth = spec["azimuth"]
    if side == "left":
        azimuth = -azimuth
    return camera(azimuth, spec["elevation"])
