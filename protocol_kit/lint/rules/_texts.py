"""Patient-facing texts grouped by where a finding about them goes in the protocol file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from protocol_kit.lint.base import in_library
from protocol_kit.model import Protocol, Text, iter_exercise_texts, iter_texts


@dataclass(frozen=True, slots=True)
class PlacedText:
    text: Text
    pointer: str
    where: str = ""  # names the library file for texts that live in one


def placed_texts(protocol: Protocol) -> Iterator[PlacedText]:
    """Every patient-facing text; a library exercise's texts point at its reference entry."""
    library = {}
    for exercise in protocol.exercises:
        if exercise.library is not None:
            for text in iter_exercise_texts(exercise):
                library[id(text)] = exercise
    for text in iter_texts(protocol):
        exercise = library.get(id(text))
        if exercise is None:
            yield PlacedText(text, text.origin.pointer)
        else:
            assert exercise.library is not None
            yield PlacedText(
                text,
                exercise.library.entry.pointer,
                f" (at {text.origin.pointer}{in_library(exercise)})",
            )


def value_pointer(text: Text, pointer: str, language: str) -> str:
    """The pointer of one language's string: texts written as objects have one per language."""
    if len(text.values) > 1 and pointer == text.origin.pointer:
        return f"{pointer}/{language}"
    return pointer
