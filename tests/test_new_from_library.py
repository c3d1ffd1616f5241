"""`protokit new protocol ID --exercise REF...`: a therapist making a knee programme from
exercises already in the clinic's library had to delete the template's exercise and write each
reference by hand (H438). The ids are checked before anything is written."""

from __future__ import annotations

import json
import shutil

from conftest import CLINIC_NUMBERS, REPO, run_protokit


def clinic(folder):
    shutil.copytree(REPO / "protocols" / "library", folder / "library")
    (folder / "protokit.toml").write_text(CLINIC_NUMBERS, "utf-8")
    return folder


def test_the_protocol_refers_to_the_library_exercises_in_order(tmp_path):
    folder = clinic(tmp_path)
    refs = ["lying-knee-rolls", "glute-bridge", "knee-to-wall-ankle-mobilisation"]
    args = [a for ref in refs for a in ("-e", ref)]
    result = run_protokit("new", "protocol", "knee-rehab", *args, cwd=folder)
    assert result.code == 0, result.stderr
    assert "check the values set to make it valid (condition code)" in result.stderr
    written = json.loads((folder / "knee-rehab.json").read_text("utf-8"))
    assert written["exercises"] == [{"ref": ref} for ref in refs]
    report = run_protokit("validate", "--format", "json", "knee-rehab.json", cwd=folder)
    codes = {f["code"] for f in json.loads(report.stdout)["files"][0]["findings"]}
    assert "REF001" not in codes and "GOV007" not in codes  # no template exercise left
    assert "TEXT003" in codes  # the protocol's own TODOs remain


def test_an_unknown_or_repeated_exercise_writes_nothing(tmp_path):
    folder = clinic(tmp_path)
    result = run_protokit("new", "protocol", "knee-rehab", "-e", "glute-brige", cwd=folder)
    assert result.code == 2
    assert result.stderr == (
        "protokit: error: no library exercise with id 'glute-brige' (searched: library) (did "
        "you mean 'glute-bridge'?); `protokit new exercise ID` writes a new one\n"
    )
    twice = run_protokit(
        "new", "protocol", "knee-rehab", "-e", "glute-bridge", "-e", "glute-bridge", cwd=folder
    )
    assert twice.code == 2 and "--exercise glute-bridge is given twice" in twice.stderr
    assert not (folder / "knee-rehab.json").exists()


def test_without_exercises_the_template_has_one_to_write_out(tmp_path):
    result = run_protokit("new", "protocol", "knee-rehab", cwd=tmp_path)
    assert result.code == 0
    written = json.loads((tmp_path / "knee-rehab.json").read_text("utf-8"))
    assert [e["id"] for e in written["exercises"]] == ["first-exercise"]


def test_a_library_one_folder_down_is_named_as_where_to_write_the_protocol(tmp_path):
    """In the source folder, the README's `protokit new protocol back-care -c M54.50 -e
    glute-bridge` said only "(searched: no library folder found)": the examples' library is
    protocols/library, one folder down. The message names it, and where to write the file."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    result = run_protokit("new", "protocol", "back-care", "-e", "glute-bridge", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr == (
        "protokit: error: no library exercise with id 'glute-bridge' (searched: no library "
        "folder beside or above the new file); protocols/library has it: write the protocol "
        "beside it (-o protocols/back-care.json); `protokit new exercise ID` writes a new one\n"
    )
    other = run_protokit("new", "protocol", "back-care", "-e", "wall-squat", cwd=tmp_path)
    assert "has it" not in other.stderr  # a library without it is not offered
    assert not (tmp_path / "back-care.json").exists()
