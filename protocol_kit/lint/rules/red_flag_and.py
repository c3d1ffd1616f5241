from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.bounded import text_cache
from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem
from protocol_kit.lint.rules._red_flags import RedFlagRule, red_flag_texts
from protocol_kit.model import Protocol
from protocol_kit.patterns import compiled
from protocol_kit.redflags import red_flag_sets, stated_level

_SENTENCES = compiled(r"(?<=[.!?;:])\s+")
# "and" and the phrases that join like it.
_AND = compiled(r"\b(and|as well as|plus|together with)\b", re.IGNORECASE)
_PARENTHESES = compiled(r"\([^)]*\)")
# Fixed phrases whose "and" joins nothing.
# Words that put a condition on what follows ("call 999 if ...").
_CONDITION = compiled(r"\b(if|when|whenever|unless|should you|in case)\b", re.IGNORECASE)
_IDIOMS = compiled(r"\b(pins and needles|back and forth|up and down|on and off)\b", re.I)


class RedFlagAnd(RedFlagRule):
    """A red flag joins signs with "and" where any one of them is reason enough to act.

    "Severe pain that is there all the time, gets worse at night, and is not eased by rest"
    asks the patient to wait until all three are true, so the red flag rarely fires. Each sign
    of a red flag is reason enough on its own: join them with "or". Found in two ways: a list
    of signs whose last part is joined by "and" ("A, B and C"); "and" between two signs
    that are different items of the red-flag sets (saddle numbness and a bladder change); and
    "and" between two separate signs of one item ("pain at night and not eased by rest": the
    sets list them as the item's `signs`). "As well as", "plus" and "together with" join as
    "and" does.

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
    protocol_part = True  # reads only the part files copied from one another share
    summary = "a red flag joins alternative signs with 'and'"
    ignorable = False  # keeps the patient safe: never turned off

    def _check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        for routed in red_flag_texts(protocol, context):
            if routed.kind != "red flag" or not routed.language.startswith("en"):
                continue
            found = joined_list(routed.value)
            if (
                found is None
                and len(routed.named) > 1
                and _AND.search(_IDIOMS.sub("", routed.value))
            ) or (found is None and joins_signs(routed.value, routed.language)):
                found = "two different signs"
            if found is not None:
                yield Problem(
                    routed.text.origin.pointer,
                    f"red flag {shown(routed.value)} joins {found} with 'and', so the patient "
                    "may wait until all are true: join them with 'or'",
                )


@text_cache()
def joined_list(text: str) -> str | None:
    """'a list of signs' when a sentence lists parts with commas and joins the last with
    "and"; else None."""
    plain = _IDIOMS.sub("", _PARENTHESES.sub("", text))
    for sentence in _SENTENCES.split(plain):
        parts = [p.strip() for p in sentence.split(",") if p.strip()]
        if len(parts) >= 2 and _AND.search(parts[-1]) and not parts[-1].lower().startswith("or "):
            if _steps_to_take(sentence, parts[0]):
                continue
            return "a list of signs"
    return None


def _steps_to_take(sentence: str, first: str) -> bool:
    """Whether a sentence listing parts is what to do, not signs: it starts by sending the
    patient to emergency or urgent care and names no sign of the red-flag sets ("call 999,
    then sit down and rest while you wait", the NHS's own chest-pain advice, was warned as
    signs joined by "and"). "Call 999 if you have chest pain, sweating and breathlessness"
    names a sign, and "call 999 if you feel dizzy, sweaty and sick" puts a condition first:
    both still a list of signs."""
    return (
        stated_level(first) != "clinician"
        and not _CONDITION.search(first)
        and not red_flag_sets().named_in(sentence, "en")
    )


def joins_signs(text: str, language: str) -> bool:
    """Whether "and" stands between two different signs of the red-flag sets' items, in one
    sentence."""
    plain = _IDIOMS.sub(lambda m: " " * len(m[0]), text)
    signs = red_flag_sets().signs_in(plain, language)
    if len({sign for _, _, sign in signs}) < 2:
        return False
    for joined in _AND.finditer(plain):
        sentence = (plain.rfind(".", 0, joined.start()), plain.find(".", joined.end()))
        end = sentence[1] if sentence[1] >= 0 else len(plain)
        before = {s for start, stop, s in signs if sentence[0] < start and stop <= joined.start()}
        after = {s for start, _, s in signs if joined.end() <= start < end}
        if any(a != b for a in before for b in after):
            return True
    return False
