"""Whether a protocol has a coding that CODE001, CODE002, CODE003 or CODE005 reports, asked
place by place and kept for the run, before any of them lists the file's codings (issue 17)."""

from __future__ import annotations

import functools

from protocol_kit.lint.base import Context, any_place
from protocol_kit.lint.rules._codings import codings_at
from protocol_kit.model import ICD10CM, ICD10WHO, SNOMED, Exercise, Protocol
from protocol_kit.terminology import icd10cm, icd10who
from protocol_kit.terminology.snomed import identifier_problem


class AskedByPlace:
    """What CODE001, CODE002, CODE003 and CODE005 find is in a place `_place_reported` holds
    for: the engine asks each place once for the four (`Rule.asked_by_place`)."""

    asked_by_place = True

    def may_find_in_part(self, protocol: Protocol, context: Context) -> bool:
        return _place_reported(protocol)

    def may_find_in_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> bool:
        return _place_reported(exercise)


def may_report(protocol: Protocol, context: Context) -> bool:
    """Whether a coding of the protocol (an indication, or a condition of its safety section or
    of an exercise) is one of the four rules reports: an ICD-10-CM code not in the code list
    (CODE001) or a header (CODE002), a SNOMED CT identifier that is not well-formed
    (CODE003), a WHO ICD-10 code not in the WHO list (CODE005). Nearly every file has none:
    each place's answer is a look-up, and the rules then list no codings and look up no codes
    (CODE001's list of the file's codings and their entries was 18 µs a file)."""
    return context.shared("coding-checks", _asked, protocol, context)


def _asked(protocol: Protocol, context: Context) -> bool:
    return any_place(protocol, context, "coding-checks", lambda: _own(protocol), _place_reported)


def _own(protocol: Protocol) -> tuple:
    """What `_place_reported` reads of the protocol: its indications' and safety section's
    codings."""
    return tuple((c.system, c.code) for c in (*protocol.indications, *codings_at(protocol)))


def _place_reported(place: Protocol | Exercise) -> bool:
    codings = codings_at(place)
    if isinstance(place, Protocol):
        codings = [*place.indications, *codings]
    return any(reported(c.system, c.code) for c in codings)


@functools.lru_cache(maxsize=4096)
def reported(system: str, code: str) -> bool:
    """Whether one of the four rules reports a coding of this system and code (what each
    rule's `check` skips a coding for, turned round)."""
    if system == ICD10CM:
        entry = icd10cm.lookup(code)
        return entry is None or not entry.billable
    if system == SNOMED:
        return bool(identifier_problem(code))
    if system == ICD10WHO:
        return icd10who.lookup(code) is None
    return False
