"""The canonical archive: readable by standard tools, identical on every machine, and names that
could escape a folder are never written."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest

from protocol_kit.bundle import BundleRefused
from protocol_kit.bundle.archive import name_problem, read_archive, write_archive

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


@pytest.mark.parametrize(
    "name", ["manifest.json", "protocols/media/ab12.png", "schemas/a-b.schema.json"]
)
def test_safe_names(name):
    assert name_problem(name) is None
