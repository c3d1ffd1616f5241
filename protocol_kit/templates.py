"""Starting files for `protokit new`: schema-valid, with every required field present and
marked `TODO` so that nothing can be forgotten (the lint rule PLACEHOLDER flags any left)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from protocol_kit.model import ICD10CM
from protocol_kit.schemas import KIND_BY_NAME

TODO = "TODO:"


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


def new_exercise(exercise_id: str, language: str = "en-GB") -> dict[str, Any]:
    body = _exercise_body(exercise_id)
    return {
        "$schema": KIND_BY_NAME["exercise"].uri,
        "id": exercise_id,
        "version": "0.1.0",
        "language": language,
        **{k: v for k, v in body.items() if k != "id"},
    }


def new_protocol(protocol_id: str, language: str = "en-GB", today: dt.date | None = None) -> dict:
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
        "last_reviewed": today.isoformat(),
        "next_review": next_review.isoformat(),
        "licence": "CC-BY-4.0",
        "references": [],
        "indications": [
            {
                "system": ICD10CM,
                "code": "R69",
                "display": f"{TODO} the code and display text of the condition treated",
            }
        ],
        "safety": {
            "contraindications": [
                {"description": f"{TODO} a condition in which this programme must not be used"}
            ],
            "precautions": [],
            "red_flags": [
                {
                    "text": f"{TODO} a sign that means: stop and seek emergency care now",
                    "action": "emergency",
                }
            ],
            "stop_criteria": [
                f"{TODO} when to stop a session, for example sharp or spreading pain"
            ],
            "pain_guide": {
                "green_max": 3,
                "amber_max": 5,
                "green": f"{TODO} what to do with pain 0 to 3 (carry on)",
                "amber": f"{TODO} what to do with pain 4 to 5 (take care)",
                "red": f"{TODO} what to do with pain 6 to 10 (stop and call)",
            },
            "general_advice": [
                f"{TODO} advice for every session: warm up, move slowly, no bouncing"
            ],
        },
        "delivery": {
            "setting": ["home"],
            "supervision": "unsupervised",
            "format": "individual",
            "provider": {
                "profession": "physiotherapist",
                "qualifications": f"{TODO} who prescribes",
            },
            "programme_weeks": 6,
            "starting_level": f"{TODO} how each patient's starting dosage is chosen",
            "tailoring": f"{TODO} what is adjusted for each patient",
            "adherence": {
                "method": "exercise-diary",
                "description": f"{TODO} how sessions are recorded and reviewed",
            },
            "education": [f"{TODO} what the patient is told alongside the exercises"],
        },
        "exercises": [_exercise_body("first-exercise")],
    }
