from __future__ import annotations

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._poses import pose_problems
from protocol_kit.model import Exercise, Protocol


class PoseSupport(Rule):
    """A pose does not rest on the floor or its props as its posture says.

    protocol-kit lays the body on its posture's anchor (the upper back lying down, the feet
    standing, the knees kneeling) and tips or bends it until the rest of what should carry it
    touches too: the feet and buttocks lying with the knees bent, the front foot half-kneeling.
    A pose is wrong when that cannot happen with its angles, when a part goes through the floor
    or into a prop, when a prop does not reach the part it should carry, when a prop would have
    to move between the start and the end, or when a standing body's weight is not over its
    feet and nothing steadies it. Each finding says which part and by how much.

    Bad: lying on the back, arms pressed 45° backwards: the hands go through the floor.

        "end": {"posture": "lying-back",
                "joints": {"left_shoulder": {"extension": 45},
                           "right_shoulder": {"extension": 45}}}

    Good: the arms rest on the floor by the sides.

        "end": {"posture": "lying-back",
                "joints": {"left_shoulder": {"extension": 6},
                           "right_shoulder": {"extension": 6}}}
    """

    code = "POSE002"
    name = "pose-support"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a pose does not rest on the floor or its props, or goes through them"

    exercise_part = True  # reads the exercise's poses alone
    about_texts = True  # of the dosage, the intensity text alone (`exercises_text_key`)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        return pose_problems(exercise, index, protocol, context, "support")
