"""The numbers a sheet tells a patient to call, judged where they are written (`[clinic]` in
protokit.toml): the emergency number must be a public emergency service and the urgent line
neither the emergency number nor the clinic's own telephone.

The configuration is checked when it is loaded, so `protokit validate` in a clinic's CI
refuses a profile that `render` would refuse, with the same line; `render` checks a profile
given to it directly (the app layer, tests) the same way. Only the numbers that are set are
judged here: a repository that prints no sheets needs none (`render` says which are missing).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from protocol_kit.config import config_key, config_place, entry_place
from protocol_kit.errors import ConfigError
from protocol_kit.findings import shown
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.patterns import compiled

if TYPE_CHECKING:
    from typing import Any

# The first number of a value, before any note ("999 or 112 from a mobile": 999).
_FIRST_NUMBER = compiled(r"[+(]?[\d() -]*\d")
# Every number of a value, the note's included ("999, or ring us first on 0113 496 0000").
_NUMBER = compiled(r"[+(]?\d(?:[\d() -]*\d)?")
# A house number and a five-digit postcode written without a comma between them, before the
# town ("Hauptstraße 12 10115 Berlin"): the number run reads "12 10115", which no telephone
# number is written as (its first group would start with 0, or come in more groups).
_NOT_DIGIT = compiled(r"\D")
_HOUSE_AND_POSTCODE = compiled(r"(?<![\d+(-])(?<![\d+(-] )[1-9]\d{0,3} \d{5}(?= +[^\W\d_])")
# Public emergency numbers are short (999, 112, 911, 000, 15, 10177): a longer one is an
# ordinary line that no one may answer in an emergency.
MAX_EMERGENCY_DIGITS = 6

URGENT_WHY = (
    "the stop box's urgent group (back pain with a fever, weight loss, a fall, pain at night) "
    "tells the patient to see a doctor the same day, and prints the number to call when they "
    "cannot, at night or at a weekend"
)
URGENT_EXAMPLE = "set it to the urgent medical line where the patient lives (NHS 111 in the UK)"


def check_numbers(
    where: str,
    phone: str | None,
    emergency_number: str | None,
    urgent_number: str | None,
    emergency_places: Iterable[tuple[str, str]] = (),
) -> None:
    """ConfigError (one line, `FILE:LINE: KEY ...`) for the first number set that a patient
    must not be sent to; nothing for numbers that are not set. `emergency_places`: (language
    tag, place) pairs, the tag "" for a place written once for every language."""
    check_clinic_lines(where, {"clinic.phone": phone}, emergency_number)
    places = list(emergency_places)
    if emergency_number:
        _check_dialled_as_written(where, emergency_number)
    if emergency_number or places:
        _check_emergency_service(where, phone, emergency_number, places)
    if urgent_number:
        _check_urgent_number(where, phone, emergency_number, urgent_number)


def check_clinic_lines(
    where: str, lines: dict[str, str | None], emergency_number: str | None = None
) -> None:
    """ConfigError when the clinic's own telephone or contact line (`lines`: dotted key to
    value, None when not set) is, or offers, a public emergency number or the configured
    `emergency_number`, in any written form ("999", "+44 999", "0044 999", "+44 (0) 999",
    "9-9-9", "112", "+1 911", "+27 10177" beside 10177): every sheet prints it as the number
    to call the clinic about the exercises, and such a call reaches an ambulance service, not
    the physiotherapist (H812). A later number is judged as the first (H847): "Call 0161 555
    0100, or 999" and "Reception: 999" offer it; a note that says it is for emergencies ("0113
    496 0000, not for emergencies: call 999") is the clinic's words."""
    configured = configured_emergency_digits(emergency_number)
    for key, value in lines.items():
        named = emergency_number_named(value or "", configured)
        if named is None:
            continue
        number, public = named
        place = config_place(where, key)
        if number is None:
            raise ConfigError(
                f"{config_key(where, key)} {shown(value or '')} is the emergency "
                f"number {public}: {CLINIC_LINE_WHY}; set the clinic's own telephone number "
                "(the stop box prints emergency_number itself)",
                place,
            )
        raise ConfigError(
            f"{config_key(where, key)} {shown(value or '')} names {shown(number)}, "
            f"the emergency number {public}: {CLINIC_LINE_WHY}; leave it out (the stop box "
            "prints emergency_number itself), or say before it that it is for emergencies only",
            place,
        )


