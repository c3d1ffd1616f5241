"""Exercise illustrations drawn from pose data: the public surface.

- `scene_for(exercise)`: the picture of an exercise's poses as a neutral `Scene` (None when the
  exercise has no poses);
- `alt_text(exercise, language)`: what the picture shows, in words (the author's `alt` when
  given);
- `svg.to_svg(scene, alt_text)` writes SVG; `protocol_kit.render.illustration.picture_flowable`
  puts a scene in a PDF.

Everything here is plain Python: no reportlab, and the vocabulary is read on first use.
"""

from __future__ import annotations

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from protocol_kit.illustration.compose import Picture
    from protocol_kit.illustration.scene import Scene
    from protocol_kit.model import Exercise, Pose, Poses

__all__ = [
    "scene_for",
    "alt_text",
    "drawn_poses",
    "picture_of",
    "poses_key",
    "working_segments",
]


def scene_for(exercise: Exercise) -> Scene | None:
    """The illustration of `exercise`, or None when it has no poses.

    A library exercise appears on many sheets: its scene (immutable) is drawn once per process
    and shared, keyed by everything that it is drawn from."""
    poses = drawn_poses(exercise)
    if poses is None:
        return None
    key = (poses_key(poses), poses.side, poses.layout, exercise.regions)
    scene = _SCENES.get(key)
    if scene is None:
        from protocol_kit.illustration.compose import draw

        if len(_SCENES) >= 512:
            _SCENES.clear()
        scene = _SCENES[key] = draw(picture_of(poses, exercise.regions))
    return scene


_SCENES: dict[tuple, Scene] = {}


def drawn_poses(exercise: Exercise) -> Poses | None:
    """The exercise's poses as drawn: for the side its dosage prescribes when that is only the
    other side of a one-sided drawing (see `mirror`)."""
    if exercise.poses is None:
        return None
    from protocol_kit.illustration.mirror import for_dosage

    return for_dosage(exercise.poses, exercise.dosage.side)


def poses_key(poses: Poses) -> tuple:
    """What the picture and the checks of a set of poses depend on, as a hashable value (the
    same poses in different files, or in one library file used by many protocols, share it)."""

    def one(pose: Pose | None) -> tuple:
        if pose is None:
            return ()
        return (
            pose.posture,
            pose.view,
            tuple((joint, tuple(sorted(values.items()))) for joint, values in pose.joints.items()),
            pose.lean,
            tuple((p.prop, p.at, p.position, p.gap) for p in pose.props),
        )

    return (one(poses.start), one(poses.end))


def alt_text(exercise: Exercise, language: str) -> str:
    """The picture's description for readers who cannot see it, in `language` (a sheet
    language; `en-GB` reads as `en`). The author's `alt` text wins when it has that language."""
    from protocol_kit.illustration.words import describe

    return describe(exercise, language)


def picture_of(poses: Poses, regions: tuple[str, ...] = ()) -> Picture:
    from protocol_kit.illustration import vocabulary
    from protocol_kit.illustration.compose import Picture

    def view(pose: Pose) -> str:
        return pose.view or vocabulary.postures()[pose.posture]["view"]

    return Picture(
        start=pose_request(poses.start),
        start_view=view(poses.start),
        end=pose_request(poses.end, poses.start) if poses.end is not None else None,
        end_view=view(poses.end) if poses.end is not None else None,
        side=poses.side,
        layout=poses.layout,
        working=working_segments(regions, poses.side),
    )


def pose_request(pose: Pose, start: Pose | None = None):
    """What placement needs of a pose. An end position in the start's posture begins from the
    start's angles: it gives only what changes."""
    from protocol_kit.illustration.placement import PoseRequest, PropRequest

    return PoseRequest(
        posture=pose.posture,
        joints=effective_joints(pose, start),
        lean=pose.lean,
        props=tuple(PropRequest(p.prop, p.at, p.position, p.gap) for p in pose.props),
        own=frozenset(pose.joints) if start is not None else None,
    )


def effective_joints(pose: Pose, start: Pose | None = None) -> dict[str, dict[str, float]]:
    """The angles a pose is drawn with, over its posture's: its own, and for an end position in
    the start's posture, the start's where it gives none on that axis."""
    from protocol_kit.illustration.placement import merged_angles

    if start is None or start.posture != pose.posture:
        return {joint: dict(values) for joint, values in pose.joints.items()}
    started = merged_angles(start.posture, start.joints)
    return merged_angles(pose.posture, pose.joints, base=started)


def working_segments(regions: tuple[str, ...], side: str) -> tuple[str, ...]:
    """The segments drawn in the highlight colour for the exercise's target regions."""
    from protocol_kit.illustration import vocabulary

    table = vocabulary.body()["regions"]
    sides = ("left", "right") if side == "both" else (side,)
    found: list[str] = []
    for region in regions:
        for segment in table.get(region, ()):
            for one in sides:
                name = segment.replace("{side}", one)
                if name not in found:
                    found.append(name)
    return tuple(found)
