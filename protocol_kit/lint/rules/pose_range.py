from __future__ import annotations

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._poses import pose_problems
from protocol_kit.model import Exercise, Protocol


class PoseRange(Rule):
    """A pose asks for joint angles a body cannot take together, or its parts pass through
    each other.

    The schema limits each movement to its normal range of motion, but some limits depend on
    another joint: a straight leg rarely rises past 90° (the hamstrings), the ankle bends up
    about 20° with the knee straight (the calf), the whole back bends forwards about 85°. The
    picture of such a pose would show the patient something they cannot or should not do.
    The limits and their sources are in `protocol_kit/illustration/data/joints.json`; see
    docs/illustrations.md.

    Bad:

        "end": {"posture": "lying-back",
                "joints": {"right_hip": {"flexion": 120}, "right_knee": {"flexion": 0}}}

    Good: a knee-to-chest stretch bends the knee as the hip bends.

        "end": {"posture": "lying-back",
                "joints": {"right_hip": {"flexion": 120}, "right_knee": {"flexion": 120}}}
    """

    code = "POSE001"
    name = "pose-range"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a pose's joint angles together go beyond what a body allows"

    exercise_part = True  # reads the exercise's poses alone
    about_texts = True  # of the dosage, the intensity text alone (`exercises_text_key`)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        return pose_problems(exercise, index, protocol, context, "range")
