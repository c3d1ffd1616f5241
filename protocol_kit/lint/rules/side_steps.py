from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    english,
)
from protocol_kit.lint.rules._dosage import dosage_field_pointer
from protocol_kit.model import Exercise, Protocol
from protocol_kit.patterns import compiled

_LIMB = r"(foot|feet|leg|legs|side|sides|arm|arms|knee|knees|hip|hips|hand|hands)"
# Sides taken in turn within a set: one repetition is a left and a right, or they alternate.
ALTERNATING = compiled(
    rf"\balternat\w*\b|\b(take|taking) turns\b|\bin turn\b"
    rf"|\b(swap|swapping|switch|switching|change|changing) {_LIMB},? (each|every|after each|after "
    r"every) (time|repetition|rep|lift|go)\b"
    rf"|\b(one|a)\b[^.]{{0,40}}\b(of|with|on|to) (each|both) {_LIMB}\b[^.]{{0,20}}\bis one "
    r"repetition\b"
    rf"|\bthen the other (one )?{_LIMB}?\b[^.]{{0,30}}\bis one repetition\b",
    re.IGNORECASE,
)
# Every repetition on one side, then all of them on the other.
WHOLE_SIDE_THEN_OTHER = compiled(
    r"\b(after|when you have done|once you have done|finish)\b[^.]{0,40}\b(all|every)\b[^.]{0,40}"
    rf"\b(other|left|right|second) {_LIMB}\b"
    rf"|\brepeat\b[^.]{{0,30}}\b(on|with|using) (the other|your other|your left|your right) "
    rf"{_LIMB}\b"
    r"|\brepeat\b[^.]{0,30}\b(on|with|using) (the|your) (other|left|right)\s*(\.|$)"
    rf"|\b(change|switch|swap) {_LIMB}\b[^.]{{0,40}}\b(repeat|same)\b",
    re.IGNORECASE,
)


class SideSteps(Rule):
    """The dosage's side contradicts the steps: `each` with steps that alternate sides, or
    `both` (or one side only) with steps that do every repetition on one side and then on the
    other.

    `side: each` means the full dosage on one side and then on the other: "2 × 8, each side"
    is sixteen lifts of each foot in two runs. Steps that take the feet in turn, or count "one
    lift of each foot" as a repetition, describe another exercise, and the patient cannot tell
    how many to do. The reverse: steps that finish one side and then repeat with the other
    leg, under a dosage that says `both` (both together) or one side only, double or halve the
    work the clinician meant.

    Bad:

        "steps": ["Lift your right foot...", "Do the same with your left foot. One lift of each
          foot is one repetition."], "dosage": {"side": "each", ...}

    Good:

        "steps": ["Lift your right foot...", "Do all the lifts of the set with your right foot,
          then the same number with your left."], "dosage": {"side": "each", ...}
    """

    code = "DOSE006"
    name = "side-steps"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "the dosage's side (each, both, left, right) contradicts the steps"

    exercise_part = True  # reads the exercise alone

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        # One answer per exercise (its steps, cues, side and place), shared by every file
        # that has the same exercise: the steps are searched once per run, not once per file.
        return self.kept_about(
            protocol,
            context,
            index,
            self._check_exercise,
            dosage=("side",),  # of the dosage, reads the side alone
        )

    def _check_exercise(self, exercise: Exercise) -> Iterator[Problem]:
        side = exercise.dosage.side
        steps = [english(t) for t in (*exercise.steps, *exercise.cues)]
        found = None
        if side == "each":
            found = _first(ALTERNATING, steps)
            meaning = (
                "the dosage says each side (the full dosage on one side, then on the other) "
                f"but the steps take the sides in turn ({shown(found)}): do every repetition "
                "on one side first, or say which count the dosage means"
            )
        elif side in ("both", "left", "right"):
            found = _first(WHOLE_SIDE_THEN_OTHER, steps)
            said = "both sides together" if side == "both" else f"the {side} side only"
            meaning = (
                f"the dosage says {said} but the steps repeat the exercise on the other side "
                f"({shown(found)}): write side 'each', or change the steps"
            )
        if found:
            pointer, note, place = dosage_field_pointer(exercise, "side")
            yield Problem(pointer, f"exercise '{exercise.id}': {meaning}{note}", in_library=place)


def _first(pattern: re.Pattern[str], texts: list[str | None]) -> str | None:
    for text in texts:
        if text:
            match = pattern.search(text)
            if match:
                return match.group(0)
    return None
