"""Writing outputs: whole or not at all, with the permissions a user expects."""

from __future__ import annotations

import os
import stat

import pytest

from protocol_kit.errors import OutputError
from protocol_kit.files import write_atomic


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_gets_the_usual_permissions_so_others_can_print_it(tmp_path, umask_022):
    # A sheet written for the front desk must not come out readable by its writer only.
    sheet = write_atomic(tmp_path / "sheet.pdf", b"%PDF-1.4\n")
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path, umask_022):
    report = tmp_path / "report.txt"
    report.write_text("old")
    report.chmod(0o640)
    write_atomic(report, "new")
    assert report.read_text() == "new" and stat.S_IMODE(report.stat().st_mode) == 0o640


def test_a_private_file_is_readable_by_its_owner_only(tmp_path, umask_022):
    key = write_atomic(tmp_path / "clinic.key", b"secret", private=True)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_an_existing_file_is_not_replaced_without_overwrite(tmp_path):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"keep")
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, b"new", overwrite=False)
    assert target.read_bytes() == b"keep"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]  # no temporary left behind
