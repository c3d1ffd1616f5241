"""Answers kept between runs as rows of a table in the user's cache folder, each looked up
when it is asked and written as the run goes: a run holds none of them (issue 17, thirtieth
sitting).

`cache.Recent` reads its whole file into a dictionary at the first question and adds to it;
for the lint's answers about whole files, parts and exercises (`lint.across_runs`: 16,384 and
8,192 of them) that was what still grew from 1,000 to 100,000 files, up to about 7 MB of the
largest process. Here each answer is a row of an SQLite table (`open_table`, as the code index
and the reading grades): a question reads one row through the table's index, SQLite's own
page cache is held to `_PAGE_CACHE_KB`, and what a process adds is written in batches of
`WRITE_EVERY`, so a process holds at most one batch, whatever the number of files.

- Which answers: each row's key is the asker's key digested with the answers' label
  (`cache.files_label`: the package's code and data, the versions), so a row written by
  another version of the code or data is never found, not even by a run that started before
  the other version wrote it (a label kept in a row of its own would be read once, then
  trusted while another version wrote). Rows of another label are pushed out by the bound.
- Bounded by rows on disk: the newest `most` are kept (rowids grow with each write, and a
  batch deletes the rows more than `most` older than the newest). A process writes at most
  `most` rows (a run over more files than are kept would otherwise write them all to keep
  the last).
- Damage: each row holds the CRC-32 of its key and answer (as H1186's tables do); a row that
  fails it, or whose answer cannot be read or does not have the asker's shape (`fits`, H588),
  is not used, and is replaced when the answer worked out again is added. A file that is not
  such a table (another layout, a foreign or truncated file) is removed and made again
  (`open_table`); a table SQLite finds malformed while it is read is removed and not used
  again by the process. Nothing reaches the user: the answer is worked out again.
- Processes: a process writes its rows and closes its tables before it forks (a SQLite
  connection must not cross a fork: `_before_fork`); a worker opens its own connection and
  writes its own rows, the last batch when multiprocessing ends it (`util.Finalize`, as
  `cache.Recent`); the run's process writes its last batch at exit. Writers take SQLite's
  lock in turn (write-ahead log, a timeout of `_BUSY_SECONDS`); a batch that still cannot be
  written is dropped, and asked again next run.
"""

from __future__ import annotations

import marshal
import os
import sys
from zlib import crc32

from protocol_kit.cache import UNKNOWN, ThisRunOnly, _fitting, files_label, open_table
from protocol_kit.digests import blake2b
from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable
    from typing import Any

_CREATE = (
    "CREATE TABLE t (key BLOB NOT NULL UNIQUE, answer BLOB NOT NULL, row_check INTEGER NOT NULL)"
)
_FIND = "SELECT answer, row_check FROM t WHERE key = ?"
_WRITE = "INSERT OR REPLACE INTO t (key, answer, row_check) VALUES (?, ?, ?)"
_TRIM = "DELETE FROM t WHERE rowid <= (SELECT max(rowid) FROM t) - ?"
# Rows a process adds before it writes them: the most it holds.
WRITE_EVERY = 256
# SQLite's page cache for the table, in KiB (its default is 2,000): a table of 16,384 files'
# answers is about 1.3 MB, which the default would let a long run hold whole.
_PAGE_CACHE_KB = 256
# How long a writer waits for another process's write to end before it drops its batch.
_BUSY_SECONDS = 10
# Connections a forked process inherited open (a fork without the hook below): never used
# and never closed there; held so that the collector does not close them.
_INHERITED: list[Any] = []
# The tables open in this process, written and closed before it forks (`_before_fork`).
_OPEN: set[KeptRows] = set()


def _row_check(key: bytes, answer: bytes) -> int:
    return crc32(answer, crc32(key))


