"""Answers kept between runs by a 16-byte digest, as sorted numbers (`digest_answers`: the
lint's answers about whole files, issue 17, thirty-first sitting)."""

from __future__ import annotations

import marshal
import os
import threading
import zlib

import pytest

from protocol_kit.cache import UNKNOWN
from protocol_kit.digests import blake2b
from protocol_kit.lint import digest_answers
from protocol_kit.lint.digest_answers import DigestAnswers

LABEL = "protokit test answers 1"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    return tmp_path


def _digest(text: str) -> bytes:
    return blake2b(text.encode(), digest_size=16).digest()


def _opened(most: int = 100, fits=None) -> DigestAnswers:
    return DigestAnswers("answers.marshal", most=most, label=LABEL, fits=fits)


def test_an_answer_is_given_only_for_a_digest_equal_in_all_its_bytes(cache):
    # H1285: digests are held as two numbers, the first 8 bytes searched and the last 8
    # compared where they match. Digests that share their first 8 bytes, or their last 8,
    # are other questions: each gets its own answer, or none.
    base = bytes(range(16))
    same_first = base[:8] + bytes(8)
    same_last = bytes(8) + base[8:]
    kept = _opened()
    kept.add(base, {"SAFE013": ()})
    kept.add(same_first, ())
    kept._save()
    again = _opened()
    assert again.get(base) == {"SAFE013": ()}
    assert again.get(same_first) == ()
    assert again.get(same_last) is UNKNOWN
    assert again.get(base[:8] + b"\xff" * 8) is UNKNOWN


def test_answers_are_found_after_many_saves_newest_first_and_bounded(cache):
    # Each save is a segment of the file (its process's answers, sorted), put first; small
    # ones are taken into the saving process's, and the oldest segment cut to the room left.
    for run in range(5):
        kept = _opened(most=5000)
        for number in range(3000):
            kept.add(_digest(f"{run}-{number}"), run)
        kept._save()
    again = _opened(most=5000)
    found = {
        run: sum(again.get(_digest(f"{run}-{n}")) == run for n in range(3000)) for run in range(5)
    }
    assert found[4] == 3000  # the newest whole
    assert sum(found.values()) == 5000  # then what the room left holds of the older
    assert sum(map(len, again._kept())) == 5000


def test_a_run_of_more_answers_than_the_file_keeps_holds_no_more(cache):
    # A run over more files than the file keeps held twice as many as it keeps (57 MB at
    # 100,000 files, 43 MB at 1,000): it holds the first `most` it adds and saves them.
    kept = _opened(most=3)
    for number in range(7):
        kept.add(_digest(f"f{number}"), number)
    assert kept._added.count == 3
    kept._save()
    again = _opened(most=3)
    assert [again.get(_digest(f"f{n}")) for n in range(4)] == [0, 1, 2, UNKNOWN]


def test_small_segments_are_taken_into_the_next_one_without_repeating_a_digest(cache):
    kept = _opened()
    kept.add(_digest("a"), 1)
    kept._save()
    kept = _opened()
    kept.add(_digest("a"), 2)  # its answer did not fit: worked out again
    kept.add(_digest("b"), 3)
    kept._save()
    again = _opened()
    (segment,) = again._kept()
    assert len(segment.firsts) == 2
    assert again.get(_digest("a")) == 2 and again.get(_digest("b")) == 3


def _damaged(path, position: int) -> None:
    written = bytearray(path.read_bytes())
    written[position] ^= 0x5A
    path.write_bytes(bytes(written))


