"""No word on a sheet is broken inside itself across two lines of a cell: a stage's label
beside its dosage ("Week" over "s 1–2") or a long word of the grid ("Wiederholungen") is a
misprint the patient reads (H1460). Read back from the PDF with pdftotext in drawing order,
where a cell's lines follow one another: a line ending in a word and the next starting with
one, not capitalised, whose two halves make a word of the sheet's sources is a broken
word."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sheet_helpers import EXAMPLES, pdftotext, render, rewrite_texts, self_contained, write_json

from conftest import PROTOCOLS, REPO

WALKTHROUGH = REPO / "docs" / "examples" / "walkthrough"
STAGED = REPO / "docs" / "examples" / "prescription-staged.json"
WORDING = resources.files("protocol_kit.sheet").joinpath("wording")
WORD = re.compile(r"\w+")


def strings(value: Any) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def vocabulary(*sources: Any) -> set[str]:
    """The words of the sheet's sources (the protocol with its library exercises, the
    prescription, the sheet's own wording), lower case."""
    return {w.lower() for source in sources for s in strings(source) for w in WORD.findall(s)}


def broken_words(pdf: bytes, folder: Path, words: set[str]) -> list[str]:
    """The words of `words` printed with their end on the next line, as "half|half"."""
    lines = [line.strip() for page in pdftotext(pdf, folder) for line in page.splitlines()]
    broken = []
    for line, following in zip(lines, lines[1:], strict=False):
        end = re.search(r"(\w+)$", line)
        start = re.match(r"(\w+)", following)
        # A word's second half is not capitalised: "s|How" is "3 s" over "How often".
        if end and start and not start[1][0].isupper() and (end[1] + start[1]).lower() in words:
            broken.append(f"{end[1]}|{start[1]}")
    return broken


def wording(language: str) -> Any:
    return json.loads(WORDING.joinpath(f"{language}.json").read_text(encoding="utf-8"))


def staged_neck(folder: Path) -> Path:
    """The walkthrough's neck prescription in two stages: the chin tuck twice a day, a wide
    "How often" beside the stage's label ("Weeks 1–2")."""
    prescription = json.loads((WALKTHROUGH / "prescriptions" / "alex-example.json").read_text())
    del prescription["overrides"][0]["dosage"]["repetitions"]  # dosed by the stages
    prescription["stages"] = [
        {"weeks": {"from": 1, "to": 2}, "dosage": {"chin-tuck": {"sets": 2, "repetitions": 5}}},
        {"weeks": {"from": 3, "to": 6}, "entry": "5 chin tucks in each set feel easy.",
         "dosage": {"chin-tuck": {"sets": 2, "repetitions": 10}}},
    ]  # fmt: skip
    return write_json(folder, "staged-neck.json", prescription)


@pytest.mark.parametrize("large_print", [False, True])
def test_the_walkthroughs_staged_neck_sheet_breaks_no_word(tmp_path, large_print):
    prescription = staged_neck(tmp_path)
    protocol = WALKTHROUGH / "neck-stiffness.json"
    pdf = render(protocol, prescription=str(prescription), large_print=large_print)
    sources = [self_contained(protocol), json.loads(prescription.read_text()), wording("en")]
    assert broken_words(pdf, tmp_path, vocabulary(*sources)) == []


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_example_sheets_break_no_word(tmp_path, path, large_print):
    pdf = render(path, large_print=large_print)
    words = vocabulary(self_contained(path), wording("en"))
    assert broken_words(pdf, tmp_path, words) == []


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_staged_prescription_breaks_no_word_in_a_language_of_long_words(tmp_path, language):
    """The staged example, with long stage labels (weeks 10 to 12), in English and in German
    ("Wiederholungen", "Wochen 10–12")."""
    data = self_contained(PROTOCOLS / "psoas-stretch-glute-bridge.json")
    data["delivery"]["programme_weeks"] = 12
    protocol = rewrite_texts(tmp_path, data, lambda s: s, None if language == "en" else language)
    prescription = json.loads(STAGED.read_text())
    for stage, (first, last) in zip(
        prescription["stages"], [(1, 4), (5, 9), (10, 12)], strict=True
    ):
        stage["weeks"] = {"from": first, "to": last}
    path = write_json(tmp_path, "staged.json", prescription)
    pdf = render(protocol, prescription=str(path), language=language)
    words = vocabulary(json.loads(protocol.read_text()), prescription, wording(language))
    assert broken_words(pdf, tmp_path, words) == []
