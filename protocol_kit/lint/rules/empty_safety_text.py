from __future__ import annotations

import functools
from collections.abc import Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.findings import LibraryPlace, Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    library_where,
    remembered,
)
from protocol_kit.lint.rules._red_flags import stop_box_key
from protocol_kit.model import Exercise, Precaution, Protocol, Text
from protocol_kit.package_data import read_json


class EmptySafetyText(Rule):
    """A red flag, stop criterion or precaution's advice that tells the patient nothing.

    The schema requires at least one red flag and one stop criterion, and forbids empty
    strings; it cannot tell that "-", "none" or "n/a" says nothing. These lines are what a
    patient alone at home reads to know when to stop and when to seek help, so each must be a
    real instruction of at least two words, in every language of the protocol. A
    precaution's `patient_advice` is printed under "Take care" before the steps: "n/a" there
    is printed as the advice (H467); leave the field out when there is none. The phrases that
    say nothing are data (`protocol_kit/lint/data/says_nothing.json`).

    Bad:

        "stop_criteria": ["n/a"]

    Good:

        "stop_criteria": ["Sharp pain, or pain spreading down your leg."]
    """

    code = "SAFE003"
    name = "empty-safety-text"
    default_severity = Severity.ERROR
    summary = "a red flag, stop criterion or precaution's advice says nothing to act on"
    ignorable = False  # keeps the patient safe: never turned off

    exercise_part = True  # of an exercise, reads its precautions alone
    about_texts = True
    outside_part = True  # `outside`: the red flags, stop criteria and precautions

    def outside(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Red flags and stop criteria repeat across a clinic's protocols: the answer is kept
        # for the run by what they say (their places follow from their order).
        yield from remembered(
            context,
            (self.code, stop_box_key(protocol, context)),
            lambda: self._check(protocol, context),
        )
        # A precaution's advice: the protocol's own here, each exercise's in `about_exercise`.
        for item in protocol.safety.precautions:
            yield from _advice_problems(item, "", None)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        # Kept per exercise for the run as the other exercise rules keep theirs (issue 17).
        return self.kept_about(
            protocol,
            context,
            index,
            _exercise_advice,
            key=("advice",),
            dosage=False,  # reads the precautions alone
        )

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        safety = protocol.safety
        texts = [("red flag", flag.text) for flag in safety.red_flags]
        texts += [("stop criterion", text) for text in safety.stop_criteria]
        for kind, text in texts:
            yield from _empty(kind, text)


def _exercise_advice(exercise: Exercise) -> Iterator[Problem]:
    """An exercise's precaution advice that says nothing (for a library exercise, at its
    entry, naming the file)."""
    for item in exercise.precautions:
        where = f" of exercise '{exercise.id}'"
        at, place = None, None
        if exercise.library is not None and item.patient_advice is not None:
            said, place = library_where(exercise, item.patient_advice.origin.pointer)
            where += said
            at = exercise_pointer(exercise)
        yield from _advice_problems(item, where, at, place)


def _advice_problems(
    item: Precaution, where: str, at: str | None, place: LibraryPlace | None = None
) -> Iterator[Problem]:
    advice = item.patient_advice
    if advice is None or not any(says_nothing(v) for v in advice.values.values()):
        return  # nearly every advice says something: no message worked out
    fix = "write what the patient should do, or leave 'patient_advice' out"
    for problem in _empty(f"precaution's advice{where}", advice, fix):
        yield problem if at is None else Problem(at, problem.message, in_library=place)


def _empty(
    kind: str, text: Text, fix: str = "write what to look out for and what to do"
) -> Iterator[Problem]:
    for language, value in text.values.items():
        if says_nothing(value):  # kept per text: red flags and stop criteria repeat
            pointer = text.origin.pointer
            if len(text.values) > 1:  # written as an object: point at the language's entry
                pointer = f"{pointer}/{language}"
            yield Problem(
                pointer,
                f"this {kind} ({language}) says nothing the patient can act on: "
                f"{shown(value)}; {fix}",
            )


@text_cache()
def says_nothing(value: str) -> bool:
    """Whether a safety text says nothing to act on: fewer than two words, or "n/a", "-",
    "none" and the like. Kept per text for the run: SAFE002 asks it of every precaution's
    management note, which recurs in most of a clinic's files (issue 17)."""
    return _words_with_letters(value) < 2 or value.strip().lower().rstrip(".") in _nothing()


@functools.lru_cache(maxsize=1)
def _nothing() -> frozenset[str]:
    """The phrases that say nothing (`data/says_nothing.json`), compared in lower case and
    without a final full stop, as `says_nothing` reads a text."""
    data = read_json("protocol_kit.lint", "data/says_nothing.json")
    return frozenset(phrase.lower().rstrip(".") for phrase in data["en"])


def _words_with_letters(value: str) -> int:
    """How many words have a letter in them, counting no further than two."""
    count = 0
    for word in value.split():
        if any(character.isalpha() for character in word):
            count += 1
            if count == 2:
                break
    return count
