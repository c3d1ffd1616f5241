"""A heading is never the last thing on a page: every section heading of the sheet (the pain
guide, the clinician's notes, "Before you start", "Your exercises", each card's title and
labels, the log, the clinician's page) is printed on the same page as the start of what it
introduces, and a week of the log is never split from its pain row.

Read back as a patient sees the pages: `pdftotext -layout`, page by page, the footer taken
off; the last lines of a page must not be a heading."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from sheet_helpers import EXAMPLES, PHONE, render, self_contained, words, write_json

from conftest import REPO, run_protokit
from protocol_kit.app.check import load_protocol
from protocol_kit.app.render import RenderOptions, clinic_profile, render_protocol
from protocol_kit.config import load_config
from protocol_kit.model import Protocol
from protocol_kit.sheet.wording import wording_for as sheet_strings

WALKTHROUGH = REPO / "docs" / "examples" / "walkthrough"
REPO_PHONE = "01632 960000 (not a real number)"  # this repository's protokit.toml
WALKTHROUGH_PROTOCOL = WALKTHROUGH / "neck-stiffness.json"
WALKTHROUGH_PRESCRIPTION = WALKTHROUGH / "prescriptions" / "alex-example.json"

# The sheet's own headings: section headings, the stop box's, the labels inside a card and on
# the clinician's page.
HEADING_KEYS = (
    "stop_heading",
    "emergency_intro",
    "urgent_intro",
    "stop_intro",
    "pain_guide",
    "notes",
    "before_you_start",
    "about_programme",
    "take_care",
    "your_exercises",
    "equipment",
    "starting_position",
    "steps",
    "intensity",
    "cues",
    "common_mistakes",
    "easier",
    "harder",
    "cool_down",
    "log_heading",
    "credits",
    "for_clinician",
    "indications",
    "contraindications",
    "precautions",
    "moving_on",
    "references",
    "authors",
    "reviewer",
    "changes",
)


def headings(protocol: Protocol) -> list[list[str]]:
    """Every heading the sheet of `protocol` can print, as its words."""
    language = protocol.language
    strings = sheet_strings(language)
    texts = [strings[key] for key in HEADING_KEYS]
    texts += [
        f"{number}. {exercise.name.get(language)}"
        for number, exercise in enumerate(protocol.exercises, start=1)
    ]
    # The log: its header row, and each week's first row (its pain row comes under it).
    texts.append(f"{strings['day']} 1 2 3 4 5 6 7")
    weeks = protocol.delivery.programme_weeks
    texts += [
        f"{strings['week'].format(n=week)} {strings['sessions_done']}"
        for week in range(1, weeks + 1)
    ]
    return [words(text) for text in texts]


def layout_pages(pdf: bytes, folder: Path) -> list[list[str]]:
    """Each page's non-empty lines, as pdftotext lays them out."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = folder / "sheet-for-headings.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")[:-1]]


def without_footer(lines: list[str], footer: list[str]) -> list[str]:
    """The page's lines above its footer: the last lines that hold the footer's words (it may
    wrap onto two lines in large print) are taken off."""
    left = Counter(footer)
    lines = list(lines)
    while lines and sum(left.values()):
        last = Counter(words(lines[-1]))
        assert not last - left, f"the page does not end with its footer: {lines[-1]!r}"
        left -= last
        lines.pop()
    return lines


def stranded_headings(
    pdf: bytes, protocol: Protocol, folder: Path, phone: str = PHONE, emergency: str = "999"
) -> list[str]:
    """`page N: heading` for every page whose last lines (above the footer) are a heading."""
    strings = sheet_strings("en")
    pages = layout_pages(pdf, folder)
    known = headings(protocol)
    found = []
    contact = strings("footer_contact", phone=phone, number=emergency)
    for number, lines in enumerate(pages, start=1):
        footer = words(
            f"{contact} {protocol.id} {strings['version'].format(version=protocol.version)} "
            + strings["page"].format(n=number, m=len(pages))
        )
        body = without_footer(lines, footer)
        assert body, f"page {number} is empty"
        # A heading may wrap: the last one, two or three lines together.
        for count in (1, 2, 3):
            if words(" ".join(body[-count:])) in known:
                found.append(f"page {number}: {' '.join(body[-count:]).strip()}")
    return found


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_no_page_of_an_example_sheet_ends_with_a_heading(tmp_path, path, large_print):
    # With the clinic of this repository's protokit.toml, as `protokit build protocols` prints
    # them, and with the clinician's page.
    options = RenderOptions(
        clinic=clinic_profile(load_config(REPO / "protokit.toml")),
        large_print=large_print,
        clinician=True,
    )
    pdf = render_protocol(str(path), options).pdf
    assert stranded_headings(pdf, load_protocol(str(path)), tmp_path, REPO_PHONE) == []


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_no_page_of_the_walkthrough_sheets_ends_with_a_heading(tmp_path, large_print):
    # As docs/walkthrough.md prints them: in the walkthrough's folder, with its protokit.toml.
    extra = ["--large-print"] if large_print else []
    protocol = load_protocol(str(WALKTHROUGH_PROTOCOL))
    for prescription in ([], ["--prescription", "prescriptions/alex-example.json"]):
        output = tmp_path / "sheet.pdf"
        result = run_protokit(
            "render", "neck-stiffness.json", *prescription, *extra, "-o", str(output),
            cwd=WALKTHROUGH,
        )  # fmt: skip
        assert result.code == 0, result.stderr
        assert stranded_headings(output.read_bytes(), protocol, tmp_path) == [], prescription


