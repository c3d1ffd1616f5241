"""An exercise card as flowables: the title band, the purpose, then the picture with the dosage
grid (large), "Take care", the starting position and the steps beside it, then the rest
(what you need, how it should feel, tips, what to avoid, the easier version; the harder one
on the clinician's copy) one after the other at the full width, each starting with its label.

The card's head, from the title band to the first steps beside the picture, is one
KeepTogether: a card is never split before its picture, dosage and first steps (but where
no layout's head fits the room left on a page: `Cards._dosage_beside_picture`). Beside the
picture go the starting position and as many steps as fit along it (at least the first); the
other steps follow below at the full width, numbered on. The rest of a card may run onto the
next page, where it is marked "continued" (`CardMark`, drawn by the page frame).

In standard print a card may instead have every step beside the picture and its further
parts in the column under the picture (`Cards._every_step_beside`): one block, drawn and
tagged in the logical order (steps before the parts under the picture).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from protocol_kit.render.blocks import Blocks, headed, picture_cell, video_cell
from protocol_kit.render.document import CardMark, PageState, SheetTable
from protocol_kit.render.styles import (
    GRID_BACKGROUND,
    LEADING,
    MUTED,
    PICTURE_HEIGHT,
    PICTURE_WIDTH,
)
from protocol_kit.render.tags import tagged_paragraph
from protocol_kit.render.text import bold, sized
from protocol_kit.sheet.document import Card, DosageGrid, Items, Labelled, Picture, Span, Video

NOTE_JOIN = " \u00b7 "  # between a grid's notes
# Without a picture, the head keeps the starting position and the first step (and more
# steps while they fit in this many lines of body text).
HEAD_LINES = 4
GAP = 16.0  # between the picture and the text beside it, and between two columns: wide enough
# that a text extractor (and a reader's eye) keeps the columns apart
GRID_PADDING = 5.0
# Above and below a grid cell's label and figure (points): the grid as low as its figures
# allow and still clear of its edges (eighth sitting: 2 and 4, then 1.5 and 2.5).
GRID_TOP, GRID_BOTTOM = 1.5, 2.5
# Under a card's title band (8th sitting, round 2: 2 points, was 3), and after a card (times the
# body size; 0.4 before).
BAND_SPACE = 2.0
CARD_SPACE = 0.3
# The narrowest the picture's column gets, as a share of PICTURE_WIDTH.
MOST_NARROW = 0.4
# A list runs in after its label when it takes no more lines than this.
RUN_IN_LINES = 4
# "Take care" beside the picture when no taller than this many times the body size; a
# longer one goes below it, at the full width, where it can break between its items.
CARE_MOST = 30
# Every step beside the picture makes the card one block that is never split: only for a
# card no taller than this (points; about half a page), so that a long card still starts
# where a page has room for its head and runs on.
EVERY_STEP_MOST = 400.0


class Cards:
    def __init__(self, blocks: Blocks, state: PageState) -> None:
        self.blocks = blocks
        self.look = blocks.look
        self.state = state
        # While a card is laid out: what its candidate layouts made, by (what, source, width),
        # so that the layouts share flowables and their measures (`_once`).
        self._made: dict[tuple[str, int, float], tuple[Any, list[Flowable]]] | None = None

    def card(self, card: Card, width: float) -> list[Flowable]:
        """The card's flowables. In standard print a card with a picture is laid out three
        ways and the shortest kept (the first of equals): its purpose under the picture, in
        the 58 mm column, where the text beside it runs as long as that column; its purpose
        in a line or two under the band and the picture's column as wide as the picture is
        drawn (a standing or kneeling figure leaves the text beside it up to 30 mm more);
        or every step beside the picture (`_every_step_beside`). In large print a card with a
        picture and "Take care" is laid out two ways: "Take care" beside the picture, or
        above it at the full width (fewer lines at 16 pt) with the starting position and the
        first steps beside the picture."""
        return self.layouts(card, width)[0]

    def layouts(self, card: Card, width: float, last_resort: bool = False) -> list[list[Flowable]]:
        """The card's layouts (`card`), shortest first (the first of equals); with
        `last_resort`, the one for a page with too little room for every other layout's head
        last (`_dosage_beside_picture`), made with the others, from the same flowables."""
        self._made = {}
        try:
            stories = self._layouts(card, width)
            if last_resort:
                # The purpose under the picture first (as the other layouts print it); then
                # in a line under the band, for a page where the picture's column with the
                # purpose under it is the head's tallest part and a few points too tall: a
                # prescription's page 1 ended 138 pt blank under "Before you start" (H1620).
                for purpose_under in (True, False):
                    dosage_first = self._dosage_beside_picture(card, width, purpose_under)
                    if dosage_first:
                        stories.append(dosage_first)
            return stories
        finally:
            self._made = None

    def _layouts(self, card: Card, width: float) -> list[list[Flowable]]:
        """`layouts` without the last resort."""
        if self.look.large_print and card.picture is not None and card.take_care:
            # "Take care" beside the picture, or above it at the full width with the
            # first steps beside the picture (`_card`): the shorter first.
            stories = [self._card(card, width, False, above) for above in (False, True)]
            return sorted(stories, key=lambda story: _height(story, width))
        if self.look.large_print or card.picture is None:
            return [self._card(card, width, purpose_under=False)]
        stories = [self._card(card, width, purpose_under) for purpose_under in (True, False)]
        if _column_width(self.picture(card)) < PICTURE_WIDTH:
            # The purpose under a standing or kneeling figure, in its narrower column:
            # the head no taller than the text beside it ("Take care", the first step).
            stories.append(self._card(card, width, True, narrow=True))
        every_step = self._every_step_beside(card, width)
        if every_step is not None:
            stories.append(every_step)
        return sorted(stories, key=lambda story: _height(story, width))

    def fitted(self, card: Card, width: float, heading: Flowable | None = None) -> list[Flowable]:
        """The card as laid out where a page has room for it: its shortest layout, unless
        that layout's head (never split) does not fit in the room left on the page and a
        longer one's does; then the longer one, which starts on this page instead of
        leaving the room blank (`LayoutChoice`). A `heading` (the section's) is kept with
        the head of each layout."""
        # The last resort last: chosen only where no other layout's head fits (LayoutChoice
        # takes the first that does), as under a prescription's notes on page 1, where each
        # head was a few points too tall and the page ended a quarter blank (H1425).
        stories = self.layouts(card, width, last_resort=True)
        if heading is not None:
            stories = [headed(heading, story) for story in stories]
        return [LayoutChoice(stories, width)] if len(stories) > 1 else stories[0]

    def _dosage_beside_picture(
        self, card: Card, width: float, purpose_under: bool = True
    ) -> list[Flowable] | None:
        """Standard print, where the room left on a page is too short for every other
        layout's head: a shorter head, the picture (its purpose under it, or without
        `purpose_under` in a line under the band) with the dosage grid
        and "Take care" beside it, the starting position and the steps following at the full
        width, where they may run on to the next page ("continued"). The patient still reads
        the picture, the dose and what to take care of before the steps, on one page. None in
        large print, without a picture, or when the grid or "Take care" does not fit beside
        the picture."""
        if self.look.large_print or card.picture is None:
            return None
        column = PICTURE_WIDTH
        text_width = width - column - GAP
        if self.grid_widths(card.dosage, text_width) is None:
            return None
        body = self.look.size("body")
        content = self.grid(card.dosage, text_width)
        if card.take_care is not None:
            care = _under_grid(self._flowables(card.take_care, text_width))
            if _height(care, text_width) > CARE_MOST * body:
                return None
            content += care
        picture = self.picture(card)
        head: list[Flowable] = [CardMark(self.state, card.title), self.band(card, width),
                                Spacer(1, BAND_SPACE)]  # fmt: skip
        if purpose_under:
            picture.append(self.blocks.para(card.purpose, "purpose_under"))
        else:
            head.append(self.blocks.para(card.purpose, "purpose"))
        head.append(columns(picture, content, column, text_width,
                            [("TOPPADDING", (0, 0), (0, 0), 3)]))  # fmt: skip
        story: list[Flowable] = [KeepTogether(_unkept(head))]
        for part in card.beside:
            story += self._flowables(part, width)
        story += self.after(card.after, width)
        if card.media:
            story.append(self.media(card.media, width))
        story += [CardMark(self.state, None), Spacer(1, body * CARD_SPACE)]
        return story

    def _once(self, what: str, source: Any, width: float, make: Any) -> list[Flowable]:
        """`make()`'s flowables for `source` at `width`, made once while a card is laid
        out: the candidate layouts take the same flowables, so a paragraph or a table is made
        and measured once per width, not once per layout (only one layout is drawn). A new
        list each time: callers add to it."""
        if self._made is None:
            return make()
        key = (what, id(source), width)
        if key not in self._made:  # (the source is kept with it: its id is not reused)
            self._made[key] = (source, make())
        return list(self._made[key][1])

    def _flowables(self, block: Any, width: float) -> list[Flowable]:
        return self._once("flowables", block, width, lambda: self.blocks.flowables(block, width))

    def _every_step_beside(self, card: Card, width: float) -> list[Flowable] | None:
        """Standard print: the dosage grid, "Take care", the starting position and every step
        beside the picture, and under the picture (its purpose, then) as many of the card's
        further parts as make the card shortest; the others follow at the full width. None
        when the grid or "Take care" does not fit beside the picture, or when that block is
        taller than EVERY_STEP_MOST.

        One table of two rows: the picture (and its purpose) over the further parts on the
        left, the text beside spanning both rows on the right. reportlab draws a table's
        cells row by row, a spanning cell in its first row, so the tagged PDF reads the
        picture, the grid, "Take care", the steps, and only then the parts under the
        picture: the logical order, whatever the columns' places on the page."""
        blocks = self.blocks
        column = PICTURE_WIDTH
        text_width = width - column - GAP
        if self.grid_widths(card.dosage, text_width) is None:
            return None
        body = self.look.size("body")
        content: list[Flowable] = self.grid(card.dosage, text_width)
        if card.take_care is not None:
            care = _under_grid(self._flowables(card.take_care, text_width))
            if _height(care, text_width) > CARE_MOST * body:
                return None
            content += care
        for part in card.beside:
            content += _unkept(self._flowables(part, text_width))
        picture = self.picture(card) + [blocks.para(card.purpose, "purpose_under")]
        after = list(card.after)
        # Under the picture: as many of the further parts (the first ones, up to a later
        # stage's dosage, which stays below) as make the card shortest.
        stages = [n for n, part in enumerate(after)
                  if any(isinstance(b, DosageGrid) for b in part.blocks)]  # fmt: skip
        movable = stages[0] if stages else len(after)
        gap = body * 0.1
        under_heights = [_height(self.part(part, column), column) + gap for part in after[:movable]]
        below_heights = [_height(self.part(part, width), width) for part in after[:movable]]
        beside, left = _height(content, text_width), _height(picture, column) + 3

        def card_height(count: int) -> float:
            return max(beside, left + sum(under_heights[:count])) + sum(below_heights[count:])

        count = min(range(movable + 1), key=card_height)
        under: list[Flowable] = []
        for part in after[:count]:
            under += [Spacer(1, gap), *_unkept(self.part(part, column))]
        after = after[count:]
        head: list[Flowable] = [CardMark(self.state, card.title), self.band(card, width),
                                Spacer(1, BAND_SPACE), _picture_and_steps(picture, content, under,
                                                                 column, text_width)]  # fmt: skip
        if _height(head, width) > EVERY_STEP_MOST:
            return None
        story: list[Flowable] = [KeepTogether(_unkept(head))]
        story += self.after(tuple(after), width)
        if card.media:
            story.append(self.media(card.media, width))
        story += [CardMark(self.state, None), Spacer(1, body * CARD_SPACE)]
        return story

    def band(self, card: Card, width: float) -> Flowable:
        """The card's title band."""
        band = SheetTable([[self.blocks.para(card.title, "card_title", role="H3")]],
                          colWidths=[width])  # fmt: skip
        colour = self.look.ink if self.look.large_print else self.look.accent
        band.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(colour)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return band

    def _card(
        self, card: Card, width: float, purpose_under: bool, care_above: bool = False,
        narrow: bool = False,
    ) -> list[Flowable]:  # fmt: skip
        """The card's flowables: its purpose under the picture in the 58 mm column (or, with
        `narrow`, in the column as wide as the picture is drawn) or under the band."""
        blocks = self.blocks
        head: list[Flowable] = [CardMark(self.state, card.title), self.band(card, width),
                                Spacer(1, BAND_SPACE)]  # fmt: skip
        under = self.picture(card)
        column = PICTURE_WIDTH if purpose_under and not narrow else _column_width(under)
        beside_width = width - column - GAP
        # Beside the picture when its words fit there; in large print always the full width,
        # where the figures stand out most.
        grid_beside = (
            card.picture is not None
            and not self.look.large_print
            and self.grid_widths(card.dosage, beside_width) is not None
        )
        if purpose_under and grid_beside:  # the purpose under the picture, the grid beside it
            under.append(blocks.para(card.purpose, "purpose_under"))
        else:  # the purpose under the band, at the full width
            head.append(blocks.para(card.purpose, "purpose"))
        if not grid_beside:
            head += self.grid(card.dosage, width)
        if care_above:  # large print: its own flowables, the other layout's keep their space
            head += self._once("care_above", card.take_care, width, lambda: _under_grid(
                self.blocks.flowables(card.take_care, width)))  # fmt: skip
        after = list(card.after)
        beside, below = self.beside(card, width, grid_beside, after, under, column, care_above)
        # The head ends with the first step: when none fits beside the picture, what comes
        # before the first step below it joins the head.
        first_step = self._first_step_at([beside], below)
        head += [beside, *_unkept(below[: first_step + 1])]
        story: list[Flowable] = [KeepTogether(_unkept(head)), *below[first_step + 1 :]]
        story += self.after(tuple(after), width)
        if card.media:
            story.append(self.media(card.media, width))
        story += [CardMark(self.state, None), Spacer(1, self.look.size("body") * CARD_SPACE)]
        return story

    def _first_step_at(self, head: list[Flowable], below: list[Flowable]) -> int:
        """-1 when the head holds a step already, else the index in `below` of the flowable
        that holds the first step."""
        step = self.look.styles["step"]

        def holds_step(flowable: Flowable) -> bool:
            if isinstance(flowable, SheetTable):
                return any(holds_step(f) for row in flowable._cellvalues for cell in row
                           for f in (cell if isinstance(cell, list) else [cell])
                           if isinstance(f, Flowable))  # fmt: skip
            return any(getattr(f, "style", None) is step for f in _unkept([flowable]))

        if any(holds_step(f) for f in head):
            return -1
        return next((i for i, f in enumerate(below) if holds_step(f)), -1)

    def grid_widths(self, grid: DosageGrid, width: float) -> list[float] | None:
        """Each cell as wide as its longest word needs (a word is never broken), the rest of
        `width` shared by the phrases; None when the words do not fit in `width`."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        styles = self.look.styles
        label, value = styles["dosage_label"], styles["dosage_value"]

        def widest(text: str, style) -> float:  # breaks only at plain spaces
            return max(stringWidth(w, style.fontName, style.fontSize) for w in text.split(" "))

        def whole(text: str, style) -> float:
            return stringWidth(text, style.fontName, style.fontSize)

        # A phrase ("once a day, every day") on one line when the grid has the room, else
        # broken at its spaces only.
        for measure in (whole, widest):
            needed = [
                max(widest(cell.label, label), (measure if cell.wide else whole)(cell.value, value))
                + GRID_PADDING * 2
                for cell in grid.cells
            ]
            spare = width - sum(needed)
            if spare >= 0:
                break
        else:
            return None
        weights = [2.3 if cell.wide else 1.0 for cell in grid.cells]
        return [n + spare * w / sum(weights) for n, w in zip(needed, weights, strict=False)]

    def grid(self, grid: DosageGrid, width: float) -> list[Flowable]:
        """One row: each cell a small label over a large value; phrases get more room. A
        grid whose words do not fit in `width` is two rows."""
        return self._once("grid", grid, width, lambda: self._grid(grid, width))

    def _note_width(self, grid: DosageGrid, width: float) -> float | None:
        """The width of a last cell for the grid's notes ("rest 15 s between sets"), when
        they fit there within the height of a label over its figure, beside the cells with
        each phrase of theirs on one line: the note then takes no line of its own under the
        grid. The narrowest such width; None when there is none."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if not grid.notes:
            return None
        styles = self.look.styles
        label, value, note = styles["dosage_label"], styles["dosage_value"], styles["dosage_note"]
        cells = sum(
            max(
                max(stringWidth(w, label.fontName, label.fontSize) for w in cell.label.split(" ")),
                stringWidth(cell.value, value.fontName, value.fontSize),
            ) + GRID_PADDING * 2
            for cell in grid.cells
        )  # fmt: skip
        # What is left for the note's text, with a little to spare: a phrase set in exactly
        # its own width may still break.
        room = width - cells - GRID_PADDING * 2 - 4
        tallest = label.leading + value.leading
        text = NOTE_JOIN.join(grid.notes)
        paragraph = self.blocks.para(text, "dosage_note")
        whole = stringWidth(text, note.fontName, note.fontSize)
        # Never narrower than the note's longest word: reportlab would break the word inside
        # ("Week" over "s 1–2"), a misprint the patient reads.
        longest = max(stringWidth(w, note.fontName, note.fontSize) for w in text.split()) + 1
        for lines in (2, 1):
            text_width = min(room, max(longest, whole / lines * 1.05 + 1))
            if text_width >= longest and paragraph.wrap(text_width, 1_000)[1] <= tallest:
                return text_width + GRID_PADDING * 2
        # Else a line or two taller than the cells, still shorter than a line of its own.
        text_width = max(longest, whole / 2 * 1.15)
        if text_width <= room and paragraph.wrap(text_width, 1_000)[1] <= tallest + note.leading:
            return text_width + GRID_PADDING * 2
        return None

    def _grid(self, grid: DosageGrid, width: float) -> list[Flowable]:
        blocks = self.blocks
        note_width = self._note_width(grid, width)
        if note_width is not None:
            widths = self.grid_widths(grid, width - note_width)
            if widths is not None:
                return self._grid_with_note(grid, widths, note_width)
        widths = self.grid_widths(grid, width)
        # One paragraph a cell, the small label over the large figure: half the paragraphs
        # to lay out.
        cells = self._grid_cells(grid)
        if widths is not None:
            rows = [cells]
        else:  # two rows: the figures, then the phrases (side, how often)
            figures = [c for c, cell in zip(cells, grid.cells, strict=False) if not cell.wide]
            phrases = [c for c, cell in zip(cells, grid.cells, strict=False) if cell.wide]
            columns = max(len(figures), len(phrases))
            rows = [r + [""] * (columns - len(r)) for r in (figures, phrases)]
            widths = [width / columns] * columns
        table = SheetTable(rows, colWidths=widths, spaceBefore=1)
        table.setStyle(TableStyle(self._grid_style()))
        story: list[Flowable] = [table]
        if grid.notes:
            story.append(blocks.para(NOTE_JOIN.join(grid.notes), "dosage_note"))
        story.append(Spacer(1, 2))
        return story

    @staticmethod
    def _grid_style() -> list[Any]:
        return [
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(GRID_BACKGROUND)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEAFTER", (0, 0), (-2, -1), 1.5, colors.white),
            ("LINEBELOW", (0, 0), (-1, -2), 1.5, colors.white),
            ("LEFTPADDING", (0, 0), (-1, -1), GRID_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), GRID_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), GRID_TOP),
            ("BOTTOMPADDING", (0, 0), (-1, -1), GRID_BOTTOM),
        ]

    def _grid_cells(self, grid: DosageGrid) -> list[Flowable]:
        label = self.look.styles["dosage_label"]
        return [
            tagged_paragraph(
                f"{sized(cell.label, label.fontSize, label.textColor.hexval())}<br/>"
                f"{bold(cell.value)}",
                self.look.styles["dosage_value"],
                "P",
            )
            for cell in grid.cells
        ]

    def _grid_with_note(self, grid: DosageGrid, widths: list[float], note: float) -> list[Flowable]:
        """The grid in one row and its notes in a last cell, at the figures' foot, read
        after them."""
        cells = self._grid_cells(grid)
        cells.append(self.blocks.para(NOTE_JOIN.join(grid.notes), "dosage_note"))
        table = SheetTable([cells], colWidths=[*widths, note], spaceBefore=1, spaceAfter=2)
        table.setStyle(TableStyle([*self._grid_style(), ("VALIGN", (-1, 0), (-1, 0), "BOTTOM")]))
        return [table]

    def picture(self, card: Card) -> list[Flowable]:
        """The card's picture (with its caption) for the column beside the text; none
        without a picture."""
        if card.picture is None:
            return []
        picture = card.picture

        def make() -> list[Flowable]:
            return picture_cell(self.blocks, picture, PICTURE_WIDTH, PICTURE_HEIGHT)

        return self._once("picture", picture, PICTURE_WIDTH, make)

    def beside(
        self, card: Card, width: float, grid_beside: bool, after: list[Labelled],
        under: list[Flowable], column: float, care_above: bool = False,
    ) -> tuple[Flowable, list[Flowable]]:  # fmt: skip
        """The picture with the starting position and the steps beside it (the whole width
        without a picture), and the steps that follow below.

        In standard print the column under the picture holds the purpose (when the grid is
        beside it) and then, while the text beside is longer, the first of the card's further
        parts (what you need, ...), taken from `after`: no blank under the picture."""
        picture = card.picture
        text_width = width - column - GAP if picture is not None else width
        body = self.look.size("body")
        under = list(under)
        if picture is None:
            limit = body * LEADING * HEAD_LINES
        elif self.look.large_print:
            limit = PICTURE_HEIGHT + body * 2
        else:  # the text beside runs as long as the column under the picture, a line more
            limit = max(_height(under, column), PICTURE_HEIGHT) + body * LEADING
        content: list[Flowable] = []
        if grid_beside:
            content += self.grid(card.dosage, text_width)
        below: list[Flowable] = []
        if card.take_care is not None and not care_above:  # before the steps, beside the picture
            care = _under_grid(self._flowables(card.take_care, text_width))
            if _height(care, text_width) <= CARE_MOST * body:
                content += care
            else:  # too long for a cell, which never breaks: below, where it may
                below += self._flowables(card.take_care, width)
        used = _height(content, text_width)
        for part in card.beside:
            if below:  # the steps already overflow: what follows goes below too
                below += self._flowables(part, width)
                continue
            flowables = _unkept(self._flowables(part, text_width))
            height = _height(flowables, text_width)
            if used + height <= limit or not content:
                content += flowables
                used += height
            elif self.look.large_print or picture is None:
                below += self._overflow(part, content, used, limit, text_width, width)
            else:  # all the steps below at the full width, numbered in one column
                below += self._flowables(part, width)
        if picture is None:
            return _stack(content), below
        if not self.look.large_print and not below and column == PICTURE_WIDTH:
            # The text beside is longer than the column under the picture: that column takes
            # the card's next parts while they fit along it (a narrower column, beside a
            # standing or kneeling figure, is left to the picture).
            room = _height(content, text_width) - _height(under, PICTURE_WIDTH)
            # (a later stage's dosage stays below, where the stages follow one another)
            while after and not any(isinstance(b, DosageGrid) for b in after[0].blocks):
                part = _unkept(self.part(after[0], PICTURE_WIDTH))
                height = _height(part, PICTURE_WIDTH) + body * 0.2
                if height > room + body * LEADING:
                    break
                under += [Spacer(1, body * 0.2), *part]
                room -= height
                after.pop(0)
        # The picture's top a little lower, level with the grid's text.
        return columns(under, content, column, text_width, [("TOPPADDING", (0, 0),
                        (0, 0), 3)]), below  # fmt: skip

    def _overflow(
        self, part: Labelled, content: list[Flowable], used: float, limit: float,
        text_width: float, width: float,
    ) -> list[Flowable]:  # fmt: skip
        """Steps beside the picture while they fit under `limit` (at least the first), the
        rest below at the full width, numbered on."""
        blocks = self.blocks
        steps = next((b for b in part.blocks if isinstance(b, Items)), None)
        if steps is None or len(steps.items) < 2:
            return self._flowables(part, width)
        label = blocks.label(part.label)
        items = self._items(steps, text_width)
        used += _height([label], text_width)
        kept = 1
        used += _height(items[:1], text_width)
        while kept < len(items) and used + _height(items[kept : kept + 1], text_width) <= limit:
            used += _height(items[kept : kept + 1], text_width)
            kept += 1
        content += [label, *_unkept(items[:kept])]
        return self._items(steps, width)[kept:]

    def _items(self, steps: Items, width: float) -> list[Flowable]:
        return self._once("items", steps, width, lambda: self.blocks.items(steps, width))

    def part(self, part: Labelled, width: float) -> list[Flowable]:
        return self._once("part", part, width, lambda: self._part(part, width))

    def _part(self, part: Labelled, width: float) -> list[Flowable]:
        """One of a card's further parts. A short list ("You need", "Tips", "Avoid") runs in
        after its label as one paragraph, its items in order, each as written: a line saved
        for the label, and no line left half empty by a short item. A longer one stays a
        list, whose items are never split between pages."""
        only = part.blocks[0] if len(part.blocks) == 1 else None
        if isinstance(only, Items) and not only.ordered:
            content: list[Span] = [Span(f"{part.label}: ", strong=True)]
            for n, item in enumerate(only.items):
                if n:
                    content.append(Span(_joint(content[-1].text, item)))
                content += item
            run_in = self.blocks.rich(tuple(content), "run_in")
            if _height([run_in], width) <= RUN_IN_LINES * self.look.size("body") * LEADING + 3:
                return [KeepTogether([run_in])]  # never split between its items
        if any(isinstance(b, DosageGrid) for b in part.blocks):  # a later stage: kept whole
            return [KeepTogether(_unkept(self.blocks.flowables(part, width)))]
        return self.blocks.flowables(part, width)

    def after(self, parts: tuple[Labelled, ...], width: float) -> list[Flowable]:
        """One after the other at the full width, each a paragraph that starts with its
        label (`part`): denser than two columns of labelled lists, and read in one order by
        a magnifier or a text extractor."""
        if not parts:
            return []
        story: list[Flowable] = [Spacer(1, self.look.size("body") * 0.2)]
        return story + [f for part in parts for f in self.part(part, width)]

    def media(self, media: tuple[Picture | Video, ...], width: float) -> Flowable:
        """The clinic's further pictures and videos, three a row."""
        blocks = self.blocks
        cells: list[Any] = []
        for item in media:
            if isinstance(item, Picture):
                cells.append(picture_cell(blocks, item, width / 3 - 12, PICTURE_HEIGHT))
            else:
                cells.append(video_cell(blocks, item))
        rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
        rows = [row + [[]] * (3 - len(row)) for row in rows]
        table = SheetTable(rows, colWidths=[width / 3] * 3)
        table.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        return table


