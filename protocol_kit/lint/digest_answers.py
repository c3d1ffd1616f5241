"""Answers kept between runs by a 16-byte digest of their question, held as sorted arrays of
numbers rather than as a dictionary of objects (issue 17, thirty-first sitting).

The lint's answers about whole files (`lint.across_runs`, up to `MOST_FILES`; and since the
thirty-third sitting those about parts and exercises, up to `MOST`) were a
`cache.Recent`: the file read into a dictionary at the first question, every key a bytes
object, every answer its tuples and dictionaries, and each answer a process added held
likewise until its end; at 100,000 files about 3 MB of the largest process, growing with the
run (docs/performance.md). Nearly every answer is the same one (no finding: 15,542 of 16,384
in the benchmark's file, the rest a handful of distinct ones), and a run asks each question
once. So here:

- a question's digest is two 64-bit numbers: the first 8 bytes, in an `array` kept sorted
  and searched by `bisect` (in C, no object made for the numbers it passes), and the last 8,
  compared only where the first match; a digest is found only when all 16 bytes are equal;
- a question asked again in the run that added its answer (the lint's answers about a part or
  an exercise, asked again when its run memo let them go) finds it among what was added;
- an answer is marshal's writing, each distinct one once in a segment, read back only when
  its question is found (`get`): a miss, the whole of a first run, makes no object;
- what a process adds goes into 256 sorted buckets by its digest's first byte (an
  `array.insert` into a bucket of about a 256th of the answers), so that its end writes them
  as one sorted segment without a sort, whose temporary list of objects would have raised
  the very peak this is about;
- the file is a list of segments, newest first, each the answers one process added: a save
  reads the file, puts its own segment first and the file's after it, newest first, while
  there is room for `most`: a small one (`SMALL`) taken into its own (not searched on its
  own by every later question), the last cut to the room left (its first answers by digest,
  which are of one run or, where small ones were taken into it, of a few), at most
  `MOST_SEGMENTS`. No segment is sorted again, so a worker's end costs a read and a write
  of the file, as `cache.Recent`'s did.

The file is a `cache.store_at` file with pieces (its label names the code and data the
answers depend on; its CRC-32 is checked before anything is read) of native byte order,
which the payload names: a file written on another machine's order is not read. The payload
holds each segment's count and answers and the CRC-32 of the pieces; the pieces are the
segments' arrays, written from the arrays themselves (a marshal writing of them was a full
copy at a first run's end, its largest moment; issue 17, thirty-second sitting) and read
into arrays from the file's bytes where they lie. A file of the first layout is not read.
A damaged or foreign file is not used (`_segments_in`); since every digest is compared
whole, a segment in the wrong order can only miss, never give another question's answer; an
answer that does not read back or does not fit (`fits`) is worked out again.
"""

from __future__ import annotations

import _thread
import marshal
import os
import sys
from array import array
from bisect import bisect_left, bisect_right
from struct import Struct
from zlib import crc32

from protocol_kit.cache import (
    UNKNOWN,
    answer_fits,
    cache_dir,
    locked_folder,
    store_at,
    stored_at,
    when_this_process_ends,
)
from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# What the payload starts with: its layout, and the byte order and sizes of its numbers.
_LAYOUT = ("digest answers", 2, sys.byteorder, array("Q").itemsize, array("I").itemsize)
_DIGEST = 16
# A segment of at most this many answers is taken into the saving process's own, not kept
# as a segment of its own: a run of a few hundred files would otherwise leave a segment to be
# searched by every later question (a look-up is one `bisect` a segment).
SMALL = 2048
# Segments kept at most (beyond them the oldest are dropped): a question's miss costs one
# `bisect` a segment.
MOST_SEGMENTS = 6


# A digest's first and last 8 bytes as numbers, in one call: a quarter of two `int.from_bytes`
# of slices, and asked twice for each new answer about a part or an exercise (thirty-third
# sitting).
_numbers: Callable[[bytes], tuple[int, int]] = Struct(">QQ").unpack


