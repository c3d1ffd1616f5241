from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_may_hold,
    library_where,
    part_answer,
    text_check,
    texts_may_hold,
    title_may_hold,
)
from protocol_kit.model import Exercise, Protocol, Text, iter_exercise_texts, iter_protocol_texts
from protocol_kit.package_data import read_json
from protocol_kit.pattern_sets import PatternSet
from protocol_kit.patterns import compiled


class IgnorePain(Rule):
    """Patient text that tells the patient to ignore pain or to exercise through it.

    The sheet's stop criteria and pain guide say when pain means stop ("sharp pain", "pain in
    the red band"); a step, tip, pain band or piece of advice that says "push through the
    pain", "no pain, no gain" or "keep going even if it hurts" tells the patient the opposite,
    and a patient alone at home follows the easier instruction, past a sign that needed care.
    So does a painkiller or anti-inflammatory taken before the exercises or so as to do them
    ("take ibuprofen before each session": it hides the pain the stop box is read by), and a
    text that sets the stop box aside ("the warning signs above do not apply to you").
    In the pain guide's amber and red bands, whose text names the pain by its place, "work
    through it" is through the pain ("Moderate pain: do more repetitions to work through it");
    the green band's mild discomfort may be worked through. The clinician's rules for starting,
    tailoring and moving on are read too ("Double the weight every session, even if it
    hurts"): they are carried out on the patient, past the same pain guide.
    Say how much discomfort is acceptable and what to do when it is more. The phrases are
    data (`protocol_kit/lint/data/ignore_pain.json`: English, French, Spanish and German); a
    phrase after a negation ("do not push through pain") is the right advice and is not
    reported. A word split by a hyphen ("Ig-nore the pain", or "Ig- nore" from a line broken
    in a copied PDF) is read whole, as the patient reads it.

    Bad:

        "steps": ["Push through the pain to finish the set."]

    Good:

        "steps": ["Stop the set if the pain goes above 3 out of 10, and rest."]
    """

    code = "SAFE013"
    name = "ignore-pain"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "patient text tells the patient to ignore pain or push through it"
    ignorable = False  # keeps the patient safe: never turned off

    exercise_part = True  # of an exercise, reads its texts alone
    about_texts = True  # of the dosage, the intensity text alone (`exercises_text_key`)

    def outside(self, protocol: Protocol, context: Context) -> Iterable[Problem]:
        if texts_may_hold(protocol, context, _SAYS_IT):
            # Some text of the file may say it: each is read, in order. All but the title are
            # of the protocol's shared part, as the clinician's texts are: their problems are
            # kept with the part (issue 17, twenty-fourth sitting: a part whose texts the
            # shared pass flags had them read again in every file that has it).
            # The title is read only where the shared pass says it may say it, and the
            # list of the protocol's texts made only for a part met first (twenty-fifth
            # sitting: both were done in every such file, a fifth of a corpus of copies).
            rest = part_answer(protocol, context, _ALL_TEXTS, _rest_problems, protocol)
            if not title_may_hold(protocol, context, _SAYS_IT):
                return rest
            title = [*_problems(protocol.title, protocol.title.origin.pointer, None)]
            return [*title, *rest] if title else rest
        # No other text of the file says it (nearly all): the pain guide's amber and red
        # bands, read with their own phrases, and the clinician's texts, all of the
        # protocol's shared part, whose answer is kept with it (issue 17: read in every file,
        # they were a fifth of what the rule cost on copies of a clinic's files).
        return part_answer(protocol, context, self.code, _part_problems, protocol)

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        if not exercise_may_hold(protocol, context, index, _SAYS_IT):
            return []  # no text of the exercise says it (nearly every one)
        # Each exercise's answer is worked out once per run and shared by every file with the
        # same exercise (see `exercise_key`): most files draw on the same few exercises.
        return self.kept_about(
            protocol,
            context,
            index,
            _exercise_problems,
            dosage=False,  # reads the texts, the intensity's among them
        )


def _part_problems(protocol: Protocol) -> tuple[Problem, ...]:
    """The problems of the pain guide's amber and red bands and of the clinician's texts."""
    guide = protocol.safety.pain_guide
    return tuple(_texts_problems(protocol, (guide.amber, guide.red)))


# What the problems of every text of the shared part are kept under with the part.
_ALL_TEXTS = ("SAFE013", "all texts")


