"""The prescription sheet as a PDF: the sheet document (`protocol_kit.sheet`) drawn with
reportlab, then tagged (`tags.py`).

`render_sheet` is the public surface: a request in, PDF bytes and the page count out. The
story is flat, in the document's reading order; the "Stop and seek care" box is never split
and always on page 1: right after the clinic and the title when it fits there, else at the top
of page 1; a box taller than a page is refused.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table
from reportlab.platypus.flowables import BalancedColumns

from protocol_kit.errors import InputError
from protocol_kit.render.blocks import Blocks, band_styles, headed
from protocol_kit.render.card import Cards, LayoutChoice
from protocol_kit.render.document import PageFrame, PageState, SheetDocument, Unsplittable
from protocol_kit.render.fonts import Fonts, first_missing_glyph, sheet_fonts
from protocol_kit.render.log import log_flowables, pain_scale, scale_beside
from protocol_kit.render.stop_box import stop_box_table
from protocol_kit.render.styles import PAPER, Look, sheet_look
from protocol_kit.render.tags import Metadata, finish_pdf
from protocol_kit.sheet.colours import readable_accent
from protocol_kit.sheet.content import build_sheet
from protocol_kit.sheet.document import (
    Card,
    Items,
    LogGrid,
    Section,
    Sheet,
    StopBox,
    log_parts,
)
from protocol_kit.sheet.request import SheetRequest
from protocol_kit.sheet.text import TextCheck


@dataclass(frozen=True)
class RenderedSheet:
    """A sheet's bytes; `pages` is None for HTML, which has no pages."""

    data: bytes
    pages: int | None

    @property
    def pdf(self) -> bytes:
        return self.data


def font_check() -> TextCheck:
    """Texts checked against the sheet font: what the PDF cannot print is refused in every
    format."""
    return TextCheck(first_missing_glyph)


def render_sheet(request: SheetRequest) -> RenderedSheet:
    """The sheet as PDF bytes and its page count. Raises InputError (one line, naming the file
    and JSON pointer) for a text missing in the language or a character the font cannot show,
    and for a stop box taller than a page."""
    return write_pdf(build_sheet(request, font_check()))


