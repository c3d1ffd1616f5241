"""The sheet document's blocks as reportlab flowables, one builder per kind of block.

`Blocks.flowables(block, width)` is the only entry; the exercise card (`card.py`) and the
weekly log (`log.py`) have modules of their own. Every text is escaped by
`protocol_kit.render.text`; a heading is always kept on the page of the first thing it
introduces (`headed`), so a heading is never the last line of a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from protocol_kit.render.document import SheetTable, Unsplittable
from protocol_kit.render.field_rows import field_rows
from protocol_kit.render.styles import (
    BAND_COLOURS,
    BAND_INK,
    CAUTION_BACKGROUND,
    CAUTION_RULE,
    Look,
)
from protocol_kit.render.tags import tagged, tagged_paragraph
from protocol_kit.render.text import escape, markup
from protocol_kit.sheet.document import (
    Caution,
    ClinicHeader,
    DosageGrid,
    Field,
    Fields,
    Inline,
    Items,
    Labelled,
    PainGuide,
    Para,
    Picture,
    Section,
    Span,
    Title,
    Video,
)

BULLET = "\u2022"
HEADING_GAP = 12.0  # between a heading and what is printed on its line
NO_PADDING = [
    (f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")
]


def headed(heading: Flowable, content: Sequence[Flowable]) -> list[Flowable]:
    """A heading followed by what it introduces, the heading kept on the same page as the first
    flowable of `content`, so that a heading never ends a page. A first flowable that is itself
    kept together (an exercise card's head) is kept whole with the heading: its content is
    taken out, as reportlab moves a KeepTogether nested in another to a new page even when
    both would fit."""
    if not content:
        raise ValueError("a heading must introduce something")
    first, rest = content[0], list(content[1:])
    together = list(first._content) if isinstance(first, KeepTogether) else [first]
    return [KeepTogether([heading, *together]), *rest]


# The narrowest line the clinician signs on (points): 30 mm.
SIGN_WIDTH = 30 * 72 / 25.4


class Blocks:
    def __init__(self, look: Look) -> None:
        self.look = look
        self.styles = look.styles

    # -- text ------------------------------------------------------------------------------------

    def para(self, text: str, style: str = "body", role: str = "P") -> Flowable:
        return tagged_paragraph(escape(text), self.styles[style], role)

    def rich(self, content: Inline, style: str = "body", role: str = "P") -> Flowable:
        return tagged_paragraph(markup(content), self.styles[style], role)

    def heading(self, text: str, level: int = 2) -> Flowable:
        return self.para(text, f"h{level}", role=f"H{level}")

    def label(self, text: str) -> Flowable:
        """A small heading inside a section or card ("Steps")."""
        return self.para(text, "label", role="H3")

    def items(self, block: Items, width: float | None = None) -> list[Flowable]:
        """Bullets, or numbered steps; each item kept whole on a page (one longer than a
        page is split)."""
        style = "step" if block.ordered else "bullet"
        return [
            KeepTogether(
                [
                    tagged_paragraph(
                        markup(item),
                        self.styles[style],
                        "LI",
                        bullet=f"{n}." if block.ordered else BULLET,
                    )
                ]
            )
            for n, item in enumerate(block.items, start=1)
        ]

    # -- blocks ----------------------------------------------------------------------------------

    def flowables(self, block: Any, width: float) -> list[Flowable]:
        """The flowables of one block of the document."""
        kind = type(block).__name__
        return getattr(self, f"_{kind.lower()}")(block, width)

    def _title(self, block: Title, width: float) -> list[Flowable]:
        return [self.heading(block.text, 1)]

    def _para(self, block: Para, width: float) -> list[Flowable]:
        return [self.rich(block.content, block.style)]

    def _items(self, block: Items, width: float) -> list[Flowable]:
        return self.items(block, width)

    def _labelled(self, block: Labelled, width: float) -> list[Flowable]:
        """A label over what it introduces; a label that introduces one paragraph ("Starting
        position", "How it should feel") runs in at its start, in bold: a line saved, on a
        sheet meant to be read at a glance."""
        if len(block.blocks) == 1 and isinstance(block.blocks[0], Para):
            para = block.blocks[0]
            content = (Span(f"{block.label}: ", strong=True), *para.content)
            return [self.rich(content, "run_in")]
        content = [f for child in block.blocks for f in self.flowables(child, width)]
        return headed(self.label(block.label), content)

    def _section(self, block: Section, width: float) -> list[Flowable]:
        content = [f for child in block.blocks for f in self.flowables(child, width)]
        return headed(self.heading(block.heading), content)

    def _caution(self, block: Caution, width: float) -> list[Flowable]:
        """The precautions in a box headed "Take care". A box too long for the space left on
        a page splits after one of its items, never before the first, and the part on the
        next page starts with "Take care" again."""
        if len(block.items) == 1:  # one precaution: it runs in after the title, in one row
            content = (Span(f"{block.title}: ", strong=True), Span(block.items[0]))
            rows = [[self.rich(content, "caution_one")]]
        else:
            rows = [[self.para(block.title, "caution_title", role="H3")]]
            rows += [[tagged_paragraph(escape(t), self.styles["bullet"], "LI", bullet=BULLET)]
                     for t in block.items]  # fmt: skip
        # "Take care" repeated on the next page is the title's row of a box of several; one
        # precaution's only row repeated whole above its own rest could never fit, and a
        # text taller than a page stopped the sheet with a LayoutError (H1308).
        repeated = 1 if len(rows) > 1 else 0
        table = SheetTable(
            rows, colWidths=[width], repeatRows=repeated, spaceBefore=3, spaceAfter=3
        )
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(CAUTION_BACKGROUND)),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(CAUTION_RULE)),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    # (8th sitting, round 2: 2.5 and 2.5 points, were 3 and 3.5)
                    ("TOPPADDING", (0, 0), (-1, 0), 2.5),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 2.5),
                ]
            )
        )
        return [table]

    def _fields(self, block: Fields, width: float) -> list[Flowable]:
        """Label and value pairs, two a row (in large print only when the labels leave room
        to write); an empty value is a line to write on. The clinician's signature comes
        last."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        pairs = list(block.fields)
        style = self.styles["cell_bold"]
        longest = 8 + max(stringWidth(item.label, style.fontName, style.fontSize) for item in pairs)
        if self.look.large_print:
            # Two a row when the longest label leaves more than half of its half of the
            # width to write on; else one a row, the label a third of the width.
            if longest > width / 2 * 0.45:
                per_row, label_width = 1, width * 0.34
            else:
                per_row, label_width = 2, longest
        elif longest <= width / 3 * 0.4:
            # Three a row when the longest label leaves three fifths of its third to write on
            # (English, French: "Date de naissance"); else two.
            per_row, label_width = 3, longest
        else:
            per_row, label_width = 2, width * 0.19
        value_width = width / per_row - label_width
        ink = colors.HexColor(self.look.ink)
        commands: list[Any] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        own_row = self._own_row(value_width, width - label_width)
        rows = []
        grouped = field_rows(pairs, per_row, own_row)
        for r, group in enumerate(grouped):
            row: list[Any] = []
            for item in group:
                row += [self.para(item.label, "cell_bold"), self.para(item.value, "cell")]
            rows.append(row + [""] * (2 * per_row - len(row)))
            if per_row > 1 and own_row(group[0]):
                commands += [("SPAN", (1, r), (-1, r)), ("LINEBELOW", (1, r), (-1, r), 0.5, ink)]
                continue
            for c in range(1, 2 * len(group), 2):
                commands.append(("LINEBELOW", (c, r), (c, r), 0.5, ink))
        heights: list[float | None] = [None] * len(rows)
        last = grouped[-1]
        free = 0 if per_row > 1 and own_row(last[0]) else per_row - len(last)
        signature = block.signature
        # (the cell's padding: 2 points left, 6 right)
        signed = (self._signed_in(signature.label, free * (label_width + value_width) - 8)
                  if signature is not None and free else None)  # fmt: skip
        if signed is not None:
            # The clinician signs in the last row's empty fields (a prescription without a
            # review date leaves one free): its label on one line where it fits, the rest of
            # the row to sign on; a row less.
            label, needed = signed
            at = 2 * (per_row - free)
            rows[-1][at] = label
            heights[-1] = max(self.look.size("body") * 2.0, needed)
            commands.append(("SPAN", (at, -1), (-1, -1)))
        elif signature is not None:
            # The clinician signs on a line of its own, with room to sign.
            # With three fields a row, its label takes the first field's label and value.
            start = 2 if per_row == 3 else 1
            label = self.para(block.signature.label, "cell_bold")
            rows.append([label] + [""] * (2 * per_row - 1))
            # Room to sign (7 mm in standard print), and never less than its label takes
            # ("Signature du thérapeute" on two lines; the cell's padding 3 and 1.5 high).
            spanned = (label_width + value_width) if start == 2 else label_width
            needed = label.wrap(spanned - 8, 100_000)[1] + 4.5  # padding: 2 and 6 wide
            heights.append(max(self.look.size("body") * 2.0, needed))
            commands += [
                ("SPAN", (0, -1), (start - 1, -1)),
                ("SPAN", (start, -1), (-1, -1)),
                ("LINEBELOW", (start, -1), (-1, -1), 0.5, ink),
            ]
        # One block, never split: the patient's details and the signature stay together.
        table = Unsplittable(
            rows, colWidths=[label_width, value_width] * per_row, rowHeights=heights,
            spaceBefore=1, spaceAfter=3,
        )  # fmt: skip
        table.setStyle(TableStyle(commands))
        return [table]

    def _own_row(self, value_width: float, row_width: float) -> Callable[[Field], bool]:
        """Whether a field's value is written across a row of its own: longer than one line of
        its cell, and no more than two lines across the row. (A longer one, thousands of
        characters, stays in its cell: a block taller than a page is split inside a row,
        which reportlab cannot do across spanned cells.) Cells are padded 2 points left and
        6 right."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        style = self.styles["cell"]

        def own_row(item: Field) -> bool:
            needed = stringWidth(item.value, style.fontName, style.fontSize)
            return value_width - 8 < needed <= 2 * (row_width - 8)

        return own_row

    def _signed_in(self, label: str, room: float) -> tuple[Flowable, float] | None:
        """The clinician's signature in `room` points of a row: its label (on as few lines
        as fit beside SIGN_WIDTH) and a line to sign on, and the height the label needs;
        None when the room leaves less than SIGN_WIDTH to sign on."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        style = self.styles["cell_bold"]
        text = self.para(label, "cell_bold")
        label_width = min(stringWidth(label, style.fontName, style.fontSize) + 6, room / 2)
        if room - label_width < SIGN_WIDTH:
            return None
        needed = text.wrap(label_width - 2, 100_000)[1] + 4.5  # the row's padding: 3 and 1.5
        table = SheetTable([[text, ""]], colWidths=[label_width, room - label_width])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *NO_PADDING,
            ("LINEBELOW", (1, 0), (1, 0), 0.5, colors.HexColor(self.look.ink)),
        ]))  # fmt: skip
        return table, needed

    def heading_beside(
        self, text: str, aside: Callable[[float], Flowable], needed: float, width: float
    ) -> Flowable | None:
        """A heading with what `aside(room)` makes (`needed` points wide at the least) on its
        line, to its right, in the room the heading leaves, when both fit there; else None.
        Read heading first, then the aside."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        style = self.styles["h2"]
        heading_width = stringWidth(text, style.fontName, style.fontSize) + HEADING_GAP
        if heading_width + needed > width:
            return None
        table = SheetTable(
            [[self.heading(text), aside(width - heading_width)]],
            colWidths=[heading_width, width - heading_width],
            spaceBefore=style.spaceBefore, spaceAfter=style.spaceAfter,
        )  # fmt: skip
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *NO_PADDING]))
        return table

    def pain_section(self, section: Section, width: float) -> list[Flowable] | None:
        """The pain guide with its scale ("Pain score: 0 = no pain, ...") on the heading's
        line when it fits there: a line less on page 1. None when it does not fit."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        guide = section.blocks[0]
        if not isinstance(guide, PainGuide) or len(section.blocks) != 1:
            return None
        style = self.styles["body"]
        needed = stringWidth(guide.scale, style.fontName, style.fontSize) + 1
        head = self.heading_beside(section.heading, lambda _: self.para(guide.scale), needed, width)
        if head is None:
            return None
        return [KeepTogether([head, self._painguide(guide, width, scale=False)[0]])]

    def _painguide(self, block: PainGuide, width: float, scale: bool = True) -> list[Flowable]:
        rows = [
            [self.para(band.span, f"band_{band.colour}"), self.para(band.meaning)]
            for band in block.bands
        ]
        table = SheetTable(rows, colWidths=[self.look.size("body") * 4, None])
        ink = colors.HexColor(self.look.ink)
        commands: list[Any] = [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (0, 0), (-1, -1), 0.5, ink),
            ("LINEBELOW", (0, 0), (-1, -2), 0.5, ink),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for row, band in enumerate(block.bands):
            colour = colors.HexColor(BAND_COLOURS[band.colour])
            commands.append(("BACKGROUND", (0, row), (0, row), colour))
        table.setStyle(TableStyle(commands))
        if not scale:
            return [table]
        # The whole guide on one page: the scale, and every band with its meaning.
        return [KeepTogether([self.para(block.scale), table])]

    def _dosagegrid(self, block: DosageGrid, width: float) -> list[Flowable]:
        """A dosage grid outside a card's head (a later stage's dosage)."""
        from protocol_kit.render.card import Cards

        return Cards(self, None).grid(block, width)  # type: ignore[arg-type]  # no page state

    def _picture(self, block: Picture, width: float) -> list[Flowable]:
        return picture_cell(self, block, width, width)

    def _video(self, block: Video, width: float) -> list[Flowable]:
        return video_cell(self, block)

    # -- the clinic ------------------------------------------------------------------------------

    def clinic_header(self, clinic: ClinicHeader, width: float) -> list[Flowable]:
        """The clinic's name, details and logo on the left; its telephone number on the right,
        large: the number the sheet tells the patient to call. Without a logo, when the name
        beside the telephone takes more lines than at the full width, the name may instead
        have the full width and the details and the telephone share the line under it: the
        lower of the two (the first of equals)."""
        phone_width = _phone_width(clinic.phone, self.styles["phone"], width, self.look.large_print)
        tables = [self._clinic_beside(clinic, width, phone_width)]
        if clinic.name and clinic.details and not clinic.logo:
            tables.append(self._clinic_over(clinic, width, phone_width))
        return [min(tables, key=lambda table: table.wrap(width, 100_000)[1])]

    def _clinic_beside(self, clinic: ClinicHeader, width: float, phone_width: float) -> Flowable:
        text_cell: list[Flowable] = []
        if clinic.name:
            text_cell.append(self.para(clinic.name, "clinic"))
        if clinic.details:
            text_cell.append(self._clinic_details(clinic))
        cells: list[Any] = [text_cell, self.para(clinic.phone, "phone")]
        widths: list[float] = [width - phone_width, phone_width]
        if clinic.logo:
            from protocol_kit.render.images import sheet_image

            logo = sheet_image(clinic.logo, 50 * 2.835, self.look.size("clinic") * 3.2, "logo")
            cells.insert(0, tagged(logo, "Artifact"))
            widths = [logo.drawWidth + 10, width - phone_width - logo.drawWidth - 10, phone_width]
        return self._clinic_table([cells], widths, [])

    def _clinic_over(self, clinic: ClinicHeader, width: float, phone_width: float) -> Flowable:
        """The name at the full width; under it the details, and the telephone on the right
        (read in that order)."""
        rows = [[self.para(clinic.name, "clinic"), ""],
                [self._clinic_details(clinic), self.para(clinic.phone, "phone")]]  # fmt: skip
        return self._clinic_table(rows, [width - phone_width, phone_width],
                                  [("SPAN", (0, 0), (-1, 0)), ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
                                   ("VALIGN", (0, 1), (-1, 1), "BOTTOM")])  # fmt: skip

    def _clinic_details(self, clinic: ClinicHeader) -> Flowable:
        return self.para("  \u00b7  ".join(clinic.details), "small_muted")

    def _clinic_table(
        self, rows: list[list[Any]], widths: list[float], extra: list[Any]
    ) -> Flowable:
        table = SheetTable(rows, colWidths=widths, spaceAfter=self.look.size("body") * 0.5)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                    ("LINEBELOW", (0, -1), (-1, -1), 1.5, colors.HexColor(self.look.accent)),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    *extra,
                ]
            )
        )
        return table


