"""Where a problem found in one language of a patient text is reported: the text's own place,
or the library entry that brings the text into the protocol (the message then names the
library file and the text's place in it)."""

from __future__ import annotations

from protocol_kit.findings import LibraryPlace
from protocol_kit.lint.base import library_where
from protocol_kit.model import Exercise, Text


def text_place(
    text: Text, language: str, library: Exercise | None = None
) -> tuple[str, str, LibraryPlace | None]:
    """(JSON pointer, words for the message, the place in the library file) of a problem in
    `text`'s `language`; `library`, the library exercise the text belongs to, if any. A text
    in several languages is pointed at in the language with the problem."""
    if library is not None and library.library is not None:
        where, place = library_where(library, text.origin.pointer)
        return library.library.entry.pointer, where, place
    pointer = text.origin.pointer
    return (pointer if len(text.values) == 1 else f"{pointer}/{language}"), "", None
