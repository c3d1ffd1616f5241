"""Where a problem found in one language of a patient text is reported: the text's own place,
or the library entry that brings the text into the protocol (the message then names the
library file and the text's place in it)."""

from __future__ import annotations

from protocol_kit.lint.base import in_library_at
from protocol_kit.model import Exercise, Text


def text_place(text: Text, language: str, library: Exercise | None = None) -> tuple[str, str]:
    """(JSON pointer, words for the message) of a problem in `text`'s `language`; `library`,
    the library exercise the text belongs to, if any. A text in several languages is pointed
    at in the language with the problem."""
    if library is not None and library.library is not None:
        return library.library.entry.pointer, in_library_at(library, text.origin.pointer)
    pointer = text.origin.pointer
    return (pointer if len(text.values) == 1 else f"{pointer}/{language}"), ""
