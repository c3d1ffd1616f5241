"""A protocol made self-contained, as it travels in a bundle.

A protocol in a bundle must be readable without the sender's library and image files:

- every library reference (`{"ref": ...}`) is replaced by the full library exercise with the
  merged dosage, keeping its provenance in `x-library` (the reference, the library exercise's
  version, the protocol's dosage override and note);
- the library's texts are rewritten for the protocol's languages: a plain string in the
  library's `language` becomes the protocol's plain string or an object with one entry for each
  of the protocol's languages, so the inlined protocol passes the same translation checks;
- every image is carried in the bundle under `media/`, named by its SHA-256, and the protocol's
  `path` is rewritten to it.

The result must still validate against `protocol.schema.json`, and must mean the same: the
caller rebuilds it and `content_difference` compares every exercise's dosage and every
patient-facing text in every language with the original.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.manifest import media_name
from protocol_kit.findings import shown
from protocol_kit.jsontext.pointers import pointer_tokens
from protocol_kit.model import (
    Exercise,
    Media,
    Protocol,
    Text,
    iter_exercise_texts,
    iter_texts,
    merge_dosage,
)
from protocol_kit.untrusted.images import image_problem

# Fields of a library exercise file that describe the file, not the exercise.
LIBRARY_ONLY = ("$schema", "version", "language", "translations", "last_reviewed")
# Provenance kept in `x-library` rather than dropped.
LIBRARY_PROVENANCE = ("authors", "references", "last_reviewed")
IMAGE_SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}

# Looks up a library exercise's validated JSON by its reference, as seen from a protocol file.
LibraryLookup = Callable[[str, str], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class SelfContained:
    """A protocol ready for a bundle: its JSON, serialised, and the images it shows."""

    data: dict[str, Any]
    text: bytes
    media: dict[str, bytes]  # name relative to the protocol ("media/<sha256>.png") -> bytes


def serialise(data: Mapping[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def self_contained(
    protocol: Protocol,
    data: Mapping[str, Any],
    library: LibraryLookup,
    read_image: Callable[[Media], bytes],
) -> SelfContained:
    """The self-contained form of a valid protocol. `data` is its JSON, `protocol` the model
    built from it; `read_image` returns an image's bytes."""
    result = copy.deepcopy(dict(data))
    entries = result["exercises"]
    if len(entries) != len(protocol.exercises):
        raise BundleRefused(f"{protocol.origin.path}: the protocol's exercises could not be built")
    media: dict[str, bytes] = {}
    for index, (entry, exercise) in enumerate(zip(entries, protocol.exercises, strict=True)):
        if "ref" in entry:
            source = library(entry["ref"], protocol.origin.path)
            entries[index] = inline_exercise(entry, exercise, source, protocol.languages)
        _carry_images(entries[index], exercise, read_image, media)
    return SelfContained(result, serialise(result), media)


def inline_exercise(
    entry: Mapping[str, Any],
    exercise: Exercise,
    library_data: Mapping[str, Any],
    languages: tuple[str, ...],
) -> dict[str, Any]:
    """The full exercise a library reference stands for, with the merged dosage and texts in
    the protocol's languages."""
    source = exercise.library
    assert source is not None
    inlined = copy.deepcopy({k: v for k, v in library_data.items() if k not in LIBRARY_ONLY})
    for key in LIBRARY_PROVENANCE:
        inlined.pop(key, None)
    for text in iter_exercise_texts(exercise):
        if text is not exercise.dosage.intensity and text.origin.path == source.path:
            _set(inlined, text.origin.pointer, text_for(text, languages))
    override = dict(entry.get("dosage", {}))
    dosage = merge_dosage(inlined["dosage"], override)
    # An intensity written in the protocol's override is already in the protocol's languages.
    dosage["intensity"] = (
        override["intensity"]
        if "intensity" in override
        else text_for(exercise.dosage.intensity, languages)
    )
    inlined["dosage"] = dosage
    inlined["id"] = exercise.id
    provenance: dict[str, Any] = {"ref": source.ref, "version": source.version}
    if override:
        provenance["dosage"] = override
    if source.note:
        provenance["note"] = source.note
    for key in LIBRARY_PROVENANCE:
        if key in library_data:
            provenance[key] = copy.deepcopy(library_data[key])
    inlined.update({k: copy.deepcopy(v) for k, v in entry.items() if k.startswith("x-")})
    inlined["x-library"] = provenance
    return inlined


def text_for(text: Text, languages: tuple[str, ...]) -> str | dict[str, str]:
    """A text as a protocol with these languages writes it: a plain string for a protocol in
    one language, else one entry per language (never another language's words)."""
    if len(languages) == 1:
        return text.get(languages[0])
    return {language: text.get(language) for language in languages}


def _set(document: dict[str, Any], pointer: str, value: Any) -> None:
    tokens = pointer_tokens(pointer)
    node: Any = document
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _carry_images(
    entry: dict[str, Any],
    exercise: Exercise,
    read_image: Callable[[Media], bytes],
    media: dict[str, bytes],
) -> None:
    for position, item in enumerate(exercise.media):
        if item.kind != "image" or item.path is None:
            continue
        content = read_image(item)
        extension = item.path.rsplit(".", 1)[-1].lower()
        if not content.startswith(IMAGE_SIGNATURES[extension]):
            raise BundleRefused(
                f"{item.file}: is not a {extension.upper()} image, though its name says so"
            )
        problem = image_problem(content)
        if problem is not None:
            raise BundleRefused(f"{item.file}: the image {problem}")
        name = media_name(content, extension)
        media[name] = content
        entry["media"][position]["path"] = name


def content_difference(original: Protocol, rebuilt: Protocol) -> str | None:
    """The first way `rebuilt` says something different from `original`, or None.

    Compares what a patient is given: the exercises in order with their dosage, and every
    patient-facing text in every language of the protocol.
    """
    if [e.id for e in original.exercises] != [e.id for e in rebuilt.exercises]:
        return "the exercises differ"
    for before, after in zip(original.exercises, rebuilt.exercises, strict=True):
        if before.dosage.fields() != after.dosage.fields():
            return f"the dosage of exercise '{before.id}' differs"
    texts_before = list(iter_texts(original))
    texts_after = list(iter_texts(rebuilt))
    if len(texts_before) != len(texts_after):
        return "the number of patient-facing texts differs"
    for before, after in zip(texts_before, texts_after, strict=True):
        for language in original.languages:
            if before.get(language) != after.get(language):
                return f"the {language} text {shown(before.get(language))} differs"
    return None
