"""The suite reads nothing from outside the folders it makes: a protokit.toml, library/ folder
or cache left on the machine (by a user, another tree, another session) must neither fail
nor pass a test. And protokit's upward search stops at $PROTOKIT_CEILING_DIRECTORIES."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import CASES, CLINIC_NUMBERS, REPO, run_protokit, session_folder
from protocol_kit.untrusted.files import CEILING_VARIABLE, folders_upwards

STRAY_CLINIC = (
    '[clinic]\nname = "Stray Clinic"\nphone = "0113 496 0999"\n'
    'emergency_number = "112"\nurgent_number = "116117"\n'
)


def test_a_protokit_toml_above_the_temporary_folder_is_not_read(tmp_path):
    """Another session once left a protokit.toml in /tmp: 8 tests of
    tests/render/test_contact.py, which render in tmp_path without one, read its clinic
    numbers and failed. Here one is put above a temporary folder of a test run of its own
    (TMPDIR), and a test of that file that needs no configuration to be found still passes."""
    (tmp_path / "protokit.toml").write_text(STRAY_CLINIC)
    (tmp_path / "tmp").mkdir()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in (CEILING_VARIABLE, "PROTOKIT_CACHE_DIR", "PYTEST_XDIST_WORKER")
        and not name.startswith("PYTEST_")
    }
    environment["TMPDIR"] = str(tmp_path / "tmp")
    # One that is refused for want of a configuration before anything is checked or drawn: a
    # test that went on to render spent 8 s of CPU on a new cache, and the stray numbers, if
    # read, would make this one's refusal a sheet all the same.
    test = (
        "tests/render/test_contact.py::test_a_sheet_without_the_numbers_is_refused_before_"
        "anything_is_drawn[pdf-None-no configuration file sets [clinic] phone, emergency_number"
        " and urgent_number]"
    )
    options = ["-o", "addopts=", "-p", "no:randomly", "-p", "no:cacheprovider", "-q"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *options, test],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout


def test_the_search_from_a_temporary_folder_stops_below_the_temporary_root(tmp_path):
    """Every test folder (tmp_path, tempfile's folders) is below the ceiling the suite sets,
    and the suite's cache is its own."""
    searched = folders_upwards(tmp_path.resolve())
    root = Path(tempfile.gettempdir()).resolve()
    assert tmp_path.resolve() in searched
    assert root not in searched and not any(folder in root.parents for folder in searched)
    assert Path(os.environ["PROTOKIT_CACHE_DIR"]).parent == session_folder()


def test_settings_above_a_ceiling_are_not_read(tmp_path):
    """A stray protokit.toml (a warning made an error) and library/ folder above the project;
    with the project's folder a ceiling, neither applies; without it, both do, as a clinic's
    protokit.toml above its protocols always has."""
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    shutil.copytree(
        CASES / "validate" / "valid" / "library-reference" / "library", tmp_path / "library"
    )
    shutil.copy(
        CASES / "validate" / "valid" / "library-reference" / "protocol.json", project / "sub"
    )
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS)
    ceiling = {CEILING_VARIABLE: str(project.parent / "project")}
    found = run_protokit("validate", "protocol.json", cwd=project / "sub")
    assert (found.code, found.stderr.strip()) == (0, "checked 1 file: all valid"), found.stderr
    bounded = run_protokit("validate", "protocol.json", cwd=project / "sub", env=ceiling)
    assert bounded.code == 1, bounded.stderr
    assert "REF001" in bounded.stdout + bounded.stderr  # its library exercises: not found
    # The folder a command (and its protocol) is in is searched even when it is the ceiling.
    shutil.copytree(tmp_path / "library", project / "library")
    shutil.copy(project / "sub" / "protocol.json", project)
    inside = run_protokit(
        "validate", "protocol.json", cwd=project, env={CEILING_VARIABLE: str(project)}
    )
    assert (inside.code, inside.stderr.strip()) == (0, "checked 1 file: all valid")


def test_render_does_not_read_numbers_above_a_ceiling(tmp_path):
    """The clinic's numbers are printed only from a file inside the project: one above the
    ceiling is not read, and the sheet is refused as without any."""
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "protokit.toml").write_text(STRAY_CLINIC)
    protocol = str(REPO / "protocols" / "psoas-stretch-glute-bridge.json")
    refused = run_protokit(
        "render", protocol, "-o", "x.pdf", cwd=project, env={CEILING_VARIABLE: str(project)}
    )
    assert refused.code == 2
    assert "no configuration file sets [clinic] phone" in refused.stderr
    assert not (project / "x.pdf").exists()
