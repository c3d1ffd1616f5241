"""Bundles made and checked without holding them in memory (issue 17): `create` writes each
protocol's files to a spool file as it is checked and the archive from it; `verify` reads the
entries one at a time. The bundle and every refusal must be what they were when both were held
whole."""

from __future__ import annotations

import json
import shutil

import pytest
from bundle_helpers import (
    PUBLISHER,
    archive_refusal,
    copy_examples,
    create,
    entries_of,
    make_keys,
)

from conftest import PROTOCOLS, run_protokit
from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import write_archive
from protocol_kit.bundle.manifest import MANIFEST, SIGNATURE
from protocol_kit.bundle.reader import open_bundle

FILES = {"protocols/b.json": b'{"b": 1}\n', "manifest.json": b"{}\n", "schemas/x.json": b""}


def test_a_written_bundle_is_the_canonical_archive_of_its_entries(tmp_path):
    # The canonical form is what `write_archive` makes of the entries held in memory (as every
    # earlier version wrote bundles): the spooled writer must give the same bytes.
    sources = copy_examples(tmp_path)
    key, _, _ = make_keys(tmp_path)
    bundle = tmp_path / "clinic.pkb"
    create(sources, bundle, "--sign", str(key), "--fhir")
    assert bundle.read_bytes() == write_archive(entries_of(bundle))
    # The spool file has no name: nothing but the bundle is left in its folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["clinic.key", "clinic.pub", "clinic.pkb", "protocols", "trust.toml"]
    )


def _many_protocols(folder, count):
    """`count` valid protocols, copies of the examples under their own ids, with the library."""
    sources = folder / "many"
    shutil.copytree(PROTOCOLS / "library", sources / "library")
    examples = sorted(PROTOCOLS.glob("*.json"))
    for number in range(count):
        data = json.loads(examples[number % len(examples)].read_text(encoding="utf-8"))
        data["id"] = f"{data['id'][:50]}-{number:04d}"
        (sources / f"{data['id']}.json").write_text(json.dumps(data), encoding="utf-8")
    return sources


def test_a_bundle_large_enough_for_worker_processes_round_trips(tmp_path):
    # Over 200 protocols both commands hand the work to worker processes: create spools what
    # they send back, verify sends them the protocols read one chunk at a time.
    sources = _many_protocols(tmp_path, 230)
    bundle = tmp_path / "many.pkb"
    create(sources, bundle)
    entries = entries_of(bundle)
    assert sum(name.startswith("protocols/") for name in entries) == 230
    assert bundle.read_bytes() == write_archive(entries)
    verified = run_protokit("bundle", "verify", str(bundle), "--allow-untrusted")
    assert verified.code == 0, verified.stderr
    assert "protocols:  230" in verified.stdout
    assert verified.stdout.rstrip().endswith("result:     OK")


