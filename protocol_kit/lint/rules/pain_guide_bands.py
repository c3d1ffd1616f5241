from __future__ import annotations

import functools
from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.model import Protocol
from protocol_kit.package_data import read_json


class PainGuideBands(Rule):
    """The pain guide's amber band is empty or upside down, or lets the patient carry on with
    pain above 5 out of 10.

    The sheet prints three bands on a 0-10 scale: 0 to `green_max` carry on, up to `amber_max`
    take care, above it stop and call. With `amber_max` not above `green_max` the amber band
    vanishes and a patient goes from "carry on" straight to "stop", or the bands overlap and
    the same pain score means two things. With `amber_max` above 5 the patient is told to carry
    on with a pain the pain-monitoring model the bands come from calls high risk (Thomeé 1997,
    Silbernagel 2007: pain up to 5 out of 10, settling by the next morning); SAFE014 judges a
    pain target against these same bands, so wide bands would let "aim for 7 out of 10" pass
    too. The limit is in `lint/data/pain_guide.json`, with its sources.

    Bad:

        "pain_guide": {"green_max": 5, "amber_max": 3, ...}
        "pain_guide": {"green_max": 4, "amber_max": 7, ...}

    Good:

        "pain_guide": {"green_max": 3, "amber_max": 5, ...}
    """

    code = "SAFE004"
    name = "pain-guide-bands"
    default_severity = Severity.ERROR
    protocol_part = True  # reads only the part files copied from one another share
    summary = "the pain guide's amber_max is not above its green_max, or is above 5 out of 10"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        guide = protocol.safety.pain_guide
        if guide.amber_max <= guide.green_max:
            yield Problem(
                guide.origin.child("amber_max").pointer,
                f"amber_max ({guide.amber_max}) must be above green_max ({guide.green_max}), "
                "so that the amber band 'take care' exists",
            )
        limit = carry_on_max()
        if guide.amber_max > limit:
            yield Problem(
                guide.origin.child("amber_max").pointer,
                f"amber_max ({guide.amber_max}) tells the patient to carry on with pain up to "
                f"{guide.amber_max} out of 10: pain above {limit} must be the red band, which "
                f"means stop (the pain-monitoring model's limit): set amber_max to {limit} or less",
            )


@functools.lru_cache(maxsize=1)
def carry_on_max() -> int:
    """The highest pain score a pain guide may let the patient carry on at."""
    return int(read_json("protocol_kit.lint", "data/pain_guide.json")["carry_on_max"])
