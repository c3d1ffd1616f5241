"""POSE001 and POSE002: a pose a body cannot take, or one that does not rest where it says, is a
finding at its line and column; a good pose is clean."""

from __future__ import annotations

import json

import pytest
from lint_helpers import codes, exercise, library_exercise, lint, lint_file, only

GOOD = {
    "start": {"posture": "lying-back-knees-bent", "props": [{"prop": "mat"}]},
    "end": {
        "posture": "lying-back-knees-bent",
        "joints": {"right_hip": {"flexion": 120}, "right_knee": {"flexion": 120}},
        "props": [{"prop": "mat"}],
    },
}
# A straight leg raised to 120°: every angle within its own range, not together.
STRAIGHT_LEG = {
    "start": {"posture": "lying-back"},
    "end": {
        "posture": "lying-back",
        "joints": {"right_hip": {"flexion": 120}, "right_knee": {"flexion": 0}},
    },
}
# Lying on the back with the arms pressed backwards 45°: the hands go through the floor.
ARMS_THROUGH_FLOOR = {
    "start": {"posture": "lying-back"},
    "end": {
        "posture": "lying-back",
        "joints": {"left_shoulder": {"extension": 45}, "right_shoulder": {"extension": 45}},
    },
}


@pytest.fixture
def fresh_verdicts(tmp_path, monkeypatch):
    """An empty cache folder for the verdicts kept between runs (illustration/verdicts.py),
    so that the checks run in this test whatever earlier runs kept."""
    from protocol_kit.illustration import verdicts

    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path / "cache"))
    verdicts._kept.cache_clear()
    yield
    verdicts._kept.cache_clear()


def with_poses(poses):
    def change(data):
        exercise(data)["poses"] = json.loads(json.dumps(poses))

    return change


def position(path, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first character after `needle` in the file."""
    text = path.read_text(encoding="utf-8")
    index = text.index(needle) + len(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - text.rfind("\n", 0, index)


def test_good_poses_are_clean(tmp_path):
    assert lint(tmp_path, with_poses(GOOD)) == []


def test_straight_leg_past_90_is_a_finding_at_the_joint(tmp_path):
    findings = only(lint(tmp_path, with_poses(STRAIGHT_LEG)), "POSE001")
    assert codes(findings) == [("POSE001", "/exercises/0/poses/end/joints/right_hip")]
    assert "right hip is bent 120° with the knee nearly straight" in findings[0].message
    where = position(tmp_path / "protocol.json", '"right_hip": ')
    assert (findings[0].line, findings[0].column) == where


def test_the_same_leg_with_the_knee_bent_is_clean(tmp_path):
    bent = json.loads(json.dumps(STRAIGHT_LEG))
    bent["end"]["joints"]["right_knee"] = {"flexion": 110}
    assert only(lint(tmp_path, with_poses(bent)), "POSE001") == []


def test_part_through_the_floor_is_a_support_finding_at_the_pose(tmp_path):
    findings = only(lint(tmp_path, with_poses(ARMS_THROUGH_FLOOR)), "POSE002")
    assert codes(findings) == [("POSE002", "/exercises/0/poses/end")]
    assert "hand goes" in findings[0].message and "through the floor" in findings[0].message
    assert (findings[0].line, findings[0].column) == position(tmp_path / "protocol.json", '"end": ')


def test_arms_resting_by_the_sides_are_clean(tmp_path):
    resting = json.loads(json.dumps(ARMS_THROUGH_FLOOR))
    for side in ("left", "right"):
        resting["end"]["joints"][f"{side}_shoulder"] = {"extension": 6}
    assert lint(tmp_path, with_poses(resting)) == []


def test_back_bent_beyond_its_total_range(tmp_path):
    poses = {
        "start": {
            "posture": "standing",
            "joints": {"lumbar": {"flexion": 55}, "thoracic": {"flexion": 45}},
            "props": [{"prop": "wall", "at": "head", "position": "in-front"}],
        }
    }
    findings = only(lint(tmp_path, with_poses(poses)), "POSE001")
    assert codes(findings) == [("POSE001", "/exercises/0/poses/start/joints/lumbar")]
    assert "bend forwards 100°" in findings[0].message


def test_part_through_a_prop(tmp_path):
    # A knee raised in front of the standing foot, with a wall just in front of that foot.
    poses = {
        "start": {
            "posture": "standing",
            "joints": {"right_hip": {"flexion": 70}, "right_knee": {"flexion": 70}},
            "props": [{"prop": "wall", "at": "left-toes", "position": "in-front"}],
        }
    }
    findings = only(lint(tmp_path, with_poses(poses)), "POSE002")
    assert codes(findings) == [("POSE002", "/exercises/0/poses/start/props/0")]
    assert "goes" in findings[0].message and "into the wall" in findings[0].message
    poses["start"]["props"][0]["gap"] = 40
    assert only(lint(tmp_path, with_poses(poses)), "POSE002") == []


def test_standing_body_leaning_too_far_tips_over(tmp_path):
    poses = {"start": {"posture": "standing", "lean": {"forwards": 25}}}
    findings = only(lint(tmp_path, with_poses(poses)), "POSE002")
    assert [f.pointer for f in findings] == ["/exercises/0/poses/start"]
    assert "would tip over forwards" in findings[0].message
    steadied = {
        "start": {
            "posture": "standing",
            "lean": {"forwards": 25},
            "props": [{"prop": "wall", "at": "head", "position": "in-front"}],
        }
    }
    assert only(lint(tmp_path, with_poses(steadied)), "POSE002") == []


def test_prop_that_does_not_reach_what_it_carries(tmp_path):
    poses = {
        "start": {
            "posture": "lying-left-side",
            "joints": {"right_hip": {"flexion": 90}, "right_knee": {"flexion": 90}},
            "props": [{"prop": "foam-roller", "at": "right-knee"}],
        }
    }
    findings = only(lint(tmp_path, with_poses(poses)), "POSE002")
    assert codes(findings) == [("POSE002", "/exercises/0/poses/start/props/0")]
    assert "above the foam roller that should carry it" in findings[0].message


def test_library_pose_is_reported_at_the_reference_naming_the_library_place(tmp_path):
    library_exercise(tmp_path, lambda body: body.update(poses=STRAIGHT_LEG))
    findings = lint(tmp_path, lambda d: d.update(exercises=[{"ref": "cat-cow"}]))
    assert codes(findings) == [("POSE001", "/exercises/0")]
    assert "(at /poses/end/joints/right_hip, library exercise 'cat-cow'" in findings[0].message


def test_library_file_on_its_own_is_reported_at_its_own_line(tmp_path):
    library_exercise(tmp_path, lambda body: body.update(poses=STRAIGHT_LEG))
    path = tmp_path / "library" / "cat-cow.json"
    findings = only(lint_file(path), "POSE001")
    assert codes(findings) == [("POSE001", "/poses/end/joints/right_hip")]
    assert (findings[0].line, findings[0].column) == position(path, '"right_hip": ')


def test_checked_once_for_identical_poses(tmp_path, monkeypatch, fresh_verdicts):
    """A library exercise used by many protocols (or copied into them) is placed once a run:
    the lint stays fast."""
    from protocol_kit.illustration import checks

    calls = []
    real = checks.check
    monkeypatch.setattr(checks, "check", lambda *a, **k: calls.append(1) or real(*a, **k))

    def two_copies(data):
        first = exercise(data)
        first["poses"] = GOOD
        second = json.loads(json.dumps(first))
        second["id"] = "cat-cow-again"
        data["exercises"].append(second)

    assert lint(tmp_path, two_copies) == []
    assert len(calls) == 1
