"""Latin letters that print as a plain (ASCII) letter, or two, and are not a letter of any
language the sheet is written in: the Latin alpha "ɑ", the small capital "ɪ", the Latin iota
"ɩ", the script "ɡ", the one-character digraphs "ĳ" and "ǉ".

They are Latin letters, so a word holding one mixes no alphabets and TEXT004's check of mixed
words let it pass; yet "If you get chest pɑin, stop" (U+0251 for the "a") printed as the plain
words, which SAFE006 refuses, while every check read "pɑin", a word it does not know (H682).
Such a letter arrives from a "fancy text" generator, a phonetic keyboard or a PDF's own
typesetting. It is refused wherever a text can hold one, with the letters to type instead.

`LOOKALIKE_LETTERS` is every Latin letter beyond ASCII that the sheet font prints and that
Unicode's confusable characters (confusable-homoglyphs) take for ASCII letters, less the
letters of a language: "æ", "œ" (French, Danish, Norwegian), and the dotless "ı" and long "ſ",
which the prose patterns already read as "i" and "s" (`patterns.folded`); the ligatures "ﬁ"
and "ﬂ" have their own check (`ligatures`). tests/lint/test_latin_lookalikes.py works the
list out again from the font and the tables, and fails when it is not current.
"""

from __future__ import annotations

import re

from protocol_kit.patterns import compiled

LOOKALIKE_LETTERS = (
    "\u0132\u0133\u0184\u018d\u0196\u01a6\u01bd\u01c0\u01c1\u01c7\u01c8\u01c9\u01ca\u01cb"
    "\u01cc\u01f1\u01f2\u01f3\u0251\u0261\u0263\u0269\u026a\u026f\u028b\u028f\u02a3\u02a6"
    "\u02aa\u02ab\ua7b2\ua7b3\ua7b4"
)
# Letters of a language that Unicode's tables take for ASCII ones: left alone (see above).
LANGUAGE_LETTERS = "\u00c6\u00e6\u0152\u0153\u0131\u017f\ufb01\ufb02"
LOOKALIKE_PATTERN = f"[{LOOKALIKE_LETTERS}]"
LOOKALIKE = compiled(LOOKALIKE_PATTERN)


def may_hold_lookalike(text: str) -> bool:
    return LOOKALIKE.search(text) is not None


def lookalike_message(found: re.Match[str]) -> str:
    """What is wrong with the letter `found` (from `LOOKALIKE`), in words."""
    import unicodedata  # only when there is a letter to name (a start-up's milliseconds)

    letter = found.group()
    plain = imitated(letter)
    return (
        f'"{letter}" (U+{ord(letter):04X} {unicodedata.name(letter)}) prints like "{plain}", '
        f'but no check reads it as that: type "{plain}"'
    )


def imitated(letter: str) -> str:
    """The ASCII letters `letter` looks like (Unicode's confusable characters), or "" when it
    looks like none."""
    from confusable_homoglyphs import confusables

    for found in confusables.is_confusable(letter, greedy=True) or ():
        for glyph in found["homoglyphs"]:
            if glyph["c"].isascii() and glyph["c"].isalpha():
                return glyph["c"]
    return ""
