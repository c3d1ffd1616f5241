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
    texts_may_hold,
)
from protocol_kit.lint.placeholders import SEARCHER, placeholder_in, source_may_hold
from protocol_kit.loading import iter_strings
from protocol_kit.model import Protocol
from protocol_kit.templates import TODO_WORD


def todo_in(value: str) -> re.Match[str] | None:
    """`TODO_WORD`'s first match in `value`, or None. The letters first (H734): the search for
    `\\bTODO\\b` is tried at every character (its `\\b` first: no quick scan for the word),
    and a text without "TODO", nearly every text, holds no match of it."""
    return TODO_WORD.search(value) if "TODO" in value else None


# For the shared pass over the file's texts (`library_text_matches`): any placeholder of the
# vocabulary TEXT003 and RX003 share (`protocol_kit.lint.placeholders`), not "TODO" alone.
# The vocabulary holds no digit (tests/lint/test_title_shapes.py): a digit counts only as a
# character that is not a letter, a space or a bracket.
_PLACEHOLDER = text_check(lambda value, language: placeholder_in(value), digits=())


class Placeholder(Rule):
    """A placeholder left in the protocol: a `TODO`, or what a therapist types to fill in later.

    `protokit new` writes every field a protocol needs, marked `TODO:` so that nothing is
    forgotten; a therapist leaves "TBC", "xx", "[insert number]", "___" or "..." for the same
    purpose. A placeholder that reaches a patient's sheet ("TODO: when to stop", "Hold for xx
    seconds") leaves the patient without the instruction. Every text the patient reads is
    checked, and the texts of the library exercises the protocol uses; the file's other
    strings (names, clinician notes) for a `TODO`, and for the rest of the vocabulary when the
    file holds a placeholder elsewhere. The vocabulary is shared with the prescriptions' RX003
    (`lint/data/placeholders.json`): words in capitals ("TBC", not "Tbc", tuberculosis in
    German; "TODO", not Spanish "todo"), and an ellipsis only where it is the whole text or in
    brackets, never between words.

    Bad:

        "stop_criteria": ["TODO: when to stop a session"]
        "intensity": "Hold for xx seconds"

    Good:

        "stop_criteria": ["Sharp pain, or pain spreading down your leg."]
    """

    code = "TEXT003"
    name = "placeholder"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a placeholder (TODO, TBC, xx, [insert ...]) is left in the protocol"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        yield from self.check_unbuilt(context, protocol)
        found = library_text_matches(protocol, SEARCHER, context, _PLACEHOLDER)
        for exercise, text, value, _ in found:
            yield Problem(
                exercise_pointer(exercise),
                f"placeholder left{in_library_at(exercise, text.origin.pointer)}: "
                f"{shown(value)}: write the real text",
                library=exercise.library.path if exercise.library else None,
            )

    def check_unbuilt(
        self, context: Context, protocol: Protocol | None = None
    ) -> Iterator[Problem]:
        """Every string of the file (a file the lint could not build, `protocol` None: they
        are few); of a built one, only when a patient's text may hold a placeholder (the
        lint's shared pass, each text's verdict kept for the run) or its JSON text holds
        "TODO" (`placeholders.source_may_hold`: a name or a clinician's note is looked at
        for the whole vocabulary only then)."""
        if (
            protocol is None
            or not context.source
            or source_may_hold(context.source)
            or texts_may_hold(protocol, context, _PLACEHOLDER)
        ):
            for pointer, value in iter_strings(context.data):
                if placeholder_in(value):
                    yield Problem(pointer, f"placeholder left: {shown(value)}: write the real text")
