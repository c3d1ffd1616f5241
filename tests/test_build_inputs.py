"""`build` makes a sheet only from files unchanged since it checked them (H1421): a protocol or
library file saved while the build runs (an editor, `git pull`, a script) is refused with
PDF001, never printed unchecked by the clinical safety rules."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import PROTOCOLS, REPO, run_protokit

PSOAS = "psoas-stretch-glute-bridge"


@pytest.fixture
def clinic(tmp_path):
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    shutil.copyfile(REPO / "protokit.toml", tmp_path / "protokit.toml")
    return tmp_path


def _without_most_red_flags(path) -> None:
    """The change an unchecked save could bring: the red flags SAFE005 asks for, deleted."""
    data = json.loads(path.read_text("utf-8"))
    data["safety"]["red_flags"] = data["safety"]["red_flags"][:1]
    path.write_text(json.dumps(data, indent=2) + "\n", "utf-8")


def _changed_after(monkeypatch, clinic, step: str, name: str) -> None:
    """The file `name` saved by another program just after the build's `step`."""
    from protocol_kit.app import build

    real = getattr(build, step)

    def then_saved(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        answer = real(*args, **kwargs)
        target = clinic / "protocols" / name
        if name.startswith("library/"):
            data = json.loads(target.read_text("utf-8"))
            data["name"] = data["name"] + " (changed)"
            target.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
        else:
            _without_most_red_flags(target)
        return answer

    monkeypatch.setattr(build, step, then_saved)


def test_the_change_is_one_the_safety_rules_refuse(clinic):
    target = clinic / "protocols" / f"{PSOAS}.json"
    _without_most_red_flags(target)
    result = run_protokit("validate", str(target), cwd=clinic)
    assert result.code == 1 and "SAFE005" in result.stdout


@pytest.mark.parametrize(
    "step, name",
    [
        ("check_paths", f"{PSOAS}.json"),  # saved between the checks and the sheets' planning
        ("_sheet_tasks", f"{PSOAS}.json"),  # saved while the sheets are made
        ("_sheet_tasks", "library/glute-bridge.json"),  # a library exercise the sheet prints
    ],
)
def test_a_file_saved_during_the_build_makes_no_sheet(monkeypatch, clinic, step, name):
    """H1421: a protocol saved between `build`'s checks and its sheet was printed from what
    the safety rules never saw (here: without the red flags SAFE005 requires; 193 sheets
    "built" in a 216-protocol build, the saved one among them, its report clean)."""
    _changed_after(monkeypatch, clinic, step, name)
    result = run_protokit(
        "build", "protocols", "-o", "out", "--no-bundle", "--jobs", "1", cwd=clinic
    )
    assert result.code == 1, result.stdout + result.stderr
    said = f"protocols/{name} changed while the build ran, after it was checked"
    # (a library exercise: each protocol that prints it)
    lines = [line for line in result.stdout.splitlines() if "PDF001" in line]
    assert lines and all(said in line for line in lines), lines
    assert any(line.startswith(f"protocols/{PSOAS}.json: error PDF001 ") for line in lines)
    assert not (clinic / "out" / f"{PSOAS}.pdf").exists()
    made = len(list((clinic / "out").glob("*.pdf")))
    assert made == 5 - len(lines) and made > 0  # the others made as before


def test_an_unchanged_folder_builds_every_sheet(clinic):
    result = run_protokit(
        "build", "protocols", "-o", "out", "--no-bundle", "--jobs", "1", cwd=clinic
    )
    assert result.code == 0, result.stdout + result.stderr
    assert len(list((clinic / "out").glob("*.pdf"))) == 5
