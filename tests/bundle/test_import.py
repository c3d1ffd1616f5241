"""Importing into a clinic's folder: versions decide, downgrades are refused, and an import is
all or nothing, even when it is interrupted half way."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bundle_helpers import PNG, copy_examples, create, snapshot

from conftest import PROTOCOLS, run_protokit

ID = "psoas-stretch-glute-bridge"
CURRENT = json.loads((PROTOCOLS / f"{ID}.json").read_text())["version"]  # the example's version


def publish(folder: Path, version: str, hold: int | None = None, name: str = "b.pkb") -> Path:
    """The publisher's sources at `version` (optionally another hold time for the stretch),
    with a second protocol that shows an image, bundled unsigned."""
    sources = folder / f"publisher-{version}-{hold}"
    if not sources.exists():
        copy_examples(sources)
    protocols = sources / "protocols"
    main = protocols / f"{ID}.json"
    data = json.loads(main.read_text())
    data["version"] = version
    if hold is not None:
        data["exercises"][0]["dosage"]["hold_seconds"] = hold
    main.write_text(json.dumps(data, indent=2))
    library = json.loads((protocols / "library" / "glute-bridge.json").read_text())
    exercise = {k: v for k, v in library.items() if k not in ("$schema", "version", "language")}
    exercise.pop("authors")
    exercise["media"] = [
        {
            "kind": "image",
            "path": "images/bridge.png",
            "alt": "The bridge position",
            "author": "Clinic photographer",
            "licence": "CC-BY-4.0",
        }
    ]
    second = dict(data, id="second-programme", version="1.0.0", exercises=[exercise])
    (protocols / "images").mkdir(exist_ok=True)
    (protocols / "images" / "bridge.png").write_bytes(PNG)
    (protocols / "second.json").write_text(json.dumps(second, indent=2))
    bundle = folder / name
    create(protocols, bundle, "--force")
    return bundle


@pytest.fixture
def clinic(tmp_path) -> Path:
    """The receiving clinic: the same example protocols, written with library references."""
    return copy_examples(tmp_path / "clinic")


def set_version(path: Path, version: str) -> None:
    path.write_text(
        path.read_text().replace(f'"version": "{CURRENT}"', f'"version": "{version}"', 1)
    )


def run_import(bundle: Path, target: Path, *options: str):
    return run_protokit(
        "bundle", "import", str(bundle), "--into", str(target), "--allow-unsigned", *options
    )


def test_same_version_written_with_library_references_is_unchanged(tmp_path, clinic):
    result = run_import(publish(tmp_path, CURRENT), clinic)
    assert result.code == 0, result.stderr
    assert f"unchanged {ID} {CURRENT} (already in {clinic / (ID + '.json')})" in result.stdout
    assert "add       second-programme 1.0.0" in result.stdout


def test_newer_version_updates_the_file_in_place(tmp_path, clinic):
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(clinic)
    result = run_import(bundle, clinic)
    assert result.code == 0, result.stderr
    assert f"update    {ID} {CURRENT} -> 1.1.0 ({clinic / (ID + '.json')})" in result.stdout
    updated = json.loads((clinic / f"{ID}.json").read_text())
    assert updated["version"] == "1.1.0"
    assert updated["exercises"][0]["dosage"]["hold_seconds"] == 50
    after = snapshot(clinic)
    # Only the updated protocol, the new one and its image changed; the library is untouched.
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {f"{ID}.json", "second-programme.json", "media", *_media_names(after)}


def _media_names(state):
    return {name for name in state if name.startswith("media/")}


@pytest.mark.parametrize(
    "existing, incoming, decision",
    [
        ("1.2.0", "1.1.0", "has the newer version 1.2.0: an import never downgrades a protocol"),
        ("1.1.0", "1.1.0-rc.2", "has the newer version 1.1.0: an import never downgrades"),
        ("1.10.0", "1.9.0", "has the newer version 1.10.0"),
        ("1.0.0", "1.0.0", "has the same version 1.0.0 with different content: the publisher"),
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
        "import refused (1 protocol cannot be imported, see above); nothing was changed"
    )
    assert snapshot(clinic.parent) == before  # the new protocol was not added either


def test_pre_release_is_updated_by_its_release(tmp_path, clinic):
    path = clinic / f"{ID}.json"
    set_version(path, "1.1.0-rc.1")
    result = run_import(publish(tmp_path, "1.1.0", hold=50), clinic)
    assert result.code == 0, result.stderr
    assert f"update    {ID} 1.1.0-rc.1 -> 1.1.0" in result.stdout


def test_dry_run_shows_the_changes_and_writes_nothing(tmp_path, clinic):
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(clinic.parent)
    result = run_import(bundle, clinic, "--dry-run")
    assert result.code == 0, result.stderr
    assert f"update    {ID} {CURRENT} -> 1.1.0" in result.stdout
    assert "add       second-programme 1.0.0 -> " in result.stdout
    assert "dry run: would be 1 added, 1 updated, 0 unchanged; nothing was written" in result.stderr
    assert snapshot(clinic.parent) == before


def test_dry_run_of_a_refused_import_fails(tmp_path, clinic):
    path = clinic / f"{ID}.json"
    set_version(path, "2.0.0")
    result = run_import(publish(tmp_path, "1.1.0"), clinic, "--dry-run")
    assert result.code == 1 and "refuse    " in result.stdout


def test_file_in_the_way_is_refused(tmp_path, clinic):
    (clinic / "second-programme.json").write_text("my notes, not a protocol")
    before = snapshot(clinic.parent)
    result = run_import(publish(tmp_path, CURRENT), clinic)
    assert result.code == 1
    assert "second-programme.json is in the way: it is not this protocol" in result.stdout
    assert snapshot(clinic.parent) == before


def test_missing_target_folder_is_a_usage_error(tmp_path):
    result = run_import(publish(tmp_path, "1.0.0"), tmp_path / "nowhere")
    assert result.code == 2 and "nowhere: no such folder" in result.stderr


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


@pytest.mark.parametrize("failing_call", [2, 3, 4])
def test_import_interrupted_while_moving_files_leaves_the_folder_as_it_was(
    tmp_path, clinic, monkeypatch, failing_call
):
    """The plan writes 3 files (updated protocol, new protocol, its image); each move into
    place is an os.replace (plus one to set the old file aside). Fail one in the middle."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(clinic.parent)
    calls = _fail_on_call(monkeypatch, os, "replace", failing_call)
    with pytest.raises(Interruption):
        _import_in_process(bundle, clinic)
    assert len(calls) >= failing_call  # the rollback moved files back after the failure
    assert snapshot(clinic.parent) == before


