"""Importing into a clinic's folder: versions decide, downgrades are refused, and an import is
all or nothing, even when it is interrupted half way.

Local changes, other publishers and the import record: test_import_provenance.py. The folder
(read-only files, where files are staged, unreadable files, permissions):
test_import_folder.py. Signals and hard crashes: test_import_interrupted.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bundle_helpers import (
    CURRENT,
    ID,
    copy_examples,
    import_current,
    publish,
    run_import,
    set_version,
    snapshot,
)

from conftest import run_protokit


@pytest.fixture
def clinic(tmp_path) -> Path:
    """The receiving clinic: the same example protocols, written with library references."""
    return copy_examples(tmp_path / "clinic")


@pytest.fixture
def received(tmp_path) -> Path:
    return import_current(tmp_path)


def test_same_version_written_with_library_references_is_unchanged(tmp_path, clinic):
    result = run_import(publish(tmp_path, CURRENT), clinic)
    assert result.code == 0, result.stderr
    assert f"unchanged {ID} {CURRENT} (already in {clinic / (ID + '.json')})" in result.stdout
    assert "add       second-programme 1.0.0" in result.stdout


def test_newer_version_updates_the_file_in_place(tmp_path, received):
    bundle = publish(tmp_path, "1.1.0", hold=50, second=False)
    before = snapshot(received)
    result = run_import(bundle, received)
    assert result.code == 0, result.stderr
    assert f"update    {ID} {CURRENT} -> 1.1.0 ({received / (ID + '.json')})" in result.stdout
    updated = json.loads((received / f"{ID}.json").read_text())
    assert updated["version"] == "1.1.0"
    assert updated["exercises"][0]["dosage"]["hold_seconds"] == 50
    after = snapshot(received)
    # Only the updated protocol and the import record changed.
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {f"{ID}.json", ".protokit/imports.json"}


def _media_names(state):
    return {name for name in state if name.startswith("media/")}


@pytest.mark.parametrize(
    "existing, incoming, decision",
    [
        ("1.2.0", "1.1.0", "has the newer version 1.2.0: an import never downgrades a protocol"),
        ("1.1.0", "1.1.0-rc.2", "has the newer version 1.1.0: an import never downgrades"),
        ("1.10.0", "1.9.0", "has the newer version 1.10.0"),
        (
            "1.0.0",
            "1.0.0",
            "has the same version 1.0.0 as the bundle's protocol but differs from it, and no "
            "import wrote it",
        ),
    ],
)
def test_downgrade_or_same_version_with_other_content_is_refused(
    tmp_path, clinic, existing, incoming, decision
):
    path = clinic / f"{ID}.json"
    set_version(path, existing)
    bundle = publish(tmp_path, incoming, hold=50)
    before = snapshot(clinic.parent)
    result = run_import(bundle, clinic)
    assert result.code == 1
    assert f"refuse    {ID} {incoming}: {path} {decision}" in result.stdout
    assert result.stderr.strip().endswith(
        "import refused (1 protocol cannot be imported, see above; an import is all or nothing, "
        "so the other 1 protocol was not imported either); nothing was changed"
    )
    assert snapshot(clinic.parent) == before  # the new protocol was not added either


def test_pre_release_is_updated_by_its_release(tmp_path):
    target = tmp_path / "received"
    target.mkdir()
    assert run_import(publish(tmp_path, "1.1.0-rc.1", name="rc.pkb"), target).code == 0
    result = run_import(publish(tmp_path, "1.1.0", hold=50), target)
    assert result.code == 0, result.stderr
    assert f"update    {ID} 1.1.0-rc.1 -> 1.1.0" in result.stdout


def test_dry_run_shows_the_changes_and_writes_nothing(tmp_path, received):
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(received.parent)
    result = run_import(bundle, received, "--dry-run")
    assert result.code == 0, result.stderr
    assert f"update    {ID} {CURRENT} -> 1.1.0" in result.stdout
    assert "add       second-programme 1.0.0 -> " in result.stdout
    assert "dry run: would be 1 added, 1 updated, 0 unchanged; nothing was written" in result.stderr
    assert snapshot(received.parent) == before


def test_dry_run_of_a_refused_import_fails(tmp_path, clinic):
    path = clinic / f"{ID}.json"
    set_version(path, "2.0.0")
    result = run_import(publish(tmp_path, "1.1.0"), clinic, "--dry-run")
    assert result.code == 1 and "refuse    " in result.stdout


def test_file_in_the_way_is_refused(tmp_path, clinic):
    # Readable JSON, but not a protocol (an unreadable file: test_import_folder.py).
    (clinic / "second-programme.json").write_text('{"notes": "my notes, not a protocol"}')
    before = snapshot(clinic.parent)
    result = run_import(publish(tmp_path, CURRENT), clinic)
    assert result.code == 1
    assert "second-programme.json is in the way: it is not this protocol" in result.stdout
    assert snapshot(clinic.parent) == before


def test_missing_target_folder_is_a_usage_error(tmp_path):
    result = run_import(publish(tmp_path, "1.0.0"), tmp_path / "nowhere")
    assert result.code == 2
    assert result.stderr.endswith(
        f"nowhere: no such folder: check the name, or create it (mkdir -p {tmp_path}/nowhere) "
        "and run the import again\n"
    )
    assert not (tmp_path / "nowhere").exists()


def test_a_named_pipe_given_as_the_target_folder_is_said_to_be_one(tmp_path):
    """H952: `--into PIPE` said "no such folder ... create it (mkdir -p PIPE)", which fails."""
    os.mkfifo(tmp_path / "received")
    result = run_import(publish(tmp_path, "1.0.0"), tmp_path / "received")
    assert result.code == 2
    assert result.stderr.endswith(
        "received: is a named pipe (FIFO), not a folder: name the folder of received protocols\n"
    )


def test_help_says_where_files_go_what_is_recorded_and_how_to_replace_local_changes():
    result = run_protokit("bundle", "import", "-h")
    assert result.code == 0
    text = " ".join(result.stdout.split())
    assert "written as ID.json, and the images it shows into media/ beside it" in text
    assert "DIR/.protokit/imports.json" in text
    assert "(id, version, SHA-256, publisher, signing key, bundle, date)" in text
    assert "--replace-local-changes Replace an imported protocol that was changed here" in text
    # (the help wraps lines at a hyphen, so the name may be split there)
    assert "kept beside it as NAME.json.local-YYYYMMDD-HHMMSS" in text.replace("- ", "-")
    assert "143 terminated (SIGTERM)" in text
    assert "--into DIR The protocols folder to import into" in text


# -- all or nothing ----------------------------------------------------------------------------


def _import_in_process(bundle: Path, target: Path):
    from protocol_kit.app.bundle import ImportOptions, VerifyOptions, import_bundle

    options = ImportOptions(verify=VerifyOptions(allow_unsigned=True))
    return import_bundle(bundle, target, options)


class Interruption(Exception):
    pass


def _fail_on_call(monkeypatch, target, name: str, failing_call: int):
    """Make `target.name` raise on its `failing_call`-th call, as a crash or Ctrl-C would."""
    real = getattr(target, name)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == failing_call:
            raise Interruption(f"interrupted at call {failing_call}")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, wrapper)
    return calls


@pytest.mark.parametrize("failing_call", [2, 3, 4, 5])
def test_import_interrupted_while_moving_files_leaves_the_folder_as_it_was(
    tmp_path, received, monkeypatch, failing_call
):
    """The plan writes 4 files (the new protocol's image, the updated protocol, the new
    protocol, the import record); each move into place is an os.replace (plus one to set a
    replaced file aside). Fail one in the middle."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(received.parent)
    calls = _fail_on_call(monkeypatch, os, "replace", failing_call)
    with pytest.raises(Interruption):
        _import_in_process(bundle, received)
    assert len(calls) >= failing_call  # the rollback moved files back after the failure
    assert snapshot(received.parent) == before


