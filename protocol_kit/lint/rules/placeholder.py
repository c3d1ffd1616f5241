from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from protocol_kit.findings import Severity, shown
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    any_kept,
    digit_shape,
    exercise_pointer,
    exercises_key,
    kept_answer,
    library_notes_found,
    library_notes_of,
    library_text_matches,
    library_where,
    part_answer,
    text_check,
    texts_may_hold,
)
from protocol_kit.lint.placeholders import SEARCHER, placeholder_in
from protocol_kit.loading import iter_strings
from protocol_kit.model import OWN_FIELDS, Exercise, Protocol
from protocol_kit.templates import TODO_WORD

if TYPE_CHECKING:
    from typing import Any


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
    checked, and the texts of the library exercises the protocol uses, and every other string
    of the file (names, references, clinician notes such as the delivery's; a sign-off that
    names nobody is GOV008's, a precaution's management note that says nothing SAFE002's). The
    vocabulary is shared with the prescriptions' RX003 (`lint/data/placeholders.json`): words
    in capitals ("TBC", not "Tbc", tuberculosis in German; "TODO", not Spanish "todo"), and an
    ellipsis only where it is the whole text or in brackets, never between words.

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

    # What it finds is in a string of one of the file's places, each asked once a run with
    # the other rules asked by place (`Rule.asked_by_place`), as `check_unbuilt` and the
    # library's texts and notes below ask it: a patient text (the shared pass), the file's
    # id, its shared part as written, an exercise's entry as written, a library exercise's
    # notes.
    asked_by_place = True
    may_find_in_texts = _PLACEHOLDER

    def may_find_in_own(self, protocol: Protocol, context: Context) -> bool:
        data = context.data
        if not context.source:
            return True
        # Asked for every file: `in`, not calls of `get`.
        if "id" in data and type(data["id"]) is str and _id_holds(data["id"], context.memo):
            return True
        if "exercises" not in data:
            return True
        entries = data["exercises"]
        return type(entries) is not list or len(entries) != len(protocol.exercises)

    def may_find_in_part(self, protocol: Protocol, context: Context) -> bool:
        return _part_holds(context.data, context.memo)

    def may_find_in_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> bool:
        entries = context.data.get("exercises")
        if type(entries) is not list or index >= len(entries):
            return True  # the file's own answer is True (`may_find_in_own`)
        if _any_string_holds(entries[index], context.memo):
            return True
        return exercise.library is not None and bool(
            library_notes_of(exercise, context, _LIBRARY_NOTES, _holds)
        )

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        yield from self.check_unbuilt(context, protocol)
        found = library_text_matches(protocol, SEARCHER, context, _PLACEHOLDER)
        for exercise, text, value, _ in found:
            yield _left_in_library(exercise, text.origin.pointer, value)
        for exercise, pointer, value in library_notes_found(
            protocol, context, _LIBRARY_NOTES, _holds
        ):
            yield _left_in_library(exercise, pointer, value)

    def check_unbuilt(
        self, context: Context, protocol: Protocol | None = None
    ) -> Iterator[Problem]:
        """Every string of the file, when one may hold a placeholder: any, of a file the lint
        could not build (`protocol` None: they are few); of a built one, when a patient's text
        may hold one (the lint's shared pass, each text's verdict kept for the run) or another
        string does (`_elsewhere_may_hold`: the whole vocabulary in every string, a name and a
        clinician's note as much as a step). Between them they ask of every string of the file
        what the loop below asks, so a file they pass holds no placeholder: its JSON text is
        not searched for "TODO" first (issue 17, twenty-fifth sitting: that search of each
        file's whole text, 14 KB on copies of the examples, found only what they find).

        A file the lint could not build is asked first whether any of its strings holds one,
        each string's verdict kept for the run (`_any_string_holds`, the table the built
        files' new parts and exercises fill): such a file is most often a copy of others with
        one mistake, whose strings the run has judged already, and one holding no placeholder
        (most) is not walked again for its places (issue 17, thirty-second sitting: every
        string of every such file searched, and given its JSON pointer, was a twentieth of a
        first run's lint)."""
        if protocol is None:
            may_hold = _any_string_holds(context.data, context.memo)
        else:
            may_hold = (
                not context.source
                or texts_may_hold(protocol, context, _PLACEHOLDER)
                or _elsewhere_may_hold(protocol, context)
            )
        if may_hold:
            for pointer, value in iter_strings(context.data):
                if placeholder_in(value):
                    yield Problem(pointer, f"placeholder left: {shown(value)}: write the real text")


def _elsewhere_may_hold(protocol: Protocol, context: Context) -> bool:
    """Whether any string of the file may hold a placeholder of the vocabulary, a patient's
    text or not: "TBC" in a clinician's text or "[insert ...]" in a reference was found only
    in a file that also held a `TODO` (H958).

    Looking at every string of every file each time cost the lint of a corpus of copies a
    sixth more (issue 17), so each answer is kept with what it is about. The file's shared
    part (all but its id, title and exercises: `model.OWN_FIELDS`) is, as written, one part
    for every file that has the same (`shared_parts`): its answer is kept with the part
    (`part_answer`). Each exercise's entry is kept under the exercise's number
    (`exercises_key`: a library exercise's reference as written, an exercise written in the
    protocol by its data as written), which the lint works out once a file for its rules. The
    title is a patient's text (the shared pass); the id is looked at each time. The sign-off
    and the precautions' management notes are looked at too: they were left to GOV008 and
    SAFE002, which judge a whole value ("x", "n/a"), so "Dr [insert name]" in a sign-off, or
    "TBC" in the management note of a condition the protocol does not treat, was found only in
    a file that held a placeholder elsewhere (H989)."""
    data = context.data
    memo = context.memo
    if type(data.get("id")) is str and _id_holds(data["id"], memo):
        return True
    if part_answer(protocol, context, _PART_ANSWER, _part_holds, data, memo):
        return True
    entries = data.get("exercises")
    if type(entries) is not list or len(entries) != len(protocol.exercises):
        return _any_string_holds(entries, memo)
    numbers = exercises_key(protocol, context)
    return any_kept(
        memo,
        _ENTRY_ANSWERS,
        zip(numbers, entries, strict=True),
        lambda entry: _any_string_holds(entry, memo),
    )


_PART_ANSWER = "TEXT003-part"
# The verdicts of ids' shapes (`_id_holds`), kept for the run.
_ID_SHAPES = ("TEXT003-id-shapes",)
_ENTRY_ANSWERS = ("TEXT003-entries",)
# Each string's verdict, kept for the run: most strings of a new part or exercise (a
# clinic's name, its references, an exercise's media) are in other files' too.
_VERDICTS = ("TEXT003-verdicts",)
# Where the placeholders in each library file's notes are kept (`library_notes_of`).
_LIBRARY_NOTES = "TEXT003-library-notes"


def _part_holds(data: Mapping[str, Any], memo: Any) -> bool:
    return _any_string_holds([v for k, v in data.items() if k not in OWN_FIELDS], memo)


def _any_string_holds(value: Any, memo: Any) -> bool:
    """Whether a string in `value` (parsed JSON) holds a placeholder."""
    found = _strings(value, [])
    return any_kept(memo, _VERDICTS, zip(found, found, strict=True), _holds)


def _strings(value: Any, found: list[str]) -> list[str]:
    """The strings in `value` (parsed JSON), added to `found`."""
    kind = type(value)
    if kind is str:
        found.append(value)
    elif kind is list:
        for item in value:
            _strings(item, found)
    elif kind is dict:
        for item in value.values():
            _strings(item, found)
    return found


def _id_holds(value: str, memo: Any) -> bool:
    """`_holds(value)` of a file's id. An id names one file, but a clinic's ids often differ by
    a number alone ("back-basics-00017"): the verdict of the id's shape, each ASCII digit
    written 0 (`digit_shape`), is kept for the run, and an id whose shape holds no
    placeholder holds none either (the vocabulary holds no digit, and a digit and a 0 are
    alike to each of its patterns: both a word's character, neither a letter of it;
    tests/lint/test_title_shapes.py). Only an id whose shape holds one is read itself (issue
    17, twenty-fifth sitting: the vocabulary's search of each file's id, about 5 µs)."""
    shape = digit_shape(value)
    if shape != value and not kept_answer(memo, _ID_SHAPES, shape, _holds, shape):
        return False
    return _holds(value)


def _holds(value: str) -> bool:
    return placeholder_in(value) is not None


def _left_in_library(exercise: Exercise, pointer: str, value: str) -> Problem:
    """A placeholder left at `pointer` of a library exercise's file, at the protocol's
    reference to it."""
    where, place = library_where(exercise, pointer, shown(value))
    return Problem(
        exercise_pointer(exercise),
        f"placeholder left{where}: {shown(value)}: write the real text",
        library=exercise.library.path if exercise.library else None,
        in_library=place,
    )
