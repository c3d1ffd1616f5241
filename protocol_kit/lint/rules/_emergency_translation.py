"""Whether a translation of a safety text sent to the emergency department (or the maternity
unit) still sends the patient there, now (SAFE018, H1725-H1727): "Chest pain: call 999 now"
translated as "Douleur dans la poitrine : appelez la clinique demain" sends a patient who reads
French to the clinic tomorrow. The words are data (`data/emergency_translation.json`, with the
straight-away and later words of `data/translation_meaning.json`), per language; the text is
split as `_negation` splits it, so the translation checks read a text the same way."""

from __future__ import annotations

import functools

from protocol_kit.bounded import text_cache
from protocol_kit.findings import shown
from protocol_kit.lint.rules._negation import split_words
from protocol_kit.lint.rules._translation_meaning import meaning_words
from protocol_kit.package_data import read_json

# The boxes whose place a translation must keep: the emergency and the maternity unit.
SENT_NOW = ("emergency", "maternity")


@text_cache()
def emergency_changed(
    source: str, own: str, translated: str, language: str, box: str
) -> str | None:
    """What `translated` (in `language`) changes of where and when `source` (in `own`, sent
    to `box`: 'emergency' or 'maternity') sends the patient, said for SAFE018's message, or
    None. Only languages with words for every kind are compared."""
    numbers_known, words = _words()
    own, language = own.split("-")[0].lower(), language.split("-")[0].lower()
    if any(own not in by_language or language not in by_language for by_language in words.values()):
        return None
    source_text, text = split_words(source)[1], split_words(translated)[1]
    originals = {source_text: source, text: translated}

    def says(kind: str, padded: str, *languages: str) -> str | None:
        """The words in `padded` that hold a piece of `kind` in one of `languages`, or None."""
        for lang in languages:
            for piece in words[kind][lang]:
                if piece in padded:
                    return _word_with(padded, piece, originals[padded])
        return None

    changed = []
    numbers = [n for n in numbers_known if f" {n} " in source_text]
    if missing := [n for n in numbers if f" {n} " not in text]:
        changed.append("leaves out " + ", ".join(f'"{n}"' for n in missing))
    # The places that keep the box, and those below it; a text left untranslated keeps the
    # original's words, so the original's language counts for the places it keeps.
    places = ("emergency", "maternity") if box == "maternity" else ("emergency",)
    lower = ("lower",) if box == "maternity" else ("lower", "maternity")
    kept = any(f" {n} " in text for n in numbers) or any(
        says(kind, text, language, own) for kind in places
    )
    if not kept:
        place = (
            "the emergency department or number"
            if box == "emergency"
            else "the maternity unit or the emergency"
        )
        # A red flag's box names its place though its words may not ("Chest pain, tightness
        # or pressure" under "Call 999"): a lower place in the translation is one put instead,
        # unless the original names it too ("call 999, then tell your physiotherapist").
        instead = None
        if not any(says(kind, source_text, own) for kind in lower):
            instead = next(filter(None, (says(kind, text, language) for kind in lower)), None)
        if instead is not None:
            changed.append(f"sends the patient to {shown(instead)} instead of {place}")
        elif numbers or any(says(kind, source_text, own) for kind in places):
            changed.append(f"no longer names {place}")
    if (says("at_once", source_text, own) or says("now", source_text, own)) and not (
        says("at_once", text, language, own) or says("now", text, language, own)
    ):
        changed.append('leaves out "now" (or "straight away")')
    if not says("later", source_text, own) and (later := says("later", text, language)):
        changed.append(f"puts it off to later ({shown(later)})")
    return "; ".join(changed) if changed else None


def _word_with(padded: str, piece: str, original: str) -> str:
    """The words of `padded` that hold `piece`, as the message quotes them: "kinésithérapeute"
    for the stem "kinésithérapeut", and as `original` writes them ("rendez-vous") where
    lower-casing kept its length (nearly always), since splitting keeps every place."""
    at = padded.index(piece)
    start = at + len(piece) - len(piece.lstrip())  # the piece's first letter
    end = at + len(piece.rstrip())
    while not padded[start - 1].isspace():  # to the whole word: the padding ends it
        start -= 1
    while not padded[end].isspace():
        end += 1
    if len(padded) == len(original) + 2:  # the padding's two spaces
        return original[start - 1 : end - 1]
    return padded[start:end]


@functools.lru_cache(maxsize=1)
def _words() -> tuple[tuple[str, ...], dict[str, dict[str, tuple[str, ...]]]]:
    """The emergency numbers, and each kind's pieces by language."""
    meaning = meaning_words()  # SAFE015's straight-away and later words, as it reads them
    data = read_json("protocol_kit.lint", "data/emergency_translation.json")
    kinds = {kind: meaning[kind] for kind in ("at_once", "later")}
    kinds.update(
        (kind, {language: tuple(pieces) for language, pieces in data[kind].items()})
        for kind in ("now", "emergency", "maternity", "lower")
    )
    return tuple(data["emergency_numbers"]), kinds
