"""The dosage as one sentence a patient reads at a glance: "3 × 30 s hold, each side, twice a
day, every day". A pure function of the dosage and the sheet's words, tested per language."""

from __future__ import annotations

from protocol_kit.model import Dosage
from protocol_kit.render.strings import Strings, plural

TIMES = "\u00d7"


def number(value: float, strings: Strings) -> str:
    """A number as the language writes it: 2.5 -> "2,5" in French."""
    text = f"{value:g}"
    return text.replace(".", strings["decimal"])


def duration(seconds: float, strings: Strings) -> str:
    """Seconds as seconds, or whole minutes from one minute up."""
    if seconds >= 60 and seconds % 60 == 0:
        return strings["minutes"].format(n=number(seconds / 60, strings))
    return strings["seconds"].format(n=number(seconds, strings))


def dosage_line(dosage: Dosage, strings: Strings) -> str:
    """Sets and work, side, how often, rest and weeks, in that order, comma-separated."""
    hold = duration(dosage.hold_seconds, strings) if dosage.hold_seconds else None
    work: list[str] = []
    if dosage.repetitions is not None:
        work.append(plural(strings, "repetitions", dosage.repetitions))
        if hold:
            work.append(strings["hold_each"].format(time=hold))
    elif hold:
        work.append(strings["hold"].format(time=hold))
    if dosage.duration_seconds is not None:
        work.append(duration(dosage.duration_seconds, strings))
    parts = [f"{dosage.sets} {TIMES} {work[0]}", *work[1:]]
    side = {"each": "each_side", "left": "left_only", "right": "right_only"}.get(dosage.side)
    if side:
        parts.append(strings[side])
    per_day = dosage.sessions_per_day
    if per_day == 1:
        parts.append(strings["once_a_day"])
    elif per_day == 2:
        parts.append(strings["twice_a_day"])
    else:
        parts.append(strings["times_a_day"].format(n=per_day))
    if dosage.days_per_week == 7:
        parts.append(strings["every_day"])
    else:
        parts.append(plural(strings, "days_a_week", dosage.days_per_week))
    if dosage.rest_seconds and dosage.sets > 1:
        parts.append(strings["rest"].format(time=duration(dosage.rest_seconds, strings)))
    if dosage.weeks:
        parts.append(plural(strings, "weeks", dosage.weeks))
    return ", ".join(parts)
