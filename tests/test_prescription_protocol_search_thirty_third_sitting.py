"""The search for a prescription's protocol beside it (`prescribing.locate`) meeting a name
that is no file (H1522): a link to nothing among the files, and the prescription read from
standard input, ended `validate`, `render` and `new prescription --from` in "No such file or
directory"."""

from __future__ import annotations

import os
import shutil

from conftest import REPO, run_protokit


def clinic(tmp_path):
    folder = tmp_path / "clinic"
    shutil.copytree(REPO / "protocols", folder)
    shutil.copy(REPO / "protokit.toml", folder / "protokit.toml")
    (folder / "prescriptions").mkdir()
    shutil.copy(REPO / "docs" / "examples" / "prescription-psoas.json", folder / "prescriptions")
    return folder


def test_a_link_to_nothing_beside_a_prescription_is_passed_over(tmp_path):
    folder = clinic(tmp_path)
    os.symlink(tmp_path / "gone.json", folder / "prescriptions" / "gone.json")
    named = "prescriptions/prescription-psoas.json"
    result = run_protokit("validate", named, cwd=folder)
    assert (result.code, result.stderr) == (0, "checked 1 file: all valid\n"), result
    result = run_protokit(
        "new", "prescription", "--from", named, "-o", "prescriptions/next.json", cwd=folder
    )
    assert result.code == 0 and (folder / "prescriptions" / "next.json").is_file(), result


def test_a_prescription_from_standard_input_finds_its_protocol(tmp_path):
    folder = clinic(tmp_path)
    sent = (folder / "prescriptions" / "prescription-psoas.json").read_bytes()
    result = run_protokit("validate", "-", stdin=sent, cwd=folder / "prescriptions")
    assert (result.code, result.stderr) == (0, "checked 1 file: all valid\n"), result