class _Segment:
    """Answers one process added, sorted by digest: the digests' first and last 8 bytes as
    numbers (`firsts`, `lasts`), the index of each one's answer (`which`), and the distinct
    answers as marshal wrote them (`answers`)."""

    __slots__ = ("answers", "firsts", "lasts", "which")

    def __init__(self, firsts: array, lasts: array, which: array, answers: tuple) -> None:
        self.firsts, self.lasts, self.which, self.answers = firsts, lasts, which, answers

    def find(self, first: int, last: int) -> bytes | None:
        """The writing of the answer to the digest whose numbers are `first` and `last`."""
        firsts = self.firsts
        at = bisect_left(firsts, first)
        while at < len(firsts) and firsts[at] == first:
            if self.lasts[at] == last:
                return self.answers[self.which[at]]
            at += 1
        return None

    def __len__(self) -> int:
        return len(self.firsts)

    def shape(self) -> tuple:
        """What the payload keeps of the segment: its count and its answers."""
        return (len(self.firsts), self.answers)

    def pieces(self) -> tuple[array, array, array]:
        """The arrays the file keeps after the payload, in this order."""
        return (self.firsts, self.lasts, self.which)

    def oldest_dropped(self, keep: int) -> _Segment:
        """The segment with `keep` of its answers: the first by digest, of one process's run
        or, where small segments were taken into it, of a few of the same age or older."""
        return _Segment(self.firsts[:keep], self.lasts[:keep], self.which[:keep], self.answers)


def _segments_in(found: Any) -> list[_Segment] | None:
    """The segments of a file's payload and pieces, or None when they are not of the shape
    `DigestAnswers._save` writes or the pieces' check fails (a damaged or foreign file)."""
    if type(found) is not tuple or len(found) != 2:
        return None
    payload, pieces = found
    if type(payload) is not tuple or len(payload) != 3 or payload[0] != _LAYOUT:
        return None
    _, check, shapes = payload
    if type(shapes) is not tuple or type(check) is not int or crc32(pieces) != check:
        return None
    segments = []
    at = 0
    for shape in shapes:
        if not (
            type(shape) is tuple
            and len(shape) == 2
            and type(shape[0]) is int
            and shape[0] >= 0
            and type(shape[1]) is tuple
            and all(type(answer) is bytes for answer in shape[1])
        ):
            return None
        count, answers = shape
        numbers = array("Q"), array("Q"), array("I")
        for kept in numbers:
            end = at + count * kept.itemsize
            if end > len(pieces):
                return None
            kept.frombytes(pieces[at:end])
            at = end
        if numbers[2] and max(numbers[2]) >= len(answers):
            return None
        segments.append(_Segment(*numbers, answers))
    return segments if at == len(pieces) else None


class _Added:
    """What this process added, in 256 buckets by the digest's first byte, each sorted."""

    def __init__(self) -> None:
        self.buckets: list[tuple[array, array, array] | None] = [None] * 256
        self.count = 0
        self.answers: dict[bytes, int] = {}  # each distinct answer's writing, by its index
        self.written: list[bytes] = []  # the same writings, at their indexes

    def add(self, first: int, last: int, answer: bytes) -> None:
        which = self.answers.setdefault(answer, len(self.answers))
        if which == len(self.written):
            self.written.append(answer)
        number = first >> 56
        bucket = self.buckets[number]
        if bucket is None:
            bucket = self.buckets[number] = (array("Q"), array("Q"), array("I"))
        firsts, lasts, whiches = bucket
        at = bisect_right(firsts, first)
        firsts.insert(at, first)
        lasts.insert(at, last)
        whiches.insert(at, which)
        self.count += 1

    def find(self, first: int, last: int) -> bytes | None:
        """The writing of the answer added for the digest whose numbers are `first` and
        `last`, or None."""
        bucket = self.buckets[first >> 56]
        if bucket is None:
            return None
        firsts, lasts, whiches = bucket
        at = bisect_left(firsts, first)
        while at < len(firsts) and firsts[at] == first:
            if lasts[at] == last:
                return self.written[whiches[at]]
            at += 1
        return None

    def take(self, segment: _Segment) -> None:
        """Take in a segment's answers (a small one of the file's), but those of a digest
        added here (the newer answer)."""
        for first, last, which in zip(segment.firsts, segment.lasts, segment.which, strict=True):
            if self.find(first, last) is None:
                self.add(first, last, segment.answers[which])

    def segment(self) -> _Segment:
        """The answers added, as one sorted segment; the buckets let go of as they are
        copied into it, so that a worker's end holds them once, not twice."""
        numbers = array("Q"), array("Q"), array("I")
        for number, bucket in enumerate(self.buckets):
            if bucket is not None:
                self.buckets[number] = None
                for kept, more in zip(numbers, bucket, strict=True):
                    kept.extend(more)
        self.count = 0
        return _Segment(*numbers, tuple(self.written))


