"""`build` makes a sheet only from files unchanged since it checked them (H1421): a protocol or
library file saved while the build runs (an editor, `git pull`, a script) is refused with
PDF001, never printed unchecked by the clinical safety rules."""

from __future__ import annotations

import json
import os
import shutil
import time
from types import SimpleNamespace

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


class _TimesToTheSecond:
    """`os` as build_inputs sees it on a filesystem that keeps times to the second and no
    change time of its own (FAT: the change time is the modification time)."""

    def __getattr__(self, name):  # noqa: ANN001, ANN204
        return getattr(os, name)

    @staticmethod
    def stat(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN205
        real = os.stat(path, *args, **kwargs)
        second = real.st_mtime_ns // 1_000_000_000 * 1_000_000_000
        return SimpleNamespace(
            st_ino=real.st_ino,
            st_size=real.st_size,
            st_mode=real.st_mode,
            st_mtime_ns=second,
            st_ctime_ns=second,
        )


def test_a_same_second_save_of_the_same_size_makes_no_sheet(monkeypatch, clinic):
    """H1476: a protocol written just before the build and saved again in place within the
    same second, at the same size (or its time set back with `touch -r`), has the inode,
    size and times it had: on a filesystem that keeps times to the second it was printed
    from what the checks never saw. Its bytes are compared too when it was written then."""
    from protocol_kit.app import build, build_inputs

    monkeypatch.setattr(build_inputs, "os", _TimesToTheSecond())
    target = clinic / "protocols" / f"{PSOAS}.json"
    soon = time.time_ns() + 2_000_000_000  # (written just then, whatever the run's speed)
    os.utime(target, ns=(soon, soon))
    real = build.check_paths

    def then_saved_in_place(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        answer = real(*args, **kwargs)
        before = os.stat(target)
        text = target.read_bytes()
        changed = text.replace(b'"title": "Lower', b'"title": "LOWER', 1)  # still valid
        assert len(changed) == len(text) and changed != text
        with open(target, "r+b") as file:  # the same inode, the same size
            file.write(changed)
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r
        return answer

    monkeypatch.setattr(build, "check_paths", then_saved_in_place)
    result = run_protokit(
        "build", "protocols", "-o", "out", "--no-bundle", "--jobs", "1", cwd=clinic
    )
    assert result.code == 1, result.stdout + result.stderr
    assert f"protocols/{PSOAS}.json changed while the build ran" in result.stdout
    assert not (clinic / "out" / f"{PSOAS}.pdf").exists()


@pytest.mark.parametrize("library_is_a_link", [False, True])
def test_a_library_exercise_outside_the_paths_given_saved_during_the_build(
    monkeypatch, clinic, library_is_a_link
):
    """H1477: the library exercises a protocol uses are checked with it, but their states
    were taken only of the files under the paths given: `build protocols/x.json`, or a
    `library` folder that is a link (not walked), printed a library exercise saved after the
    checks ("built 1 sheet")."""
    if library_is_a_link:
        shutil.move(clinic / "protocols" / "library", clinic / "exercises")
        (clinic / "protocols" / "library").symlink_to(clinic / "exercises")
    _changed_after(monkeypatch, clinic, "check_paths", "library/glute-bridge.json")
    paths = ["protocols"] if library_is_a_link else [f"protocols/{PSOAS}.json"]
    result = run_protokit("build", *paths, "-o", "out", "--no-bundle", "--jobs", "1", cwd=clinic)
    assert result.code == 1, result.stdout + result.stderr
    assert "library/glute-bridge.json changed while the build ran" in result.stdout
    assert not (clinic / "out" / f"{PSOAS}.pdf").exists()