CLINIC_LINE_WHY = (
    "every sheet prints it as the number to call the clinic about the exercises, and a "
    "patient who calls it reaches an ambulance service, not their physiotherapist"
)


def configured_emergency_digits(emergency_number: str | None) -> str:
    """The digits of the configured emergency number, "" when it is not set or is an ordinary
    line (no emergency service: `_check_emergency_service` says so)."""
    configured = digits(emergency_number or "")
    return "" if len(configured) > MAX_EMERGENCY_DIGITS else configured


def emergency_number_named(text: str, configured: str = "") -> tuple[str | None, str] | None:
    """(None, the public emergency number) when the line `text` starts with one, or the
    `configured` one; (the number as written, the emergency number it dials) for a later one
    that the words just before it do not say is for emergencies or not this line (H847);
    None when the line offers none. A number inside a word or an address ("999physio@",
    "clinic112.org") is not a number."""
    public = public_emergency_number(text, configured)
    if public is not None:
        return None, public
    end = 0
    for found in _NUMBER.finditer(text):
        before, end = text[end : found.start()], found.end()
        # The number first: the words around it are read (their patterns compiled) only for
        # an emergency number, never for a clinic's ordinary line.
        public = public_emergency_number(found.group(0), configured)
        if public is None:
            continue
        after = text[end:]
        if (
            _in_a_word(text, found.start(), end)
            or _said_for_emergencies(before)
            or _said_for_emergencies_after(after)
            or _in_an_address(before, after)
        ):
            continue
        return found.group(0), public
    return None


def _in_a_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1 : start]
    after = text[end : end + 2]
    return (
        before.isalnum()
        or before in ("@", ".", "_")
        or after[:1].isalnum()
        or after[:1] in ("@", "_")
        or (after[:1] in (".", "-") and after[1:].isalnum())
    )


def _in_an_address(before: str, after: str) -> bool:
    """Whether a number between `before` and `after` is part of an address ("Suite 112",
    "112 High Street"): `emergency_numbers.json`'s address_words, so a clinic's contact may
    give its address (H853)."""
    building, street = _address_words()
    return building.search(before) is not None or street.match(after) is not None


@functools.cache
def _address_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = _emergency_data()["address_words"]

    def alternatives(key: str) -> str:
        return "|".join(map(re.escape, words[key]))

    return (
        re.compile(r"\b(?:" + alternatives("before") + r")\.?\s+\Z", re.IGNORECASE),
        re.compile(r"(?:\s+\w+){0,2}?\s+(?:" + alternatives("after") + r")\b", re.IGNORECASE),
    )


def _said_for_emergencies(words: str) -> bool:
    return _said_words("words").search(words) is not None


def _said_for_emergencies_after(after: str) -> bool:
    """Whether the words after a number, up to the line's next number, say it is for
    emergencies ("999 in an emergency")."""
    words = _NEXT_NUMBER.split(after, 1)[0]
    return _said_words("words_after").search(words) is not None


_NEXT_NUMBER = compiled(r"\d")


@functools.cache
def _said_words(key: str) -> re.Pattern[str]:
    """The starts of words of `said_for_emergencies[key]` (`emergency_numbers.json`), any case."""
    said = _emergency_data()["said_for_emergencies"]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, said[key])) + ")", re.IGNORECASE)


@functools.cache
def _public_emergency_numbers() -> frozenset[str]:
    return frozenset(_emergency_data()["numbers"])


@functools.cache
def _emergency_data() -> dict[str, Any]:
    """`emergency_numbers.json`, read once a run for the numbers and the words around them."""
    from protocol_kit.package_data import read_json

    return read_json("protocol_kit.clinic", "emergency_numbers.json")


