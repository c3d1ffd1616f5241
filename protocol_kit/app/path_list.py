"""The paths of a run's files, held compactly: a run over 100,000 files keeps their names
while it checks them (to name each report, and to hand them to the workers), and a list of
strings cost about 80 bytes a path in the run's largest process, and in every worker forked
from it, so that the memory of `protokit validate` grew with the corpus (issue 17).

Here a path costs the characters of its name and four bytes for where the name ends: the
folder part ("protocols/library/") is held once for each run of paths in that folder, as a
folder walk gives them. The names are kept in pieces of a few thousand rather than joined into
one text, which for a moment held every name twice (2 MB more at 100,000 files).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeVar, overload

    T = TypeVar("T")
_SHIFT = 12
_PIECE = 1 << _SHIFT  # names joined into one text: paths a piece holds
# Where a path's folder part ends: after its last separator (both on Windows).
_SEPARATORS = {"/", os.sep}


def folder_part(path: str) -> str:
    """`path` up to and with its last separator ("" for a bare name): `folder_part(path) +
    name == path` for the rest of it, whatever the path."""
    return path[: max(path.rfind(separator) for separator in _SEPARATORS) + 1]


class PathList(Sequence[str]):
    """An unchangeable sequence of paths, equal to the list of the same paths; each path
    read from it is a new string."""

    __slots__ = ("_pieces", "_ends", "_run_starts", "_run_folders")

    def __init__(self, paths: Iterable[str] = ()) -> None:
        # Taken one at a time: the paths of a folder walk are never all held as strings at
        # once (100,000 of them were 8 MB at a run's start).
        self._pieces: list[str] = []
        self._ends = array("I")  # where each name ends in its piece
        self._run_starts = array("Q")  # the index of each run's first path
        self._run_folders: list[str] = []  # each run's folder part
        folders: dict[str, str] = {}  # one string for each folder, however many runs
        piece: list[str] = []
        end = 0
        for path in paths:
            folder = folder_part(path)
            if not self._run_folders or folder != self._run_folders[-1]:
                self._run_starts.append(len(self._ends))
                self._run_folders.append(folders.setdefault(folder, folder))
            name = path[len(folder) :]
            piece.append(name)
            end += len(name)
            self._ends.append(end)
            if len(piece) == _PIECE:
                self._pieces.append("".join(piece))
                piece.clear()
                end = 0
        if piece:
            self._pieces.append("".join(piece))

    def __len__(self) -> int:
        return len(self._ends)

    if TYPE_CHECKING:  # the overloads are for type checkers: no `typing` at run time

        @overload
        def __getitem__(self, index: int) -> str: ...
        @overload
        def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return item_or_slice(index, len(self), self._path, "path")

    def _path(self, index: int) -> str:
        start = self._ends[index - 1] if index & (_PIECE - 1) else 0
        name = self._pieces[index >> _SHIFT][start : self._ends[index]]
        return self._run_folders[self._run_of(index)] + name

    def _run_of(self, index: int) -> int:
        """The last run that starts at or before `index`. Paths of one folder (one file,
        one folder's walk) are one run: `bisect` is imported only for more (one module fewer
        for `protokit validate` of one file, tests/test_startup.py)."""
        if len(self._run_starts) == 1:
            return 0
        from bisect import bisect_right

        return bisect_right(self._run_starts, index) - 1

    def __iter__(self) -> Iterator[str]:
        ends = self._ends
        run = 0
        count = len(ends)
        next_run = self._run_starts[1] if len(self._run_starts) > 1 else count
        for index in range(count):
            if index == next_run:
                run += 1
                runs = len(self._run_starts)
                next_run = self._run_starts[run + 1] if run + 1 < runs else count
            if not index & (_PIECE - 1):
                text, start = self._pieces[index >> _SHIFT], 0
            end = ends[index]
            yield self._run_folders[run] + text[start:end]
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PathList | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a list

    def __repr__(self) -> str:
        return f"PathList({list(self)!r})"


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
