from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._coding_checks import AskedByPlace, may_report
from protocol_kit.lint.rules._icd import icd_codings
from protocol_kit.model import Protocol
from protocol_kit.terminology.icd10cm import RETIRED, code_list_release


class IcdUnknown(AskedByPlace, Rule):
    """An ICD-10-CM code that is not in the current code list.

    The schema checks the shape of a code (`M54.50`); only the code list can say that it
    exists. A code that does not exist cannot be exported, billed or matched against
    contraindications, and usually means a typing mistake or a code copied from old material.
    Checked against the code list that the `simple_icd_10_cm` package ships (its release is
    named in the message). When the toolkit's table of retirements
    (`protocol_kit.terminology.icd10cm.RETIRED`) knows the code, the message says when it was
    retired and what replaces it.

    Bad:

        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.55", "display": "..."}

    Good:

        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50",
         "display": "Low back pain, unspecified"}
    """

    code = "CODE001"
    name = "icd-unknown"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "an ICD-10-CM code is not in the current code list"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not may_report(protocol, context):  # nearly every file: no coding listed
            return
        for placed, entry in icd_codings(protocol, context):
            if entry is not None:
                continue
            code = placed.coding.code
            retirement = RETIRED.get(code)
            if retirement is not None:
                yield Problem(
                    placed.pointer,
                    f"{code} was retired on {retirement.date.isoformat()} ({retirement.note})"
                    f"{placed.where}: use {' or '.join(retirement.replacements)}"
                    f"{who_note(code)}",
                    in_library=placed.place,
                )
            else:
                yield Problem(
                    placed.pointer,
                    f"{code} is not an ICD-10-CM code (code list {code_list_release()})"
                    f"{placed.where}: check it for a typing mistake",
                    in_library=placed.place,
                )


def who_note(code: str) -> str:
    """For a code retired from ICD-10-CM that WHO ICD-10 still has (M54.5): say so, for a
    clinic outside the US that meant the WHO code."""
    from protocol_kit.terminology import icd10who

    entry = icd10who.lookup(code)
    if entry is None:
        return ""
    return (
        f" (or, outside the US, the WHO ICD-10 code {code} {entry.description}: system "
        "http://hl7.org/fhir/sid/icd-10)"
    )
