"""The sheet's look as data: sizes for standard and large print, colours, page sizes.

`sheet_styles` turns one of the size tables into reportlab paragraph styles; nothing else in
the renderer sets a font size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protocol_kit.render.fonts import Fonts

# Point sizes. Large print: at least 16 pt for everything a patient reads, the page's frame
# (draft banner, running header, footer with the page number) included.
STANDARD = {
    "body": 10.5,
    "small": 8.5,
    "h1": 19,
    "h2": 14,
    "h3": 12,
    "clinic": 15,
    "footer": 8,
    "banner": 9.35,
}
LARGE = {
    "body": 16,
    "small": 16,
    "h1": 26,
    "h2": 21,
    "h3": 18,
    "clinic": 20,
    "footer": 16,
    "banner": 17.6,
}
LEADING = 1.3

PAPER = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
MARGIN = 42.0  # points: about 15 mm

INK = "#1A1A1A"
LARGE_PRINT_INK = "#000000"
MUTED = "#555555"
STOP_RED = "#B00020"
STOP_BACKGROUND = "#FDECEE"
CAUTION_BACKGROUND = "#FFF4DC"
BAND_COLOURS = {"green": "#2E7D32", "amber": "#E08E00", "red": "#C62828"}
DEFAULT_ACCENT = "#1F5C99"


@dataclass(frozen=True)
class Look:
    """Everything about the sheet's appearance one render needs."""

    sizes: dict[str, float]
    ink: str
    accent: str
    large_print: bool
    styles: dict[str, Any]

    def size(self, name: str) -> float:
        return self.sizes[name]


def sheet_look(fonts: Fonts, accent: str, large_print: bool) -> Look:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    sizes = LARGE if large_print else STANDARD
    ink = LARGE_PRINT_INK if large_print else INK
    # Large print keeps headings black: a pale clinic colour must not reduce contrast.
    heading = ink if large_print else accent

    def style(name: str, size: str, font: str = fonts.regular, **extra: Any) -> ParagraphStyle:
        points = sizes[size]
        return ParagraphStyle(
            name,
            fontName=font,
            bulletFontName=font,  # not reportlab's default, Helvetica, which is not embedded
            bulletFontSize=points,  # not reportlab's default, 10 pt: step numbers are read too
            fontSize=points,
            leading=round(points * LEADING, 1),
            textColor=colors.HexColor(extra.pop("color", ink)),
            **extra,
        )

    body = sizes["body"]
    styles = {
        "body": style("body", "body", spaceAfter=body * 0.3),
        "body_bold": style("body_bold", "body", fonts.bold, spaceAfter=body * 0.2),
        "italic": style("italic", "body", fonts.italic, spaceAfter=body * 0.3),
        "small": style("small", "small", spaceAfter=2),
        "small_muted": style("small_muted", "small", color=ink if large_print else MUTED),
        "label": style("label", "small", fonts.bold, spaceAfter=1, spaceBefore=body * 0.35),
        "bullet": style("bullet", "body", leftIndent=body * 1.3, bulletIndent=body * 0.2),
        "step": style(
            "step", "body", leftIndent=body * 1.6, bulletIndent=0, spaceAfter=body * 0.25
        ),
        "h1": style("h1", "h1", fonts.bold, color=heading, spaceAfter=body * 0.4),
        "h2": style("h2", "h2", fonts.bold, color=heading, spaceBefore=body, spaceAfter=body * 0.4),
        "h3": style("h3", "h3", fonts.bold, spaceAfter=body * 0.2),
        "card_title": style("card_title", "h3", fonts.bold, color="#FFFFFF"),
        "dosage": style("dosage", "body", fonts.bold),
        "clinic": style("clinic", "clinic", fonts.bold, color=heading),
        "stop_heading": style("stop_heading", "h2", fonts.bold, color="#FFFFFF"),
        "stop_intro": style(
            "stop_intro", "body", fonts.bold, color=STOP_RED if not large_print else ink
        ),
        "stop_more": style("stop_more", "body", fonts.italic, alignment=2),
        "cell": style("cell", "small"),
        "cell_bold": style("cell_bold", "small", fonts.bold),
        "band": style("band", "body", fonts.bold, color="#FFFFFF", alignment=1),
        # The page frame (document.py): drawn at their size and wrapped, never shrunk to fit.
        "banner": style("banner", "banner", fonts.bold, color="#FFFFFF", alignment=1),
        "running_header": style("running_header", "small", color=ink if large_print else MUTED),
        "continued_mark": style("continued_mark", "small", fonts.italic),
        "footer": style("footer", "footer", color=ink if large_print else MUTED),
    }
    return Look(sizes, ink, accent, large_print, styles)
