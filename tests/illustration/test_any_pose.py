"""Any pose the schema accepts is drawn and checked without an error: angles at the ends of
their ranges, props against any landmark, every view (hypothesis draws them)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pose_helpers import exercise_with

from protocol_kit.illustration import alt_text, pose_request, scene_for, vocabulary
from protocol_kit.illustration.checks import check
from protocol_kit.illustration.svg import to_svg


@st.composite
def prop(draw):
    name = draw(st.sampled_from([p for p in vocabulary.props() if p != "mat"]))
    # The schema keeps a wall behind or in front of a landmark, never under it.
    positions = ["behind", "in-front"] if name == "wall" else list(vocabulary.prop_positions())
    item = {
        "prop": name,
        "at": draw(st.sampled_from(list(vocabulary.landmarks()))),
        "position": draw(st.sampled_from(positions)),
    }
    if item["position"] != "under" and draw(st.booleans()):
        item["gap"] = draw(st.integers(0, 100))
    return item


@st.composite
def pose(draw):
    joints = {}
    for name in draw(st.lists(st.sampled_from(list(vocabulary.joints())), max_size=6)):
        movements = {}
        for axis in vocabulary.joints()[name]["axes"]:
            if draw(st.booleans()):
                movement = draw(st.sampled_from(axis))
                top = vocabulary.joints()[name]["movements"][movement]["max"]
                movements[movement] = draw(
                    st.one_of(st.sampled_from([0, top]), st.integers(0, top))
                )
        joints[name] = movements
    props = draw(st.lists(prop(), max_size=2))
    data = {
        "posture": draw(st.sampled_from(list(vocabulary.postures()))),
        "view": draw(st.sampled_from(list(vocabulary.style()["views"]))),
        "joints": joints,
        "props": props + ([{"prop": "mat"}] if draw(st.booleans()) else []),
    }
    lean = draw(st.integers(0, 45))
    if lean:
        data["lean"] = {draw(st.sampled_from(["forwards", "backwards"])): lean}
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=pose(), end=st.one_of(st.none(), pose()), side=st.sampled_from(["left", "right"]))
def test_any_schema_valid_pose_is_drawn_described_and_checked(start, end, side):
    poses = {"start": start, "side": side}
    if end is not None:
        poses["end"] = end
    exercise = exercise_with(poses)
    scene = scene_for(exercise)
    assert scene is not None and scene.width > 0 and scene.height > 0
    ElementTree.fromstring(to_svg(scene, alt_text(exercise, "el")))
    requests = {"start": pose_request(exercise.poses.start)}
    if exercise.poses.end is not None:
        requests["end"] = pose_request(exercise.poses.end, exercise.poses.start)
    for issue in check(requests):
        assert issue.kind in ("range", "support") and issue.message
        assert issue.pointer.startswith(("/start", "/end"))
