from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._coding_checks import AskedByPlace, may_report
from protocol_kit.lint.rules._codings import codings_of
from protocol_kit.model import SNOMED, Protocol
from protocol_kit.terminology.snomed import identifier_problem


class SnomedIdentifier(AskedByPlace, Rule):
    """A SNOMED CT code that is not a well-formed concept identifier.

    Every SNOMED CT identifier ends in a Verhoeff check digit, which catches every single
    mistyped digit and every swap of two neighbouring digits; the two digits before it (the
    partition identifier) say whether it names a concept, a description or a relationship. A
    condition must be a concept. The toolkit has no copy of SNOMED CT, so a well-formed
    identifier is not proof that the concept exists.

    Bad:

        {"system": "http://snomed.info/sct", "code": "279039008", "display": "Low back pain"}

    Good:

        {"system": "http://snomed.info/sct", "code": "279039007", "display": "Low back pain"}
    """

    code = "CODE003"
    name = "snomed-identifier"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "a SNOMED CT code fails its check digit or is not a concept identifier"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        if not may_report(protocol, context):  # nearly every file: no coding listed
            return
        for placed in codings_of(protocol, context):
            if placed.coding.system != SNOMED:
                continue
            problem = identifier_problem(placed.coding.code)
            if problem:
                yield Problem(
                    placed.pointer,
                    f"{placed.coding.code} {problem}{placed.where}",
                    in_library=placed.place,
                )
