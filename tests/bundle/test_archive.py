"""The canonical archive: readable by standard tools, identical on every machine, and names that
could escape a folder are never written."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from bundle_helpers import archive_refusal

from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import archive_pieces, name_problem, read_archive, write_archive

FILES = {"protocols/b.json": b'{"b": 1}\n', "manifest.json": b"{}\n", "schemas/x.json": b""}


def test_canonical_archive_is_independent_of_input_order_and_reads_back(tmp_path):
    data = write_archive(FILES)
    assert data == write_archive(dict(reversed(list(FILES.items()))))
    path = tmp_path / "a.pkb"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == sorted(FILES)
    assert read_archive(path).entries == dict(sorted(FILES.items()))


def test_the_layout_is_fixed_byte_for_byte():
    """A change here changes every bundle's hash: it must be deliberate (a new format version)."""
    import hashlib

    digest = hashlib.sha256(write_archive(FILES)).hexdigest()
    assert digest == "c5312eefd3359605e05f24221d7b1f0187781dfbf4abd81406eb970a1f548d0a"


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP unzip is not installed")
def test_info_zip_reads_it(tmp_path):
    path = tmp_path / "a.pkb"
    path.write_bytes(write_archive(FILES))
    listed = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert listed.returncode == 0 and "No errors detected" in listed.stdout


@pytest.mark.parametrize(
    "name",
    ["../x", "a/../../x", "/abs", "C:/x", "a\\b", "a//b", "./a", "", "ü.json", "a\x00b", "x" * 300],
)
def test_unsafe_names_are_never_written(name):
    assert name_problem(name) is not None
    with pytest.raises(BundleRefused):
        write_archive({name: b""})


def test_an_archive_written_piece_by_piece_is_refused_before_its_first_piece():
    # `bundle create` writes the pieces as they are made (to a pipe, too): an unsafe name
    # sorted after good entries must refuse the bundle before any of it is written.
    files = {"a.json": b"{}", "b.json": b"[]", "z/../../x": b""}
    with pytest.raises(BundleRefused, match="climbs out"):
        archive_pieces(files)
    good = {"a.json": b"{}", "b.json": b"[]"}
    assert b"".join(archive_pieces(good)) == write_archive(good)


@pytest.mark.parametrize(
    "name", ["manifest.json", "protocols/media/ab12.png", "schemas/a-b.schema.json"]
)
def test_safe_names(name):
    assert name_problem(name) is None


def test_damaged_entries_are_described_in_plain_words(tmp_path):
    path = tmp_path / "t.pkb"
    data = bytearray(write_archive(FILES))
    data[data.find(b'{"b": 1}') + 2] ^= 1  # one changed byte of protocols/b.json
    path.write_bytes(bytes(data))
    assert archive_refusal(path) == (
        f'{path}: entry "protocols/b.json" is damaged: its content was changed or damaged '
        "after the bundle was made: ask the sender for the original file"
    )
    data = bytearray(write_archive(FILES))
    data[0:4] = b"XXXX"  # the first local header's signature
    path.write_bytes(bytes(data))
    assert archive_refusal(path) == f'{path}: entry "manifest.json" is damaged: {ALTERED}'
    path.write_bytes(write_archive(FILES)[:40])
    assert archive_refusal(path) == (
        f"{path}: the bundle is damaged (its end is missing): it was probably cut short in "
        "transfer: ask the sender to send it again"
    )


ALTERED = (
    "the bundle was changed or damaged after it was made (its record of this file was "
    "altered), so it is not a valid bundle: ask the sender for the original file"
)


@pytest.mark.parametrize(
    ("where", "offset", "value"),
    [
        ("local", 28, b"\x04\x00"),  # the local header's extra field: 4 bytes more
        ("local", 26, b"\x0c\x00"),  # the local header's name: a byte shorter
        ("directory", 10, b"\x08\x00"),  # the directory claims DEFLATE
        ("directory", 16, b"\x01\x00\x00\x00"),  # the directory's CRC-32
    ],
    ids=["local-extra", "local-name", "directory-deflate", "directory-crc"],
)
def test_a_changed_record_of_an_entry_says_the_bundle_was_altered(tmp_path, where, offset, value):
    """H909: a bundle whose record of an entry was changed by hand (in front of its content,
    or in the list of files) was refused as "its CRC-32 check failed" (zipfile then reads
    the content from the wrong place, or checks it against another number): true, and no
    clue to a clinic that the bundle was altered. The one line names the file and the entry
    and says so."""
    data = bytearray(write_archive(FILES))
    name = b"protocols/b.json"  # named once in front of its content, once in the list
    start = data.rfind(name) - 46 if where == "directory" else data.find(name) - 30
    data[start + offset : start + offset + len(value)] = value
    path = tmp_path / "t.pkb"
    path.write_bytes(bytes(data))
    assert archive_refusal(path) == f'{path}: entry "protocols/b.json" is damaged: {ALTERED}'


@pytest.mark.parametrize(
    "error",
    [
        zipfile.BadZipFile("Bad CRC-32 for file 'x'"),
        zipfile.BadZipFile("Bad magic number for file header"),
        zipfile.BadZipFile("Overlapped entries: 'x' (possible zip bomb)"),
        zipfile.BadZipFile("File name in directory 'x' and header b'y' differ."),
        EOFError(),
        ValueError("negative seek value -1"),
        __import__("zlib").error("Error -3 while decompressing data: invalid stored block"),
    ],
)
def test_no_exception_names_reach_the_user(error):
    from protocol_kit.bundle.archive import _archive_damage, _entry_damage

    for words in (_entry_damage(error), _archive_damage(error)):
        assert (
            type(error).__name__ not in words
            and "Error" not in words
            and (not str(error) or str(error) not in words)
        )
