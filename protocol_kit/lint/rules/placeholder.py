from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    in_library_at,
    library_text_matches,
    text_check,
)
from protocol_kit.loading import iter_strings
from protocol_kit.model import Protocol
from protocol_kit.patterns import compiled
from protocol_kit.templates import TODO_WORD


def todo_in(value: str) -> re.Match[str] | None:
    """`TODO_WORD`'s first match in `value`, or None. The letters first (H734): the search for
    `\\bTODO\\b` is tried at every character (its `\\b` first: no quick scan for the word),
    and a text without "TODO", nearly every text, holds no match of it."""
    return TODO_WORD.search(value) if "TODO" in value else None


# For the shared pass over the file's texts (`library_text_matches`).
_TODO = text_check(lambda value, language: todo_in(value))
# Whether the file's text holds the letters at all (a walk of its strings only then): the
# engine's search for a fixed string, which costs about 60 % of `"TODO" in text` (issue 17).
_TODO_LETTERS = compiled("TODO")


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
        yield from self.check_unbuilt(context)
        for exercise, text, value, _ in library_text_matches(protocol, TODO_WORD, context, _TODO):
            yield Problem(
                exercise_pointer(exercise),
                f"placeholder left{in_library_at(exercise, text.origin.pointer)}: "
                f"{shown(value)}: write the real text",
                library=exercise.library.path if exercise.library else None,
            )

    def check_unbuilt(self, context: Context) -> Iterator[Problem]:
        if not context.source or _TODO_LETTERS.search(context.source):
            for pointer, value in iter_strings(context.data):
                if TODO_WORD.search(value):
                    yield Problem(pointer, f"placeholder left: {shown(value)}: write the real text")
