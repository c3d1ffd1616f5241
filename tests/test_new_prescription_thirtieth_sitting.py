"""`protokit new prescription`, as a therapist met it in the thirtieth sitting's users' round:
what its message asks to fill in is what the file holds, and the prescriber is the one who
prescribes, never the protocol's author taken for them."""

from __future__ import annotations

import json

from conftest import REPO, run_protokit

NECK = REPO / "docs" / "examples" / "walkthrough" / "neck-stiffness.json"


def _new(tmp_path, *options):
    result = run_protokit(
        "new", "prescription", "rx.json", "--protocol", str(NECK), *options, cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    return result, json.loads((tmp_path / "rx.json").read_text(encoding="utf-8"))


def test_a_protocol_without_measures_is_not_asked_for_outcome_measures_to_fill_in(tmp_path):
    """Of a protocol that names no outcome measure, the message asked to fill in "the goals
    and outcome measures", two lines above saying the protocol names none: the file holds
    no measure to fill in (H1250)."""
    result, data = _new(tmp_path)
    assert "measures" not in data
    fill_in = next(line for line in result.stderr.splitlines() if "Fill in every TODO" in line)
    assert fill_in.endswith("the goals: delete what you do not use), and check the dates.")
    assert "outcome measure" not in fill_in
    assert "The protocol names no outcome measure" in result.stderr


def test_the_prescriber_is_never_taken_from_the_protocols_authors(tmp_path):
    """The sheet prints the prescription's therapist as "Prescribed by" and beside the
    signature line: who wrote the protocol (perhaps at another clinic, as an imported
    protocol's author is) is not who saw this patient, so the name is the prescriber's own,
    given with --therapist or written over the TODO (H1251)."""
    _, data = _new(tmp_path)
    assert data["therapist"]["name"].startswith("TODO: ")
    assert data["therapist"]["credentials"].startswith("TODO: ")
    assert "Jo Example" not in json.dumps(data)
    _, given = _new(tmp_path, "--therapist", "Sam Okafor", "--credentials", "Physio", "--force")
    assert given["therapist"] == {"name": "Sam Okafor", "credentials": "Physio"}
