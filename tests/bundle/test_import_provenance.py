"""The import record: an import replaces only a file it wrote itself, unchanged since, from the
same publisher and key; the clinic's own files and edits are never overwritten without a word."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from bundle_helpers import (
    CURRENT,
    ID,
    copy_examples,
    edit_locally,
    entries_of,
    import_current,
    make_keys,
    publish,
    review_locally,
    run_import,
    snapshot,
)

from conftest import run_protokit
from protocol_kit import __version__


@pytest.fixture
def received(tmp_path) -> Path:
    return import_current(tmp_path)


def record_of(target: Path) -> dict:
    return json.loads((target / ".protokit" / "imports.json").read_text())["files"]


def fingerprint(trust: Path) -> str:
    return re.search(r'fingerprint = "(sha256:[0-9a-f]{64})"', trust.read_text()).group(1)


def keys(folder: Path, name: str = "Northside Physio") -> tuple[Path, str]:
    folder.mkdir()
    key, _, trust = make_keys(folder, name)
    return key, fingerprint(trust)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_an_import_records_each_file_it_wrote_and_where_it_came_from(tmp_path):
    key, key_fingerprint = keys(tmp_path / "keys")
    bundle = publish(tmp_path, CURRENT, sign=key)
    target = tmp_path / "received"
    target.mkdir()
    assert run_import(bundle, target).code == 0
    files = record_of(target)
    image = next(name for name in files if name.startswith("media/"))
    assert set(files) == {f"{ID}.json", "second-programme.json", image}
    for name, entry in files.items():
        assert entry["sha256"] == sha256((target / name).read_bytes())
        assert entry["publisher"] == "Northside Physio"
        assert entry["key"] == key_fingerprint
        assert entry["bundle_sha256"] == sha256(bundle.read_bytes())
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["imported"])
    assert (files[f"{ID}.json"]["kind"], files[f"{ID}.json"]["id"]) == ("protocol", ID)
    assert files[f"{ID}.json"]["version"] == CURRENT
    assert files["second-programme.json"]["version"] == "1.0.0"
    assert files[image]["kind"] == "image" and "version" not in files[image]


def test_an_update_never_overwrites_a_protocol_changed_here(tmp_path, received):
    """The trial: import, change locally (a text of the clinic's own, and its review),
    import a newer version."""
    path = received / f"{ID}.json"
    edit_locally(path)
    before = snapshot(received)
    result = run_import(publish(tmp_path, "1.1.0", hold=50, second=False), received)
    assert result.code == 1
    assert (
        f"refuse    {ID} 1.1.0: {path} has version {CURRENT}, and it was changed here since it "
        f'was imported (version {CURRENT} from "Northside Physio" not signed on '
    ) in result.stdout
    assert "an import never overwrites local changes" in result.stdout
    assert (
        f"move that file out of {received} or give it a new id, or pass "
        f"--replace-local-changes to replace it and keep your copy beside it as "
        f"{ID}.json.local-YYYYMMDD-HHMMSS"
    ) in result.stdout
    assert snapshot(received) == before
    assert json.loads(path.read_text())["sign_off"]["name"] == "Dr Local"


def test_reimporting_after_a_local_edit_says_the_file_was_changed_here(tmp_path, received):
    """Not "the publisher must raise the version": the publisher did nothing wrong."""
    path = received / f"{ID}.json"
    edit_locally(path)
    result = run_import(publish(tmp_path, CURRENT, second=False, name="first.pkb"), received)
    assert result.code == 1
    assert (
        f"{path} has the same version {CURRENT} as the bundle's protocol but differs from it, "
        "and it was changed here since it was imported"
    ) in result.stdout
    assert "without raising its version" not in result.stdout


def test_a_protocol_signed_off_here_is_imported_again_and_updated(tmp_path, received):
    """A receiving clinic that signed off what it received (status, sign_off) could then not
    import that bundle again, nor the publisher's next version: its review counted as a
    change, and every import of the bundle was refused, all or nothing (H901)."""
    path = received / f"{ID}.json"
    review_locally(path)
    reviewed = path.read_bytes()
    # The same bundle again, with a protocol it did not have: the review stays as it is.
    again = run_import(publish(tmp_path, CURRENT, name="again.pkb"), received)
    assert again.code == 0, again.stdout + again.stderr
    assert (
        f"unchanged {ID} {CURRENT} (already in {path}; reviewed here: your review is kept)"
    ) in again.stdout
    assert "1 added, 0 updated, 1 unchanged" in again.stderr
    assert path.read_bytes() == reviewed
    # The publisher's next version replaces it, the reviewed copy kept beside it, and the
    # clinic is told to review the new version.
    bundle = publish(tmp_path, "1.1.0", hold=50, second=False)
    dry = run_import(bundle, received, "--dry-run")
    assert dry.code == 0 and path.read_bytes() == reviewed, dry.stdout + dry.stderr
    result = run_import(bundle, received)
    assert result.code == 0, result.stdout + result.stderr
    [backup] = received.glob(f"{ID}.json.local-*")
    assert backup.read_bytes() == reviewed
    assert path.read_bytes() == entries_of(bundle)[f"protocols/{ID}.json"]
    # It says what it overwrites: the clinic's sign-off goes, and the file now carries the
    # bundle's review (here none), not the clinic's review of the new version.
    mine = json.loads(reviewed)
    theirs = json.loads(path.read_bytes())
    assert (
        f"update    {ID} {CURRENT} -> 1.1.0 ({path}; the local copy is kept as {backup}; "
        f'reviewed here: your review of {CURRENT} (status "active", signed off by "Dr Local" '
        f'on "{mine["sign_off"]["date"]}", next review "{mine["next_review"]}") is replaced by '
        f'the bundle\'s (status "draft", no sign-off, next review "{theirs["next_review"]}"); '
        f"yours was of {CURRENT}'s content: review 1.1.0 and sign it off before a patient is "
        "given it)"
    ) in result.stdout
    assert dry.stdout.split(" (")[0] == result.stdout.split(" (")[0]


def test_a_review_with_a_change_of_content_is_still_refused_as_a_change(tmp_path, received):
    path = received / f"{ID}.json"
    review_locally(path)
    data = json.loads(path.read_text())
    data["exercises"][0]["dosage"]["hold_seconds"] = 90  # not a review: the content
    path.write_text(json.dumps(data))
    result = run_import(publish(tmp_path, "1.1.0", hold=50, second=False), received)
    assert result.code == 1 and "it was changed here since it was imported" in result.stdout


def test_the_same_version_with_other_content_is_the_publishers_mistake(tmp_path, received):
    path = received / f"{ID}.json"
    result = run_import(publish(tmp_path, CURRENT, hold=50, second=False), received)
    assert result.code == 1
    assert (
        f"{path} has the same version {CURRENT} as the bundle's protocol but differs from it, "
        "and it is as it was imported ("
    ) in result.stdout
    assert (
        "not changed here: the publisher changed the protocol without raising its version"
    ) in result.stdout


def test_replace_local_changes_keeps_the_local_copy_beside_it(tmp_path, received):
    path = received / f"{ID}.json"
    edit_locally(path)
    local = path.read_bytes()
    bundle = publish(tmp_path, "1.1.0", hold=50, second=False)
    result = run_import(bundle, received, "--replace-local-changes")
    assert result.code == 0, result.stderr
    [backup] = received.glob(f"{ID}.json.local-*")
    assert re.fullmatch(rf"{ID}\.json\.local-\d{{8}}-\d{{6}}", backup.name)
    assert backup.read_bytes() == local  # the clinic's review is kept
    assert path.read_bytes() == entries_of(bundle)[f"protocols/{ID}.json"]
    assert (
        f"update    {ID} {CURRENT} -> 1.1.0 ({path}; the local copy is kept as {backup})"
    ) in result.stdout
    assert "0 added, 1 updated, 0 unchanged (1 local copy kept beside its file)" in result.stderr
    files = record_of(received)
    assert files[f"{ID}.json"]["version"] == "1.1.0"
    assert files[f"{ID}.json"]["sha256"] == sha256(path.read_bytes())
    assert backup.name not in files  # the copy is the clinic's, not an import's
    # The file is as imported again: the next update needs no option.
    assert run_import(publish(tmp_path, "1.2.0", second=False), received).code == 0
    # Neither the backup nor the record is taken for a protocol by validate.
    checked = run_protokit("validate", str(received))
    assert checked.code == 0 and "checked 1 file: all valid" in checked.stderr + checked.stdout


def test_replace_local_changes_restores_the_bundles_copy_of_the_same_version(tmp_path, received):
    path = received / f"{ID}.json"
    edit_locally(path)
    bundle = publish(tmp_path, CURRENT, second=False, name="first.pkb")
    result = run_import(bundle, received, "--replace-local-changes")
    assert result.code == 0, result.stderr
    assert f"restore   {ID} {CURRENT} as the bundle has it ({path}; the local copy is kept as " in (
        result.stdout
    )
    assert "0 added, 0 updated, 0 unchanged, 1 restored" in result.stderr
    assert path.read_bytes() == entries_of(bundle)[f"protocols/{ID}.json"]
    [backup] = received.glob(f"{ID}.json.local-*")
    assert json.loads(backup.read_text())["sign_off"]["name"] == "Dr Local"


def test_the_clinics_own_protocol_is_never_replaced(tmp_path):
    """A file no import wrote, even with an older version: the clinic wrote it."""
    clinic = copy_examples(tmp_path / "clinic")
    path = clinic / f"{ID}.json"
    before = snapshot(clinic)
    result = run_import(publish(tmp_path, "1.1.0", hold=50), clinic)
    assert result.code == 1
    assert (
        f"refuse    {ID} 1.1.0: {path} has version {CURRENT}, and no import wrote it (it has no "
        f"entry in {clinic / '.protokit' / 'imports.json'}): it is the clinic's own file, which "
        f"an import never replaces. To import this one, move that file out of {clinic} or give "
        "it a new id"
    ) in result.stdout
    assert snapshot(clinic) == before


@pytest.mark.parametrize("other", ["another clinic", "another key, same name", "unsigned"])
def test_a_protocol_from_another_publisher_is_never_replaced(tmp_path, other):
    north_key, north = keys(tmp_path / "north")
    target = tmp_path / "received"
    target.mkdir()
    first = publish(tmp_path, CURRENT, second=False, sign=north_key, name="north.pkb")
    assert run_import(first, target).code == 0
    if other == "unsigned":
        key, name = None, "Northside Physio"  # the same name, claimed by anyone
    else:
        name = "Southside Physio" if other == "another clinic" else "Northside Physio"
        key, _ = keys(tmp_path / "other", name)
    bundle = publish(tmp_path, "1.1.0", second=False, sign=key, publisher=name, name="o.pkb")
    before = snapshot(target)
    result = run_import(bundle, target)
    assert result.code == 1
    assert (
        f'{target / (ID + ".json")} has version {CURRENT}, and it came from "Northside Physio" '
        f"with key {north} on "
    ) in result.stdout
    assert f'but this bundle is from "{name}" ' in result.stdout
    assert "an import only replaces a file from the same publisher and key" in result.stdout
    assert snapshot(target) == before


def test_the_same_publisher_and_key_update_their_own_protocol(tmp_path):
    key, _ = keys(tmp_path / "north")
    target = tmp_path / "received"
    target.mkdir()
    assert run_import(publish(tmp_path, CURRENT, sign=key, name="a.pkb"), target).code == 0
    result = run_import(publish(tmp_path, "1.1.0", hold=50, sign=key), target)
    assert result.code == 0, result.stderr
    assert f"update    {ID} {CURRENT} -> 1.1.0" in result.stdout


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        '{"format_version": 1, "files": {"x.json": {"kind": 3}}}',
        '{"format_version": 0, "files": {}}',
    ],
)
def test_a_damaged_import_record_stops_the_import(tmp_path, received, damage):
    record = received / ".protokit" / "imports.json"
    record.write_text(damage)
    before = snapshot(received)
    result = run_import(publish(tmp_path, "1.1.0", second=False), received)
    assert result.code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"protokit: error: {record}: cannot be read (")
    assert "Restore it from a backup, or delete it if it is lost" in line
    assert line.endswith("nothing was changed")
    assert snapshot(received) == before


@pytest.mark.parametrize("newer", ["a field", "a format"])
def test_a_record_from_a_newer_protokit_says_to_update_not_to_delete_it(tmp_path, received, newer):
    """An older protokit refused a record with `content_sha256` (a field it did not know) as
    damaged: "Restore it from a backup, or delete it if it is lost", and a record deleted
    makes every imported file count as the clinic's own. What a newer protokit adds is now
    said to be that, with what to do."""
    record = received / ".protokit" / "imports.json"
    written = json.loads(record.read_text())
    assert written["written_by"] == f"protocol-kit {__version__}"
    written["written_by"] = "protocol-kit 9.3.0"
    if newer == "a field":
        next(iter(written["files"].values()))["reviewed_by"] = "Dr Local"
    else:
        written["format_version"] = 2
    record.write_text(json.dumps(written))
    before = snapshot(received)
    result = run_import(publish(tmp_path, "1.1.0", second=False), received)
    assert result.code == 1 and snapshot(received) == before
    [line] = result.stderr.splitlines()
    assert line.startswith(f"protokit: error: {record}: holds ")
    assert (
        "which this version of protokit does not know: a newer protokit wrote it (the record "
        f"says 'protocol-kit 9.3.0'; this is protocol-kit {__version__}), so update protokit on "
        "this machine (pip install --upgrade protocol-kit)"
    ) in line
    assert "Do not delete it" in line and "delete it if it is lost" not in line
    assert line.endswith("nothing was changed")
