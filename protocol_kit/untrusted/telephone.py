"""A telephone number as the patient reads it, and as the checks read it.

Every number a sheet prints for the patient to dial (the clinic's `phone`, `emergency_number`
and `urgent_number` in protokit.toml; a prescription's `therapist.phone`) is read by the
checks up to its last digit, and what follows as a note ("0113 496 0000 (9am-5pm)"). A letter
a reader takes for a digit, or a digit of another kind, touching the digits is read by the
patient as part of the number and by the checks as its end: the clinic's line written
"0l632 960000" passed as the emergency number "0" (H707), and a prescriber's "0l13 496 0124"
printed as their direct line (H1540). So with such a letter starting a later group of digits:
"+44 O113 496 0124" was the number "+44" and a note. One check for every such number, here.
"""

from __future__ import annotations

import re

from protocol_kit.patterns import compiled
from protocol_kit.untrusted.text import character_name, quoted

# The number a patient dials, as the checks of `clinic.numbers` read it: digits and the
# spaces, brackets, hyphens and + between them, from the start of the value.
_DIALLED = compiled(r"[+(]{0,2}[0-9() -]*[0-9]")


# ASCII letters a reader takes for digits (O 0, l I | 1, Z 2, S 5, b 6, B 8, g q 9); any
# letter or digit beyond ASCII as well ("9¹1", a Cyrillic "О").
_LETTERS_LIKE_DIGITS = "OoIl|ZSbBgq"
_LIKE_DIGITS = frozenset(_LETTERS_LIKE_DIGITS)


def dialled_problem(value: str) -> str | None:
    """Why a telephone value's number is read otherwise by the patient than by the checks, or
    None: a letter or another kind of digit touching its digits ("99O", "0l632 960000",
    "9¹1"). A value that does not start with the digits to dial is the pattern's to refuse."""
    found = _DIALLED.match(value)
    if found is None:
        return None  # the pattern's own message: a number starts with the digits to dial
    after = value[found.end() : found.end() + 1]
    if after not in _LIKE_DIGITS and (after.isascii() or not after.isalnum()):
        return _group_after(value, found.end())
    return (
        f"has {quoted(after)} ({character_name(after)}) straight after the digits "
        f"{quoted(found.group())}: a patient reads it as part of the number, the checks as "
        "its end; write the number in the digits 0 to 9, and any note after a space"
    )


# A next group of the number that starts with a letter read as a digit: "+44 O113 496 0124",
# "0113 496 O124" (after a space or a hyphen, the letter followed by a digit).
_LETTER_STARTS_A_GROUP = compiled(rf"[ -]+([{re.escape(_LETTERS_LIKE_DIGITS)}][0-9]+)")


def _group_after(value: str, end: int) -> str | None:
    """Why the group after the number's digits (at `end`) is read as more of the number, or
    None: "9am-5pm", "24h", "1st floor", "Building B2" are a note's words (H1540)."""
    found = _LETTER_STARTS_A_GROUP.match(value, end)
    if found is None:
        return None
    group, letter = found.group(1), found.group(1)[0]
    return (
        f"has {quoted(letter)} ({character_name(letter)}) starting the digits {quoted(group)}: "
        f"a patient reads it as a digit of the number, the checks the number as "
        f"{quoted(value[:end])} and the rest as a note; write the number in the digits 0 to 9, "
        "and any note after a space"
    )
