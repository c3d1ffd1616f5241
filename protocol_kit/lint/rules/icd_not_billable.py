from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._coding_checks import AskedByPlace, may_report
from protocol_kit.lint.rules._icd import icd_codings, listed
from protocol_kit.lint.rules.icd_unknown import who_note
from protocol_kit.model import Protocol
from protocol_kit.terminology.icd10cm import RETIRED


class IcdNotBillable(AskedByPlace, Rule):
    """An ICD-10-CM category header used as a code.

    Headers such as `M54.5` (Low back pain) group more specific codes and cannot be used on a
    record or claim; only their billable children can. A protocol may be meant for the whole
    group, so this is a warning, listing the billable codes to choose from. When the header
    was itself billable once and has been split, the message says when.

    Bad:

        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.5",
         "display": "Low back pain"}

    Good:

        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50",
         "display": "Low back pain, unspecified"}
    """

    code = "CODE002"
    name = "icd-not-billable"
    default_severity = Severity.WARNING
    exercise_rule = True
    summary = "an ICD-10-CM code is a category header, not a billable code"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not may_report(protocol, context):  # nearly every file: no coding listed
            return
        for placed, entry in icd_codings(protocol, context):
            if entry is None or entry.billable:
                continue
            retirement = RETIRED.get(entry.code)
            history = (
                f"; it was split on {retirement.date.isoformat()} ({retirement.note})"
                if retirement
                else ""
            )
            yield Problem(
                placed.pointer,
                f"{entry.code} ({entry.description}) is a category header, not a billable "
                f"code{history}{placed.where}: use one of {listed(entry.billable_children)}"
                f"{who_note(entry.code) if retirement else ''}",
                in_library=placed.place,
            )