def test_import_interrupted_while_staging_leaves_the_folder_as_it_was(
    tmp_path, received, monkeypatch
):
    from protocol_kit.bundle import staging

    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(received.parent)
    _fail_on_call(monkeypatch, staging, "_stage", 2)
    with pytest.raises(Interruption):
        _import_in_process(bundle, received)
    assert snapshot(received.parent) == before


def test_keyboard_interrupt_is_rolled_back_too(tmp_path, received, monkeypatch):
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(received.parent)
    real = os.replace
    count = []

    def interrupt(*args):
        count.append(1)
        if len(count) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _import_in_process(bundle, received)
    assert snapshot(received.parent) == before


def test_a_completed_import_leaves_no_staging_folder(tmp_path, received):
    result = _import_in_process(publish(tmp_path, "1.1.0", hold=50), received)
    assert result.applied
    assert sorted(p.name for p in received.parent.iterdir()) == ["received"]
    assert sorted(p.name for p in (received / ".protokit").iterdir()) == ["imports.json"]


def test_a_file_changed_after_planning_is_never_overwritten(tmp_path, received, monkeypatch):
    """Someone saves the protocol while the import runs: the import stops and undoes itself."""
    from protocol_kit.bundle import staging
    from protocol_kit.errors import OutputError

    bundle = publish(tmp_path, "1.1.0", hold=50)
    edited = received / f"{ID}.json"
    real_stage = staging._stage

    def stage_then_edit(path, write):
        staged = real_stage(path, write)
        edited.write_text(edited.read_text() + " ")  # the therapist's edit, mid-import
        return staged

    monkeypatch.setattr(staging, "_stage", stage_then_edit)
    before = {p.name for p in received.iterdir()}
    with pytest.raises(OutputError, match="changed while the import was running"):
        _import_in_process(bundle, received)
    assert edited.read_text().endswith(" ")  # the edit survives
    assert {p.name for p in received.iterdir()} == before


@pytest.mark.parametrize("how", ["in place", "replaced by a copy"])
def test_an_edit_that_keeps_size_and_modification_time_is_never_overwritten(
    tmp_path, received, monkeypatch, how
):
    """A therapist's edit of the same size that keeps the modification time (a byte changed
    within one tick of the file system's clock, or a copy made with `cp -p` moved over it)
    between planning and writing: the import stops, and the edit survives."""
    from protocol_kit.bundle import staging
    from protocol_kit.errors import OutputError

    bundle = publish(tmp_path, "1.1.0", hold=50)
    edited = received / f"{ID}.json"
    real_stage = staging._stage

    def stage_then_edit(path, write):
        staged = real_stage(path, write)
        if write.path == edited:
            status = edited.stat()
            text = edited.read_text().replace('"version"', '"Version"', 1)
            if how == "in place":
                edited.write_text(text)
            else:
                copy = edited.with_name("copy.tmp")
                copy.write_text(text)
                os.replace(copy, edited)
            os.utime(edited, ns=(status.st_atime_ns, status.st_mtime_ns))
            assert edited.stat().st_size == status.st_size
        return staged

    monkeypatch.setattr(staging, "_stage", stage_then_edit)
    with pytest.raises(OutputError, match="changed while the import was running"):
        _import_in_process(bundle, received)
    assert '"Version"' in edited.read_text()  # the edit survives
