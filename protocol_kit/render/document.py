"""The page frame around the sheet's content: draft banner, running header, continuation
marks, footer with "page N of M", fixed metadata and creation date (byte-identical output).

Page 1 has its own page template ("first"): it has the draft banner but never a running header
or a card's "continued" line, so its body starts just below the banner and keeps the room those
take on later pages ("later") for the content, such as the "Stop and seek care" box.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from protocol_kit.render.fonts import Fonts, sheet_fonts
from protocol_kit.render.styles import MARGIN, MUTED, STOP_RED, Look


@dataclass
class PageState:
    """What the page decorations need to know while the story is laid out."""

    open_card: str | None = None  # the exercise card still running at the end of a page


class SheetTable(Table):
    """reportlab's Table with the sheet's font as the cells' font. Every cell holds paragraphs
    in their own styles, but reportlab still selects the cell font, Helvetica by default, which
    the PDF would then list as a font it does not embed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), sheet_fonts().regular)]))


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
    footer_left: str
    page_words: str  # "Page {n} of {m}"
    continued: str  # "{name} (continued)"
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
        self._page_number = page_number
        self._held_pages: list[dict[str, Any]] = []
        stamp = self._doc._timeStamp
        seconds = created.timestamp()
        stamp.t = seconds
        stamp.lt = time.gmtime(seconds)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._page_number(self, number, total)
            super().showPage()
        super().save()


def _fitted_size(text: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which `text` fits `width`: never cut, only smaller."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    needed = stringWidth(text, font, size)
    return size if needed <= width else max(size * width / needed, 4.0)


class SheetDocument:
    """Lays out a story on pages with the sheet's decorations and returns the PDF's bytes."""

    def __init__(self, frame: PageFrame, look: Look, fonts: Fonts, state: PageState) -> None:
        self.frame = frame
        self.look = look
        self.fonts = fonts
        self.state = state
        small = look.size("small")
        self.banner_height = small * 2.2 if frame.draft_banner else 0.0
        # Page 1: between the banner and the body, the story's own spacing.
        self.banner_gap = look.size("body") * 0.6 if frame.draft_banner else 0.0
        self.header_height = small * 2.0
        self.continuation_height = small * 1.8
        self.footer_height = look.size("footer") * 2.5

    @property
    def content_width(self) -> float:
        return self.frame.paper[0] - 2 * MARGIN

    def build(self, story: Sequence[Flowable]) -> tuple[bytes, int]:
        """The PDF's bytes and its number of pages."""
        height = self.frame.paper[1]
        below_banner = height - MARGIN - self.banner_height
        first = self._body(below_banner, top_padding=self.banner_gap)
        later = self._body(below_banner - self.header_height, self.continuation_height)
        buffer = io.BytesIO()
        document = BaseDocTemplate(
            buffer,
            pagesize=self.frame.paper,
            pageTemplates=[
                PageTemplate(
                    "first",
                    [first],
                    onPage=functools.partial(self._decorate, later=False),
                    autoNextPageTemplate="later",
                ),
                PageTemplate(
                    "later", [later], onPage=functools.partial(self._decorate, later=True)
                ),
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
        document.build(list(story), canvasmaker=maker)
        return buffer.getvalue(), document.page

    def _body(self, top: float, top_padding: float) -> Frame:
        """The frame the story flows in, from `top` down to the footer."""
        bottom = MARGIN + self.footer_height
        return Frame(
            MARGIN,
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

        width, height = self.frame.paper
        small = self.look.size("small")
        canvas.saveState()
        y = height - MARGIN
        if self.frame.draft_banner:
            canvas.setFillColor(colors.HexColor(STOP_RED))
            canvas.rect(
                MARGIN,
                y - self.banner_height,
                self.content_width,
                self.banner_height,
                stroke=0,
                fill=1,
            )
            size = _fitted_size(
                self.frame.draft_banner, self.fonts.bold, small * 1.1, self.content_width - 8
            )
            canvas.setFillColor(colors.white)
            canvas.setFont(self.fonts.bold, size)
            canvas.drawCentredString(
                width / 2, y - self.banner_height / 2 - size * 0.35, self.frame.draft_banner
            )
            y -= self.banner_height
        if later:
            size = _fitted_size(
                self.frame.running_header, self.fonts.regular, small, self.content_width
            )
            canvas.setFillColor(colors.HexColor(self.look.ink if self.look.large_print else MUTED))
            canvas.setFont(self.fonts.regular, size)
            canvas.drawString(MARGIN, y - self.header_height * 0.6, self.frame.running_header)
            canvas.setStrokeColor(colors.HexColor(self.look.accent))
            canvas.setLineWidth(0.8)
            canvas.line(
                MARGIN, y - self.header_height * 0.85, width - MARGIN, y - self.header_height * 0.85
            )
            y -= self.header_height
        if later and self.state.open_card:
            text = self.frame.continued.format(name=self.state.open_card)
            size = _fitted_size(text, self.fonts.italic, small, self.content_width)
            canvas.setFillColor(colors.HexColor(self.look.ink))
            canvas.setFont(self.fonts.italic, size)
            canvas.drawString(MARGIN, y - self.continuation_height * 0.7, text)
        canvas.setFillColor(colors.HexColor(self.look.ink if self.look.large_print else MUTED))
        footer = self.look.size("footer")
        canvas.setFont(self.fonts.regular, footer)
        canvas.drawString(MARGIN, MARGIN, self.frame.footer_left)
        canvas.restoreState()

    def _page_number(self, canvas: Canvas, number: int, total: int) -> None:
        from reportlab.lib import colors

        footer = self.look.size("footer")
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(self.look.ink if self.look.large_print else MUTED))
        canvas.setFont(self.fonts.regular, footer)
        canvas.drawRightString(
            self.frame.paper[0] - MARGIN, MARGIN, self.frame.page_words.format(n=number, m=total)
        )
        canvas.restoreState()
