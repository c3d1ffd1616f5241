"""Stages over weeks: what is wrong with a plan of stages (overlaps, gaps, weeks beyond the
programme, a dosage for an exercise the protocol lacks or beyond the safe limits), and each
exercise's dosage in each stage. One function for a protocol's stages (lint rule DOSE007) and
a prescription's (RX013, RX006), so the two are checked alike."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from protocol_kit.dosage import dosage_problems
from protocol_kit.findings import Severity
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.model import Dosage, Exercise, Protocol, Stage
from protocol_kit.record import Record, init, replace
from protocol_kit.suggestions import did_you_mean

if TYPE_CHECKING:
    from typing import Any


class StageProblem(Record):
    """`kind`: "plan" (the weeks), "exercise" (an unknown id), "dosage" (unsafe) or
    "dose-change" (a dosage changed by a stage that does not name the exercise)."""

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
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Iterator[StageProblem]:
    """Every problem of `stages` as a plan for `protocol`'s programme (its length and its
    exercises), and every dosage a stage changes without naming it (`dose_changes`): the
    protocol's own stages (`overrides` None) as a prescription's (its overrides), since the
    sheet prints both the same way."""
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
        yield from _weeks_in_stage(stage, name)
        yield from _dosage_problems(stage, protocol, name, bounds or {})
    if stages and expected <= weeks:
        last_stage = stages[-1]
        yield StageProblem(
            "plan",
            f"{last_stage.origin.pointer}/weeks/to",
            f"the stages end in week {expected - 1}, but the programme runs {weeks} weeks: "
            f"weeks {_span(expected, weeks)} have no stage",
        )
    if stages:
        yield from _own_weeks_under_stages(stages, protocol, overrides)
    yield from dose_changes(stages, protocol, overrides or {})
    if overrides is not None:
        yield from stage_fields_overridden(stages, protocol.language, overrides)


# Why `weeks` (an exercise's programme length) has no place in a staged plan: the sheet
# prints each stage's grid under the stage's weeks ("Weeks 5–6") and the dosage's `weeks`
# beside it ("for 5 weeks"), so the patient would read two durations (s36-hostile's leftover).
STAGED_WEEKS = (
    "the stages say how long each dosage holds, so the sheet would print two durations "
    "(the stage's weeks and 'for {weeks} weeks'): delete `weeks`"
)


def _weeks_in_stage(stage: Stage, name: str) -> Iterator[StageProblem]:
    for exercise_id, fields in stage.dosage.items():
        if "weeks" in fields:
            yield StageProblem(
                "plan",
                f"{stage.origin.pointer}/dosage/{exercise_id}/weeks",
                f"{name}, '{exercise_id}': `weeks` gives the exercise a programme length of "
                f"its own inside the stage; " + STAGED_WEEKS.format(weeks=fields["weeks"]),
            )


def _own_weeks_under_stages(
    stages: tuple[Stage, ...],
    protocol: Protocol,
    overrides: Mapping[str, Mapping[str, Any]] | None,
) -> Iterator[StageProblem]:
    """An exercise of `protocol` whose own dosage holds `weeks` under `stages`: the protocol's
    own stages (`overrides` None) name the exercise's field; a prescription's stages (which
    the exercise's `weeks` cannot be left out of) name the prescription's first stage. An
    exercise the prescription leaves out is not printed."""
    for exercise in protocol.exercises:
        weeks = exercise.dosage.weeks
        if weeks is None or (overrides or {}).get(exercise.id, {}).get("omit"):
            continue
        if overrides is None:
            yield StageProblem(
                "plan",
                f"{exercise.dosage.origin.pointer}/weeks",
                f"'{exercise.id}' is dosed in stages: " + STAGED_WEEKS.format(weeks=weeks),
            )
        else:
            yield StageProblem(
                "plan",
                f"{stages[0].origin.pointer}/weeks",
                f"the stages are over '{exercise.id}', whose dosage in protocol "
                f"'{protocol.id}' runs for {weeks} weeks (its `weeks`), and the sheet would "
                "print both durations: prescribe it without stages, or leave the exercise out",
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
            field = problem.field_among(numbers)
            if problem.severity is Severity.ERROR and field is not None:
                yield StageProblem(
                    "dosage", f"{at}/{field}", f"{name}, '{exercise_id}': {problem.message}"
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


def dose_changes(
    stages: tuple[Stage, ...], protocol: Protocol, overrides: Mapping[str, Mapping[str, Any]]
) -> Iterator[StageProblem]:
    """Every exercise that a stage does not name after the stage before named it with another
    dosage: the sheet would print the exercise's dosage outside the stages (the protocol's,
    with the prescription's override) for the later stage, a change nobody wrote down.
    `overrides` are the prescription's, by exercise id; a left-out exercise is not printed."""
    language = protocol.language
    for index in range(1, len(stages)):
        before, stage = stages[index - 1], stages[index]
        for exercise in protocol.exercises:
            override = overrides.get(exercise.id, {})
            if exercise.id in stage.dosage or override.get("omit"):
                continue
            own = {**_fields(exercise.dosage), **_given(override.get("dosage", {}), language)}
            earlier = {
                **own,
                **_given(before.dosage.get(exercise.id, {}), language),
                **_given(override.get("dosage", {}), language),
            }
            changed = [k for k in sorted({*own, *earlier}) if own.get(k) != earlier.get(k)]
            if changed:
                source = "the protocol's" + (" with the override" if "dosage" in override else "")
                yield StageProblem(
                    "dose-change",
                    f"{stage.origin.pointer}/dosage" if stage.dosage else stage.origin.pointer,
                    f"stage {index + 1} (weeks {stage.first_week} to {stage.last_week}) does "
                    f"not name '{exercise.id}': its dosage would change from stage {index}'s "
                    f"({_shown(earlier, changed)}) to {source} "
                    f"({_shown(own, changed)}); name it in stage {index + 1} with the dosage "
                    "meant",
                )


def stage_fields_overridden(
    stages: tuple[Stage, ...], language: str, overrides: Mapping[str, Mapping[str, Any]]
) -> Iterator[StageProblem]:
    """Every field a prescription's stage gives an exercise that the prescription's override
    of the exercise gives another value: an override holds in every stage (`with_override`),
    so the stage's value would never be printed, and a progression written in the stages
    (8 repetitions, then 10) printed as one dosage for every week (s38-users2, H1436). A
    stage's dosage of an exercise the prescription leaves out is never printed either, while
    the stage's rule for moving on, often about that exercise ("8 bridges feel easy"), is
    (H1440)."""
    for index, stage in enumerate(stages):
        name = f"stage {index + 1} (weeks {stage.first_week} to {stage.last_week})"
        for exercise_id, fields in stage.dosage.items():
            override = overrides.get(exercise_id, {})
            if override.get("omit"):
                yield StageProblem(
                    "plan",
                    f"{stage.origin.pointer}/dosage/{exercise_id}",
                    f"{name} gives a dosage to '{exercise_id}', which this prescription leaves "
                    'out ("omit": true): the sheet prints no dosage for it, but prints each '
                    f"stage's rule for moving on; delete '{exercise_id}' from the stage, and "
                    "change a rule for moving on that is about it",
                )
                continue
            overridden = _given(override.get("dosage", {}), language)
            for key, value in _given(fields, language).items():
                if key in overridden and overridden[key] != value:
                    yield StageProblem(
                        "plan",
                        f"{stage.origin.pointer}/dosage/{exercise_id}/{key}",
                        f"{name}, '{exercise_id}': {_shown(fields, [key])} would never be "
                        "printed: "
                        f"the override of '{exercise_id}' gives {_shown(overridden, [key])}, "
                        f"and an override holds in every stage; delete `{key}` from the "
                        "override's dosage to dose it by the stages, or from the stage",
                    )


def _fields(dosage: Dosage) -> dict[str, Any]:
    """A dosage's fields, its intensity by language."""
    fields: dict[str, Any] = dosage.fields()
    if dosage.intensity is not None:
        fields["intensity"] = dict(dosage.intensity.values)
    return fields


def _given(fields: Mapping[str, Any], language: str) -> dict[str, Any]:
    """A stage's or override's dosage fields as `_fields` gives them."""
    given = _numbers(fields)
    if "intensity" in fields:
        text = fields["intensity"]
        given["intensity"] = {language: text} if isinstance(text, str) else dict(text)
    return given


def _shown(fields: Mapping[str, Any], keys: list[str]) -> str:
    def value(v: Any) -> str:
        if v is None:
            return "none"
        return " / ".join(map(str, v.values())) if isinstance(v, dict) else str(v)

    return ", ".join(f"{k} {value(fields.get(k))}" for k in keys)


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
