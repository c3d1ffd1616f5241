"""Starting files for `protokit new`: every required field present and marked `TODO` so that
nothing can be forgotten (the lint rule TEXT003 flags any left in a protocol or exercise, the
prescription check RX003 any left in a prescription); a protocol's common safety and delivery
texts start as reviewed starting texts instead, marked for review by GOV009 (`starter`)."""

from __future__ import annotations

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.dates import dt
from protocol_kit.model import ICD10CM, Exercise, Protocol
from protocol_kit.patterns import compiled
from protocol_kit.schemas import KIND_BY_NAME

if TYPE_CHECKING:
    from typing import Any

TODO = "TODO:"
# What the checks look for: the word TODO anywhere in a text (TEXT003, RX003).
TODO_WORD = compiled(r"\bTODO\b")


def _exercise_body(exercise_id: str) -> dict[str, Any]:
    return {
        "id": exercise_id,
        "name": f"{TODO} the exercise's name as the patient will read it",
        "type": "stretch",
        "laterality": "unilateral",
        "purpose": f"{TODO} why the patient does it, in one or two plain sentences",
        "targets": {"muscles": [f"{TODO} muscle"], "regions": ["hip"]},
        "equipment": [],
        "starting_position": f"{TODO} how to start: lying, sitting, standing, where the feet are",
        "steps": [
            f"{TODO} the first action, one action per step",
            f"{TODO} the next action",
        ],
        "cues": [f"{TODO} a short reminder that helps the patient do it well"],
        "common_mistakes": [f"{TODO} a common mistake to avoid"],
        "dosage": {
            "sets": 3,
            "hold_seconds": 30,
            "side": "each",
            "sessions_per_day": 1,
            "days_per_week": 7,
            "intensity": f"{TODO} how it should feel, for example 'a gentle stretch, never pain'",
        },
        "progression": f"{TODO} how to make it harder once it is easy",
        "regression": f"{TODO} how to make it easier",
        "contraindications": [],
        "precautions": [],
    }


def template_exercise() -> dict[str, Any]:
    """The exercise `protokit new` writes, for the rule that finds its choices unchanged."""
    return _exercise_body("template")


# The condition `protokit new protocol` codes, for the therapist to replace.
TEMPLATE_INDICATION = (ICD10CM, "R69")


def new_exercise(exercise_id: str, language: str = "en-GB") -> dict[str, Any]:
    body = _exercise_body(exercise_id)
    return {
        "$schema": KIND_BY_NAME["exercise"].uri,
        "id": exercise_id,
        "version": "0.1.0",
        "language": language,
        **{k: v for k, v in body.items() if k != "id"},
    }


def new_protocol(
    protocol_id: str,
    language: str = "en-GB",
    today: dt.date | None = None,
    library_refs: tuple[str, ...] = (),
) -> dict:
    """A new protocol to fill in; its exercises are references to the library exercises
    `library_refs` names, or one exercise written out to fill in when it names none.

    The safety and delivery texts every programme needs (the chest pain red flag, stop
    criteria, pain guide, general advice, who prescribes and how) start as the reviewed
    starting texts, for the therapist to read and change rather than write from nothing: each
    is still required, and lint rule GOV009 marks each one kept unchanged until the protocol
    is signed off. What only the therapist can say (title, conditions, contraindications,
    education) is a TODO.
    """
    from protocol_kit.starter.texts import protocol_texts, starting_pain_bands

    starter = protocol_texts()
    delivery = starter["delivery"]
    today = today or dt.date.today()
    next_review = (
        today.replace(year=today.year + 1)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year + 1, day=28)
    )
    return {
        "$schema": KIND_BY_NAME["protocol"].uri,
        "id": protocol_id,
        "version": "0.1.0",
        "title": f"{TODO} the programme's title as the patient will read it",
        "summary": f"{TODO} what the programme does and for whom, in one or two sentences",
        "status": "draft",
        "language": language,
        "authors": [
            {"name": f"{TODO} your name", "credentials": f"{TODO} profession and registration"}
        ],
        "updated": today.isoformat(),
        "next_review": next_review.isoformat(),
        "licence": "CC-BY-4.0",
        "references": [],
        "indications": [
            {
                "system": TEMPLATE_INDICATION[0],
                "code": TEMPLATE_INDICATION[1],
                "display": f"{TODO} the code and display text of the condition treated",
            }
        ],
        "safety": {
            "contraindications": [
                {"description": f"{TODO} a condition in which this programme must not be used"}
            ],
            "precautions": [],
            "red_flags": [dict(starter["red_flag"])],
            "stop_criteria": list(starter["stop_criteria"]),
            "pain_guide": {**starting_pain_bands(), **starter["pain_guide"]},
            "general_advice": list(starter["general_advice"]),
        },
        "delivery": {
            "setting": ["home"],
            "supervision": "unsupervised",
            "format": "individual",
            "provider": {
                "profession": "physiotherapist",
                "qualifications": delivery["qualifications"],
            },
            "programme_weeks": 6,
            "starting_level": delivery["starting_level"],
            "tailoring": delivery["tailoring"],
            "adherence": {"method": "exercise-diary", "description": delivery["adherence"]},
            "education": [f"{TODO} what the patient is told alongside the exercises"],
        },
        "exercises": [{"ref": ref} for ref in library_refs] or [_exercise_body("first-exercise")],
    }


