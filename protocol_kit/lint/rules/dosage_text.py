from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.dosage import dosage_problems
from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    english,
    library_where,
)
from protocol_kit.lint.rules._dosage import dosage_field_pointer
from protocol_kit.lint.rules._number_words import number_word_parts
from protocol_kit.lint.rules._unbounded_dose import unbounded_doses
from protocol_kit.loading import number_text
from protocol_kit.model import Exercise, Protocol, Text
from protocol_kit.pattern_sets import PatternSet
from protocol_kit.patterns import APOSTROPHES, compiled, folded
from protocol_kit.record import Record, init

_UNITS = {
    "second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1, "minute": 60, "minutes": 60,
    "min": 60, "mins": 60, "repetition": "r", "repetitions": "r", "reps": "r", "rep": "r",
    "times": "r", "set": "sets", "sets": "sets", "rounds": "sets", "hour": 3600, "hours": 3600,
    "hr": 3600, "hrs": 3600,
}  # fmt: skip


@functools.lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    """English number words and their values (one to ninety-nine, and the words that are a
    number only before a unit: "half an" hour)."""
    raw = number_word_parts()
    words = {**raw["units"], **raw["teens"], **raw["tens"], **raw["before_a_unit"]}
    # "a" is a number only where the pattern takes it: before "minute and a half" (H752).
    words["a"] = 1
    for ten, tens_value in raw["tens"].items():
        for unit, unit_value in raw["units"].items():
            words[f"{ten}-{unit}"] = words[f"{ten} {unit}"] = tens_value + unit_value
    return words


def _number(words: str) -> float:
    """The value of a number as written; NaN for digits run together with separators in no
    one reading ("1,0000", "1,5", "1.0.30"), which then agrees with no dosage. A fraction or
    "and a half" after it adds to it ("1½", "one and a half": H752)."""
    whole, part = _fraction(re.sub(r"\s+", " ", folded(words)))
    if part:
        return (_number(whole) if whole else 0.0) + part
    value = _number_words().get(whole)
    if value is not None:
        return float(value)
    if _GROUPED.fullmatch(words):
        return float(_SEPARATOR.sub("", words))
    try:
        return float(words)
    except ValueError:
        return math.nan


def _fraction(words: str) -> tuple[str, float]:
    """`words` (folded, single spaces) without the fraction or "and a half" it ends with,
    and that part's value (0 when there is none)."""
    raw = number_word_parts()
    half = raw["and_a_half"]
    if words.endswith(" " + half):
        return words[: -len(half) - 1].strip(), 0.5
    if words and words[-1] in raw["fractions"]:
        return words[:-1].strip(), raw["fractions"][words[-1]]
    return words, 0.0


def _halves() -> tuple[str, str, str]:
    """The fractions as a character class, "and a half" as a pattern, and "a" or "an" as a
    number before "minute" or "hour" and "and a half" ("a minute and a half": H752; "a" alone
    is no number, "take a minute to settle")."""
    raw = number_word_parts()
    fractions = "[" + "".join(raw["fractions"]) + "]"
    half = r"\s+".join(map(re.escape, raw["and_a_half"].split()))
    return fractions, rf"\s+{half}\b", rf"\ban?(?=\s+(?:minute|hour)\s+{half}\b)"


def _number_word_pattern() -> str:
    """Every number word, a compound ("twenty-five", "twenty five") tried before its tens
    word. Built from the parts, not by listing all ninety-nine words: compiling that list was
    a third of the time of a one-file `protokit validate`."""
    raw = number_word_parts()

    def either(*kinds: str) -> str:
        words = [re.escape(word) for kind in kinds for word in raw[kind]]
        return "|".join(sorted(words, key=len, reverse=True))

    return rf"(?:{either('tens')})(?:-|\s+)(?:{either('units')})|{either('tens', 'teens', 'units')}"


def _before_a_unit(space: str = r"\s+") -> str:
    """Words that are a number only before a unit ("half an hour", "a couple of minutes": H711);
    with `space` a literal " ", the pattern whose words a text must hold for them."""
    phrases = sorted(number_word_parts()["before_a_unit"], key=len, reverse=True)
    words = "|".join(re.escape(w) for w in phrases)
    units = "hours?|hrs?|minutes?|mins?|times|sets|repetitions|reps"
    # The unit after any white space, as the number pattern reads it (a line break or NEL
    # between "half an" and "hour" too): ahead of the number, or taken with it for the words.
    ahead = rf"(?={space}(?:{units})\b)" if space != " " else rf"\s+(?:{units})\b"
    return rf"\b(?:{words}){ahead}"


