"""ICD-10-CM lookups against the current code list shipped by `simple_icd_10_cm`.

That package holds one release (its `data` folder names it, for example April 2026) but no
history. Codes that were valid once and have since been retired or split are in `RETIRED`, a
small table kept by hand from the CMS conversion tables and addenda, with the source of each
entry beside it.
"""

from __future__ import annotations

import _thread
import functools
import os

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.dates import dt
from protocol_kit.record import Record, init

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from protocol_kit.cache import Recent


class Retirement(Record):
    """A code removed from the billable list on `date`, and the codes that replace it."""

    __slots__ = ("date", "replacements", "note")
    date: dt.date
    replacements: tuple[str, ...]
    note: str

    def __init__(self, date: dt.date, replacements: tuple[str, ...], note: str) -> None:
        init(self, "date", date)
        init(self, "replacements", replacements)
        init(self, "note", note)


# Code -> retirement. Each entry names its source; add only what a source confirms.
RETIRED: dict[str, Retirement] = {
    # CMS FY2022 ICD-10-CM conversion table and tabular addenda (effective 2021-10-01):
    # M54.5 Low back pain expanded to M54.50 (unspecified), M54.51 (vertebrogenic) and M54.59
    # (other). Confirmed by secondary references, e.g. medmio.com/icd10-codes/low-back-pain/.
    "M54.5": Retirement(
        dt.date(2021, 10, 1),
        ("M54.50", "M54.51", "M54.59"),
        "expanded in FY2022: low back pain is now coded as unspecified, vertebrogenic or other",
    ),
}


class IcdCode(Record):
    """One entry of the current code list."""

    __slots__ = ("code", "description", "billable", "billable_children")
    code: str
    description: str
    billable: bool
    billable_children: tuple[str, ...]

    def __init__(
        self, code: str, description: str, billable: bool, billable_children: tuple[str, ...]
    ) -> None:
        init(self, "code", code)
        init(self, "description", description)
        init(self, "billable", billable)
        init(self, "billable_children", billable_children)


@functools.lru_cache(maxsize=1)
def code_list_release() -> str:
    """The release of the shipped code list, for messages, for example `April 2026`.

    Read from the installed package's file list: importing the package would load it whole.
    """
    from importlib.metadata import files

    for entry in files("simple_icd_10_cm") or ():
        name = entry.name
        if name.startswith("code-list-") and name.endswith(".txt"):
            return name[len("code-list-") : -len(".txt")].replace("-", " ")
    return "current"


@functools.lru_cache(maxsize=8192)
def lookup(code: str) -> IcdCode | None:
    """The code as the current ICD-10-CM list has it, or None if it is not in the list."""
    from protocol_kit.cache import UNKNOWN

    recent = _recent()
    answer = recent.get(code)
    if answer is UNKNOWN:
        answer = _answer(code)
        if answer is None or len(answer[2]) <= _CHILDREN_KEPT:
            recent.add(code, answer)
    return None if answer is None else IcdCode(code, *answer)


# A category with more billable codes under it than this (a chapter of injuries has thousands)
# is asked of the index every time rather than kept among the recent answers.
_CHILDREN_KEPT = 64


def _answer(code: str) -> tuple[str, bool, tuple[str, ...]] | None:
    """The index's answer for `code`: description, billable, the billable codes under it."""
    index = _index()
    entry = index.entry(code)
    if entry is None:
        return None
    description, billable = entry
    return description, billable, () if billable else index.billable_under(code)


@functools.lru_cache(maxsize=1)
def _table_name() -> str:
    from protocol_kit.cache import package_version

    return f"icd10cm-{package_version('simple_icd_10_cm', 'simple_icd_10_cm')}"


@functools.lru_cache(maxsize=1)
def _recent() -> Recent:
    """The answers the index gave in the latest runs (`cache.Recent`): a run that looks up
    codes looked up before does not open the index."""
    from protocol_kit.cache import Recent

    # "-2": the file before H1163 may hold "no such code" for listed codes, kept by a
    # workbench whose threads read the package's list half filled; never read again.
    return Recent(f"{_table_name()}-2.recent.marshal", fits=_an_answer)


