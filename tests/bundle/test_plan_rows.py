"""An import's plan and a checked manifest's lists are kept as rows in a temporary file, not as
objects (issue 17: `bundle import --dry-run` of 10,000 protocols held its whole plan). What
the commands print and write is the same whether the rows stay in memory or go to disk, a
temporary file that cannot be written stops the import with one line and changes nothing
(H729), and the manifest is written with the same bytes (H730)."""

from __future__ import annotations

import errno
import io
import json
import re

import pytest
from bundle_helpers import ID, edit_locally, entries_of, import_current, publish, run_import
from bundle_helpers import snapshot as folder_snapshot

from protocol_kit.bundle import rows
from protocol_kit.bundle.manifest import BundledFile, BundledProtocol, Manifest, Publisher
from protocol_kit.bundle.reader import open_bundle


def _without_backup_times(text: str) -> str:
    return re.sub(r"\.local-\d{8}-\d{6}", ".local-TIME", text)


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_plan_on_disk_prints_and_writes_what_a_plan_in_memory_does(
    tmp_path, monkeypatch, dry_run
):
    # An update that keeps a local copy (its bytes are in the plan's row), a new protocol
    # with an image, and the import record: each written from the plan read back.
    outcomes = []
    for where in ("memory", "disk"):
        folder = tmp_path / where
        received = import_current(folder)
        edit_locally(received / f"{ID}.json")
        bundle = publish(folder, "1.1.0", hold=50)
        if where == "disk":
            monkeypatch.setattr(rows, "IN_MEMORY", 0)  # every row goes to the file
        options = ("--replace-local-changes", *(("--dry-run",) if dry_run else ()))
        result = run_import(bundle, received, *options)
        assert result.code == 0, result.stderr
        files = {
            _without_backup_times(name): content
            for name, (_, content, _) in folder_snapshot(received).items()
            if not name.endswith("imports.json")
        }
        record = json.loads((received / ".protokit" / "imports.json").read_text())["files"]
        versions = {name: entry.get("version") for name, entry in record.items()}
        outcomes.append(
            (
                _without_backup_times(result.stdout.replace(str(folder), "FOLDER")),
                _without_backup_times(result.stderr.replace(str(folder), "FOLDER")),
                files,
                versions,
            )
        )
    assert outcomes[0] == outcomes[1]
    stdout = outcomes[1][0]
    assert f"update    {ID} " in stdout and "add       second-programme 1.0.0" in stdout
    if not dry_run:
        assert outcomes[1][3][f"{ID}.json"] == "1.1.0"
        assert outcomes[1][2][f"{ID}.json"] == entries_of(bundle)[f"protocols/{ID}.json"]


def test_rows_that_cannot_be_kept_stop_the_import_with_one_line(tmp_path, monkeypatch):
    received = import_current(tmp_path)
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = folder_snapshot(received)

    class FullDisk(io.BytesIO):
        def __init__(self, max_size=0):
            super().__init__()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rows.tempfile, "SpooledTemporaryFile", FullDisk)
    result = run_import(bundle, received)
    assert result.code != 0
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "No space left on device" in last and "nothing was changed" in last
    assert folder_snapshot(received) == before


def test_an_opened_bundle_lists_the_manifests_files_and_protocols(tmp_path):
    from protocol_kit.bundle.manifest import parse_manifest

    bundle = publish(tmp_path, "1.1.0")
    entries = entries_of(bundle)
    parsed = parse_manifest(entries["manifest.json"], str(bundle))
    opened = open_bundle(bundle).manifest
    assert tuple(opened.files) == parsed.files and len(opened.files) == len(parsed.files)
    assert tuple(opened.protocols) == parsed.protocols
    assert len(opened.protocols) == 2
    assert opened.protocols[1] == parsed.protocols[1]
    assert opened.file(f"protocols/{ID}.json") == parsed.file(f"protocols/{ID}.json")


def test_the_manifest_is_written_as_json_writes_it():
    manifest = Manifest(
        Publisher('Clinic «Nord» "quoted"', "a@b.example"),
        "2026-01-01T00:00:00Z",
        tuple(BundledProtocol(f"p-{n}", "1.0.0", "active", f"Title {n} é\n") for n in range(3)),
        (BundledFile("protocols/p-0.json", 12, "a" * 64),),
    )
    expected = json.dumps(manifest.to_json(), indent=2, sort_keys=True, ensure_ascii=False)
    assert manifest.to_bytes() == (expected + "\n").encode("utf-8")
    empty = Manifest(Publisher("C", "c"), "2026-01-01T00:00:00Z", (), ())
    assert b'"files": [],' in empty.to_bytes() and b'"protocols": []' in empty.to_bytes()


class _FillsWhenWrittenOut(io.BytesIO):
    """A temporary file whose disk fills up when its buffer is written out, as a buffered file
    on a full disk does: each write is taken into the buffer, and written out, in part, only
    when the file is flushed, sought or read; what did not fit is never read back."""

    room = 0  # bytes the disk still takes

    def __init__(self, max_size=0):
        super().__init__()
        self.pending = b""

    def write(self, data):
        self.pending += data
        return len(data)

    def flush(self):
        if self.pending:
            fits, self.pending = self.pending[: self.room], self.pending[self.room :]
            super().seek(0, io.SEEK_END)
            super().write(fits)
            type(self).room -= len(fits)
            if self.pending:
                raise OSError(errno.ENOSPC, "No space left on device")


def test_rows_lost_when_the_disk_fills_stop_the_import_with_one_line(tmp_path, monkeypatch):
    # The rows were taken without an error; the disk filled while they were written out, and
    # the import's plan was read back short: a traceback (struct.error), its plan cut short.
    received = import_current(tmp_path)
    bundle = publish(tmp_path, "1.1.0", hold=50)
    before = folder_snapshot(received)
    monkeypatch.setattr(_FillsWhenWrittenOut, "room", 40)
    monkeypatch.setattr(rows.tempfile, "SpooledTemporaryFile", _FillsWhenWrittenOut)
    for options in ((), ("--dry-run",)):
        result = run_import(bundle, received, *options)
        assert result.code != 0 and "Traceback" not in result.stderr, result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert "No space left on device" in last and "nothing was changed" in last
        assert folder_snapshot(received) == before


def test_a_row_that_cannot_be_read_back_is_one_line_not_a_short_read(monkeypatch):
    class Forgets(io.BytesIO):  # a file that loses what was written to it
        def __init__(self, max_size=0):
            super().__init__()

        def read(self, size=-1):
            return super().read(size)[:1]

    monkeypatch.setattr(rows.tempfile, "SpooledTemporaryFile", Forgets)
    kept = rows.Rows("the import's plan")
    kept.append(("a protocol", b"its bytes"))
    with pytest.raises(rows.OutputError, match=r"could not be read back\); nothing was changed"):
        list(kept)
    with pytest.raises(rows.OutputError, match="could not be read back"):
        kept.append(("another",))  # no row is taken once one is lost