# A number as written: "1,500" whole (it was read as 500, and "1,000 seconds" quoted as "000
# seconds"), and "1e-320" whole (its "320" was read alone; "1e400 seconds" not at all): H425.
# Digits grouped by threes with a comma, an apostrophe or a space of any width ("1 030") are
# one number; digits run together with separators in no such reading ("1,0030", "1,5",
# "1.0.30") are one number too, one that cannot be read (H470): each was read by its last
# digits ("1,0030 seconds" as 30, so it agreed with a 30-second hold).
# Every apostrophe as it is typed (`patterns.APOSTROPHES`): the number patterns of prose
# read them all (H648), so the separators that split a number must be the same ones.
_SEPARATORS = f",{APOSTROPHES} \u00a0\u2009\u202f"
_SEPARATOR = compiled(f"[{_SEPARATORS}]")
_GROUPED = compiled(rf"\d{{1,3}}(?:[{_SEPARATORS}]\d{{3}})+")
_FRACTIONS, _AND_A_HALF, _A_AND_A_HALF = _halves()
_NUMBER = (
    rf"(?:\d{{1,3}}(?:[{_SEPARATORS}]\d{{3}})+(?!\d|[.,{APOSTROPHES}]\d)"
    rf"|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![.,{APOSTROPHES}]\d)"
    rf"(?:[ \u00a0]?{_FRACTIONS}|{_AND_A_HALF})?"
    rf"|\d+(?:[.,{APOSTROPHES}]\d+)+"
    rf"|\b(?:{_number_word_pattern()})\b(?:{_AND_A_HALF})?|{_before_a_unit()}"
    rf"|{_FRACTIONS}|{_A_AND_A_HALF})"
)
# Where a number may start: not inside a word or after a separator of a number ("1,0030"),
# nor at a group of three digits inside a number grouped by spaces ("1 111 111 ..."): the
# number is read from its first group, and trying every later group as a start of its own
# read the rest of the run again from each, a time that grew with the square of the text's
# length (10,000 characters of "111 " took seconds for one step: H541). A run whose first
# group cannot start a number ("1234 567", "a1 234") still starts at its second.
_HEAD = rf"(?<![\w.,{APOSTROPHES}])"
_IN_GROUPS = (
    rf"(?<={_HEAD}\d[{_SEPARATORS}])|(?<={_HEAD}\d\d[{_SEPARATORS}])"
    rf"|(?<={_HEAD}\d\d\d[{_SEPARATORS}])|(?<=\d[{_SEPARATORS}]\d\d\d[{_SEPARATORS}])"
)
# A group read otherwise than as a group ("1 123e5", "1 123.5", "1 123,4567") still starts.
_GROUP_ONLY = rf"\d{{3}}(?!\d|\.\d|[,{APOSTROPHES}](?!\d{{3}}(?!\d))\d|[eE][-+]?\d)"
# Three digits looked for first: the four looks back are tried only where they may matter.
_START = rf"{_HEAD}(?!(?=\d\d\d)(?:{_IN_GROUPS}){_GROUP_ONLY})"
_UNIT = (
    r"(?P<unit>seconds?|secs?|s|minutes?|mins?|repetitions?|reps?|times|sets?|rounds|hours?|hrs?)\b"
)
# A time in hours is a dose ("hold for 2 hours", "do this for three hours": fourteenth sitting,
# H694) unless it says when, not how long ("within 24 hours", "after 2 hours", "over the next
# 48 hours", "wait 2 hours after a meal", "do not exercise for 2 hours after eating"), or is a
# rest or the condition of a progression ("if the pain has settled by 24 hours"): the
# pain-monitoring advice of a progression is not a hold to compare with the dosage.
_SINCE_BEFORE = compiled(
    r"\b(?:within|after|over|next|last|past|in|before|since|every|per|each)\s+"
    r"(?:the\s+|a\s+|about\s+|around\s+|roughly\s+)*(?:next\s+|last\s+|first\s+)?$"
    r"|\b(?:wait\w*|not|never|don't|avoid\w*)\b[^.;:,]{0,25}$",
    re.IGNORECASE,
)
_AMOUNT = compiled(
    rf"{_START}(?P<low>{_NUMBER})"
    rf"(?:\s*(?:-|\u2013|to|or)\s*(?P<high>{_NUMBER}))?\s*{_UNIT}(?P<half>{_AND_A_HALF})?",
    re.IGNORECASE,
)
# "2 x 10": sets times repetitions; "2 x 30 s", "2 x 10 reps" (the second read by _AMOUNT):
# sets only.
_SETS_BY = compiled(
    rf"{_START}(?P<sets>{_NUMBER})\s*[x\u00d7]\s*(?P<reps>\d+)\b(?P<unit>\s*(?:s|secs?|seconds?"
    r"|mins?|minutes?|reps?|repetitions?|times)\b)?",
    re.IGNORECASE,
)
# "3 sets of 15", "two sets of ten": the number after "sets of" counts repetitions (with a
# unit after it, "sets of 10 repetitions" or "sets of 30 seconds", _AMOUNT reads it).
_SETS_OF = compiled(
    rf"\b(?:sets?|rounds)\s+of\s+(?P<low>{_NUMBER})"
    rf"(?:\s*(?:-|\u2013|to|or)\s*(?P<high>{_NUMBER}))?(?![\w-]|\.\d)"
    rf"(?!\s*(?:[x\u00d7\u2013-]|to\b|or\b))"
    rf"(?!\s*{_UNIT})",
    re.IGNORECASE,
)
# A time said of the rest, not the hold: "rest for 15 seconds", "15 seconds' rest between sets".
_REST_BEFORE = compiled(r"\b(rest|break|recover)\w*\b[^.;,]{0,15}$", re.IGNORECASE)
_REST_AFTER = compiled(r"^\W{0,2}\s*(of rest|rest|break|between)\b", re.IGNORECASE)
_ORDINAL_SET = compiled(r"\ba (second|third|fourth|fifth) set\b", re.IGNORECASE)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
# "When 30 seconds feels easy", "once you can do 10 repetitions": the dosage the progression
# starts from, which must be the one prescribed.
_BASELINE = compiled(r"\b(when|once|after|if|until)\b[^.;:,]{0,30}?$", re.IGNORECASE)
# How often: "three times a day", "twice daily" (sessions a day); "twice a week", "5 days a
# week", "every day", "daily" (days a week). "3 times" before "a day" is a frequency, not 3
# repetitions.
_PER = r"(?:a|per|each|every)\s+"
_FREQUENCY = compiled(
    rf"{_START}(?:(?P<n>{_NUMBER})\s+times|(?P<word>once|twice))\s+(?:{_PER}(?P<per>day|week)"
    rf"|(?P<daily>daily))\b|{_START}(?P<days>{_NUMBER})\s+days?\s+{_PER}week\b"
    r"|(?<!other )(?<!second )(?<!third )\b(?P<every>every day|each day|daily)\b",
    re.IGNORECASE,
)
# How often as an interval: "every hour", "hourly", "every 2 hours", "every 30 minutes"
# (sessions a day, H429). The sessions a waking day holds: at least 12 and at most 18 waking
# hours (adults sleep 6 to 12 hours), so "every hour" is 12 to 18 sessions, "every 3 hours" 4
# to 6: a dosage outside that range says something else than the step.
# "Every waking hour", "every couple of hours", "two-hourly", "half-hourly" are intervals too
# (H531: "two-hourly" was read as "hourly").
_INTERVAL = compiled(
    rf"{_START}(?:every\s+(?:waking\s+)?(?:(?P<hours>{_NUMBER})\s+hours"
    rf"|(?P<minutes>{_NUMBER})\s+min(?:ute)?s|(?P<couple>couple\s+of\s+hours)"
    r"|(?P<half>half\s+(?:an\s+)?hour)|(?P<hour>hour))"
    rf"|(?:(?P<nhourly>{_NUMBER})[-\s]?|(?P<halfhourly>half)[-\s]?)?(?P<hourly>hourly))\b",
    re.IGNORECASE,
)
_WAKING_HOURS = (12, 18)
# The ways of writing an amount above, as one set (`_amounts` searches only those whose words
# a text holds, asking by their places in the set).
_WAYS = PatternSet((_AMOUNT, _SETS_BY, _SETS_OF, _ORDINAL_SET, _FREQUENCY, _INTERVAL))
_AMOUNT_AT, _SETS_BY_AT, _SETS_OF_AT, _ORDINAL_SET_AT, _FREQUENCY_AT, _INTERVAL_AT = range(6)
# What a number (`_NUMBER`) starts with: a digit, or a number word (as a set, for its words).
_DIGIT = compiled(rf"\d|{_FRACTIONS}")
_NUMBER_WORDS = PatternSet(
    (
        compiled(rf"\b(?:{_number_word_pattern()})\b", re.IGNORECASE),
        compiled(_before_a_unit(" "), re.IGNORECASE),
        compiled(r"\ban? (?:minute|hour) and a half\b", re.IGNORECASE),
    )
)
_EVERY_BEFORE = compiled(r"\bevery\s+$", re.IGNORECASE)
_FREQUENCY_AFTER = compiled(rf"^\s+(?:{_PER}(?:day|week)|daily)\b", re.IGNORECASE)
FREQUENCY_FIELDS = ("sessions_per_day", "days_per_week")