def _an_answer(answer: object) -> bool:
    """Whether a kept answer has `_answer`'s shape (H588)."""
    if answer is None:
        return True
    return (
        type(answer) is tuple
        and len(answer) == 3
        and type(answer[0]) is str
        and type(answer[1]) is bool
        and type(answer[2]) is tuple
        and all(type(code) is str for code in answer[2])
    )


class _DamagedTable(Exception):
    """The cache file's table does not read as it was written (H1186)."""


_ROW = "SELECT code, description, billable, crc FROM t"


class _Index:
    """Every code of the list, read from the cache file a row at a time.

    Each row is read with its CRC-32 (`cache.row_check`), and the first code the index does
    not find makes SQLite check that the index and the table agree (`integrity_check`, about
    150 ms once a process: a scan of the table for each such code was 20-30 ms a code, 5
    minutes for 10,000 files that each name a code of their own): SQLite checks no page as it
    reads, and a damaged byte made a listed code "not an ICD-10-CM code" or a billable one a
    category header (H1186). A damaged file, or one SQLite calls malformed, is removed (the
    next run builds it again) and this run's answers come from the package (`_memory_index`)."""

    def __init__(self, connection, path) -> None:
        self._connection = connection
        self._path = path
        self._instead: _MemoryIndex | None = None
        self._index_agrees = False  # checked once, at the first code the index does not find

    def entry(self, code: str) -> tuple[str, bool] | None:
        return self._answered("entry", self._entry, code)

    def billable_under(self, code: str) -> tuple[str, ...]:
        return self._answered("billable_under", self._billable_under, code)

    def rows(self) -> tuple[tuple[str, str, bool], ...]:
        """(code, description, billable) of every code (the `codes` command's search)."""
        return self._answered("rows", self._rows)

    def _answered(self, name: str, read, *arguments: str):
        """`read(*arguments)` from the table; once it is found damaged, the answer of the
        package's index (`_MemoryIndex`'s method `name`)."""
        if self._instead is None:
            try:
                return read(*arguments)
            except _DamagedTable:
                self._damaged()
        return getattr(self._instead, name)(*arguments)

    def _entry(self, code: str) -> tuple[str, bool] | None:
        found = self._checked(f"{_ROW} WHERE code = ?", code)
        if not found:
            if not self._index_agrees:
                self._check_index()
            return None
        if found[0][0] != code:  # the index led to another code's row
            raise _DamagedTable
        return found[0][1], bool(found[0][2])

    def _billable_under(self, code: str) -> tuple[str, ...]:
        # Through the index, each row checked: a damaged index page that left a code out
        # would shorten the message's list, not change the finding (reading the table whole
        # was 107 ms for S72's 2,466 codes, against 5).
        found = self._checked(
            f"{_ROW} WHERE billable AND code > ? AND code < ? ORDER BY code", code, code + "\uffff"
        )
        return tuple(row[0] for row in found)

    def _rows(self) -> tuple[tuple[str, str, bool], ...]:
        return tuple((c, d, bool(b)) for c, d, b, _ in self._checked(_ROW))

    def _checked(self, query: str, *parameters: str) -> list[tuple]:
        import sqlite3

        from protocol_kit.cache import row_check

        try:
            found = self._connection.execute(query, parameters).fetchall()
        except sqlite3.Error as error:  # "database disk image is malformed"
            raise _DamagedTable from error
        for code, description, billable, crc in found:
            if row_check(code, description, billable) != crc:
                raise _DamagedTable
        return found

    def _check_index(self) -> None:
        """Raise `_DamagedTable` unless every row is in the index under its own code (a
        code the index does not find is then truly not in the table)."""
        import sqlite3

        try:
            verdict = self._connection.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.Error as error:
            raise _DamagedTable from error
        if verdict != [("ok",)]:
            raise _DamagedTable
        self._index_agrees = True

    def _damaged(self) -> None:
        self._connection.close()
        try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
            os.unlink(self._path)
        except OSError:
            pass
        with _building:  # the package's list is filled one thread at a time (H1163)
            self._instead = _memory_index()


