"""The "Stop and seek care" box: red flags and stop criteria in groups, each with its
heading (when) and its action (whom to call: the emergency number and the place, a doctor the
same day, the clinic's number).

The box is one table that is never split: `sheet.py` places it first on page 1, whole, and
refuses a box taller than a page (a patient must see every red flag with what to do about it,
on the page most likely to be kept).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, TableStyle

from protocol_kit.render.document import SheetTable, Unsplittable
from protocol_kit.render.styles import STOP_BACKGROUND, STOP_RED, Look
from protocol_kit.render.tags import tagged_paragraph
from protocol_kit.render.text import escape, markup
from protocol_kit.sheet.document import StopBox, StopGroup

BULLET = "\u2022"
# The space under the box, as a share of the body size (2.5 pt in standard print, 4 in large;
# was 0.45): the box's 2 pt red border already sets it apart from what follows, and the
# 2 pt it saves start the ball release's first card on a personalised sheet's page 1.
SPACE_AFTER = 0.25


def stop_box_table(box: StopBox, look: Look, width: float) -> Flowable:
    """The box, its groups one under the other; in standard print, when shorter, the first
    group (the emergency) at the full width and the others two side by side under it, read
    left then right (each group whole, with its heading and its action); of three others, the
    third at the full width under the two."""
    stacked = _box(box, look, width, pairs=False)
    if look.large_print or len(box.groups) < 3:
        return stacked
    paired = _box(box, look, width, pairs=True)
    return min((stacked, paired), key=lambda table: table.wrap(width, 100_000)[1])


def _box(box: StopBox, look: Look, width: float, pairs: bool) -> Flowable:
    styles = look.styles
    title = tagged_paragraph(escape(box.title), styles["stop_heading"], "H2")
    first = box.groups[:1] if pairs else box.groups
    rows, commands = _groups(first, look, start=1)
    rows = [[title], *rows]
    if pairs:
        inner = width - 2 * PADDING
        rest = box.groups[1:]
        # Of three (the maternity unit's, the urgent and the stop criteria), the last at the
        # full width under the pair: not half a row beside a blank.
        last = rest[2:] if len(rest) == 3 else ()
        rows.append([_side_by_side(rest[: len(rest) - len(last)], look, inner)])
        at = len(rows) - 1
        commands.append(("LEFTPADDING", (0, at), (-1, at), PADDING))
        more, more_commands = _groups(last, look, start=len(rows))
        rows += more
        commands += more_commands
    table = Unsplittable(rows, colWidths=[width], spaceAfter=look.size("body") * SPACE_AFTER)
    red = colors.HexColor(STOP_RED)
    body = look.size("body")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, red),
                ("BACKGROUND", (0, 0), (-1, 0), red),
                ("BACKGROUND", (0, 1), (-1, -1), colors.HexColor(STOP_BACKGROUND)),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 0), (-1, 0), 2),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
                ("TOPPADDING", (0, 1), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 0.5),
                *commands,
                ("BOTTOMPADDING", (0, -1), (-1, -1), body * 0.4),
            ]
        )
    )
    return table


def _groups(groups: tuple[StopGroup, ...], look: Look, start: int) -> tuple[list, list]:
    """Rows of a one-column table for `groups` (their heading, items and action), the first
    row numbered `start`, with their paddings."""
    styles = look.styles
    body = look.size("body")
    rows: list[list[Any]] = []
    commands: list[Any] = []
    for group in groups:
        at = start + len(rows)
        commands.append(("TOPPADDING", (0, at), (-1, at), body * 0.3))
        rows.append([tagged_paragraph(escape(group.heading), styles["stop_intro"], "H3")])
        rows += [
            [tagged_paragraph(escape(item), styles["stop_item"], "LI", bullet=BULLET)]
            for item in group.items
        ]
        at = start + len(rows)
        commands.append(("TOPPADDING", (0, at), (-1, at), body * 0.15))
        rows.append([tagged_paragraph(markup(group.action), styles["stop_action"], "P")])
    return rows, commands


def _side_by_side(groups: tuple[StopGroup, ...], look: Look, width: float) -> Flowable:
    """`groups` two a row, each whole in its column, a thin rule between the columns. The
    two columns share the width so that the row is shortest: a longer group gets the wider
    column (from 40 to 60 % of the width), the blank under the shorter one kept small."""
    shares = sorted(SHARES, key=lambda share: abs(share - 0.5))  # the even split on a tie
    tables = [_columns(groups, look, width, share) for share in shares]
    return min(tables, key=lambda table: table.wrap(width, 100_000)[1])


def _columns(groups: tuple[StopGroup, ...], look: Look, width: float, share: float) -> Flowable:
    left = (width - GAP) * share
    right = width - GAP - left
    cells = []
    for n, group in enumerate(groups):
        rows, commands = _groups((group,), look, start=0)
        cell = SheetTable(rows, colWidths=[left if n % 2 == 0 else right])
        cell.setStyle(TableStyle([*_NO_PADDING, ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                                  *commands]))  # fmt: skip
        cells.append(cell)
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    table = SheetTable(rows, colWidths=[left + GAP / 2, right + GAP / 2])
    table.setStyle(
        TableStyle(
            [
                *_NO_PADDING,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("RIGHTPADDING", (0, 0), (0, -1), GAP / 2),
                ("LEFTPADDING", (1, 0), (1, -1), GAP / 2),
                ("LINEAFTER", (0, 0), (0, -1), 0.75, colors.HexColor(STOP_RED)),
            ]
        )
    )
    return table


# The left column's share of the width the two columns have, tried from even outwards (a
# few: each is the groups laid out again).
SHARES = (0.4, 0.45, 0.5, 0.55, 0.6)
PADDING = 6
GAP = 16.0  # between the two columns, a rule in its middle
_NO_PADDING = [
    (f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")
]
