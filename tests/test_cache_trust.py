"""The user's cache folder is read and written only where nobody else could have put a file
(H540): a kept answer can skip a check, so a planted one could let a failing file pass."""

from __future__ import annotations

import os

import pytest

from protocol_kit import cache

CREATE = "CREATE TABLE t (code TEXT PRIMARY KEY, known INTEGER NOT NULL)"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(where))
    return where


def test_a_value_is_kept_in_the_users_own_folder(folder):
    cache.store("x.marshal", "label", {"a": 1})
    assert cache.stored("x.marshal", "label") == {"a": 1}
    assert folder.stat().st_mode & 0o077 == 0  # made for this user alone
    assert (folder / "x.marshal").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("mode", [0o777, 0o757, 0o1777])
def test_nothing_is_read_from_or_written_to_a_folder_others_may_write(folder, mode):
    cache.store("x.marshal", "label", {"a": 1})
    folder.chmod(mode)
    assert cache.stored("x.marshal", "label") is None
    cache.store("y.marshal", "label", {"b": 2})
    assert not (folder / "y.marshal").exists()
    assert cache.open_table("t.sqlite", CREATE) is None
    assert not (folder / "t.sqlite").exists()


def test_a_file_others_may_write_is_never_read(folder):
    cache.store("x.marshal", "label", {"a": 1})
    (folder / "x.marshal").chmod(0o606)
    assert cache.stored("x.marshal", "label") is None


def test_a_kept_file_that_is_a_link_is_never_read(folder, tmp_path):
    cache.store("x.marshal", "label", {"a": 1})
    (folder / "x.marshal").rename(tmp_path / "planted.marshal")
    (folder / "x.marshal").symlink_to(tmp_path / "planted.marshal")
    assert cache.stored("x.marshal", "label") is None


def test_a_table_that_is_a_link_is_never_opened(folder, tmp_path):
    connection = cache.open_table("t.sqlite", CREATE, lambda: [("A00", 1)])
    assert connection is not None
    connection.close()
    (folder / "t.sqlite").rename(tmp_path / "planted.sqlite")
    (folder / "t.sqlite").symlink_to(tmp_path / "planted.sqlite")
    assert cache.open_table("t.sqlite", CREATE, lambda: [("A00", 1)]) is None
    assert (tmp_path / "planted.sqlite").exists()  # not replaced through the link either


def test_a_link_planted_under_a_temporary_name_is_not_written_through(folder, tmp_path):
    folder.mkdir(mode=0o700)
    target = tmp_path / "precious.txt"
    target.write_text("the user's own file")
    for name in ("x.marshal", "t.sqlite"):
        (folder / f".{name}.{os.getpid()}.tmp").symlink_to(target)
    cache.store("x.marshal", "label", {"a": 1})
    cache.open_table("t.sqlite", CREATE, lambda: [("A00", 1)])
    assert target.read_text() == "the user's own file"


def test_a_named_pipe_in_place_of_a_kept_file_never_hangs(folder):
    folder.mkdir(mode=0o700)
    os.mkfifo(folder / "x.marshal")
    assert cache.stored("x.marshal", "label") is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_folder_or_file_of_another_account_is_never_read(folder):
    cache.store("x.marshal", "label", {"a": 1})
    os.chown(folder / "x.marshal", 65534, 65534)
    assert cache.stored("x.marshal", "label") is None
    os.chown(folder / "x.marshal", 0, 0)
    assert cache.stored("x.marshal", "label") == {"a": 1}
    os.chown(folder, 65534, 65534)
    assert cache.stored("x.marshal", "label") is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_group_write_is_allowed_for_the_users_private_group_alone(folder):
    cache.store("x.marshal", "label", {"a": 1})
    folder.chmod(0o770)
    assert cache.stored("x.marshal", "label") == {"a": 1}  # root's group is root's own
    os.chown(folder, 0, 65534)
    assert cache.stored("x.marshal", "label") is None


def test_a_named_pipe_in_place_of_the_cache_folder_never_hangs_a_save(folder):
    # Each worker of a large `validate` saves its answers as it ends, with the cache folder
    # locked: the folder was opened for reading as it was, and a named pipe there (or a link
    # to one) waited for a writer for ever, so the run hung (H1273). The thread's time limit
    # only catches that hang; the pipe is then opened for writing to let it go.
    import threading

    os.mkfifo(folder)
    recent = cache.Recent("answers.recent.marshal")
    recent.add("question", 1)
    saving = threading.Thread(target=recent._save, daemon=True)
    saving.start()
    saving.join(timeout=60)
    hung = saving.is_alive()
    if hung:
        os.close(os.open(folder, os.O_WRONLY | os.O_NONBLOCK))
        saving.join()
    assert not hung
    assert cache.Recent("answers.recent.marshal").get("question") is cache.UNKNOWN
