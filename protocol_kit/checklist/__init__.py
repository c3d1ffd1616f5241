"""Completeness against the reporting standards for exercise programmes, judged from content.

CERT (Consensus on Exercise Reporting Template; Slade et al., Br J Sports Med 2016) has 16
items, three of them in two parts; TIDieR (Template for Intervention Description and
Replication; Hoffmann et al., BMJ 2014) has 12. What covers each item is data
(`items.json`, one entry per item): a structured field where one exists, otherwise text that
is not a placeholder, has enough words to carry the item and mentions what the item asks
for. Each item comes out `covered`, `thin` (there, but not enough: the notes say what is
missing), `missing`, or `not applicable`: items that report what happened when a programme
was used (adverse events counted, fidelity achieved) cannot be covered by a plan written in
advance, and are never reported covered.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from protocol_kit.dosage import session_seconds
from protocol_kit.model import Protocol, Text, lookup
from protocol_kit.patterns import APOSTROPHES
from protocol_kit.templates import TODO_WORD

COVERED, THIN, MISSING, NOT_APPLICABLE = "covered", "thin", "missing", "not applicable"
STATUSES = (COVERED, THIN, MISSING, NOT_APPLICABLE)

# A value that stands in for text: "x", "TBD", "...", "-", "n/a", one letter, no letters.
_PLACEHOLDER = re.compile(
    r"^\W*(x+|tbd|tbc|todo|n/?a|none yet|lorem\b.*|test|dummy|placeholder|[^\W\d_])?\W*$",
    re.IGNORECASE,
)
# Joined by a hyphen or any mark typed for an apostrophe ("don´t" one word: H1510).
_WORD = re.compile(rf"[^\W\d_]+(?:[{APOSTROPHES}-][^\W\d_]+)*")


@dataclass(frozen=True)
class Item:
    standard: str
    number: str
    title: str
    evidence: tuple[Mapping[str, Any], ...]
    not_applicable: str | None = None
    applies_if: Mapping[str, Any] | None = None

    @property
    def fields(self) -> str:
        return ", ".join(
            e.get("path", "exercises[].dosage, delivery.programme_weeks") for e in self.evidence
        )


@dataclass(frozen=True)
class ItemResult:
    item: Item
    status: str
    notes: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def _data() -> Mapping[str, Any]:
    from protocol_kit.package_data import read_json

    return read_json(__name__, "items.json", kept=False)


@functools.lru_cache(maxsize=1)
def _placeholder_phrases() -> re.Pattern[str]:
    """Phrases that stand in for text ("same as above", "to be confirmed"), any language."""
    phrases = [p for key, found in _data()["placeholder_phrases"].items() if key != "description"
               for p in found]  # fmt: skip
    words = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def items() -> tuple[Item, ...]:
    """The items of both standards, in order, from `items.json`."""
    data = _data()
    return tuple(
        Item(
            raw["standard"],
            raw["number"],
            raw["title"],
            tuple(raw.get("evidence", ())),
            raw.get("not_applicable"),
            raw.get("applies_if"),
        )
        for raw in data["items"]
    )


def checklist(protocol: Protocol) -> list[ItemResult]:
    view = protocol_view(protocol)
    return [judge(item, view, protocol) for item in items()]


def judge(item: Item, view: Mapping[str, Any], protocol: Protocol) -> ItemResult:
    if item.not_applicable is not None:
        return ItemResult(item, NOT_APPLICABLE, (item.not_applicable,))
    condition = item.applies_if
    if condition and condition["contains"] not in (_get(view, condition["path"]) or ()):
        return ItemResult(
            item, NOT_APPLICABLE, (f"{condition['path']} has no {condition['contains']}",)
        )
    results = [_evidence(e, view, protocol) for e in item.evidence]
    statuses = {status for status, _ in results}
    notes = tuple(note for _, found in results for note in found)
    if statuses == {COVERED}:
        return ItemResult(item, COVERED)
    if statuses == {MISSING}:
        return ItemResult(item, MISSING, notes)
    return ItemResult(item, THIN, notes)


# -- evidence --------------------------------------------------------------------------------


def _evidence(
    evidence: Mapping[str, Any], view: Mapping[str, Any], protocol: Protocol
) -> tuple[str, list[str]]:
    kind = evidence["kind"]
    if kind == "dosage":
        return _dosage(view, protocol)
    path = evidence["path"]
    if path.startswith("exercises[]."):
        field = path[len("exercises[].") :]
        per_exercise = [
            (exercise["id"], _judge_value(evidence, exercise.get(field)))
            for exercise in view["exercises"]
        ]
        statuses = {status for _, (status, _) in per_exercise}
        if statuses == {COVERED}:
            return COVERED, []
        notes = [f"{path} of '{eid}': {note}" for eid, (s, note) in per_exercise if s != COVERED]
        return (MISSING if statuses == {MISSING} else THIN), _shortened(notes)
    status, note = _judge_value(evidence, _get(view, path))
    return status, ([] if status == COVERED else [f"{path}: {note}"])


def _judge_value(evidence: Mapping[str, Any], value: Any) -> tuple[str, str]:
    what = evidence.get("what", "")
    if evidence["kind"] == "value":
        excluded = evidence.get("not", ())
        if value in (None, "", []) or value in excluded:
            return MISSING, f"not given{f' (or {excluded[0]!r})' if excluded else ''}"
        return COVERED, ""
    values = [value] if isinstance(value, str) else list(value or ())
    if not values:
        return MISSING, f"none given: write {what}"
    judged = [text_problem(v, evidence) for v in values]
    if all(p == "a placeholder" for p in judged):
        return MISSING, f"only a placeholder ({_quoted(values[0])}): write {what}"
    problems = [p for p in judged if p]
    minimum = evidence.get("min_items", 1)
    if len(values) < minimum:
        problems.insert(0, f"{len(values)} of at least {minimum}")
    if not problems:
        return COVERED, ""
    return THIN, f"{'; '.join(dict.fromkeys(problems))}: write {what}"


def text_problem(text: str, evidence: Mapping[str, Any]) -> str | None:
    """What is wrong with one text as evidence for an item, or None."""
    plain = " ".join(text.split())
    if TODO_WORD.search(plain) or _PLACEHOLDER.match(plain) or _placeholder_phrases().search(plain):
        return "a placeholder"
    if plain.casefold().rstrip(".") in evidence.get("allow", ()):
        return None
    # Different words: "asdf asdf asdf asdf asdf asdf" is one word said six times.
    words = len({w.casefold() for w in _WORD.findall(plain)})
    minimum = evidence.get("min_words", 1)
    if words < minimum:
        return "a single word" if words == 1 else f"{words} different words, fewer than {minimum}"
    for mention in evidence.get("mentions", ()):
        if not re.search(mention["pattern"], plain, re.IGNORECASE):
            return f"does not say {mention['what']}"
    return None


def _dosage(view: Mapping[str, Any], protocol: Protocol) -> tuple[str, list[str]]:
    notes = []
    for exercise in protocol.exercises:
        intensity = lookup(exercise.dosage.intensity.values, protocol.language) or ""
        problem = text_problem(intensity, {"min_words": 2})
        if problem:
            notes.append(f"exercises[].dosage.intensity of '{exercise.id}': {problem}")
    seconds = sum(session_seconds(e.dosage.fields()) for e in protocol.exercises)
    if seconds < 60:
        notes.append(f"one session adds up to {seconds:.0f} seconds: check the dosages")
    return (THIN if notes else COVERED), _shortened(notes)


# -- the protocol as plain values ------------------------------------------------------------


def protocol_view(protocol: Protocol) -> dict[str, Any]:
    """The fields the items name, as plain strings in the protocol's language, library
    exercises included."""
    language = protocol.language

    def text(value: Text | None) -> str | None:
        return None if value is None else lookup(value.values, language)

    def texts(values: Sequence[Text]) -> list[str]:
        return [t for t in (text(v) for v in values) if t is not None]

    delivery = protocol.delivery
    return {
        "title": text(protocol.title),
        "summary": text(protocol.summary),
        "safety": {"stop_criteria": texts(protocol.safety.stop_criteria)},
        "delivery": {
            "setting": list(delivery.setting),
            "supervision": delivery.supervision,
            "format": delivery.format,
            "provider": {
                "profession": delivery.provider_profession,
                "qualifications": delivery.provider_qualifications,
            },
            "adherence": {
                "method": delivery.adherence_method,
                "description": delivery.adherence_description,
            },
            "motivation": delivery.motivation,
            "progression_rule": delivery.progression_rule,
            "tailoring": delivery.tailoring,
            "starting_level": delivery.starting_level,
            "education": texts(delivery.education),
        },
        "exercises": [
            {
                "id": e.id,
                "purpose": text(e.purpose),
                "equipment": texts(e.equipment),
                "starting_position": text(e.starting_position),
                "steps": texts(e.steps),
                "progression": text(e.progression),
            }
            for e in protocol.exercises
        ],
    }


def _get(view: Mapping[str, Any], path: str) -> Any:
    value: Any = view
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _quoted(value: str) -> str:
    return json.dumps(value if len(value) <= 20 else value[:20] + "...", ensure_ascii=False)


def _shortened(notes: list[str], limit: int = 4) -> list[str]:
    if len(notes) <= limit:
        return notes
    return [*notes[:limit], f"and {len(notes) - limit} more"]


def counts(results: Sequence[ItemResult]) -> dict[str, int]:
    return {status: sum(1 for r in results if r.status == status) for status in STATUSES}


def iter_missing(results: Sequence[ItemResult]) -> Iterator[ItemResult]:
    return (r for r in results if r.status in (THIN, MISSING))