def test_your_exercises_starts_on_the_page_of_the_first_card(tmp_path):
    # The sheet the walkthrough prints for Alex: "Your exercises" was alone at the bottom of
    # page 1, its first exercise on page 2.
    options = RenderOptions(clinic=clinic_profile(load_config(WALKTHROUGH / "protokit.toml")))
    pdf = render_protocol(str(WALKTHROUGH_PROTOCOL), options, str(WALKTHROUGH_PRESCRIPTION)).pdf
    pages = [" ".join(words("\n".join(page))) for page in layout_pages(pdf, tmp_path)]
    [page] = [page for page in pages if "Your exercises" in page]
    assert "1 Chin tuck" in page


# One more line of notes at a time, from 1 to 48 in standard print and to 30 in large print,
# in parts that the two test workers share.
NOTE_COUNTS = [(False, range(1, 17)), (False, range(17, 33)), (False, range(33, 49)),
               (True, range(1, 16)), (True, range(16, 31))]  # fmt: skip


@pytest.mark.parametrize(
    ("large_print", "counts"),
    NOTE_COUNTS,
    ids=[f"{'large-print' if large else 'standard'}-{c[0]}-{c[-1]}" for large, c in NOTE_COUNTS],
)
def test_headings_stay_with_their_content_wherever_the_page_ends(tmp_path, large_print, counts):
    # One more line of notes at a time moves everything after them down by a line, until each
    # heading of page 1 and of the cards has met the bottom of a page.
    protocol = load_protocol(str(WALKTHROUGH_PROTOCOL))
    prescription = json.loads(WALKTHROUGH_PRESCRIPTION.read_text(encoding="utf-8"))
    prescription["overrides"] = []  # both exercises, with all their labels
    options = RenderOptions(
        clinic=clinic_profile(load_config(WALKTHROUGH / "protokit.toml")),
        large_print=large_print,
    )
    failures = {}
    for count in counts:
        prescription["notes"] = [f"Note {n}." for n in range(1, count + 1)]
        rx = write_json(tmp_path, "rx.json", prescription)
        pdf = render_protocol(str(WALKTHROUGH_PROTOCOL), options, str(rx)).pdf
        stranded = stranded_headings(pdf, protocol, tmp_path)
        if stranded:
            failures[count] = stranded
    assert failures == {}


def test_the_check_finds_a_heading_at_the_end_of_a_page():
    protocol = load_protocol(str(WALKTHROUGH_PROTOCOL))
    known = headings(protocol)
    assert words("Your exercises") in known
    assert words("1. Chin tuck") in known
    assert words("Week 6 Sessions done") in known
    assert words("Harder version (progression, at a review)") in known
    footer = words("neck-stiffness · version 1.0.0 Page 1 of 3")
    page = ["Text", "Your exercises", "neck-stiffness · version 1.0.0      Page 1 of 3"]
    assert without_footer(page, footer) == ["Text", "Your exercises"]
    wrapped = ["Text", "a-long-id ·", "version 1.0.0      Page 1 of 3"]
    assert without_footer(wrapped, words("a-long-id · version 1.0.0 Page 1 of 3")) == ["Text"]


def test_no_heading_text_is_left_out_of_the_check():
    # A heading added to the sheet's content is added here too: every word the content
    # builder prints as a section heading, a label or a caution's title.
    strings = sheet_strings("en")
    source = (REPO / "protocol_kit" / "sheet" / "content.py").read_text(encoding="utf-8")
    used = set(re.findall(r'Section\(\s*"\w+",\s*(?:self\.)?words?\("(\w+)"\)', source))
    used |= set(re.findall(r'self\.labelled\(\s*"(\w+)"', source))
    used |= set(re.findall(r'block\(\s*"(\w+)"', source))
    used |= set(re.findall(r'Caution\(self\.word\("(\w+)"\)', source))
    assert {"pain_guide", "steps", "indications", "take_care"} <= used
    assert used <= set(HEADING_KEYS)
    assert all(key in strings for key in HEADING_KEYS)


def test_a_take_care_box_longer_than_a_page_repeats_its_heading(tmp_path):
    # A split box never leaves "Take care" at the bottom of a page, and its part on the next
    # page says again that these are cautions.
    data = self_contained()
    precaution = data["safety"]["precautions"][0]
    data["safety"]["precautions"] = [
        {**precaution, "patient_advice": f"Caution number {n}: stop and tell your therapist."}
        for n in range(1, 61)
    ]
    path = write_json(tmp_path, "protocol.json", data)
    pdf = render(path)
    protocol = load_protocol(str(path))
    assert stranded_headings(pdf, protocol, tmp_path) == []
    pages = [" ".join(words("\n".join(page))) for page in layout_pages(pdf, tmp_path)]
    document = " ".join(pages)
    assert all(f"Caution number {n} stop" in document for n in range(1, 61))
    with_cautions = [page for page in pages if "Caution number" in page]
    assert len(with_cautions) >= 2
    for page in with_cautions:
        assert page.index("Take care") < page.index("Caution number"), page
