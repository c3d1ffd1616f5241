from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    library_where,
)
from protocol_kit.model import Exercise, Protocol, Text
from protocol_kit.package_data import read_json
from protocol_kit.patterns import compiled
from protocol_kit.untrusted.text import quoted


class SafetyInTips(Rule):
    """A safety statement written as a tip or in the harder version.

    Tips (`cues`) print after the steps, once the patient is already doing the exercise, and
    the harder version (`progression`) is printed on the clinician's copy only: a statement
    that keeps the patient safe there ("never on bone", "if you feel numbness or tingling,
    move the ball", "aim for a gentle pull, never pain") is read too late or not at all. It
    belongs in `precautions`, whose `patient_advice` prints under "Take care", before the
    steps (docs/format.md). The words are data (`lint/data/safety_statements.json`), English
    for now.

    Bad:

        "cues": ["Stay on the soft muscle, never on bone such as your hip bone."]

    Good:

        "precautions": [{"description": "The ball pressed on bone instead of muscle.",
                         "management": "Show where the ball goes at the first appointment.",
                         "patient_advice": "Stay on the soft muscle, never on bone such as
                                            your hip bone."}]
    """

    code = "TEXT005"
    name = "safety-in-tips"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a tip or the harder version holds a safety statement: it belongs in 'Take care'"

    exercise_part = True  # reads the exercise alone
    about_texts = True  # of the dosage, the intensity text alone (`exercises_text_key`)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        # Each exercise's answer is kept for the run (see `exercise_key`).
        return self.kept_about(
            protocol,
            context,
            index,
            _problems,
            dosage=False,  # reads the tips and the harder version
        )


def _problems(exercise: Exercise) -> Iterator[Problem]:
    source = exercise.library
    for part, text, language, words in _statements(exercise):
        if source is not None:
            where, place = library_where(exercise, text.origin.pointer)
            pointer = exercise_pointer(exercise)
        else:
            where, pointer, place = "", text.origin.pointer, None
            if len(text.values) > 1:
                pointer = f"{pointer}/{language}"
        yield Problem(
            pointer,
            f"{part} says {quoted(words)}, a safety statement{where}: move it to the "
            "exercise's precautions (its patient_advice prints under 'Take care', "
            "before the steps)",
            in_library=place,
        )


def _statements(exercise: Exercise) -> Iterator[tuple[str, Text, str, str]]:
    """(which part, text, language, the words) for every safety statement in a tip or the
    harder version of `exercise`."""
    parts: list[tuple[str, Text]] = [("a tip", cue) for cue in exercise.cues]
    if exercise.progression is not None:
        parts.append(("the harder version", exercise.progression))
    patterns = _patterns()
    for part, text in parts:
        for language, value in text.values.items():
            pattern = patterns.get(language.split("-")[0].lower())
            found = pattern.search(value) if pattern is not None else None
            if found:
                yield part, text, language, found.group(0)


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    data = read_json("protocol_kit.lint", "data/safety_statements.json")
    return {
        language: compiled("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)
        for language, phrases in data.items()
        if language != "description"
    }
