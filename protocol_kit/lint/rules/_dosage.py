"""Shared by the two dosage-bounds rules: one check, split by severity into two codes."""

from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.dosage import DosageProblem, dosage_problems
from protocol_kit.findings import LibraryPlace, Severity
from protocol_kit.lint.base import Context, Problem, exercises_key, in_library, library_place
from protocol_kit.model import Exercise, Protocol


def dosage_field_pointer(
    exercise: Exercise, field_name: str
) -> tuple[str, str, LibraryPlace | None]:
    """The pointer of one dosage field in the protocol file, a note naming the library file
    when the value comes from a library exercise's default dosage, and the value's place in
    that file for the reports (`Problem.in_library`; None when the protocol gives the value)."""
    source = exercise.library
    if source is None:
        return exercise.dosage.origin.child(field_name).pointer, "", None
    if field_name in source.dosage_override:
        return source.entry.child("dosage", field_name).pointer, "", None
    place = library_place(exercise, exercise.origin.child("dosage", field_name).pointer)
    return source.entry.pointer, f"; the value is the default{in_library(exercise)}", place


def bounds_problems(
    exercise: Exercise, index: int, protocol: Protocol, context: Context, severity: Severity
) -> Iterator[Problem]:
    """The dosage problems of `severity` of the protocol's exercise at `index`."""
    key = exercises_key(protocol, context)[index]
    for problem in _problems(exercise, key, context):
        if problem.severity is not severity:
            continue
        pointer, note, place = dosage_field_pointer(exercise, problem.field)
        message = f"exercise '{exercise.id}': {problem.message}{note}"
        yield Problem(pointer, message, in_library=place)


def _problems(exercise: Exercise, key: int, context: Context) -> tuple[DosageProblem, ...]:
    """The exercise's dosage problems, worked out once per run for each distinct exercise
    (`key`, its content's number from `exercises_key`, which the file has worked out for the
    other rules already: its dosage's numbers are not gathered again). The problems name a
    field, not a place: the caller places them in the file being checked. The two rules
    share them, and library dosages repeat across protocols."""
    memo_key = ("dosage", key)
    found = context.memo.get(memo_key)
    if found is None:
        fields = exercise.dosage.fields()
        found = context.memo[memo_key] = tuple(
            dosage_problems(exercise.type, fields, context.bounds)
        )
    return found
