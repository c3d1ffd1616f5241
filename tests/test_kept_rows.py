"""Answers kept as rows of a cache table (`protocol_kit.kept_rows`, issue 17, thirtieth
sitting): looked up one at a time and written as the run goes, so that a run holds none of
them; bounded by rows; never another label's, a damaged row's or another process's lost."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from protocol_kit.cache import UNKNOWN
from protocol_kit.kept_rows import KeptRows

NAME = "answers-test.sqlite"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(folder))
    return folder


def _rows(folder) -> int:
    with sqlite3.connect(folder / NAME) as connection:
        return connection.execute("SELECT count(*) FROM t").fetchone()[0]


def test_a_process_holds_one_batch_and_the_table_the_newest_rows(cache):
    kept = KeptRows(NAME, "label", most=10, write_every=4)
    for number in range(9):
        kept.add(b"k%d" % number, number)
        assert len(kept._to_write) < 4  # written in batches, not held
    kept.end()
    assert [KeptRows(NAME, "label", most=10).get(b"k%d" % n) for n in range(9)] == list(range(9))
    # Over the bound: the table keeps the newest `most` (a process writes at most `most`).
    for start in (100, 200):
        later = KeptRows(NAME, "label", most=10, write_every=4)
        for number in range(start, start + 12):
            later.add(b"k%d" % number, number)
        later.end()
    assert _rows(cache) == 10
    again = KeptRows(NAME, "label", most=10)
    assert [again.get(b"k%d" % n) for n in range(200, 210)] == list(range(200, 210))
    assert again.get(b"k0") is UNKNOWN and again.get(b"k210") is UNKNOWN


def test_a_row_of_another_label_is_never_given(cache):
    # The label names the code and data the answers were worked out by (H1056): a row that
    # another version wrote, even into the table this run reads, is not found.
    first = KeptRows(NAME, "label of version 1", most=10)
    first.add(b"asked", "version 1's answer")
    first.end()
    second = KeptRows(NAME, "label of version 2", most=10)
    assert second.get(b"asked") is UNKNOWN
    second.add(b"asked", "version 2's answer")
    second.end()
    assert KeptRows(NAME, "label of version 1", most=10).get(b"asked") == "version 1's answer"
    assert KeptRows(NAME, "label of version 2", most=10).get(b"asked") == "version 2's answer"


def _damaged(cache, change) -> None:
    path = cache / NAME
    content = bytearray(path.read_bytes())
    change(content)
    path.write_bytes(bytes(content))


def _one_letter(content: bytearray) -> None:
    at = content.index(b"Push through the pain")
    content[at + 1] = ord("i")  # "Pish": still a text, still the shape asked for


def _truncated(content: bytearray) -> None:
    del content[len(content) // 2 :]


def _foreign(content: bytearray) -> None:
    content[:] = b"not a table at all\n" * 300


def _overwritten_page(content: bytearray) -> None:
    content[4096 : 4096 + 64] = bytes(64) if content[4096:4100] != bytes(4) else b"\xff" * 64


@pytest.mark.parametrize(
    "damage",
    [_one_letter, _truncated, _foreign, _overwritten_page],
    ids=["one letter of an answer", "truncated", "not a table", "a page overwritten"],
)
def test_a_damaged_table_never_changes_an_answer(cache, damage):
    kept = KeptRows(NAME, "label", most=100, fits=lambda answer: type(answer) is str)
    answer = "Push through the pain: SAFE013"
    for number in range(40):
        kept.add(b"k%d" % number, answer)
    kept.end()
    _damaged(cache, damage)
    again = KeptRows(NAME, "label", most=100, fits=lambda answer: type(answer) is str)
    found = [again.get(b"k%d" % n) for n in range(40)]
    # Each answer is the one kept or unknown (worked out again); never another.
    assert set(found) <= {answer, UNKNOWN}
    if damage is _one_letter:
        assert found.count(UNKNOWN) == 1  # the damaged row alone
    # The answers worked out again are kept (the damaged row, or the next run's new table).
    again.add(b"k0", answer)
    again.end()
    later = KeptRows(NAME, "label", most=100)
    later.add(b"k0", answer)
    later.end()
    assert KeptRows(NAME, "label", most=100).get(b"k0") == answer


def test_an_answer_of_another_shape_is_not_given(cache):
    kept = KeptRows(NAME, "label", most=10)
    kept.add(b"asked", ("a tuple",))
    kept.end()
    assert KeptRows(NAME, "label", most=10, fits=lambda a: type(a) is dict).get(b"asked") is (
        UNKNOWN
    )


_WORKERS_ROWS = None  # the table a forked worker inherits (set by the test below)


def _added_in_a_worker(key: bytes) -> int:
    from protocol_kit import kept_rows

    _WORKERS_ROWS.add(key, os.getpid())
    # The parent's connection was closed before the fork: none crossed into the worker.
    assert not kept_rows._INHERITED
    return os.getpid()


def test_rows_a_forked_worker_added_are_kept_at_its_end(cache):
    # A large run's workers answer most of its files: each writes its last batch when
    # multiprocessing ends it (not at exit, which a worker never reaches), on a connection of
    # its own; none lost, none written twice, the parent's own rows too.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKERS_ROWS
    _WORKERS_ROWS = kept = KeptRows(NAME, "label", most=1000, write_every=1000)
    kept.add(b"added by the parent before the workers", 0)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        workers = set(pool.map(_added_in_a_worker, [b"w%d" % n for n in range(200)], chunksize=7))
    assert os.getpid() not in workers
    kept.add(b"added by the parent after them", 1)
    kept.end()  # what `atexit` does at the parent's end
    again = KeptRows(NAME, "label", most=1000)
    assert again.get(b"added by the parent before the workers") == 0
    assert again.get(b"added by the parent after them") == 1
    assert all(again.get(b"w%d" % n) in workers for n in range(200))
    assert _rows(cache) == 202


def test_threads_making_the_table_at_once_each_keep_their_answers(cache):
    # As the workbench's threads make the code index (H1163): each thread's table object
    # makes the missing table in a file of its own and renames it into place.
    start = threading.Barrier(8)
    failures = []

    def keep(number: int) -> None:
        try:
            start.wait()
            kept = KeptRows(NAME, "label", most=1000, write_every=1)
            kept.add(b"t%d" % number, number)
            kept.end()
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            failures.append(error)

    threads = [threading.Thread(target=keep, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    again = KeptRows(NAME, "label", most=1000)
    assert [again.get(b"t%d" % n) for n in range(8)] == list(range(8))
    # No copy left behind (a thread's temporary file), one table.
    assert {path.name for path in cache.iterdir()} <= {NAME, f"{NAME}-wal", f"{NAME}-shm"}


def test_a_folder_that_cannot_be_used_keeps_nothing_and_says_nothing(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o777)  # writable by others: never read or written (H540)
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(folder))
    kept = KeptRows(NAME, "label", most=10, write_every=1)
    kept.add(b"asked", 1)
    kept.end()
    assert kept.get(b"asked") is UNKNOWN and list(folder.iterdir()) == []
