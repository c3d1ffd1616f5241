"""The sheet's look as data: sizes for standard and large print, colours, page sizes.

`sheet_look` turns one of the size tables into reportlab paragraph styles; nothing else in
the renderer sets a font size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protocol_kit.render.fonts import Fonts
from protocol_kit.sheet.request import DEFAULT_ACCENT

# Point sizes. Standard print: 10 pt body text, the dosage grid's figures 1.4 times that.
# Large print: at least 16 pt for everything a patient reads, the page's frame (draft banner,
# running header, footer with the page number) included.
STANDARD = {
    "body": 10.0,
    "small": 8.5,
    "label": 8.5,
    "log": 9.0,  # the weekly log's labels (the lead's floor for them: 9 pt)
    "h1": 18,
    "h2": 13.5,
    "h3": 11.5,
    "clinic": 14,
    "phone": 11.5,
    "dosage": 14,
    "footer": 8,
    "banner": 9,
}
LARGE = {
    "body": 16,
    "small": 16,
    "label": 16,
    "log": 16,
    "h1": 26,
    "h2": 21,
    "h3": 18,
    "clinic": 20,
    "phone": 18,
    "dosage": 22.4,
    "footer": 16,
    "banner": 17.6,
}
# The stop box's lines: in large print a little tighter than the body's (the whole box on
# page 1); in standard print as the body's (eighth sitting; it was 1.12 there too).
STOP_LEADING = {False: 1.1, True: 1.12}  # {large print: leading}
# Line spacing: 1.15 in standard print (10 pt type on 11.5 pt lines), 1.2 in large print.
LEADING = 1.1
LARGE_LEADING = 1.2

PAPER = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
MARGIN = 28.35  # points: 10 mm
# Large print: 8 mm left and right (top and bottom keep 10 mm, where a printer's unprintable
# edge is widest and the footer holds the emergency number): 16 pt lines 2 % longer.
LARGE_PRINT_SIDE_MARGIN = 8 * 72 / 25.4

# The picture beside an exercise's steps: 58 mm wide, at most 35 mm tall (points).
PICTURE_WIDTH = 58 * 72 / 25.4
PICTURE_HEIGHT = 35 * 72 / 25.4

INK = "#1A1A1A"
LARGE_PRINT_INK = "#000000"
MUTED = "#4A4A4A"  # 8.9:1 on white
STOP_RED = "#B00020"
STOP_BACKGROUND = "#FDECEE"
CAUTION_BACKGROUND = "#FFF4DC"
CAUTION_RULE = "#E08E00"
GRID_BACKGROUND = "#EEF2F7"
BAND_COLOURS = {"green": "#2E7D32", "amber": "#E08E00", "red": "#C62828"}
# Text on a band colour: black on amber (white on it is too pale to read).
BAND_INK = {"green": "#FFFFFF", "amber": "#000000", "red": "#FFFFFF"}

__all__ = ["DEFAULT_ACCENT"]


@dataclass(frozen=True)
class Look:
    """Everything about the sheet's appearance one render needs."""

    sizes: dict[str, float]
    ink: str
    accent: str
    large_print: bool
    styles: dict[str, Any]
    side_margin: float = MARGIN  # the page's left and right margin (points)

    def size(self, name: str) -> float:
        return self.sizes[name]