def _rest_problems(protocol: Protocol) -> tuple[Problem, ...]:
    """The problems of the protocol's texts after its title (`iter_protocol_texts`), all of
    its shared part, and of the clinician's texts."""
    return tuple(_texts_problems(protocol, iter_protocol_texts(protocol)[1:]))


def _texts_problems(protocol: Protocol, texts: Iterable[Text]) -> Iterator[Problem]:
    """The problems of the protocol's `texts` (some or all of its own, in order), then of the
    clinician's texts."""
    guide = protocol.safety.pain_guide
    # The amber and red bands name the pain, so "work through it" there is through the
    # pain (H892): read with the bands' own phrases too, whatever the shared pass found.
    bands = {id(guide.amber), id(guide.red)}
    for text in texts:
        finds = ignored_pain_in_band if id(text) in bands else ignored_pain
        # Most texts say nothing of the kind: looked at first without a generator each.
        if _says_it(text, finds):
            yield from _problems(text, text.origin.pointer, None, finds)
    yield from _clinician_problems(protocol)


def _exercise_problems(exercise: Exercise) -> Iterator[Problem]:
    source = exercise.library
    # "Avoid: pushing through pain" is the right advice: the mistakes are left out.
    mistakes = {id(t) for t in exercise.common_mistakes}
    for text in iter_exercise_texts(exercise):
        if id(text) in mistakes:
            continue
        if source is None:
            yield from _problems(text, text.origin.pointer, None)
        else:
            yield from _problems(text, source.entry.pointer, exercise)


def _says_it(text: Text, finds: Callable[[str, str], str | None]) -> bool:
    """Whether any language of `text` tells the patient to ignore pain (`finds`: how a value
    is read, `ignored_pain` or, in a pain band, `ignored_pain_in_band`)."""
    return any(finds(value, language.split("-")[0]) for language, value in text.values.items())


def _problems(
    text: Text,
    pointer: str,
    library: Exercise | None,
    finds: Callable[[str, str], str | None] | None = None,
) -> Iterator[Problem]:
    """The problems of one text; `library`, the library exercise it belongs to, if any (named
    in the message, which is worked out only for a text with a problem); `finds`, as in
    `_says_it`."""
    finds = finds or ignored_pain
    for language, value in text.values.items():
        phrase = finds(value, language.split("-")[0])
        if phrase:
            where, place = (
                ("", None) if library is None else library_where(library, text.origin.pointer)
            )
            at = pointer if len(text.values) == 1 or where else f"{pointer}/{language}"
            # Found only with a hyphen taken out: say so, or the phrase is not in the file.
            read = "" if phrase in value else " (read with the hyphen inside a word taken out)"
            yield Problem(
                at,
                f"{shown(phrase)}{read} tells the patient to ignore pain or exercise through it"
                f"{where}, against the sheet's stop criteria and pain guide: say how much "
                "discomfort is acceptable and when to stop",
                in_library=place,
            )


# The clinician's texts of the delivery: how the programme starts, is tailored and moves on.
# "Double the weight every session, even if it hurts" is carried out on the patient, past the
# sheet's pain guide, as surely as a step that says it (H893).
_CLINICIAN_FIELDS = ("starting_level", "tailoring", "progression_rule")


def _clinician_problems(protocol: Protocol) -> Iterator[Problem]:
    """The problems of the delivery's clinician texts, read in the protocol's language."""
    language = protocol.language.split("-")[0]
    for field in _CLINICIAN_FIELDS:
        value = getattr(protocol.delivery, field)
        # `ignored_pain` keeps its answers by text: a corpus's rules are a few texts that many
        # files share, read on every file.
        phrase = ignored_pain(value, language) if value else None
        if phrase:
            yield Problem(
                f"/delivery/{field}",
                f"{shown(phrase)} tells whoever moves the programme on to go through pain, "
                "against the sheet's stop criteria and pain guide: say how much discomfort is "
                "acceptable and when to hold back",
            )


@text_cache()
def ignored_pain_in_band(value: str, language: str) -> str | None:
    """`ignored_pain` for the pain guide's amber or red band, whose text names the pain: its
    own phrases too ("work through it"), after the same negation. Kept by text: read on every
    file, and a corpus's bands are a few texts that many files share (asked afresh each time,
    they cost SAFE013 a sixth more on every file, issue 17)."""
    found = _may_say_it(value, language)
    words = _phrases("band_phrases").get(language)
    if found is None and words is not None:
        found = _first_phrase(value, language, words, "band_phrases")
    return found


