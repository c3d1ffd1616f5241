from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule
from protocol_kit.lint.rules._texts import placed_texts, value_pointer
from protocol_kit.model import Protocol

# English phrases that promise an outcome no exercise programme can guarantee.
PROMISES = re.compile(
    r"\b(cure[sd]?|curing|guarantee[sd]?|guaranteeing|miracle|miraculous|risk[- ]free"
    r"|completely safe|100 ?%|permanent(?:ly)? (?:fix|relief|cure)|never (?:hurt|have pain)"
    r" again|pain[- ]free forever)\b",
    re.IGNORECASE,
)


class AbsolutePromise(Rule):
    """Patient text that promises an outcome: "cures", "guaranteed", "100%", "risk-free".

    No exercise programme can promise a result, and a patient who was promised a cure may
    ignore pain or a red flag rather than doubt the programme, or give up when it does not
    come. Patient-education guidance asks for realistic expectations. Say what the exercise is
    for and what usually happens. The list of phrases is English.

    Bad:

        "summary": "This programme cures back pain in two weeks, guaranteed."

    Good:

        "summary": "Most people find their back pain eases over a few weeks of these exercises."
    """

    code = "TEXT002"
    name = "absolute-promise"
    default_severity = Severity.WARNING
    summary = "patient text promises an outcome ('cures', 'guaranteed', '100%')"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        for placed in placed_texts(protocol):
            for language, value in placed.text.values.items():
                match = PROMISES.search(value)
                if match:
                    yield Problem(
                        value_pointer(placed.text, placed.pointer, language),
                        f"'{match.group(0)}' promises an outcome{placed.where}: say what the "
                        "exercise is for and what usually happens instead",
                    )