def test_a_damaged_truncated_or_foreign_file_gives_no_other_answer_and_no_error(cache):
    # H1286: any byte of the file changed, the file cut anywhere, or a payload of another
    # shape (another byte order, an answer's index beyond the answers): each question gets
    # its own answer or UNKNOWN, never another's, and nothing is raised.
    kept = _opened()
    questions = {
        _digest(f"q{n}"): ({"GOV002": ((f"/x{n}", "m", False, None, None, None),)})
        for n in range(40)
    }
    for digest, answer in questions.items():
        kept.add(digest, answer)
    kept._save()
    path = kept.path
    written = path.read_bytes()
    cases = [("byte", n) for n in range(0, len(written), 7)] + [
        ("cut", n) for n in range(0, len(written), 13)
    ]
    for how, at in cases:
        path.write_bytes(written)
        if how == "byte":
            _damaged(path, at)
        else:
            path.write_bytes(written[:at])
        again = _opened()
        for digest, answer in questions.items():
            assert again.get(digest) in (answer, UNKNOWN), (how, at)
    from array import array

    from protocol_kit.cache import store_at

    first, last = (int.from_bytes(d, "big") for d in (b"\x01" * 8, b"\x02" * 8))
    numbers = (array("Q", [first]), array("Q", [last]), array("I", [0]))

    def check(*pieces) -> int:
        return zlib.crc32(b"".join(bytes(piece) for piece in pieces))

    layout = digest_answers._LAYOUT
    beyond = (*numbers[:2], array("I", [5]))  # the answer's index beyond the answers
    for payload, pieces in [
        ((layout, check(*beyond), ((1, (b"",)),)), beyond),
        (((*layout[:2], "middle", 8, 4), check(*numbers), ((1, (b"",)),)), numbers),
        ((layout, check(*numbers), ((2, (b"",)),)), numbers),  # a count beyond the pieces
        ((layout, check(*numbers), ((0, (b"",)),)), numbers),  # pieces left over
        ((layout, check(*numbers) ^ 1, ((1, (b"",)),)), numbers),  # the pieces' check
        ((layout, check(*numbers), ((-1, (b"",)),)), numbers),
        ((layout, check(*numbers), "segments"), numbers),
        ({"a": 1}, numbers),
    ]:
        store_at(path, LABEL, payload, pieces)
        assert _opened().get(b"\x01" * 8 + b"\x02" * 8) is UNKNOWN, payload
    # The same file well formed is read (so that each case above fails for its own reason).
    store_at(path, LABEL, (layout, check(*numbers), ((1, (marshal.dumps(7),)),)), numbers)
    assert _opened().get(b"\x01" * 8 + b"\x02" * 8) == 7


def test_a_file_of_the_first_layout_gives_no_answer_and_no_error(cache):
    # H1486: the file's first layout (each segment's arrays written by marshal inside the
    # payload, no pieces) is refused whole, not misread as a payload and pieces.
    from array import array

    from protocol_kit.cache import store_at

    kept = _opened()
    digest = _digest("q")
    first, last = (int.from_bytes(digest[:8], "big"), int.from_bytes(digest[8:], "big"))
    segment = (
        array("Q", [first]).tobytes(),
        array("Q", [last]).tobytes(),
        array("I", [0]).tobytes(),
        (marshal.dumps(3),),
    )
    store_at(kept.path, LABEL, (("digest answers", 1, *digest_answers._LAYOUT[2:]), (segment,)))
    assert _opened().get(digest) is UNKNOWN
    kept.add(digest, 4)
    kept._save()  # written again in this layout
    assert _opened().get(digest) == 4


def test_a_save_makes_no_copy_of_the_answers_arrays(cache):
    # H1485: a first run's largest moment was its end, where the answers' arrays (up to
    # 131,072 digests, 2.6 MB) were written by marshal into one bytes object before the
    # file. They are written from the arrays themselves: the save's peak of memory, past what
    # the arrays held before it, is well under one copy of them.
    import tracemalloc

    count = 60_000
    arrays = count * (8 + 8 + 4)
    tracemalloc.start()  # before the answers are added: their buckets' release is counted
    try:
        kept = _opened(most=count)
        for number in range(count):
            kept.add(number.to_bytes(16, "little"), 0)
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        kept._save()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - before < arrays // 2, (peak - before, arrays)
    again = _opened(most=count)
    assert again.get((count - 1).to_bytes(16, "little")) == 0


