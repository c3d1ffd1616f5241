from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


class StagePlan(Rule):
    """The stages overlap, leave a gap, run beyond the programme, or dose badly.

    Stages split the programme's weeks: each week belongs to exactly one stage, from week 1 to
    the last week of `delivery.programme_weeks`, so the sheet's dosage grid and log say what
    to do every week. A stage's dosage may name only the protocol's exercises and stays within
    the safe dosage limits (the same limits as DOSE001), and a one-sided exercise is never
    dosed for `both` sides. An exercise a stage does not name is printed with its dosage
    outside the stages, so a stage names every exercise whose dosage the stage before changed,
    or the patient's dose would change at a stage nobody wrote it in. Under stages, no
    dosage holds `weeks` (an exercise's programme length): the stage's weeks say how long,
    and the sheet would print both ("Weeks 5–6 · for 5 weeks"). A prescription's own
    stages are checked the same way (RX013).

    Bad:

        "stages": [{"weeks": {"from": 1, "to": 2}},
                   {"weeks": {"from": 2, "to": 6}, "entry": "..."}]

    Good:

        "stages": [{"weeks": {"from": 1, "to": 2}},
                   {"weeks": {"from": 3, "to": 6}, "entry": "When 10 bridges feel easy"}]
    """

    code = "DOSE007"
    name = "stage-plan"
    default_severity = Severity.ERROR
    summary = "stages overlap, leave a gap, run beyond the programme or dose beyond the limits"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not protocol.stages:
            return  # no plan: nothing to check (`stage_problems` finds nothing in none)
        # Imported for a file with stages: not at every start-up (issue 17).
        from protocol_kit.prescribing.stages import stage_problems

        for problem in stage_problems(protocol.stages, protocol, context.bounds):
            yield Problem(problem.pointer, problem.message)