def public_emergency_number(number: str, configured: str = "") -> str | None:
    """The public emergency number (`emergency_numbers.json`), or the `configured` one (its
    digits), that the number `number` starts with dials, or None."""
    wanted = _public_emergency_numbers() | ({configured} if configured else set())
    return next((dialled for dialled in dialled_forms(number) if dialled in wanted), None)


def dialled_forms(number: str) -> list[str]:
    """The digits the number `number` starts with, as written and, after an international
    prefix (+ or 00), as dialled within its country: after a country code of one to three
    digits, with or without a trunk 0 after it ("+44 (0) 999": 440999, 999 among them)."""
    text = number.strip().lstrip("(")  # "(+44) 999"
    found = _FIRST_NUMBER.match(text)
    after = text[found.end() : found.end() + 1] if found else ""
    if found is None or after.isalnum() or after in ("@", ".", "_"):
        return []  # no number, or the start of a word or address ("999physio@...")
    written = found.group(0)
    dialled = _NOT_DIGIT.sub("", written)
    if written.startswith("+"):
        international = dialled
    elif dialled.startswith("00"):
        international = dialled[2:]
    else:
        return [dialled]
    forms = [dialled]
    for code in (1, 2, 3):
        national = international[code:]
        forms += [national, national[1:]] if national.startswith("0") else [national]
    return [form for form in forms if form]


def _check_dialled_as_written(where: str, emergency_number: str) -> None:
    """The emergency number is written as a patient dials it where they live, not with a
    country code ("+44 999", "00 112"): a public emergency number is a short number dialled
    alone, and whether one dialled after a country code reaches an emergency service on every
    telephone and network is not sourced here (H848)."""
    found = _FIRST_NUMBER.match(emergency_number.strip().lstrip("("))
    written = found.group(0) if found else ""
    dialled = _NOT_DIGIT.sub("", written)
    if not (written.startswith("+") or dialled.startswith("00")):
        return
    if dialled in _public_emergency_numbers():
        return  # Australia's 000
    key = "clinic.emergency_number"
    raise ConfigError(
        f"{config_key(where, key)} "
        f"{shown(emergency_number)} is written with a country code: the stop box tells a "
        "patient with chest pain or cauda equina signs to dial it as written, and an emergency "
        "number is dialled without one; set it as dialled where the patient lives (999 in the "
        "UK, 112 in the EU, 911 in North America)",
        config_place(where, key),
    )


def _check_emergency_service(
    where: str, phone: str | None, emergency_number: str | None, places: list[tuple[str, str]]
) -> None:
    """The emergency number is neither the clinic's own telephone nor an ordinary line: the
    stop box sends chest pain and cauda equina syndrome to it. Every number the emergency group
    prints is checked, not only the first: a note after it ("999, or ring us first on ...")
    and the clinic's emergency place (what completes "go to ...") are read by the patient as
    where to call too (H285)."""
    own = digits(phone or "")
    said = [("clinic.emergency_number", "", emergency_number or "")]
    said += [("clinic.emergency_place", tag, place) for tag, place in places]
    for key, tag, value in said:
        numbers = (
            telephone_numbers(value) if key == "clinic.emergency_number" else place_numbers(value)
        )
        for index, number in enumerate(numbers):
            found = _NOT_DIGIT.sub("", number)
            if found == own:
                what = "the clinic's own telephone number"
            elif len(found) > MAX_EMERGENCY_DIGITS:
                what = f"an ordinary line of {len(found)} digits, not an emergency service"
            else:
                continue
            if index == 0 and key == "clinic.emergency_number":
                problem = (
                    f"is {what}"
                    if found == own
                    else f"has {len(found)} digits: it is an ordinary line, not an emergency "
                    "service"
                )
            else:
                problem = f"names {shown(number)}, {what}"
            # A place written per language is named at its own line ("fr = ..."), not the key's.
            place = entry_place(where, key, tag) if tag else config_place(where, key)
            advice = (
                "set the public emergency number (999 in the UK, 112 in the EU, 911 in North "
                "America)"
                if key == "clinic.emergency_number"
                else "name the hospital emergency department to go to, and no other number"
            )
            if key != "clinic.emergency_number" and " " in number.strip("()"):
                advice += (
                    f" (if {shown(number)} is a house number and a postcode, write a comma "
                    "between them)"
                )
            raise ConfigError(
                f"{config_key(where, key)} {shown(value)} {problem}: the stop "
                f"box tells a patient with chest pain or cauda equina signs to call it; {advice}",
                place,
            )


