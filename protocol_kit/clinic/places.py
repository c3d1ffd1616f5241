"""Where the stop box sends a patient in an emergency (`[clinic] emergency_place`), and what
the notes after its numbers say (`emergency_number`, `urgent_number`), judged where they are
written.

The emergency group prints "Call 999 or go to PLACE." for chest pain and cauda equina signs.
The red flags' own texts are held to the words of an emergency (SAFE006: nothing that waits,
nothing lower than the emergency department), but the place came from the clinic's
configuration and was printed as written: "the pharmacy", "your GP", "A&E in the morning"
passed every command (H708). It is read with the same routing words as a red flag's text in
the emergency box (`redflags.routing_words`, English), when the configuration is loaded.

It is read as the patient reads it: with the words the emergency signs' own red flags may not
carry ("go to A&E if it gets bad / if you are worried / by taxi": H690-H692, H709, H716; the
box prints the place under every emergency sign of the sheet), and in its plain readings,
through a mark or an accent inside a word ("the ph\u2013armacy", "your G.P.", "A&E
tom\u00f3rrow": H703, H704), as SAFE006 reads a red flag's text (H743).

A number may carry a note ("999 or 112 from a mobile", "111 (24h)"), printed in the box's line
("Call 999 ... or go to ...", "... call 111.") and at every page's foot; the note was read for
other telephone numbers only, and "999 if it gets bad, or see your GP tomorrow" or "111 or wait
for your next appointment" printed as written (H745). A note is read as the place is: in the
line the box prints, and alone for a lower place.
"""

from __future__ import annotations

from collections.abc import Iterable

from protocol_kit.config import config_key, config_place, entry_place
from protocol_kit.errors import ConfigError
from protocol_kit.findings import shown
from protocol_kit.patterns import compiled

KEY = "clinic.emergency_place"
# The lines the English stop box prints the numbers in (sheet/wording/en.json), the place the
# sheet names when the clinic names none.
_EMERGENCY_LINE = "Call {number} or go to {place}."
_URGENT_LINE = (
    "See a doctor the same day; if you cannot, or it is night or the weekend, call {number}."
)
_NEAREST = "the nearest hospital emergency department"
# The number at the start of a number's value; what follows it is its note.
_LEADING_NUMBER = compiled(r"[\s\d()+-]*")


def check_places(where: str, places: Iterable[tuple[str, str]], number: str | None = None) -> None:
    """ConfigError (one line, `FILE:LINE: KEY ...`) for the first emergency place, read as the
    stop box prints it, that tells the patient to wait, plays the emergency down or sends
    them lower than the emergency department. `places`: (language tag, place) pairs, the tag
    "" for a place written once for every language; only English ones are read (the routing
    words are English). `number`: the emergency number the box prints before the place."""
    for tag, place in places:
        if tag and tag.split("-")[0].lower() != "en":
            continue
        problem = _problem(place, number or "999")
        if problem is None:
            continue
        raise ConfigError(
            f"{config_key(where, KEY)} {shown(place)} {problem}: "
            "the stop box prints it after the emergency number for chest pain and cauda "
            'equina signs ("... or go to PLACE"); name the hospital emergency department to '
            "go to, and nothing that waits",
            entry_place(where, KEY, tag) if tag else config_place(where, KEY),
        )


def _problem(place: str, number: str) -> str | None:
    """What is wrong with `place` after "Call NUMBER or go to", in any of its readings."""
    from protocol_kit.redflags import routing_words

    words = routing_words()
    # The place alone, as the routing words read a red flag's text ("Call 999" before it is
    # read as the emergency it names, and nothing lower would be looked for).
    for read in _readings(f"Go to {place}."):
        lower = words.sends_lower(read, "emergency")
        if lower is not None:
            return f"sends the patient to the {lower} level of care, not an emergency"
        if words.waits(read) or words.played_down(read) is not None:
            return "tells the patient the emergency can wait"
    # The whole line the box prints, as each emergency sign's red flag is read.
    for read in _readings(_EMERGENCY_LINE.format(number=number, place=place)):
        problem = _emergency_played_down(read, words)
        if problem is not None:
            return problem
    return None


def _emergency_played_down(read: str, words) -> str | None:
    """What in `read` plays an emergency sign down, as the signs' own red flags are read."""
    from protocol_kit.redflags import red_flag_sets

    searched: set[int] = set()  # the signs share patterns: each searched once in `read`
    for item in red_flag_sets().items.values():
        if item.action != "emergency":
            continue
        said = item.played_down(read, "en", words.plays_down_negation, searched)
        if said is not None:
            return f"plays the emergency down: {shown(said)} tells the patient to wait"
    return None


def _readings(text: str) -> tuple[str, ...]:
    """`text` as written and in its plain readings (`untrusted.readings`), each once."""
    from protocol_kit.untrusted.readings import plain_reading

    plain = plain_reading(text, "en")
    loose = plain_reading(text, "en", loose=True)
    return tuple(dict.fromkeys((text, plain, loose)))


def check_number_notes(
    where: str, emergency_number: str | None, urgent_number: str | None, place: str | None
) -> None:
    """ConfigError (one line, `FILE:LINE: KEY ...`) for a note after the emergency or urgent
    number that, read in the line the stop box prints it in, tells the patient to wait, plays
    the sign down or sends them lower than the number's box. `place`: the clinic's English
    emergency place, if any."""
    said = (
        ("emergency", "clinic.emergency_number", emergency_number),
        ("urgent", "clinic.urgent_number", urgent_number),
    )
    for box, key, number in said:
        if not number or _LEADING_NUMBER.match(number).end() == len(number):
            continue  # the number alone: nothing to read
        problem = _note_problem(box, number, place or _NEAREST)
        if problem is not None:
            foot = ", and every page's foot names it" if box == "emergency" else ""
            raise ConfigError(
                f"{config_key(where, key)} {shown(number)} {problem}: the stop box prints it "
                f"for the signs that need the {box} level of care{foot}; give the number "
                "alone, or a note that names no other place and nothing that waits",
                config_place(where, key),
            )


def _note_problem(box: str, number: str, place: str) -> str | None:
    from protocol_kit.redflags import routing_words

    words = routing_words()
    note = number[_LEADING_NUMBER.match(number).end() :]
    # The note alone: after the number it is read as the box's own level, and nothing lower
    # would be looked for.
    for read in _readings(note):
        lower = words.sends_lower(read, box)
        if lower is not None:
            return f"sends the patient to the {lower} level of care, not the {box} one"
    line = (_EMERGENCY_LINE if box == "emergency" else _URGENT_LINE).format(
        number=number, place=place
    )
    for read in _readings(line):
        if words.waits(read) or words.played_down(read) is not None:
            return "tells the patient the sign can wait"
        if box == "emergency":
            problem = _emergency_played_down(read, words)
            if problem is not None:
                return problem
    return None
