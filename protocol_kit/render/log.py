"""The weekly log as flowables: the 0 to 10 scale in the pain guide's colours, then a grid with,
for each week, a row of tick boxes (one box per prescribed session, `LogGrid.boxes` a day) and
a row for the day's pain score; in large print, one row a week, each day's tick boxes over a
box for its pain score. Its header row is repeated when the grid runs onto another page, and
a week's rows are never split between pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, TableStyle

from protocol_kit.render.blocks import Blocks
from protocol_kit.render.card import GAP, columns
from protocol_kit.render.document import SheetTable
from protocol_kit.render.styles import BAND_COLOURS, GRID_BACKGROUND, Look
from protocol_kit.render.tags import begin_artifact, end_marked
from protocol_kit.sheet.document import LogGrid, Span

LABEL_PADDING = 6.0  # reportlab's cell padding, left and right of a label
# The least width of a score's cell in the scale beside the log's heading, times the width of
# "10" ({large print: factor}). Large print (tenth sitting): 1.35, cells about 8 mm wide, as
# wide as standard print's (2.5 times its 9 pt "10"), with 16 pt figures: the scale then fits
# beside "Weekly exercise log" at 21 pt, a line (25 pt) less for the log, which then shares
# the page "About your programme" ends (hip-flexor 7 -> 6 pages).
SCALE_CELL = {False: 2.5, True: 1.35}


class TickBoxes(Flowable):
    """`count` empty squares in a row, to tick; decoration for the tagged PDF (the row's
    label says what they are for)."""

    def __init__(self, count: int, size: float, colour: str) -> None:
        super().__init__()
        self.count = count
        self.size = size
        self.colour = colour
        self.gap = size * 0.35

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.count * self.size + (self.count - 1) * self.gap, self.size

    def draw(self) -> None:
        canvas = self.canv
        begin_artifact(canvas)
        canvas.setStrokeColor(colors.HexColor(self.colour))
        canvas.setLineWidth(0.8)
        for n in range(self.count):
            canvas.rect(n * (self.size + self.gap), 0, self.size, self.size, stroke=1, fill=0)
        end_marked(canvas)


class DayCell(Flowable):
    """A day of a week in large print: the tick boxes (one per session) on the line of the
    week's "Sessions done" label, and under them, on the line of "Pain (0-10)", a box to
    write the day's pain score in; decoration for the tagged PDF, as `TickBoxes`."""

    def __init__(
        self, count: int, size: float, line: float, extra: float, width: float, colour: str
    ) -> None:
        super().__init__()
        self.ticks = TickBoxes(count, size, colour)
        self.line = line  # the labels' line height: each part level with its label
        self.extra = extra  # the pain box's room below its label's line (the row's padding)
        self.box_width = width
        self.colour = colour

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.box_width, self.line * 2 + self.extra

    def draw(self) -> None:
        canvas = self.canv
        _, ticks_height = self.ticks.wrap(self.box_width, self.line)
        self.ticks.drawOn(canvas, 0, self.line + self.extra + (self.line - ticks_height) / 2)
        begin_artifact(canvas)
        canvas.setStrokeColor(colors.HexColor(self.colour))
        canvas.setLineWidth(0.8)
        canvas.rect(0, 0, self.box_width, self.line * 0.95 + self.extra, stroke=1, fill=0)
        end_marked(canvas)


def log_flowables(blocks: Blocks, grid: LogGrid, width: float) -> list[Flowable]:
    """The weeks (the scale is under the log's heading: `_Writer.log_head`): in standard
    print in two grids side by side (the first half of the weeks on the left) when their
    tick boxes keep their size there, so that the log takes half the height and shares the
    last page more often."""
    look = blocks.look
    body = look.size("body")
    half = (width - GAP) / 2
    if look.large_print or len(grid.weeks) < 2 or _box(grid, half, look) < body * 0.9:
        return [week_grid(blocks, grid, grid.weeks, width)]
    middle = (len(grid.weeks) + 1) // 2
    left = week_grid(blocks, grid, grid.weeks[:middle], half)
    right = week_grid(blocks, grid, grid.weeks[middle:], half)
    return [columns([left], [right], half, half)]