def _check_urgent_number(
    where: str, phone: str | None, emergency_number: str | None, urgent_number: str
) -> None:
    """The urgent (out-of-hours) number is not the clinic's own telephone (a physiotherapy
    clinic is no doctor, and is closed at night) nor the emergency number, and no note after
    it sends the patient to either."""
    urgent, configured = digits(urgent_number), digits(emergency_number or "")
    elsewhere = {digits(phone or ""), configured}
    if phone and same_line(phone, urgent_number):
        # "+44 111" as the clinic's telephone beside "111": the same line (H849).
        elsewhere.add(urgent)
    later = [
        n
        for n in telephone_numbers(urgent_number)[1:]
        if digits(n) in elsewhere or public_emergency_number(n, configured)
    ]
    # "+44 999", "0044 999" or "112" beside an emergency number written "999": an emergency
    # line all the same, which the digits alone did not see (H812).
    ambulance = public_emergency_number(urgent_number, configured)
    if urgent and urgent not in elsewhere and not later and not ambulance:
        return
    key = config_key(where, "clinic.urgent_number")
    place = config_place(where, "clinic.urgent_number")
    if later and urgent not in elsewhere and not ambulance:
        # A note that sends the urgent group elsewhere after all ("111, or the clinic on ...",
        # "111 or 999"): the patient calls whichever comes to hand (H285).
        whose = (
            "the emergency number"
            if digits(later[0]) == configured or public_emergency_number(later[0], configured)
            else "the clinic's own telephone number"
        )
        raise ConfigError(
            f"{key} {shown(urgent_number)} names {shown(later[0])}, {whose}: "
            f"{URGENT_WHY}; {URGENT_EXAMPLE}",
            place,
        )
    if urgent == configured or ambulance:
        # Signs for a doctor today sent to an ambulance line: the emergency group has it.
        which = (
            "the emergency number" if urgent == configured else f"the emergency number {ambulance}"
        )
        raise ConfigError(
            f"{key} {shown(urgent_number)} is {which}: {URGENT_WHY}, not an ambulance; "
            f"{URGENT_EXAMPLE}",
            place,
        )
    raise ConfigError(
        f"{key} {shown(urgent_number)} is the clinic's own telephone number: "
        f"{URGENT_WHY}; {URGENT_EXAMPLE}",
        place,
    )


def same_line(one: str, other: str) -> bool:
    """Whether the first numbers of `one` and `other` dial the same line, one of them written
    with a country code or a trunk 0 ("+44 111" and "111", "+44 113 496 0000" and "0113 496
    0000")."""

    def forms(number: str) -> set[str]:
        written = digits(number)
        return {*dialled_forms(number), written, written.lstrip("0")} - {""}

    return bool(forms(one) & forms(other))


def digits(number: str) -> str:
    """The digits of the first number written in `number` ("999 or 112": "999")."""
    found = _FIRST_NUMBER.match(number.strip())
    return _NOT_DIGIT.sub("", found.group(0)) if found else ""


def telephone_numbers(text: str) -> list[str]:
    """Every number written in `text`, as written (the first as `digits` reads it)."""
    numbers = [found.group(0) for found in _NUMBER.finditer(text)]
    return [n.lstrip("(") if n.count("(") > n.count(")") else n for n in numbers]


def place_numbers(place: str) -> list[str]:
    """Every number written in an emergency place, as `telephone_numbers` finds them, but a
    house number and a five-digit postcode before the town are two numbers, not one line of
    6 to 9 digits (a patient is not sent to call the address)."""
    return [
        part
        for number in telephone_numbers(_HOUSE_AND_POSTCODE.sub(_with_comma, place))
        for part in number.split(",")
    ]


def _with_comma(found: re.Match[str]) -> str:
    return found.group(0).replace(" ", ",", 1)
