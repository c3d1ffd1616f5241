"""The patient block's fields put in rows, in reading order."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from protocol_kit.sheet.document import Field


def field_rows(
    fields: Sequence[Field], per_row: int, own_row: Callable[[Field], bool]
) -> list[list[Field]]:
    """`per_row` fields a row, in order; a field `own_row` picks (a value longer than its cell)
    gets a row of its own, to be written across it. In a cell a third of the page wide,
    "Prescribed by" with the therapist's name and registration took three or four lines
    beside one-line fields."""
    rows: list[list[Field]] = []
    row: list[Field] = []
    for item in fields:
        if per_row > 1 and own_row(item):
            if row:
                rows.append(row)
            rows.append([item])
            row = []
            continue
        row.append(item)
        if len(row) == per_row:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows
