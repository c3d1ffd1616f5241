from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule, remembered
from protocol_kit.lint.rules._red_flags import stop_box_key
from protocol_kit.model import Protocol, Text

_NOTHING = {"none", "n/a", "na", "nil", "nothing", "tbd", "tbc", "-", "see above"}


class EmptySafetyText(Rule):
    """A red flag or stop criterion that tells the patient nothing.

    The schema requires at least one red flag and one stop criterion, and forbids empty
    strings; it cannot tell that "-", "none" or "n/a" says nothing. These lines are what a
    patient alone at home reads to know when to stop and when to seek help, so each must be a
    real instruction of at least two words, in every language of the protocol.

    Bad:

        "stop_criteria": ["n/a"]

    Good:

        "stop_criteria": ["Sharp pain, or pain spreading down your leg."]
    """

    code = "SAFE003"
    name = "empty-safety-text"
    default_severity = Severity.ERROR
    summary = "a red flag or stop criterion says nothing the patient can act on"
    ignorable = False  # keeps the patient safe: never turned off

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        # Red flags and stop criteria repeat across a clinic's protocols: the answer is kept
        # for the run by what they say (their places follow from their order).
        return iter(
            remembered(
                context,
                (self.code, stop_box_key(protocol, context)),
                lambda: self._check(protocol, context),
            )
        )

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        safety = protocol.safety
        texts = [("red flag", flag.text) for flag in safety.red_flags]
        texts += [("stop criterion", text) for text in safety.stop_criteria]
        for kind, text in texts:
            yield from _empty(kind, text, context.memo)


def _empty(kind: str, text: Text, memo: dict) -> Iterator[Problem]:
    for language, value in text.values.items():
        key = ("says-nothing", value)  # red flags and stop criteria repeat across protocols
        if key not in memo:
            memo[key] = says_nothing(value)
        if memo[key]:
            pointer = text.origin.pointer
            if len(text.values) > 1:  # written as an object: point at the language's entry
                pointer = f"{pointer}/{language}"
            yield Problem(
                pointer,
                f"this {kind} ({language}) says nothing the patient can act on: "
                f"{shown(value)}; write what to look out for and what to do",
            )


def says_nothing(value: str) -> bool:
    """Whether a safety text says nothing to act on: fewer than two words, or "n/a", "-",
    "none" and the like."""
    return _words_with_letters(value) < 2 or value.strip().lower().rstrip(".") in _NOTHING


def _words_with_letters(value: str) -> int:
    """How many words have a letter in them, counting no further than two."""
    count = 0
    for word in value.split():
        if any(character.isalpha() for character in word):
            count += 1
            if count == 2:
                break
    return count