# An override's reason is the one place a prescription can say how to use the entry: JSON has
# no comments. It starts with TODO, so an entry left as written is reported until it is used
# or deleted.
OVERRIDE_REASON = (
    f"{TODO} why this patient's dosage differs (change the numbers above); or write "
    '"omit": true instead of the dosage to leave the exercise out; or delete this override to '
    "keep the protocol's dosage"
)


# A new prescription's goal: what the therapist writes there, said where it is written. The
# guidance alone (the TODO deleted, nothing written) is refused as a placeholder too
# (`prescription.placeholder_findings`): it would print on the sheet as the patient's goal.
GOAL_TEXT = (
    "what the patient wants to be able to do, in their own words, such as "
    "'walk to the shops and back without stopping' (or delete this goal)"
)
GOAL_BY = "YYYY-MM-DD, when the patient wants to reach it (or delete this line)"
GOAL_TODO = "write the goal in the patient's own words, or delete the goal"

# A new prescription's other texts to fill in, each said where it is written (after TODO).
PATIENT_NAME = "the patient's full name"
PATIENT_NUMBER = "the clinic's patient number (or delete this line and keep the date of birth)"
THERAPIST_NAME = "your name as the patient should read it"
THERAPIST_CREDENTIALS = "profession and registration, for example 'Physiotherapist, HCPC PH123456'"
# Every guidance a new prescription's texts hold: one left with only its TODO deleted is
# refused as a placeholder too (`prescription.placeholder_findings`), as it would print on the
# sheet ("your name as the patient should read it" as the therapist's name, H902).
PRESCRIPTION_GUIDANCE = (
    PATIENT_NAME,
    PATIENT_NUMBER,
    THERAPIST_NAME,
    THERAPIST_CREDENTIALS,
    OVERRIDE_REASON.removeprefix(f"{TODO} "),
    GOAL_TEXT,
)


