"""Combining marks that are not on a letter.

A combining mark is drawn over the character before it. On a letter it is an accent (é written
as e and U+0301); on a digit, a sign or a space it changes what is read: "9̶9̶9" (U+0336 after
each digit, as "strikethrough text" generators write it) prints the number crossed out, and the
rules that read "10 repetitions" see "1", a mark and "0". Such a mark is refused wherever text
reaches a sheet: a telephone number of the clinic (`config`), the texts of a protocol and a
prescription (TEXT004), and the sheet itself as a last line.
"""

from __future__ import annotations

import re
import unicodedata

from protocol_kit.patterns import compiled

# The blocks of combining marks a Latin, Greek or Cyrillic text uses (the sheet font prints
# only marks of these blocks; any other is refused as unprintable).
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# A mark that follows neither a letter nor another mark (a stack of accents on a letter is
# allowed), or starts the text.
STRAY_MARK_PATTERN = rf"(?<![^\W\d_])(?<![{MARKS}])[{MARKS}]"
STRAY_MARK = compiled(STRAY_MARK_PATTERN)


def stray_mark_message(text: str, found: re.Match[str]) -> str:
    """What is wrong with the mark `found` in `text`, in words."""
    mark, at = found.group(), found.start()
    where = f"after {text[at - 1]!r}" if at else "at the start of the text"
    return (
        f"a combining mark (U+{ord(mark):04X} {unicodedata.name(mark, 'unnamed')}) {where}, "
        "which would be printed over it"
    )
