from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule, remembered
from protocol_kit.lint.rules._red_flags import routed_key, routed_texts
from protocol_kit.model import Protocol

_SENTENCES = re.compile(r"(?<=[.!?;:])\s+")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^)]*\)")
# Fixed phrases whose "and" joins nothing.
_IDIOMS = re.compile(r"\b(pins and needles|back and forth|up and down|on and off)\b", re.I)


class RedFlagAnd(Rule):
    """A red flag joins signs with "and" where any one of them is reason enough to act.

    "Severe pain that is there all the time, gets worse at night, and is not eased by rest"
    asks the patient to wait until all three are true, so the red flag rarely fires. Each sign
    of a red flag is reason enough on its own: join them with "or". Found in two ways: a list
    of signs whose last part is joined by "and" ("A, B and C"), and "and" between two signs
    that are different items of the red-flag sets (saddle numbness and a bladder change).

    Bad:

        "Severe pain that is there all the time, gets worse at night, and is not eased by
         changing position or resting."

    Good:

        "Severe pain that is there all the time or is worse at night, or that rest and
         changing position do not ease."
    """

    code = "SAFE008"
    name = "red-flag-and"
    default_severity = Severity.WARNING
    summary = "a red flag joins alternative signs with 'and'"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        key = (self.code, routed_key(protocol, context))
        return iter(remembered(context, key, lambda: self._check(protocol, context)))

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        for routed in routed_texts(protocol, context):
            if routed.kind != "red flag" or not routed.language.startswith("en"):
                continue
            found = joined_list(routed.value)
            if (
                found is None
                and len(routed.named) > 1
                and _AND.search(_IDIOMS.sub("", routed.value))
            ):
                found = "two different signs"
            if found is not None:
                yield Problem(
                    routed.text.origin.pointer,
                    f"red flag {shown(routed.value)} joins {found} with 'and', so the patient "
                    "may wait until all are true: join them with 'or'",
                )


@functools.lru_cache(maxsize=4096)
def joined_list(text: str) -> str | None:
    """'a list of signs' when a sentence lists parts with commas and joins the last with
    "and"; else None."""
    plain = _IDIOMS.sub("", _PARENTHESES.sub("", text))
    for sentence in _SENTENCES.split(plain):
        parts = [p.strip() for p in sentence.split(",") if p.strip()]
        if len(parts) >= 2 and _AND.search(parts[-1]) and not parts[-1].lower().startswith("or "):
            return "a list of signs"
    return None