def test_a_failed_create_leaves_nothing_behind(tmp_path):
    sources = copy_examples(tmp_path)
    (sources / "broken.json").write_text('{"id": 3', encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_protokit(
        "bundle", "create", str(sources), "-o", str(tmp_path / "b.pkb"), *PUBLISHER
    )
    assert result.code == 1
    assert "no bundle was written" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_bundle_changed_after_it_was_checked_is_refused_when_read(tmp_path):
    # verify reads each entry again when it checks it: what it reads must be what was hashed.
    sources = copy_examples(tmp_path)
    bundle = tmp_path / "clinic.pkb"
    create(sources, bundle)
    opened = open_bundle(bundle)
    name = "protocols/psoas-stretch-glute-bridge.json"
    data = bundle.read_bytes()
    at = data.index(name.encode() + b"{") + len(name) + 1  # in the entry, after its header
    with bundle.open("r+b") as handle:
        handle.seek(at)
        handle.write(b" ")
    with pytest.raises(BundleRefused) as refused:
        opened.files[name]
    assert str(refused.value) == f"{bundle}: the file changed while it was read: try again"


def test_a_damaged_entry_is_named_before_a_changed_header(tmp_path):
    # Read whole, every entry was read (a damaged one refused) before the archive's form was
    # compared; read entry by entry, a changed header found first must not hide the damage.
    path = tmp_path / "t.pkb"
    data = bytearray(write_archive(FILES))
    data[10] ^= 1  # the time in the first local header (manifest.json): not canonical
    path.write_bytes(bytes(data))
    assert "is not in the canonical bundle form" in archive_refusal(path)
    data[data.find(b'{"b": 1}') + 2] ^= 1  # and protocols/b.json, later, damaged
    path.write_bytes(bytes(data))
    assert archive_refusal(path) == (
        f'{path}: entry "protocols/b.json" is damaged: its content was changed or damaged '
        "after the bundle was made: ask the sender for the original file"
    )


def test_bytes_after_a_canonical_archive_are_refused(tmp_path):
    path = tmp_path / "t.pkb"
    path.write_bytes(write_archive(FILES) + b"\0")
    assert "is not in the canonical bundle form" in archive_refusal(path)
    path.write_bytes(b"\0" + write_archive(FILES))
    assert "is not in the canonical bundle form" in archive_refusal(path)


def test_a_spool_that_gives_back_less_than_was_put_in_writes_no_bundle(tmp_path, monkeypatch):
    # The archive's headers are made from the sizes and CRC-32s taken as the files went into
    # the spool; a file read back shorter (a disk error) must not become a bundle.
    from protocol_kit.bundle import spool

    real = spool.Spool._chunks

    def cut_short(self, spooled):
        for chunk in real(self, spooled):
            yield chunk[:-1]

    monkeypatch.setattr(spool.Spool, "_chunks", cut_short)
    sources = copy_examples(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_protokit(
        "bundle", "create", str(sources), "-o", str(tmp_path / "b.pkb"), *PUBLISHER
    )
    assert result.code != 0
    assert "its content was lost" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_full_disk_while_spooling_is_one_line_naming_the_bundle(tmp_path, monkeypatch):
    import errno
    import io

    from protocol_kit.bundle import spool

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spool, "_temporary", lambda folder: Full())
    sources = copy_examples(tmp_path)
    output = tmp_path / "b.pkb"
    result = run_protokit("bundle", "create", str(sources), "-o", str(output), *PUBLISHER)
    assert result.code != 0
    assert result.stderr.strip() == (
        f"protokit: error: {output}: cannot write: No space left on device"
    )
    assert not output.exists()


def test_entries_are_read_the_same_where_the_system_has_no_pread(tmp_path, monkeypatch):
    # Windows has no os.pread: the entries are then read by moving the file's offset, which
    # must give the same bytes and leave the handle where its own reads expect it.
    sources = copy_examples(tmp_path)
    bundle = tmp_path / "clinic.pkb"
    create(sources, bundle, "--fhir")
    expected = entries_of(bundle)
    monkeypatch.delattr("os.pread")
    opened = open_bundle(bundle)
    assert {name: opened.files[name] for name in opened.files} == {
        name: content for name, content in expected.items() if name not in (MANIFEST, SIGNATURE)
    }
    name = "protocols/psoas-stretch-glute-bridge.json"
    assert opened.files[name] == expected[name]  # read again, after every other entry


def test_a_spool_that_cannot_be_flushed_at_the_end_hides_no_error(tmp_path, monkeypatch):
    import errno
    import io

    from protocol_kit.bundle import spool

    # A full disk: the spool's buffer could not be written out when it was closed, and that
    # failure, raised last, replaced the error the command was reporting with "cannot write
    # the output", naming no file (H852).
    class Unflushable(io.BytesIO):
        def close(self):
            raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(spool, "_temporary", lambda folder: Unflushable())
    sources = copy_examples(tmp_path)
    output = tmp_path / "missing" / "b.pkb"
    result = run_protokit("bundle", "create", str(sources), "-o", str(output), *PUBLISHER)
    assert result.code == 2
    assert result.stderr.startswith(f"protokit: error: {output}: folder "), result.stderr
    assert result.stderr.count("\n") == 1 and not output.exists()