def test_two_saves_at_once_keep_both_and_a_whole_file(cache):
    # H1487 (H1163's threads): two savers at once, each writing its pieces to a temporary
    # file of its own and renaming it, the folder locked: the file read after holds both.
    savers = [_opened(most=10_000) for _ in range(2)]
    for which, kept in enumerate(savers):
        for number in range(3000):
            kept.add(_digest(f"{which}-{number}"), which)
    threads = [threading.Thread(target=kept._save) for kept in savers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    again = _opened(most=10_000)
    for which in range(2):
        assert all(again.get(_digest(f"{which}-{n}")) == which for n in range(3000))


def test_an_answer_that_does_not_fit_is_worked_out_again(cache):
    kept = _opened(fits=lambda answer: type(answer) is dict)
    kept.add(_digest("a"), [1, 2])
    kept.add(_digest("b"), {})
    kept._save()
    again = _opened(fits=lambda answer: type(answer) is dict)
    assert again.get(_digest("a")) is UNKNOWN and again.get(_digest("b")) == {}


_WORKERS_ANSWERS = None  # the answers a forked worker inherits (set by the test below)


def _added_in_a_worker(number: int) -> int:
    _WORKERS_ANSWERS.add(_digest(f"w{number}"), os.getpid())
    return os.getpid()


def test_no_answer_a_forked_worker_added_is_lost_at_its_end(cache):
    # H1287: a large run's workers add most of its answers; each saves its own when
    # multiprocessing ends it (where `atexit` never runs), the folder locked, adding to what
    # the file holds then: the parent, saving last, and the workers all keep theirs.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKERS_ANSWERS
    _WORKERS_ANSWERS = kept = _opened(most=10_000)
    kept.add(_digest("parent before"), 0)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        workers = set(pool.map(_added_in_a_worker, range(3000)))
    assert os.getpid() not in workers
    kept.add(_digest("parent after"), 1)
    kept._save()  # what `atexit` does at the parent's end
    again = _opened(most=10_000)
    assert again.get(_digest("parent before")) == 0 and again.get(_digest("parent after")) == 1
    assert all(again.get(_digest(f"w{n}")) in workers for n in range(3000))


def test_threads_adding_at_once_keep_every_answer_with_its_digest(cache, monkeypatch):
    # H1288: the workbench checks files in several threads; a bucket's three arrays are
    # changed together, under a lock, or a digest would be kept with another's answer.
    import sys

    monkeypatch.setattr(sys, "getswitchinterval", sys.getswitchinterval)
    sys.setswitchinterval(1e-6)
    try:
        kept = _opened(most=100_000)

        def add(thread: int) -> None:
            for number in range(4000):
                kept.add(_digest(f"{thread}-{number}"), thread * 10_000 + number)

        threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(0.005)
    kept._save()
    again = _opened(most=100_000)
    for thread in range(4):
        for number in range(4000):
            assert again.get(_digest(f"{thread}-{number}")) == thread * 10_000 + number


def test_an_answer_added_in_this_run_is_found_again_in_it(cache):
    # H1506: the lint's answers about parts and exercises are asked again in a run when its
    # run memo let them go: found among what the run added (the newer answer first), not
    # worked out and added a second time.
    kept = _opened()
    kept.add(_digest("a"), {"SAFE013": ()})
    kept._save()
    kept = _opened()
    assert kept.get(_digest("a")) == {"SAFE013": ()}
    kept.add(_digest("a"), {"TEXT001": ()})  # the file's did not fit: worked out again
    kept.add(_digest("b"), 2)
    assert kept.get(_digest("a")) == {"TEXT001": ()} and kept.get(_digest("b")) == 2
    assert kept.get(_digest("c")) is UNKNOWN


def test_threads_asking_while_others_add_get_each_digest_its_own_answer(cache, monkeypatch):
    # H1506 (H1288's threads): a question asked while another thread adds to the same bucket
    # reads its three arrays under the lock: an answer is the digest's own or UNKNOWN.
    import sys

    monkeypatch.setattr(sys, "getswitchinterval", sys.getswitchinterval)
    kept = _opened(most=100_000)
    wrong = []
    # Every digest in one bucket (one first byte), so that each add moves what a reader reads.
    digests = [b"\x07" + _digest(f"{n}")[1:] for n in range(6000)]

    def add(thread: int) -> None:
        for number in range(thread, len(digests), 2):
            kept.add(digests[number], number)

    def ask() -> None:
        for _ in range(3):
            for number, digest in enumerate(digests):
                found = kept.get(digest)
                if found is not UNKNOWN and found != number:
                    wrong.append((number, found))

    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=add, args=(n,)) for n in range(2)]
        threads += [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(0.005)
    assert not wrong
    assert all(kept.get(digest) == number for number, digest in enumerate(digests))
