"""Whether a translation of a safety text changes what it tells the patient to do, keeping
its numbers, sentences and "not" (SAFE015, H713): "Stop if you feel dizzy" translated as
"Continuez si vous avez des vertiges", "Go to A&E straight away" as "Allez aux urgences
demain". The words are data (`data/translation_meaning.json`), per language; the text is split
as `_negation` splits it, so both read a text the same way."""

from __future__ import annotations

import functools

from protocol_kit.bounded import text_cache
from protocol_kit.lint.rules._negation import split_words
from protocol_kit.package_data import read_json


@text_cache()
def meaning_lost(source: str, own: str, translated: str, language: str) -> str | None:
    """What `translated` (in `language`) changes of `source` (in `own`), said for SAFE015's
    message, or None. Only languages with words for every kind are compared."""
    kinds = meaning_words()
    own, language = own.split("-")[0], language.split("-")[0]
    if any(own not in words or language not in words for words in kinds.values()):
        return None
    source_text, text = split_words(source)[1], split_words(translated)[1]

    def says(kind: str, padded: str, *languages: str) -> bool:
        return any(piece in padded for lang in languages for piece in kinds[kind][lang])

    # A text left untranslated keeps the original's words: the original's language counts.
    if says("stop", source_text, own) and not says("stop", text, language, own):
        return 'leaves out its "stop"'
    if says("at_once", source_text, own) and not says("at_once", text, language, own):
        return 'leaves out "straight away" (or "immediately")'
    if not says("later", source_text, own) and says("later", text, language):
        return "puts it off to later, which the original does not"
    return None


@functools.lru_cache(maxsize=1)
def meaning_words() -> dict[str, dict[str, tuple[str, ...]]]:
    """Each kind's pieces of words (stop, straight away, later...) by language."""
    data = read_json("protocol_kit.lint", "data/translation_meaning.json")
    return {
        kind: {language: tuple(pieces) for language, pieces in by_language.items()}
        for kind, by_language in data.items()
        if kind != "description"
    }
