from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol
from protocol_kit.suggestions import did_you_mean


class ScreeningLinks(Rule):
    """A screening question decides a condition the protocol does not have, or two share an id.

    A screening question is tied by id to the contraindications and precautions a yes brings
    into force (`decides`). An id that names nothing (often a typing mistake) means a yes
    changes nothing: the patient who answered yes gets the sheet of one who answered no. Two
    questions with the same id make it unclear which answer is meant. (One condition id may
    be used in several exercises: the same question decides them all.) A
    screened precaution without `patient_advice` prints nothing for the patient who answered
    yes.

    Bad:

        "screening": [{"id": "pregnant", "question": "Are you pregnant?",
                       "decides": ["pregnancy-lying-flat"]}]
        ... "precautions": [{"id": "pregnancy", "description": "...", ...}]

    Good:

        "screening": [{"id": "pregnant", "question": "Are you pregnant?",
                       "decides": ["pregnancy"]}]
    """

    code = "SAFE011"
    name = "screening-links"
    default_severity = Severity.ERROR
    summary = "a screening question decides no condition of the protocol, or two share an id"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not protocol.screening:
            # Every problem is a question's: a sheet without screening questions (most) has
            # none, and its conditions need not be gathered (issue 17, thirty-first sitting:
            # gathering every exercise's was a fortieth of a first run's lint calls).
            return
        conditions: dict[str, str] = {}  # id -> pointer of its first use
        advice: dict[str, bool] = {}
        items = [
            *protocol.safety.contraindications,
            *protocol.safety.precautions,
            *(c for e in protocol.exercises for c in e.contraindications),
            *(p for e in protocol.exercises for p in e.precautions),
        ]
        for item in items:
            if item.id is None:
                continue
            # One id may name the same condition in several exercises: one question decides
            # them all (a yes to "Are you pregnant?" brings in every exercise's precaution).
            conditions.setdefault(item.id, item.origin.pointer)
            advice[item.id] = advice.get(item.id, True) and (
                getattr(item, "patient_advice", True) is not None
            )
        seen: set[str] = set()
        for question in protocol.screening:
            at = question.origin.pointer
            if question.id in seen:
                yield Problem(f"{at}/id", f"screening question id '{question.id}' is used twice")
            seen.add(question.id)
            for index, target in enumerate(question.decides):
                if target not in conditions:
                    known = sorted(conditions)
                    yield Problem(
                        f"{at}/decides/{index}",
                        f"question '{question.id}' decides '{target}', but no contraindication "
                        f"or precaution of the protocol or its exercises has that id"
                        f"{did_you_mean(target, known)}"
                        + (f" (ids: {', '.join(known)})" if known else " (none has an id)"),
                    )
                elif not advice[target]:
                    yield Problem(
                        f"{at}/decides/{index}",
                        f"question '{question.id}' decides precaution '{target}', which has no "
                        "patient_advice: a yes would print nothing for the patient",
                    )
