"""Numbers written in raised or lowered digits.

The sheet font prints the superscript and subscript digits ("m²", "VO₂max"), and after a
letter or a digit they are an exponent, a unit or a formula. Standing as a number of their own
("Hold for ³⁰⁰ seconds") they are read by a patient as the number, while every check that
reads numbers in a text (DOSE005's holds and frequencies, the pain scores, SAFE015's numbers
in a translation) finds no number there: "Hold for ³⁰⁰ seconds" passed where "Hold for 300
seconds" is DOSE005's error (H646). Such a number is refused wherever text reaches a sheet
(TEXT004), with the ordinary digits to write instead.
"""

from __future__ import annotations

import re

from protocol_kit.patterns import compiled

SMALL_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074-\u2079\u2080-\u2089"
# A run of raised or lowered digits that starts the text or follows a space: a number of its
# own, not the exponent or index of what is before it.
SMALL_NUMBER_PATTERN = rf"(?<!\S)[{SMALL_DIGITS}]+"
SMALL_NUMBER = compiled(SMALL_NUMBER_PATTERN)
_ANY_SMALL_DIGIT = compiled(f"[{SMALL_DIGITS}]")
_ORDINARY = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
    "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089",
    "01234567890123456789",
)


def may_hold_small_digit(text: str) -> bool:
    return _ANY_SMALL_DIGIT.search(text) is not None


def small_number_message(found: re.Match[str]) -> str:
    """What is wrong with the number `found` (from `SMALL_NUMBER`), in words."""
    number = found.group()
    return (
        f'the number "{number}" is written in raised or lowered digits, which no check reads as '
        f'a number: write it "{number.translate(_ORDINARY)}"'
    )
