"""GitHub annotations name files from the repository's root, as GitHub places them."""

from __future__ import annotations

import shutil
import subprocess

from conftest import CASES, run_protokit

BAD = CASES / "validate" / "invalid" / "wrong-enum-side" / "protocol.json"


def annotations(*args, cwd):
    result = run_protokit("validate", "--format", "github", *args, cwd=cwd)
    return result, [line for line in result.stdout.splitlines() if line.startswith("::")]


def test_from_a_subfolder_of_a_repository_paths_start_at_its_root(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    folder = tmp_path / "clinic" / "protocols"
    folder.mkdir(parents=True)
    shutil.copy(BAD, folder / "back.json")
    result, lines = annotations("back.json", cwd=folder)
    assert result.code == 1
    assert lines and all(
        line.startswith("::error file=clinic/protocols/back.json,") for line in lines
    )


def test_outside_a_repository_paths_start_at_the_current_folder(tmp_path):
    folder = tmp_path / "protocols"
    folder.mkdir()
    shutil.copy(BAD, folder / "back.json")
    _, lines = annotations("protocols/back.json", cwd=tmp_path)
    assert lines[0].startswith("::error file=protocols/back.json,line=")


def test_a_missing_path_is_an_error_annotation(tmp_path):
    result, lines = annotations("gone.json", cwd=tmp_path)
    assert result.code == 2
    assert lines == ["::error title=IO001::gone.json: no such file or folder"]