def sheet_look(fonts: Fonts, accent: str, large_print: bool) -> Look:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    sizes = LARGE if large_print else STANDARD
    spacing = LARGE_LEADING if large_print else LEADING
    ink = LARGE_PRINT_INK if large_print else INK
    # Large print keeps headings black: a pale clinic colour must not reduce contrast.
    heading = ink if large_print else accent
    muted = ink if large_print else MUTED

    def style(name: str, size: str, font: str = fonts.regular, **extra: Any) -> ParagraphStyle:
        points = sizes[size]
        return ParagraphStyle(
            name,
            fontName=font,
            bulletFontName=font,  # not reportlab's default, Helvetica, which is not embedded
            bulletFontSize=points,  # not reportlab's default, 10 pt: step numbers are read too
            fontSize=points,
            leading=round(points * extra.pop("leading", spacing), 1),
            textColor=colors.HexColor(extra.pop("color", ink)),
            **extra,
        )

    body = sizes["body"]
    stop = STOP_LEADING[large_print]
    styles = {
        "body": style("body", "body", spaceAfter=body * 0.25),
        "lead": style("lead", "body", spaceAfter=body * 0.2),
        "purpose": style("purpose", "body", fonts.italic, spaceAfter=body * 0.3),
        # The purpose in the column under a card's picture.
        "purpose_under": style(
            "purpose_under", "body", fonts.italic, spaceBefore=2, spaceAfter=body * 0.2
        ),  # fmt: skip
        "note": style("note", "small", color=muted, spaceAfter=1),
        "small": style("small", "small"),
        "small_muted": style("small_muted", "small", color=muted),
        "label": style("label", "label", fonts.bold, spaceBefore=body * 0.2, spaceAfter=1),
        # A paragraph that starts with its label in bold ("Starting position: ...").
        "run_in": style("run_in", "body", spaceBefore=body * 0.1, spaceAfter=body * 0.05),
        "bullet": style(
            "bullet", "body", leftIndent=body * 1.1, bulletIndent=body * 0.15, spaceAfter=body * 0.1
        ),  # fmt: skip
        "step": style(
            "step", "body", leftIndent=body * 1.4, bulletIndent=0, spaceAfter=body * 0.1
        ),  # fmt: skip
        "h1": style("h1", "h1", fonts.bold, color=heading, spaceAfter=body * 0.25, leading=1.15),
        "h2": style(
            "h2", "h2", fonts.bold, color=heading, spaceBefore=body * 0.4, spaceAfter=body * 0.25
        ),  # fmt: skip
        "card_title": style("card_title", "h3", fonts.bold, color="#FFFFFF", leading=1.15),
        "dosage_label": style("dosage_label", "label", fonts.bold, color=muted, leading=1.1),
        # A grid cell: the label (dosage_label's size) over the figure; each line as high as
        # its own type.
        "dosage_value": style(
            "dosage_value", "dosage", fonts.bold, leading=1.1, autoLeading="min"
        ),  # fmt: skip
        "dosage_note": style("dosage_note", "small", color=muted),
        "clinic": style("clinic", "clinic", fonts.bold, color=heading, leading=1.15),
        "phone": style("phone", "phone", fonts.bold, alignment=2),
        # The stop box is never split: its lines are set a little tighter, so that the whole
        # box fits on page 1 in large print too.
        "stop_heading": style("stop_heading", "h3", fonts.bold, color="#FFFFFF", leading=1.1),
        "stop_intro": style(
            "stop_intro",
            "body",
            fonts.bold,
            color=STOP_RED if not large_print else ink,
            leading=stop,
        ),  # fmt: skip
        "stop_item": style(
            "stop_item", "body", leftIndent=body * 0.9, bulletIndent=body * 0.1, leading=stop
        ),  # fmt: skip
        "stop_action": style("stop_action", "body", leading=stop),
        "caution_title": style("caution_title", "body", fonts.bold),
        "caution_one": style("caution_one", "body"),
        "cell": style("cell", "small"),
        "cell_bold": style("cell_bold", "small", fonts.bold),
        "log_cell": style("log_cell", "log"),
        "log_cell_bold": style("log_cell_bold", "log", fonts.bold),
        "band_span": style("band_span", "body", fonts.bold, alignment=1),
        # The page frame (document.py): drawn at their size and wrapped, never shrunk to fit.
        "banner": style("banner", "banner", fonts.bold, color="#FFFFFF", alignment=1),
        "running_header": style("running_header", "small", color=muted),
        "continued_mark": style("continued_mark", "small", fonts.italic),
        "footer": style("footer", "footer", color=muted),
    }
    side = LARGE_PRINT_SIDE_MARGIN if large_print else MARGIN
    return Look(sizes, ink, accent, large_print, styles, side)
