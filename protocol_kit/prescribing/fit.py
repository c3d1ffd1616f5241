"""The checks of what fits a prescription to its patient: screening answers, outcome
measures, goals' and re-tests' dates, and stages. `protokit validate` and `protokit render`
make them through `prescription_findings` (no protocol needed: ranges) and
`against_protocol.protocol_findings` (the rest), so each is reported at its line and column
and a sheet is never printed with one.

Codes: RX009 screening not answered (or an answer to no question), RX010 a yes that rules an
exercise or the protocol out, RX019 a yes that brings in an exercise's (or the protocol's)
precaution without the clinician's decision to keep it written down, RX011 a score outside
its measure's range, RX012 a date outside the programme, RX013 stages that overlap, leave a gap, run
beyond the programme or change an exercise's dosage without naming it, RX014 a target that is
not better than the baseline (a warning).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

from protocol_kit.findings import Finding, Severity, shown
from protocol_kit.jsontext.pointers import escape_token
from protocol_kit.loading import number_text
from protocol_kit.model import Origin, Protocol, build_stages
from protocol_kit.prescribing.measures import Measure, custom_measure, standard_measures
from protocol_kit.prescribing.stages import stage_problems
from protocol_kit.prescription import leave_out_in_the_form, placeholder_left
from protocol_kit.suggestions import did_you_mean

UNANSWERED = "RX009"
SCREENED_OUT = "RX010"
OUT_OF_RANGE = "RX011"
OUTSIDE_PROGRAMME = "RX012"
STAGE_PLAN = "RX013"
TARGET_NOT_BETTER = "RX014"
PRECAUTION_UNRECORDED = "RX019"
UNSAFE_OVERRIDE = "RX006"


def _error(
    code: str, message: str, pointer: str, at_key: bool = False, form_message: str | None = None
) -> Finding:
    return Finding("", code, message, pointer=pointer, at_key=at_key, form_message=form_message)


# -- screening -----------------------------------------------------------------------------


def screening_findings(data: Mapping[str, Any], protocol: Protocol) -> Iterator[Finding]:
    """Every question answered, no answer to a question the protocol does not ask, and no
    yes that rules out the protocol or an exercise the prescription keeps."""
    answers: Mapping[str, str] = data.get("screening", {})
    asked = {q.id: q for q in protocol.screening}
    where = "/screening" if "screening" in data else ""
    for question in protocol.screening:
        if question.id not in answers:
            text = json.dumps(question.question.get(protocol.language), ensure_ascii=False)
            head = f"screening question '{question.id}' is not answered ({text})"
            yield _error(
                UNANSWERED,
                f'{head}: add "{question.id}": "yes" or "no" to "screening"',
                where,
                # The form has a yes/no choice per question, not a member to add (H437).
                form_message=f"{head}: ask the patient, and choose yes or no at this question "
                "under screening",
            )
    for answer_id in answers:
        if answer_id not in asked:
            yield _error(
                UNANSWERED,
                f"'{answer_id}' answers no screening question of '{protocol.id}'"
                f"{did_you_mean(answer_id, asked)}"
                + (f" (it asks: {', '.join(asked)})" if asked else " (it asks none)"),
                f"/screening/{escape_token(answer_id)}",
                at_key=True,
            )
    omitted = {o["exercise"] for o in data.get("overrides", ()) if o.get("omit")}
    for question in protocol.screening:
        if answers.get(question.id) != "yes":
            continue
        text = json.dumps(question.question.get(protocol.language), ensure_ascii=False)
        at = f"/screening/{escape_token(question.id)}"
        for item in protocol.safety.contraindications:
            if item.id in question.decides:
                yield _error(
                    SCREENED_OUT,
                    f"yes to '{question.id}' ({text}) rules out the whole protocol: "
                    f"contraindication '{item.id}' ({item.description}); do not prescribe "
                    f"'{protocol.id}' for this patient",
                    at,
                )
        for exercise in protocol.exercises:
            if exercise.id in omitted:
                continue
            for item in exercise.contraindications:
                if item.id in question.decides:
                    ruled_out = (
                        f"yes to '{question.id}' ({text}) rules out exercise '{exercise.id}': "
                        f"contraindication '{item.id}' ({item.description}); leave it out"
                    )
                    yield _error(
                        SCREENED_OUT,
                        f'{ruled_out} with an override {{"exercise": "{exercise.id}", '
                        '"omit": true, "reason": ...}',
                        at,
                        form_message=f"{ruled_out}: {leave_out_in_the_form(exercise.id)} under "
                        "Overrides, and say why under reason",
                    )
    yield from precaution_findings(data, protocol)


def precaution_findings(data: Mapping[str, Any], protocol: Protocol) -> Iterator[Finding]:
    """RX019: a yes that brings an exercise's precaution into force, on an exercise the
    prescription keeps, needs the clinician's decision to keep it written down: an override of
    the exercise whose reason says something. The precaution's advice on the sheet ("only do
    this if your therapist has checked it is safe") tells the patient to rely on that check,
    and the therapist who signs the sheet is the one it names (H439)."""
    from protocol_kit.lint.rules.empty_safety_text import says_nothing

    answers: Mapping[str, str] = data.get("screening", {})
    yield from _protocol_precaution_findings(data, protocol, answers)
    kept = {
        o["exercise"]: (index, o)
        for index, o in enumerate(data.get("overrides", ()))
        if not o.get("omit")
    }
    omitted = {o["exercise"] for o in data.get("overrides", ()) if o.get("omit")}
    for question in protocol.screening:
        if answers.get(question.id) != "yes":
            continue
        text = json.dumps(question.question.get(protocol.language), ensure_ascii=False)
        for exercise in protocol.exercises:
            if exercise.id in omitted:
                continue
            for item in exercise.precautions:
                if item.id is None or item.id not in question.decides:
                    continue
                head = (
                    f"yes to '{question.id}' ({text}) brings in precaution '{item.id}' of "
                    f"exercise '{exercise.id}' ({item.description})"
                )
                index, override = kept.get(exercise.id, (None, None))
                if override is None:
                    yield _error(
                        PRECAUTION_UNRECORDED,
                        f"{head}, and no override of '{exercise.id}' records why it is kept: "
                        "write what you checked in the reason of an override "
                        f'{{"exercise": "{exercise.id}", "dosage": ..., "reason": ...}}, or '
                        'leave it out with "omit": true',
                        f"/screening/{escape_token(question.id)}",
                        form_message=f"{head}, and nothing records why it is kept: add its "
                        "entry under Overrides and write what you checked under reason, or "
                        f"{leave_out_in_the_form(exercise.id)}",
                    )
                    continue
                reason = override["reason"]
                if placeholder_left(reason) or not says_nothing(reason):
                    continue  # a placeholder ("TODO: ...", "TBC") is RX003's to report
                yield _error(
                    PRECAUTION_UNRECORDED,
                    f"{head}, and the override's reason {shown(reason)} does not say why it is "
                    f"kept: write what you checked (the patient is told to rely on it), or "
                    'leave the exercise out with "omit": true',
                    f"/overrides/{index}/reason",
                    form_message=f"{head}, and the reason {shown(reason)} at its entry under "
                    "Overrides does not say why it is kept: write what you checked under "
                    f"reason, or {leave_out_in_the_form(exercise.id)}",
                )


def _protocol_precaution_findings(
    data: Mapping[str, Any], protocol: Protocol, answers: Mapping[str, str]
) -> Iterator[Finding]:
    """RX019 for a precaution of the whole protocol (H468): a yes brings it in for every
    exercise, so no one exercise's override is its record. The record is a note of the
    prescription that names the precaution (its id in words, "late pregnancy" for
    `late-pregnancy`, or its description) and says what was checked; the patient reads it
    on the sheet beside the precaution's advice, which tells them to rely on that check."""
    from protocol_kit.lint.rules.empty_safety_text import says_nothing

    notes = [
        value
        for note in data.get("notes", ())
        for value in (note.values() if isinstance(note, Mapping) else (note,))
        if isinstance(value, str)
    ]
    for question in protocol.screening:
        if answers.get(question.id) != "yes":
            continue
        text = json.dumps(question.question.get(protocol.language), ensure_ascii=False)
        for item in protocol.safety.precautions:
            if item.id is None or item.id not in question.decides:
                continue
            names = (item.id.replace("-", " ").lower(), item.description.lower().rstrip("."))
            if any(
                any(name in note.lower() for name in names)
                and not says_nothing(note)
                and not placeholder_left(note)
                for note in notes
            ):
                continue
            head = (
                f"yes to '{question.id}' ({text}) brings in precaution '{item.id}' of the whole "
                f"protocol ({item.description}), and no note records why the programme is kept"
            )
            naming = f"naming '{names[0]}'"
            yield _error(
                PRECAUTION_UNRECORDED,
                f'{head}: write what you checked in "notes", {naming} (the patient is told to '
                "rely on it), or do not prescribe this protocol",
                f"/screening/{escape_token(question.id)}",
                form_message=f"{head}: write what you checked under notes, {naming}, or do "
                "not prescribe this protocol",
            )