def new_prescription(
    protocol: Protocol, today: dt.date | None = None, overrides: bool = True
) -> dict[str, Any]:
    """A prescription of `protocol` (its id and version), written and starting `today`.

    With `overrides`, every exercise of the protocol has an override entry holding the
    protocol's dosage, for the therapist to change or delete. The protocol's outcome measures
    (none when it names none) and a goal have their fields to fill in. The patient has both a
    date of birth and an identifier to fill in: the schema needs one of them; a placeholder date
    is reported as a placeholder, not as a badly written date.
    """
    day = (today or dt.date.today()).isoformat()
    document: dict[str, Any] = {
        "$schema": KIND_BY_NAME["prescription"].uri,
        "protocol": {"id": protocol.id, "version": protocol.version},
        "patient": {
            "name": f"{TODO} {PATIENT_NAME}",
            "date_of_birth": f"{TODO} YYYY-MM-DD (or delete this line and keep the identifier)",
            "identifier": f"{TODO} {PATIENT_NUMBER}",
        },
        "therapist": {
            "name": f"{TODO} {THERAPIST_NAME}",
            "credentials": f"{TODO} {THERAPIST_CREDENTIALS}",
        },
        "date": day,
        "start_date": day,
        "notes": [],
        "overrides": [],
    }
    if protocol.screening:
        document["screening"] = {
            q.id: f"{TODO} yes or no: {q.question.get(protocol.language)}"
            for q in protocol.screening
        }
    document["goals"] = [{"text": f"{TODO} {GOAL_TEXT}", "by": f"{TODO} {GOAL_BY}"}]
    # Only the outcome measures the protocol follows: for one that names none, the template
    # chose NPRS, three TODOs (baseline, target, re-test) for a measure nobody chose; the
    # message says how to add one.
    if protocol.measures:
        document["measures"] = [_measure_template(code) for code in protocol.measures]
    if overrides:
        document["overrides"] = [
            {"exercise": exercise.id, "dosage": dosage_of(exercise), "reason": OVERRIDE_REASON}
            for exercise in protocol.exercises
        ]
    return document


def dosage_of(exercise: Exercise) -> dict[str, Any]:
    """The exercise's dosage in the protocol, as an override writes it (to change)."""
    return {k: _number(v) for k, v in exercise.dosage.fields().items()}


def _measure_template(code: str) -> dict[str, Any]:
    """A measure's fields to fill in, its range named (protokit measures lists them all).

    The baseline has no date: left out, it is the prescription's date (the schema's rule),
    the visit the new prescription is written at; a TODO there only asked to delete it."""
    from protocol_kit.prescribing.measures import standard_measures

    measure = standard_measures().get(code)
    scale = f" ({measure.low:g} to {measure.high:g})" if measure else ""
    baseline = {"value": f"{TODO} the score today{scale}"}
    if measure is not None and measure.subscore:
        sub = measure.subscore
        baseline["subscore"] = f"{TODO} the {sub['name']} ({sub['min']} to {sub['max']})"
    return {
        "measure": code,
        "baseline": baseline,
        "target": {"value": f"{TODO} the score aimed for{scale}"},
        "retests": [f"{TODO} YYYY-MM-DD inside the programme"],
    }


def _number(value: Any) -> Any:
    """45.0 written as 45, as a therapist would write it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# `protokit init`'s protokit.toml: the clinic profile every sheet needs, each value a TODO that
# the configuration check refuses until it is replaced (`config._PLACEHOLDER`), so that no
# sheet is printed with "TODO" where the clinic's number belongs. No number is suggested: an
# emergency number is never guessed from a country.
CLINIC_CONFIG = """\
# protocol-kit's settings for this folder, written by `protokit init` (docs/configuration.md).
# Replace every TODO below with your clinic's own details, keeping the quotes: every patient
# sheet prints them, and until they are filled in protokit checks, prints and serves nothing
# in this folder (new writes drafts; bundle verify and import check a bundle you were sent).

[clinic]
name = "TODO: your clinic's name, as patients know it"
address = ["TODO: the first line of the address", "TODO: the town and postcode"]
# The clinic's number, on every sheet: the patient calls it to stop an exercise or with a
# question. A therapist's own number (a direct line) goes in each prescription instead
# (protokit new prescription --phone, or Telephone in the workbench's form).
phone = "TODO: the clinic's telephone number, for example 0113 496 0000"
email = "TODO: the clinic's e-mail address"
# The number to call in an emergency where your patients live (999 in the UK, 112 in most
# of Europe, 911 in North America).
emergency_number = "TODO: the emergency number"
# The number to call for a doctor the same day when the patient cannot see their own:
# the number only, as it is dialled ("111" for NHS 111 in England; a note may follow it).
urgent_number = "TODO: the urgent medical line's number"
"""
