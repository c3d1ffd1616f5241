from __future__ import annotations

from collections.abc import Iterable, Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    exercise_pointer,
    in_library,
    kept_answer,
    library_place,
    part_answer,
)
from protocol_kit.lint.rules._codings import AgainstIndications, indications_number, treated
from protocol_kit.lint.rules._conditions import condition_names, known_condition, names
from protocol_kit.lint.rules.placeholder import todo_in
from protocol_kit.model import Coding, Contraindication, Exercise, Protocol


class ContraindicatedIndication(AgainstIndications):
    """An exercise, or the programme itself, is contraindicated for a condition the protocol is
    indicated for.

    The most important rule of the toolkit: a patient given this protocol has, by definition,
    the condition it treats, so every patient would receive an exercise that must not be used
    for them. Codes match when they are the same, or when one ICD-10-CM code contains the other
    (a contraindication `M54` covers an indication `M54.50`). A contraindication that is not
    coded is matched by the condition its description names against the indications'
    displays: a condition of `condition_words.json` ("Pregnancy: ...", "Thin bones ...", in
    its words or the other words for it) named anywhere in a display, such as a back pain
    template's "Pregnancy" kept on a protocol for pelvic girdle pain coded "Other specified
    pregnancy related conditions" (H865); any other name only when it is the display's whole
    condition ("Low back pain: ..." for "Low back pain, unspecified"), so that "A knee that
    is hot, red and swollen" is no clash with "Pain in right knee". Code the
    contraindications where you can: a name is compared only as a whole.

    Bad:

        "indications": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50", ...}],
        "exercises": [{"id": "toe-touch", ...,
          "contraindications": [{"coding": {"system": "http://hl7.org/fhir/sid/icd-10-cm",
             "code": "M54.5", "display": "Low back pain"}, "description": "..."}]}]

    Good: remove the exercise, or the programme's indication, so that the two never meet; an
    exercise that needs care rather than avoidance is a precaution with a `management` note.
    """

    code = "SAFE001"
    name = "contraindicated-indication"
    default_severity = Severity.ERROR
    summary = "an exercise is contraindicated for a condition the protocol treats"
    ignorable = False  # keeps the patient safe: never turned off

    # The programme's contraindications, then each exercise's, against the indications
    # (`AgainstIndications`: called for every file, its own look-ups of the part and of each
    # exercise were as much as the rule cost a first run).
    conditions = "contraindications"

    def outside(self, protocol: Protocol, context: Context) -> Iterable[Problem]:
        return part_answer(protocol, context, self.code, _part_problems, protocol)

    def exercise_problems(
        self, protocol: Protocol, exercise: Exercise, context: Context
    ) -> Iterable[Problem]:
        return _exercise_problems(protocol, exercise, context)


def _exercise_problems(
    protocol: Protocol, exercise: Exercise, context: Context
) -> Iterator[Problem]:
    """The problems of one exercise's contraindications against the protocol's indications."""
    for item in exercise.contraindications:
        named = _named_indication(protocol, item, context)
        if named:
            phrase, indication = named
            pointer = (
                exercise_pointer(exercise)
                if exercise.library
                else item.origin.child("description").pointer
            )
            yield Problem(
                pointer,
                f"exercise '{exercise.id}'{in_library(exercise)} is contraindicated for "
                f"{shown(phrase)}, which this protocol treats ({indication.code}, "
                f"{indication.display}): remove the exercise from the protocol",
                in_library=library_place(exercise, item.origin.child("description").pointer),
            )
        indication = item.coding and treated(protocol, item.coding)
        if not indication:
            continue
        pointer = exercise_pointer(exercise) if exercise.library else item.coding.origin.pointer
        yield Problem(
            pointer,
            f"exercise '{exercise.id}'{in_library(exercise)} is contraindicated for "
            f"{item.coding.code} ({item.coding.display}), which this protocol treats "
            f"({indication.code}): remove the exercise from the protocol",
            in_library=library_place(exercise, item.coding.origin.pointer),
        )


def _part_problems(protocol: Protocol) -> tuple[Problem, ...]:
    """The problems of the protocol's own contraindications."""
    return tuple(_safety_problems(protocol))


def _safety_problems(protocol: Protocol) -> Iterator[Problem]:
    for item in protocol.safety.contraindications:
        indication = item.coding and treated(protocol, item.coding)
        if indication:
            yield Problem(
                item.coding.origin.pointer,
                f"the programme is contraindicated for {item.coding.code} but indicated for "
                f"{indication.code} ({indication.display}): remove one of them",
            )
        named = _named_in(protocol, item)
        if named:
            phrase, indication = named
            yield Problem(
                item.origin.child("description").pointer,
                f"the programme is contraindicated for {shown(phrase)} but indicated for "
                f"{indication.code} ({indication.display}): remove one of them",
            )


def _named_indication(
    protocol: Protocol, item: Contraindication, context: Context
) -> tuple[str, Coding] | None:
    """`_named_in`, kept for the run by the contraindication's description in a table for
    the protocol's indications (whose number is kept with its shared part): a clinic's
    exercises name the same few conditions in every file."""
    if item.coding is not None:
        return None  # a coded one: its code is compared
    indications = indications_number(protocol, context)
    return kept_answer(
        context.memo, ("SAFE001-named", indications), item.description, _named_in, protocol, item
    )


def _named_in(protocol: Protocol, item: Contraindication) -> tuple[str, Coding] | None:
    """The condition an uncoded contraindication names, and the indication whose display
    names it too; None for a coded one (its code is compared)."""
    if item.coding is not None or todo_in(item.description):
        return None  # a TODO is TEXT003's: `protokit new` writes one in both places
    for phrase in sorted(condition_names(item.description)):
        for indication in protocol.indications:
            if todo_in(indication.display) or not names(indication.display, phrase):
                continue
            # A listed condition named anywhere in the display ("pregnancy" in "Other specified
            # pregnancy related conditions"), any other name only as the display's whole
            # condition ("low back pain" for "Low back pain, unspecified"): "A knee that is
            # hot, red and swollen" names a knee, not the "Pain in right knee" treated.
            if known_condition(phrase) or phrase == _condition_of(indication.display):
                return phrase, indication
    return None


def _condition_of(display: str) -> str:
    """The display's condition as `condition_names` would give it: before its qualifier."""
    return " ".join(display.split(",")[0].split()).casefold()
