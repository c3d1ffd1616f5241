"""The reports of a run's files, in order, kept small: a run over 100,000 files holds a full
`FileReport` only for the files with something to say.

A file without findings is, for every report format, its path, its kind and the time checking it
took (JUnit shows the time, JSON the kind). Held as a `FileReport` with its own empty list of
findings and its float, each such file cost about 150 bytes in the run's largest process, so
that the memory of `protokit validate` grew with the corpus (issue 17). Here it costs its path
(the string the folder walk made, shared), one byte for its kind and eight for its time. A
report format reads the files through `each()`, which makes such a report for the moment; a
report reached by index or by iterating is kept from then on, since its caller may add to it
(`build` adds a sheet that could not be made to its file's report).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

from protocol_kit.app.path_list import item_or_slice
from protocol_kit.findings import FileReport
from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import overload


class FileReports(Sequence[FileReport]):
    """A sequence of `FileReport`s, equal to the list of the same reports."""

    __slots__ = ("_paths", "_kinds", "_seconds", "_kept", "_kind_names", "_kind_codes")

    def __init__(self) -> None:
        self._paths: list[str] = []
        self._kinds = bytearray()  # an index into _kind_names
        self._seconds = array("d")
        self._kept: dict[int, FileReport] = {}  # position -> a report with something to say
        self._kind_names: list[str | None] = []
        self._kind_codes: dict[str | None, int] = {}

    def append(self, report: FileReport) -> None:
        if report.findings or report.rules_waiting:
            self._kept[len(self._paths)] = report
        self.add_plain(report.path, report.kind, report.seconds)

    def add_plain(self, path: str, kind: str | None, seconds: float) -> None:
        """A file checked without findings, without making its report."""
        code = self._kind_codes.get(kind)
        if code is None:
            # Kinds are the schemas' few names; a byte holds them with room to spare.
            code = self._kind_codes[kind] = len(self._kind_names)
            self._kind_names.append(kind)
        self._kinds.append(code)
        self._paths.append(path)
        self._seconds.append(seconds)

    def with_findings(self) -> list[FileReport]:
        """The reports with findings (or rules waiting), in order: all that counts, errors
        and findings need. A report handed out by indexing or iterating may have been given
        findings since (`build` adds a sheet's failure to its file's report)."""
        return [
            report
            for _, report in sorted(self._kept.items())
            if report.findings or report.rules_waiting
        ]

    def each(self) -> Iterator[FileReport]:
        """Every report in order, for reading only (a report format, a list of paths): a file
        without findings is given a report made for the moment and not kept, so that writing
        a JSON or JUnit report of 100,000 files does not hold 100,000 reports again."""
        for index in range(len(self._paths)):
            kept = self._kept.get(index)
            yield kept if kept is not None else self._made(index)

    def __len__(self) -> int:
        return len(self._paths)

    if TYPE_CHECKING:  # the overloads are for type checkers: no `typing` at run time

        @overload
        def __getitem__(self, index: int) -> FileReport: ...
        @overload
        def __getitem__(self, index: slice) -> list[FileReport]: ...

    def __getitem__(self, index: int | slice) -> FileReport | list[FileReport]:
        return item_or_slice(index, len(self), self._report, "file report")

    def __iter__(self) -> Iterator[FileReport]:
        for index in range(len(self._paths)):
            yield self._report(index)

    def _report(self, index: int) -> FileReport:
        """The report at `index`, kept from now on: the caller may change it (add a finding)
        and must find the change in the run's report."""
        kept = self._kept.get(index)
        if kept is None:
            kept = self._kept[index] = self._made(index)
        return kept

    def _made(self, index: int) -> FileReport:
        kind = self._kind_names[self._kinds[index]]
        return FileReport(self._paths[index], kind, seconds=self._seconds[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FileReports):
            other = list(other.each())
        if isinstance(other, list):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self.each(), other, strict=True)
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # changes as files are added, like a list

    def __repr__(self) -> str:
        return f"FileReports({list(self.each())!r})"
