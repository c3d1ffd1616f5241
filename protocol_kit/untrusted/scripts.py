"""Words that mix alphabets: a Cyrillic or Greek letter that looks like a Latin one inside a
Latin word ("chеst pain" with the Cyrillic "е"), or a Latin one inside a Cyrillic word.

The sheet font prints Latin, Greek and Cyrillic, so such a word prints exactly as the word it
imitates, while every check that reads words (the red flags, the stop criteria, the pain and
dosage rules) reads another word, or none: "If you get chеst pain, ring your physiotherapist
tomorrow" passed SAFE006 when it held one Cyrillic letter (H645). A keyboard switched to
another layout half way through a word, or text copied from a program that "styles" letters,
is enough; no language writes one word in two of these alphabets. So a word is refused when it
holds letters of two of them and one of its letters looks like a letter of the other (Unicode's
confusable characters, as packaged by confusable-homoglyphs: `identity` uses them for
publishers' names), and so is a word of a mostly Latin text written wholly in Greek or Cyrillic
letters that each look like a Latin one ("during ѕех" in Cyrillic letters), when the text has
no real Greek or Cyrillic word. Letters of another alphabet that look like no Latin letter are
left alone, so that units and symbols written beside Latin letters ("25 μg", "1 kΩ") stay as
written, and so is a text mostly in Greek or Cyrillic (a translation, whose Latin brand names
are words of their own).

A word is a run of letters (`[^\\W\\d_]`); a hyphen, digit or space ends it ("β-blocker").
"""

from __future__ import annotations

import re
from functools import lru_cache

from protocol_kit.patterns import compiled
from protocol_kit.untrusted.text import character_name

# The Greek and Cyrillic blocks (with their supplements and extensions): a text without one of
# these characters cannot mix them with Latin, and is not looked at further.
_GREEK_OR_CYRILLIC = (
    "\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
)
_OTHER_ALPHABET = compiled(f"[{_GREEK_OR_CYRILLIC}]")
_WORD = compiled(r"[^\W\d_]{2,}")
_ALPHABETS = ("LATIN", "GREEK", "CYRILLIC")
# The name of a molecule or receptor: a few Latin capitals and one small Greek letter of
# those that name subtypes ("TNFα", "IFNγ", "PPARγ", "ERβ", "PKCδ"), as a protocol names a
# medicine's target ("not while you take anti-TNFα medicines"), and "κB" of NF-κB; each was
# refused as a mixed word (H683). These four small letters after capitals complete no capital
# word to the eye (a kappa would: "WEAκ" reads "WEAK"), and "chest pαin" is still refused.
_NAMED_MOLECULE = compiled("[A-Z]{2,5}[\u03b1\u03b2\u03b3\u03b4]|\u03baB")


def may_mix_scripts(text: str) -> bool:
    """False when `text` surely holds no word that mixes alphabets (True: look)."""
    return not text.isascii() and _OTHER_ALPHABET.search(text) is not None


def is_greek_or_cyrillic(character: str) -> bool:
    return _OTHER_ALPHABET.match(character) is not None


def mixed_word(text: str) -> re.Match[str] | None:
    """The first word of `text` that mixes alphabets with a letter that looks like one of the
    other alphabet, else the first word of a mostly Latin text written wholly in Greek or
    Cyrillic letters that look like Latin ones ("ѕех" in Cyrillic) when every Greek or Cyrillic
    word of the text is such a word, or None."""
    if not may_mix_scripts(text):
        return None
    words = list(_WORD.finditer(text))
    for word in words:
        if _impostor(word.group()) is not None:
            return word
    if _main_alphabet(text) != "LATIN":
        return None
    # A text that also holds a real Greek or Cyrillic word is written in that language too
    # ("Étirez-vous. Αργά και ήρεμα."): its short words ("και") are its own.
    foreign = [word for word in words if _alphabet(word.group()[0]) != "LATIN"]
    if foreign and all(_disguised(word.group()) for word in foreign):
        return foreign[0]
    return None


