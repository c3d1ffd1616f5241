from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import LibraryPlace, Severity
from protocol_kit.font_coverage import UNPRINTABLE as _NO_GLYPH
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    exercise_pointer,
    library_notes_found,
    library_notes_of,
    library_text_matches,
    library_where,
    text_check,
    texts_may_hold,
)
from protocol_kit.lint.rules._plain_reading import (
    PLAIN_READING,
    place_of,
    problems_in_plain_reading,
)
from protocol_kit.loading import iter_strings
from protocol_kit.model import (
    Exercise,
    Protocol,
    Text,
    iter_exercise_texts,
    iter_protocol_texts,
)
from protocol_kit.patterns import compiled
from protocol_kit.untrusted.accents import hidden_red_flag_message, hidden_red_flags
from protocol_kit.untrusted.digits import (
    SMALL_NUMBER,
    SMALL_NUMBER_PATTERN,
    may_hold_small_digit,
    small_number_message,
)
from protocol_kit.untrusted.ligatures import (
    LIGATURE,
    LIGATURE_PATTERN,
    ligature_message,
    may_hold_ligature,
)
from protocol_kit.untrusted.lookalikes import (
    LOOKALIKE,
    LOOKALIKE_PATTERN,
    lookalike_message,
    may_hold_lookalike,
)
from protocol_kit.untrusted.marks import MARKS, OVERLAYS, STRAY_MARK, stray_mark_message
from protocol_kit.untrusted.readings import plain_reading
from protocol_kit.untrusted.scripts import (
    MIXED_SCRIPT_WORD,
    is_greek_or_cyrillic,
    may_mix_scripts,
    mixed_word,
    mixed_word_message,
)
from protocol_kit.untrusted.text import character_name

# A character the font cannot print, or a combining mark on no letter (drawn over a digit, a
# sign or a space: "1̶0"), which the rules would not read as part of the word (H315), or a
# number written in raised or lowered digits, which they would not read as a number (H646),
# or letters joined into one character ("ﬂ"), which they would not read as the letters (H649),
# or a Latin letter of no language that prints as a plain one ("pɑin"), read as no word (H682).
UNPRINTABLE = compiled(
    f"{_NO_GLYPH.pattern}|{STRAY_MARK.pattern}|{SMALL_NUMBER_PATTERN}|{LIGATURE_PATTERN}"
    f"|{LOOKALIKE_PATTERN}"
)

# A `\uXXXX` escape in the file's text: the other way a character reaches a string.
_ESCAPE = compiled(r"\\u([0-9a-fA-F]{4})")
# Every character `UNPRINTABLE` finds is one the font lacks or a combining mark: a text that
# holds neither holds nothing it finds. Two scans for one class of characters each are quicker
# than the search, whose look-behinds are tried at every character (0.9 µs against 5.4 for a
# text of 50 characters).
_MARK = compiled(f"[{MARKS}{OVERLAYS}]")


def may_hold_unprintable(value: str) -> bool:
    """False when `UNPRINTABLE` finds nothing in `value` (True: search it)."""
    if _NO_GLYPH.search(value) is not None:
        return True
    # Marks and raised or lowered digits are beyond ASCII: most texts need no more scans.
    return not value.isascii() and (
        _MARK.search(value) is not None
        or may_hold_small_digit(value)
        or may_hold_ligature(value)
        or may_hold_lookalike(value)
    )


# For the shared pass over the file's texts (`library_text_matches`). The font prints every
# ASCII digit (tests/lint/test_title_shapes.py), and a mark or a word tells a letter from a
# digit (`[^\\W\\d_]`), never one digit from another. The red flags hold numbers: every digit
# of a text may count.
_UNPRINTABLE = text_check(
    lambda value, language: may_hold_unprintable(value) and UNPRINTABLE.search(value), digits=()
)
_MIXED_SCRIPTS = text_check(lambda value, language: mixed_word(value), digits=())


def reads_otherwise(value: str, language: str) -> bool:
    """Whether the red flags' (loose) plain reading of `value` is not `value` itself: where it
    is, `hidden_red_flags` finds nothing. The reading tells a digit only from a letter
    (`[^\\W\\d_]` on each side of a mark, `\\b` after an apostrophe's letters), and no accent
    is a digit, so it changes a text exactly where it changes its `digit_shape`
    (tests/lint/test_title_shapes.py): the gate of the hidden red flags' search of a title."""
    return plain_reading(value, language, loose=True) != value