def write_pdf(sheet: Sheet) -> RenderedSheet:
    with collector_paused():
        return _Writer(sheet).write()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a sheet is written (issue 17, eighth sitting).

    A sheet makes some hundred thousand short-lived objects (pieces, lines, flowables); the
    collector, run every 700 of them, walks every object still alive each time, the
    renderer's memory of texts included: about a tenth of a sheet whose texts are new.
    Reference counting still frees what a sheet drops; the few cycles a sheet leaves (a
    canvas and its document) are collected after it, when the collector runs again. Left
    as it was when it was paused already."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class _Writer:
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        fonts = sheet_fonts()
        self.look = _look(fonts, readable_accent(sheet.accent), sheet.large_print)
        self.state = PageState()
        self.document = SheetDocument(self.page_frame(), self.look, fonts, self.state)
        self.width = self.document.content_width
        self.blocks = Blocks(self.look)
        self.cards = Cards(self.blocks, self.state)

    def page_frame(self) -> PageFrame:
        sheet, frame = self.sheet, self.sheet.frame
        return PageFrame(
            paper=PAPER[sheet.paper],
            draft_banner=frame.draft_banner,
            running_header=frame.running_header,
            footer_left=frame.footer,
            page_words=frame.page_words,
            continued=frame.continued,
            card_names=sheet.card_names,
            source=sheet.source,
            metadata={"title": sheet.title, "subject": sheet.subject, "author": sheet.author},
            language=sheet.language,
            created=sheet.created,
        )

    def write(self) -> RenderedSheet:
        pdf, pages, log = self.document.build(self.story())
        sheet = self.sheet
        metadata = Metadata(
            title=sheet.title,
            author=sheet.author,
            subject=sheet.subject,
            keywords=sheet.keywords,
            language=sheet.language,
            created=sheet.created.isoformat(),
        )
        return RenderedSheet(finish_pdf(pdf, log, metadata), pages)

    def story(self) -> list[Flowable]:
        header = self.blocks.clinic_header(self.sheet.clinic, self.width)
        story: list[Flowable] = []
        body = list(self.sheet.body)
        at = 0
        while at < len(body):
            block = body[at]
            following = body[at + 1] if at + 1 < len(body) else None
            if self.in_two_columns(block, following):
                # The cool-down right after "About your programme" shares its columns (in
                # their order: About, then the cool-down): its heading and line in the
                # shorter column instead of a block of their own across the page.
                # Likewise the clinician's notes with "Before you start" after them: their
                # heading and items in the columns' balance, not a block across the page.
                together = [block]
                if (block.kind, _kind(following)) in SHARE_COLUMNS:
                    together.append(following)
                story += self.two_columns(together)
                at += len(together)
            else:
                story += self.flowables(block)
                at += 1
        return self.stop_box_on_page_one(header, story)

    def in_two_columns(self, block: object, following: object = None) -> bool:
        """A short section of lists ("Before you start", "About your programme", the
        clinician's notes followed by "Before you start") in two balanced columns in standard
        print: the same texts in the same order, on half the lines."""
        if self.look.large_print or not isinstance(block, Section):
            return False  # 16 pt text in two columns is read across them
        if (block.kind, _kind(following)) in SHARE_COLUMNS:
            return True
        # One item alone (a protocol with one piece of general advice) would be wrapped in the
        # left column with the right one empty beside it: the full width says it in half the
        # lines.
        return block.kind in TWO_COLUMNS and _parts(block) > 1

    def two_columns(self, sections: list[Section]) -> list[Flowable]:
        """`sections` one after the other in two balanced columns, split over two pages when
        the rest of the page is too short for them."""
        from protocol_kit.render.card import GAP

        column = (self.width - GAP) / 2
        # BalancedColumns cannot hold a KeepTogether, and breaks a column after a heading
        # whatever its keepWithNext: the sections' flowables go in flat, and each heading in
        # one block with the first thing it introduces, which moves with it.
        content: list[Flowable] = []
        for section in sections:
            flowables: list[Flowable] = []
            for child in section.blocks:
                flowables += _flatten(self.blocks.flowables(child, column))
            first, *rest = flowables
            # Each item whole in its column: an item is read in one place, and balancing the
            # columns never splits a paragraph (each split is laid out again by reportlab). A
            # "Take care" box (a table) still splits between its items, its heading repeated.
            content += [_together([self.blocks.heading(section.heading), first], column)]
            content += [f if isinstance(f, Table) else _together([f], column) for f in rest]
        # An item taller than a column of the shortest page (one text of thousands of words)
        # cannot be placed whole in a column: reportlab shrank it to fit, or stopped with an
        # internal error when it came after the columns' first page (H1307). The sections one
        # after the other in the full width instead, every word printed at its size.
        shortest = self.document.shortest_page_height
        if any(_full_height(f, column) > shortest for f in content):
            return [f for section in sections for f in self.flowables(section)]
        columns = _Columns(content, nCols=2, innerPadding=GAP, leftPadding=0, rightPadding=0,
                           topPadding=0, bottomPadding=0)  # fmt: skip
        # When no two columns can hold them (a text of hundreds of words where a column starts),
        # the sections one after the other in the full width: every word printed, never an error.
        columns.instead = lambda: [f for section in sections for f in self.flowables(section)]
        # The headings' space above, which the columns drop at their top.
        return [Spacer(1, self.look.styles["h2"].spaceBefore), columns]

    def flowables(self, block: object) -> list[Flowable]:
        width = self.width
        if isinstance(block, StopBox):
            return [StopBoxMark(stop_box_table(block, self.look, width))]
        if isinstance(block, Section):
            if block.kind == "pain" and (guide := self.blocks.pain_section(block, width)):
                return guide
            heading, blocks = self.log_head(block) if block.kind == "log" else ([], block.blocks)
            heading = heading or [self.blocks.heading(block.heading)]
            content: list[Flowable] = []
            for child in blocks:
                if isinstance(child, Card):
                    # The first card's head is kept with the section's heading, in each of
                    # its layouts: on page 1 when one of them fits in the room left there.
                    content += self.cards.fitted(child, width, None if content else heading[0])
                elif isinstance(child, LogGrid):
                    content += log_flowables(self.blocks, child, width)
                else:
                    content += self.blocks.flowables(child, width)
            if block.kind == "exercises":
                # The last card's space below it: the next section's heading has its own
                # space above, larger (spaces between blocks do not add up, as in CSS).
                last = content[-1]
                for story in last.stories if isinstance(last, LayoutChoice) else [content]:
                    if isinstance(story[-1], Spacer):
                        story.pop()
            if blocks and isinstance(blocks[0], Card):  # (the heading is in the first card)
                story = content
            else:
                story = headed(heading[0], [*heading[1:], *content])
            if block.kind == "log":
                # The log shares the last page when it fits there, and is whole on its page.
                story = [KeepTogether(_flatten(story))]
            return [PageBreak(), *story] if block.new_page else story
        return self.blocks.flowables(block, width)

    def log_head(self, section: Section) -> tuple[list[Flowable], tuple[object, ...]]:
        """The log's heading and its pain scale (0 to 10 in the guide's colours), read
        before its instructions (`log_parts`): the scale on the heading's line, to its
        right, when it fits there (standard print; large print where the heading is short
        enough, as in English), else under it at the full width; and
        the section's other blocks."""
        grid, blocks = log_parts(section)
        if grid is None:
            return [], blocks
        make, needed = scale_beside(self.blocks, grid)
        beside = self.blocks.heading_beside(section.heading, make, needed, self.width)
        if beside is not None:
            return [beside], blocks
        body = self.look.size("body")
        heading = self.blocks.heading(section.heading)
        return [heading, pain_scale(self.blocks, grid, self.width), Spacer(1, body * 0.2)], blocks

    def stop_box_on_page_one(self, header: list[Flowable], story: list[Flowable]) -> list[Flowable]:
        """The box right after the clinic and the title when it fits on page 1 there; else
        first on page 1; refused when it is taller than a page."""
        at = next(i for i, f in enumerate(story) if isinstance(f, StopBoxMark))
        box = story[at].box
        room = self.document.first_page_height
        _, height = box.wrap(self.width, room)
        if height > room:
            raise InputError(
                f"{self.sheet.source}: the 'Stop and seek care' box (red flags and stop "
                "criteria) is taller than a page and is never split: shorten or combine its "
                "texts" + (" (or print in standard size)" if self.sheet.large_print else "")
            )
        above = header + story[:at]
        used = sum(_full_height(f, self.width) for f in above)
        story[at] = box
        if used + height <= room:
            return header + story
        return [box, *header, *story[:at], *story[at + 1 :]]


