"""The README's "Write a protocol" layout, followed as a therapist does: a new protocol in
`drafts/`, a new library exercise in `drafts/library/`, the patient's prescription beside the
folder, and `protokit validate drafts/`.

Each `TODO` of a new library exercise was listed twice when both files were checked (at the
library file and again at the protocol's `/exercises/N`), and the prescription's overrides
were not checked against a protocol in `drafts/` until `render` (RX008, H717)."""

from __future__ import annotations

import json

from conftest import CLINIC_NUMBERS, run_protokit
from protocol_kit.starter.conditions import starting_red_flags


def drafted(folder):
    (folder / "protokit.toml").write_text(CLINIC_NUMBERS, "utf-8")
    (folder / "library").mkdir()
    for args in (
        ("exercise", "wall-slide", "-o", "drafts/library/wall-slide.json"),
        ("protocol", "shoulder-pain", "-e", "wall-slide", "-o", "drafts/shoulder-pain.json"),
    ):
        made = run_protokit("new", *args, cwd=folder)
        assert made.code == 0, made.stderr
    return folder


def findings_by_file(folder, *paths):
    result = run_protokit("validate", "--format", "json", *paths, cwd=folder)
    return {f["path"]: f["findings"] for f in json.loads(result.stdout)["files"]}


def test_a_new_library_exercise_s_todos_are_listed_once_at_the_library_file(tmp_path):
    folder = drafted(tmp_path)
    found = findings_by_file(folder, "drafts/")
    library = [f for f in found["drafts/library/wall-slide.json"] if f["code"] == "TEXT003"]
    assert {f["pointer"] for f in library} >= {"/name", "/steps/0", "/dosage/intensity"}
    protocol = found["drafts/shoulder-pain.json"]
    # The protocol keeps its own TODOs (its title), and one line for the exercise, an error
    # naming the file where they are listed (so that the protocol still fails).
    assert any(f["pointer"] == "/title" for f in protocol)
    (waits,) = [f for f in protocol if f["pointer"].startswith("/exercises/")]
    assert waits["severity"] == "error" and waits["pointer"] == "/exercises/0"
    # As many as the library file lists: its "TODO: muscle" too (it said 11, H1019).
    assert len(found["drafts/library/wall-slide.json"]) == 12
    assert waits["message"].startswith(
        "library exercise drafts/library/wall-slide.json is not finished: fix the 12 findings "
        "listed at that file"
    )
    template = [
        p for p, findings in found.items() for f in findings if "template set" in f["message"]
    ]
    assert template == ["drafts/library/wall-slide.json"]  # GOV007's words, once


def test_a_protocol_whose_library_exercise_has_a_todo_gets_no_sheet(tmp_path):
    """The protocol's copies of its exercise's TODOs are left to the library file in a run
    that checks both; the protocol still fails there, so `build` writes no sheet with a
    `TODO` on it."""
    folder = drafted(tmp_path)
    _fill_every_todo(folder)
    exercise_path = folder / "drafts" / "library" / "wall-slide.json"
    exercise = json.loads(exercise_path.read_text("utf-8"))
    exercise["regression"] = "TODO: how to make it easier"
    exercise_path.write_text(json.dumps(exercise), "utf-8")
    result = run_protokit("build", "drafts", "-o", "out", cwd=folder)
    assert result.code == 1
    assert list(folder.glob("out/*.pdf")) == []
    assert "drafts/shoulder-pain.json" in result.stdout + result.stderr


def test_the_protocol_alone_still_names_its_library_exercise_s_todos(tmp_path):
    """Checked without its library file, the protocol is where they show."""
    folder = drafted(tmp_path)
    protocol = findings_by_file(folder, "drafts/shoulder-pain.json")["drafts/shoulder-pain.json"]
    at_exercise = [f for f in protocol if f["pointer"] == "/exercises/0"]
    assert {f["code"] for f in at_exercise} == {"TEXT003", "GOV007"}
    assert all("drafts/library/wall-slide.json" in f["message"] for f in at_exercise)