def _label_width(grid: LogGrid, width: float, look: Look) -> float:
    """The week labels' column: as wide as its longest label ("Week 6 Sessions done") needs
    to stay on one line, at least a fifth of the width (three tenths in large print) and at
    most nine twentieths of it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    plain, bold = look.styles["log_cell"], look.styles["log_cell_bold"]
    size = plain.fontSize
    needed = (
        max(
            max(stringWidth(w, bold.fontName, size) for w in grid.weeks)
            + stringWidth(f" {grid.ticks_label}", plain.fontName, size),
            stringWidth(grid.pain_label, plain.fontName, size),
            stringWidth(grid.scale_label, bold.fontName, size),
        )
        + 2 * LABEL_PADDING
        + 1
    )
    least = width * (0.3 if look.large_print else 0.2)
    return min(max(least, needed), width * 0.45)


def _box(grid: LogGrid, width: float, look: Look) -> float:
    day_width = (width - _label_width(grid, width, look)) / len(grid.columns)
    # Standard print: a 9 point box, as the labels' 9 pt text (eighth sitting 10.5 points).
    most = look.size("body") * (1.05 if look.large_print else 0.9)
    return min(most, (day_width - 8) / (grid.boxes * 1.35))


def week_grid(blocks: Blocks, grid: LogGrid, weeks: tuple[str, ...], width: float) -> Flowable:
    """A grid `width` wide: the days, then each of `weeks` as a row of tick boxes and a row
    for the pain score."""
    look = blocks.look
    body = look.size("body")
    label_width = _label_width(grid, width, look)
    day_width = (width - label_width) / len(grid.columns)
    box = _box(grid, width, look)
    rows: list[list[Any]] = [
        [blocks.para(grid.corner, "log_cell_bold")]
        + [blocks.para(column, "log_cell_bold") for column in grid.columns]
    ]
    if look.large_print:
        return _weeks_in_rows(blocks, grid, weeks, rows, label_width, day_width, box)
    for week in weeks:
        label = blocks.rich((Span(week, strong=True), Span(f" {grid.ticks_label}")), "log_cell")
        rows.append([label] + [TickBoxes(grid.boxes, box, look.ink) for _ in grid.columns])
        rows.append([blocks.para(grid.pain_label, "log_cell")] + [""] * len(grid.columns))
    ink = colors.HexColor(look.ink)
    count = len(weeks)
    # Heights follow the labels (a label that wraps makes its row taller, never overflows);
    # the padding leaves room to tick and to write a score.
    table = SheetTable(
        rows, colWidths=[label_width] + [day_width] * len(grid.columns), repeatRows=1
    )
    label = look.styles["log_cell"]
    commands: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.4, ink),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        # An empty cell (a day's pain score) as high as a label's line, not reportlab's
        # 12 points: the row's padding is the room to write in.
        ("FONTSIZE", (0, 0), (-1, -1), label.fontSize),
        ("LEADING", (0, 0), (-1, -1), label.leading),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(GRID_BACKGROUND)),
        # The days' cells: room for the boxes (`_box` leaves 8 points of a day's width).
        ("LEFTPADDING", (1, 0), (-1, -1), 3),
        ("RIGHTPADDING", (1, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), 1),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 1.5),
        # A tick row as low as its 9 pt label's line allows, its boxes clear of the week's
        # thick rule above.
        ("TOPPADDING", (0, 1), (-1, -1), body * 0.15),
        ("BOTTOMPADDING", (0, 1), (-1, -1), body * 0.1),
    ]
    # A pain row leaves room to write a score: a line of the labels' text and 3.5 points
    # (13.4 points, about 4.7 mm, in all; the eighth sitting's row was 18.5 points, its
    # empty cells 12 points high). Large print has a row a week (`_weeks_in_rows`).
    above, below = 0.15, 0.2
    commands += [("TOPPADDING", (0, r), (-1, r), body * above) for r in range(2, 2 * count + 1, 2)]
    commands += [("BOTTOMPADDING", (0, r), (-1, r), body * below)
                 for r in range(2, 2 * count + 1, 2)]  # fmt: skip
    commands += [("LINEABOVE", (0, r), (-1, r), 1.4, ink) for r in range(1, 2 * count, 2)]
    # A week's two rows stay on one page: a pain row is never separated from its week.
    commands += [("NOSPLIT", (0, r), (-1, r + 1)) for r in range(1, 2 * count, 2)]
    table.setStyle(TableStyle(commands))
    return table


def _weeks_in_rows(
    blocks: Blocks, grid: LogGrid, weeks: tuple[str, ...], rows: list[list[Any]],
    label_width: float, day_width: float, box: float,
) -> Flowable:  # fmt: skip
    """Large print: a week in one row, its label on two lines ("Week 1 Sessions done", then
    "Pain (0-10)") and each day's tick boxes over the box for its pain score, level with
    them; a week's two rows of standard print in 13 % less height."""
    look = blocks.look
    line = look.styles["log_cell"].leading
    pad = 3.0  # a day cell's padding, left and right
    # The row's padding under the labels; a day's pain box reaches into it, 1 point above
    # the rule: about 7 mm to write a score in, 15 mm wide. Tenth sitting: 2.2 points above the
    # labels and 3 below them (were 3.2 and 4, a box of 7.5 mm), 12 points a six-week log:
    # with the scale beside the heading, what hip-flexor's log lacked to share a page.
    below = look.size("body") * 0.19
    extra = below - 1
    for week in weeks:
        label = [
            blocks.rich((Span(week, strong=True), Span(f" {grid.ticks_label}")), "log_cell"),
            blocks.para(grid.pain_label, "log_cell"),
        ]
        rows.append([label] + [DayCell(grid.boxes, box, line, extra, day_width - 2 * pad, look.ink)
                               for _ in grid.columns])  # fmt: skip
    ink = colors.HexColor(look.ink)
    table = SheetTable(
        rows, colWidths=[label_width] + [day_width] * len(grid.columns), repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, ink),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(GRID_BACKGROUND)),
                ("LEFTPADDING", (1, 0), (-1, -1), pad),
                ("RIGHTPADDING", (1, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, 0), 2),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
                ("TOPPADDING", (0, 1), (-1, -1), look.size("body") * 0.14),
                ("BOTTOMPADDING", (0, 1), (0, -1), below),
                ("BOTTOMPADDING", (1, 1), (-1, -1), 1),
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ("LINEABOVE", (0, 1), (-1, -1), 1.4, ink),
            ]
        )
    )
    return table


