"""Stages over weeks: what is wrong with a plan of stages (overlaps, gaps, weeks beyond the
programme, a dosage for an exercise the protocol lacks or beyond the safe limits), and each
exercise's dosage in each stage. One function for a protocol's stages (lint rule DOSE007) and
a prescription's (RX013, RX006), so the two are checked alike."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from protocol_kit.dosage import dosage_problems
from protocol_kit.findings import Severity
from protocol_kit.model import Dosage, Exercise, Protocol, Stage
from protocol_kit.record import Record, init, replace
from protocol_kit.suggestions import did_you_mean


class StageProblem(Record):
    """`kind`: "plan" (the weeks), "exercise" (an unknown id) or "dosage" (unsafe)."""

    __slots__ = ("kind", "pointer", "message")
    kind: str
    pointer: str
    message: str

    def __init__(self, kind: str, pointer: str, message: str) -> None:
        init(self, "kind", kind)
        init(self, "pointer", pointer)
        init(self, "message", message)


def stage_problems(
    stages: tuple[Stage, ...],
    protocol: Protocol,
    bounds: Mapping[str, Any] | None = None,
) -> Iterator[StageProblem]:
    """Every problem of `stages` as a plan for `protocol`'s programme (its length and its
    exercises)."""
    weeks = protocol.delivery.programme_weeks
    expected = 1  # the first week the next stage must start on
    for index, stage in enumerate(stages):
        at = stage.origin.pointer
        first, last = stage.first_week, stage.last_week
        name = f"stage {index + 1} (weeks {first} to {last})"
        if last < first:
            yield StageProblem(
                "plan", f"{at}/weeks/to", f"{name} ends before it starts: check the weeks"
            )
        elif first < expected:
            yield StageProblem(
                "plan",
                f"{at}/weeks/from",
                f"{name} overlaps the stage before it (which ends in week {expected - 1}): "
                "a week belongs to one stage only",
            )
        elif first > expected:
            yield StageProblem(
                "plan",
                f"{at}/weeks/from",
                f"{name} leaves week{'s' if first - expected > 1 else ''} "
                f"{_span(expected, first - 1)} without a stage: start it in week {expected}",
            )
        if last > weeks:
            yield StageProblem(
                "plan",
                f"{at}/weeks/to",
                f"{name} goes beyond the programme's {weeks} weeks "
                "(delivery.programme_weeks): end it by week "
                f"{weeks}, or lengthen the programme",
            )
        expected = max(expected, last + 1)
        yield from _dosage_problems(stage, protocol, name, bounds or {})
    if stages and expected <= weeks:
        last_stage = stages[-1]
        yield StageProblem(
            "plan",
            f"{last_stage.origin.pointer}/weeks/to",
            f"the stages end in week {expected - 1}, but the programme runs {weeks} weeks: "
            f"weeks {_span(expected, weeks)} have no stage",
        )


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first} to {last}"


def _dosage_problems(
    stage: Stage, protocol: Protocol, name: str, bounds: Mapping[str, Any]
) -> Iterator[StageProblem]:
    ids = [e.id for e in protocol.exercises]
    for exercise_id, fields in stage.dosage.items():
        at = f"{stage.origin.pointer}/dosage/{exercise_id}"
        exercise = protocol.exercise(exercise_id)
        if exercise is None:
            yield StageProblem(
                "exercise",
                at,
                f"{name}: the protocol has no exercise '{exercise_id}'"
                f"{did_you_mean(exercise_id, ids)} (it has: {', '.join(ids)})",
            )
            continue
        numbers = _numbers(fields)
        merged = {**exercise.dosage.fields(), **numbers}
        for problem in dosage_problems(exercise.type, merged, bounds):
            if problem.severity is Severity.ERROR and problem.field in numbers:
                yield StageProblem(
                    "dosage", f"{at}/{problem.field}", f"{name}, '{exercise_id}': {problem.message}"
                )
        if exercise.unilateral and numbers.get("side") == "both":
            yield StageProblem(
                "dosage",
                f"{at}/side",
                f"{name}, '{exercise_id}': the exercise works one side at a time, but the "
                "stage says side 'both': write 'each' (or 'left' or 'right')",
            )


def _numbers(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "intensity" and not k.startswith("x-")}


def stage_dosage(exercise: Exercise, stage: Stage, language: str) -> Dosage:
    """The exercise's dosage during `stage`: the stage's fields over the exercise's."""
    from protocol_kit.model import build_text

    fields = stage.dosage.get(exercise.id)
    if not fields:
        return exercise.dosage
    origin = stage.origin.child("dosage", exercise.id)
    dosage = replace(exercise.dosage, **_numbers(fields), origin=origin)
    if "intensity" in fields:
        intensity = build_text(fields["intensity"], language, origin.child("intensity"))
        dosage = replace(dosage, intensity=intensity)
    return dosage


def with_override(stage: Stage, exercise_id: str, override: Mapping[str, Any]) -> Stage:
    """`stage` with a prescription's override of one exercise laid over its own fields: an
    override holds in every stage."""
    dosage = {k: dict(v) for k, v in stage.dosage.items()}
    if exercise_id in dosage:
        dosage[exercise_id].update(override)
    return replace(stage, dosage=dosage)
