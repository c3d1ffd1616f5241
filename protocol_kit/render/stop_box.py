"""The "Stop and seek care" box: red flags and stop criteria in groups under their headings.

The box is one table with its title on top. When it does not fit the space left on a page it
splits itself (`StopBox.split`) so that a patient never reads a red flag without the heading
that says what to do about it: the part on this page ends with "Continued on the next page";
the part on the next page starts with the title marked "(continued)", and a group that runs
onto the next page repeats its heading there, marked "(continued)" too. A split never leaves
a heading without an item under it, and an item is never cut in two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from protocol_kit.render.document import SheetTable
from protocol_kit.render.styles import STOP_BACKGROUND, STOP_RED, Look
from protocol_kit.render.text import escape

BULLET = "\u2022"
# A heading's closing colon, with the space some languages put before it ("si :").
_COLON = re.compile(r"(\s*:)\s*$")


@dataclass(frozen=True)
class StopGroup:
    """One group of the box: its heading ("Stop and seek emergency medical care straight away
    if:"), the same heading marked as continued, and the items it introduces."""

    heading: str
    heading_continued: str
    items: tuple[str, ...]
    continued: bool = False  # this part of the group follows on from the previous page


def continued_heading(heading: str, continued: Callable[[str], str]) -> str:
    """The heading marked as continued, keeping its colon last: "… if (continued):"."""
    colon = _COLON.search(heading)
    if colon is None:
        return continued(heading)
    return continued(heading[: colon.start()]) + colon.group(1)


class StopBox(Flowable):
    """The box, or the part of it that goes on one page (`continued`: not the first part)."""

    def __init__(
        self,
        look: Look,
        width: float,
        title: str,
        title_continued: str,
        next_page: str,
        groups: Sequence[StopGroup],
        continued: bool = False,
        runs_on: bool = False,
    ) -> None:
        super().__init__()
        self.look = look
        self.box_width = width
        self.title = title
        self.title_continued = title_continued
        self.next_page = next_page  # "Continued on the next page"
        self.groups = tuple(groups)
        self.continued = continued  # not the first part: the title says "(continued)"
        self.runs_on = runs_on  # not the last part: ends with `next_page`
        self._table: Table | None = None

    # -- the table -----------------------------------------------------------------------------

    def _part(self, groups: Sequence[StopGroup], continued: bool, runs_on: bool) -> StopBox:
        return StopBox(
            self.look,
            self.box_width,
            self.title,
            self.title_continued,
            self.next_page,
            groups,
            continued,
            runs_on,
        )

    def table(self) -> Table:
        if self._table is None:
            self._table = self._make_table()
        return self._table

    def _make_table(self) -> Table:
        styles = self.look.styles
        title = self.title_continued if self.continued else self.title
        rows: list[list[Any]] = [[Paragraph(escape(title), styles["stop_heading"])]]
        heading_rows = []
        for group in self.groups:
            heading_rows.append(len(rows))
            heading = group.heading_continued if group.continued else group.heading
            rows.append([Paragraph(escape(heading), styles["stop_intro"])])
            rows += [
                [Paragraph(escape(item), styles["bullet"], bulletText=BULLET)]
                for item in group.items
            ]
        if self.runs_on:
            rows.append([Paragraph(escape(self.next_page), styles["stop_more"])])
        table = SheetTable(rows, colWidths=[self.box_width])
        red = colors.HexColor(STOP_RED)
        commands: list[Any] = [
            ("BOX", (0, 0), (-1, -1), 2, red),
            ("BACKGROUND", (0, 0), (-1, 0), red),
            ("BACKGROUND", (0, 1), (-1, -1), colors.HexColor(STOP_BACKGROUND)),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 1), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 1),
        ]
        commands += [("TOPPADDING", (0, r), (-1, r), 6) for r in heading_rows]
        if self.runs_on:
            commands.append(("TOPPADDING", (0, -1), (-1, -1), 3))
        table.setStyle(TableStyle(commands))
        return table

    # -- the flowable --------------------------------------------------------------------------

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.table().wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        self.table().drawOn(self.canv, 0, 0)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """As much of the box as fits, then the rest (marked continued); [] when not even the
        title, a heading and one item fit, so that the whole box moves to the next page."""
        for first, rest in self._splits():
            _, height = first.wrap(available_width, available_height)
            if height <= available_height:
                return [first, rest]
        return []

    def _splits(self) -> list[tuple[StopBox, StopBox]]:
        """Every way to split the box, the one that keeps the most on this page first: between
        two groups, or inside a group after one of its items (never before the first item)."""
        splits = []
        for g, group in enumerate(self.groups):
            for i in range(len(group.items)):
                if i == 0 and g == 0:
                    continue  # nothing would be left on this page
                if i == 0:
                    head, tail = list(self.groups[:g]), list(self.groups[g:])
                else:
                    head = [*self.groups[:g], replace(group, items=group.items[:i])]
                    tail = [
                        replace(group, items=group.items[i:], continued=True),
                        *self.groups[g + 1 :],
                    ]
                splits.append(
                    (
                        self._part(head, self.continued, runs_on=True),
                        self._part(tail, continued=True, runs_on=self.runs_on),
                    )
                )
        return splits[::-1]
