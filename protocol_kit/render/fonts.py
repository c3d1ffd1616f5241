"""The sheet's typeface: Fira Sans, embedded, and the check that it can show every character.

Fonts are registered on first use (never at import), once per process. A character the font
has no glyph for would print as an empty box, so every text is checked against the font's
character map before anything is drawn (`protocol_kit.render.text`).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from protocol_kit.errors import ProtokitError

FAMILY = "ProtokitSans"
FACES = {
    "regular": "FiraSans-Regular.ttf",
    "bold": "FiraSans-Bold.ttf",
    "italic": "FiraSans-Italic.ttf",
    "bolditalic": "FiraSans-BoldItalic.ttf",
}
# Characters that are layout, not glyphs: line breaks and tabs become spaces in a paragraph.
LAYOUT = frozenset("\n\r\t")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str
    covered: frozenset[int]  # code points every face can show


def font_folder() -> Path:
    try:
        import fontpkg_fira_sans
    except ModuleNotFoundError:  # a broken installation, not a user error
        raise ProtokitError(
            "the sheet font is not installed (package fontpkg-fira-sans): reinstall protocol-kit"
        ) from None
    return Path(fontpkg_fira_sans.ROOT) / "files"


# Categories of code points that are never text a sheet prints, whatever glyph the font has:
# invisible formats, unassigned code points and noncharacters, private use, surrogates.
_NO_TEXT = frozenset({"Cf", "Cn", "Co", "Cs"})


@functools.cache
def sheet_fonts() -> Fonts:
    """Register the four faces and their family with reportlab (once per process)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = font_folder()
    names = {face: f"{FAMILY}-{face}" for face in FACES}
    covered: frozenset[int] | None = None
    for face, filename in FACES.items():
        font = TTFont(names[face], str(folder / filename))
        pdfmetrics.registerFont(font)
        codes = frozenset(font.face.charToGlyph)
        covered = codes if covered is None else covered & codes
    for bold, italic, face in (
        (0, 0, "regular"),
        (1, 0, "bold"),
        (0, 1, "italic"),
        (1, 1, "bolditalic"),
    ):
        addMapping(FAMILY, bold, italic, names[face])
    assert covered is not None
    # An invisible format character (zero-width space or joiner, direction mark, soft hyphen,
    # byte-order mark) has a glyph but shows nothing: it can split "chest pain" so that no
    # red-flag rule reads it, while the patient sees the words whole. Refused like a missing glyph.
    # So is a code point that is no character (Cn): the font maps the noncharacter U+FFFF to a
    # box with a question mark, printed inside a red flag ("Chest⍰ pain") without a word (H422).
    covered = frozenset(code for code in covered if unicodedata.category(chr(code)) not in _NO_TEXT)
    return Fonts(names["regular"], names["bold"], names["italic"], names["bolditalic"], covered)


def first_missing_glyph(text: str) -> str | None:
    """The first character of `text` the sheet font cannot show, or None."""
    if _printable().issuperset(text):  # every text of a sheet is checked: the usual case fast
        return None
    covered = sheet_fonts().covered
    for character in text:
        if ord(character) not in covered and character not in LAYOUT:
            return character
    return None


@functools.cache
def _printable() -> frozenset[str]:
    """The characters the sheet font can show, and the layout characters."""
    return frozenset(map(chr, sheet_fonts().covered)) | LAYOUT
