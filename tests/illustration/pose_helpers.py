"""Build poses and exercises for the illustration tests from plain data, as a file would."""

from __future__ import annotations

import glob
import json
from typing import Any

from conftest import PROTOCOLS  # noqa: F401 (tests import it from here)
from protocol_kit.model import Exercise, Origin, Poses, build_exercise, build_poses


def poses(data: dict[str, Any], laterality: str = "bilateral") -> Poses:
    return build_poses(
        json.loads(json.dumps(data)), laterality, "en", Origin("test.json", "/poses")
    )


def library() -> list[Exercise]:
    """The example library's exercises, built from their files."""
    found = []
    for path in sorted(glob.glob(str(PROTOCOLS / "library" / "*.json"))):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        found.append(build_exercise(data, data["language"], Origin(path)))
    return found


def exercise_with(poses_data: dict[str, Any] | None) -> Exercise:
    """The glute bridge with other poses (or none)."""
    with open(PROTOCOLS / "library" / "glute-bridge.json", encoding="utf-8") as handle:
        data = json.load(handle)
    data.pop("poses", None)
    if poses_data is not None:
        data["poses"] = json.loads(json.dumps(poses_data))
    return build_exercise(data, data["language"], Origin("bridge.json"))
