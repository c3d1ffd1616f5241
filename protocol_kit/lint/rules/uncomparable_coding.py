from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    any_place,
    exercise_pointer,
    in_library,
    library_place,
)
from protocol_kit.lint.rules._codings import codings_at, uncomparable
from protocol_kit.model import Coding, Protocol


class UncomparableCoding(Rule):
    """A coded contraindication or precaution that cannot be compared with the protocol's
    indications.

    The safety rules match a contraindication or a precaution against the conditions the
    protocol treats (SAFE001, SAFE002, SAFE010). They compare codes within one system, and
    across systems only where a mapping is known (ICD-10-CM and WHO ICD-10 codes written and
    described alike, and the crosswalk table of `protocol_kit.terminology`). When a condition
    is coded only in a system none of the indications uses, and no mapping is known, those
    rules cannot tell whether it meets an indication: the check silently does nothing. Give
    the indication a coding in the same system too (one condition may carry several codings),
    or code the condition in the indications' system.

    Bad:

        "indications": [{"system": "http://snomed.info/sct", "code": "161891005", ...}],
        "contraindications": [{"coding": {"system": "http://hl7.org/fhir/sid/icd-10",
            "code": "G83.4", "display": "Cauda equina syndrome"}, ...}]

    Good:

        "indications": [{"system": "http://snomed.info/sct", "code": "161891005", ...},
                        {"system": "http://hl7.org/fhir/sid/icd-10", "code": "M54.5", ...}],
        "contraindications": [{"coding": {"system": "http://hl7.org/fhir/sid/icd-10",
            "code": "G83.4", "display": "Cauda equina syndrome"}, ...}]
    """

    code = "CODE006"
    name = "uncomparable-coding"
    default_severity = Severity.WARNING
    summary = "a coded condition cannot be compared with any indication (no shared system)"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Not kept for the run, as SAFE010: keyed by the protocol's codings and all its
        # exercises, it was 8,400 different answers in a run of 10,000 files. Whether each
        # place (the protocol's safety section, each exercise) has such a coding is kept
        # instead, by the indications and the place's content: nearly every file has none,
        # and is done after a look-up for each place (H572).
        if not any_place(
            protocol,
            context,
            "CODE006-place",
            lambda: _own(protocol),
            lambda place: any(uncomparable(protocol, c) for c in codings_at(place)),
            around=lambda: _indications(protocol),
        ):
            return iter(())
        return self._check(protocol)

    def _check(self, protocol: Protocol) -> Iterator[Problem]:
        systems = sorted({i.system_name for i in protocol.indications})
        safety = protocol.safety
        for item in (*safety.contraindications, *safety.precautions):
            if item.coding is not None and uncomparable(protocol, item.coding):
                yield Problem(item.coding.origin.pointer, _message(item.coding, systems, ""))
        for exercise in protocol.exercises:
            for item in (*exercise.contraindications, *exercise.precautions):
                if item.coding is None or not uncomparable(protocol, item.coding):
                    continue
                pointer = (
                    exercise_pointer(exercise) if exercise.library else item.coding.origin.pointer
                )
                where = f" (exercise '{exercise.id}'{in_library(exercise)})"
                place = library_place(exercise, item.coding.origin.pointer)
                yield Problem(pointer, _message(item.coding, systems, where), in_library=place)


def _message(coding: Coding, systems: list[str], where: str) -> str:
    return (
        f"{coding.system_name} {coding.code} ({coding.display}){where} cannot be compared with "
        f"the protocol's indications ({', '.join(systems)}): no mapping between the systems "
        f"is known; add a {coding.system_name} coding of the indication"
    )


def _indications(protocol: Protocol) -> tuple:
    """What `uncomparable` reads of the protocol: its indications' systems and codes."""
    return tuple((i.system, i.code) for i in protocol.indications)


def _own(protocol: Protocol) -> tuple:
    """What CODE006 reads of the protocol outside its exercises: its indications and its
    safety section's codings."""
    safety = protocol.safety
    return (
        _indications(protocol),
        tuple(
            None if i.coding is None else (i.coding.system, i.coding.code)
            for i in (*safety.contraindications, *safety.precautions)
        ),
    )
