"""Whether a library exercise's notes (its muscles, its conditions' notes, its pictures'
credits, its authors and references: `model.exercise_notes`) hold a placeholder (TEXT003) or a
character the sheet cannot print (TEXT004), kept for the run by the library file
(`lint.base.library_notes_of`) and asked by the engine of each library exercise new to the
run (issue 17, thirty-first sitting, H1277): two libraries with an exercise of the same id,
one with such a note, in one run in either order: only the files that use that one are told."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lint_helpers import TODAY, library_exercise, minimal

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.engine import Linter, LintSettings

NOTES = {
    "TEXT003": "TODO: muscle",
    "TEXT004": "gluteus\u200b maximus",  # a zero-width space
}


def _clinic(folder: Path, muscle: str | None) -> list[str]:
    """A folder with its own library (its `cat-cow` working `muscle`, or none) and two
    protocols that use it, one overriding the dosage."""
    folder.mkdir()

    def change(body: dict) -> None:
        if muscle is not None:
            body["targets"]["muscles"] = [muscle]

    library_exercise(folder, change)
    paths = []
    for index, entry in enumerate(({"ref": "cat-cow"}, {"ref": "cat-cow", "dosage": {"sets": 3}})):
        data = minimal()
        data["id"] = f"{folder.name}-{index}"
        data["exercises"] = [entry]
        path = folder / f"{folder.name}-{index}.json"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("code", sorted(NOTES))
def test_a_note_of_one_library_s_exercise_is_found_only_at_its_files(tmp_path, code):
    noted = _clinic(tmp_path / "noted", NOTES[code])
    plain = _clinic(tmp_path / "plain", None)
    for order in (noted + plain, plain + noted, [*reversed(plain), *noted]):
        for share_parts in (False, True):
            linter = Linter(LintSettings(today=TODAY))
            checker = FileChecker(CheckOptions(hooks=(linter,), share_parts=share_parts))
            for path in order:
                found = [f.pointer for f in checker.check(path).findings if f.code == code]
                expected = ["/exercises/0"] if path in noted else []
                assert found == expected, (path, order.index(path), share_parts)
