"""Crafted archives of the tenth sitting (s16-hostile): what a bundle's reader must refuse
before it spends memory or time on it, for every command that reads a bundle."""

from __future__ import annotations

import struct

import pytest
from hostile_helpers import assert_clean_output

from conftest import run_protokit
from protocol_kit.bundle import BundleRefused, archive

_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")


def listing(path, count: int):
    """An archive of one empty entry whose directory lists `count` empty entries: a few bytes
    each, an object each once zipfile reads the directory."""
    local = _LOCAL.pack(b"PK\x03\x04", 20, 0, 0, 0, 33, 0, 0, 0, 1, 0) + b"a"
    names = [b"%x" % n for n in range(count)]
    directory = b"".join(
        _CENTRAL.pack(b"PK\x01\x02", 0x314, 20, 0, 0, 0, 33, 0, 0, 0, len(name), 0, 0, 0, 0,
                      0o100644 << 16, 0) + name
        for name in names
    )  # fmt: skip
    listed = min(count, 0xFFFF)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, listed, listed, len(directory), len(local), 0
    )
    path.write_bytes(local + directory + end)
    return path


def test_an_archive_listing_too_many_entries_is_refused_before_zipfile_reads_it(
    tmp_path, monkeypatch
):
    """H472: zipfile builds an object for every entry of the directory before the entries are
    counted: a 100 MB archive listing two million empty entries took 1.1 GB of memory and 40
    seconds to be refused. The count is now taken from the bytes first."""
    bundle = listing(tmp_path / "many.pkb", 30_000)
    opened = []
    monkeypatch.setattr(archive.zipfile, "ZipFile", lambda *a, **k: opened.append(a))
    with pytest.raises(BundleRefused, match=r"the archive has 30,000 entries, over the limit"):
        archive.read_archive(bundle)
    with pytest.raises(BundleRefused, match=r"the archive has 30,000 entries, over the limit"):
        archive.peek_archive(bundle, ("manifest.json",))
    assert opened == []


@pytest.mark.parametrize(
    "command", [("bundle", "inspect"), ("bundle", "verify"), ("bundle", "import")]
)
def test_every_bundle_command_refuses_an_archive_listing_too_many_entries(tmp_path, command):
    bundle = listing(tmp_path / "many.pkb", 30_000)
    target = tmp_path / "target"
    target.mkdir()
    extra = ("--into", str(target), "--allow-untrusted") if command[1] == "import" else ()
    result = run_protokit(*command, str(bundle), *extra)
    assert result.code in (1, 2)
    assert_clean_output(result)
    said = result.stdout + result.stderr
    assert "many.pkb: the archive has 30,000 entries, over the limit of 20,000" in said, said
    assert list(target.iterdir()) == []
