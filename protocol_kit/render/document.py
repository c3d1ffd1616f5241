"""The page frame around the sheet's content: draft banner, running header, continuation
marks, footer with the clinic's and the emergency number, the protocol's id and version and
"page N of M", fixed metadata and creation date (byte-identical output). Everything the frame
draws is marked as an artifact for the tagged PDF (`tags.py`): it repeats on every page, and a
screen reader reads the clinic's number in the sheet itself.

Page 1 has its own page template ("first"): it has the draft banner but never a running header
or a card's "continued" line, so its body starts just below the banner and keeps the room those
take on later pages ("later") for the content, such as the "Stop and seek care" box.

The texts of the frame are printed at their style's size, never shrunk to fit: a long clinic
name, title or patient name wraps onto more lines, and the frame keeps the room those lines
take on every page (their height is known before the story is laid out).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from protocol_kit.errors import InputError
from protocol_kit.render.fonts import Fonts, sheet_fonts
from protocol_kit.render.laid_out import MeasuredOnce, paragraph
from protocol_kit.render.page_streams import compress_pages
from protocol_kit.render.styles import MARGIN, STOP_RED, Look
from protocol_kit.render.tags import TagLog, begin_artifact, end_marked
from protocol_kit.render.text import escape, markup
from protocol_kit.sheet.document import Inline, Span


@dataclass
class PageState:
    """What the page decorations need to know while the story is laid out."""

    open_card: str | None = None  # the exercise card still running at the end of a page


class SheetTable(MeasuredOnce, Table):
    """reportlab's Table with the sheet's font as the cells' font. Every cell holds paragraphs
    in their own styles, but reportlab still selects the cell font, Helvetica by default, which
    the PDF would then list as a font it does not embed. It is measured once per width
    (`MeasuredOnce`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), sheet_fonts().regular)]))

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Between rows, as reportlab splits; and inside a row taller than a whole page (a
        pain band or a cell of thousands of characters), which reportlab would otherwise
        refuse with a LayoutError: no text is left out, and no sheet fails for its length."""
        parts = super().split(available_width, available_height)
        frame = getattr(self, "_frame", None)
        if parts or frame is None or not frame._atTop or self.splitInRow:
            return parts
        self.splitInRow = 1
        return super().split(available_width, available_height)

    # Rules and backgrounds are decoration: artifacts in the tagged PDF. The cells' texts
    # are tagged by their own flowables.
    def _drawBkgrnd(self) -> None:  # noqa: N802 (reportlab's name)
        begin_artifact(self.canv)
        super()._drawBkgrnd()
        end_marked(self.canv)

    def _drawLines(self) -> None:  # noqa: N802
        begin_artifact(self.canv)
        super()._drawLines()
        end_marked(self.canv)

    def deepcopy(self) -> Flowable:
        """The copy reportlab's containers split on trial (BalancedColumns calls
        `deepcopy()` when a flowable has one): a table's split makes new tables of its rows
        and changes nothing in place, so a shallow copy does, not a deep copy of every cell
        and its lines."""
        return copy.copy(self)


class Unsplittable(SheetTable):
    """A table that moves to the next page whole rather than split, unless it is taller than
    a whole page (a very long name, many long red flags): then it is split, between rows or
    inside one, since reportlab would otherwise stop the sheet with a LayoutError, and no
    text may be left out."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if frame is None or not frame._atTop:
            return []  # not at the top of a page: the next page may hold it whole
        return super().split(available_width, available_height)


class CardMark(Flowable):
    """An invisible mark: an exercise card starts (`name`) or ends (None) here."""

    def __init__(self, state: PageState, name: str | None) -> None:
        super().__init__()
        self.state = state
        self.name = name

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.state.open_card = self.name


@dataclass(frozen=True)
class PageFrame:
    """The fixed texts around every page, already checked and in the sheet's language."""

    paper: tuple[float, float]
    draft_banner: str | None
    running_header: str  # pages 2 onwards: clinic, protocol, patient
    footer_left: Inline
    page_words: str  # "Page {n} of {m}"
    continued: str  # "{name} (continued)"
    card_names: tuple[str, ...] = ()  # every name `continued` may be printed with
    source: str = ""  # the protocol file, for messages
    metadata: dict[str, str] = field(default_factory=dict)
    language: str = "en"
    created: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


