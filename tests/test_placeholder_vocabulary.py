"""One vocabulary of placeholders (`protocol_kit/lint/data/placeholders.json`) for TEXT003 in
protocols and RX003 in prescriptions: TEXT003 knew only "TODO", so that a step reading "Hold for
xx seconds" or "[insert number] times" passed `validate` and printed on the patient's sheet;
RX003 knew some more of its own. Each case below must be flagged, or must not be (real text
that looks like one)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_protokit
from protocol_kit.prescription import placeholder_findings

MINIMAL = REPO / "tests" / "cases" / "validate" / "valid" / "minimal-protocol" / "protocol.json"

# What a therapist leaves to fill in later.
LEFT = [
    "TODO: the last step",
    "Hold for xx seconds.",
    "Hold for XX seconds.",
    "Repeat TBC times.",
    "Reps: TBD",
    "tbc: ask the team",
    "Lift your leg [insert number] times.",
    "Say <your name> to the receptionist.",
    "Hold for {number} seconds.",
    "Hold for ___ seconds.",
    "Repeat ?? times.",
    "...",
    "\u2026",
    "[...]",
    "[patient name]",
    "To be confirmed.",
    "x",
    "Lorem ipsum dolor sit amet.",
]
# Real instructions that look like one.
WRITTEN = [
    "Breathe in... and out slowly.",
    "Do 3 x 10 twice a day.",
    "Haga todo el ejercicio despacio.",  # Spanish "todo": all
    "Nicht bei aktiver Tbc.",  # German: tuberculosis
    "Lie down (add a pillow under your head if you like).",
    "Are you able to kneel?",
    "Note: keep your back still.",
    "The number of sets is to be confirmed at your next visit.",
    "Bend your knee up to the X on the floor.",
    "Get an x-ray if your doctor asks for one.",
]


def _steps_checked(tmp_path, steps: list[str]) -> list[str]:
    data = json.loads(MINIMAL.read_text(encoding="utf-8"))
    data["exercises"][0]["steps"] = steps
    target = tmp_path / "protocol.json"
    target.write_text(json.dumps(data, indent=2), encoding="utf-8")
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    result = run_protokit("validate", "--format", "json", str(target))
    assert result.code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["files"][0]["findings"]
    return [f["pointer"] for f in findings if f["code"] == "TEXT003"]


def test_every_placeholder_a_therapist_leaves_is_an_error_in_a_protocol(tmp_path):
    assert _steps_checked(tmp_path, LEFT) == [f"/exercises/0/steps/{i}" for i in range(len(LEFT))]


def test_real_text_that_looks_like_a_placeholder_is_not_flagged(tmp_path):
    assert _steps_checked(tmp_path, WRITTEN) == []


@pytest.mark.parametrize(("texts", "flagged"), [(LEFT, True), (WRITTEN, False)])
def test_a_prescription_reads_the_same_vocabulary(texts, flagged):
    found = [f.pointer for f in placeholder_findings({"notes": texts})]
    assert found == ([f"/notes/{i}" for i in range(len(texts))] if flagged else [])


def _validated(folder, documents: dict[str, dict]) -> dict[str, list[str]]:
    """TEXT003's pointers in each file of `folder`, validated together (as a clinic's folder
    is: files alike share their parts, and the answers kept with them)."""
    shutil.copy(REPO / "protokit.toml", folder / "protokit.toml")
    for name, data in documents.items():
        (folder / name).write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_protokit("validate", "--format", "json", str(folder))
    assert result.code in (0, 1), result.stderr
    return {
        file["path"].rsplit("/", 1)[-1]: [
            f["pointer"] for f in file["findings"] if f["code"] == "TEXT003"
        ]
        for file in json.loads(result.stdout)["files"]
    }


def _with_references(texts: list[str]) -> dict:
    data = json.loads(MINIMAL.read_text(encoding="utf-8"))
    data["references"] = [{"citation": text} for text in texts]
    return data


def test_a_placeholder_where_no_patient_reads_is_found_without_a_todo(tmp_path):
    """H958: a reference, a clinician's text or an exercise's own field holding only "TBC" or
    "[insert ...]" passed, since the whole vocabulary was looked for outside the patient's texts
    only when the file held a TODO. Copies of one file share their parts: the answer kept
    with a clean copy's part is not the answer for a copy that differs in it."""
    left = _with_references(LEFT)
    clean = _with_references(WRITTEN)
    tailoring = json.loads(json.dumps(clean))
    tailoring["id"] = "back-basics-2"
    tailoring["delivery"]["tailoring"] = "TBC"
    note = json.loads(json.dumps(clean))
    note["id"] = "back-basics-3"
    note["exercises"][0]["x-review"] = "Dosage [insert number] agreed with the team."
    found = _validated(
        tmp_path,
        {"a.json": clean, "b.json": clean, "c.json": tailoring, "d.json": note, "e.json": left},
    )
    assert found == {
        "a.json": [],
        "b.json": [],
        "c.json": ["/delivery/tailoring"],
        "d.json": ["/exercises/0/x-review"],
        "e.json": [f"/references/{i}/citation" for i in range(len(LEFT))],
    }


def test_a_placeholder_inside_a_sign_off_or_a_management_note_is_found_without_another(tmp_path):
    """H989: the sign-off and the precautions' management notes were left to GOV008 and SAFE002,
    which judge a whole value ("x", "n/a"; SAFE002 only for a condition the protocol treats), so
    "Dr [insert name]" approving a programme, or "TBC" as how the therapist handles high blood
    pressure, passed in a file that held no placeholder elsewhere. A name or an abbreviation
    that holds the letters is no placeholder."""
    clean = json.loads(MINIMAL.read_text(encoding="utf-8"))
    clean["sign_off"] = {
        "name": "Dr Insertion",
        "profession": "physiotherapist",
        "registration": {"body": "HCPC", "number": "PH123456"},
        "date": "2026-01-12",
    }
    clean["safety"]["precautions"] = [
        {
            "coding": {
                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                "code": "I10",
                "display": "Essential (primary) hypertension",
            },
            "description": "Blood pressure may rise while holding a position.",
            "management": "Screen for MTBC before starting; check blood pressure first.",
        }
    ]
    signed = json.loads(json.dumps(clean))
    signed["id"] = "signed"
    signed["sign_off"]["name"] = "Dr [insert name]"
    managed = json.loads(json.dumps(clean))
    managed["id"] = "managed"
    managed["safety"]["precautions"][0]["management"] = "TBC"
    found = _validated(tmp_path, {"a.json": clean, "b.json": signed, "c.json": managed})
    assert found == {
        "a.json": [],
        "b.json": ["/sign_off/name"],
        "c.json": ["/safety/precautions/0/management"],
    }