def _phone_width(phone: str, style: Any, width: float, large_print: bool) -> float:
    """The telephone's column: its share of the width (a third, half in large print), wider
    when that keeps the number with its words on one line ("Telephone 01632 960000 (not a
    real number)") within 60 % of the width; the clinic's name and address wrap instead. When
    even 60 % would not hold it on one line, the share stays: a wider column would still wrap
    the telephone and only wrap the clinic's name onto more lines (a taller header)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    share = width * (0.5 if large_print else 0.34)
    needed = stringWidth(phone, style.fontName, style.fontSize) + 6 + 2  # + the cell's padding
    return max(share, needed) if needed <= width * 0.6 else share


def picture_cell(blocks: Blocks, picture: Picture, width: float, height: float) -> list[Flowable]:
    """The picture scaled into `width` x `height`, its alt text recorded for the tagged PDF,
    its caption under it."""
    if picture.file is not None:
        from protocol_kit.render.images import sheet_image

        flowable: Flowable = sheet_image(picture.file, width, height, picture.where)
    else:  # a drawing from the exercise's poses (protocol_kit.render.illustration)
        from protocol_kit.render.illustration import picture_flowable

        flowable = picture_flowable(picture.scene, width, picture.alt, max_height=height)
    cell = [tagged(flowable, "Figure", alt=picture.alt)]
    if picture.caption:
        cell.append(blocks.para(picture.caption, "small", role="Caption"))
    return cell


def video_cell(blocks: Blocks, video: Video) -> list[Flowable]:
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(video.url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    size = max(blocks.look.size("body") * 7, 72)
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    cell: list[Flowable] = [
        tagged(drawing, "Figure", alt=video.url),
        blocks.para(video.label, "small"),
    ]
    if video.caption:
        cell.append(blocks.para(video.caption, "small"))
    cell.append(blocks.para(video.url, "small_muted"))
    return cell


def band_styles(look: Look) -> dict[str, Any]:
    """The pain bands' range cells: bold, white on green and red, black on amber."""
    from reportlab.lib import colors as reportlab_colors
    from reportlab.lib.styles import ParagraphStyle

    base = look.styles["band_span"]
    return {
        f"band_{name}": ParagraphStyle(
            f"band_{name}", parent=base, textColor=reportlab_colors.HexColor(BAND_INK[name])
        )
        for name in BAND_COLOURS
    }


__all__ = ["Blocks", "headed", "picture_cell", "video_cell", "band_styles", "Spacer"]
