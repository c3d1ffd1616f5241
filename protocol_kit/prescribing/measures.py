"""The standard outcome measures (`measures.json`, beside this module): their ranges, which
way is better, units, LOINC codes where one was verified, and the STarT Back risk groups.
Data, not code: docs/safety/outcome-measures.md cites the source of every value."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.loading import number_text
from protocol_kit.model import MeasureRecord
from protocol_kit.package_data import read_json
from protocol_kit.record import Record, init

if TYPE_CHECKING:
    from typing import Any


class Measure(Record):
    """One measure's definition: a standard one from the data file, or a clinic's own."""

    __slots__ = (
        "code",
        "name",
        "low",
        "high",
        "integer",
        "better",
        "unit",
        "loinc",
        "subscore",
        "risk_groups",
    )
    code: str | None  # None for a clinic-defined measure
    name: str
    low: float
    high: float
    integer: bool
    better: str  # "higher" or "lower"
    unit: str
    loinc: Mapping[str, str] | None
    subscore: Mapping[str, Any] | None
    risk_groups: Mapping[str, Any] | None

    def __init__(
        self,
        code: str | None,
        name: str,
        low: float,
        high: float,
        integer: bool,
        better: str,
        unit: str,
        loinc: Mapping[str, str] | None = None,
        subscore: Mapping[str, Any] | None = None,
        risk_groups: Mapping[str, Any] | None = None,
    ) -> None:
        init(self, "code", code)
        init(self, "name", name)
        init(self, "low", low)
        init(self, "high", high)
        init(self, "integer", integer)
        init(self, "better", better)
        init(self, "unit", unit)
        init(self, "loinc", loinc)
        init(self, "subscore", subscore)
        init(self, "risk_groups", risk_groups)

    def shown(self, value: float) -> str:
        """A score as printed, with its unit where it has one: 42 %, 6, 7.5, 12 repetitions
        (a clinic's own measure scores in the unit it names: 12 alone could be seconds)."""
        text = number_text(value)
        return f"{text} {self.unit}" if self.unit else text

    def improves(self, baseline: float, target: float) -> bool:
        return target < baseline if self.better == "lower" else target > baseline


@functools.cache
def standard_measures() -> dict[str, Measure]:
    data = read_json(__package__, "measures.json")
    return {
        code: Measure(
            code,
            item["name"],
            item["min"],
            item["max"],
            item["integer"],
            item["better"],
            item["unit"],
            item.get("loinc"),
            item.get("subscore"),
            item.get("risk_groups"),
        )
        for code, item in data["measures"].items()
    }


def measure_of(record: MeasureRecord) -> Measure | None:
    """The definition a prescription's measure uses; None for an unknown code."""
    if record.custom is not None:
        return custom_measure(record.custom)
    return standard_measures().get(record.code or "")


def risk_group(measure: Measure, total: float, subscore: float | None) -> str | None:
    """The risk group of a score on a measure that has them (STarT Back): the first group
    whose bounds the total and subscore meet; None when the subscore it needs is missing."""
    if not measure.risk_groups:
        return None
    for group in measure.risk_groups["groups"]:
        if total < group.get("total_min", float("-inf")) or total > group.get(
            "total_max", float("inf")
        ):
            continue
        if ("subscore_min" in group or "subscore_max" in group) and subscore is None:
            return None
        if subscore is not None and not (
            group.get("subscore_min", float("-inf"))
            <= subscore
            <= group.get("subscore_max", float("inf"))
        ):
            continue
        return group["name"]
    return None


def risk_answer(measure: Measure, group: str) -> Mapping[str, str] | None:
    """The LOINC answer of a risk group (for FHIR)."""
    for item in (measure.risk_groups or {}).get("groups", ()):
        if item["name"] == group:
            return item.get("answer")
    return None


def custom_measure(custom: Mapping[str, Any]) -> Measure:
    """A clinic's own measure, from a prescription's `custom` entry."""
    return Measure(
        None,
        custom["name"],
        custom["min"],
        custom["max"],
        False,
        custom["better"],
        custom.get("unit", ""),
    )