class Amount(Record):
    __slots__ = ("field", "low", "high", "words", "baseline")
    field: str  # seconds (of the hold or duration), rest_seconds, repetitions or sets
    low: float
    high: float
    words: str
    baseline: bool

    def __init__(self, field: str, low: float, high: float, words: str, baseline: bool) -> None:
        init(self, "field", field)
        init(self, "low", low)
        init(self, "high", high)
        init(self, "words", words)
        init(self, "baseline", baseline)


class DosageText(Rule):
    """A number in the patient's text contradicts the dosage.

    The dosage line says "2 × 45 s hold"; a step that says "hold for 30 seconds", or a
    progression that says "when 30 seconds feels easy", tells the patient something else, and
    one of them is wrong. Numbers with a unit (seconds, minutes, repetitions, times, sets) are
    read from the steps, cues, progression and regression of each exercise, and compared with
    the dosage the protocol prescribes (a library exercise's default, or the protocol's
    override): in steps and cues they must be the dosage, and an amount the dosage does not
    set ("hold for 5 minutes" in an exercise dosed in repetitions) must be within the safe
    limit of DOSE001; in a progression the amount it
    starts from ("when 30 seconds feels easy") must be the dosage and the amount it goes to
    must be more, and within the safe limit of DOSE001 ("hold for up to 5 minutes" is not);
    in a regression, less. A progression told as a step up ("add two repetitions", "hold 5
    seconds longer", "increase it by 2 repetitions") says how much to add, not the total, and
    is a progression; so is a regression told as a step down ("take off 2 repetitions").
    A range ("20 to 30 seconds") matches any value in it.
    Numbers may be written as words ("thirty seconds", "half an hour", "a couple of minutes":
    `protocol_kit/lint/data/number_words.json`) or as sets by repetitions ("2 x 10", "2 sets
    of 10"); a time said of the rest ("rest for 60 seconds between sets") is compared with the
    rest, not the hold. How often a step or cue says to do it ("three times a day", "twice
    daily", "twice a week", "5 days a week", "every day") must be the dosage's sessions a day
    or days a week: "3 times a day" is a frequency, not 3 repetitions. An interval ("every
    hour", "hourly", "every 2 hours", "every 30 minutes") is as many sessions as a waking day
    of 12 to 18 hours holds:
    "repeat every hour" beside a dosage of once a day is a contradiction. The general advice
    and education are read too, where a sentence names the programme ("do these exercises
    every hour", "repeat the programme three times a day"): each exercise's dosage must agree;
    a sentence that names one exercise ("do the stretch every half an hour") must agree with
    some exercise's dosage. A dose with no number ("as many as you can", "until exhausted",
    "hold for as long as you can") in a step, cue, intensity or progression is refused: the
    dosage line gives a number (CERT item 8). A time of lying or sitting still ("lie flat on
    your back for 5 minutes") in an exercise without a hold is a rest, not a hold.

    Bad (a protocol that changes the stretch's hold to 45 seconds):

        "dosage": {"hold_seconds": 45}, with the library's progression
        "When 30 seconds feels easy, hold for up to 60 seconds."

    Good:

        "progression": "When the hold on your dosage line feels easy, hold for up to 60
         seconds."
    """

    code = "DOSE005"
    name = "dosage-text"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a number in the patient's text contradicts the dosage (a hold, repetitions, sets)"

    # Reads the exercise, the protocol's language (in its `exercises_key`) and the run's
    # bounds: nothing of the rest of the protocol.
    exercise_part = True

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        # One answer per exercise (its content, place and the protocol's language, see
        # `exercise_key`), shared by every file with the same exercise: the texts' numbers
        # are compared with the dosage once per run, not once per file.
        return self.kept_about(
            protocol,
            context,
            index,
            lambda exercise: self._check_exercise(exercise, protocol.language, context),
            dosage=True,  # reads the whole exercise
        )

    def outside(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # The general advice and education, said of the whole programme (H466).
        for pointer, message in _programme_frequencies()(protocol, context):
            yield Problem(pointer, message)

    def _check_exercise(
        self, exercise: Exercise, language: str, context: Context
    ) -> Iterator[Problem]:
        source = exercise.library
        if source is None:
            found = contradictions(exercise)
        else:
            # A library exercise's texts are the same in every protocol that uses it: what
            # contradicts depends only on the file and the dosage, wherever it is used.
            key = ("dosage-text", source.content, tuple(exercise.dosage.fields().items()))
            found = context.memo.get(key)
            if found is None:
                found = context.memo[key] = contradictions(exercise)
        for text, field, problem in found:
            yield _where(exercise, text, field, problem)
        for text, field, problem in _beyond_limits(exercise, language, context):
            yield _where(exercise, text, field, problem)
        # A dose with no number ("until exhausted", "as many as you can"), H532.
        for text, field, problem in unbounded_doses(exercise):
            yield _where(exercise, text, field, problem)


def _beyond_limits(
    exercise: Exercise, language: str, context: Context
) -> Iterator[tuple[Text, str, str]]:
    """A progression that goes beyond the safe limit of its exercise type ("hold for up to 5
    minutes" for a stretch): the patient progresses to a dose DOSE001 would refuse. So does a
    step or cue that states an amount the dosage does not set ("hold for 5 minutes" in an
    exercise dosed in repetitions; H396): the patient reads it beside the dosage line, and no
    other rule judges it."""
    texts = [("progression", exercise.progression)] if exercise.progression else []
    texts += [("step", t) for t in exercise.steps] + [("cue", t) for t in exercise.cues]
    for kind, text in texts:
        value = english(text)
        if value is None:
            continue
        for amount in amounts(value):
            if amount.baseline or amount.field in FREQUENCY_FIELDS or _unreadable(kind, amount):
                continue  # an unreadable number is reported by `contradictions`
            field = dosage_field(exercise, amount.field)
            if kind != "progression":
                if getattr(exercise.dosage, field) is not None:
                    continue  # compared with the dosage by `contradictions`
                if field == "duration_seconds" and exercise.type != "aerobic":
                    field = "hold_seconds"  # a time in a step of an exercise without one
                if field == "hold_seconds" and still_time(value, amount.words):
                    field = "rest_seconds"  # "lie flat on your back for 5 minutes" (H533)
            for problem in dosage_problems(exercise.type, {field: amount.high}, context.bounds):
                if problem.severity is Severity.ERROR:
                    said = f"{kind} says {shown(amount.words)}"
                    yield text, field, f"{said}: {problem.message}"


# A time said of lying or sitting still ("lie flat on your back for 5 minutes", "sit quietly
# for 2 minutes") is a rest, not a hold, when the dosage sets no hold (H533); "lie on your
# back and hold the stretch for 5 minutes" is still a hold.
_STILL_BEFORE = compiled(
    r"\b(?:lie|lying|lay|sit|sitting|relax\w*|rest\w*)\b(?:(?!\b(?:hold\w*|stretch\w*|press\w*"
    r"|squeez\w*|push\w*|pull\w*|lift\w*|rais\w*|keep\w*|balanc\w*|stand\w*|plank\w*|bridg\w*"
    r"|tighten\w*|brac\w*|repeat\w*)\b)[^.;,]){0,40}$",
    re.IGNORECASE,
)


@text_cache()
def still_time(text: str, words: str) -> bool:
    """Whether the amount `words` of `text` is a time of lying or sitting still."""
    at = text.find(words)
    return at >= 0 and _STILL_BEFORE.search(text[:at]) is not None


def contradictions(exercise: Exercise) -> list[tuple[Text, str, str]]:
    """(text, dosage field, what is wrong) for each number that contradicts the dosage."""
    texts = [("step", t) for t in exercise.steps] + [("cue", t) for t in exercise.cues]
    texts += [(kind, t) for kind, t in (("progression", exercise.progression),
              ("regression", exercise.regression)) if t is not None]  # fmt: skip
    found = []
    for kind, text in texts:
        value = english(text)
        if value is None:
            continue
        for amount in amounts(value):
            problem = _unreadable(kind, amount)
            if problem is None and not _step_of_its_way(kind, value, amount.words):
                problem = _contradiction(exercise, kind, amount)
            if problem:
                found.append((text, amount.field, problem))
    return found


# A progression told as a step up ("add 5 seconds", "hold 5 seconds longer", "increase by 2
# repetitions") and a regression told as a step down ("take off 2 repetitions", "hold 10
# seconds less") say how much to change, not the new dose: "add two repetitions" beside 10 is
# 12, a progression (the thirty-first sitting's prescription review, H1325: progressive
# overload is written this way; CERT item 7, the progression's rule). A step the wrong way
# ("reduce by 2 repetitions" as a progression) is still compared as a total.
_UP_BEFORE = compiled(
    r"\b(?:add|adding|adds|another|extra|further)\s+(?:on\s+|in\s+|another\s+|an?\s+extra\s+"
    r"|a\s+further\s+|up\s+to\s+|about\s+|around\s+)?$"
    r"|\b(?:increas|rais|lengthen|extend|build)\w*\b[^.;:,]{0,30}\bby\s+(?:up\s+to\s+|about\s+)?$",
    re.IGNORECASE,
)
_UP_AFTER = compiled(r"^\s*(?:more|longer|extra)\b", re.IGNORECASE)
_DOWN_BEFORE = compiled(
    r"\b(?:take|taking|takes)\s+(?:off|away)\s+(?:about\s+)?$"
    r"|\b(?:reduc|decreas|lower|shorten|cut|drop)\w*\b[^.;:,]{0,30}\bby\s+(?:about\s+)?$",
    re.IGNORECASE,
)
_DOWN_AFTER = compiled(r"^\s*(?:fewer|less|shorter)\b", re.IGNORECASE)


def _step_of_its_way(kind: str, text: str, words: str) -> bool:
    """Whether the amount `words` of `text` is a step up in a progression, or a step down in a
    regression, rather than the dose it goes to."""
    if kind not in ("progression", "regression"):
        return False
    at = text.find(words)
    if at < 0:
        return False
    before, after = text[:at], text[at + len(words) :]
    if kind == "progression":
        return _UP_BEFORE.search(before) is not None or _UP_AFTER.match(after) is not None
    return _DOWN_BEFORE.search(before) is not None or _DOWN_AFTER.match(after) is not None


def _unreadable(kind: str, amount: Amount) -> str | None:
    """A number that reads more than one way ("1,0030 seconds", "1,5 minutes"): the patient
    may read either, so it is reported whatever the dosage says (H470)."""
    if not (math.isnan(amount.low) or math.isnan(amount.high)):
        return None
    return (
        f"{kind} says {shown(amount.words)}, a number that reads more than one way: write it "
        "with digits alone (1000), a comma before every three digits (1,000) or a point "
        "before a fraction (1.5)"
    )


def may_give_frequency(text: str) -> bool:
    """Whether `text` may say how often (sessions a day, days a week: `_FREQUENCY` and
    `_INTERVAL`, the only ways of writing an amount that give one); False when it lacks the
    words every one of them needs."""
    may = _WAYS.may_search(text)
    return _FREQUENCY_AT in may or _INTERVAL_AT in may


@text_cache()
def amounts(text: str) -> tuple[Amount, ...]:
    """Every amount `text` states. The same steps and cues recur in many protocols of a run
    (copied exercises, library exercises with another dosage), and reading them is the
    costliest part of this rule: read each text once."""
    return tuple(_amounts(text))


def _starting_with_a_number(
    pattern: re.Pattern[str], text: str, at_digits: bool
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for `_AMOUNT` and `_SETS_BY`, each of whose matches starts
    with `_NUMBER` (their `_START` looks only around): `at_digits`, when the text holds no
    number word (`_NUMBER_WORDS`), says that a match can start only at a digit, and the
    pattern is tried there alone (H735). Searched from the start, the pattern is tried at
    every character, its number words at every word (IGNORECASE: no quick scan), about 9 µs
    a step of a clinic's own texts (issue 17). The same matches: a search returns the match
    at the first place, in order, where one starts, as `match` there does (the looks back
    and `\\b` read the text before that place either way), and goes on from its end, as
    this does; no match is empty (a number is at least a digit)."""
    if not at_digits:
        yield from pattern.finditer(text)
        return
    end = 0
    for digit in _DIGIT.finditer(text):
        start = digit.start()
        if start >= end:
            found = pattern.match(text, start)
            if found is not None:
                yield found
                end = found.end()


def _amounts(text: str) -> Iterator[Amount]:
    # Each way of writing an amount is searched only in a text that holds its words (most
    # steps hold one or two of them, many none): `pattern_sets`, issue 17.
    may = _WAYS.may_search(text)
    at_digits = not _NUMBER_WORDS.may_match(text)
    if at_digits and _DIGIT.search(text) is None:
        # Every amount, a number of sets by repetitions and sets of a number start with a
        # number: a digit or a number word (`_NUMBER`), and this text has neither.
        may = may - {_AMOUNT_AT, _SETS_BY_AT, _SETS_OF_AT}
    for found in _starting_with_a_number(_AMOUNT, text, at_digits) if _AMOUNT_AT in may else ():
        if folded(found["low"]) == "one" and not found["high"]:
            continue  # "that is one repetition": says what a repetition is, not how many
        if folded(found["unit"]) == "times" and _FREQUENCY_AFTER.match(text[found.end() :]):
            continue  # "3 times a day": how often, read below
        if _EVERY_BEFORE.search(text[: found.start()]):
            continue  # "every 30 minutes": how often, read below
        unit = _UNITS[folded(found["unit"])]
        if unit == 3600 and _SINCE_BEFORE.search(text[: found.start()]):
            continue  # "within 24 hours": when, not how long
        low = _number(found["low"])
        high = _number(found["high"]) if found["high"] else low
        if found["half"]:  # "a minute and a half", "1 hour and a half"
            low, high = low + 0.5, high + 0.5
        if unit == "r":
            field = "repetitions"
        elif unit == "sets":
            field = "sets"
        else:
            field, low, high = "seconds", low * unit, high * unit
            if _REST_BEFORE.search(text[: found.start()]) or _REST_AFTER.search(
                text[found.end() :]
            ):
                field = "rest_seconds"
        baseline = _BASELINE.search(text[: found.start()]) is not None
        if unit == 3600 and (
            baseline or field == "rest_seconds" or still_time(text, found.group(0))
        ):
            # "if it settles for 24 hours", "rest for a few hours", "sit for half an hour
            # before you start" (H711: read since "half an hour" is a number): not the dose
            continue
        yield Amount(field, low, high, found.group(0), baseline)
    for found in _starting_with_a_number(_SETS_BY, text, at_digits) if _SETS_BY_AT in may else ():
        baseline = _BASELINE.search(text[: found.start()]) is not None
        sets = _number(found["sets"])
        yield Amount("sets", sets, sets, found.group(0), baseline)
        if not found["unit"]:
            reps = float(found["reps"])
            yield Amount("repetitions", reps, reps, found.group(0), baseline)
    for found in _SETS_OF.finditer(text) if _SETS_OF_AT in may else ():
        low = _number(found["low"])
        high = _number(found["high"]) if found["high"] else low
        baseline = _BASELINE.search(text[: found.start()]) is not None
        yield Amount("repetitions", low, high, found.group(0), baseline)
    for found in _ORDINAL_SET.finditer(text) if _ORDINAL_SET_AT in may else ():
        number = _ORDINALS[folded(found[1])]
        yield Amount("sets", number, number, found.group(0), False)
    for found in _FREQUENCY.finditer(text) if _FREQUENCY_AT in may else ():
        baseline = _BASELINE.search(text[: found.start()]) is not None
        if found["every"]:
            field, number = "days_per_week", 7.0
        elif found["days"]:
            field, number = "days_per_week", _number(found["days"])
        else:
            per = folded(found["per"] or "day")  # "twice daily" has no "a day": it is daily
            field = "days_per_week" if per == "week" else "sessions_per_day"
            word = folded(found["word"] or "")
            number = {"once": 1.0, "twice": 2.0}.get(word) or _number(found["n"])
        yield Amount(field, number, number, found.group(0), baseline)
    for found in _INTERVAL.finditer(text) if _INTERVAL_AT in may else ():
        if found["hours"] or found["nhourly"]:
            hours = _number(found["hours"] or found["nhourly"])
        elif found["couple"]:
            hours = 2.0
        elif found["halfhourly"]:
            hours = 0.5
        elif found["minutes"]:
            hours = _number(found["minutes"]) / 60
        else:
            hours = 0.5 if found["half"] else 1.0
        if math.isnan(hours):
            low = high = math.nan  # "every 1,5 hours": reported as unreadable
        elif hours <= 0:
            continue
        else:
            low = math.floor(_WAKING_HOURS[0] / hours)
            high = math.ceil(_WAKING_HOURS[1] / hours)
        baseline = _BASELINE.search(text[: found.start()]) is not None
        yield Amount("sessions_per_day", float(low), float(high), found.group(0), baseline)


def dosage_field(exercise: Exercise, field: str) -> str:
    """The dosage field an amount's field names: "seconds" is the hold, or the duration of an
    exercise without one."""
    if field != "seconds":
        return field
    return "hold_seconds" if exercise.dosage.hold_seconds is not None else "duration_seconds"


def _contradiction(exercise: Exercise, kind: str, amount: Amount) -> str | None:
    dosage = exercise.dosage
    field = dosage_field(exercise, amount.field)
    current = getattr(dosage, field)
    if current is None:
        return None
    said = f"{kind} says {shown(amount.words)}"
    has = _described(field, current)
    if field in FREQUENCY_FIELDS and kind not in ("step", "cue"):
        return None  # a progression may change how often; only the steps and cues must agree
    if kind in ("step", "cue") or amount.baseline:
        if not amount.low <= current <= amount.high:
            return f"{said}, but the dosage {has}"
        return None
    if kind == "progression" and amount.high <= current:
        return (
            f"{said}, which is not more than the dosage's {_shown_number(current)}: "
            "it is no progression"
        )
    if kind == "regression" and amount.low >= current:
        return (
            f"{said}, which is not less than the dosage's {_shown_number(current)}: "
            "it is no regression"
        )
    return None


def _described(field: str, value: float) -> str:
    words = {
        "hold_seconds": "holds for {} seconds",
        "duration_seconds": "lasts {} seconds",
        "repetitions": "has {} repetitions",
        "sets": "has {} sets",
        "rest_seconds": "rests {} seconds",
        "sessions_per_day": "is done {} a day",
        "days_per_week": "is done on {} days a week",
    }
    if field == "sessions_per_day":
        return words[field].format({1: "once", 2: "twice"}.get(value, f"{value:g} times"))
    return words[field].format(_shown_number(value))


def _shown_number(value: float) -> str:
    return number_text(value)


def _where(exercise: Exercise, text: Text, field: str, problem: str) -> Problem:
    """The problem at its place: the protocol's dosage override when the number there made
    the contradiction (naming the library text), else the text (for a library exercise, its
    entry, naming the place in the library file)."""
    field = dosage_field(exercise, field)
    message = f"exercise '{exercise.id}': {problem}"
    source = exercise.library
    where, place = library_where(exercise, text.origin.pointer)
    if source is not None and field in source.dosage_override:
        pointer, _, _ = dosage_field_pointer(exercise, field)
        said = f"{message} (the text is in library exercise '{source.ref}')"
        return Problem(pointer, said, in_library=place)
    if source is not None:
        return Problem(source.entry.pointer, message + where, in_library=place)
    return Problem(text.origin.pointer, message)


# `_programme_frequency.programme_frequencies`, once imported (`_programme_frequencies`).
_IMPORTED: dict[str, Callable[[Protocol, Context], Iterable[tuple[str, str]]]] = {}


def _programme_frequencies() -> Callable[[Protocol, Context], Iterable[tuple[str, str]]]:
    """`programme_frequencies`, imported at the first file (its module imports this one) and
    kept: an import statement run for every file cost about 4 µs each time, the module
    already loaded (issue 17, twenty-fifth sitting)."""
    if "programme_frequencies" in _IMPORTED:  # asked for every file: `in`, not `get`
        return _IMPORTED["programme_frequencies"]
    from protocol_kit.lint.rules._programme_frequency import programme_frequencies

    found = _IMPORTED["programme_frequencies"] = programme_frequencies
    return found
