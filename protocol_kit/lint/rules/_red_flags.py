"""What the red-flag rules share: every text that sends the patient somewhere, with the level
it sends them to and the red-flag items it names (worked out once per file)."""

from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import LibraryPlace
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    in_library,
    library_place,
    remembered,
    section_key,
    sections_outside_exercises,
)
from protocol_kit.model import Exercise, Protocol, Text
from protocol_kit.record import Record, init
from protocol_kit.redflags import RedFlagSets, red_flag_sets, stated_level

# The languages whose words SAFE006 reads for a wait, a sign played down or a lower place
# (`routing_words` in the red-flag data has words for these only): red flags printed in any
# other are reported as unread (SAFE016) rather than passed.
READ_LANGUAGES = ("en",)


def read_language(language: str) -> bool:
    """Whether the red-flag checks read words of `language` (a BCP 47 tag)."""
    return language.split("-")[0].lower() in READ_LANGUAGES


class Routed(Record):
    """A text and where it sends the patient: a red flag's action, or `clinician` for stop
    criteria and advice ("stop and tell your therapist")."""

    __slots__ = (
        "text",
        "value",
        "language",
        "level",
        "pointer",
        "kind",
        "named",
        "covers",
        "index",
        "in_library",
    )
    text: Text
    value: str  # the text in the language the red-flag patterns are matched in
    language: str
    level: str
    pointer: str  # where a finding about the level goes
    kind: str  # "red flag", "stop criterion", "advice"
    named: tuple[str, ...]  # items the text names
    covers: tuple[str, ...]  # items a red flag says it covers
    index: int  # the red flag's index
    in_library: LibraryPlace | None  # where in a library exercise's file the text is

    def __init__(
        self,
        text: Text,
        value: str,
        language: str,
        level: str,
        pointer: str,
        kind: str,
        named: tuple[str, ...],
        covers: tuple[str, ...] = (),
        index: int = -1,
        in_library: LibraryPlace | None = None,
    ) -> None:
        init(self, "text", text)
        init(self, "value", value)
        init(self, "language", language)
        init(self, "level", level)
        init(self, "pointer", pointer)
        init(self, "kind", kind)
        init(self, "named", named)
        init(self, "covers", covers)
        init(self, "index", index)
        init(self, "in_library", in_library)


def matched_language(text: Text, primary: str) -> tuple[str, str]:
    """The text's value in a language the red-flag set has patterns for (English, where the
    protocol has it), else in the protocol's own language."""
    patterns = red_flag_sets().pattern_languages
    for tag, value in text.values.items():
        if tag.split("-")[0] in patterns:
            return tag, value
    return primary, text.get(primary)


def red_flag_texts(protocol: Protocol, context: Context) -> list[Routed]:
    """The red flags: their texts, levels and the items they name (once per file)."""
    return context.shared("red-flag-texts", lambda: list(_red_flags(protocol, red_flag_sets())))


def own_routed_key(protocol: Protocol, context: Context) -> int:
    """Everything `own_routed` reads, as a key: files with the same red flags, stop criteria,
    advice and other free texts (as most of a clinic's protocols have) share one answer per
    run, whatever their exercises."""

    def key() -> tuple:
        safety = protocol.safety
        return (
            stop_box_key(protocol, context),
            tuple(
                tuple(p.patient_advice.values.items()) if p.patient_advice else None
                for p in safety.precautions
            ),
            # Each with its kind: the answer names it and points there ("education" at
            # /delivery/education/0, not the general advice of another file: H217).
            tuple((kind, tuple(t.values.items())) for kind, t in _free_texts(protocol)),
        )

    # All it reads: the sections outside the title and exercises, and the language.
    return section_key(
        context, "own-routed", key, (*sections_outside_exercises(protocol), protocol.language)
    )


def stop_box_key(protocol: Protocol, context: Context) -> int:
    """The red flags and the stop criteria (what the patient reads to know when to stop and
    when to seek help), as a key: each in its place, in each of its languages."""
    return section_key(
        context,
        "stop-box",
        lambda: (
            red_flags_key(protocol, context),
            tuple(tuple(t.values.items()) for t in protocol.safety.stop_criteria),
        ),
        (protocol.safety, protocol.language),
    )


def red_flags_key(protocol: Protocol, context: Context) -> int:
    """The red flags alone (and the language they are read in), as a key for the rules that
    read nothing else: most files of a clinic share them, whatever their exercises."""
    return section_key(
        context,
        "red-flags",
        lambda: (
            protocol.language,
            tuple(
                (tuple(f.text.values.items()), f.action, f.covers)
                for f in protocol.safety.red_flags
            ),
        ),
        (protocol.safety, protocol.language),
    )


def _red_flags(protocol: Protocol, sets: RedFlagSets) -> Iterator[Routed]:
    primary = protocol.language
    for index, flag in enumerate(protocol.safety.red_flags):
        language, value = matched_language(flag.text, primary)
        yield Routed(
            flag.text,
            value,
            language,
            flag.action,
            f"{flag.origin.pointer}/action",
            "red flag",
            sets.named_in(value, language),
            flag.covers,
            index,
        )


