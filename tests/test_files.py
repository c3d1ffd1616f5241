"""Writing outputs: whole or not at all, with the permissions a user expects."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from protocol_kit import files
from protocol_kit.errors import OutputError
from protocol_kit.files import PDF, refuse_to_replace, writable_folder, write_atomic


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


# -- refuse_to_replace: an output never replaces an input, or a file of another kind ---------


def test_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path):
    protocol = tmp_path / "back.json"
    protocol.write_text('{"id": "back"}')
    with pytest.raises(OutputError) as refused:
        refuse_to_replace(protocol, [("the protocol", protocol)], PDF, "the sheet")
    message = str(refused.value)
    assert message.startswith(f"{protocol}: is the protocol that the sheet is made from")
    assert "\n" not in message
    assert protocol.read_text() == '{"id": "back"}'


def test_the_same_file_by_another_name_is_refused(tmp_path):
    protocol = tmp_path / "back.json"
    protocol.write_text("{}")
    other_name = tmp_path / "link.json"
    other_name.symlink_to(protocol)
    spelled = tmp_path / "sub" / ".." / "back.json"
    (tmp_path / "sub").mkdir()
    for output in (other_name, spelled):
        with pytest.raises(OutputError, match="is the prescription"):
            refuse_to_replace(output, [("the prescription", protocol)], PDF)


def test_an_existing_file_of_another_kind_is_refused(tmp_path):
    notes = tmp_path / "notes.pdf"
    notes.write_text("Phone Alex on Monday")
    with pytest.raises(OutputError, match="exists and is not a PDF"):
        refuse_to_replace(notes, [], PDF, "the sheet")
    assert notes.read_text() == "Phone Alex on Monday"


def test_an_earlier_output_an_empty_file_or_a_new_name_may_be_written(tmp_path):
    earlier = tmp_path / "sheet.pdf"
    earlier.write_bytes(b"%PDF-1.4\n...")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    source = tmp_path / "back.json"
    source.write_text("{}")
    for output in (earlier, empty, tmp_path / "new.pdf"):
        refuse_to_replace(output, [("the protocol", source), ("the logo", None)], PDF)


def test_a_folder_that_cannot_be_written_is_found_before_any_work(tmp_path, monkeypatch):
    assert writable_folder(tmp_path / "a" / "b", create=True).is_dir()
    assert [p.name for p in (tmp_path / "a" / "b").iterdir()] == []  # the probe is removed
    a_file = tmp_path / "sheets"
    a_file.write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        writable_folder(a_file, create=True)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(OutputError, match="cannot write in the folder: Read-only file system"):
        writable_folder(tmp_path, create=True)


def test_text_in_pieces_is_written_whole_or_not_at_all(tmp_path):
    target = tmp_path / "report.json"
    write_atomic(target, (piece for piece in ["{", '"é": ', "1}\n"]))
    assert target.read_text(encoding="utf-8") == '{"é": 1}\n'

    def failing():
        yield "{"
        raise RuntimeError("the reporter failed half-way")

    with pytest.raises(RuntimeError):
        write_atomic(target, failing())
    # The earlier report is kept whole, and no temporary file is left behind.
    assert target.read_text(encoding="utf-8") == '{"é": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
