"""The prescription sheet: a protocol (and optionally a prescription) in, PDF bytes out.

`render_sheet` is the whole public surface. `_Sheet` turns each part of the sheet into
flowables, in reading order: clinic, patient, title, the stop box (first page), pain guide,
notes, advice, one card per exercise, the weekly log, signature, credits, and the clinician's
page with --clinician. Every text goes through `_Sheet.text` / `_Sheet.plain` (font check) and
`protocol_kit.render.text.escape` (printed literally). Every heading goes through `headed`, which
keeps it on the page of the first thing it introduces: a heading is never the last line of a
page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from protocol_kit.errors import MissingTranslation
from protocol_kit.model import Exercise, Media, Origin, Text
from protocol_kit.render.document import (
    CardMark,
    PageFrame,
    PageState,
    SheetDocument,
    SheetTable,
)
from protocol_kit.render.dosage_line import dosage_line
from protocol_kit.render.fonts import sheet_fonts
from protocol_kit.render.request import SheetRequest
from protocol_kit.render.stop_box import StopBox, StopGroup, continued_heading
from protocol_kit.render.strings import sheet_language, sheet_strings
from protocol_kit.render.styles import (
    BAND_COLOURS,
    CAUTION_BACKGROUND,
    PAPER,
    sheet_look,
)
from protocol_kit.render.text import TextError, bold, checked, escape

BLANK = "_" * 24
BULLET = "\u2022"
DASH = "\u2013"


@dataclass(frozen=True)
class RenderedSheet:
    pdf: bytes
    pages: int


def headed(heading: Flowable, content: Sequence[Flowable]) -> list[Flowable]:
    """A heading followed by what it introduces, the heading kept on the same page as the first
    flowable of `content`, so that a heading never ends a page. A first flowable that is itself
    kept together (an exercise card's title band and purpose) is kept whole with the heading:
    its content is taken out, as reportlab moves a KeepTogether nested in another to a new page
    even when both would fit."""
    if not content:
        raise ValueError("a heading must introduce something")
    first, rest = content[0], list(content[1:])
    together = list(first._content) if isinstance(first, KeepTogether) else [first]
    return [KeepTogether([heading, *together]), *rest]


def render_sheet(request: SheetRequest) -> RenderedSheet:
    """The sheet as PDF bytes and its page count. Raises InputError (one line, naming the file
    and JSON pointer) for a text missing in the language or a character the font cannot show."""
    return RenderedSheet(*_Sheet(request).render())


class _Sheet:
    def __init__(self, request: SheetRequest) -> None:
        self.request = request
        self.protocol = request.protocol
        self.language = request.language
        self.words = sheet_strings(request.language)
        self.fonts = sheet_fonts()
        self.look = sheet_look(self.fonts, request.clinic.accent, request.large_print)
        self.styles = self.look.styles
        self.state = PageState()
        self.document = SheetDocument(self._page_frame(), self.look, self.fonts, self.state)
        self.width = self.document.content_width

    # -- text: every string on the sheet comes through one of these ---------------------------

    def text(self, value: Text) -> str:
        """A patient-facing text in the sheet's language, checked against the font."""
        try:
            found = value.get(self.language)
        except MissingTranslation:
            raise TextError(
                value.origin,
                f"no '{self.language}' translation of this text: a sheet is printed only when "
                "every text is translated",
            ) from None
        return checked(found, value.origin)

    def plain(self, value: str, where: Origin | str) -> str:
        """A text that is not translated (names, codes, links), checked against the font;
        `where` is its place in a JSON file, or names another source."""
        return checked(value, where)

    def word(self, key: str, **fields: str) -> str:
        """The sheet's own wording; `fields` are already checked."""
        wording = checked(self.words[key], f"sheet wording ({sheet_language(self.language)})")
        return wording.format(**fields) if fields else wording

    def para(self, value: str, style: str = "body", **extra: Any) -> Paragraph:
        return Paragraph(escape(value), self.styles[style], **extra)

    def bullets(self, values: list[str], style: str = "bullet") -> list[Flowable]:
        return [Paragraph(escape(v), self.styles[style], bulletText=BULLET) for v in values]

    # -- the document ------------------------------------------------------------------------

    def _page_frame(self) -> PageFrame:
        protocol, request = self.protocol, self.request
        clinic = request.clinic
        title = self.text(protocol.title)
        header = [title]
        if clinic.name:
            header.insert(0, self.plain(clinic.name, f"{clinic.where}: clinic.name"))
        if request.prescription is not None:
            patient = request.prescription.patient
            where = request.prescription.origin.child("patient", "name")
            header.append(self.plain(patient.name, where))
        # "version 1.0.0" is kept on one line when a long id makes the footer wrap.
        version = self.word("version", version=protocol.version).replace(" ", "\u00a0")
        footer = f"{protocol.id} \u00b7 {version}"
        metadata = {"title": title, "subject": self.text(protocol.summary)}
        metadata["author"] = (
            request.prescription.therapist.name
            if request.prescription is not None
            else clinic.name or ", ".join(a.name for a in protocol.authors)
        )
        created = request.created or dt.datetime.combine(
            protocol.last_reviewed, dt.time(), dt.timezone.utc
        )
        return PageFrame(
            paper=PAPER[clinic.paper],
            draft_banner=self.word("draft_banner") if protocol.status == "draft" else None,
            running_header=" \u00b7 ".join(header),
            footer_left=self.plain(footer, protocol.origin.path),
            page_words=self.word("page"),
            continued=self.word("continued"),
            card_names=tuple(
                f"{number}. {self.text(exercise.name)}"
                for number, exercise in enumerate(protocol.exercises, start=1)
            ),
            source=protocol.origin.path,
            metadata=metadata,
            language=self.language,
            created=created,
        )

    def render(self) -> tuple[bytes, int]:
        story: list[Flowable] = []
        story += self.clinic_header()
        story.append(self.para(self.text(self.protocol.title), "h1"))
        story.append(self.para(self.text(self.protocol.summary)))
        story += self.patient_block()
        story.append(Spacer(1, self.look.size("body") * 0.6))
        story.append(self.stop_box())
        story += self.pain_guide()
        story += self.notes()
        story += self.advice()
        cards: list[Flowable] = []
        for number, exercise in enumerate(self.protocol.exercises, start=1):
            cards += self.card(number, exercise)
        story += headed(self.para(self.word("your_exercises"), "h2"), cards)
        cool_down = self.protocol.delivery.cool_down
        if cool_down is not None:
            story += self.section("cool_down", [self.para(self.text(cool_down))])
        story += self.log()
        story += self.credits()
        if self.request.clinician:
            story += self.clinician_page()
        return self.document.build(story)

    # -- parts -------------------------------------------------------------------------------

    def clinic_header(self) -> list[Flowable]:
        clinic = self.request.clinic
        if not clinic.name:
            return []
        where = f"{clinic.where}: clinic"
        details = [self.plain(line, f"{where}.address") for line in clinic.address]
        for key in ("phone", "email", "website"):
            value = getattr(clinic, key)
            if value:
                details.append(self.plain(value, f"{where}.{key}"))
        text_cell = [self.para(self.plain(clinic.name, f"{where}.name"), "clinic")]
        if details:
            text_cell.append(self.para("  \u00b7  ".join(details), "small_muted"))
        cells: list[Any] = [text_cell]
        widths: list[float] = [self.width]
        if clinic.logo:
            logo = self.image(
                clinic.logo, 50 * 2.835, self.look.size("clinic") * 3.2, f"{where}.logo"
            )
            cells.insert(0, logo)
            widths = [logo.drawWidth + 10, self.width - logo.drawWidth - 10]
        table = SheetTable([cells], colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("LINEBELOW", (0, 0), (-1, -1), 1.5, colors.HexColor(self.look.accent)),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return [table, Spacer(1, self.look.size("body") * 0.6)]

    def patient_block(self) -> list[Flowable]:
        prescription = self.request.prescription
        words = self.word
        if prescription is None:
            pairs = [
                (words("patient"), ""),
                (words("date_of_birth"), ""),
                (words("prescribed_by"), ""),
                (words("prescription_date"), ""),
                (words("start_date"), ""),
                (words("review_date"), ""),
            ]
            statement = self.word("prescribed_for", patient=BLANK, clinician=BLANK)
        else:
            where = prescription.origin
            patient, therapist = prescription.patient, prescription.therapist
            name = self.plain(patient.name, where.child("patient", "name"))
            clinician = self.plain(
                f"{therapist.name}, {therapist.credentials}", where.child("therapist")
            )
            pairs = [(words("patient"), name)]
            if patient.date_of_birth:
                pairs.append((words("date_of_birth"), patient.date_of_birth.isoformat()))
            if patient.identifier:
                pairs.append(
                    (
                        words("identifier"),
                        self.plain(patient.identifier, where.child("patient", "identifier")),
                    )
                )
            pairs += [
                (words("prescribed_by"), clinician),
                (words("prescription_date"), prescription.date.isoformat()),
                (words("start_date"), prescription.start_date.isoformat()),
            ]
            if prescription.review_date:
                pairs.append((words("review_date"), prescription.review_date.isoformat()))
            statement = None
        # Two label-and-value pairs a row; one in large print, where labels need the room.
        per_row = 1 if self.look.large_print else 2
        rows = []
        for i in range(0, len(pairs), per_row):
            row: list[Any] = []
            for label, value in pairs[i : i + per_row]:
                row += [self.para(label, "cell_bold"), self.para(value, "cell")]
            rows.append(row + [""] * (2 * per_row - len(row)))
        label_width = self.width * (0.34 if per_row == 1 else 0.17)
        value_width = self.width / per_row - label_width
        ink = colors.HexColor(self.look.ink)
        commands: list[Any] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
        ]
        commands += [("LINEBELOW", (c, 0), (c, -1), 0.5, ink) for c in range(1, 2 * per_row, 2)]
        table = SheetTable(rows, colWidths=[label_width, value_width] * per_row)
        table.setStyle(TableStyle(commands))
        if statement is None:
            assert prescription is not None
            patient_name = self.plain(
                prescription.patient.name, prescription.origin.child("patient", "name")
            )
            clinician = f"{prescription.therapist.name}, {prescription.therapist.credentials}"
            markup = escape(self.word("prescribed_for", patient="\x00", clinician="\x01"))
            markup = markup.replace("\x00", bold(patient_name)).replace("\x01", bold(clinician))
            sentence = Paragraph(markup, self.styles["body"])
        else:
            sentence = self.para(statement)
        return [table, Spacer(1, 6), sentence]

    def stop_box(self) -> Flowable:
        """The box is placed right after the patient block, before anything that can move to a
        later page, so that it is whole on the first page whenever it fits there; when it does
        not, it splits with its title and each group's heading repeated (see `stop_box.py`)."""
        safety = self.protocol.safety
        groups = (
            ("emergency_intro", [f.text for f in safety.red_flags if f.action == "emergency"]),
            ("urgent_intro", [f.text for f in safety.red_flags if f.action != "emergency"]),
            ("stop_intro", list(safety.stop_criteria)),
        )

        def continued(name: str) -> str:
            return self.word("continued", name=name)

        title = self.word("stop_heading")
        return StopBox(
            self.look,
            self.width,
            title,
            continued(title),
            self.word("continued_next_page"),
            [
                StopGroup(
                    self.word(key),
                    continued_heading(self.word(key), continued),
                    tuple(self.text(t) for t in texts),
                )
                for key, texts in groups
                if texts
            ],
        )

    def bands(self) -> list[tuple[str, str, Text]]:
        """The pain guide's bands: (colour, range, meaning); an empty band is left out."""
        guide = self.protocol.safety.pain_guide
        bands = [("green", 0, guide.green_max, guide.green)]
        if guide.amber_max > guide.green_max:
            bands.append(("amber", guide.green_max + 1, guide.amber_max, guide.amber))
        bands.append(("red", guide.amber_max + 1, 10, guide.red))
        return [
            (colour, f"{low}{DASH}{high}" if high > low else str(low), text)
            for colour, low, high, text in bands
        ]

    def pain_guide(self) -> list[Flowable]:
        rows = [
            [self.para(span, "band"), self.para(self.text(text))] for _, span, text in self.bands()
        ]
        table = SheetTable(rows, colWidths=[self.look.size("body") * 4.5, None])
        commands: list[Any] = [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor(self.look.ink)),
            ("LINEBELOW", (0, 0), (-1, -2), 0.5, colors.HexColor(self.look.ink)),
        ]
        for row, (colour, _, _) in enumerate(self.bands()):
            commands.append(
                ("BACKGROUND", (0, row), (0, row), colors.HexColor(BAND_COLOURS[colour]))
            )
        table.setStyle(TableStyle(commands))
        # The whole guide on one page: the scale, and every band with its meaning.
        guide = KeepTogether([self.para(self.word("pain_scale")), table])
        return headed(self.para(self.word("pain_guide"), "h2"), [guide])

    def notes(self) -> list[Flowable]:
        prescription = self.request.prescription
        if prescription is None or not prescription.notes:
            return []
        notes = self.bullets([self.text(n) for n in prescription.notes])
        return headed(self.para(self.word("notes"), "h2"), notes)

    def advice(self) -> list[Flowable]:
        safety, delivery = self.protocol.safety, self.protocol.delivery
        story: list[Flowable] = []
        general = self.bullets([self.text(t) for t in safety.general_advice])
        if delivery.warm_up is not None:
            general.append(
                self.para(
                    f"{self.word('warm_up')}: {self.text(delivery.warm_up)}",
                    "bullet",
                    bulletText=BULLET,
                )
            )
        cautions = [p.patient_advice for p in safety.precautions if p.patient_advice]
        if cautions:
            general += self.caution_box([self.text(t) for t in cautions])
        if general:
            story += headed(self.para(self.word("before_you_start"), "h2"), general)
        if delivery.education:
            education = self.bullets([self.text(t) for t in delivery.education])
            story += headed(self.para(self.word("about_programme"), "h2"), education)
        return story

    def caution_box(self, texts: list[str]) -> list[Flowable]:
        """The precautions in a box headed "Take care", then a little space. A box too long for
        the space left on a page splits after one of its items, never before the first, and the
        part on the next page starts with "Take care" again. The space above the box is the
        box's own, so that a heading over the box is kept with the box itself."""
        rows = [[self.para(self.word("take_care"), "body_bold")]]
        rows += [[b] for b in self.bullets(texts)]
        table = SheetTable(rows, colWidths=[self.width], repeatRows=1, spaceBefore=4)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(CAUTION_BACKGROUND)),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(BAND_COLOURS["amber"])),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return [table, Spacer(1, 4)]

    # -- exercise cards ------------------------------------------------------------------------

    def card(self, number: int, exercise: Exercise) -> list[Flowable]:
        name = self.text(exercise.name)
        title = SheetTable(
            [
                [self.para(f"{number}. {name}", "card_title")],
                [self.para(dosage_line(exercise.dosage, self.words), "dosage")],
            ],
            colWidths=[self.width],
        )
        band = self.look.ink if self.look.large_print else self.look.accent
        title.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(band)),
                    ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#EEF2F7")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        parts: list[list[Flowable]] = [
            [
                CardMark(self.state, f"{number}. {name}"),
                Spacer(1, 6),
                title,
                Spacer(1, 4),
                self.para(self.text(exercise.purpose), "italic"),
            ],
        ]
        media = self.media_row(exercise)
        if media is not None:
            parts.append([media])
        if exercise.equipment:
            parts.append(
                self.section("equipment", self.bullets([self.text(t) for t in exercise.equipment]))
            )
        parts.append(
            self.section("starting_position", [self.para(self.text(exercise.starting_position))])
        )
        steps = [
            Paragraph(escape(self.text(step)), self.styles["step"], bulletText=f"{n}.")
            for n, step in enumerate(exercise.steps, start=1)
        ]
        parts.append(self.section("steps", steps))
        parts.append(self.section("intensity", [self.para(self.text(exercise.dosage.intensity))]))
        if exercise.cues:
            parts.append(self.section("cues", self.bullets([self.text(t) for t in exercise.cues])))
        if exercise.common_mistakes:
            mistakes = self.bullets([self.text(t) for t in exercise.common_mistakes])
            parts.append(self.section("common_mistakes", mistakes))
        cautions = [p.patient_advice for p in exercise.precautions if p.patient_advice]
        if cautions:
            parts.append(self.caution_box([self.text(t) for t in cautions]))
        if exercise.regression is not None:
            parts.append(self.section("easier", [self.para(self.text(exercise.regression))]))
        if exercise.progression is not None:
            parts.append(self.section("harder", [self.para(self.text(exercise.progression))]))
        parts[-1].append(CardMark(self.state, None))
        # Each piece is kept whole on a page (a step is never split unless it is longer than a
        # page); a card that runs onto the next page is marked "continued" there.
        story: list[Flowable] = [KeepTogether(parts[0])]
        for part in parts[1:]:
            story += [
                KeepTogether([item]) if not isinstance(item, KeepTogether) else item
                for item in part
            ]
        story.append(Spacer(1, self.look.size("body")))
        return story

    def section(self, key: str, items: list[Flowable]) -> list[Flowable]:
        """A small heading (a label) and the items it introduces."""
        return headed(self.para(self.word(key), "label"), items)

    def media_row(self, exercise: Exercise) -> Flowable | None:
        cells: list[list[Flowable]] = []
        for item in exercise.media:
            if item.kind == "image" and item.file:
                cell: list[Flowable] = [
                    self.image(
                        item.file,
                        self.width / 3 - 12,
                        self.look.size("body") * 11,
                        item.origin.child("path"),
                    )
                ]
                if item.caption is not None:
                    cell.append(self.para(self.text(item.caption), "small"))
                cells.append(cell)
            elif item.kind == "video" and item.url:
                cells.append(self.qr(item))
        if not cells:
            return None
        rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
        rows = [row + [[]] * (3 - len(row)) for row in rows]
        table = SheetTable(rows, colWidths=[self.width / 3] * 3)
        table.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        return table

    def image(self, path: str, max_width: float, max_height: float, where: Origin | str) -> Image:
        from protocol_kit.render.images import sheet_image

        return sheet_image(path, max_width, max_height, where)

    def qr(self, item: Media) -> list[Flowable]:
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        assert item.url is not None
        url = self.plain(item.url, item.origin.child("url"))
        widget = QrCodeWidget(url, barLevel="M")
        left, bottom, right, top = widget.getBounds()
        size = max(self.look.size("body") * 8, 80)
        drawing = Drawing(
            size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
        )
        drawing.add(widget)
        cell: list[Flowable] = [drawing, self.para(self.word("video"), "small")]
        if item.caption is not None:
            cell.append(self.para(self.text(item.caption), "small"))
        cell.append(self.para(url, "small_muted"))
        return cell

    # -- log, signature, credits ---------------------------------------------------------------

    def log(self) -> list[Flowable]:
        words = self.word
        body = self.look.size("body")
        label_width = self.width * (0.34 if self.look.large_print else 0.26)
        day_width = (self.width - label_width) / 7
        rows: list[list[Any]] = [
            [self.para(words("day"), "cell_bold")]
            + [self.para(str(d), "cell_bold") for d in range(1, 8)]
        ]
        weeks = self.protocol.delivery.programme_weeks
        for week in range(1, weeks + 1):
            label = f"{bold(words('week', n=str(week)))} {escape(words('sessions_done'))}"
            rows.append([Paragraph(label, self.styles["cell"])] + [""] * 7)
            rows.append([self.para(words("pain_score"), "cell")] + [""] * 7)
        grid = colors.HexColor(self.look.ink)
        table = SheetTable(
            rows,
            colWidths=[label_width] + [day_width] * 7,
            repeatRows=1,
            rowHeights=[None] + [body * 2.1] * (2 * weeks),
        )
        commands: list[Any] = [
            ("GRID", (0, 0), (-1, -1), 0.4, grid),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF2F7")),
        ]
        commands += [("LINEABOVE", (0, r), (-1, r), 1.4, grid) for r in range(1, 2 * weeks, 2)]
        # A week's two rows stay on one page: a pain row is never separated from its week.
        commands += [("NOSPLIT", (0, r), (-1, r + 1)) for r in range(1, 2 * weeks, 2)]
        table.setStyle(TableStyle(commands))
        scale = self.pain_scale_strip()
        signature = self.signature()
        return [
            PageBreak(),
            *headed(
                self.para(words("log_heading"), "h2"),
                [
                    self.para(words("log_instructions")),
                    scale,
                    Spacer(1, body * 0.6),
                    table,
                    Spacer(1, body * 1.5),
                    signature,
                ],
            ),
        ]

    def pain_scale_strip(self) -> Flowable:
        """0 to 10 in the pain guide's colours, with each band's meaning under it."""
        colour_of = {}
        guide = self.protocol.safety.pain_guide
        for score in range(11):
            band = (
                "green"
                if score <= guide.green_max
                else "amber"
                if score <= guide.amber_max
                else "red"
            )
            colour_of[score] = band
        numbers = [self.para(str(n), "band") for n in range(11)]
        cell = self.width / 11
        table = SheetTable([numbers], colWidths=[cell] * 11)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (n, 0), (n, 0), colors.HexColor(BAND_COLOURS[colour_of[n]]))
                    for n in range(11)
                ]
                + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            )
        )
        meanings = [
            Paragraph(f"{bold(span)}: {escape(self.text(text))}", self.styles["small"])
            for _, span, text in self.bands()
        ]
        return KeepTogether(
            [self.para(self.word("pain_guide"), "label"), table, Spacer(1, 3), *meanings]
        )

    def signature(self) -> Flowable:
        rows = [
            [
                self.para(self.word("signature"), "cell_bold"),
                "",
                self.para(self.word("date"), "cell_bold"),
                "",
            ]
        ]
        table = SheetTable(
            rows,
            colWidths=[self.width * 0.25, self.width * 0.4, self.width * 0.1, self.width * 0.25],
            rowHeights=[self.look.size("body") * 3],
        )
        ink = colors.HexColor(self.look.ink)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LINEBELOW", (1, 0), (1, 0), 0.6, ink),
                    ("LINEBELOW", (3, 0), (3, 0), 0.6, ink),
                ]
            )
        )
        return table

    def credits(self) -> list[Flowable]:
        lines = []
        for exercise in self.protocol.exercises:
            for item in exercise.media:
                kind = self.word("image" if item.kind == "image" else "video_credit")
                where = item.origin
                line = self.word(
                    "credit",
                    what=f"{self.text(exercise.name)} ({kind})",
                    author=self.plain(item.author, where.child("author")),
                    licence=self.plain(item.licence, where.child("licence")),
                )
                if item.source:
                    line += f" \u2013 {self.plain(item.source, where.child('source'))}"
                lines.append(line)
        if not lines:
            return []
        return self.section("credits", [self.para(line, "small") for line in lines])

    # -- for the clinician -----------------------------------------------------------------------

    def clinician_page(self) -> list[Flowable]:
        protocol = self.protocol
        origin = protocol.origin
        story: list[Flowable] = []

        def block(key: str, lines: list[str]) -> None:
            if lines:
                story.extend(self.section(key, self.bullets(lines)))

        block("indications", [self.plain(str(c), c.origin) for c in protocol.indications])
        contraindications = [
            self.plain(
                c.description + (f" ({c.coding.system_name} {c.coding.code})" if c.coding else ""),
                c.origin,
            )
            for c in protocol.safety.contraindications
        ]
        for exercise in protocol.exercises:
            name = self.text(exercise.name)
            contraindications += [
                f"{name}: " + self.plain(c.description, c.origin)
                for c in exercise.contraindications
            ]
        block("contraindications", contraindications)
        precautions = []
        for p in (
            *protocol.safety.precautions,
            *(p for e in protocol.exercises for p in e.precautions),
        ):
            text = p.description + (f" \u2013 {p.management}" if p.management else "")
            precautions.append(self.plain(text, p.origin))
        block("precautions", precautions)
        references = []
        for i, ref in enumerate(protocol.references):
            extra = f" https://doi.org/{ref.doi}" if ref.doi else f" {ref.url}" if ref.url else ""
            references.append(self.plain(ref.citation + extra, origin.child("references", i)))
        block("references", references)
        people = [
            self.plain(f"{a.name}, {a.credentials}", origin.child("authors", i))
            for i, a in enumerate(protocol.authors)
        ]
        block("authors", people)
        if protocol.reviewer is not None:
            block(
                "reviewer",
                [
                    self.plain(
                        f"{protocol.reviewer.name}, {protocol.reviewer.credentials}",
                        origin.child("reviewer"),
                    )
                ],
            )
        dates = (
            f"{self.word('last_reviewed')}: {protocol.last_reviewed.isoformat()} \u00b7 "
            f"{self.word('next_review')}: {protocol.next_review.isoformat()}"
        )
        story.append(Spacer(1, 6))
        story.append(self.para(dates))
        prescription = self.request.prescription
        if prescription is not None and prescription.overrides:
            changes = []
            for o in prescription.overrides:
                where = o.origin
                what = (
                    self.word("left_out")
                    if o.omit
                    else ", ".join(
                        f"{k} = {v}"
                        for k, v in o.dosage.items()
                        if not k.startswith("x-") and k != "intensity"
                    )
                )
                changes.append(self.plain(f"{o.exercise}: {what} \u2013 {o.reason}", where))
            block("changes", changes)
        return [PageBreak(), *headed(self.para(self.word("for_clinician"), "h2"), story)]