class MixedScriptWords:
    """`mixed_word` as a search, for the lint's shared pass over a library's texts (which asks
    a `pattern` for its key and `search` for the first find)."""

    pattern = "mixed-script-word"

    @staticmethod
    def search(text: str) -> re.Match[str] | None:
        return mixed_word(text)


MIXED_SCRIPT_WORD = MixedScriptWords()


def mixed_word_message(found: re.Match[str]) -> str:
    """What is wrong with the word `found` (from `mixed_word`), in words."""
    word = found.group()
    impostor = _impostor(word)
    if impostor is None:  # a word of look-alike letters only (`_disguised`)
        alphabet = _alphabet(word[0]) or ""
        return (
            f'the word "{word}" is written in {alphabet.title()} letters that look like Latin '
            "ones, in a Latin text, so the sheet prints a word the checks do not read"
        )
    letter, alphabet, other = impostor
    return (
        f'the word "{word}" mixes alphabets: its {alphabet.title()} letter "{letter}" '
        f"(U+{ord(letter):04X} {character_name(letter)}) looks like a {other.title()} one, so "
        "the sheet prints a word the checks do not read"
    )


def _impostor(word: str) -> tuple[str, str, str] | None:
    """(letter, its alphabet, the alphabet it imitates) for the first letter of `word` from
    its less used alphabet that looks like a letter of the more used one (Latin wins a tie),
    or None when the word is of one alphabet or no such letter is in it."""
    counts = _alphabet_counts(word)
    if len(counts) < 2 or _NAMED_MOLECULE.fullmatch(word):
        return None
    main = _most_used(counts)
    for character in word:
        alphabet = _alphabet(character)
        if alphabet is not None and alphabet != main and _looks_like(character, main):
            return character, alphabet, main
    # A word mostly of Greek or Cyrillic letters that each look like a Latin one, with a Latin
    # letter that looks like none of theirs ("сһеѕt" with a Latin "t"), prints as the Latin
    # word it imitates just the same (H683).
    if "LATIN" in counts:
        foreign = [c for c in word if _alphabet(c) not in (None, "LATIN")]
        if all(_looks_like(character, "LATIN") for character in foreign):
            return foreign[0], _alphabet(foreign[0]) or "", "LATIN"
    return None


def _main_alphabet(text: str) -> str | None:
    """The alphabet most of the letters of `text` are of (Latin wins a tie), or None."""
    counts = _alphabet_counts(text)
    return _most_used(counts) if counts else None


def _alphabet_counts(text: str) -> dict[str, int]:
    """How many letters of `text` each of the three alphabets has (those it has any of)."""
    counts: dict[str, int] = {}
    for character in text:
        alphabet = _alphabet(character)
        if alphabet is not None:
            counts[alphabet] = counts.get(alphabet, 0) + 1
    return counts


def _most_used(counts: dict[str, int]) -> str:
    """The alphabet of the most letters in `counts` (Latin wins a tie)."""
    return min(counts, key=lambda name: (-counts[name], name != "LATIN"))


def _disguised(word: str) -> bool:
    """Whether every letter of `word` is Greek or Cyrillic and looks like a Latin letter."""
    return all(
        _alphabet(character) in ("GREEK", "CYRILLIC") and _looks_like(character, "LATIN")
        for character in word
    )


@lru_cache(maxsize=1024)
def _alphabet(character: str) -> str | None:
    """LATIN, GREEK or CYRILLIC for a letter of one of them, else None."""
    import unicodedata  # only for a text that holds Greek or Cyrillic (a start-up's milliseconds)

    name = unicodedata.name(character, "")
    for alphabet in _ALPHABETS:
        if name.startswith(alphabet):
            return alphabet
    return None


@lru_cache(maxsize=1024)
def _looks_like(character: str, alphabet: str) -> bool:
    """Whether `character` is confusable with a letter of `alphabet` (Unicode's tables)."""
    from confusable_homoglyphs import confusables

    for found in confusables.is_confusable(character, greedy=True) or ():
        for glyph in found["homoglyphs"]:
            if len(glyph["c"]) == 1 and _alphabet(glyph["c"]) == alphabet:
                return True
    return False