def precaution_exercises(answers: Mapping[str, str], protocol: Protocol) -> set[str]:
    """The exercises with a precaution the patient's yes answers bring into force."""
    decided = decided_ids(answers, protocol)
    return {e.id for e in protocol.exercises if any(p.id in decided for p in e.precautions)}


def decided_ids(answers: Mapping[str, str], protocol: Protocol) -> set[str]:
    """The contraindication and precaution ids the patient's yes answers bring into force."""
    return {i for q in protocol.screening if answers.get(q.id) == "yes" for i in q.decides}


def screened_ids(protocol: Protocol) -> set[str]:
    """The ids some screening question decides: they apply only after a yes."""
    return {i for q in protocol.screening for i in q.decides}


# -- outcome measures: ranges (no protocol needed) -------------------------------------------


def outcome_findings(data: Mapping[str, Any]) -> Iterator[Finding]:
    """Scores outside their measure's range, unknown measures, a STarT Back total of 4 or
    more without the subscore its risk group needs, and targets that are not better."""
    known = standard_measures()
    for index, item in enumerate(data.get("measures", ())):
        at = f"/measures/{index}"
        measure = _measure(item, known)
        if measure is None:
            if "custom" in item:
                custom = item["custom"]
                yield _error(
                    OUT_OF_RANGE,
                    f"clinic measure '{custom['name']}': min {number_text(custom['min'])} is not "
                    f"below max {number_text(custom['max'])}",
                    f"{at}/custom/max",
                )
            else:
                code = item["measure"]
                yield _error(
                    OUT_OF_RANGE,
                    f"no standard measure '{code}'{did_you_mean(code, known)} (there are: "
                    f'{", ".join(known)}; a clinic\'s own goes in "custom")',
                    f"{at}/measure",
                )
            continue
        baseline, target = item["baseline"], item.get("target")
        yield from _in_range(measure, baseline["value"], f"{at}/baseline/value", "baseline")
        if target is not None:
            yield from _in_range(measure, target["value"], f"{at}/target/value", "target")
        yield from _subscore(measure, baseline, f"{at}/baseline")
        if (
            target is not None
            and _within(measure, baseline["value"])
            and _within(measure, target["value"])
            and not measure.improves(baseline["value"], target["value"])
        ):
            yield Finding(
                "",
                TARGET_NOT_BETTER,
                f"{measure.name}: the target {measure.shown(target['value'])} is not better "
                f"than the baseline {measure.shown(baseline['value'])} ({measure.better} is "
                "better on this measure): check which is which",
                Severity.WARNING,
                pointer=f"{at}/target/value",
            )


