from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule, any_place
from protocol_kit.lint.rules._codings import codings_at, codings_of
from protocol_kit.model import ICD10CM, ICD10WHO, SNOMED, Coding, Exercise, Protocol
from protocol_kit.patterns import compiled_as_is
from protocol_kit.templates import TODO_WORD
from protocol_kit.terminology import icd10cm, icd10who, snomed

_SPACES = compiled_as_is(r"\s+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


class DisplayMismatch(Rule):
    """A code whose display text is not the code's display.

    The code and its display must say the same thing: when they differ, one of them is wrong,
    and a reader trusts the words while a system acts on the code (code/display mismatches are
    a known problem in published clinical data). ICD-10-CM displays are compared with the
    code list's description, WHO ICD-10 displays with the WHO list's; SNOMED CT displays with
    the preferred term or fully specified name, for the concepts in the toolkit's verified table
    (`protocol_kit.terminology.snomed.DISPLAYS`). Case and spacing are ignored.

    Bad:

        {"system": "http://snomed.info/sct", "code": "279039007",
         "display": "Chronic low back pain"}

    Good:

        {"system": "http://snomed.info/sct", "code": "279039007", "display": "Low back pain"}
    """

    code = "CODE004"
    name = "display-mismatch"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a code's display text does not match the code system's display"

    # What it finds is in a place `_has_mismatch` holds for (`Rule.asked_by_place`).
    asked_by_place = True

    def may_find_in_part(self, protocol: Protocol, context: Context) -> bool:
        return _has_mismatch(protocol)

    def may_find_in_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> bool:
        return _has_mismatch(exercise)

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Whether each place (the protocol's indications and safety section, each exercise)
        # has a mismatch is kept for the run by its codings: nearly every file has none, and
        # is done after a look-up for each place (H572).
        if not any_place(protocol, context, "CODE004-place", lambda: _own(protocol), _has_mismatch):
            return
        checked: dict[tuple[str, str, str], str | None] = context.memo.setdefault("displays", {})
        for placed in codings_of(protocol, context):
            coding = placed.coding
            if TODO_WORD.search(coding.display):
                continue  # a template's placeholder: TEXT003 already asks for the real text
            key = (coding.system, coding.code, coding.display)
            if key not in checked:
                checked[key] = _expected_if_different(coding.system, coding.code, coding.display)
            expected = checked[key]
            if expected is not None:
                yield Problem(
                    placed.pointer + ("" if placed.exercise else "/display"),
                    f"{coding.system_name} {coding.code} is {shown(expected)}, but the display "
                    f"says {shown(coding.display)}{placed.where}: correct the code or the display",
                    in_library=placed.place,
                )


def _own(protocol: Protocol) -> tuple:
    """What `_has_mismatch` reads of the protocol: its indications' and safety section's
    codings, with their displays."""
    codings = (*protocol.indications, *codings_at(protocol))
    return tuple((c.system, c.code, c.display) for c in codings)


def _has_mismatch(place: Protocol | Exercise) -> bool:
    """Whether a coding of the place (with the protocol's indications) is one `check` reports."""
    codings: list[Coding] = codings_at(place)
    if isinstance(place, Protocol):
        codings = [*place.indications, *codings]
    return any(
        not TODO_WORD.search(c.display)
        and _expected_if_different(c.system, c.code, c.display) is not None
        for c in codings
    )


def _expected_if_different(system: str, code: str, display: str) -> str | None:
    """The code system's display when `display` differs from it, else None."""
    expected: tuple[str, ...] = ()
    if system == ICD10CM:
        entry = icd10cm.lookup(code)
        expected = (entry.description,) if entry else ()
    elif system == ICD10WHO:
        who = icd10who.lookup(code)
        expected = (who.description,) if who else ()
    elif system == SNOMED:
        expected = snomed.known_display(code) or ()
    if expected and _normal(display) not in {_normal(e) for e in expected}:
        return expected[0]
    return None
