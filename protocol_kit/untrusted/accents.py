"""Accents on the words of a red flag in an English text: "If you get chést pain, stop".

English writes its words without accents, and the red flags' English patterns spell them so:
"If you get chést pain, stop and ring your physiotherapist tomorrow" (an "é", typed by a
keyboard set to another language or by an autocorrection) read as a patient reads it names
chest pain, which SAFE006 sends to the emergency number, yet every check read "chést", a word
it does not know, and the text passed (H686). So an English text is read again without its
accents, and when that names a red flag the text as written does not, TEXT004 refuses it,
naming the accented words. The patterns of the other languages are written with their own
accents ("fièvre", "Schmerzen in der Brust"), so their texts are read as written only.
"""

from __future__ import annotations

from protocol_kit.patterns import compiled
from protocol_kit.untrusted.readings import plain_reading, without_accents

# A word: letters and the combining marks on them (a mark is no letter to `\w`).
_WORD = compiled("(?:[^\\W\\d_]|[\u0300-\u036f])+")


def hidden_red_flags(text: str, language: str) -> tuple[str, ...]:
    """The red-flag items `text` names in its plain reading (without the accents of an English
    text, and without a mark or hyphen inside a word: `untrusted.readings`) and not as
    written; () when there is nothing to take away."""
    plain = plain_reading(text, language, loose=True)  # `text` itself when nothing to take
    if plain == text:
        return ()
    from protocol_kit.redflags import red_flag_sets

    sets = red_flag_sets()
    named = sets.named_in(plain, language)
    if not named:  # most texts name no red flag however they are read
        return ()
    written = set(sets.named_in(text, language))
    return tuple(item for item in named if item not in written)


def accented_words(text: str) -> list[str]:
    """The words of `text` that have an accent, in order, each once."""
    words: list[str] = []
    for word in _WORD.findall(text):
        if without_accents(word) != word and word not in words:
            words.append(word)
    return words


def hidden_words(text: str) -> list[str]:
    """The words of `text` a plain reading changes (accented, or broken by a mark or a
    hyphen), in order, each once."""
    from protocol_kit.untrusted.readings import broken_words

    words = broken_words(text, loose=True)
    return words + [word for word in accented_words(text) if word not in words]


def hidden_red_flag_message(text: str, items: tuple[str, ...]) -> str:
    """TEXT004's words for a text whose accents, or marks inside its words, hide the red
    flags `items`."""
    words = ", ".join(f'"{word}"' for word in hidden_words(text)[:3])
    flags = ", ".join(items)
    return (
        f"read without the accents or the marks inside {words}, the text names a red flag "
        f"({flags}) that no check reads as written: type these words again, without accents "
        "(an English text spells them without) and without a dash, dot or other mark inside "
        "a word"
    )