def own_routed(protocol: Protocol, alone: tuple = ()) -> Iterator[Routed]:
    """The protocol's own texts that send the patient somewhere or name a sign: the red
    flags, the free texts that name one, the stop criteria and precautions' advice. A text
    names the items its words name, and on this sheet those its signs name by themselves
    (`alone`: `RedFlagSets.signs_alone`, () on nearly every sheet)."""
    sets = red_flag_sets()
    primary = protocol.language
    safety = protocol.safety
    yield from _red_flags(protocol, sets)
    for kind, text in _free_texts(protocol):
        language, value = matched_language(text, primary)
        named = sets.with_signs_alone(sets.named_in(value, language), value, language, alone)
        if named:
            level = stated_level(value)
            yield Routed(text, value, language, level, text.origin.pointer, kind, named)
    advice = [(t, t.origin.pointer, "stop criterion") for t in safety.stop_criteria]
    advice += [
        (p.patient_advice, p.patient_advice.origin.pointer, "advice")
        for p in safety.precautions
        if p.patient_advice
    ]
    for text, pointer, kind in advice:
        language, value = matched_language(text, primary)
        named = sets.with_signs_alone(sets.named_in(value, language), value, language, alone)
        if named:
            yield Routed(text, value, language, "clinician", pointer, kind, named)


def exercise_routed(exercise: Exercise, primary: str, alone: tuple = ()) -> Iterator[Routed]:
    """An exercise's texts on the patient's sheet that name a sign (its purpose, starting
    position, steps, tips, what to avoid and easier version: H361), its harder version (the
    clinician's copy's, H1088), and its precautions' advice that does (read in the protocol's
    language `primary` where no pattern language is given), with the items its signs name
    by themselves on this sheet (`alone`, as `own_routed`). Not its intensity: "a stretch
    across your chest, never pain" describes pain, not a sign."""
    sets = red_flag_sets()
    steps = (*exercise.steps, *exercise.cues)
    others = (exercise.purpose, exercise.starting_position, *exercise.common_mistakes)
    others += () if exercise.regression is None else (exercise.regression,)
    # The harder version prints on the clinician's copy only, but the clinician reads it to
    # the patient at the review that moves them on, and a FHIR export or a bundle carries it
    # to systems that may print it for the patient: a sign sent lower there is as wrong.
    harder = () if exercise.progression is None else (exercise.progression,)
    kinds = (("step or cue", steps), ("exercise text", others), ("harder version", harder))
    for kind, texts in kinds:
        for text in texts:
            language, value = matched_language(text, primary)
            named = sets.with_signs_alone(sets.named_in(value, language), value, language, alone)
            if named:
                pointer = exercise_pointer(exercise) if exercise.library else text.origin.pointer
                level = stated_level(value)
                kind_in = kind + in_library(exercise)
                place = library_place(exercise, text.origin.pointer)
                yield Routed(text, value, language, level, pointer, kind_in, named, (), -1, place)
    for p in exercise.precautions:
        if not p.patient_advice:
            continue
        language, value = matched_language(p.patient_advice, primary)
        named = sets.with_signs_alone(sets.named_in(value, language), value, language, alone)
        if named:
            pointer = exercise_pointer(exercise, "precautions")  # the entry, for a library one
            if exercise.library is None:
                pointer = p.patient_advice.origin.pointer
            kind = f"advice{in_library(exercise)}"
            place = library_place(exercise, p.patient_advice.origin.pointer)
            advice = p.patient_advice
            yield Routed(advice, value, language, "clinician", pointer, kind, named, (), -1, place)


# Texts outside the stop box: where they send the patient is what their words say.
FREE_KINDS = (
    "general advice",
    "education",
    "pain guide",
    "step or cue",
    "exercise text",
    "harder version",
    "summary",
    "warm-up",
    "cool-down",
    "stage rule",
)


def _free_texts(protocol: Protocol) -> list[tuple[str, Text]]:
    """Patient texts outside the stop box that may name a sign: general advice, education,
    the pain guide's bands, and the summary, warm-up, cool-down and stages' rules for moving on
    that the sheet prints too (H292; an exercise's steps and cues are read with the exercise;
    an intensity, "a stretch across your chest, never pain", describes pain, not a sign)."""
    guide, delivery = protocol.safety.pain_guide, protocol.delivery
    printed = [("summary", protocol.summary), ("warm-up", delivery.warm_up)]
    printed += [("cool-down", delivery.cool_down)]
    printed += [("stage rule", stage.entry) for stage in protocol.stages]
    return [
        *(("general advice", t) for t in protocol.safety.general_advice),
        *(("education", t) for t in delivery.education),
        *(("pain guide", t) for t in (guide.green, guide.amber, guide.red)),
        *((kind, t) for kind, t in printed if t is not None),
    ]


class RedFlagRule(Rule):
    """A rule over the red flags alone: files with the same red flags share its answer,
    whatever else they hold, worked out once per run by `_check`."""

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        key = (self.code, red_flags_key(protocol, context))
        return iter(remembered(context, key, lambda: self._check(protocol, context)))

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        raise NotImplementedError