class _MemoryIndex:
    """The same answers from the package itself, when there is no cache folder to use."""

    def __init__(self, rows: Iterable[tuple[str, str, bool]]) -> None:
        self.codes = {code: (description, billable) for code, description, billable in rows}
        self._billable = sorted(code for code, (_, billable) in self.codes.items() if billable)

    def entry(self, code: str) -> tuple[str, bool] | None:
        return self.codes.get(code)

    def billable_under(self, code: str) -> tuple[str, ...]:
        import bisect  # the index without a cache folder only

        start = bisect.bisect_left(self._billable, code)
        found = []
        for candidate in self._billable[start:]:
            if not candidate.startswith(code):
                break
            if candidate != code:
                found.append(candidate)
        return tuple(found)

    def rows(self) -> tuple[tuple[str, str, bool], ...]:
        return tuple((c, d, b) for c, (d, b) in self.codes.items())


@functools.lru_cache(maxsize=1)
def _index() -> _Index | _MemoryIndex:
    """The code index, from the cache when there is one.

    Reading `simple_icd_10_cm`'s whole tabular list takes about half a second (importing the
    package, which parses it whole, two seconds and 190 MB), far more than a lint run on a
    few files should take. The index read from it (code, description, billable: the rows of
    `_rows_from_package`, one at a time) is saved once per package version in the user's
    cache folder, as SQLite so that a run reads only the codes it looks up.
    """
    from protocol_kit.cache import cache_dir, open_table

    # One thread at a time: the workbench checks files in several threads at once, and the
    # package fills its list of codes on its first use without a lock of its own, so a second
    # thread read the list half filled: told that M54.50 is no code, it kept that answer
    # among the recent answers, for every later run (H1163). A thread that waited opens the
    # table the first one made, or takes the index it built in memory.
    with _building:
        name = f"{_table_name()}.sqlite"
        connection = open_table(
            name,
            "CREATE TABLE t (code TEXT PRIMARY KEY, description TEXT, billable INTEGER,"
            " crc INTEGER)",
            _checked_rows_from_package,
        )
        if connection is None:
            return _memory_index()  # a read-only home folder: slower, correct
        return _Index(connection, cache_dir() / name)


@functools.lru_cache(maxsize=1)
def _memory_index() -> _MemoryIndex:
    """The index from the package, built once per process (a thread that waited for the
    first one to build it, above, takes it)."""
    return _MemoryIndex(_rows_from_package())


_building = _thread.allocate_lock()


def _forked() -> None:
    """In a forked worker: a SQLite connection must not cross into it (each process opens
    its own), nor a lock a thread of the parent held at the fork."""
    global _building
    _index.cache_clear()
    _building = _thread.allocate_lock()


os.register_at_fork(after_in_child=_forked)


def _rows_from_package() -> Iterator[tuple[str, str, bool]]:
    """(code, description, billable) of every code of the package's list, one at a time:
    read from its data files in a stream (`icd10cm_tabular`), never all held at once."""
    from protocol_kit.terminology import icd10cm_tabular

    files = icd10cm_tabular.data_files()
    if files is not None:
        return icd10cm_tabular.rows(*files)
    return _rows_from_package_import()


def _rows_from_package_import() -> Iterator[tuple[str, str, bool]]:
    """The same rows from the imported package (about 190 MB while it parses its list): for
    a layout of its data folder that `icd10cm_tabular` does not know."""
    import simple_icd_10_cm as icd

    for code in icd.get_all_codes(with_dots=True):
        if not icd.is_chapter_or_block(code):
            yield code, icd.get_description(code), icd.is_leaf(code)


def _checked_rows_from_package() -> Iterator[tuple[str, str, int, int]]:
    """The cache table's rows, each with its CRC-32 (`cache.row_check`, H1186), one at a
    time: the table is filled as they are read (`cache.open_table`)."""
    from protocol_kit.cache import row_check

    for code, description, billable in _rows_from_package():
        yield code, description, int(billable), row_check(code, description, int(billable))
