"""How often the general advice or education says to do the exercises, against each
exercise's dosage (DOSE005, H466): "Do these exercises every hour while you are awake" beside
dosage lines that say once a day tells the patient two things."""

from __future__ import annotations

import re
from collections.abc import Iterator

from protocol_kit.findings import shown
from protocol_kit.lint.base import Context, english, part_answer
from protocol_kit.lint.rules.dosage_text import (
    FREQUENCY_FIELDS,
    Amount,
    amounts,
    may_give_frequency,
)
from protocol_kit.loading import number_text
from protocol_kit.model import Exercise, Protocol
from protocol_kit.patterns import compiled

# A frequency in the advice is said of the programme only when the sentence names it ("do
# these exercises", "repeat the programme", "all of the stretches", "do them"): "every hour,
# get up from your desk and walk around" is about sitting, not the dosage.
_PROGRAMME = compiled(
    r"\b(?:these|the|your|all(?: of)?(?: the| your| these)?|each of (?:the|your|these))\s+"
    r"(?:\w+\s+)?(?:exercises|stretches|programme|program|routine|movements|session)\b"
    r"|\b(?:do|repeat|practise|practice)\s+(?:them|it all|the (?:set|lot))\b",
    re.IGNORECASE,
)
_SENTENCE = compiled(r"[^.;!?]+")
# One exercise named in the singular ("do the stretch every half an hour", "repeat this
# exercise every 2 hours"): which one is not certain in a protocol of several, so the
# frequency is reported only when no exercise's dosage agrees with it (H531).
_ONE = compiled(
    r"\b(?:the|this|that|your|each|every)\s+(?:[\w-]+\s+){0,3}?(?:exercise|stretch|movement)\b"
    r"|\b(?:do|repeat|practise|practice)\s+(?:it|this)\b",
    re.IGNORECASE,
)


def programme_frequencies(protocol: Protocol, context: Context) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each frequency the general advice or education gives the whole
    programme that an exercise's dosage does not (sessions a day, days a week). What the
    texts say is of the protocol's shared part: kept with it (`part_answer`), so a file
    compares only its exercises' dosages with it (issue 17)."""
    for kind, pointer, of_programme, of_one in part_answer(
        protocol, context, "programme frequencies", _frequencies_said, protocol, context.memo
    ):
        for amount in of_programme:
            differ = [e for e in protocol.exercises if _differs(e, amount)]
            if differ:
                yield pointer, _message(kind, amount, differ)
        for amount in of_one:
            dosed = [e for e in protocol.exercises if getattr(e.dosage, amount.field) is not None]
            if dosed and all(_differs(e, amount) for e in dosed):
                yield pointer, _message(kind, amount, dosed)


def _frequencies_said(protocol: Protocol, memo: dict) -> tuple:
    """(kind, pointer, frequencies of the programme, of one exercise) for each text of the
    general advice and education that says some, in order. `memo` keeps each text's
    frequencies for the run: the same advice recurs in most files."""
    texts = [("general advice", t) for t in protocol.safety.general_advice]
    texts += [("education", t) for t in protocol.delivery.education]
    found = []
    for kind, text in texts:
        value = english(text)
        if value is None:
            continue
        key = ("programme frequencies", value)
        said = memo.get(key)
        if said is None:
            said = memo[key] = (_said(value, of_one=False), _said(value, of_one=True))
        if said[0] or said[1]:
            found.append((kind, text.origin.pointer, *said))
    return tuple(found)


def _said(value: str, of_one: bool) -> tuple[Amount, ...]:
    """The frequencies (sessions a day, days a week) of the sentences of `value` that name
    the programme, or (`of_one`) that name one exercise and not the programme."""
    if not may_give_frequency(value):
        return ()  # most advice says nothing of how often: no sentence of it does either
    return tuple(
        amount
        for sentence in _SENTENCE.findall(value)
        if _names(sentence, of_one)
        for amount in amounts(sentence)
        if amount.field in FREQUENCY_FIELDS and not amount.baseline
    )


def _names(sentence: str, of_one: bool) -> bool:
    if _PROGRAMME.search(sentence) is not None:
        return not of_one
    return of_one and _ONE.search(sentence) is not None


def _differs(exercise: Exercise, amount: Amount) -> bool:
    current = getattr(exercise.dosage, amount.field)
    return current is not None and not amount.low <= current <= amount.high


def _message(kind: str, amount: Amount, differ: list[Exercise]) -> str:
    first = differ[0]
    current = getattr(first.dosage, amount.field)
    has = (
        f"{number_text(current)} session{'s' if current != 1 else ''} a day"
        if amount.field == "sessions_per_day"
        else f"{number_text(current)} day{'s' if current != 1 else ''} a week"
    )
    others = f" (and {len(differ) - 1} other exercise{'s' if len(differ) > 2 else ''})"
    return (
        f"{kind} says to do the exercises {shown(amount.words)}, but exercise '{first.id}' is "
        f"dosed at {has}{others if len(differ) > 1 else ''}: the patient reads both; make "
        "the advice and the dosage agree"
    )
