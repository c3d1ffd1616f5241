"""SAFE006 and SAFE013 keep one answer for a library exercise whatever numbers a reference
gives it (issue 17, fifteenth sitting, H721): they read an exercise's texts and precautions
(SAFE013 its intensity text too), none of its numbers, so a file that gives the exercise other
sets gets the library text's findings at its own reference, and a file that overrides the
intensity with its own words gets the finding about that text, which is in the protocol. Each
run of several files is compared with each file checked alone, whose answer cannot come from
another file."""

from __future__ import annotations

import json
import shutil

from test_exercise_place import SIGN, _alone_and_together, _write_dosage_variants

from conftest import CLINIC_NUMBERS, REPO

THROUGH_PAIN = "Push through the pain."


def _where(found: list[tuple], code: str) -> list[tuple[str, str]]:
    """(pointer, where in the message the finding is) of each finding of `code`."""
    return [
        (f[1], f[4].split(" (at ")[1].split(",")[0] if " (at " in f[4] else "")
        for f in found
        if f[0] == code
    ]


def test_a_library_exercise_under_other_numbers_keeps_its_safety_findings(tmp_path):
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    folder = tmp_path / "protocols"
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    library = folder / "library" / "glute-bridge.json"
    data = json.loads(library.read_text("utf-8"))
    data["steps"][0] += SIGN  # SAFE006: chest pain sent to the next visit
    data["steps"][1] += " " + THROUGH_PAIN  # SAFE013
    library.write_text(json.dumps(data, indent=2), encoding="utf-8")
    source = json.loads((folder / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    overrides = {
        "sets-3.json": {"sets": 3},
        "sets-1.json": {"sets": 1, "repetitions": 5},
        "own-words.json": {"sets": 3, "intensity": "Keep going even if it hurts."},
    }
    _write_dosage_variants(folder, source, overrides)
    names = ["sets-3.json", "own-words.json", "sets-1.json", "psoas-stretch-glute-bridge.json"]
    found = _alone_and_together(folder, names)
    at_reference = [("/exercises/1", "")]
    library_step = [("/exercises/1", "/steps/1")]
    assert {name: _where(found[name], "SAFE006") for name in names} == dict.fromkeys(
        names, at_reference
    ), found
    own_intensity = [("/exercises/1", "/exercises/1/dosage/intensity")]
    assert {name: _where(found[name], "SAFE013") for name in names} == {
        "sets-3.json": library_step,
        "own-words.json": own_intensity + library_step,
        "sets-1.json": library_step,
        "psoas-stretch-glute-bridge.json": library_step,
    }, found
    for name in names:  # the red flag's message names the library exercise it is in
        (routing,) = [f[4] for f in found[name] if f[0] == "SAFE006"]
        assert "library exercise 'glute-bridge'" in routing, routing
