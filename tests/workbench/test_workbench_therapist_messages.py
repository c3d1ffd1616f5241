"""What the workbench's page says to a therapist who is still editing: why the preview waits
(H1155)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from workbench_helpers import clinic_with_a_new_exercise

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EXAMPLE = "psoas-stretch-glute-bridge.json"


def test_the_preview_of_a_changed_protocol_says_why_the_version_must_go_up(tmp_path):
    # GOV004 stops the sheet on purpose (every page prints the version), but the preview
    # said only "the content changed since HEAD but the version is still 1.0.6: raise it,
    # so that the two can be told apart": a therapist changing a dose saw no sheet and no
    # reason a preview needs a new version.
    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import NotPrintable, Workbench

    folder = tmp_path / "clinic"
    shutil.copytree(REPO / "protocols", folder)
    shutil.copy(REPO / "protokit.toml", folder / "protokit.toml")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "first"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=folder, check=True, capture_output=True,
        )  # fmt: skip
    bench = Workbench(Folder(folder))
    data = json.loads((folder / EXAMPLE).read_text(encoding="utf-8"))
    data["exercises"][0]["dosage"]["sets"] = 3
    with pytest.raises(NotPrintable) as refused:
        bench.protocol_sheet(EXAMPLE, data)
    said = str(refused.value)
    assert "the version is still 1.0.6" in said
    assert "the sheet prints the version on every page" in said
    assert "raise Version in the form to see and print it" in said
    data["version"] = "1.0.7"
    assert bench.protocol_sheet(EXAMPLE, data).startswith(b"%PDF")


def test_a_library_text_s_finding_says_its_place_in_that_exercise_s_form(tmp_path):
    # The list said "placeholder left (at /cues/0, library exercise 'glute-bridge',
    # library/glute-bridge.json): ... (change it in library/glute-bridge.json, line 31)": a
    # JSON pointer and a line, a text editor's words, where the page is a form (H1157).
    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import Workbench

    folder = clinic_with_a_new_exercise(tmp_path)
    bench = Workbench(Folder(folder))
    data = json.loads((folder / EXAMPLE).read_text(encoding="utf-8"))
    said = bench.findings_json(bench.check(EXAMPLE, data).findings, data)
    (todo,) = [f for f in said if f["code"] == "TEXT003"]
    assert todo["library"]["open"] == "library/glute-bridge.json"
    assert todo["library"]["where"] == "Tip 1"
    assert todo["message"] == 'placeholder left: "TODO: a short reminder": write the real text'