def _column_width(picture: list[Flowable]) -> float:
    """The picture's column: as wide as the picture is drawn (a standing or kneeling figure,
    35 mm tall, is narrower than the 58 mm a lying one takes), at least MOST_NARROW of the
    full width; the full width for a picture with a caption, which is read at that width."""
    if not picture:
        return PICTURE_WIDTH
    if len(picture) > 1:
        return PICTURE_WIDTH
    drawn = picture[0].wrap(PICTURE_WIDTH, PICTURE_HEIGHT)[0]
    return min(PICTURE_WIDTH, max(drawn, PICTURE_WIDTH * MOST_NARROW))


def _under_grid(care: list[Flowable]) -> list[Flowable]:
    """ "Take care" right under the dosage grid, or at the top of the column beside the
    picture: the grid's space below it is the only space above the box (spaces between
    blocks do not add up, as in CSS)."""
    care[0].spaceBefore = 0
    return care


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ":", ";"))


def _joint(before: str, item: tuple[Span, ...]) -> str:
    """What goes between two items of a run-in list: a space after a sentence's end; before
    an item written with a capital ("A chair or wall"), a full stop, so that the capital
    starts a sentence rather than follow "; "; else "; "."""
    if _ends_sentence(before):
        return " "
    first = next((span.text.lstrip() for span in item if span.text.strip()), "")
    return ". " if first[:1].isupper() else "; "


