"""Writing outputs: whole or not at all, with the permissions a user expects."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

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


# -- another program writing the same file while a command makes its own (H868) -------------


def test_a_file_another_program_made_since_the_look_is_not_replaced(tmp_path):
    # Two `render -o sheet.pdf` at once: both found no sheet; the first wrote its own, and the
    # second replaced it, both saying "wrote sheet.pdf": one protocol's sheet silently lost.
    target = tmp_path / "sheet.pdf"
    seen = refuse_to_replace(target, (), PDF, "the sheet")
    target.write_bytes(b"%PDF- the other command's sheet")
    with pytest.raises(OutputError, match="was written by another program while protokit"):
        write_atomic(target, b"%PDF- this one", seen=seen)
    assert target.read_bytes() == b"%PDF- the other command's sheet"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]  # no temporary left behind


def test_a_file_replaced_since_the_look_is_not_replaced_again(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("the earlier report")
    seen = files.seen_now(target)
    replacement = tmp_path / "other.json"
    replacement.write_text("the other command's report")
    os.replace(replacement, target)  # as write_atomic does: another file in its place
    with pytest.raises(OutputError, match="was written by another program"):
        write_atomic(target, "this run's report", seen=seen)
    assert target.read_text() == "the other command's report"


def test_a_file_being_replaced_by_another_protokit_is_not_replaced(tmp_path):
    fcntl = pytest.importorskip("fcntl")
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"%PDF- earlier")
    seen = files.seen_now(target)
    other = os.open(target, os.O_RDONLY)  # the lock the other protokit holds as it replaces it
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(OutputError, match="was written by another program"):
            write_atomic(target, b"%PDF- this one", seen=seen)
    finally:
        os.close(other)
    assert target.read_bytes() == b"%PDF- earlier"
    write_atomic(target, b"%PDF- this one", seen=seen)  # once it is free, and unchanged
    assert target.read_bytes() == b"%PDF- this one"


def test_a_file_as_it_was_seen_or_gone_since_is_written(tmp_path):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"%PDF- earlier")
    seen = refuse_to_replace(target, (), PDF, "the sheet")
    write_atomic(target, b"%PDF- new", seen=seen)
    assert target.read_bytes() == b"%PDF- new"
    seen = files.seen_now(target)
    target.unlink()  # removed meanwhile: nobody's work is lost by writing it
    write_atomic(target, b"%PDF- newer", seen=seen)
    assert target.read_bytes() == b"%PDF- newer"


def test_of_two_writers_without_overwrite_the_second_is_told_it_exists(tmp_path, monkeypatch):
    # `bundle create -o x.pkb` twice at once: the check before the rename left a moment in
    # which both found no file and the second replaced the first's bundle.
    target = tmp_path / "clinic.pkb"
    real_link = os.link

    def other_first(source, destination):
        target.write_bytes(b"PK\x03\x04 the other bundle")
        return real_link(source, destination)

    monkeypatch.setattr(files.os, "link", other_first)
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, b"PK\x03\x04 this bundle", overwrite=False)
    assert target.read_bytes() == b"PK\x03\x04 the other bundle"


@pytest.mark.parametrize("link", [False, True])
def test_a_named_pipe_in_place_of_an_output_folder_never_hangs(tmp_path, link):
    # `build` and `bundle import` check their folder, then lock it; the staging folder of an
    # import is synced. A named pipe put there since the check (or a link to one) was opened
    # for reading as it was and waited for a writer for ever (H1306). The threads' time limit
    # only catches that hang; the pipe is then opened for writing to let each go.
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    folder = pipe
    if link:
        folder = tmp_path / "link"
        folder.symlink_to(pipe)
    outcome = []

    def lock():
        try:
            with files.folder_locked(folder, OutputError("busy")):
                outcome.append("locked")
        except OutputError as error:
            outcome.append(str(error))

    hung = []
    for work in (lock, lambda: files.sync_folder(folder)):
        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        thread.join(timeout=60)
        hung.append(thread.is_alive())
        while thread.is_alive():
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(timeout=1)
    assert hung == [False, False]
    assert outcome == [f"{folder}: cannot open the folder: Not a directory"]


def _written_by_an_editor_inside_the_last_check(monkeypatch, target, theirs, how):
    """The seam: an editor (which takes no lock) writes `target` at the moment protokit, holding
    its lock, has compared the file with what it saw and is about to put its own in place."""
    import fcntl

    looked = files.seen_now
    done = []

    def protokit_holds_the_lock() -> bool:
        probe = os.open(target, os.O_RDONLY)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(probe)
        return False

    def look_then_an_editor_writes(path):
        found = looked(path)
        if not done and os.path.exists(target) and protokit_holds_the_lock():
            done.append(path)
            if how == "renamed over":  # vim, VS Code, `git checkout`: a new file renamed in
                (target.parent / "editor.tmp").write_text(theirs)
                os.replace(target.parent / "editor.tmp", target)
            else:  # nano, a script's `open(..., "w")`: the same file written again
                target.write_text(theirs)
        return found

    monkeypatch.setattr(files, "seen_now", look_then_an_editor_writes)
    return done


@pytest.mark.skipif(not files.exchange_in_one_step(), reason="renameat2 RENAME_EXCHANGE (Linux)")
@pytest.mark.parametrize("how", ["renamed over", "written in place"])
def test_a_file_written_after_the_last_check_is_never_replaced(tmp_path, monkeypatch, how):
    """H1345: the last check and the rename were two steps; an editor that writes between
    them (no lock) had its file replaced without a word. The rename now swaps the two files
    in one step and looks at what it took away: not the file it checked, it is put back."""
    target = tmp_path / "back.json"
    target.write_text("as protokit read it\n")
    seen = files.seen_now(target)
    theirs = "the editor's save, a clinical edit\n"
    done = _written_by_an_editor_inside_the_last_check(monkeypatch, target, theirs, how)
    with pytest.raises(files.WrittenMeanwhile, match="back.json: was written by another program"):
        write_atomic(target, "protokit's own\n", seen=seen)
    assert done, "the seam never ran: the test proves nothing"
    assert target.read_text() == theirs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.json"]  # no temporary file left


@pytest.mark.skipif(not files.exchange_in_one_step(), reason="renameat2 RENAME_EXCHANGE (Linux)")
def test_a_file_written_between_the_swap_and_the_swap_back_is_kept_beside(tmp_path, monkeypatch):
    """H1345: a second editor's save in the moment between the swap and the swap back would
    come out at the temporary name; it is kept beside the file, named in the error."""
    target = tmp_path / "back.json"
    target.write_text("as protokit read it\n")
    seen = files.seen_now(target)
    _written_by_an_editor_inside_the_last_check(monkeypatch, target, "first editor\n", "in place")
    swap = files._exchange

    def a_second_editor_first(one, other):
        if Path(other).read_text() == "protokit's own\n":
            (tmp_path / "second.tmp").write_text("second editor\n")
            os.replace(tmp_path / "second.tmp", other)
        return swap(one, other)

    monkeypatch.setattr(files, "_exchange", a_second_editor_first)
    with pytest.raises(files.WrittenMeanwhile, match=r"kept as back\.json\.kept-1") as refused:
        write_atomic(target, "protokit's own\n", seen=seen)
    assert "\n" not in str(refused.value)
    assert target.read_text() == "first editor\n"
    assert (tmp_path / "back.json.kept-1").read_text() == "second editor\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.json", "back.json.kept-1"]


@pytest.mark.parametrize("cannot", [errno.ENOSYS, errno.EINVAL, errno.EXDEV])
def test_where_the_files_cannot_be_swapped_the_file_is_renamed_over(tmp_path, monkeypatch, cannot):
    """H1345: a system or file system without RENAME_EXCHANGE (macOS, NFS, some FUSE) writes
    the file as before: checked, then renamed."""

    def cannot_swap(one, other):
        raise OSError(cannot, os.strerror(cannot))

    monkeypatch.setattr(files, "_exchange", cannot_swap)
    target = tmp_path / "back.json"
    target.write_text("old\n")
    write_atomic(target, "new\n", seen=files.seen_now(target))
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.json"]
