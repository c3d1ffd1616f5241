"""Every command that reads protocols finds library exercises where `protokit validate` finds
them: in the folders `library` names in the configuration, not only in `library/` beside a
protocol. A protocol that validates must also print, build, export and bundle."""

from __future__ import annotations

import io
import json
import shutil
import zipfile

import pytest

from conftest import CASES, run_protokit

CASE = CASES / "validate" / "valid" / "library-reference"
BROKEN = CASES / "validate" / "invalid" / "wrong-enum-status" / "protocol.json"
CONFIG = """library = ["shared/exercises"]
exclude = ["protocols/drafts"]

[clinic]
name = "Test Clinic"
contact = "clinic@test.example"
phone = "0113 496 0000"
emergency_number = "999"
urgent_number = "111"
"""
# The exercise that is only in shared/exercises, as the protocol refers to it.
LIBRARY_EXERCISE = "Knee hug"


@pytest.fixture
def repository(tmp_path):
    """A clinic repository whose protocol uses an exercise that is only in a library folder
    the configuration names; a draft that does not validate is excluded."""
    root = tmp_path / "clinic"
    (root / "protocols" / "drafts").mkdir(parents=True)
    shutil.copy(CASE / "protocol.json", root / "protocols" / "back.json")
    shutil.copytree(CASE / "library", root / "shared" / "exercises")
    shutil.copy(BROKEN, root / "protocols" / "drafts" / "unfinished.json")
    (root / "protokit.toml").write_text(CONFIG)
    assert not (root / "protocols" / "library").exists()
    return root


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_validate_finds_the_configured_library(repository):
    result = run_protokit("validate", "protocols", cwd=repository)
    assert (result.code, result.stderr.strip()) == (0, "checked 1 file: all valid")


def test_render_finds_the_configured_library(repository):
    result = run_protokit("render", "protocols/back.json", "-o", "back.pdf", cwd=repository)
    assert result.code == 0, result.stderr
    assert LIBRARY_EXERCISE in pdf_text(repository / "back.pdf")


def test_render_finds_it_from_a_subfolder(repository):
    result = run_protokit("render", "back.json", "-o", "../back.pdf", cwd=repository / "protocols")
    assert result.code == 0, result.stderr
    assert LIBRARY_EXERCISE in pdf_text(repository / "back.pdf")


def test_build_finds_the_configured_library_and_skips_what_is_excluded(repository):
    result = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert result.code == 0, result.stdout + result.stderr
    assert "unfinished.json" not in result.stdout  # excluded, as validate excludes it
    sheets = repository / "sheets"
    assert LIBRARY_EXERCISE in pdf_text(sheets / "back-basics.pdf")
    # The bundle build writes passes the same checks, and inlines the library exercise.
    assert "bundle" in result.stderr
    with zipfile.ZipFile(sheets / "protocols.pkb") as archive:
        names = [n for n in archive.namelist() if n.startswith("protocols/")]
        assert len(names) == 1
        assert LIBRARY_EXERCISE in archive.read(names[0]).decode("utf-8")


def test_build_with_config_uses_that_configuration_for_the_bundle_too(repository, tmp_path):
    # Run from a folder without a configuration of its own: --config names the repository's,
    # and the library folders it names are relative to it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_protokit(
        "build",
        str(repository / "protocols"),
        "-o",
        "sheets",
        "--config",
        str(repository / "protokit.toml"),
        cwd=elsewhere,
    )
    assert result.code == 0, result.stdout + result.stderr
    assert (elsewhere / "sheets" / "back-basics.pdf").is_file()
    assert (elsewhere / "sheets" / "protocols.pkb").is_file()


def test_export_fhir_finds_the_configured_library(repository):
    result = run_protokit("export", "fhir", "protocols/back.json", cwd=repository)
    assert result.code == 0, result.stderr
    assert LIBRARY_EXERCISE in json.dumps(json.loads(result.stdout), ensure_ascii=False)


def test_bundle_create_finds_the_configured_library(repository):
    result = run_protokit("bundle", "create", "protocols", "-o", "shared.pkb", cwd=repository)
    assert result.code == 0, result.stdout + result.stderr
    data = (repository / "shared.pkb").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        protocols = [n for n in archive.namelist() if n.startswith("protocols/")]
        assert len(protocols) == 1  # the excluded draft is not bundled
        assert LIBRARY_EXERCISE in archive.read(protocols[0]).decode("utf-8")


def test_checklist_finds_the_configured_library(repository):
    result = run_protokit("checklist", "protocols/back.json", cwd=repository)
    assert result.code in (0, 1), result.stderr  # 2: not a valid protocol
    assert "one session takes about" in result.stdout


def test_new_prescription_finds_the_configured_library(repository):
    result = run_protokit(
        "new", "prescription", "rx.json", "--protocol", "protocols/back.json", cwd=repository
    )
    assert result.code == 0, result.stderr
    assert "knee-hug: Knee hug" in result.stderr
