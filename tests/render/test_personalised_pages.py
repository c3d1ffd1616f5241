"""Issue 13's page counts for a personalised sheet (ninth sitting): the patient block and the
clinician's notes on page 1 took the room the first card's head needed there.

The clinician signs in the patient block's last row when a field is free there (a
prescription without a review date), its label on one line where it fits and the rest of the
row to sign on; the clinician's notes share "Before you start"'s two columns in standard
print. With the benchmark's prescription (`benchmarks/bench_render.py`: patient, therapist,
dates and a note), mid-back now prints on 3 pages (was 4).
"""

from __future__ import annotations

import json

import pytest
from sheet_helpers import EXAMPLES, pages_text, pdftotext, render, write_json

from conftest import REPO
from protocol_kit.app.render import clinic_profile
from protocol_kit.config import load_config
from protocol_kit.render.blocks import SIGN_WIDTH, Blocks
from protocol_kit.render.field_rows import field_rows
from protocol_kit.render.fonts import sheet_fonts
from protocol_kit.render.sheet import _look
from protocol_kit.sheet.document import Field, Fields

NOTE = "Start gently."
# Pages in standard and large print with the benchmark's prescription, as printed with this
# repository's clinic. The ball release 4 -> 3 since the space under the stop box is 2.5 pt
# (was 4.5): its first card's lowest head (with "Your exercises" 212.2 pt) needed 1.4 pt more
# than page 1 left (210.8), and now starts there.
PERSONALISED_BUDGETS = {"mid-back-ankle-hip-mobility": (3, 8), "smr-dynamic-hip-mobility": (3, 8)}


def prescription(tmp_path, protocol_id: str):
    """The benchmark's personalised prescription (no review date)."""
    return write_json(tmp_path, "rx.json", {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": protocol_id},
        "patient": {"name": "Alex Example", "date_of_birth": "1970-01-01"},
        "therapist": {"name": "Sam Okafor", "credentials": "Physiotherapist"},
        "date": "2026-12-01",
        "start_date": "2026-12-02",
        "notes": [NOTE],
    })  # fmt: skip


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("stem", sorted(PERSONALISED_BUDGETS))
def test_personalised_5_exercise_examples_keep_to_their_page_budget(tmp_path, stem, large_print):
    [path] = [p for p in EXAMPLES if p.stem == stem]
    rx = prescription(tmp_path, stem)
    profile = clinic_profile(load_config(start=REPO))
    pages = pages_text(render(path, clinic=profile, large_print=large_print, prescription=str(rx)))
    standard, large = PERSONALISED_BUDGETS[stem]
    assert len(pages) <= (large if large_print else standard)


def test_the_notes_share_before_you_start_s_columns_and_are_read_first(tmp_path):
    [path] = [p for p in EXAMPLES if p.stem == "mid-back-ankle-hip-mobility"]
    rx = prescription(tmp_path, path.stem)
    pdf = render(path, prescription=str(rx))
    first = " ".join(pdftotext(pdf, tmp_path)[0].split())
    notes = first.index("Notes from your therapist")
    assert notes < first.index(NOTE) < first.index("Before you start") < first.index("1. Mid-back")
    # Side by side: the notes' heading on the line of "Before you start"'s second column.
    lines = pdftotext(pdf, tmp_path, layout=True)[0].splitlines()
    [line] = [line for line in lines if "Notes from your therapist" in line]
    assert "Stretch only until" in line


def _fields(large_print: bool, signature: str, free: bool = True):
    look = _look(sheet_fonts(), "#1F5C99", large_print)
    names = ["Patient", "Date of birth", "Prescribed by", "Date", "Start date", "Next review"]
    fields = Fields(tuple(Field(name, "") for name in names[: 5 if free else 6]),
                    signature=Field(signature, ""))  # fmt: skip
    [table] = Blocks(look).flowables(fields, 538.0)
    table.wrap(538.0, 10_000)
    return table


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_clinician_signs_in_a_free_field_of_the_last_row(large_print):
    full = _fields(large_print, "Therapist's signature", free=False)
    table = _fields(large_print, "Therapist's signature")
    assert len(table._cellvalues) == len(full._cellvalues) - 1  # a row less
    last = [cell for cell in table._cellvalues[-1] if cell != ""]
    signed = last[-1]  # the label and the line to sign on, after the last field
    assert "Therapist's signature" in signed._cellvalues[0][0].text
    assert signed._colWidths[1] >= SIGN_WIDTH


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_a_signature_label_in_a_free_field_is_never_lower_than_its_row(large_print):
    # (H382's check for the label in a field: a long label on two lines or more)
    table = _fields(large_print, "Signature du thérapeute du patient et date")
    signed = [cell for cell in table._cellvalues[-1] if cell != ""][-1]
    label = signed._cellvalues[0][0]
    assert label.wrap(signed._colWidths[0], 10_000)[1] <= table._rowHeights[-1] - 4.5


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_prescriber_s_name_and_registration_are_written_across_the_row(tmp_path, large_print):
    """Users' round (fourteenth sitting): "Prescribed by" with the therapist's name and
    registration took 3 or 4 lines in a field a third of the row wide. A value too long for
    its field now has the row to itself: one line (two in large print), every word kept, read
    after the patient and before the dates."""
    [path] = [p for p in EXAMPLES if p.stem == "mid-back-ankle-hip-mobility"]
    rx = prescription(tmp_path, path.stem)
    data = json.loads(rx.read_text("utf-8"))
    credentials = "Physiotherapist, HCPC PH000000 (test registration)"
    data["therapist"] = {"name": "Sam Okafor-Lindqvist", "credentials": credentials}
    rx = write_json(tmp_path, "rx.json", data)
    pdf = render(path, prescription=str(rx), large_print=large_print)
    lines = "\n".join(pdftotext(pdf, tmp_path, layout=True)).splitlines()
    patient = next(i for i, line in enumerate(lines) if line.startswith("Patient "))
    dates = next(i for i, line in enumerate(lines) if "2026-12-01" in line)
    block = [" ".join(line.split()) for line in lines[patient + 1 : dates] if line.strip()]
    assert len(block) == (2 if large_print else 1)
    written = " ".join(block).replace("Prescribed by", "").split()
    assert written == f"Sam Okafor-Lindqvist, {credentials}".split()
    assert any(line.startswith("Prescribed by") for line in block)


def test_a_field_too_long_for_its_cell_gets_a_row_of_its_own_in_order():
    fields = [Field(label, value) for label, value in
              [("Patient", "A"), ("Date of birth", "B"), ("Prescribed by", "long"),
               ("Date", "C"), ("Start date", "D")]]  # fmt: skip
    rows = field_rows(fields, 3, lambda item: item.value == "long")
    assert [[item.label for item in row] for row in rows] == [
        ["Patient", "Date of birth"],
        ["Prescribed by"],
        ["Date", "Start date"],
    ]
    assert field_rows(fields, 1, lambda item: True) == [[item] for item in fields]