def columns(
    left: Any, right: Any, left_width: float, right_width: float, extra: list[Any] | None = None
) -> Flowable:
    """Two columns side by side, tops level, `GAP` between them and no other padding."""
    table = SheetTable([[left, right]], colWidths=[left_width + GAP, right_width])
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, 0), GAP),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


def _picture_and_steps(
    picture: list[Flowable], steps: list[Flowable], under: list[Flowable], column: float,
    text_width: float,
) -> Flowable:  # fmt: skip
    """The picture over the parts `under` it on the left, `steps` beside both on the right,
    drawn (and tagged) in that order: picture, steps, the parts under the picture. The
    parts under the picture sit in a block of their own, a rule above it."""
    if not under:
        return columns(picture, steps, column, text_width, [("TOPPADDING", (0, 0), (0, 0), 4)])
    # The gap is a column of its own, so that the rule is as wide as the parts under it.
    table = SheetTable([[picture, "", steps], [under, "", ""]],
                       colWidths=[column, GAP, text_width])  # fmt: skip
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (2, 0), (2, 1)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *[(f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "BOTTOM")],
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, 0), 4),
                ("BOTTOMPADDING", (0, 0), (0, 0), 2),
                ("TOPPADDING", (0, 1), (0, 1), 1),
                ("LINEABOVE", (0, 1), (0, 1), 0.75, colors.HexColor(MUTED)),
            ]
        )
    )
    return table


