from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    in_library,
    library_place,
    token,
)
from protocol_kit.lint.rules._conditions import condition_names, names
from protocol_kit.model import Exercise, Protocol
from protocol_kit.patterns import compiled

_SENTENCE = compiled(r"(?<=[.!?;])\s+")
# A sentence that keeps these patients away from an exercise does not plan for them to do it.
_LEFT_OUT = compiled(
    r"\b(leaves?|left|leaving) (it |this |the [\w -]{1,40})?out\b|\bomit|\bskips?\b"
    r"|\bdoes not do\b|\bdo not do\b|\binstead of\b|\bnot (be )?given\b",
    re.IGNORECASE,
)
# Where a protocol says whom it is for and how each patient starts.
POPULATION_FIELDS = ("starting_level", "tailoring", "progression_rule")


class ContraindicatedPopulation(Rule):
    """An exercise is contraindicated for a condition that the protocol itself plans for.

    When the starting rule says "a patient with poor balance starts the lunge holding the
    chair with both hands" and the lunge is contraindicated for poor balance, the protocol
    prescribes the exercise to exactly the patients who must not do it. The rule compares each
    exercise's contraindications with the protocol's summary, starting rule, tailoring and
    progression rule, by the condition's name (the contraindication's first clause) or other
    words for it (`protocol_kit/lint/data/condition_words.json`: "unsteady on their feet" or
    "a history of falls" for poor balance). A coded
    condition the protocol lists as a precaution is SAFE010's.

    Bad:

        "starting_level": "A patient with poor balance starts the lunge without the side bend.",
        with the lunge's contraindication "Poor balance: cannot step backwards safely..."

    Good: leave the exercise out for those patients ("A patient with poor balance leaves out
    the lunge and does the kneeling stretch instead"), or make the condition a precaution of
    the exercise with a `management` note if it can be done safely with changes.
    """

    code = "SAFE009"
    name = "contraindicated-population"
    default_severity = Severity.ERROR
    summary = "an exercise is contraindicated for a condition the starting rule or population names"
    ignorable = False  # keeps the patient safe: never turned off

    # Of an exercise, reads its contraindications, and of the rest of the protocol the texts
    # that say whom it plans for (`around`).
    exercise_part = True
    about_texts = True

    def around(
        self, protocol: Protocol, context: Context
    ) -> tuple[tuple[str | None, ...], str | None]:
        """The population texts: the delivery's and the summary in the protocol's language."""
        delivery = protocol.delivery
        population = tuple(getattr(delivery, f) for f in POPULATION_FIELDS)
        return population, protocol.summary.values.get(protocol.language)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        if not exercise.contraindications:
            return []
        population, summary = self.around(protocol, context)
        # Each exercise is judged on its own against the population texts: one answer per
        # run for each exercise (its content, `exercise_key`; moved to its place) and those texts,
        # whatever other exercises the file combines it with. The texts as one number
        # (`token`); gathered only for an exercise not judged before.
        return self.kept_about(
            protocol,
            context,
            index,
            lambda exercise: self._check(exercise, _texts(population, summary)),
            key=(token(context, (population, summary)),),
            dosage=False,  # reads the contraindications alone
        )

    def _check(self, exercise: Exercise, texts: list[tuple[str, str]]) -> Iterator[Problem]:
        for item in exercise.contraindications:
            pointer = exercise_pointer(exercise) if exercise.library else item.origin.pointer
            found = [
                (where, phrase)
                for phrase in sorted(condition_names(item.description))
                for where, text in texts
                if names(text, phrase)  # cheap test first: most texts name nothing
                for sentence in _sentences(text)
                if names(sentence, phrase) and not _LEFT_OUT.search(sentence)
            ]
            if found:
                where, phrase = found[0]
                yield Problem(
                    pointer,
                    f"exercise '{exercise.id}'{in_library(exercise)} is contraindicated for "
                    f"{shown(phrase)}, but {where} plans for patients with it: leave the "
                    "exercise out for them, or make the condition a precaution with a "
                    "management note",
                    in_library=library_place(exercise, item.origin.pointer),
                )


def _texts(population: tuple[str | None, ...], summary: str | None) -> list[tuple[str, str]]:
    """(where, text) of each population text the protocol has, and its summary."""
    named = zip((f"delivery.{f}" for f in POPULATION_FIELDS), population, strict=True)
    return [(where, text) for where, text in (*named, ("summary", summary)) if text]


@text_cache(maxsize=1024)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(_SENTENCE.split(text))
