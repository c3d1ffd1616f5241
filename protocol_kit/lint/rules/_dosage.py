"""Shared by the two dosage-bounds rules: one check, split by severity into two codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from protocol_kit.dosage import DosageProblem, dosage_problems
from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, in_library
from protocol_kit.model import Exercise, Protocol


def dosage_field_pointer(exercise: Exercise, field_name: str) -> tuple[str, str]:
    """The pointer of one dosage field in the protocol file, and a note naming the library file
    when the value comes from a library exercise's default dosage."""
    source = exercise.library
    if source is None:
        return exercise.dosage.origin.child(field_name).pointer, ""
    if field_name in source.dosage_override:
        return source.entry.child("dosage", field_name).pointer, ""
    return source.entry.pointer, f"; the value is the default{in_library(exercise)}"


def bounds_problems(protocol: Protocol, context: Context, severity: Severity) -> Iterator[Problem]:
    for exercise in protocol.exercises:
        for problem in _problems(exercise, context):
            if problem.severity is not severity:
                continue
            pointer, note = dosage_field_pointer(exercise, problem.field)
            yield Problem(pointer, f"exercise '{exercise.id}': {problem.message}{note}")


def _problems(exercise: Exercise, context: Context) -> list[DosageProblem]:
    """The exercise's dosage problems, worked out once per run for each distinct dosage (the
    two rules share them, and library dosages repeat across protocols)."""
    key = ("dosage", exercise.type, dosage_key(exercise, context))
    found = context.memo.get(key)
    if found is None:
        fields = dict(key[2])
        found = context.memo[key] = list(dosage_problems(exercise.type, fields, context.bounds))
    return found


def dosage_key(exercise: Exercise, context: Context) -> tuple[tuple[str, Any], ...]:
    """The exercise's dosage numbers and side as a hashable key, made once per file."""
    return context.shared(
        ("dosage-key", id(exercise)), lambda: tuple(exercise.dosage.fields().items())
    )