def _height(flowables: list[Flowable], width: float) -> float:
    total = 0.0
    for flowable in _unkept(flowables):
        total += flowable.wrap(width, 100_000)[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _unkept(flowables: list[Flowable]) -> list[Flowable]:
    """Flowables with every KeepTogether taken apart: for a table cell (never split anyway)
    or inside another KeepTogether (reportlab moves a nested one to a new page even when the
    whole would fit)."""
    out: list[Flowable] = []
    for flowable in flowables:
        out += _unkept(flowable._content) if isinstance(flowable, KeepTogether) else [flowable]
    return out


def _stack(flowables: list[Flowable]) -> Flowable:
    return KeepTogether(_unkept(flowables))


__all__ = ["Cards", "columns", "headed"]


class LayoutChoice(Flowable):
    """A card's layouts, one chosen when the card is placed: the first (the shortest) when
    its head fits in the room left on the page or the page is empty, else the first whose
    head fits there, else the first. The chosen layout's flowables take its place in the
    story (reportlab's generated content); it takes no room itself."""

    def __init__(self, stories: list[list[Flowable]], width: float) -> None:
        super().__init__()
        self.stories = stories
        self.placed = False

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        if frame is None:  # measured outside a page: as the shortest layout
            return available_width, _height(self.stories[0], available_width)
        if not self.placed:
            self.placed = True
            # The frame takes a block's space above it from the room before it asks the
            # block to fit (none at a page's top): a head measured against the whole room
            # fitted by a few points, was then moved whole to the next page, and left page 1
            # blank under "Before you start".
            fits = [n for n, story in enumerate(self.stories)
                    if self._head(story[0], available_width)
                    + (0 if frame._atTop else story[0].getSpaceBefore())
                    <= available_height]  # fmt: skip
            chosen = 0 if frame._atTop or not fits or fits[0] == 0 else fits[0]
            frame.add_generated_content(*self.stories[chosen])
        return 0, 0

    def _head(self, head: Flowable, width: float) -> float:
        """The height the frame needs for a layout's first block: a KeepTogether's as
        reportlab measures it when it decides whether to move it to the next page."""
        if isinstance(head, KeepTogether):
            head.canv = self.canv
            head.wrap(width, 100_000)
            return head._H
        return _height([head], width)

    def draw(self) -> None:
        pass
