"""The paths of a run's files, held compactly: a run over 100,000 files keeps their names
while it checks them (to name each report, and to hand them to the workers), and a list of
strings cost about 80 bytes a path in the run's largest process, and in every worker forked
from it, so that the memory of `protokit validate` grew with the corpus (issue 17).

Here the folder part ("protocols/library/") is held once for each run of paths in that folder,
as a folder walk gives them, and the names are kept in pieces of 4,096. A full piece is held
packed (`zlib`): its names joined into one text, and where each ends. Unpacked, a name cost its
characters and four bytes for its end, about 15 bytes a path, 1.4 MB at 100,000 files in every
process of the run; packed, a folder walk's names (which share most of their characters with
the names beside them) cost about 2 bytes a path. A piece is unpacked when a path in it is
read (the paths are read in order: each piece once for each reading, the last one kept), and
the last piece, not yet full, is held as it is: a run of fewer than 4,096 files packs nothing.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, groupby

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeVar, overload

    T = TypeVar("T")
_SHIFT = 12
_PIECE = 1 << _SHIFT  # names joined into one text: paths a piece holds
# Where a path's folder part ends: after its last separator, "/" or (on Windows) the other.
_OTHER_SEPARATOR = "" if os.sep == "/" else os.sep


def folder_part(path: str) -> str:
    """`path` up to and with its last separator ("" for a bare name): `folder_part(path) +
    name == path` for the rest of it, whatever the path. Asked of every path of a run, in its
    process before the first file is checked: `max` over a set of one separator cost a
    third of a walk of 10,500 files (issue 17)."""
    end = path.rfind("/")
    if _OTHER_SEPARATOR:
        end = max(end, path.rfind(_OTHER_SEPARATOR))
    return path[: end + 1]


class PathList(Sequence[str]):
    """An unchangeable sequence of paths, equal to the list of the same paths; each path
    read from it is a new string."""

    __slots__ = ("_packed", "_names", "_ends", "_count", "_run_starts", "_run_folders", "_open")

    def __init__(self, paths: Iterable[str] = ()) -> None:
        # Taken one folder's run at a time: the paths of a folder walk are never all held as
        # strings at once (100,000 of them were 8 MB at a run's start).
        self._packed: list[tuple[bytes, bytes]] = []  # each full piece: names, ends
        self._names = ""  # the last piece's names, joined: not packed
        self._ends = array("I")  # where each of the last piece's names ends
        self._count = 0
        self._run_starts = array("Q")  # the index of each run's first path
        self._run_folders: list[str] = []  # each run's folder part
        self._add_runs(
            (folder, [path[len(folder) :] for path in run])
            for folder, run in groupby(paths, key=folder_part)
        )

    @classmethod
    def of_runs(cls, runs: Iterable[tuple[str, list[str]]]) -> PathList:
        """The paths `folder + name` of each run `(folder, names)` in turn (a folder walk's,
        `untrusted.files.runs_under`), each `folder` a `folder_part` of its paths: a walk of
        10,500 files into a `PathList` one path at a time, each cut again into its folder
        and its name, cost a third of the walk, in a run's process before its first file is
        checked (issue 17)."""
        found = cls()
        found._add_runs(runs)
        return found

    def _add_runs(self, runs: Iterable[tuple[str, list[str]]]) -> None:
        """The paths of `runs` after those held (none yet: from `__init__` and `of_runs`)."""
        folders: dict[str, str] = {}  # one string for each folder, however many runs
        piece: list[str] = []
        for folder, names in runs:
            if not names:  # a run without paths would start where the next one does
                continue
            if not self._run_folders or folder != self._run_folders[-1]:
                self._run_starts.append(self._count)
                self._run_folders.append(folders.setdefault(folder, folder))
            taken = 0
            while taken < len(names):
                more = names[taken : taken + _PIECE - len(piece)]
                taken += len(more)
                piece += more
                ends = accumulate(map(len, more), initial=self._ends[-1] if self._ends else 0)
                next(ends)  # where the piece's names so far end
                self._ends.extend(ends)
                self._count += len(more)
                if len(piece) == _PIECE:
                    self._packed.append(_pack(piece))
                    self._ends = array("I")
                    piece.clear()
        self._names = "".join(piece)
        # The piece last unpacked, for the next path read, which is most often in it.
        self._open: tuple[int, str, array[int]] = (-1, "", self._ends)

    def __len__(self) -> int:
        return self._count

    if TYPE_CHECKING:  # the overloads are for type checkers: no `typing` at run time

        @overload
        def __getitem__(self, index: int) -> str: ...
        @overload
        def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return item_or_slice(index, len(self), self._path, "path")

    def _piece(self, number: int, keep: bool = True) -> tuple[str, array[int]]:
        """The names of piece `number`, joined, and where each ends; the piece unpacked is
        kept for the next path read unless `keep` is false (an iteration holds its own, and
        leaves the kept one to the slices a run cuts from further on meanwhile)."""
        if number == len(self._packed):
            return self._names, self._ends
        opened, names, ends = self._open
        if opened != number:
            names, ends = _unpack(*self._packed[number])
            if keep:
                self._open = (number, names, ends)
        return names, ends

    def _path(self, index: int) -> str:
        names, ends = self._piece(index >> _SHIFT)
        within = index & (_PIECE - 1)
        start = ends[within - 1] if within else 0
        return self._run_folders[self._run_of(index)] + names[start : ends[within]]

    def _run_of(self, index: int) -> int:
        """The last run that starts at or before `index`. Paths of one folder (one file,
        one folder's walk) are one run: `bisect` is imported only for more (one module fewer
        for `protokit validate` of one file, tests/test_startup.py)."""
        if len(self._run_starts) == 1:
            return 0
        from bisect import bisect_right

        return bisect_right(self._run_starts, index) - 1

    def __iter__(self) -> Iterator[str]:
        run = 0
        count = self._count
        next_run = self._run_starts[1] if len(self._run_starts) > 1 else count
        for index in range(count):
            if index == next_run:
                run += 1
                runs = len(self._run_starts)
                next_run = self._run_starts[run + 1] if run + 1 < runs else count
            within = index & (_PIECE - 1)
            if not within:
                names, ends = self._piece(index >> _SHIFT, keep=False)
                start = 0
            end = ends[within]
            yield self._run_folders[run] + names[start:end]
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PathList | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a list

    def __repr__(self) -> str:
        return f"PathList({list(self)!r})"


def _pack(names: list[str]) -> tuple[bytes, bytes]:
    """A full piece's names, joined, and their lengths (where each ends, as the length of
    each, most often that of the name before it: packed to almost nothing), packed. Any name
    a path can hold comes back whole: a name the file system gave with undecodable bytes
    holds lone surrogates, which "surrogatepass" writes and reads back as they are."""
    import zlib  # only for a run of more than one piece's files

    joined = "".join(names).encode("utf-8", "surrogatepass")
    return zlib.compress(joined, 1), zlib.compress(array("I", map(len, names)), 1)


def _unpack(names: bytes, lengths: bytes) -> tuple[str, array[int]]:
    import zlib

    found = array("I")
    found.frombytes(zlib.decompress(lengths))
    return zlib.decompress(names).decode("utf-8", "surrogatepass"), array("I", accumulate(found))


def item_or_slice(
    index: int | slice, length: int, item: Callable[[int], T], what: str
) -> T | list[T]:
    """`sequence[index]` of a sequence of `length` whose item `i` is `item(i)`, as a list
    gives it (a slice as a list, a negative index from the end), for the compact sequences
    of a run (paths, reports) that make each item when asked."""
    if isinstance(index, slice):
        return [item(i) for i in range(*index.indices(length))]
    if index < 0:
        index += length
    if not 0 <= index < length:
        raise IndexError(f"{what} index out of range")
    return item(index)