def test_import_interrupted_while_staging_leaves_the_folder_as_it_was(
    tmp_path, clinic, monkeypatch
):
    from protocol_kit.bundle import importer

    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(clinic.parent)
    _fail_on_call(monkeypatch, importer, "_stage", 2)
    with pytest.raises(Interruption):
        _import_in_process(bundle, clinic)
    assert snapshot(clinic.parent) == before


def test_keyboard_interrupt_is_rolled_back_too(tmp_path, clinic, monkeypatch):
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = snapshot(clinic.parent)
    real = os.replace
    count = []

    def interrupt(*args):
        count.append(1)
        if len(count) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _import_in_process(bundle, clinic)
    assert snapshot(clinic.parent) == before


def test_a_completed_import_leaves_no_staging_folder(tmp_path, clinic):
    result = _import_in_process(publish(tmp_path, "1.1.0", hold=50), clinic)
    assert result.applied
    assert sorted(p.name for p in clinic.parent.iterdir()) == ["protocols"]


def test_a_file_changed_after_planning_is_never_overwritten(tmp_path, clinic, monkeypatch):
    """Someone saves the protocol while the import runs: the import stops and undoes itself."""
    from protocol_kit.bundle import importer
    from protocol_kit.errors import OutputError

    bundle = publish(tmp_path, "1.1.0", hold=50)
    edited = clinic / f"{ID}.json"
    real_stage = importer._stage

    def stage_then_edit(path, content):
        staged = real_stage(path, content)
        edited.write_text(edited.read_text() + " ")  # the therapist's edit, mid-import
        return staged

    monkeypatch.setattr(importer, "_stage", stage_then_edit)
    before = {p.name for p in clinic.iterdir()}
    with pytest.raises(OutputError, match="changed while the import was running"):
        _import_in_process(bundle, clinic)
    assert edited.read_text().endswith(" ")  # the edit survives
    assert {p.name for p in clinic.iterdir()} == before
