from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol
from protocol_kit.prescribing.measures import standard_measures
from protocol_kit.suggestions import did_you_mean


class UnknownMeasure(Rule):
    """The protocol names an outcome measure protocol-kit does not know.

    `measures` lists the standard outcome measures a programme is followed with, by code
    (`protokit measures` lists them, with their ranges and sources); `protokit new
    prescription` writes their fields for the clinician to fill in. An unknown code would
    give every prescription a measure with no range to check. A clinic's own measure is
    written in the prescription (`custom`), with its range.

    Bad:

        "measures": ["oswestry"]

    Good:

        "measures": ["odi"]
    """

    code = "CODE007"
    name = "unknown-measure"
    default_severity = Severity.ERROR
    protocol_part = True  # reads only the part files copied from one another share
    summary = "a protocol names an outcome measure that is not a standard one"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        known = standard_measures()
        for index, code in enumerate(protocol.measures):
            if code not in known:
                yield Problem(
                    f"/measures/{index}",
                    f"no standard outcome measure '{code}'{did_you_mean(code, known)} (there "
                    f"are: {', '.join(known)})",
                )
