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
    exercise_may_hold,
    part_answer,
    text_check,
    texts_may_hold,
)
from protocol_kit.lint.rules._number_words import pain_score_words
from protocol_kit.lint.rules._texts import text_place
from protocol_kit.model import (
    Exercise,
    PainGuide,
    Protocol,
    Text,
    iter_exercise_texts,
    iter_protocol_texts,
)
from protocol_kit.package_data import read_json
from protocol_kit.pattern_sets import PatternSet
from protocol_kit.patterns import compiled
from protocol_kit.record import Record, init


class PainTarget(Rule):
    """Patient text that sets a pain score above the pain guide's stop band as a level to
    exercise at or up to.

    The pain guide tells the patient to stop above `amber_max` ("6 to 10: stop for today and
    contact your therapist"). A step, a "how it should feel", a pain band or a piece of advice
    that says "aim for a pain of 7 out of 10", "pain up to 8/10 is fine" or "work at 6-7/10"
    sends the patient into the band the same sheet says means stop, and a patient alone at
    home follows the instruction written beside the exercise. A score given as a condition to
    stop or ease off ("stop if the pain goes above 7/10") is the right advice and is not
    reported, nor an effort score ("an effort of 7 out of 10"). A target inside the amber band
    is not judged: how much pain during exercise is acceptable is the clinician's choice of
    bands. The pain guide's red band itself must not tell the patient to carry on ("Pain
    above 5: carry on but do fewer") without saying to stop. A library exercise checked on
    its own has no pain guide: it is judged against the starting guide's bands (stop above
    5, as `protokit new protocol` writes them), and each protocol using it against its own.
    The words are data (`protocol_kit/lint/data/pain_targets.json`), English only.

    Bad:

        "pain_guide": {"green_max": 3, "amber_max": 5, ...},
        "steps": ["Lower slowly; aim for a pain of 7 out of 10."]

    Good:

        "steps": ["Lower slowly; keep any pain at 3 out of 10 or less."]
    """

    code = "SAFE014"
    name = "pain-target"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "patient text sets a pain score the pain guide says means stop as a target"
    ignorable = False  # keeps the patient safe: never turned off

    # Of an exercise, reads its texts, and of the rest of the protocol the pain guide's stop
    # band and which guide the message names (`around`).
    exercise_part = True
    about_texts = True  # of the dosage, the intensity text alone (`exercises_text_key`)

    def outside(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        guide = protocol.safety.pain_guide
        # The red band, of the protocol's shared part: its answer kept with it.
        yield from part_answer(protocol, context, self.code, _guide_problems, guide)
        if not texts_may_hold(protocol, context, _SETS_ONE):
            return  # no text of the file gives a pain score as a target (nearly every file)
        stop = _stop_band(guide)
        for text in iter_protocol_texts(protocol):
            yield from _problems(text, None, stop)

    def around(self, protocol: Protocol, context: Context) -> _StopBand:
        return _stop_band(protocol.safety.pain_guide)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        if not exercise_may_hold(protocol, context, index, _SETS_ONE):
            return []  # no text of the exercise gives a pain score as a target (nearly all)
        stop = _stop_band(protocol.safety.pain_guide)
        # Each exercise's answer is kept for the run under the guide's stop band (and which
        # guide the message names) too.
        return self.kept_about(
            protocol,
            context,
            index,
            lambda exercise: _exercise_problems(exercise, stop),
            key=(stop,),
            dosage=False,  # reads the texts, the intensity's among them
        )


def _guide_problems(guide: PainGuide) -> tuple[Problem, ...]:
    """The problems of the pain guide's red band."""
    return tuple(_red_band_problems(guide.red, _stop_band(guide).above))


def _stop_band(guide: PainGuide) -> _StopBand:
    """The stop band and how the message names it. A library exercise checked on its own is
    judged against the starting pain guide's bands (its stand-in protocol has no guide texts;
    a protocol's red band is required): the message says so, since the file has no guide."""
    if guide.red.values:
        return _StopBand(
            guide.amber_max,
            f"the pain guide says stop above {guide.amber_max}: give a level within the pain "
            "guide's bands, or change the bands",
        )
    return _StopBand(
        guide.amber_max,
        "a library exercise has no pain guide of its own, and the starting one (protokit new "
        f"protocol) says stop above {guide.amber_max}: give a level of {guide.amber_max} or "
        "less (each protocol using the exercise is checked against its own guide too)",
    )


class _StopBand(Record):
    """The pain score above which the guide says stop, and how a message names that band.
    (A record, not a NamedTuple: `typing` is not imported to validate a file.)"""

    __slots__ = ("above", "said")
    above: int
    said: str

    def __init__(self, above: int, said: str) -> None:
        init(self, "above", above)
        init(self, "said", said)


def _red_band_problems(red: Text, stop_above: int) -> Iterator[Problem]:
    for language, value in red.values.items():
        words = _words().get(language.split("-")[0])
        if words is None:
            continue
        carries_on = words.red_band_carries_on.search(value)
        if carries_on and not words.red_band_stops.search(value):
            at, _, _ = text_place(red, language)
            yield Problem(
                at,
                f"the pain guide's red band (pain above {stop_above}) says "
                f"{shown(carries_on.group(0))} and never to stop: the sheet prints it in red, "
                "the band that means stop; say to stop and whom to contact",
            )


def _exercise_problems(exercise: Exercise, stop: _StopBand) -> Iterator[Problem]:
    # "How it should feel" describes the pain to aim for: a score there is a target.
    feel = exercise.dosage.intensity
    for text in iter_exercise_texts(exercise):
        yield from _problems(text, exercise, stop, described=text is feel)


def _problems(
    text: Text, exercise: Exercise | None, stop: _StopBand, described: bool = False
) -> Iterator[Problem]:
    """The problem of each language of `text` (of `exercise`, if any) that sets a pain above
    the stop band as a target."""
    for language, value in text.values.items():
        for clause, score in pain_targets(value, language.split("-")[0], described):
            if score <= stop.above:
                continue
            at, where, place = text_place(text, language, exercise)
            yield Problem(
                at,
                f"{shown(clause)} sets a pain of {score} out of 10 as a level to exercise "
                f"at{where}, but {stop.said}",
                in_library=place,
            )
            break


@text_cache()
def pain_targets(value: str, language: str, described: bool = False) -> tuple[tuple[str, int], ...]:
    """Each clause of `value` that gives a pain score as a level to exercise at or up to,
    with the highest score it allows; `described`: the text says how the exercise should
    feel, so a pain score in it is a target without a target word."""
    words = _words().get(language)
    if words is None:
        return ()
    # A score is what every clause found has; a text that lacks the words of every way of
    # writing one ("out of", "/", "pain of") has none in any of its sentences (issue 17).
    if not words.score_set.may_match(value):
        return ()
    found = []
    for sentence in words.sentences.split(value):
        if not words.pain.search(sentence) or not (described or words.target.search(sentence)):
            continue
        allowed = [
            score
            for score_words in words.scores
            for match in score_words.finditer(sentence)
            if (score := words.allowed(sentence, match)) is not None
        ]
        if allowed:
            found.append((sentence.strip(), max(allowed)))
    return tuple(found)


class _Words:
    def __init__(self, raw: dict, numbers: dict[str, int]) -> None:
        def any_of(alternatives: list[str]) -> str:
            return r"\b(?:" + "|".join(f"(?:{a})" for a in alternatives) + r")\b"

        self.numbers = numbers
        number = r"\d{1,2}|" + "|".join(self.numbers)
        self.sentences = compiled(r"[;.!?]")
        self.clause_end = compiled(r"[^,:]*")
        self.pain = compiled(raw["pain"], re.IGNORECASE)
        self.effort = compiled(raw["effort"] + r"[^,;:.!?]{0,25}$", re.IGNORECASE)
        self.effort_after = compiled(r"\s*(?:(?:for|of|in)\s+)?" + raw["effort"], re.IGNORECASE)
        # Each alternative on its own: they name the same groups.
        self.scores = tuple(
            compiled(p.replace("NUMBER", number), re.IGNORECASE) for p in raw["score"]
        )
        # The same, as a set: one scan of a text for the words the ways of writing a score need.
        self.score_set = PatternSet(self.scores)
        self.target = compiled(any_of(raw["target"]), re.IGNORECASE)
        self.below = compiled(
            any_of(raw["below"]) + r"\s*(?:(?:a|an|the|your)\s+)?(?:pain\w*\s+(?:of\s+)?)?$",
            re.IGNORECASE,
        )
        self.condition = compiled(any_of(raw["condition"]), re.IGNORECASE)
        self.red_band_carries_on = compiled(raw["red_band_carries_on"], re.IGNORECASE)
        self.red_band_stops = compiled(raw["red_band_stops"], re.IGNORECASE)
        self.stop = compiled(any_of(raw["stop"]), re.IGNORECASE)

    def number(self, written: str | None) -> int | None:
        if written is None:
            return None
        return int(written) if written.isdigit() else self.numbers.get(written.lower())

    def allowed(self, sentence: str, match: re.Match[str]) -> int | None:
        """The highest score a score match in `sentence` allows, or None for a score given as
        a condition to stop or ease off, an effort score or one past the scale."""
        end = self.clause_end.match(sentence, match.end())
        before = sentence[_clause_start(sentence, match.start()) : match.start()]
        clause = before + sentence[match.start() : end.end() if end else len(sentence)]
        if self.condition.search(self.target.sub(" ", before)):
            return None
        if self.stop.search(self.target.sub(" ", clause)):
            return None
        if self.effort.search(before) and not self.pain.search(before[-25:]):
            return None
        if self.effort_after.match(sentence, match.end()):
            return None
        groups = [g for g in (match.group("low"), match.group("high")) if g is not None]
        scores = [self.number(g) for g in groups]
        if not scores or any(s is None or s > 10 for s in scores):
            return None
        highest = max(s for s in scores if s is not None)
        return highest - 1 if self.below.search(before) else highest


def _clause_start(sentence: str, before: int) -> int:
    """Where the clause holding `sentence[before]` starts: after the last comma or colon before
    it. Found from the end, not with a search for `[^,:]*$`, which tries every start before
    the comma again: seconds for one long text (H768)."""
    return max(sentence.rfind(",", 0, before), sentence.rfind(":", 0, before)) + 1


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, _Words]:
    data = read_json("protocol_kit.lint", "data/pain_targets.json")
    # The scale's words are the lint's English number words (DOSE005 reads them too).
    return {
        language: _Words(raw, pain_score_words())
        for language, raw in data.items()
        if language != "description"
    }


def _may_set_one(value: str, language: str) -> tuple[tuple[str, int], ...]:
    """`pain_targets` of a text read as a description, for the shared pass over a file's
    texts (each value new to the run): a text without the words of any way of writing a score
    (nearly every text) is answered () before `pain_targets`'s cache, as `pain_targets`
    answers it, without the cost of keeping that answer (issue 17)."""
    language = language.split("-")[0]
    words = _words().get(language)
    if words is None or not words.score_set.may_match(value):
        return ()
    return pain_targets(value, language, described=True)


# For the shared pass over the file's texts (`texts_may_hold`): a score set as a target at
# any level (the guide's band is compared in `check`). The ways of writing a score hold one
# string of digits, "10" ("out of 10"); a score is otherwise any one or two digits (`\\d`),
# and one above 10 is none: with its digits written 0, a text finds at least what it finds.
_SETS_ONE = text_check(_may_set_one, digits=("10",))
