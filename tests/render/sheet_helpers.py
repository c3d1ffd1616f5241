"""Shared pieces for the sheet tests: protocols changed in one way, rendering in-process, and
reading a PDF's text back as words."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import PROTOCOLS
from protocol_kit.app.bundle_checks import make_self_contained
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.app.render import RenderOptions, render_protocol
from protocol_kit.model import Protocol, iter_texts

EXAMPLE = PROTOCOLS / "psoas-stretch-glute-bridge.json"
EXAMPLES = sorted(PROTOCOLS.glob("*.json"))


def self_contained(path: Path = EXAMPLE) -> dict[str, Any]:
    """The protocol with its library exercises written inline, as a dictionary."""
    _, contained, _ = make_self_contained(FileChecker(CheckOptions()), str(path))
    return json.loads(contained.text)


def write_json(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def set_pointer(data: Any, pointer: str, value: Any) -> None:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    for token in tokens[:-1]:
        data = data[int(token)] if isinstance(data, list) else data[token]
    last = tokens[-1]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def rewrite_texts(
    folder: Path, data: dict[str, Any], change: Callable[[str], str], language: str | None = None
) -> Path:
    """A copy of a self-contained protocol with every patient-facing text changed (and, with
    `language`, declared to be in that language)."""
    source = write_json(folder, "source.json", data)
    protocol = load_protocol(str(source))
    changed = json.loads(json.dumps(data))
    for text in iter_texts(protocol):
        set_pointer(changed, text.origin.pointer, change(text.get(protocol.language)))
    if language:
        changed["language"] = language
        changed.pop("translations", None)
    source.unlink()
    return write_json(folder, "protocol.json", changed)


def render(path: Path, **options: Any) -> bytes:
    prescription = options.pop("prescription", None)
    return render_protocol(str(path), RenderOptions(**options), prescription).pdf


def pages_text(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def words(text: str) -> list[str]:
    """A text as its words: whitespace, line breaks and punctuation do not matter."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


def contains_words(document: str, expected: str) -> bool:
    """Whether the words of `expected` appear in order, one after another, in `document`."""
    return f" {' '.join(words(expected))} " in f" {' '.join(words(document))} "


def patient_texts(protocol: Protocol) -> list[str]:
    """Every patient-facing text (image alt texts describe pictures and are not printed)."""
    alts = {id(m.alt) for e in protocol.exercises for m in e.media if m.alt}
    return [t.get(protocol.language) for t in iter_texts(protocol) if id(t) not in alts]
