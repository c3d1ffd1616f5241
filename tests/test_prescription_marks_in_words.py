"""H703/H704 in a prescription: a note the sheet prints under the clinician's name, written
with an accent or a dash inside a word ("Push thróugh the pain", "If you get ch–est pain, ring
me next week"), passed RX015 and RX018, which read it as written. TEXT004 now reads it as the
patient does, as for a protocol's texts."""

from __future__ import annotations

import json
import shutil

import pytest
from test_prescription_against_protocol import PROTOCOL, write_rx

from conftest import CLINIC_NUMBERS, PROTOCOLS, run_protokit

PUSH = "Push through the pain, it is good for you."
CHEST = "If you get chest pain, ring me at the clinic next week."


@pytest.fixture
def clinic(tmp_path):
    """A project: the example protocol, its library, prescriptions/ and the clinic's numbers."""
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    shutil.copytree(PROTOCOLS / "library", tmp_path / "protocols" / "library")
    shutil.copy(PROTOCOLS / f"{PROTOCOL}.json", tmp_path / "protocols")
    (tmp_path / "prescriptions").mkdir()
    return tmp_path


def codes_of(clinic, note, **changes):
    rx = write_rx(clinic, notes=[note], **changes)
    result = run_protokit("validate", "-f", "json", str(rx.relative_to(clinic)), cwd=clinic)
    files = json.loads(result.stdout)["files"]
    return [(f["code"], f["pointer"]) for report in files for f in report["findings"]]


@pytest.mark.parametrize(
    "note, plain_code, word, hidden",
    [
        (PUSH, "RX018", "through", "thr\u00f3ugh"),
        (PUSH, "RX018", "through", "thr\u2013ough"),
        (CHEST, "RX015", "chest", "ch\u00e9st"),
        (CHEST, "RX015", "chest", "ch\u2013est"),
        (CHEST, "RX015", "chest", "ch-est"),
    ],
)
def test_a_note_hiding_its_words_from_the_checks_is_text004(clinic, note, plain_code, word, hidden):
    assert codes_of(clinic, note) == [(plain_code, "/notes/0")]  # the control
    assert codes_of(clinic, note.replace(word, hidden, 1)) == [("TEXT004", "/notes/0")]


def test_the_same_when_the_protocol_is_not_found(clinic):
    found = codes_of(clinic, PUSH.replace("through", "thr\u00f3ugh"), protocol={"id": "neck-pain"})
    assert found == [("RX008", "/protocol/id"), ("TEXT004", "/notes/0")]


@pytest.mark.parametrize(
    "note",
    ["Mild soreness the next day is fine \u2013 keep going, caf\u00e9 or not.", "Don't rush."],
)
def test_a_note_whose_marks_hide_nothing_passes(clinic, note):
    assert codes_of(clinic, note) == []


def test_a_note_refused_for_a_character_is_said_once(clinic):
    # "pai\u0307n": a dot above that does not show (H647) is TEXT004 already.
    note = CHEST.replace("pain", "pai\u0307n")
    assert codes_of(clinic, note) == [("TEXT004", "/notes/0")]
