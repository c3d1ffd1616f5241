"""`protokit build -o DIR`: the folder someone prints from holds what the last build made, and
nothing older; a file build did not write is never replaced or removed; a folder that cannot be
written is one error (exit 2) before any work."""

from __future__ import annotations

import errno
import json
import os
import shutil

import pytest
from sheet_helpers import pages_text

from conftest import PROTOCOLS, run_protokit
from protocol_kit import files
from protocol_kit.cli.main import main

CLINIC = (
    "[clinic]\nname = 'Northside Physio'\ncontact = 'info@northside.example'\n"
    "phone = '0113 496 0000'\nemergency_number = '999'\nurgent_number = '111'\n"
)
NAMES = ("psoas-stretch-glute-bridge", "hip-flexor-stretch-programme", "smr-dynamic-hip-mobility")


@pytest.fixture
def repository(tmp_path):
    """Three example protocols and the library, and a clinic that publishes a bundle."""
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS / "library", folder / "library")
    for name in NAMES:
        shutil.copyfile(PROTOCOLS / f"{name}.json", folder / f"{name}.json")
    (tmp_path / "protokit.toml").write_text(CLINIC, "utf-8")
    return tmp_path


def change(path, **fields) -> None:
    data = json.loads(path.read_text("utf-8"))
    data.update(fields)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")


def sheets(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_a_sheet_that_is_not_built_again_is_removed_and_says_why(repository):
    first = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert first.code == 0, first.stderr
    out = repository / "sheets"
    assert sheets(out) == sorted([*(f"{n}.pdf" for n in NAMES), "protocols.pkb"])
    # Files build did not write: never touched.
    (out / "front-desk-notes.txt").write_text("Print double-sided", "utf-8")
    (out / "leaflet.pdf").write_bytes(b"%PDF-1.4 the clinic's own leaflet")

    protocols = repository / "protocols"
    # Broken: fails its checks. Retired: must not be printed. Deleted.
    change(protocols / "psoas-stretch-glute-bridge.json", version="one")
    change(
        protocols / "hip-flexor-stretch-programme.json",
        status="retired",
        reviewer={"name": "A. Reviewer", "credentials": "Physiotherapist"},
    )
    (protocols / "smr-dynamic-hip-mobility.json").unlink()
    second = run_protokit("build", "protocols", "-o", "sheets", "--no-bundle", cwd=repository)

    assert second.code == 1
    removed = [line for line in second.stderr.splitlines() if "removed sheets/" in line]
    assert removed == [
        "protokit build: removed sheets/hip-flexor-stretch-programme.pdf (from an earlier "
        "build): protocols/hip-flexor-stretch-programme.json is retired: it must not be printed "
        "for patients",
        "protokit build: removed sheets/psoas-stretch-glute-bridge.pdf (from an earlier build): "
        "protocols/psoas-stretch-glute-bridge.json failed (see its findings)",
        "protokit build: removed sheets/smr-dynamic-hip-mobility.pdf (from an earlier build): "
        "protocols/smr-dynamic-hip-mobility.json is not part of this build (deleted, moved or "
        "not under the paths given)",
        "protokit build: removed sheets/protocols.pkb (from an earlier build): this build "
        "writes no bundle (--no-bundle, or no publisher configured)",
    ]
    assert "built 0 sheets in sheets; 1 file failed; 1 retired protocol not printed; " in (
        second.stderr
    )
    assert "removed 4 files of an earlier build" in second.stderr
    assert sheets(out) == ["front-desk-notes.txt", "leaflet.pdf"]
    assert (out / "leaflet.pdf").read_bytes() == b"%PDF-1.4 the clinic's own leaflet"

    # Fixed again: printed again, and the next build has nothing to remove.
    change(protocols / "psoas-stretch-glute-bridge.json", version="1.0.6")
    third = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert third.code == 0, third.stderr
    assert "removed" not in third.stderr
    assert "Glute bridge" in "\n".join(
        pages_text((out / "psoas-stretch-glute-bridge.pdf").read_bytes())
    )


def test_a_bundle_that_could_not_be_written_again_is_removed(repository):
    assert run_protokit("build", "protocols", "-o", "sheets", cwd=repository).code == 0
    for name in NAMES:  # every protocol fails: no sheet, so no bundle
        change(repository / "protocols" / f"{name}.json", version="one")
    result = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert result.code == 1
    assert (
        "protokit build: removed sheets/protocols.pkb (from an earlier build): no sheet was "
        "built, so no bundle was written"
    ) in result.stderr.splitlines()
    assert sheets(repository / "sheets") == []


def test_a_sheet_that_was_changed_by_hand_into_another_kind_of_file_is_left_alone(repository):
    assert (
        run_protokit("build", "protocols", "-o", "sheets", "--no-bundle", cwd=repository).code == 0
    )
    sheet = repository / "sheets" / "smr-dynamic-hip-mobility.pdf"
    sheet.write_text("someone's notes, saved over the sheet", "utf-8")
    (repository / "protocols" / "smr-dynamic-hip-mobility.json").unlink()
    result = run_protokit("build", "protocols", "-o", "sheets", "--no-bundle", cwd=repository)
    assert result.code == 0, result.stderr
    assert f"left {os.path.join('sheets', sheet.name)} in place" in result.stderr
    assert sheet.read_text("utf-8") == "someone's notes, saved over the sheet"


def test_build_never_writes_over_a_file_that_is_not_a_sheet_or_a_bundle(repository):
    out = repository / "sheets"
    out.mkdir()
    (out / "psoas-stretch-glute-bridge.pdf").write_text("not a sheet", "utf-8")
    (out / "protocols.pkb").write_text("not a bundle", "utf-8")
    result = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert result.code == 1
    assert (
        "psoas-stretch-glute-bridge.json: error PDF001 sheets/psoas-stretch-glute-bridge.pdf: "
        "exists and is not a PDF" in result.stdout
    )
    assert "protokit: error: sheets/protocols.pkb: exists and is not a bundle" in result.stderr
    assert (out / "psoas-stretch-glute-bridge.pdf").read_text("utf-8") == "not a sheet"
    assert (out / "protocols.pkb").read_text("utf-8") == "not a bundle"
    assert (out / "hip-flexor-stretch-programme.pdf").read_bytes().startswith(b"%PDF-")


def test_an_output_folder_that_is_a_file_is_one_clear_error(repository):
    (repository / "sheets").write_text("a file", "utf-8")
    result = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "protokit: error: sheets: is a file, not a folder; give a folder for the output\n"
    )
    assert (repository / "sheets").read_text("utf-8") == "a file"


