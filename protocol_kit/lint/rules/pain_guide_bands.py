from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol


class PainGuideBands(Rule):
    """The pain guide's amber band is empty or upside down.

    The sheet prints three bands on a 0-10 scale: 0 to `green_max` carry on, up to `amber_max`
    take care, above it stop and call. With `amber_max` not above `green_max` the amber band
    vanishes and a patient goes from "carry on" straight to "stop", or the bands overlap and
    the same pain score means two things.

    Bad:

        "pain_guide": {"green_max": 5, "amber_max": 3, ...}

    Good:

        "pain_guide": {"green_max": 3, "amber_max": 5, ...}
    """

    code = "SAFE004"
    name = "pain-guide-bands"
    default_severity = Severity.ERROR
    protocol_part = True  # reads only the part files copied from one another share
    summary = "the pain guide's amber_max is not above its green_max"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        guide = protocol.safety.pain_guide
        if guide.amber_max <= guide.green_max:
            yield Problem(
                guide.origin.child("amber_max").pointer,
                f"amber_max ({guide.amber_max}) must be above green_max ({guide.green_max}), "
                "so that the amber band 'take care' exists",
            )
