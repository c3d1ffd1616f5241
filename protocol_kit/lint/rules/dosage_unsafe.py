from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.dosage import bounds_table
from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._dosage import bounds_problems
from protocol_kit.model import Exercise, Protocol


class DosageUnsafe(Rule):
    """A dosage value beyond the safe limit for its exercise type.

    A hold of 600 seconds or 40 sets is almost always a typing mistake (an extra zero, seconds
    written as minutes), and a patient at home follows the sheet as printed. The limits per
    exercise type and field are the numbers in brackets in the table below, and one exercise's
    day (its sets, repetitions, holds or duration, sides and sessions together, rest left out)
    may take at most 2 hours (4 for an aerobic exercise): 10 sets of 100 repetitions 4 times a
    day has every number within its limit and cannot be done at home. A clinic can
    change the usual ranges under `[tool.protokit.lint.bounds]`, and lower a limit, but not
    raise one (a limit raised without end would switch the rule off, which no configuration
    may do); an exercise done under supervision beyond a limit is one finding suppressed in
    its file, with the reason a reviewer signs off. The renderer refuses a prescription that
    overrides a dosage beyond the same limits.

    Bad:

        {"type": "stretch", "dosage": {"sets": 3, "hold_seconds": 600, ...}}

    Good:

        {"type": "stretch", "dosage": {"sets": 3, "hold_seconds": 30, ...}}
    """

    code = "DOSE001"
    name = "dosage-unsafe"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a dosage value is beyond the safe limit for its exercise type"
    ignorable = False  # keeps the patient safe: never turned off
    # One dose a clinician chose for one exercise may be kept in its file, with the reason a
    # reviewer reads and signs off; a clinic changes its limits in [lint.bounds].
    suppressible = True

    @classmethod
    def documentation(cls) -> str:
        return f"{super().documentation()}\n\n{bounds_table()}"

    exercise_part = True  # reads the exercise's dosage and the run's bounds alone

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> Iterator[Problem]:
        return bounds_problems(exercise, index, protocol, context, Severity.ERROR)
