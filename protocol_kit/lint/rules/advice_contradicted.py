from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
)
from protocol_kit.lint.rules._texts import text_place
from protocol_kit.model import Exercise, Protocol, Text
from protocol_kit.package_data import read_json
from protocol_kit.pattern_sets import PatternSet
from protocol_kit.patterns import compiled


class AdviceContradicted(Rule):
    """An exercise text tells the patient to do what the protocol's general advice forbids.

    The general advice prints once, under "Before you start"; the exercise's steps print on
    its card. "Never bounce into a stretch" there and "bounce gently at the end of the
    stretch" in a step, or "breathe normally" and "hold your breath as you lift", give the
    patient two instructions, and the one beside the exercise is the one followed. The
    instructions are data (`protocol_kit/lint/data/advice_contradictions.json`: bouncing,
    holding the breath, jerking into a movement), English only; a negated instruction ("do
    not bounce") agrees with the advice. The protocol's own advice is the authority: change
    the step, or the advice if the exercise is the exception. A precaution's advice to the
    patient, of the protocol or of the exercise itself, is read the same way (H528): "do not
    bend your hip beyond 90 degrees" under "Take care" and "bring your knee up to your chest"
    in the steps; "never bend forward from the waist" and "touch your toes"; "avoid twisting"
    and a twist; "do not cross your legs" and a leg crossed over the other.

    Bad:

        "general_advice": ["Move slowly and smoothly; never bounce into a stretch."],
        "steps": ["Bounce gently at the end of the stretch."]

    Good:

        "steps": ["Hold still at the end of the stretch."]
    """

    code = "TEXT006"
    name = "advice-contradicted"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "an exercise text tells the patient to do what the general advice forbids"

    # Of an exercise, reads its texts and precautions, and of the rest of the protocol what
    # its general advice and precautions forbid (`around`).
    exercise_part = True
    about_texts = True  # of the dosage, the intensity text alone (`exercises_text_key`)

    def around(
        self, protocol: Protocol, context: Context
    ) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
        """What the protocol's general advice and its precautions' advice forbid, and the
        precautions' advice texts among them."""
        # The same advice recurs in most files of a run: what it forbids is worked out once.
        advice = tuple(tuple(t.values.items()) for t in protocol.safety.general_advice)
        forbidden = _forbidden(advice)
        # A precaution's advice forbids as firmly, and is printed under "Take care" (H528).
        cared: frozenset[str] = frozenset()
        if protocol.safety.precautions:
            care = _forbidden(_taking_care(protocol.safety.precautions))
            forbidden += tuple(f for f in care if f[0] not in dict(forbidden))
            cared = frozenset(advice for _, advice in care)
        return forbidden, cared

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        forbidden, cared = self.around(protocol, context)
        # With nothing forbidden for the whole sheet, only exercises with precautions of
        # their own are read (most are not: the rule stays cheap, issue 17).
        if not forbidden and not exercise.precautions:
            return []
        return self.kept_about(
            protocol,
            context,
            index,
            lambda exercise: _problems(exercise, *_with_own(forbidden, cared, exercise)),
            key=(forbidden, cared),
            dosage=False,  # reads the texts, the intensity's among them
        )


@text_cache(maxsize=256)
def _forbidden(advice: tuple[tuple[tuple[str, str], ...], ...]) -> tuple[tuple[str, str], ...]:
    """(instruction id, the advice that forbids it) for each instruction the protocol's
    general advice (each text's (language, value) pairs) forbids."""
    found: dict[str, str] = {}
    for values in advice:
        for language, value in values:
            instructions, forbids, _ = _sets(language.split("-")[0])
            # Only the instructions whose words the advice holds are searched (`pattern_sets`).
            for i in forbids.may_match(value):
                instruction = instructions[i]
                if instruction.id not in found and instruction.forbids.search(value):
                    found[instruction.id] = value
    return tuple(found.items())


_CARE = "a precaution's advice"


def _taking_care(precautions) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The precautions' advice to the patient, as `_forbidden` reads it."""
    return tuple(tuple(p.patient_advice.values.items()) for p in precautions if p.patient_advice)


def _has_precautions(exercise: Exercise) -> bool:
    return bool(exercise.precautions)