_HIDDEN_RED_FLAG = text_check(hidden_red_flags, gate=reads_otherwise)
# Where the refused characters in each library file's notes are kept (`library_notes_of`).
_LIBRARY_NOTES = "TEXT004-library-notes"


class UnprintableCharacter(Rule):
    """A character the sheet cannot print: a control character, a text-direction override,
    a replacement character (U+FFFD), a letter the sheet font does not have, or a combining
    mark that is not on a letter (or a dot above an i, which does not show); a number written
    in raised or lowered digits ("³⁰⁰"), which no check reads as a number; a ligature ("ﬂ"
    for "fl"); a word that mixes alphabets, with a Cyrillic or Greek letter that looks like
    a Latin one (or a Latin one in a Cyrillic word); a Latin letter of no language that prints
    as a plain one ("ɑ" for "a", the small capital "ɪ"); or, in an English text, an accent
    that hides a red flag from the checks ("chést pain").

    Such characters usually arrive by copying text out of another program. They are invisible
    in most editors, yet a control character or a direction override can hide or reorder the
    words around it, and U+FFFD means a character was lost when a file was converted. The sheet
    refuses to print them (an empty box could hide an instruction). A combining mark belongs on
    a letter (an accent); after a digit or a sign it is drawn over it, so that "1̶0 repetitions"
    prints struck through while the dosage rules read "1" and "0". This rule reports them
    when the protocol is checked, not when a therapist is printing for a patient. A word such
    as "chеst" with the Cyrillic "е" prints as "chest", but no check reads it as that word:
    a red flag or a stop criterion written with one would pass the safety rules unread. Every
    string of the file is checked, and the texts of the library exercises it uses.

    Bad:

        "title": "Back care \\u202e programme"

    Good:

        "title": "Back care programme"
    """

    code = "TEXT004"
    name = "unprintable-character"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a text holds a hidden control character or one the sheet font cannot print"
    # Keeps the patient safe: every safety rule reads a text as this rule lets it through, so
    # a clinic that turned it off let "сһеѕt pain" (Cyrillic) pass them all unread (H705).
    ignorable = False

    # What it finds is in the file's text as written (`_may_hold_one`), a patient text the
    # shared pass finds such a character, a hidden red flag or a plain reading that differs
    # in, or a library exercise's notes: each asked once a run with the other rules asked by
    # place (`Rule.asked_by_place`).
    asked_by_place = True
    may_find_in_texts = _UNPRINTABLE | _MIXED_SCRIPTS | _HIDDEN_RED_FLAG | PLAIN_READING

    def may_find_in_own(self, protocol: Protocol, context: Context) -> bool:
        return _may_hold_one(context.source)

    def may_find_in_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> bool:
        return exercise.library is not None and bool(
            library_notes_of(exercise, context, _LIBRARY_NOTES, text_problem)
        )

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Each text is refused once: the places said already are not said again for what its
        # plain reading hides (H704).
        reported: set[tuple[str, str | None]] = set()
        for problem in self._characters(protocol, context):
            reported.add(place_of(problem))
            yield problem
        yield from problems_in_plain_reading(protocol, context, _safety_rules(), reported)

    def _characters(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if _may_hold_one(context.source):
            for pointer, value in iter_strings(context.data):
                problem = text_problem(value)
                if problem is not None:
                    yield Problem(pointer, problem)
        for exercise, text, text_value, found in library_text_matches(
            protocol, UNPRINTABLE, context, _UNPRINTABLE
        ):
            where, place = library_where(exercise, text.origin.pointer)
            message = unprintable_message(found.group(), where, text=text_value, at=found)
            yield Problem(exercise_pointer(exercise), message, in_library=place)
        for exercise, text, _, found in library_text_matches(
            protocol, MIXED_SCRIPT_WORD, context, _MIXED_SCRIPTS
        ):
            where, place = library_where(exercise, text.origin.pointer)
            message = mixed_script_message(found, where)
            yield Problem(exercise_pointer(exercise), message, in_library=place)
        for exercise, pointer, value in library_notes_found(
            protocol, context, _LIBRARY_NOTES, text_problem
        ):
            where, place = library_where(exercise, pointer)
            message = text_problem(value, where) or ""
            yield Problem(exercise_pointer(exercise), message, in_library=place)
        if texts_may_hold(protocol, context, _HIDDEN_RED_FLAG):
            yield from _accents_hiding_red_flags(protocol)


def _safety_rules() -> list[Rule]:
    """The rules that keep a patient safe (they cannot be turned off), but this one: found
    once, not for every file (the registry does not change in a run)."""
    if not _SAFETY_RULES:
        from protocol_kit.lint.registry import RULES

        _SAFETY_RULES.extend(r for r in RULES if not r.ignorable and r.code != "TEXT004")
    return _SAFETY_RULES


_SAFETY_RULES: list[Rule] = []


def _accents_hiding_red_flags(protocol: Protocol) -> Iterator[Problem]:
    """A problem for each English text whose accents hide a red flag (H686): the protocol's
    own texts where they are written, a library exercise's at its reference."""
    for text in iter_protocol_texts(protocol):
        yield from _hidden_in(text, text.origin.pointer)
    for exercise in protocol.exercises:
        for text in iter_exercise_texts(exercise):
            if exercise.library is None:
                yield from _hidden_in(text, text.origin.pointer)
            else:
                where, place = library_where(exercise, text.origin.pointer)
                yield from _hidden_in(text, exercise_pointer(exercise), where, place)


def _hidden_in(
    text: Text, pointer: str, where: str = "", place: LibraryPlace | None = None
) -> Iterator[Problem]:
    for language, value in text.values.items():
        items = hidden_red_flags(value, language)
        # A text refused already for a mark or letter it holds ("pai\u0307n") is said once.
        if items and text_problem(value) is None:
            message = f"{hidden_red_flag_message(value, items)}{where}"
            yield Problem(pointer, message, in_library=place)


def text_problem(value: str, where: str = "") -> str | None:
    """TEXT004's words for what is wrong with one string (`where`: in which text), or None (a
    prescription's check says the same)."""
    found = UNPRINTABLE.search(value)
    if found:
        return unprintable_message(found.group(), where, text=value, at=found)
    word = mixed_word(value)
    if word:
        return mixed_script_message(word, where)
    return None


def mixed_script_message(word: re.Match[str], where: str = "") -> str:
    """TEXT004's words for a word that mixes alphabets (`where`: in which text)."""
    return (
        f"{mixed_word_message(word)}{where}: type the word again with the keyboard set to the "
        "text's language"
    )


def _may_hold_one(source: str) -> bool:
    """Whether the file's text can give a string such a character: a quick look at the raw
    text, so that a clean file (nearly every file) costs microseconds, not a walk over every
    string. ASCII text can only hold DEL among the characters the font lacks; an escape may
    stand for any character. False positives only cost the walk."""
    if not source:
        return True  # no raw text (a test, an API caller): walk the data
    if source.isascii():
        if "\x7f" in source:
            return True
    elif may_hold_unprintable(source) or may_mix_scripts(source):
        return True
    # A backslash first: one `memchr` over the text, where a search for the two characters
    # `\u` steps through it a few characters at a time (11 µs of a 13,000-character file
    # against under 1; issue 17). A text without a backslash has no escape.
    return (
        "\\" in source
        and "\\u" in source
        and any(_hidden_escape(chr(int(digits, 16))) for digits in _ESCAPE.findall(source))
    )


def _hidden_escape(character: str) -> bool:
    """Whether an escaped character may be one this rule reports (it cannot print, or it
    may be a letter of a word that mixes alphabets)."""
    return UNPRINTABLE.match(character) is not None or is_greek_or_cyrillic(character)


def unprintable_message(
    character: str, where: str = "", text: str = "", at: re.Match[str] | None = None
) -> str:
    """TEXT004's words for a character the sheet cannot print (`where`: in which text), or for
    a combining mark on no letter (`at`: where it was found in `text`); a prescription's check
    says the same."""
    advice = "delete it, or type the text again if it was copied from another program"
    if at is not None and LIGATURE.fullmatch(at.group()):
        return f"{ligature_message(at)}{where}"
    if at is not None and LOOKALIKE.fullmatch(at.group()):
        return f"{lookalike_message(at)}{where}"
    if at is not None and SMALL_NUMBER.fullmatch(at.group()):
        return f"{small_number_message(at)}{where}"
    if at is not None and not _NO_GLYPH.match(character):
        return f"{stray_mark_message(text, at)}{where}: {advice}"
    name = character_name(character)
    return (
        f"character U+{ord(character):04X} ({name}){where} cannot be printed on the sheet: {advice}"
    )
