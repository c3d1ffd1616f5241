"""H687: a note that names an exercise with a curly apostrophe or a dash was read as naming none.

RX016 refuses a prescription's note that gives an exercise a dose its dosage grid contradicts
("Do 30 repetitions of the lifter's bridge" when 8 are prescribed): the sheet would print both.
Typed on a phone ("lifter’s bridge") the note named no exercise, its numbers were read as the
whole programme's, and the contradiction was printed without a word.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import PROTOCOLS, REPO, run_protokit


@pytest.mark.parametrize(
    "named",
    [
        "lifter's bridge",
        "lifter\u2019s bridge",
        "lifter\u02bcs bridge",
        "lifter\u2019s\u00a0bridge",
    ],
    ids=["ascii", "right-quote", "modifier-letter", "no-break-space"],
)
def test_a_note_contradicting_the_dose_is_refused_however_its_apostrophe_is_typed(tmp_path, named):
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    library = tmp_path / "protocols" / "library" / "glute-bridge.json"
    exercise = json.loads(library.read_text(encoding="utf-8"))
    exercise["name"] = "Lifter's bridge"
    library.write_text(json.dumps(exercise, indent=2), encoding="utf-8")
    data = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text("utf-8"))
    data["notes"] = [f"Do 30 repetitions of the {named}."]  # 8 are prescribed (an override)
    (tmp_path / "rx.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_protokit("validate", "rx.json", cwd=tmp_path)
    assert result.code == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "RX016" in line]
    assert len(lines) == 1 and "for exercise 'glute-bridge'" in lines[0], result.stdout