@functools.lru_cache(maxsize=64)
def _look(fonts: Fonts, accent: str, large_print: bool) -> Look:
    """One look per accent and size in a process: its styles are never changed once made,
    and a text in one of them is parsed once (`protocol_kit.render.laid_out`)."""
    look = sheet_look(fonts, accent, large_print)
    look.styles.update(band_styles(look))
    return look


# Sections printed in two balanced columns in standard print.
TWO_COLUMNS = {"before", "about"}
# A section, and the one after it that shares its two columns when it follows it (the notes
# only then: alone, their few lines would fill one column of two).
SHARE_COLUMNS = {("about", "cool_down"), ("notes", "before")}


def _parts(section: Section) -> int:
    """How many things a section says: each item of its lists, and each other block."""
    return sum(len(block.items) if isinstance(block, Items) else 1 for block in section.blocks)


class _Columns(BalancedColumns):
    """reportlab's balanced columns, which raise ValueError ("cannot make initial split")
    when the first block of the content is taller than both columns of the room left; then
    `instead()` is laid out in their place."""

    instead: Callable[[], list[Flowable]] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        try:
            return super().wrap(available_width, available_height)
        except ValueError:
            frame = getattr(self, "_frame", None)
            if frame is None or self.instead is None:
                raise
            frame.add_generated_content(*self.instead())
            return 0, 0


class StopBoxMark(Flowable):
    """Where the box goes in the story (replaced by the box itself)."""

    def __init__(self, box: Flowable) -> None:
        super().__init__()
        self.box = box


def _kind(block: object) -> str | None:
    return block.kind if isinstance(block, Section) else None


def _together(flowables: list[Flowable], width: float) -> Flowable:
    """Flowables in one block that is never split (a table of one cell, no padding)."""
    from reportlab.platypus import TableStyle

    table = Unsplittable([[flowables]], colWidths=[width])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return table


def _full_height(flowable: Flowable, width: float) -> float:
    return sum(
        f.wrap(width, 100_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        for f in _flatten([flowable])
    )


def _flatten(flowables: list[Flowable]) -> list[Flowable]:
    out: list[Flowable] = []
    for flowable in flowables:
        out += _flatten(flowable._content) if isinstance(flowable, KeepTogether) else [flowable]
    return out
