"""SNOMED CT identifiers: form (partition identifier), Verhoeff check digit, and the displays
of the few concepts the toolkit ships a verified table of.

An SCTID is 6 to 18 digits: the last is a Verhoeff check digit, the two before it the partition
identifier, which says what the identifier names. A condition is a concept: partition `00`
(short form) or `10` (long form, a namespace extension). `01`/`11` are descriptions and
`02`/`12` relationships: valid identifiers, but not of a concept.
"""

from __future__ import annotations

from protocol_kit.patterns import compiled
from protocol_kit.untrusted.text import quoted

CONCEPT_PARTITIONS = {"00": "concept", "10": "concept (extension)"}
OTHER_PARTITIONS = {
    "01": "description",
    "02": "relationship",
    "11": "description (extension)",
    "12": "relationship (extension)",
}
SCTID = compiled(r"^[1-9][0-9]{5,17}\Z")  # (\Z: "$" also matches before a final line break)

# Verhoeff's dihedral group D5: multiplication, the position permutation, and the inverse.
_MULTIPLY = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_PERMUTE = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INVERSE = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def verhoeff_check_digit(digits: str) -> int:
    """The Verhoeff check digit to append to `digits`."""
    check = 0
    for position, digit in enumerate(reversed(digits), start=1):
        check = _MULTIPLY[check][_PERMUTE[position % 8][int(digit)]]
    return _INVERSE[check]


def verhoeff_valid(number: str) -> bool:
    """True when the last digit of `number` is the Verhoeff check digit of the rest."""
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _MULTIPLY[check][_PERMUTE[position % 8][int(digit)]]
    return check == 0


def identifier_problem(sctid: str) -> str | None:
    """Why `sctid` is not a SNOMED CT concept identifier, or None when it is well formed."""
    if not SCTID.match(sctid):
        return "is not a SNOMED CT identifier (6 to 18 digits, no leading zero)"
    if not verhoeff_valid(sctid):
        expected = verhoeff_check_digit(sctid[:-1])
        return (
            f"fails the Verhoeff check digit (the last digit would be {expected}): "
            "a digit is mistyped or two are swapped"
        )
    partition = sctid[-3:-1]
    if partition in OTHER_PARTITIONS:
        return f"identifies a {OTHER_PARTITIONS[partition]}, not a concept"
    if partition not in CONCEPT_PARTITIONS:
        return f"has partition identifier {quoted(partition)}, which SNOMED CT does not define"
    return None


# Concept -> (preferred term, fully specified name). Only concepts whose display was checked
# against a public source, named beside each entry; either term is accepted as the display.
DISPLAYS: dict[str, tuple[str, str]] = {
    # A terminology-server conformance probe that asserts CodeSystem/$lookup returns
    # "Low back pain (finding)", "Backache (finding)" and "Sciatica (disorder)" (public GitHub
    # code), and the HL7 FHIR IPS problem-list value sets.
    "279039007": ("Low back pain", "Low back pain (finding)"),
    "161891005": ("Backache", "Backache (finding)"),
    "23056005": ("Sciatica", "Sciatica (disorder)"),
    # Several published code lists agree: "278860009 - Chronic low back pain (finding)".
    "278860009": ("Chronic low back pain", "Chronic low back pain (finding)"),
}


def known_display(sctid: str) -> tuple[str, str] | None:
    return DISPLAYS.get(sctid)
