"""Shared pieces for the sheet tests: protocols changed in one way, rendering in-process (with
a clinic that has the numbers every sheet needs), a stand-in picture of the size the
exercise drawings will have, and reading a PDF's or an HTML file's text back as words."""

from __future__ import annotations

import functools
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
from protocol_kit.sheet.request import ClinicProfile

EXAMPLE = PROTOCOLS / "psoas-stretch-glute-bridge.json"
EXAMPLES = sorted(PROTOCOLS.glob("*.json"))
PHONE = "0113 496 0000"  # Ofcom's drama range: not a real number
EMERGENCY = "999"
URGENT = "111"  # NHS 111: the UK's urgent line, day and night


def clinic(**values: Any) -> ClinicProfile:
    """A clinic profile with the telephone, emergency and urgent numbers every sheet needs."""
    numbers = {"phone": PHONE, "emergency_number": EMERGENCY, "urgent_number": URGENT}
    return ClinicProfile(**{**numbers, **values})


def stand_in_picture(folder: Path) -> Path:
    """A picture of the size the exercise drawings have (58 x 35 mm at 10 px per mm): the page
    budgets hold with a picture on every card."""
    from PIL import Image, ImageDraw

    path = folder / "stand-in.png"
    if not path.exists():
        image = Image.new("RGB", (580, 350), (246, 248, 250))
        draw = ImageDraw.Draw(image)
        draw.rectangle([4, 4, 575, 345], outline=(80, 80, 80), width=4)
        draw.line([20, 300, 560, 300], fill=(40, 40, 40), width=6)
        image.save(path)
    return path


def with_pictures(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """`data` (self-contained) with the stand-in picture on every exercise."""
    picture = stand_in_picture(folder)
    for exercise in data["exercises"]:
        exercise["media"] = [
            {
                "kind": "image",
                "path": picture.name,
                "alt": "A drawing of the exercise",
                "author": "protocol-kit tests",
                "licence": "CC0-1.0",
            }
        ]
    return data


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


def render(path: Path, fresh: bool = False, **options: Any) -> bytes:
    """The PDF (or with `output_format="html"`, the HTML) of the protocol at `path`.

    Many tests read the same sheet: it is rendered once per test process for the same files
    (the protocol's folder, the prescription, the logo) and options; `fresh` renders it
    again (for a test that two renders give the same bytes)."""
    key = None if fresh else _render_key(path, options)
    if key in _RENDERED:
        return _RENDERED[key]
    prescription = options.pop("prescription", None)
    output_format = options.pop("output_format", "pdf")
    options.setdefault("clinic", clinic())
    data = render_protocol(
        str(path), RenderOptions(**options), prescription, output_format=output_format
    ).data
    if key is not None:
        _RENDERED[key] = data
    return data


_RENDERED: dict[str, bytes] = {}


def _render_key(path: Path, options: dict[str, Any]) -> str:
    """What a sheet depends on: the options, and every file they or the protocol may read."""
    import hashlib

    digest = hashlib.sha256(repr(sorted(options.items())).encode())
    files = sorted(p for p in Path(path).resolve().parent.rglob("*") if p.is_file())
    named = [options.get("prescription"), getattr(options.get("clinic"), "logo", None)]
    for file in [*files, *(Path(n) for n in named if n)]:
        digest.update(f"\0{file}\0".encode())
        digest.update(file.read_bytes())
    return f"{Path(path).resolve()}:{digest.hexdigest()}"


def html_text(page: bytes) -> str:
    """The text of an HTML sheet as a reader gets it: tags out, entities decoded, the style
    sheet left out."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.skip += tag in ("style", "title", "script")
            self.parts.append(" ")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("style", "title", "script")
            self.parts.append(" ")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page.decode("utf-8"))
    return "".join(parser.parts)


def pdftotext(pdf: bytes, folder: Path, layout: bool = False) -> list[str]:
    """The PDF's pages as poppler's pdftotext reads them: in the order they are drawn
    (`-raw`), which is the order of the tagged PDF's structure tree (a screen reader's,
    `test_pdf_accessibility.py` holds that they are the same) and the sheet's logical
    order, where the page's columns (the steps beside the picture, the card's further parts
    under it) would be read across by their places on the page; with `layout`, as laid out
    on the page."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = folder / "sheet-for-text.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-layout" if layout else "-raw", str(path), "-"]
    text = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    return text.split("\f")[:-1]


def pages_text(pdf: bytes) -> list[str]:
    """The PDF's pages as pypdf reads them (once per test process for the same PDF)."""
    return list(_pages_text(pdf))


@functools.lru_cache(maxsize=32)
def _pages_text(pdf: bytes) -> tuple[str, ...]:
    from pypdf import PdfReader

    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def words(text: str) -> list[str]:
    """A text as its words: whitespace, line breaks and punctuation do not matter."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


def contains_words(document: str, expected: str) -> bool:
    """Whether the words of `expected` appear in order, one after another, in `document`."""
    return _spaced_words(expected) in _spaced_words(document)


@functools.lru_cache(maxsize=16)
def _spaced_words(text: str) -> str:
    # A test looks for every text of a sheet in the same document: split it into words once.
    return f" {' '.join(words(text))} "


def clinicians_copy_only(protocol: Protocol) -> list[str]:
    """The texts the patient's sheet leaves to the clinician's copy (`render --clinician`), as
    docs/sheets.md decides them ("What the patient's sheet prints, and why"): each exercise's
    harder version (`progression`)."""
    texts = [e.progression for e in protocol.exercises if e.progression is not None]
    return [t.get(protocol.language) for t in texts]


def patient_texts(protocol: Protocol, clinician: bool = False) -> list[str]:
    """Every text the sheet prints: every patient-facing text (image alt texts describe
    pictures and are not printed), less those only the clinician's copy prints."""
    alts = {id(m.alt) for e in protocol.exercises for m in e.media if m.alt}
    if not clinician:
        alts |= {id(e.progression) for e in protocol.exercises if e.progression is not None}
    return [t.get(protocol.language) for t in iter_texts(protocol) if id(t) not in alts]


def font_sizes(pdf: bytes, fragment: str) -> set[float]:
    """The sizes (points) at which text containing `fragment` is drawn."""
    from pypdf import PdfReader

    sizes: set[float] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:

        def visit(text, cm, tm, font, size):
            if fragment in text:
                sizes.add(round(size * tm[0], 1))

        page.extract_text(visitor_text=visit)
    return sizes


def text004_switched_off(monkeypatch: Any) -> None:
    """TEXT004 made a rule a configuration may turn off, for one test run in this process: it
    cannot be (H705), and the sheet's own check behind it is tested as if it were."""
    import os

    import pytest

    if os.environ.get("PROTOKIT_TEST_SUBPROCESS"):
        pytest.skip("the rule is changed in this process only")
    from protocol_kit.lint.rules.unprintable_character import UnprintableCharacter

    monkeypatch.setattr(UnprintableCharacter, "ignorable", True)
