"""The paths of a run's files, held as one string: a run over 100,000 files keeps their names
while it checks them (to name each report, and to hand them to the workers), and a list of
strings cost about 80 bytes a path in the run's largest process, and in every worker forked
from it, so that the memory of `protokit validate` grew with the corpus (issue 17). Here a path
costs its characters and eight bytes for where it ends.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence

from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeVar, overload

    T = TypeVar("T")
_PIECE = 4096  # paths joined at a time while a PathList is made


class PathList(Sequence[str]):
    """An unchangeable sequence of paths, equal to the list of the same paths; each path
    read from it is a new string."""

    __slots__ = ("_text", "_ends")

    def __init__(self, paths: Iterable[str] = ()) -> None:
        # Taken one at a time and joined in pieces: the paths of a folder walk are never all
        # held as strings at once (100,000 of them were 8 MB at a run's start).
        self._ends = array("Q")
        pieces: list[str] = []
        piece: list[str] = []
        end = 0
        for path in paths:
            piece.append(path)
            end += len(path)
            self._ends.append(end)
            if len(piece) == _PIECE:
                pieces.append("".join(piece))
                piece.clear()
        pieces.append("".join(piece))
        self._text = "".join(pieces)

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
        start = self._ends[index - 1] if index else 0
        return self._text[start : self._ends[index]]

    def __iter__(self) -> Iterator[str]:
        start = 0
        text = self._text
        for end in self._ends:
            yield text[start:end]
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
