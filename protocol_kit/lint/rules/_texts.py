"""Patient-facing texts grouped by where a finding about them goes in the protocol file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from protocol_kit.lint.base import in_library
from protocol_kit.model import Exercise, Protocol, Text, iter_exercise_texts, iter_protocol_texts


@dataclass(frozen=True, slots=True)
class PlacedText:
    text: Text
    pointer: str
    exercise: Exercise | None = None  # the library exercise the text lives in

    @property
    def where(self) -> str:
        """Names the library file, for texts that live in one (computed only for findings)."""
        if self.exercise is None:
            return ""
        return f" (at {self.text.origin.pointer}{in_library(self.exercise)})"


def placed_texts(protocol: Protocol) -> Iterator[PlacedText]:
    """Every patient-facing text; a library exercise's texts point at its reference entry."""
    for text in iter_protocol_texts(protocol):
        yield PlacedText(text, text.origin.pointer)
    for exercise in protocol.exercises:
        if exercise.library is None:
            for text in iter_exercise_texts(exercise):
                yield PlacedText(text, text.origin.pointer)
        else:
            entry = exercise.library.entry.pointer
            for text in iter_exercise_texts(exercise):
                yield PlacedText(text, entry, exercise)


def value_pointer(text: Text, pointer: str, language: str) -> str:
    """The pointer of one language's string: texts written as objects have one per language."""
    if len(text.values) > 1 and pointer == text.origin.pointer:
        return f"{pointer}/{language}"
    return pointer