def scale_beside(blocks: Blocks, grid: LogGrid) -> tuple[Callable[[float], Flowable], float]:
    """The scale to print beside the log's heading, made for the room the heading leaves,
    and the least width it needs: its label on one line and each score's cell wide enough
    for "10"."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    bold = blocks.look.styles["log_cell_bold"]
    label = stringWidth(grid.scale_label, bold.fontName, bold.fontSize) + 2 * LABEL_PADDING + 1
    cell = stringWidth("10", bold.fontName, bold.fontSize) * SCALE_CELL[blocks.look.large_print]
    return lambda room: pain_scale(blocks, grid, room, label), label + cell * len(grid.scale)


def pain_scale(
    blocks: Blocks, grid: LogGrid, width: float, label_width: float | None = None
) -> Flowable:
    """0 to 10 in the pain guide's colours, labelled; the bands' meanings are in the pain
    guide on page 1, not repeated here."""
    label_width = label_width or _label_width(grid, width, blocks.look)
    cell = (width - label_width) / len(grid.scale)
    numbers = [blocks.para(str(score), f"band_{colour}") for score, colour in grid.scale]
    table = SheetTable(
        [[blocks.para(grid.scale_label, "log_cell_bold"), *numbers]],
        colWidths=[label_width] + [cell] * len(grid.scale),
    )
    commands: list[Any] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    commands += [
        ("BACKGROUND", (n, 0), (n, 0), colors.HexColor(BAND_COLOURS[colour]))
        for n, (_, colour) in enumerate(grid.scale, start=1)
    ]
    commands += [("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    # "10" on one line in a narrow cell.
    commands += [("LEFTPADDING", (1, 0), (-1, 0), 1), ("RIGHTPADDING", (1, 0), (-1, 0), 1)]
    table.setStyle(TableStyle(commands))
    return table