class DigestAnswers:
    """`cache.Recent`'s questions for answers by a 16-byte digest (the lint's answers about
    whole files, parts and exercises), held as sorted numbers (the module's note). `get`
    gives `UNKNOWN` for a digest not kept; `add` keeps an answer (plain data: marshal's
    types), saved with the file's others when this process ends. The first `most` a run adds
    are kept, then the file's, newest first."""

    def __init__(
        self, name: str, most: int, label: str, fits: Callable[[Any], bool] | None = None
    ) -> None:
        self.path = cache_dir() / name
        self.label = label  # names what the answers depend on besides their digests
        self.most = most
        self.fits = fits  # whether a kept answer has the shape the asker takes (H588)
        self._segments: list[_Segment] | None = None  # read on the first question
        self._added: _Added | None = None
        self._saver = 0  # the process that set itself to save them
        # The workbench checks files in several threads: one bucket's three arrays are
        # changed together (H1163).
        self._lock = _thread.allocate_lock()

    def get(self, digest: bytes) -> Any:
        """The answer kept for `digest`, or `UNKNOWN` (also for one that does not fit): this
        process's own (`add`) first, then the file's, newest first."""
        segments = self._segments
        if segments is None:
            segments = self._segments = self._kept()
        first, last = _numbers(digest)
        written = None
        added = self._added
        if added is not None and added.count:
            # Asked again within a run (the lint's answers about a part or an exercise, when
            # its run memo let them go): found, not worked out and added a second time. Under
            # the lock: another thread's `add` changes a bucket's three arrays together.
            with self._lock:
                written = added.find(first, last)
        if written is None:
            for segment in segments:
                written = segment.find(first, last)
                if written is not None:
                    break
            else:
                return UNKNOWN
        try:
            answer = marshal.loads(written)
        except Exception:  # noqa: BLE001 (any damage: worked out again)
            return UNKNOWN
        if self.fits is not None and not answer_fits(self.fits, answer):
            return UNKNOWN
        return answer

    def add(self, digest: bytes, answer: Any) -> None:
        """Keep `answer` for `digest`, in the file when this process ends. A run of more
        questions than the file keeps keeps its first `most` and holds no more."""
        if len(digest) != _DIGEST:
            raise ValueError(f"a digest of {_DIGEST} bytes, not {len(digest)}")
        written = marshal.dumps(answer)
        with self._lock:
            if self._saver != os.getpid():
                # A forked worker starts with its parent's: its own are saved at its own end.
                self._saver, self._added = os.getpid(), _Added()
                when_this_process_ends(self._save)
            added = self._added
            if added.count < self.most:
                added.add(*_numbers(digest), written)

    def _kept(self) -> list[_Segment]:
        """The file's segments now, or none when there is no usable file."""
        segments = _segments_in(stored_at(self.path, self.label, pieces=True))
        return [] if segments is None else segments

    def _save(self) -> None:
        added = self._added
        if os.getpid() != self._saver or added is None or not added.count:
            return  # registered by the process this one was forked from
        try:
            descriptor = locked_folder(self.path.parent)
            try:
                # The workers of a run end together: each reads the file and writes it back
                # with its own first, while the folder is locked, so none writes over what
                # another added.
                older = [] if added.count >= self.most else self._kept()
                # Newest first, as long as there is room: a small segment taken into this
                # process's own, a larger one kept as it is (the oldest cut to the room left).
                kept = []
                for segment in older:
                    room = self.most - added.count - sum(map(len, kept))
                    if room <= 0 or len(kept) == MOST_SEGMENTS - 1:
                        break
                    if len(segment) > room:
                        segment = segment.oldest_dropped(room)
                    if len(segment) <= SMALL:
                        added.take(segment)
                    else:
                        kept.append(segment)
                # This process's answers are the file's now: a later save adds only newer.
                self._added = _Added()
                segments = [added.segment(), *kept]
                pieces = tuple(piece for segment in segments for piece in segment.pieces())
                check = 0
                for piece in pieces:
                    check = crc32(piece, check)
                payload = (_LAYOUT, check, tuple(segment.shape() for segment in segments))
                store_at(self.path, self.label, payload, pieces)
            finally:
                if descriptor is not None:
                    os.close(descriptor)  # the lock goes with the descriptor
        except Exception:  # noqa: BLE001, S110 (nothing may reach the user from the cache)
            pass
