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
from protocol_kit.model import Origin
from protocol_kit.render.fonts import first_missing_glyph
from protocol_kit.untrusted.files import open_regular


def checked(value: str, where: Origin | str) -> str:
    """`value` in NFC form, after checking that the font can show every character of it.

    `where` is the place in a JSON file the text comes from (its line and column are looked up
    for the message), or names another source, e.g. `protokit.toml: clinic.name`.
    """
    value = unicodedata.normalize("NFC", value)
    missing = first_missing_glyph(value)
    if missing is not None:
        name = unicodedata.name(missing, "unnamed character")
        raise TextError(
            where,
            f"character {missing!r} (U+{ord(missing):04X} {name}) cannot be printed: the sheet "
            "font has no glyph for it",
        )
    return value


class TextError(InputError):
    """A text that cannot go on the sheet; `where` and `detail` apart, so that `build` can
    report it as a finding at its line and column."""

    def __init__(self, where: Origin | str, detail: str) -> None:
        self.where = where
        self.detail = detail
        self.line, self.column = located(where) if isinstance(where, Origin) else (None, None)
        super().__init__(f"{place(where, (self.line, self.column))}: {detail}")


def place(where: Origin | str, position: tuple[int | None, int | None] | None = None) -> str:
    """`file:line:column: /pointer`, as `protokit validate` names a place, for a message
    (`position`: the line and column, when already looked up)."""
    if isinstance(where, str):
        return where
    if not where.pointer:
        return where.path
    line, column = position or located(where)
    if line is None:
        return f"{where.path}: {where.pointer}"
    return f"{where.path}:{line}:{column}: {where.pointer}"


def located(origin: Origin) -> tuple[int | None, int | None]:
    """The line and column of `origin` in its JSON file; the file is read again only here,
    when there is something to report."""
    if not origin.pointer:
        return None, None
    from protocol_kit.loading import JsonProblem, decode, locate

    try:
        with open_regular(origin.path) as stream:
            return locate(decode(stream.read()), origin.pointer)
    except (OSError, JsonProblem):
        return None, None


def escape(value: str) -> str:
    """Plain text as Paragraph markup that prints it literally; line breaks are kept."""
    return _xml_escape(value).replace("\n", "<br/>")


def bold(value: str) -> str:
    return f"<b>{escape(value)}</b>"


def join_markup(parts: Iterable[str], separator: str = " ") -> str:
    """Markup pieces made by `escape` and `bold`, joined."""
    return separator.join(parts)
