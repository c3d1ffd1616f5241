"""Where the stop box sends a patient in an emergency (`[clinic] emergency_place`), judged
where it is written.

The emergency group prints "Call 999 or go to PLACE." for chest pain and cauda equina signs.
The red flags' own texts are held to the words of an emergency (SAFE006: nothing that waits,
nothing lower than the emergency department), but the place came from the clinic's
configuration and was printed as written: "the pharmacy", "your GP", "A&E in the morning"
passed every command (H708). It is read with the same routing words as a red flag's text in
the emergency box (`redflags.routing_words`, English), when the configuration is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from protocol_kit.config import config_key, entry_place, key_place
from protocol_kit.errors import ConfigError
from protocol_kit.findings import shown

KEY = "clinic.emergency_place"


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
        named = entry_place(where, KEY, tag) if tag else key_place(where, KEY)
        raise ConfigError(
            f"{named.rsplit(': ', 1)[0]}: {config_key(where, KEY)} {shown(place)} {problem}: "
            "the stop box prints it after the emergency number for chest pain and cauda "
            'equina signs ("... or go to PLACE"); name the hospital emergency department to '
            "go to, and nothing that waits"
        )


def _problem(place: str, number: str) -> str | None:
    """What is wrong with `place` after "Call NUMBER or go to", in any of its readings."""
    from protocol_kit.redflags import red_flag_sets, routing_words

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
    sets = red_flag_sets()
    emergency = [item for item in sets.items.values() if item.action == "emergency"]
    for read in _readings(f"Call {number} or go to {place}."):
        searched = sets.quiet_plays_down(read, "en")
        for item in emergency:
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
