"""Dosage plausibility and session time: one table of bounds that the lint rules, the PDF
renderer (refusing a prescription override) and the configuration all share.

The bounds are deliberately conservative defaults for an unsupervised home programme; a clinic
can change them in its configuration (`[tool.protokit.lint.bounds]`). Outside the `warn` range
is a warning (unusual: check it); outside the `error` range is an error (almost certainly a
typing mistake, or unsafe for a patient alone at home).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from protocol_kit.findings import Severity
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.loading import number_text
from protocol_kit.record import Record, init

if TYPE_CHECKING:
    from typing import Any

# field -> (warn_min, warn_max, error_max). None: no bound.
Bounds = Mapping[str, tuple[float | None, float | None, float | None]]

_COMMON: dict[str, tuple[float | None, float | None, float | None]] = {
    "sets": (1, 5, 10),
    "repetitions": (1, 30, 100),
    "rest_seconds": (0, 180, 600),
    "sessions_per_day": (1, 3, 6),
    "days_per_week": (1, 7, 7),
    "weeks": (1, 26, 104),
}

DEFAULT_BOUNDS: dict[str, dict[str, tuple[float | None, float | None, float | None]]] = {
    # Static stretches: 15-60 s holds are what the evidence and common practice support.
    "stretch": {**_COMMON, "hold_seconds": (15, 60, 180), "repetitions": (1, 10, 30)},
    "strengthening": {**_COMMON, "hold_seconds": (1, 30, 120), "sessions_per_day": (1, 2, 4)},
    "mobilisation": {**_COMMON, "hold_seconds": (1, 30, 120)},
    "self-myofascial-release": {
        **_COMMON,
        "duration_seconds": (30, 120, 300),
        "hold_seconds": (5, 60, 120),
        "sessions_per_day": (1, 2, 4),
    },
    "motor-control": {**_COMMON, "hold_seconds": (1, 30, 120)},
    "aerobic": {**_COMMON, "duration_seconds": (60, 3600, 7200), "sets": (1, 3, 10)},
    "balance": {**_COMMON, "hold_seconds": (5, 60, 180), "duration_seconds": (10, 600, 1800)},
    "breathing": {**_COMMON, "duration_seconds": (10, 600, 1800), "hold_seconds": (1, 10, 30)},
}

FIELD_WORDS = {
    "sets": "sets",
    "repetitions": "repetitions",
    "hold_seconds": "a hold of {value} s",
    "duration_seconds": "a duration of {value} s",
    "rest_seconds": "a rest of {value} s",
    "sessions_per_day": "sessions a day",
    "days_per_week": "days a week",
    "weeks": "weeks",
}

# The columns of the documentation's table: every dosage field, in the order above.
_TABLE_FIELDS = tuple(FIELD_WORDS)


def bounds_table(bounds: Mapping[str, Bounds] = DEFAULT_BOUNDS) -> str:
    """The default bounds as a Markdown table for the dosage rules' documentation: per
    exercise type and field, the usual range and, in brackets, the limit beyond which a value
    is an error."""

    def cell(bound: tuple[float | None, float | None, float | None] | None) -> str:
        if bound is None:
            return "-"
        low, high, limit = bound
        usual = f"{low:g}-{high:g}" if low is not None and high is not None else "-"
        return usual + (f" ({limit:g})" if limit is not None else "")

    header = "| exercise type | " + " | ".join(f.replace("_", " ") for f in _TABLE_FIELDS) + " |"
    rows = [header, "|---" * (len(_TABLE_FIELDS) + 1) + "|"]
    for exercise_type, fields in bounds.items():
        cells = " | ".join(cell(fields.get(f)) for f in _TABLE_FIELDS)
        rows.append(f"| {exercise_type} | {cells} |")
    return (
        "Default bounds: the usual range, and in brackets the limit (seconds for holds, "
        "durations and rests):\n\n" + "\n".join(rows)
    )


class DosageProblem(Record):
    """A dosage value outside its bounds: which field, how bad, and what to change; `fields`,
    every field that makes the problem (the day's dose: sets, repetitions, holds and sessions
    together), `field` the first of them."""

    __slots__ = ("field", "severity", "message", "fields")
    field: str
    severity: Severity
    message: str
    fields: tuple[str, ...]

    def __init__(
        self, field: str, severity: Severity, message: str, fields: tuple[str, ...] = ()
    ) -> None:
        init(self, "field", field)
        init(self, "severity", severity)
        init(self, "message", message)
        init(self, "fields", fields or (field,))

    def field_among(self, given: Mapping[str, Any]) -> str | None:
        """The first field of the problem that `given` (a prescription's or a stage's own
        numbers) sets, or None when the problem is not of its making."""
        return next((name for name in self.fields if name in given), None)


def bounds_for(exercise_type: str, overrides: Mapping[str, Any] | None = None) -> Bounds:
    """The bounds for one exercise type, with a configuration's overrides applied.

    `overrides` has the shape of `[tool.protokit.lint.bounds]`: `{type: {field: [min, max,
    error_max]}}`.
    """
    bounds = dict(DEFAULT_BOUNDS.get(exercise_type, _COMMON))
    for field_name, values in ((overrides or {}).get(exercise_type) or {}).items():
        bounds[field_name] = tuple(values)  # type: ignore[assignment]
    return bounds


def dosage_problems(
    exercise_type: str, dosage: Mapping[str, Any], overrides: Mapping[str, Any] | None = None
) -> Iterator[DosageProblem]:
    """Every dosage field of `dosage` (a JSON dosage object) that is outside its bounds."""
    bounds = bounds_for(exercise_type, overrides)
    beyond = False
    for field_name, value in dosage.items():
        if field_name not in bounds or not isinstance(value, (int, float)):
            continue
        warn_min, warn_max, error_max = bounds[field_name]
        shown = _describe(field_name, value)
        if error_max is not None and value > error_max:
            beyond = True
            yield DosageProblem(
                field_name,
                Severity.ERROR,
                f"{shown} is beyond the safe limit of {error_max:g} for a {exercise_type} "
                "exercise: check for a typing mistake",
            )
        elif warn_max is not None and value > warn_max:
            yield DosageProblem(
                field_name,
                Severity.WARNING,
                f"{shown} is more than the usual {warn_max:g} for a {exercise_type} exercise",
            )
        elif warn_min is not None and value < warn_min:
            yield DosageProblem(
                field_name,
                Severity.WARNING,
                f"{shown} is less than the usual {warn_min:g} for a {exercise_type} exercise",
            )
    if not beyond:  # a number beyond its own limit is the mistake to fix first
        yield from _day_problems(exercise_type, dosage)


# How long one exercise may take in a day, all sessions together, before the dose is taken for
# a typing mistake: each number may be within its limit and the day still impossible at home
# (10 sets of 100 repetitions 4 times a day; 10 holds of 120 s in 10 sets 6 times a day). Two
# hours of one exercise is beyond any unsupervised home programme (H362); DOSE004 warns from
# 45 minutes for a whole session. Not configurable: a limit is never raised.
DAY_LIMIT_SECONDS = {"aerobic": 4 * 3600.0}
DEFAULT_DAY_LIMIT_SECONDS = 2 * 3600.0
# The fields a day's dose is made of, in the order a finding points at them.
_DAY_FIELDS = (
    "sessions_per_day",
    "sets",
    "repetitions",
    "hold_seconds",
    "duration_seconds",
)


def _day_problems(exercise_type: str, dosage: Mapping[str, Any]) -> Iterator[DosageProblem]:
    numbers = {
        name: value
        for name, value in dosage.items()
        if name in _DAY_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool)
    }
    fields = tuple(name for name in _DAY_FIELDS if name in numbers)
    if not fields:
        return
    # The rest between sets is left out: resting long is not a dose.
    sessions = numbers.get("sessions_per_day", 1)
    day = session_seconds({**numbers, "side": dosage.get("side")}) * sessions
    limit = DAY_LIMIT_SECONDS.get(exercise_type, DEFAULT_DAY_LIMIT_SECONDS)
    if day > limit:
        yield DosageProblem(
            fields[0],
            Severity.ERROR,
            f"the day's dose takes about {day / 60:.0f} minutes ({_day_words(numbers)}), beyond "
            f"the safe limit of {limit / 60:g} minutes a day for a {exercise_type} exercise: "
            "check for a typing mistake",
            fields,
        )


def _day_words(numbers: Mapping[str, float]) -> str:
    return " x ".join(_describe(name, numbers[name]) for name in _DAY_FIELDS if name in numbers)


def _describe(field_name: str, value: float) -> str:
    words = FIELD_WORDS.get(field_name, field_name)
    value_text = number_text(value)
    return words.format(value=value_text) if "{" in words else f"{value_text} {words}"


# Time for one repetition when the protocol gives no hold: a slow, controlled movement.
SECONDS_PER_REPETITION = 4.0
# Time to get into and out of position, once per set and side.
SETUP_SECONDS = 10.0


def session_seconds(dosage: Mapping[str, Any]) -> float:
    """An estimate of the time one exercise takes in one session, rest included.

    Work per set is repetitions x (hold, or a few seconds per repetition), or the duration;
    `each` side doubles it.
    """
    sets = dosage.get("sets", 1)
    repetitions = dosage.get("repetitions")
    hold = dosage.get("hold_seconds")
    duration = dosage.get("duration_seconds")
    if duration is not None:
        work = duration
    else:
        per_repetition = (hold or 0) + (SECONDS_PER_REPETITION if repetitions else 0)
        work = (repetitions or 1) * (per_repetition or SECONDS_PER_REPETITION)
    sides = 2 if dosage.get("side") == "each" else 1
    rest = dosage.get("rest_seconds", 0) * max(sets - 1, 0)
    return sides * (sets * (work + SETUP_SECONDS) + rest)


def field_value(field: str, value: Any, language: str, where: Any) -> Any:
    """A dosage field as a sheet or a narrative says it: the intensity as its `Text` (in the
    protocol's `language`, found at `where`), for the caller to put in its own language (a
    text written in several was printed as Python's dict, `{'en': ...}`, or left out: H1243,
    H1244); a number with the digits it was written with (not `1e-05`); anything else as
    written."""
    if field == "intensity":
        from protocol_kit.model import build_text

        return build_text(value, language, where)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    return str(value)
