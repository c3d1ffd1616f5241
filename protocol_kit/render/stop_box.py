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

from protocol_kit.render.document import Unsplittable
from protocol_kit.render.styles import STOP_BACKGROUND, STOP_RED, Look
from protocol_kit.render.tags import tagged_paragraph
from protocol_kit.render.text import escape, markup
from protocol_kit.sheet.document import StopBox

BULLET = "\u2022"


def stop_box_table(box: StopBox, look: Look, width: float) -> Flowable:
    styles = look.styles
    rows: list[list[Any]] = [[tagged_paragraph(escape(box.title), styles["stop_heading"], "H2")]]
    heading_rows, action_rows = [], []
    for group in box.groups:
        heading_rows.append(len(rows))
        rows.append([tagged_paragraph(escape(group.heading), styles["stop_intro"], "H3")])
        rows += [
            [tagged_paragraph(escape(item), styles["stop_item"], "LI", bullet=BULLET)]
            for item in group.items
        ]
        action_rows.append(len(rows))
        rows.append([tagged_paragraph(markup(group.action), styles["stop_action"], "P")])
    table = Unsplittable(rows, colWidths=[width], spaceAfter=look.size("body") * 0.6)
    red = colors.HexColor(STOP_RED)
    body = look.size("body")
    commands: list[Any] = [
        ("BOX", (0, 0), (-1, -1), 2, red),
        ("BACKGROUND", (0, 0), (-1, 0), red),
        ("BACKGROUND", (0, 1), (-1, -1), colors.HexColor(STOP_BACKGROUND)),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, 0), 2),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ("TOPPADDING", (0, 1), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 0.5),
    ]
    commands += [("TOPPADDING", (0, r), (-1, r), body * 0.35) for r in heading_rows]
    commands += [("TOPPADDING", (0, r), (-1, r), body * 0.15) for r in action_rows]
    commands += [("BOTTOMPADDING", (0, -1), (-1, -1), body * 0.4)]
    table.setStyle(TableStyle(commands))
    return table