@text_cache()
def ignored_pain(value: str, language: str) -> str | None:
    """The first phrase of `value` that tells the patient to ignore pain, or None; read as
    written and, when a hyphen splits a word, as read with the word whole (`unhyphenated`)."""
    words = _words().get(language)
    if words is None:
        return None
    found = _first_phrase(value, language, words)
    if found is None and "-" in value:
        whole = unhyphenated(value)
        if whole != value:
            found = _first_phrase(whole, language, words)
    return found


def _first_phrase(
    value: str,
    language: str,
    words: tuple[re.Pattern[str], re.Pattern[str]],
    key: str = "phrases",
) -> str | None:
    phrases, negation = words
    # Most texts lack every word the phrases need ("through", "ignore", "keep going"...):
    # not searched, as the red-flag items are not (`pattern_sets`: exact by construction; the
    # alternation matches only where one of its phrases does). The one big case-insensitive
    # alternation was most of the lint's shared pass over a file's texts (issue 17).
    if not phrase_set(language, key).may_match(value):
        return None
    for found in phrases.finditer(value):
        if not negation.search(value[: found.start()]):
            return found.group(0)
    return None


# A hyphen-minus between two letters, with any spaces after it ("Ig-nore", "pa-in", and
# "Ig- nore" from a line broken in a copied PDF): the patient reads the word whole (H777).
# The plain reading (`untrusted.readings`) keeps the hyphen-minus, since "warm-up" and
# "light-headed" are ordinary words and taking it out there would run every safety rule
# again on most files (issue 17); this rule alone reads a hyphenated text a second time,
# only when the text as written says nothing. Joining "warm-up" into "warmup" or "pain-free"
# into "painfree" loses words rather than making one of this rule's phrases.
_HYPHEN_IN_WORD = compiled(r"-(?<=[^\W\d_]-)\s*(?=[^\W\d_])")


def unhyphenated(value: str) -> str:
    """`value` with the hyphens inside its words taken out ("Ig-nore" -> "Ignore")."""
    return _HYPHEN_IN_WORD.sub("", value)


def languages() -> tuple[str, ...]:
    """The languages whose phrases the rule knows."""
    return tuple(_words())


def _words() -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """Language -> (its phrases as one pattern, its negation)."""
    return _phrases("phrases")


@functools.cache
def _phrases(key: str) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """Language -> (the phrases under `key` as one pattern, the language's negation), for the
    languages that have them: "phrases" read everywhere, "band_phrases" in the pain guide's
    amber and red bands alone."""
    data = read_json("protocol_kit.lint", "data/ignore_pain.json")
    return {
        language: (
            compiled("|".join(f"(?:{p})" for p in raw[key]), re.IGNORECASE),
            compiled(raw["negation"], re.IGNORECASE),
        )
        for language, raw in data.items()
        if language != "description" and raw.get(key)
    }


@functools.cache
def phrase_set(language: str, key: str = "phrases") -> PatternSet:
    """The phrases of `language` (under `key`: `_phrases`), each on its own, as one set: a
    text is read once for the words they need (`pattern_sets`); made for a language only when
    one of its texts is read (what each phrase needs is kept between runs by
    `pattern_needs`)."""
    data = read_json("protocol_kit.lint", "data/ignore_pain.json")
    return PatternSet([compiled(p, re.IGNORECASE) for p in data[language][key]])


def _may_say_it(value: str, language: str) -> str | None:
    """`ignored_pain` for the shared pass over a file's texts, whose every value is new to
    the run (it keeps each value's verdict): a text that holds no phrase's words, nearly
    every text, is answered None before `ignored_pain`'s cache, as `ignored_pain` answers it,
    without the cost of keeping that answer (issue 17)."""
    language = language.split("-")[0]
    if language not in _words():
        return None
    if not phrase_set(language).may_match(value) and (
        "-" not in value or not phrase_set(language).may_match(unhyphenated(value))
    ):
        return None
    return ignored_pain(value, language)


# For the shared pass over the file's texts (`texts_may_hold`): what `_problems` reports.
# The phrases and negations hold no digit (tests/lint/test_title_shapes.py): a digit counts
# only as a word's character (`\\w`, `\\b`) or one of those a phrase allows between its words.
_SAYS_IT = text_check(_may_say_it, digits=())
