"""Completeness against the reporting standards for exercise programmes.

CERT (Consensus on Exercise Reporting Template; Slade et al., Br J Sports Med 2016) has 16
items, three of them in two parts; TIDieR (Template for Intervention Description and
Replication; Hoffmann et al., BMJ 2014) has 12. For each item the checklist says whether the
protocol covers it and with which field, so that a clinic can see what another clinic would
need to reproduce the programme. Items that report what happened in a trial (for example how
many adverse events occurred, or whether the intervention was modified) cannot be covered by a
programme written in advance: they are marked not applicable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from protocol_kit.model import Protocol

COVERED, NOT_COVERED, NOT_APPLICABLE = "covered", "not covered", "not applicable"


@dataclass(frozen=True, slots=True)
class Item:
    standard: str
    number: str
    title: str
    fields: str  # the protocol fields that cover it
    covered: Callable[[Protocol], bool] | None  # None: not applicable to a home programme


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: Item
    status: str


def _always(protocol: Protocol) -> bool:
    return True  # a field the schema requires


def _every_exercise(attribute: str) -> Callable[[Protocol], bool]:
    return lambda p: all(getattr(e, attribute) for e in p.exercises)


def _delivery(attribute: str) -> Callable[[Protocol], bool]:
    return lambda p: bool(getattr(p.delivery, attribute))


def _adherence(protocol: Protocol) -> bool:
    return protocol.delivery.adherence_method != "none"


ITEMS: tuple[Item, ...] = (
    Item("CERT", "1", "Type of exercise equipment", "exercises[].equipment", _always),
    Item(
        "CERT",
        "2",
        "Qualifications, expertise and training of the instructor",
        "delivery.provider",
        _always,
    ),
    Item("CERT", "3", "Individual or group exercise", "delivery.format", _always),
    Item("CERT", "4", "Supervised or unsupervised; how delivered", "delivery.supervision", _always),
    Item("CERT", "5", "How adherence is measured and reported", "delivery.adherence", _adherence),
    Item("CERT", "6", "Motivation strategies", "delivery.motivation", _delivery("motivation")),
    Item(
        "CERT",
        "7a",
        "Decision rule for progressing the exercise",
        "delivery.progression_rule",
        _delivery("progression_rule"),
    ),
    Item(
        "CERT",
        "7b",
        "How the exercise programme is progressed",
        "exercises[].progression",
        _every_exercise("progression"),
    ),
    Item(
        "CERT",
        "8",
        "Each exercise described so that it can be replicated",
        "exercises[].starting_position, steps, cues, media",
        _always,
    ),
    Item(
        "CERT",
        "9",
        "Home programme component",
        "delivery.setting (home), the printed sheet",
        lambda p: "home" in p.delivery.setting,
    ),
    Item(
        "CERT",
        "10",
        "Non-exercise components",
        "delivery.education, delivery.non_exercise_components",
        _always,
    ),
    Item(
        "CERT",
        "11",
        "Type and number of adverse events",
        "delivery.adverse_events (how they are recorded; counts come from use)",
        _delivery("adverse_events"),
    ),
    Item("CERT", "12", "Setting in which the exercises are performed", "delivery.setting", _always),
    Item(
        "CERT",
        "13",
        "Exercise intervention: repetitions, sets, sessions, duration",
        "exercises[].dosage, delivery.programme_weeks",
        _always,
    ),
    Item("CERT", "14a", "Generic or tailored", "delivery.tailoring", _always),
    Item(
        "CERT", "14b", "How exercises are tailored to the individual", "delivery.tailoring", _always
    ),
    Item("CERT", "15", "Decision rule for the starting level", "delivery.starting_level", _always),
    Item("CERT", "16a", "How adherence or fidelity is assessed", "delivery.adherence", _adherence),
    Item("CERT", "16b", "Extent to which the intervention was delivered as planned", "", None),
    Item("TIDieR", "1", "Brief name", "title", _always),
    Item("TIDieR", "2", "Why: rationale, theory or goal", "summary, exercises[].purpose", _always),
    Item(
        "TIDieR",
        "3",
        "What: materials",
        "exercises[].equipment, delivery.education, the printed sheet",
        _always,
    ),
    Item("TIDieR", "4", "What: procedures", "exercises[].starting_position, steps", _always),
    Item("TIDieR", "5", "Who provided", "delivery.provider", _always),
    Item("TIDieR", "6", "How: modes of delivery", "delivery.format, delivery.supervision", _always),
    Item("TIDieR", "7", "Where", "delivery.setting", _always),
    Item(
        "TIDieR",
        "8",
        "When and how much",
        "exercises[].dosage, delivery.programme_weeks",
        _always,
    ),
    Item("TIDieR", "9", "Tailoring", "delivery.tailoring, delivery.starting_level", _always),
    Item("TIDieR", "10", "Modifications made during the study", "", None),
    Item(
        "TIDieR",
        "11",
        "How well (planned): adherence and fidelity",
        "delivery.adherence",
        _adherence,
    ),
    Item("TIDieR", "12", "How well (actual)", "", None),
)


def checklist(protocol: Protocol) -> list[ItemResult]:
    results = []
    for item in ITEMS:
        if item.covered is None:
            status = NOT_APPLICABLE
        else:
            status = COVERED if item.covered(protocol) else NOT_COVERED
        results.append(ItemResult(item, status))
    return results
