"""Text from files into the PDF: the ONE place where it is checked and escaped.

reportlab's Paragraph reads its text as markup. Text from a protocol, a prescription or the
clinic profile must print exactly as written, so every string passes through `escape` here and
nowhere else; our own markup (bold labels, line breaks) is added only around escaped text.
Every string is also checked against the font, so that a character the font cannot show is an
error naming the file and JSON pointer instead of an empty box on a patient's sheet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from xml.sax.saxutils import escape as _xml_escape

from protocol_kit.errors import InputError
from protocol_kit.render.fonts import first_missing_glyph


def checked(value: str, where: str) -> str:
    """`value` in NFC form, after checking that the font can show every character of it.

    `where` names the source, e.g. `protocols/x.json: /exercises/0/steps/1`.
    """
    value = unicodedata.normalize("NFC", value)
    missing = first_missing_glyph(value)
    if missing is not None:
        name = unicodedata.name(missing, "unnamed character")
        raise InputError(
            f"{where}: character {missing!r} (U+{ord(missing):04X} {name}) cannot be printed: "
            "the sheet font has no glyph for it"
        )
    return value


def escape(value: str) -> str:
    """Plain text as Paragraph markup that prints it literally; line breaks are kept."""
    return _xml_escape(value).replace("\n", "<br/>")


def bold(value: str) -> str:
    return f"<b>{escape(value)}</b>"


def join_markup(parts: Iterable[str], separator: str = " ") -> str:
    """Markup pieces made by `escape` and `bold`, joined."""
    return separator.join(parts)
