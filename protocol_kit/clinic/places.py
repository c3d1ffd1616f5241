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


def check_places(where: str, places: Iterable[tuple[str, str]]) -> None:
    """ConfigError (one line, `FILE:LINE: KEY ...`) for the first emergency place, read as the
    stop box prints it, that tells the patient to wait, plays the emergency down or sends
    them lower than the emergency department. `places`: (language tag, place) pairs, the tag
    "" for a place written once for every language; only English ones are read (the routing
    words are English)."""
    from protocol_kit.redflags import routing_words

    words = routing_words()
    for tag, place in places:
        if tag and tag.split("-")[0].lower() != "en":
            continue
        printed = f"Go to {place}."
        lower = words.sends_lower(printed, "emergency")
        if lower is not None:
            problem = f"sends the patient to the {lower} level of care, not an emergency"
        elif words.waits(printed) or words.played_down(printed) is not None:
            problem = "tells the patient the emergency can wait"
        else:
            continue
        named = entry_place(where, KEY, tag) if tag else key_place(where, KEY)
        raise ConfigError(
            f"{named.rsplit(': ', 1)[0]}: {config_key(where, KEY)} {shown(place)} {problem}: "
            "the stop box prints it after the emergency number for chest pain and cauda "
            'equina signs ("... or go to PLACE"); name the hospital emergency department to '
            "go to, and nothing that waits"
        )
