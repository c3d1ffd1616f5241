"""docs/walkthrough.md's "short way", run as a therapist pastes it (thirty-first sitting, users):
a clinic folder with the example exercises, a coded protocol of two of them, one patient's
prescription in prescriptions/ and the sheet printed from it. Each text the commands leave to
the therapist is written in between, as an editor would; the counts the page gives (the 6
TODOs) are checked, so that the page cannot tell a newcomer a path that no longer works."""

from __future__ import annotations

import json
import re
import shlex

from conftest import REPO, run_protokit

DOC = REPO / "docs" / "walkthrough.md"
CLINIC = REPO / "docs" / "examples" / "walkthrough" / "protokit.toml"
# What the therapist writes in place of each TODO of the new protocol, by its field.
THERAPIST_TEXTS = {
    "title": "Gentle exercises for low back pain",
    "summary": "Two gentle exercises to keep your lower back moving.",
    "name": "Sam Taylor",
    "credentials": "Physiotherapist, HCPC PH123456",
    "description": "A broken bone in the spine that has not yet healed.",
    "education": "Staying active helps low back pain get better.",
}


def short_way() -> tuple[list[str], int]:
    """The block's commands, and the number of TODOs it says a new protocol has."""
    text = DOC.read_text("utf-8")
    block = re.search(r"\*\*The short way\*\*.*?```sh\n(.*?)```", text, re.S).group(1)
    todos = int(re.search(r"# its (\d+) TODOs", block).group(1))
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()], todos


def written(path, replace) -> None:
    """Every TODO of a JSON file replaced by `replace(pointer-ish key, text)`."""

    def walk(value, key):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and "TODO" in value:
            return replace(key, value)
        return value

    data = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps(walk(data, ""), indent=2, ensure_ascii=False), "utf-8")


def test_the_short_way_ends_with_the_patient_s_sheet(tmp_path):
    commands, todos = short_way()
    assert commands[1] == "cd my-clinic"
    folder = tmp_path
    for command in commands:
        words = shlex.split(command)
        if words[0] == "cd":
            folder = folder / words[1]
            # "then open my-clinic/protokit.toml: replace every TODO"
            (folder / "protokit.toml").write_text(CLINIC.read_text("utf-8"), "utf-8")
            continue
        assert words[0] == "protokit", command
        result = run_protokit(*words[1:], cwd=folder)
        if words[1:3] == ["validate", "back-care.json"]:
            # "its 6 TODOs: replace each in back-care.json, then again"
            assert result.code == 1 and result.stdout.count(" TEXT003 ") == todos, result.stdout
            written(folder / "back-care.json", lambda key, _: THERAPIST_TEXTS[key])
            result = run_protokit(*words[1:], cwd=folder)
        elif words[1:3] == ["validate", "prescriptions/alex.json"]:
            # "a goal and each exercise's dosage: change or delete"
            assert result.code == 1, result.stdout
            rx = folder / "prescriptions" / "alex.json"
            data = json.loads(rx.read_text("utf-8"))
            data["overrides"] = data["overrides"][:1]
            data["overrides"][0]["dosage"]["repetitions"] = 12
            data["overrides"][0]["reason"] = "Twelve tilts are comfortable for Alex."
            data["goals"] = [{"text": "Walk to the shops without stopping", "by": "2027-03-01"}]
            rx.write_text(json.dumps(data, indent=2), "utf-8")
            result = run_protokit(*words[1:], cwd=folder)
        assert result.code == 0, (command, result.stdout, result.stderr)
    assert "wrote prescriptions/alex.pdf" in result.stdout + result.stderr
    from pypdf import PdfReader

    pages = PdfReader(str(folder / "prescriptions" / "alex.pdf")).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Alex Smith" in text and "Walk to the shops without stopping" in text
    assert "DRAFT — not reviewed for patient use" in text  # until it is signed off
