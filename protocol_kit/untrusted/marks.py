"""Combining marks that are not on a letter.

A combining mark is drawn over the character before it. On a letter it is an accent (é written
as e and U+0301); on a digit, a sign or a space it changes what is read: "9̶9̶9" (U+0336 after
each digit, as "strikethrough text" generators write it) prints the number crossed out, and the
rules that read "10 repetitions" see "1", a mark and "0". Such a mark is refused wherever text
reaches a sheet: a telephone number of the clinic (`config`), the texts of a protocol and a
prescription (TEXT004), and the sheet itself as a last line. So is a mark drawn through a letter
(U+0336 on "not" prints it struck out) and a stack of more marks on one letter than any
language uses, drawn over the lines around it; and a dot above on an i or j (or their dotless
forms), which prints as the plain letter while the rules read another word.
"""

from __future__ import annotations

import re

from protocol_kit.patterns import compiled
from protocol_kit.untrusted.text import character_name

# The blocks of combining marks a Latin, Greek or Cyrillic text uses (the sheet font prints
# only marks of these blocks; any other is refused as unprintable).
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Marks drawn through the character they are on (Unicode's overlay class): on a letter too they
# do not accent it but strike it out: "do not lift" with U+0336 on "not" reads as its opposite.
OVERLAYS = "\u0334-\u0338\u20d2\u20d3\u20d8-\u20da\u20e5\u20e6\u20ea\u20eb"
# No language the sheet prints puts more than three marks on one letter (polytonic Greek); a
# longer stack is drawn up or down over the lines around it ("Zalgo" text).
MOST_MARKS = 3
# Letters a dot above (U+0307) does not change to the eye: those that have their dot already
# (Latin and Cyrillic i and j), and the dotless i and j, which it makes look like i and j. So
# "pai\u0307n" prints as "pain" and no rule reads it as that word (H647). Lithuanian writes the
# dot on an i before an accent ("i\u0307\u0300"), where it shows: a mark after it is allowed.
DOTTED = "ij\u0131\u0237\u0456\u0458"
# A mark that follows neither a letter nor another mark, or starts the text; an overlay mark
# anywhere; a mark past the third in a row on one letter; a dot above that does not show. One
# group, so that it can be used inside a larger pattern.
STRAY_MARK_PATTERN = (
    rf"(?:(?<![^\W\d_])(?<![{MARKS}])[{MARKS}]|[{OVERLAYS}]"
    rf"|(?<=[{MARKS}]{{{MOST_MARKS}}})[{MARKS}]"
    rf"|(?<=[{DOTTED}])\u0307(?![{MARKS}]))"
)
STRAY_MARK = compiled(STRAY_MARK_PATTERN)
_OVERLAY = compiled(f"[{OVERLAYS}]")


def stray_mark_message(text: str, found: re.Match[str]) -> str:
    """What is wrong with the mark `found` in `text`, in words."""
    mark, at = found.group(), found.start()
    where = f"after {text[at - 1]!r}" if at else "at the start of the text"
    named = f"U+{ord(mark):04X} {character_name(mark)}"
    run = len(text[:at]) - len(re.sub(f"[{MARKS}]+$", "", text[:at]))
    if run >= MOST_MARKS:
        return (
            f"a combining mark ({named}) after {run} others on one letter, which would be "
            "stacked over the lines around it"
        )
    if mark == "\u0307" and at and text[at - 1] in DOTTED:
        return (
            f"a combining mark ({named}) {where}, which prints as the plain letter: the text "
            "reads as a word the checks do not read"
        )
    if _OVERLAY.fullmatch(mark) and at and text[at - 1].isalpha():
        return (
            f"a combining mark ({named}) {where}, which would be drawn through it: the text "
            "would read as struck out"
        )
    return f"a combining mark ({named}) {where}, which would be printed over it"
