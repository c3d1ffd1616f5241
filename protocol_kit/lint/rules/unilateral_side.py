from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._dosage import dosage_field_pointer
from protocol_kit.model import Exercise, Protocol


class UnilateralSide(Rule):
    """A one-sided exercise whose dosage does not say which side.

    An exercise with `"laterality": "unilateral"` works one side at a time. Its dosage must say
    `each` (the full dosage on the left, then on the right), or `left` or `right` for one side
    only. `both` would let the patient do one side and stop, or halve the dosage per side.

    Bad:

        {"laterality": "unilateral", "dosage": {"side": "both", ...}}

    Good:

        {"laterality": "unilateral", "dosage": {"side": "each", ...}}
    """

    code = "DOSE003"
    name = "unilateral-side"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a unilateral exercise's dosage does not say 'each' side (or left or right)"

    exercise_part = True  # reads the exercise alone

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> Iterator[Problem]:
        if exercise.unilateral and exercise.dosage.side == "both":
            pointer, note, place = dosage_field_pointer(exercise, "side")
            yield Problem(
                pointer,
                f"exercise '{exercise.id}' is unilateral but its dosage says side 'both': "
                f"write 'each' (or 'left' or 'right' for one side only){note}",
                in_library=place,
            )
