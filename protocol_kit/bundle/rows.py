"""Rows of plain values kept in an anonymous temporary file, read back in order (issue 17).

What a command keeps of each of a bundle's protocols (an import's steps, a checked manifest's
list of protocols) grows with the bundle when held as objects; written here as rows it costs
the command a few bytes of memory each. The file is a `tempfile.SpooledTemporaryFile`: in
memory while it is small, then on disk in the system's temporary folder. It has no name, so
it is never left behind and never in a folder the command writes into (a dry run writes
nothing). The rows are `marshal`ed values (texts, numbers, bytes, tuples, None), never
objects that run code when read back; nothing but this process reads or writes the file.

A full disk can show itself after a row was added: the file's buffer is written out when the
rows are read, and a row that did not reach the disk read back short (a traceback, or an
import's plan cut short). So the buffer is written out before every reading, any failure to
write or read a row ends the rows with the one line a full disk gives (`OutputError`), and the
file is then closed at once (closing it later would try to write the buffer again, and Python
prints that failure at exit).
"""

from __future__ import annotations

import contextlib
import marshal
import struct
import tempfile
from collections.abc import Iterator
from typing import Any, NoReturn

from protocol_kit.errors import OutputError

# Kept in memory up to this size (a bundle of a few hundred protocols), on disk past it.
IN_MEMORY = 1024 * 1024
_LENGTH = struct.Struct("<I")


class Rows:
    """Rows in the order they were added; read as often as needed (each reading keeps its
    own place in the file, so two may run at once)."""

    def __init__(self, what: str) -> None:
        self._what = what  # for the one line a failure to write it gives
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
        self._end = 0
        self._count = 0
        self._failed: str | None = None  # why the file can no longer be used

    def append(self, row: Any) -> None:
        data = marshal.dumps(row)
        self._usable()
        try:
            self._file.seek(self._end)
            self._file.write(_LENGTH.pack(len(data)) + data)
        except OSError as error:
            self._fail(error.strerror or str(error))
        self._end += _LENGTH.size + len(data)
        self._count += 1

    def _usable(self) -> None:
        if self._failed is not None:
            self._fail(self._failed)

    def _fail(self, why: str) -> NoReturn:
        self._failed = why
        with contextlib.suppress(OSError):
            self._file.close()  # its unwritten buffer is dropped here, not at exit
        raise OutputError(
            f"cannot keep {self._what} in a temporary file ({why}); nothing was changed"
        ) from None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        self._usable()
        try:
            self._file.flush()  # the rows still in the buffer, on disk before any is read
        except OSError as error:
            self._fail(error.strerror or str(error))
        at = 0
        while at < self._end:
            row, at = self._read(at)
            yield row

    def _read(self, at: int) -> tuple[Any, int]:
        """The row at `at`, and where the next one starts."""
        self._usable()
        try:
            self._file.seek(at)
            head = self._file.read(_LENGTH.size)
            length = _LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else -1
            data = self._file.read(length) if length >= 0 else b""
        except OSError as error:
            self._fail(error.strerror or str(error))
        if length < 0 or len(data) != length:
            self._fail("a row written to it could not be read back")
        return marshal.loads(data), at + _LENGTH.size + length
