"""The same poses for the other side: left and right swapped everywhere.

A unilateral exercise is described (and drawn) for one side. When the dosage prescribes only
the other side (`"side": "left"` for poses written for the right), the picture must show that
side, or the patient would copy the wrong one: every name that says left or right (postures,
joints, movements, landmarks, the working side) is swapped.
"""

from __future__ import annotations

from dataclasses import replace

from protocol_kit.model import Pose, Poses, PropPlacement

_TOKEN = "\0"


def swap(name: str) -> str:
    """`left` and `right` exchanged in a vocabulary name (`half-kneeling-left-knee-down`,
    `right_hip`, `side_bend_left`)."""
    return name.replace("left", _TOKEN).replace("right", "left").replace(_TOKEN, "right")


def mirrored(poses: Poses) -> Poses:
    """The poses for the other side. The author's `alt` text describes the side it was written
    for, so it is dropped (the description is then written from the mirrored poses)."""
    return replace(
        poses,
        start=_pose(poses.start),
        end=_pose(poses.end) if poses.end is not None else None,
        side=swap(poses.side),
        alt=None,
    )


def _pose(pose: Pose) -> Pose:
    joints = {
        swap(joint): {swap(movement): value for movement, value in movements.items()}
        for joint, movements in pose.joints.items()
    }
    props = tuple(
        PropPlacement(p.prop, swap(p.at) if p.at else None, p.position, p.origin, p.gap)
        for p in pose.props
    )
    return replace(pose, posture=swap(pose.posture), joints=joints, props=props)


def for_dosage(poses: Poses, dosage_side: str) -> Poses:
    """The poses as the patient does them: mirrored when the dosage names only the other
    side of a one-sided drawing."""
    one_side = poses.side in ("left", "right") and dosage_side in ("left", "right")
    return mirrored(poses) if one_side and poses.side != dosage_side else poses
