"""The example protocols and library, read as a reviewing clinician reads them: no patient text
explains the exercise by a mechanism no source supports (docs/safety/clinical-review.md)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from lint_helpers import lint_file

from conftest import PROTOCOLS
from protocol_kit.loading import iter_strings

# The shapes the examples' causal claims took: the exercise takes load or work off the back.
CAUSAL = re.compile(
    r"less of it reaches your (lower )?back|takes? (some )?load off|has less to do"
    r"|does not have to (twist|bend|work)|do less of the bending|pull on (your|the) lower back"
    r"|work against tight|protects? your (lower )?back|(lower )?back has to make up",
    re.IGNORECASE,
)
FILES = sorted(PROTOCOLS.glob("*.json")) + sorted((PROTOCOLS / "library").glob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_unsupported_causal_claim_in_patient_text(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    claims = [f"{pointer}: {value}" for pointer, value in iter_strings(data)
              if CAUSAL.search(value)]  # fmt: skip
    assert not claims, claims


# Asked of every example as a clinic might ask it: each exercise that lies on the back, bends
# the hip beyond 90 degrees or bends the spine forwards must carry the precaution (SAFE012;
# docs/safety/clinical-review.md, hazard H205).
SCREENING = [
    {"id": "pregnant", "question": "Are you pregnant?", "decides": ["screened"]},
    {"id": "hip", "question": "Have you had a hip replacement?", "decides": ["screened"]},
    {"id": "bones", "question": "Do you have osteoporosis?", "decides": ["screened"]},
]


@pytest.mark.parametrize("path", sorted(PROTOCOLS.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_is_ready_for_the_common_screening_questions(tmp_path, path):
    shutil.copytree(PROTOCOLS / "library", tmp_path / "library")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["screening"] = SCREENING
    target = tmp_path / path.name
    target.write_text(json.dumps(data), encoding="utf-8")
    found = [f.message for f in lint_file(target) if f.code == "SAFE012"]
    assert not found, found


@pytest.mark.parametrize("path", sorted(PROTOCOLS.glob("*.json")), ids=lambda p: p.stem)
def test_the_tailoring_leaves_the_harder_version_to_a_review(path):
    # A prescription changes only the dosage or leaves an exercise out, and the patient's sheet
    # does not print the harder version (docs/sheets.md): moving on is decided at a review,
    # never "chosen at the first appointment and recorded on the prescription".
    tailoring = json.loads(path.read_text(encoding="utf-8"))["delivery"]["tailoring"]
    harder = [s for s in re.split(r"(?<=\.)\s+", tailoring) if "harder" in s]
    assert harder, tailoring
    wrong = [s for s in harder
             if "review" not in s or "first appointment" in s or "prescription" in s]  # fmt: skip
    assert not wrong, wrong


def test_the_foam_roller_placement_is_a_caution_not_a_tip():
    # A safety statement is printed under "Take care", before the steps (docs/format.md).
    data = json.loads((PROTOCOLS / "library" / "mid-back-extension-foam-roller.json").read_text())
    statement = "Never put the roller under your lower back or your neck"
    advice = [p.get("patient_advice", "") for p in data["precautions"] if "id" not in p]
    assert [a for a in advice if a.startswith(statement)], advice
    assert [c for c in data["cues"] if "roller under" in c] == []


# What makes a tip a safety statement: where something must never go, a sign to act on, pain.
SAFETY_WORDS = re.compile(r"\b(never|numb\w*|tingl\w*|burning|pain\w*|stop|dizz\w*)\b", re.I)
MOVED = {
    "buttock-release-ball-wall": [
        "Stay on the soft muscle, never on bone such as your hip bone or tailbone.",
        "If you feel numbness, tingling or a burning feeling, move the ball: it is in the wrong "
        "place.",
    ],
    "knee-to-chest-stretch": ["Aim for a gentle pull, never pain."],
    "kneeling-hip-flexor-stretch": ["Aim for a gentle pull at the front of the hip, never pain."],
}


@pytest.mark.parametrize(
    "path", sorted((PROTOCOLS / "library").glob("*.json")), ids=lambda p: p.stem
)
def test_no_tip_is_a_safety_statement(path):
    # Tips print after the steps; a safety statement goes in "Take care" (a precaution's
    # patient_advice), printed before them (H248). Each moved statement kept word for word.
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [c for c in data.get("cues", ()) if SAFETY_WORDS.search(c)] == []
    advice = " | ".join(
        p.get("patient_advice", "") for p in data.get("precautions", ()) if "id" not in p
    )
    for statement in MOVED.get(path.stem, ()):
        assert statement in advice


# H460: texts of the hip-flexor sheet said in fewer words (issue 13's 2 pages). What each must
# still tell the patient, by file and JSON pointer: every instruction of the longer text.
SHORTENED = {
    ("hip-flexor-stretch-programme", "/safety/general_advice/3"): [
        "gentle pull", "stop before it hurts", "Pain is a warning sign: do not ignore it"],
    ("kneeling-hip-flexor-stretch", "/precautions/2/patient_advice"): [
        "If kneeling hurts your knee", "thicker cushion", "lying version"],
    ("kneeling-hip-flexor-stretch", "/regression"): ["lie on your back"],
    ("knee-to-chest-stretch", "/precautions/2/patient_advice"): [
        "pain down a leg", "stop doing it", "tell your therapist"],
    ("knee-to-chest-stretch", "/steps/2"): [
        "Lower the foot slowly back to the floor", "repeat with your left knee"],
    ("knee-to-chest-stretch", "/regression"): ["towel behind your thigh", "knee less"],
    ("knee-to-chest-stretch", "/purpose"): ["Stretches", "lower back", "buttock"],
}  # fmt: skip


@pytest.mark.parametrize(("stem", "pointer"), sorted(SHORTENED), ids=lambda v: str(v))
def test_the_shortened_hip_flexor_texts_keep_every_instruction(stem, pointer):
    path = PROTOCOLS / f"{stem}.json"
    path = path if path.exists() else PROTOCOLS / "library" / f"{stem}.json"
    value = json.loads(path.read_text(encoding="utf-8"))
    for key in pointer.strip("/").split("/"):
        value = value[int(key)] if isinstance(value, list) else value[key]
    missing = [phrase for phrase in SHORTENED[stem, pointer] if phrase not in value]
    assert missing == [], value