class KeptRows:
    """`cache.Recent`'s questions (`get`, `add`), answered from the rows of the cache table
    `name` (see the module's docstring)."""

    def __init__(
        self,
        name: str,
        label: str,
        most: int,
        fits: Callable[[Any], bool] | None = None,
        write_every: int = WRITE_EVERY,
    ) -> None:
        self.name = name
        self.label = label  # names what the answers depend on besides their keys
        self.most = most
        self.fits = fits
        self.write_every = write_every
        self._label_key = blake2b(label.encode("utf-8", "surrogatepass"), digest_size=32).digest()
        self._connection: sqlite3.Connection | None = None
        self._cursor: sqlite3.Cursor | None = None
        self._process = 0  # the process the connection and the rows to write are of
        self._given_up = False  # the table was found malformed: not used again
        self._to_write: dict[bytes, bytes] = {}  # rows added, by their key, not yet written
        self._written = 0  # rows this process wrote

    def _row_key(self, key: bytes) -> bytes:
        return blake2b(key, key=self._label_key, digest_size=20).digest()

    def get(self, key: bytes) -> Any:
        """The answer kept for `key`, or `UNKNOWN` (also for one damaged or not fitting)."""
        connection = self._opened()
        if connection is None:
            return UNKNOWN
        row_key = self._row_key(key)
        answer = self._to_write.get(row_key)
        if answer is None:
            import sqlite3

            try:
                # One cursor for every question (a new one each was a tenth of a look-up).
                cursor = self._cursor
                cursor.execute(_FIND, (row_key,))
                row = cursor.fetchone()
            except sqlite3.Error as error:
                self._failed(error)
                return UNKNOWN
            if row is None:
                return UNKNOWN
            answer, check = row
            if type(answer) is not bytes or check != _row_check(row_key, answer):
                return UNKNOWN  # damaged: worked out again, and replaced by `add`
        try:
            found = marshal.loads(answer)
        except Exception:  # noqa: BLE001 (any damage: not used)
            return UNKNOWN
        if self.fits is not None and not _fitting(self.fits, found):
            return UNKNOWN
        return found

    def add(self, key: bytes, answer: Any) -> None:
        """Keep `answer` (plain data: marshal's types) for `key`: written with the next batch."""
        if self._opened() is None or self._written + len(self._to_write) >= self.most:
            return
        try:
            written = marshal.dumps(answer)
        except ValueError:
            return
        self._to_write[self._row_key(key)] = written
        if len(self._to_write) >= self.write_every:
            self.save()

    def save(self) -> None:
        """Write the rows added and not yet written, and trim the table to the newest `most`."""
        connection = self._connection
        if not self._to_write or connection is None or self._process != os.getpid():
            return
        rows = [(key, answer, _row_check(key, answer)) for key, answer in self._to_write.items()]
        self._to_write = {}
        import sqlite3

        try:
            with connection:  # one transaction: the batch and the trim, or neither
                connection.executemany(_WRITE, rows)
                connection.execute(_TRIM, (self.most,))
            self._written += len(rows)
        except sqlite3.Error as error:
            self._failed(error)

    def end(self) -> None:
        """`save`, and close this process's connection (the write-ahead log written back into
        the table): at a worker's end. A question after it opens the table again."""
        self.save()
        connection = self._connection
        _OPEN.discard(self)
        if connection is not None and self._process == os.getpid():
            self._connection, self._process = None, 0
            try:  # noqa: SIM105 (contextlib: not imported by validate, issue 17)
                connection.close()
            except Exception:  # noqa: BLE001, S110 (nothing may reach the user from the cache)
                pass

    def _opened(self) -> sqlite3.Connection | None:
        """The connection of this process, opened at its first question."""
        if self._process == os.getpid():
            return self._connection
        if self._connection is not None:
            # Forked from the process that opened it: its connection and its rows to write
            # are its own.
            _INHERITED.append(self._connection)
        self._connection, self._to_write, self._written = None, {}, 0
        self._process = os.getpid()
        if self._given_up:
            return None
        connection = open_table(self.name, _CREATE)
        if connection is None:
            return None
        connection.execute(f"PRAGMA cache_size=-{_PAGE_CACHE_KB}")
        connection.execute(f"PRAGMA busy_timeout={_BUSY_SECONDS * 1000}")
        self._connection, self._cursor = connection, connection.cursor()
        _OPEN.add(self)
        _save_at_the_end(self)
        return connection

    def _failed(self, error: Exception) -> None:
        """A question or a write the table could not answer: a busy table is asked again at
        the next one; a malformed one is removed (the next run makes it again) and not used."""
        import sqlite3

        if isinstance(error, sqlite3.OperationalError):
            return
        self._given_up = True
        self._to_write = {}
        connection, self._connection = self._connection, None
        try:
            if connection is not None:
                connection.close()
            from protocol_kit.cache import cache_dir

            path = cache_dir() / self.name
            # Its write-ahead log too: SQLite would play it into the table made next.
            for suffix in ("", "-wal", "-shm"):
                each = path.with_name(path.name + suffix)
                if os.path.lexists(each):
                    each.unlink()
        except Exception:  # noqa: BLE001, S110 (nothing may reach the user from the cache)
            pass


def _before_fork() -> None:
    """Each table open in this process written and closed before it forks a worker, and
    opened again at its next question: SQLite's own state of a file's locks and shared
    memory is per process, and a worker that inherited it with an open connection and then
    opened its own could take the parent's locks for its own."""
    for rows in list(_OPEN):
        rows.end()


os.register_at_fork(before=_before_fork)


def _save_at_the_end(rows: KeptRows) -> None:
    """`rows.save()` when this process ends: at exit, or for a worker forked by a large run
    (which never runs `atexit`) when multiprocessing ends it; registered after the connection
    was opened, so that it runs before the connection is closed (`cache._close_at_exit`)."""
    from protocol_kit.cache import multiprocessing_worker

    if multiprocessing_worker():
        from multiprocessing import util

        util.Finalize(None, rows.end, exitpriority=10)
    else:
        import atexit

        atexit.register(rows.save)


def kept_rows(
    title: str,
    version: int,
    folder: str,
    names: Iterable[str],
    most: int,
    extra: str = "",
    fits: Callable[[Any], bool] | None = None,
) -> KeptRows | ThisRunOnly:
    """The answers kept between runs under `files_label(...)` (as `cache.kept_answers`), as
    rows of the cache table named by `title`, the interpreter and `version`; answers for this
    run only when the files cannot be read."""
    label = files_label(title, version, folder, names, extra)
    if label is None:
        return ThisRunOnly()
    name = f"{title.replace(' ', '-')}-{sys.implementation.cache_tag}-{version}.sqlite"
    return KeptRows(name, label, most, fits=fits)
