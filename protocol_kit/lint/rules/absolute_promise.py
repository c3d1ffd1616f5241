from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import Severity
from protocol_kit.lint.base import Context, Problem, Rule, in_library_at
from protocol_kit.model import Protocol, Text, iter_exercise_texts, iter_protocol_texts

# English phrases that promise an outcome no exercise programme can guarantee. Matched on
# lower-cased text: much faster than a case-insensitive pattern.
PROMISES = re.compile(
    r"\b(?:cur(?:e[sd]?|ing)|guarantee(?:[sd]|ing)?|miracle|miraculous|risk[- ]free"
    r"|completely safe|100 ?%|permanent(?:ly)? (?:fix|relief|cure)|never (?:hurt|have pain)"
    r" again|pain[- ]free forever)\b"
)


def promise_in(value: str, memo: dict) -> str | None:
    """The promising phrase in `value`, if any; library texts repeat, so results are kept."""
    seen: dict[str, str | None] = memo.setdefault("promises", {})
    if value not in seen:
        match = PROMISES.search(value.lower())
        seen[value] = match.group(0) if match else None
    return seen[value]


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
        memo = context.memo
        for text in iter_protocol_texts(protocol):
            yield from _problems(text, text.origin.pointer, "", memo)
        for exercise in protocol.exercises:
            source = exercise.library
            if source is None:
                for text in iter_exercise_texts(exercise):
                    yield from _problems(text, text.origin.pointer, "", memo)
                continue
            key = ("promises-in-library", source.path)
            if memo.get(key) is False:
                continue  # this library exercise was checked and promises nothing
            found = False
            for text in iter_exercise_texts(exercise):
                where = in_library_at(exercise, text.origin.pointer)
                for problem in _problems(text, source.entry.pointer, where, memo):
                    found = True
                    yield problem
            memo[key] = found


def _problems(text: Text, pointer: str, where: str, memo: dict) -> Iterator[Problem]:
    for language, value in text.values.items():
        phrase = promise_in(value, memo)
        if phrase:
            yield Problem(
                pointer if len(text.values) == 1 else f"{pointer}/{language}",
                f"'{phrase}' promises an outcome{where}: say what the "
                "exercise is for and what usually happens instead",
            )
