from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    in_library,
    library_place,
)
from protocol_kit.model import Exercise, Protocol
from protocol_kit.templates import TEMPLATE_INDICATION, TODO_WORD, template_exercise

if TYPE_CHECKING:
    from typing import Any


def _choices(exercise: Exercise) -> dict[str, Any]:
    """The values a therapist must choose for an exercise, as the template writes them."""
    return {
        "type": exercise.type,
        "laterality": exercise.laterality,
        "regions": list(exercise.regions),
        "dosage": {k: v for k, v in exercise.dosage.fields().items()},
    }


def _unchanged_library_file(exercise: Exercise) -> str | None:
    """The library file whose own values these are: the protocol changes none of them."""
    source = exercise.library
    return source.path if source is not None and not source.dosage_override else None


def _template_choices() -> dict[str, Any]:
    body = template_exercise()
    dosage = {k: v for k, v in body["dosage"].items() if k != "intensity"}
    return {
        "type": body["type"],
        "laterality": body["laterality"],
        "regions": body["targets"]["regions"],
        "dosage": dosage,
    }


class TemplateValues(Rule):
    """An exercise or a protocol still has the values `protokit new` wrote for the therapist
    to choose.

    `protokit new exercise` writes a valid file: besides its `TODO`s (TEXT003), it sets the
    exercise's type, side, body region and dosage to placeholder values (a one-sided stretch
    of the hip, 3 × 30 s each side, every day) so that the file validates from the start. A
    file whose `TODO`s are all filled in but whose choices are untouched prints the template's
    dosage on a patient's sheet. Reported when every one of those choices is still the
    template's (one value alike is common; all of them is a file nobody went through), and
    when a protocol's indication is still the template's `R69` (illness, unspecified).

    Bad: a new "wall squat" exercise with `"type": "stretch"`, `"laterality": "unilateral"`,
    `"regions": ["hip"]` and the dosage `3 × 30 s, each side, daily`, as the template wrote.

    Good: the same file with the squat's own type, side, regions and dosage (for example a
    strengthening exercise for both legs, 2 × 10).
    """

    code = "GOV007"
    name = "template-values"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "the type, side, regions and dosage are still those `protokit new` wrote"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        template = context.memo.get("template-choices")
        if template is None:
            template = context.memo["template-choices"] = _template_choices()
        for exercise in protocol.exercises:
            if (
                exercise.type != template["type"]
                or exercise.laterality != template["laterality"]
                or list(exercise.regions) != template["regions"]
            ):
                continue  # most exercises differ here already, before the dosage is read
            if _choices(exercise) == template:
                yield Problem(
                    exercise_pointer(exercise, "dosage"),
                    f"exercise '{exercise.id}'{in_library(exercise)} still has every value the "
                    "template set (a one-sided hip stretch, 3 × 30 s each side, daily): choose "
                    "its type, laterality, regions and dosage",
                    library=_unchanged_library_file(exercise),
                    in_library=library_place(exercise, exercise.origin.child("dosage").pointer),
                )
        for coding in protocol.indications:
            # While the display is still the template's TODO, TEXT003 asks for both.
            if (coding.system, coding.code) == TEMPLATE_INDICATION and not TODO_WORD.search(
                coding.display
            ):
                yield Problem(
                    coding.origin.child("code").pointer,
                    f"the indication is still the template's {coding.code} (illness, "
                    "unspecified): code the condition the programme treats",
                )
