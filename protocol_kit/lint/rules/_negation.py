"""Whether a translation of a safety text keeps its "not" (SAFE015, H653): "Do not bounce"
translated as "Rebondissez" has the same numbers and sentences as the original, and tells
the patient the opposite. The words are data (`data/negation_words.json`), per language."""

from __future__ import annotations

import functools

from protocol_kit.bounded import text_cache
from protocol_kit.package_data import read_json
from protocol_kit.patterns import ONE_APOSTROPHE

# Words are split at spaces and at these marks; the apostrophe stays inside a word ("don't",
# "n'est"), and every apostrophe as it is typed (`patterns.ONE_APOSTROPHE`: ’ ʼ ‘) is read as the
# straight one, as the red flags and SAFE013's phrases read them (H648): "donʼt" was no word.
_SPLIT = str.maketrans(dict.fromkeys('.,;:!?()[]{}"“”„«»‹›¿¡–—-/…', " ")) | ONE_APOSTROPHE


@text_cache()
def drops_negation(source: str, own: str, translated: str, language: str) -> bool:
    """Whether `source` (in `own`) says "not" and `translated` (in `language`) does not, in
    its own words or the original's (a text left untranslated keeps the original's "not").
    Languages without a word list are not compared."""
    words = _words()
    source_words = words.get(own.split("-")[0])
    target_words = words.get(language.split("-")[0])
    if (
        source_words is None
        or target_words is None
        or not _says_not(split_words(source), source_words)
    ):
        return False
    split = split_words(translated)
    return not (_says_not(split, target_words) or _says_not(split, source_words))


def split_words(text: str) -> tuple[frozenset[str], str]:
    """The text's words and the text padded with spaces, lower case: split once, looked up
    per language (a regular expression with IGNORECASE per language cost several times
    more on every safety text of a translated file)."""
    padded = f" {text.lower().translate(_SPLIT)} "
    return frozenset(padded.split()), padded


def _says_not(
    split: tuple[frozenset[str], str], negation: tuple[frozenset[str], tuple[str, ...]]
) -> bool:
    (found, padded), (words, parts) = split, negation
    return not words.isdisjoint(found) or any(part in padded for part in parts)


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    data = read_json("protocol_kit.lint", "data/negation_words.json")
    return {
        language: (frozenset(entry["words"]), tuple(entry["parts"]))
        for language, entry in data.items()
        if language != "description"
    }
