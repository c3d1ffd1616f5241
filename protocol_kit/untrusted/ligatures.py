"""Letters joined into one character: the Latin ligatures (U+FB00 to U+FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ).

A PDF copied from, or a typesetting program, can leave "ﬂutters" with one character for the
"fl"; the sheet font prints it as the two letters, while every check that reads words reads
no "fl" there: "If your heart ﬂutters and you feel light-headed, stop and rest" passed SAFE006,
which refuses the same words typed letter by letter (H649). Such a character is refused
wherever text reaches a sheet (TEXT004), with the letters to type instead.
"""

from __future__ import annotations

import re

from protocol_kit.patterns import compiled

LIGATURE_PATTERN = "[\ufb00-\ufb06]"
LIGATURE = compiled(LIGATURE_PATTERN)


def may_hold_ligature(text: str) -> bool:
    return LIGATURE.search(text) is not None


def ligature_message(found: re.Match[str]) -> str:
    """What is wrong with the ligature `found` (from `LIGATURE`), in words."""
    import unicodedata  # only when there is a ligature to name (a start-up's milliseconds)

    ligature = found.group()
    letters = unicodedata.normalize("NFKC", ligature)
    return (
        f'"{ligature}" (U+{ord(ligature):04X} {unicodedata.name(ligature)}) is one character '
        f'for the letters "{letters}", which no check reads as them: type "{letters}"'
    )
