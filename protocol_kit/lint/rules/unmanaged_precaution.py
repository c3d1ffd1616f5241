from __future__ import annotations

from collections.abc import Iterable, Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import (
    Context,
    Problem,
    exercise_pointer,
    in_library,
    library_place,
    part_answer,
)
from protocol_kit.lint.rules._codings import AgainstIndications, treated
from protocol_kit.lint.rules.empty_safety_text import says_nothing
from protocol_kit.model import Exercise, Precaution, Protocol


class UnmanagedPrecaution(AgainstIndications):
    """A precaution names a condition the protocol treats, with no note on how the therapist
    handles it.

    Every patient on the protocol has that condition, so the precaution applies to every
    patient: the therapist needs to know what to do about it (assess first, adapt the
    exercise, limit the range...). Write that in the precaution's `management`.

    Bad:

        "indications": [{..., "code": "M54.50", ...}],
        "precautions": [{"coding": {..., "code": "M54.50", ...},
                         "description": "Flexion may aggravate pain"}]

    A `management` that says nothing ("n/a", "-", "none", one word) is no note (H427).

    Good:

        "precautions": [{"coding": {..., "code": "M54.50", ...},
                         "description": "Flexion may aggravate pain",
                         "management": "Start in the pain-free range; progress weekly."}]
    """

    code = "SAFE002"
    name = "unmanaged-precaution"
    default_severity = Severity.ERROR
    summary = "a precaution for a treated condition has no 'management' note"
    ignorable = False  # keeps the patient safe: never turned off

    # The safety section's precautions, then each exercise's, against the indications
    # (`AgainstIndications`: every precaution of every file was compared with them again).

    conditions = "precautions"

    def outside(self, protocol: Protocol, context: Context) -> Iterable[Problem]:
        return part_answer(protocol, context, self.code, _safety_problems, protocol)

    def exercise_problems(
        self, protocol: Protocol, exercise: Exercise, context: Context
    ) -> Iterable[Problem]:
        return _exercise_problems(protocol, exercise)


def _safety_problems(protocol: Protocol) -> tuple[Problem, ...]:
    return tuple(
        Problem(item.origin.pointer, _message(item, ""))
        for item in protocol.safety.precautions
        if _unmanaged(protocol, item)
    )


def _exercise_problems(protocol: Protocol, exercise: Exercise) -> Iterator[Problem]:
    for item in exercise.precautions:
        if _unmanaged(protocol, item):
            where = f" of exercise '{exercise.id}'{in_library(exercise)}"
            pointer = exercise_pointer(exercise) if exercise.library else item.origin.pointer
            place = library_place(exercise, item.origin.pointer)
            yield Problem(pointer, _message(item, where), in_library=place)


def _unmanaged(protocol: Protocol, item: Precaution) -> bool:
    return (
        item.coding is not None
        and (not item.management or says_nothing(item.management))
        and bool(treated(protocol, item.coding))
    )


def _message(item: Precaution, where: str) -> str:
    assert item.coding is not None
    return (
        f"the precaution for {item.coding.code} ({item.coding.display}){where} names a condition "
        "this protocol treats: add 'management' saying how the therapist handles it"
    )