def test_a_missing_output_folder_is_created(repository):
    result = run_protokit("build", "protocols", "-o", "out/sheets", cwd=repository)
    assert result.code == 0, result.stderr
    assert (repository / "out" / "sheets" / "psoas-stretch-glute-bridge.pdf").is_file()


def test_a_read_only_output_folder_is_one_error_with_exit_2(repository, monkeypatch, capsys):
    # As a user sees it on a read-only file system (permissions cannot show it when the tests
    # run as root): one line before anything is rendered, not one per protocol.
    monkeypatch.chdir(repository)
    (repository / "sheets").mkdir()

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(SystemExit) as exited:
        main(["build", "protocols", "-o", "sheets", "--quiet"])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "protokit: error: sheets: cannot write in the folder: Read-only file system\n"
    )


def test_a_folder_without_write_permission_is_one_error_with_exit_2(repository):
    out = repository / "sheets"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    finally:
        out.chmod(0o755)
    if result.code == 0:
        pytest.skip("file permissions are not enforced for this user")
    assert result.code == 2
    assert (
        result.stderr == "protokit: error: sheets: cannot write in the folder: Permission denied\n"
    )
    assert "PDF001" not in result.stdout


def test_a_damaged_build_record_stops_the_build_before_anything_is_removed(repository):
    assert run_protokit("build", "protocols", "-o", "sheets", cwd=repository).code == 0
    (repository / "sheets" / ".protokit-build.json").write_text('{"sheets": "everything"}')
    before = sheets(repository / "sheets")
    result = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert result.code == 2
    assert (
        "protokit: error: sheets/.protokit-build.json: is not a record written by protokit "
        "build; move it away or delete it\n"
    ) in result.stderr
    assert sheets(repository / "sheets") == before


def test_sheets_from_before_build_kept_a_record_are_pointed_out_once(repository):
    # A folder an older protokit built into has no record: its sheets cannot be told from the
    # clinic's own PDFs, so they are kept, and the first build says so.
    out = repository / "sheets"
    out.mkdir()
    (out / "retired-knee.pdf").write_bytes(b"%PDF-1.4 an old sheet")
    (out / "psoas-stretch-glute-bridge.pdf").write_bytes(b"%PDF-1.4 an older copy")
    first = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert first.code == 0, first.stderr
    assert (
        "protokit build: sheets holds 1 PDF file this build did not write (retired-knee.pdf): "
        "left in place, as build removes only what it recorded writing; check that none is an "
        "out-of-date sheet"
    ) in first.stderr.splitlines()
    assert (out / "retired-knee.pdf").exists()
    again = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert again.code == 0 and "did not write" not in again.stderr


def test_a_second_build_into_a_folder_being_built_is_refused_and_changes_nothing(repository):
    """H424: two builds into one folder at once (two CI jobs, a script run twice) each read
    the folder's record, so each removed the sheets the other had just written as "from an
    earlier build", and one reported a sheet built that the other had deleted. The folder is
    held for one build; here the test holds it as a running build would."""
    import fcntl

    first = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert first.code == 0, first.stderr
    out = repository / "sheets"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (repository / "protocols" / "hip-flexor-stretch-programme.json").unlink()
    handle = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    finally:
        os.close(handle)
    assert second.code == 2 and second.stderr.count("\n") == 1
    assert second.stderr.startswith(
        "protokit: error: sheets: another protokit build is writing into this folder"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    third = run_protokit("build", "protocols", "-o", "sheets", cwd=repository)
    assert third.code == 0 and "hip-flexor-stretch-programme.pdf" not in sheets(out)
