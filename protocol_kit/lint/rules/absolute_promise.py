from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from protocol_kit.findings import LibraryPlace, Severity
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    library_where,
    text_check,
    texts_may_hold,
)
from protocol_kit.model import Protocol, Text, iter_exercise_texts, iter_protocol_texts
from protocol_kit.pattern_sets import PatternSet
from protocol_kit.patterns import compiled

# English phrases that promise an outcome no exercise programme can guarantee.
PROMISES = compiled(
    r"\b(?:cur(?:e[sd]?|ing)|guarantee(?:[sd]|ing)?|miracle|miraculous|risk[- ]free"
    r"|completely safe|permanent(?:ly)? (?:fix|relief|cure)|never (?:hurt|have pain)"
    r" again|pain[- ]free forever)\b"
    # "100%" ends in a mark: inside the group, the word's edge after it let it count only
    # before a letter ("100%fit"), never in "a 100% recovery" (H955).
    r"|\b100\s?%"
)
# The promises as a set of their own: the words they need are found in the one scan of a text
# that the shared pass makes for SAFE013's and SAFE014's sets (`pattern_sets.words_in`).
_PROMISE_SET = PatternSet([PROMISES])


def promised(value: str) -> re.Match[str] | None:
    """`PROMISES`' first match in `value` lower-cased, or None.

    Its search starts with `\\b`, so `re` tries it at every character of every new text
    (about 1.5 µs a text of 80 characters, issue 17), and most texts lack every word it needs:
    such a text is not searched (H734). Only an ASCII text is answered by its words:
    `value.lower()` is then exactly the text the set reads (`pattern_needs.lowered`)."""
    if value.isascii() and not _PROMISE_SET.may_match(value):
        return None
    return PROMISES.search(value.lower())


# For the shared pass over the file's texts (`texts_may_hold`): what `_promises` reports.
# Its one string of digits is "100" ("100%"); a digit counts otherwise only as a word's
# character (`\\b`).
_PROMISES = text_check(lambda value, language: promised(value), digits=("100",))


class AbsolutePromise(Rule):
    """Patient text that promises an outcome: "cures", "guaranteed", "100%", "risk-free".

    No exercise programme can promise a result, and a patient who was promised a cure may
    ignore pain or a red flag rather than doubt the programme, or give up when it does not
    come. Patient-education guidance asks for realistic expectations. Say what the exercise is
    for and what usually happens. The list of phrases is English.

    Bad:

        "summary": "This programme cures back pain in two weeks, guaranteed."

    Good:

        "summary": "Most people find their back pain eases over a few weeks of these exercises."
    """

    code = "TEXT002"
    name = "absolute-promise"
    default_severity = Severity.WARNING
    exercise_rule = True
    summary = "patient text promises an outcome ('cures', 'guaranteed', '100%')"

    # What it finds is in a text the shared pass finds a promise in (`Rule.asked_by_place`).
    asked_by_place = True
    may_find_in_texts = _PROMISES

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not texts_may_hold(protocol, context, _PROMISES):
            return  # no text of the file promises anything (nearly every file)
        seen = context.memo.setdefault("promises", {})
        inline = [*iter_protocol_texts(protocol)]
        for exercise in protocol.exercises:
            if exercise.library is None:
                inline.extend(iter_exercise_texts(exercise))
        for text, language, phrase in _promises(inline, seen):
            yield _problem(text, text.origin.pointer, language, phrase)
        for exercise in protocol.exercises:
            source = exercise.library
            if source is None:
                continue
            # The library file's texts, and the intensity a protocol may override.
            key = (
                "promises-in-library",
                source.content,
                tuple(exercise.dosage.intensity.values.items()),
            )
            if context.memo.get(key) is False:
                continue
            found = _promises(iter_exercise_texts(exercise), seen)
            context.memo[key] = bool(found)
            for text, language, phrase in found:
                where, place = library_where(exercise, text.origin.pointer)
                yield _problem(text, source.entry.pointer, language, phrase, where, place)


_UNSEEN = object()


def _promises(texts: Iterable[Text], seen: dict[str, str | None]) -> list[tuple[Text, str, str]]:
    """(text, language, phrase) for every promise in `texts`. The same sentences recur across
    a clinic's protocols, so each is searched once per run (`seen`)."""
    found = []
    for text in texts:
        for language, value in text.values.items():
            phrase = seen.get(value, _UNSEEN)
            if phrase is _UNSEEN:
                match = promised(value)
                phrase = seen[value] = match.group(0) if match else None
            if phrase:
                found.append((text, language, phrase))
    return found


def _problem(
    text: Text,
    pointer: str,
    language: str,
    phrase: str,
    where: str = "",
    place: LibraryPlace | None = None,
) -> Problem:
    # A text in several languages is pointed at in the language with the promise; a library
    # exercise's, at the protocol's reference (its place in the library file is `place`):
    # "/exercises/1/en" named nothing in the protocol (H1051).
    return Problem(
        pointer if len(text.values) == 1 or place is not None else f"{pointer}/{language}",
        f"'{phrase}' promises an outcome{where}: say what the "
        "exercise is for and what usually happens instead",
        in_library=place,
    )
