"""The dosage at a glance: sets, repetitions or hold, how often, side, as a grid of words in
the sheet's language; and the sessions the weekly log has a box for. Pure functions of the
dosage and the wording, tested per language."""

from __future__ import annotations

from collections.abc import Iterable

from protocol_kit.loading import number_text
from protocol_kit.model import Dosage
from protocol_kit.sheet.document import DosageCell, DosageGrid
from protocol_kit.sheet.wording import Wording

NBSP = "\u00a0"
SIDES = {"each": "each_side", "left": "left_only", "right": "right_only"}


def number(value: float, words: Wording) -> str:
    """A number as the language writes it: 2.5 -> "2,5" in French."""
    return number_text(value).replace(".", words["decimal"])


def duration(seconds: float, words: Wording) -> str:
    """Seconds as seconds, or whole minutes from one minute up; the figure and its unit never
    on two lines ("45 s")."""
    if seconds >= 60 and seconds % 60 == 0:
        text = words("minutes", n=number(seconds / 60, words))
    else:
        text = words("seconds", n=number(seconds, words))
    return text.replace(" ", NBSP)


def how_often(dosage: Dosage, words: Wording) -> str:
    """ "twice a day, every day"."""
    per_day = dosage.sessions_per_day
    if per_day == 1:
        daily = words("once_a_day")
    elif per_day == 2:
        daily = words("twice_a_day")
    else:
        daily = words("times_a_day", n=per_day)
    weekly = (
        words("every_day")
        if dosage.days_per_week == 7
        else words.plural("days_a_week", dosage.days_per_week)
    )
    return f"{daily}, {weekly}"


def dosage_grid(dosage: Dosage, words: Wording) -> DosageGrid:
    """Sets, then the work (repetitions, hold, time), the side, how often; the rest between
    sets and the number of weeks as notes under the grid."""
    cells = [DosageCell(words("grid_sets"), str(dosage.sets))]
    if dosage.repetitions is not None:
        cells.append(DosageCell(words("grid_repetitions"), str(dosage.repetitions)))
    if dosage.hold_seconds:
        cells.append(DosageCell(words("grid_hold"), duration(dosage.hold_seconds, words)))
    if dosage.duration_seconds is not None:
        cells.append(DosageCell(words("grid_time"), duration(dosage.duration_seconds, words)))
    side = SIDES.get(dosage.side)
    if side:
        cells.append(DosageCell(words("grid_side"), words(side), wide=True))
    cells.append(DosageCell(words("grid_how_often"), how_often(dosage, words), wide=True))
    notes = []
    if dosage.rest_seconds and dosage.sets > 1:
        notes.append(words("rest", time=duration(dosage.rest_seconds, words)))
    if dosage.weeks:
        notes.append(words.plural("weeks", dosage.weeks))
    return DosageGrid(tuple(cells), tuple(notes))


def log_sessions(dosages: Iterable[Dosage]) -> tuple[int, int]:
    """(sessions a day, days a week) the log has boxes for: the most any exercise asks for,
    so that every prescribed session has its box."""
    dosages = list(dosages)
    return (
        max(d.sessions_per_day for d in dosages),
        max(d.days_per_week for d in dosages),
    )
