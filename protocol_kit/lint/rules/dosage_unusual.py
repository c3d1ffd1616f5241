from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.dosage import bounds_table
from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._dosage import bounds_problems
from protocol_kit.model import Exercise, Protocol


class DosageUnusual(Rule):
    """A dosage value outside the usual range for its exercise type.

    Not necessarily wrong, but worth a second look: for example a static stretch held for less
    than 15 or more than 60 seconds, or more than 5 sets. The usual ranges per exercise type
    and field are in the table below (the range before the brackets); a clinic can change
    them under `[tool.protokit.lint.bounds]`, or suppress the rule for one exercise with a
    reason.

    Bad:

        {"type": "stretch", "dosage": {"sets": 3, "hold_seconds": 90, ...}}

    Good:

        {"type": "stretch", "dosage": {"sets": 3, "hold_seconds": 30, ...}}
    """

    code = "DOSE002"
    name = "dosage-unusual"
    default_severity = Severity.WARNING
    exercise_rule = True
    summary = "a dosage value is outside the usual range for its exercise type"

    @classmethod
    def documentation(cls) -> str:
        return f"{super().documentation()}\n\n{bounds_table()}"

    exercise_part = True  # reads the exercise's dosage and the run's bounds alone

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> Iterator[Problem]:
        return bounds_problems(exercise, index, protocol, context, Severity.WARNING)