def _measure(item: Mapping[str, Any], known: Mapping[str, Measure]) -> Measure | None:
    if "custom" in item:
        custom = item["custom"]
        if custom["min"] >= custom["max"]:
            return None
        return custom_measure(custom)
    return known.get(item["measure"])


def _within(measure: Measure, value: float) -> bool:
    return measure.low <= value <= measure.high and (
        not measure.integer or float(value).is_integer()
    )


def _in_range(measure: Measure, value: float, pointer: str, what: str) -> Iterator[Finding]:
    if not measure.low <= value <= measure.high:
        yield _error(
            OUT_OF_RANGE,
            f"{measure.name}: {what} {number_text(value)} is outside the measure's range "
            f"{number_text(measure.low)} to {number_text(measure.high)}"
            f"{' ' + measure.unit if measure.unit else ''}",
            pointer,
        )
    elif measure.integer and not float(value).is_integer():
        yield _error(
            OUT_OF_RANGE,
            f"{measure.name}: {what} {number_text(value)} is not a whole number (the measure "
            "scores in whole points)",
            pointer,
        )


def _subscore(measure: Measure, baseline: Mapping[str, Any], at: str) -> Iterator[Finding]:
    sub = measure.subscore
    value = baseline.get("subscore")
    if sub is None:
        if value is not None:
            yield _error(
                OUT_OF_RANGE, f"{measure.name} has no subscore: delete it", f"{at}/subscore"
            )
        return
    total = baseline["value"]
    if value is None:
        needs = any("subscore_min" in g or "subscore_max" in g
                    for g in (measure.risk_groups or {}).get("groups", ())
                    if total >= g.get("total_min", float("-inf")))  # fmt: skip
        if needs and _within(measure, total):
            yield _error(
                OUT_OF_RANGE,
                f"{measure.name}: a total of {number_text(total)} needs the {sub['name']} to tell "
                "the medium from the high risk group: add baseline.subscore",
                at,
            )
        return
    if not sub["min"] <= value <= sub["max"] or not float(value).is_integer():
        yield _error(
            OUT_OF_RANGE,
            f"{measure.name}: subscore {number_text(value)} is outside its range {sub['min']} to "
            f"{sub['max']} (whole points)",
            f"{at}/subscore",
        )
    elif value > total:
        yield _error(
            OUT_OF_RANGE,
            f"{measure.name}: subscore {number_text(value)} is more than the total "
            f"{number_text(total)} it is part of",
            f"{at}/subscore",
        )