class _PagedCanvas(Canvas):
    """A canvas that holds its pages back until the end, to print "page N of M" on each."""

    def __init__(
        self,
        *args: Any,
        page_number: Callable[[Canvas, int, int], None],
        created: dt.datetime,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tag_log = TagLog()
        self._page_number = page_number
        self._held_pages: list[dict[str, Any]] = []
        stamp = self._doc._timeStamp
        seconds = created.timestamp()
        stamp.t = seconds
        stamp.lt = time.gmtime(seconds)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        state = dict(self.__dict__)
        del state["tag_log"]  # one log for the whole document
        self._held_pages.append(state)
        self._startPage()
        self.tag_log.new_page()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            begin_artifact(self)
            self._page_number(self, number, total)
            end_marked(self)
            super().showPage()
        compress_pages(self._doc)
        super().save()


# The gap between the footer's text and the page number beside it, and between the body and
# the footer (points).
FOOTER_GAP = 12.0
FOOTER_SPACE = 10.0
# The page's frame may take at most this share of a later page: what is left is for the
# programme itself.
MOST_FRAME = 0.5


class _Block:
    """A frame text wrapped to a width: drawn the same on every page."""

    def __init__(self, text: str | Inline, style: Any, width: float) -> None:
        self.paragraph = paragraph(
            Paragraph, escape(text) if isinstance(text, str) else markup(text), style
        )
        self.height = self.paragraph.wrap(width, 10_000)[1]
        # Where the last line's baseline is, above the block's bottom.
        self.baseline = style.leading - style.fontSize

    def draw(self, canvas: Canvas, x: float, bottom: float) -> None:
        self.paragraph.drawOn(canvas, x, bottom)


def _footer(parts: Inline, style: Any, width: float) -> _Block:
    """The footer beside the page number. When it wraps, each part after the first (the
    protocol's id and version) starts a line of its own, without the dot that parts them on
    one line: wrapped before it, the dot began a line and read as a bullet."""
    block = _Block(parts, style, width - FOOTER_GAP)
    if block.height <= style.leading * 1.5 or len(parts) < 2:
        return block
    lines = (
        parts[0],
        *(Span("\n" + part.text.lstrip(" \u00b7"), part.strong) for part in parts[1:]),
    )
    return _Block(lines, style, width - FOOTER_GAP)


class _BodyFrame(Frame):
    """reportlab's Frame, copied cheaply: a KeepTogether deep-copies the frame each time it is
    measured. A frame's state is numbers and the lists of backgrounds and generated content;
    only those lists need copies of their own."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Frame:
        clone = copy.copy(self)
        for name in ("_frameBGs", "_generated_content"):
            if name in self.__dict__:
                setattr(clone, name, copy.deepcopy(self.__dict__[name], memo))
        return clone


class SheetDocument:
    """Lays out a story on pages with the sheet's decorations and returns the PDF's bytes."""

    def __init__(self, frame: PageFrame, look: Look, fonts: Fonts, state: PageState) -> None:
        self.frame = frame
        self.look = look
        self.fonts = fonts
        self.state = state
        styles = look.styles
        small = look.size("small")
        width = self.content_width
        self.banner = (
            _Block(frame.draft_banner, styles["banner"], width - 8) if frame.draft_banner else None
        )
        self.banner_height = self.banner.height + small * 0.6 if self.banner else 0.0
        # Page 1: between the banner and the body, the story's own spacing.
        self.banner_gap = look.size("body") * 0.6 if frame.draft_banner else 0.0
        self.header = _Block(frame.running_header, styles["running_header"], width)
        # Above the text, a little air; below it, the rule and the gap before the body.
        self.header_height = small * 0.4 + self.header.height + small * 0.65
        # Room for the longest "continued" line any card can have.
        marks = [frame.continued.format(name=name) for name in frame.card_names] or [""]
        self.continuation_height = (
            max(_Block(mark, styles["continued_mark"], width).height for mark in marks)
            + small * 0.5
        )
        footer = look.size("footer")
        # The page number is drawn when the number of pages is known: keep room for three
        # digits each.
        widest = frame.page_words.format(n=888, m=888)
        self.page_number_width = stringWidth(widest, fonts.regular, footer)
        self.footer = _footer(frame.footer_left, styles["footer"], width - self.page_number_width)
        self.footer_height = self.footer.height + FOOTER_SPACE
        frame_share = (
            self.banner_height + self.header_height + self.continuation_height + self.footer_height
        ) / (frame.paper[1] - 2 * MARGIN)
        if frame_share > MOST_FRAME:
            raise InputError(
                f"{frame.source}: the texts repeated on every page (clinic name, title, "
                "patient's name, exercise names) are too long: they would leave less than half "
                "of each page for the programme; shorten them"
            )

    @property
    def content_width(self) -> float:
        return self.frame.paper[0] - 2 * self.look.side_margin

    @property
    def first_page_height(self) -> float:
        """The height page 1 has for the story."""
        return self._body(self.frame.paper[1] - MARGIN - self.banner_height, 0).height - (
            self.banner_gap
        )

    @property
    def shortest_page_height(self) -> float:
        """The height the story has on the page with the least room: a later page with a
        card's "continued" line."""
        below_banner = self.frame.paper[1] - MARGIN - self.banner_height
        continued = self._body(below_banner - self.header_height, self.continuation_height)
        return min(self.first_page_height, continued.height - self.continuation_height)

    def build(self, story: Sequence[Flowable]) -> tuple[bytes, int, TagLog]:
        """The PDF's bytes, its number of pages and what its pages hold (for tagging)."""
        height = self.frame.paper[1]
        below_banner = height - MARGIN - self.banner_height
        first = self._body(below_banner, top_padding=self.banner_gap)
        # A later page keeps the room of a card's "continued" line only when a card runs
        # over from the page before (`_next_page`); else that room is the programme's.
        later = self._body(below_banner - self.header_height, 0)
        continued = self._body(below_banner - self.header_height, self.continuation_height)
        decorate = functools.partial(self._decorate, later=True)
        buffer = io.BytesIO()
        document = BaseDocTemplate(
            buffer,
            pagesize=self.frame.paper,
            pageTemplates=[
                PageTemplate(
                    "first",
                    [first],
                    onPage=functools.partial(self._decorate, later=False),
                    onPageEnd=self._next_page,
                ),
                PageTemplate("later", [later], onPage=decorate, onPageEnd=self._next_page),
                PageTemplate(
                    "continued", [continued], onPage=decorate, onPageEnd=self._next_page
                ),  # fmt: skip
            ],
            invariant=1,
            pageCompression=1,
            lang=self.frame.language,
            creator="protocol-kit",
            # The canvas starts in this font; reportlab's default (Helvetica) would be listed
            # in the PDF as a font that is not embedded, though no text uses it.
            initialFontName=self.fonts.regular,
            **self.frame.metadata,
        )
        maker = functools.partial(
            _PagedCanvas, page_number=self._page_number, created=self.frame.created
        )
        canvases: list[_PagedCanvas] = []

        def make_canvas(*args: Any, **kwargs: Any) -> _PagedCanvas:
            canvases.append(maker(*args, **kwargs))
            return canvases[-1]

        document.build(list(story), canvasmaker=make_canvas)
        return buffer.getvalue(), document.page, canvases[-1].tag_log

    def _next_page(self, canvas: Canvas, document: Any) -> None:
        """At a page's end: the next page keeps room for a "continued" line when a card is
        still open, and gives that room to the story when none is."""
        document.handle_nextPageTemplate("continued" if self.state.open_card else "later")

    def _body(self, top: float, top_padding: float) -> Frame:
        """The frame the story flows in, from `top` down to the footer."""
        bottom = MARGIN + self.footer_height
        return _BodyFrame(
            self.look.side_margin,
            bottom,
            self.content_width,
            top - bottom,
            leftPadding=0,
            rightPadding=0,
            bottomPadding=0,
            topPadding=top_padding,
            id="body",
        )

    def _decorate(self, canvas: Canvas, document: Any, later: bool) -> None:
        """Every page: the draft banner and the footer's left part. Later pages (not page 1):
        the running header and, when a card runs over from the previous page, its "continued"
        line, in the room their frame keeps above the body."""
        from reportlab.lib import colors

        small = self.look.size("small")
        side = self.look.side_margin
        canvas.saveState()
        begin_artifact(canvas)
        y = self.frame.paper[1] - MARGIN
        if self.banner is not None:
            canvas.setFillColor(colors.HexColor(STOP_RED))
            canvas.rect(
                side,
                y - self.banner_height,
                self.content_width,
                self.banner_height,
                stroke=0,
                fill=1,
            )
            self.banner.draw(canvas, side + 4, y - (self.banner_height + self.banner.height) / 2)
            y -= self.banner_height
        if later:
            text_bottom = y - small * 0.4 - self.header.height
            self.header.draw(canvas, side, text_bottom)
            rule = text_bottom - small * 0.3
            canvas.setStrokeColor(colors.HexColor(self.look.accent))
            canvas.setLineWidth(0.8)
            canvas.line(side, rule, self.frame.paper[0] - side, rule)
            y -= self.header_height
        if later and self.state.open_card:
            text = self.frame.continued.format(name=self.state.open_card)
            mark = _Block(text, self.look.styles["continued_mark"], self.content_width)
            mark.draw(canvas, side, y - small * 0.3 - mark.height)
        self.footer.draw(canvas, side, MARGIN - self.footer.baseline)
        end_marked(canvas)
        canvas.restoreState()

    def _page_number(self, canvas: Canvas, number: int, total: int) -> None:
        footer = self.look.styles["footer"]
        canvas.saveState()
        canvas.setFillColor(footer.textColor)
        canvas.setFont(self.fonts.regular, footer.fontSize)
        canvas.drawRightString(
            self.frame.paper[0] - self.look.side_margin,
            MARGIN,
            self.frame.page_words.format(n=number, m=total),
        )
        canvas.restoreState()
