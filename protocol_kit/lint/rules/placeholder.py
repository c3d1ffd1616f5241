from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule, in_library_at, iter_strings
from protocol_kit.model import Exercise, Protocol, iter_exercise_texts

TODO = re.compile(r"\bTODO\b")


class Placeholder(Rule):
    """A `TODO` left in the protocol.

    `protokit new` writes every field a protocol needs, marked `TODO:` so that nothing is
    forgotten. A placeholder that reaches a patient's sheet ("TODO: when to stop") leaves the
    patient without the instruction. Every string of the file is checked, clinician notes
    included, and the texts of the library exercises it uses.

    Bad:

        "stop_criteria": ["TODO: when to stop a session"]

    Good:

        "stop_criteria": ["Sharp pain, or pain spreading down your leg."]
    """

    code = "TEXT003"
    name = "placeholder"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a TODO placeholder is left in the protocol"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if "TODO" in context.source or not context.source:
            for pointer, value in iter_strings(context.data):
                if TODO.search(value):
                    yield Problem(pointer, f"placeholder left: {shown(value)}: write the real text")
        for exercise in protocol.exercises:
            source = exercise.library
            if source is None or not _library_has_todo(exercise, context.memo):
                continue
            for text in iter_exercise_texts(exercise):
                for value in text.values.values():
                    if TODO.search(value):
                        yield Problem(
                            source.entry.pointer,
                            f"placeholder left{in_library_at(exercise, text.origin.pointer)}: "
                            f"{shown(value)}: write the real text",
                        )


def _library_has_todo(exercise: Exercise, memo: dict) -> bool:
    """Whether a library exercise's texts hold a TODO: worked out once per library file."""
    assert exercise.library is not None
    key = ("placeholder", exercise.library.path)
    if key not in memo:
        memo[key] = any(
            TODO.search(value)
            for text in iter_exercise_texts(exercise)
            for value in text.values.values()
        )
    return memo[key]
