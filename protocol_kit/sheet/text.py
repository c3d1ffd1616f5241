"""Texts on their way to the sheet: NFC, the font check, and errors that name their place.

Every string of a sheet passes `TextCheck` once, in the content builder, whatever the format:
a character the sheet font cannot show is an error naming the file, line and column (as
`protokit validate` names a place) instead of an empty box on a patient's sheet. The font's
coverage is given by the caller (`protocol_kit.render.fonts`), so this package needs no
reportlab.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from protocol_kit.errors import InputError
from protocol_kit.model import Origin
from protocol_kit.untrusted.marks import STRAY_MARK, stray_mark_message
from protocol_kit.untrusted.text import character_name


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
    from protocol_kit.untrusted.files import open_regular

    try:
        with open_regular(origin.path) as stream:
            return locate(decode(stream.read()), origin.pointer)
    except (OSError, JsonProblem):
        return None, None


@dataclass(frozen=True)
class TextCheck:
    """`missing_glyph(text)` is the first character the font cannot show, or None."""

    missing_glyph: Callable[[str], str | None] = lambda text: None

    def __call__(self, value: str, where: Origin | str) -> str:
        """`value` in NFC form, after checking that the font can show every character."""
        value = unicodedata.normalize("NFC", value)
        missing = self.missing_glyph(value)
        if missing is not None:
            name = character_name(missing)
            raise TextError(
                where,
                f"character {missing!r} (U+{ord(missing):04X} {name}) cannot be printed: the "
                "sheet font has no glyph for it",
            )
        stray = STRAY_MARK.search(value)
        if stray is not None:
            raise TextError(where, f"{stray_mark_message(value, stray)}: it cannot be printed")
        return value