# -- dates inside the programme, and stages ----------------------------------------------------


def programme_end(start: dt.date, protocol: Protocol) -> dt.date:
    """The programme's last day: its weeks counted from the start date."""
    return start + dt.timedelta(days=7 * protocol.delivery.programme_weeks - 1)


def programme_findings(data: Mapping[str, Any], protocol: Protocol) -> Iterator[Finding]:
    """Re-tests inside the programme, baselines not after its start, goals and targets not
    before it."""
    start = _date(data.get("start_date"))
    if start is None:
        return
    end = programme_end(start, protocol)
    span = f"the programme runs from {start} to {end} ({protocol.delivery.programme_weeks} weeks)"
    for index, item in enumerate(data.get("measures", ())):
        at = f"/measures/{index}"
        for n, value in enumerate(item.get("retests", ())):
            day = _date(value)
            if day is not None and not start <= day <= end:
                yield _error(
                    OUTSIDE_PROGRAMME,
                    f"re-test on {day} is outside the programme: {span}",
                    f"{at}/retests/{n}",
                )
        baseline = _date(item["baseline"].get("date"))
        if baseline is not None and baseline > start:
            yield _error(
                OUTSIDE_PROGRAMME,
                f"baseline measured on {baseline}, after the programme starts ({start}): a "
                "baseline comes before the exercises it is compared with",
                f"{at}/baseline/date",
            )
        by = _date((item.get("target") or {}).get("by"))
        if by is not None and by < start:
            yield _error(
                OUTSIDE_PROGRAMME,
                f"target date {by} is before the programme starts ({start})",
                f"{at}/target/by",
            )
    for index, goal in enumerate(data.get("goals", ())):
        by = _date(goal.get("by"))
        if by is not None and by < start:
            yield _error(
                OUTSIDE_PROGRAMME,
                f"goal date {by} is before the programme starts ({start})",
                f"/goals/{index}/by",
            )


def stage_findings(
    data: Mapping[str, Any], protocol: Protocol, bounds: Mapping[str, Any]
) -> Iterator[Finding]:
    """A prescription's own stages checked as a protocol's are (lint rule DOSE007), and no
    exercise's dosage changed by a stage that does not name it."""
    if "stages" not in data or not all(_weeks_given(stage) for stage in data["stages"]):
        return  # a week still a placeholder (RX003 says so): the plan is checked once filled in
    stages = build_stages(data, protocol.language, Origin(""))
    overrides = {o.get("exercise"): o for o in data.get("overrides", ())}
    for problem in stage_problems(stages, protocol, bounds, overrides):
        code = UNSAFE_OVERRIDE if problem.kind == "dosage" else STAGE_PLAN
        yield _error(code, problem.message, problem.pointer)


def _weeks_given(stage: Mapping[str, Any]) -> bool:
    """Whether a schema-valid stage's weeks are numbers: a `TODO` placeholder stands in for
    the schema's complaint about a value, and comparing it with a week was an internal
    error (H391)."""
    weeks = stage["weeks"]
    return all(
        isinstance(weeks.get(end), int) and not isinstance(weeks.get(end), bool)
        for end in ("from", "to")
    )


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
