"""A path that does not exist, named to `protokit validate` (a CI step, a hook's `args`):
the line says which path of its folder it was probably meant to be."""

from __future__ import annotations

import shutil

from conftest import PROTOCOLS, run_protokit


def test_a_mistyped_folder_or_file_is_named_with_the_one_it_was_meant_to_be(tmp_path):
    """`protokit validate protocol/` in a repository whose protocols are in `protocols/` said
    only "no such file or folder": the clinic lead read the workflow line by line to find
    the missing letter (H1255)."""
    (tmp_path / "protocols").mkdir()
    shutil.copy(PROTOCOLS / "library" / "glute-bridge.json", tmp_path / "protocols")
    for typed, meant in (
        ("protocol/", "protocols/"),
        ("protocols/glute-brigde.json", "protocols/glute-bridge.json"),
    ):
        result = run_protokit("validate", typed, cwd=tmp_path)
        assert result.code == 2
        assert result.stderr.splitlines()[0] == (
            f"protokit: error: {typed}: no such file or folder (did you mean {meant}?)"
        )


def test_no_guess_when_no_name_is_close_or_the_folder_is_missing(tmp_path):
    (tmp_path / "protocols").mkdir()
    for typed in ("knees/", "nowhere/back.json"):
        result = run_protokit("validate", typed, cwd=tmp_path)
        assert result.code == 2
        assert result.stderr.splitlines()[0] == f"protokit: error: {typed}: no such file or folder"
