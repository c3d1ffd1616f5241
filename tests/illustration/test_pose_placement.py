"""Forward kinematics and placement: joint angles move the body the way a clinician means, and
the body rests on the floor and its props as its posture says."""

from __future__ import annotations

import math

from protocol_kit.illustration.body import pose_body
from protocol_kit.illustration.placement import (
    PoseRequest,
    PropRequest,
    kept_places,
    landmark_balls,
    lowest,
    nearest_root,
    place,
)


def centre(body, segment, index=0):
    return body.segment(segment).balls[index].centre


def test_angles_move_limbs_the_clinical_way():
    knee = centre(pose_body({}), "right_shank")
    flexed = centre(pose_body({"right_hip": {"flexion": 90}}), "right_shank")
    assert flexed[0] > knee[0] + 30  # hip flexion: the knee comes forwards
    extended = centre(pose_body({"right_hip": {"extension": 20}}), "right_shank")
    assert extended[0] < knee[0] - 10
    outwards = centre(pose_body({"right_hip": {"abduction": 40}}), "right_shank")
    assert outwards[2] > knee[2] + 20  # z is the body's right
    left_out = centre(pose_body({"left_hip": {"abduction": 40}}), "left_shank")
    assert left_out[2] < centre(pose_body({}), "left_shank")[2] - 20
    foot = centre(pose_body({"right_knee": {"flexion": 90}}), "right_foot")
    assert foot[0] < knee[0] - 30  # knee flexion: the lower leg goes backwards


def test_arm_raised_to_the_side_reaches_shoulder_height():
    body = pose_body({"right_shoulder": {"abduction": 90}})
    hand = centre(body, "right_hand", 2)
    shoulder = body.segment("right_upper_arm").origin
    assert abs(hand[1] - shoulder[1]) < 3 and hand[2] > shoulder[2] + 60
    forwards = pose_body({"right_shoulder": {"flexion": 90}})
    assert centre(forwards, "right_hand", 2)[0] > 60


def test_trunk_bends_and_turns():
    head = centre(pose_body({}), "head")
    assert centre(pose_body({"lumbar": {"flexion": 40}}), "head")[0] > head[0] + 15
    assert centre(pose_body({"thoracic": {"side_bend_right": 20}}), "head")[2] > head[2] + 8
    nose = centre(pose_body({"neck": {"rotation_left": 60}}), "head", 2)
    assert nose[2] < -5  # turned to the left: the face points to the body's left


def test_standing_rests_on_the_feet():
    placed = place(PoseRequest("standing", {}))
    assert abs(lowest(landmark_balls(placed.body, "right-foot"))) < 0.5
    assert centre(placed.body, "head")[1] > 150


def test_lying_with_knees_bent_rests_on_back_buttocks_and_feet_on_the_mat():
    placed = place(PoseRequest("lying-back-knees-bent", {}, props=(PropRequest("mat", None),)))
    assert placed.floor > 0
    for landmark in ("upper-back", "buttocks", "left-foot", "right-foot"):
        assert abs(lowest(landmark_balls(placed.body, landmark)) - placed.floor) < 1.0, landmark


def test_bridge_lifts_the_pelvis_and_keeps_shoulders_and_feet_down():
    start = place(PoseRequest("lying-back-knees-bent", {}))
    joints = {"left_hip": {"flexion": 0}, "right_hip": {"flexion": 0}}
    joints |= {"left_knee": {"flexion": 85}, "right_knee": {"flexion": 85}}
    bridge = place(PoseRequest("lying-back-knees-bent", joints), align=start.anchor)
    assert lowest(landmark_balls(bridge.body, "buttocks")) > 10
    assert abs(lowest(landmark_balls(bridge.body, "upper-back"))) < 1.0
    assert abs(lowest(landmark_balls(bridge.body, "right-foot"))) < 1.0


def test_roller_under_the_upper_back_holds_it_at_its_diameter():
    roller = PropRequest("foam-roller", "upper-back")
    placed = place(PoseRequest("lying-back-knees-bent", {}, props=(roller,)))
    assert abs(lowest(landmark_balls(placed.body, "upper-back")) - 15) < 0.5
    # Tipped until the next part down rests: with these hips and knees, the feet.
    resting = min(lowest(landmark_balls(placed.body, n)) for n in ("buttocks", "left-foot"))
    assert abs(resting) < 1.0


def test_end_position_keeps_hands_and_feet_where_they_rest_at_the_start():
    start = place(PoseRequest("hands-and-knees", {}))
    joints = {"left_hip": {"flexion": 125}, "right_hip": {"flexion": 125}}
    joints |= {"left_knee": {"flexion": 140}, "right_knee": {"flexion": 140}}
    end = place(
        PoseRequest("hands-and-knees", joints, own=frozenset(joints)),
        keep=kept_places(start),
        align=start.anchor,
    )
    for hand in ("left_hand", "right_hand"):
        assert math.dist(start.body.segment(hand).origin, end.body.segment(hand).origin) < 1.0
    assert end.body.segment("pelvis").origin[0] < start.body.segment("pelvis").origin[0] - 15


def test_wall_behind_a_ball_behind_the_buttock_touch_in_turn():
    props = (
        PropRequest("ball", "right-buttock", "behind"),
        PropRequest("wall", "right-buttock", "behind"),
    )
    placed = place(PoseRequest("standing", {}, props=props))
    ball, wall = placed.props
    buttock = min(b.centre[0] - b.radius for b in landmark_balls(placed.body, "right-buttock"))
    assert abs(ball.solids[0].centre[0] + ball.solids[0].radius - buttock) < 0.01
    assert abs(wall.solids[0].high[0] - (ball.solids[0].centre[0] - ball.solids[0].radius)) < 0.01


def test_nearest_root_prefers_the_smallest_turn():
    assert abs(nearest_root(lambda x: (x - 10) * (x + 30), 60) - 10) < 1e-6
    assert nearest_root(lambda x: x * x + 1, 60) is None