def _with_own(
    forbidden: tuple[tuple[str, str], ...], cared: frozenset[str], exercise: Exercise
) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """`forbidden` and what the exercise's own precautions' advice forbids ("do not bend your
    hip beyond 90 degrees" under its "Take care", H528), with the precautions' advice texts
    among them."""
    if not exercise.precautions:
        return forbidden, cared
    said = dict(forbidden)
    own = tuple(f for f in _forbidden(_taking_care(exercise.precautions)) if f[0] not in said)
    return forbidden + own, cared | {advice for _, advice in own}


def _problems(
    exercise: Exercise, forbidden: tuple[tuple[str, str], ...], cared: frozenset[str] = frozenset()
) -> Iterator[Problem]:
    if not forbidden:
        return  # the exercise's own precautions forbid nothing either (most)
    for text in _exercise_texts(exercise):
        for language, value in text.values.items():
            said = _says(value, language.split("-")[0], forbidden)
            if said is None:
                continue
            instruction, words, advice = said
            label = _CARE if advice in cared else "the general advice"
            at, where, place = text_place(text, language, exercise)
            yield Problem(
                at,
                f"exercise '{exercise.id}': {shown(words)} tells the patient to "
                f"{instruction.what}{where}, but {label} says {shown(advice)}: "
                "the patient reads both; change the exercise text (or the advice)",
                in_library=place,
            )
            break


def _exercise_texts(exercise: Exercise) -> Iterator[Text]:
    """The exercise texts that tell the patient what to do (not "Avoid", which names the
    mistakes: "Avoid: bouncing" agrees with the advice)."""
    yield exercise.name
    yield exercise.starting_position
    yield from exercise.steps
    yield from exercise.cues
    yield exercise.dosage.intensity
    yield from (t for t in (exercise.regression, exercise.progression) if t is not None)


@text_cache()
def _says(
    value: str, language: str, forbidden: tuple[tuple[str, str], ...]
) -> tuple[_Instruction, str, str] | None:
    """(instruction, the words that say it, the advice that forbids it) for the first
    instruction `forbidden` names that `value` says, or None. Kept per text: the exercises of
    a run share a few hundred texts, judged once each, whichever exercise, dosage or place
    they come with (an exercise's answers are kept by all of its content, issue 17)."""
    instructions = _instructions().get(language, {})
    negation = _negations().get(language)
    if negation is None:
        return None
    # The places of the instructions whose words the text holds (`pattern_sets`).
    _, _, says = _sets(language)
    may = says.may_search(value)
    for instruction_id, advice in forbidden:
        instruction = instructions.get(instruction_id)
        if instruction is None or instruction.place not in may:
            continue
        for found in instruction.says.finditer(value):
            if not negation.search(value[: found.start()]):
                return instruction, found.group(0), advice
    return None


class _Instruction:
    def __init__(self, raw: dict, place: int) -> None:
        self.place = place  # in its language's instructions, in the data's order
        self.id: str = raw["id"]
        self.what: str = raw["what"]
        self.forbids = compiled(raw["forbids"], re.IGNORECASE)
        self.says = compiled(raw["says"], re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return read_json("protocol_kit.lint", "data/advice_contradictions.json")


@functools.lru_cache(maxsize=1)
def _instructions() -> dict[str, dict[str, _Instruction]]:
    """Each language's instructions by id, in the data's order."""
    found = {}
    for language, words in _data().items():
        if language != "description":
            by_id = {raw["id"]: raw for raw in words["instructions"]}
            found[language] = {
                instruction_id: _Instruction(raw, place)
                for place, (instruction_id, raw) in enumerate(by_id.items())
            }
    return found


@functools.cache
def _sets(language: str) -> tuple[tuple[_Instruction, ...], PatternSet, PatternSet]:
    """A language's instructions in the data's order, with what forbids them and what says
    them, each as one set of patterns (a text is read once for all their words)."""
    instructions = tuple(_instructions().get(language, {}).values())
    return (
        instructions,
        PatternSet([i.forbids for i in instructions]),
        PatternSet([i.says for i in instructions]),
    )


@functools.lru_cache(maxsize=1)
def _negations() -> dict[str, re.Pattern[str]]:
    return {
        language: compiled(words["negation"], re.IGNORECASE)
        for language, words in _data().items()
        if language != "description"
    }