def test_a_prescription_is_checked_against_its_protocol_in_drafts(tmp_path):
    folder = drafted(tmp_path)
    protocol_path = folder / "drafts" / "shoulder-pain.json"
    protocol = json.loads(protocol_path.read_text("utf-8"))
    protocol["title"] = protocol["summary"] = "Shoulder pain: exercises at home"
    protocol_path.write_text(json.dumps(protocol), "utf-8")
    made = run_protokit(
        "new", "prescription", "alex.json", "--protocol", "drafts/shoulder-pain.json", cwd=folder
    )
    assert made.code == 0, made.stderr
    rx = json.loads((folder / "alex.json").read_text("utf-8"))
    rx["overrides"] = [{"exercise": "no-such-exercise", "omit": True, "reason": "Not today."}]
    (folder / "alex.json").write_text(json.dumps(rx), "utf-8")
    # The protocol still has TODOs: the prescription waits for it, without RX008's "not found".
    codes = {f["code"] for f in findings_by_file(folder, "alex.json")["alex.json"]}
    assert "RX008" not in codes
    # Made valid, the protocol is found in drafts/ and the override checked against it.
    _fill_every_todo(folder)
    assert run_protokit("validate", "drafts/", cwd=folder).code == 0
    found = findings_by_file(folder, "alex.json")["alex.json"]
    codes = {f["code"] for f in found}
    assert "RX008" not in codes
    assert any(
        "no-such-exercise" in f["message"] for f in found if f["pointer"].startswith("/overrides/0")
    ), found


def _fill_every_todo(folder):
    """The drafts as a therapist leaves them: every TODO written, the exercise's own choices."""
    exercise_path = folder / "drafts" / "library" / "wall-slide.json"
    exercise = json.loads(exercise_path.read_text("utf-8"))
    exercise.update(
        name="Sliding the arms up a wall",
        type="mobilisation",
        laterality="bilateral",
        purpose="It helps you lift your arms further with less pain.",
        starting_position="Stand facing a wall with your forearms resting on it.",
        steps=["Slide your forearms up the wall.", "Slide them slowly back down."],
        cues=["Keep your shoulders away from your ears."],
        common_mistakes=["Arching your lower back to reach higher."],
        progression="Lift your forearms off the wall at the top.",
        regression="Slide only halfway up the wall.",
    )
    exercise["targets"] = {"muscles": ["serratus anterior"], "regions": ["shoulder"]}
    exercise["dosage"] = {
        "sets": 2, "repetitions": 10, "side": "both", "sessions_per_day": 1,
        "days_per_week": 7, "intensity": "A gentle stretch, never sharp pain.",
    }  # fmt: skip
    exercise_path.write_text(json.dumps(exercise), "utf-8")
    protocol_path = folder / "drafts" / "shoulder-pain.json"
    protocol = json.loads(protocol_path.read_text("utf-8"))
    protocol["authors"] = [{"name": "Sam Example", "credentials": "Physiotherapist"}]
    protocol["indications"] = [
        {
            "system": "http://hl7.org/fhir/sid/icd-10-cm",
            "code": "M75.41",
            "display": "Impingement syndrome of right shoulder",
        }
    ]
    # The shoulder's red flags, as `protokit new protocol -c M75.41` starts them (H1003).
    protocol["safety"]["red_flags"] += starting_red_flags(protocol["indications"])[0]
    protocol["safety"]["contraindications"] = [
        {"description": "A recent shoulder dislocation that has not been assessed."}
    ]
    protocol["delivery"]["education"] = ["Shoulder pain usually eases with regular exercise."]
    protocol_path.write_text(json.dumps(protocol), "utf-8")


def test_a_prescription_whose_protocol_is_not_valid_yet_says_so(tmp_path):
    """A protocol in `drafts/` with a misspelt field cannot be read as a protocol: the
    prescription's overrides wait for it, and `validate alex.json` said "all valid" (H720)."""
    folder = drafted(tmp_path)
    made = run_protokit(
        "new", "prescription", "alex.json", "--protocol", "drafts/shoulder-pain.json", cwd=folder
    )
    assert made.code == 0, made.stderr
    protocol_path = folder / "drafts" / "shoulder-pain.json"
    text = protocol_path.read_text("utf-8").replace('"stop_criteria"', '"stop_criterea"')
    protocol_path.write_text(text, "utf-8")
    found = findings_by_file(folder, "alex.json")["alex.json"]
    (waiting,) = [f for f in found if f["code"] == "RX008"]
    assert waiting["severity"] == "warning" and waiting["pointer"] == "/protocol/id"
    assert "'shoulder-pain' was found but is not valid yet" in waiting["message"]
